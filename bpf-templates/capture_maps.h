/* Maps of the capture programs. BPF side only. */
#ifndef SGC_CAPTURE_MAPS_H
#define SGC_CAPTURE_MAPS_H

#include "sgc_event.h"
#include "capture.h"

/* Path walks assemble names backwards into a power-of-two buffer; indices are
 * masked with SGC_PATH_MASK so the verifier can bound every access. */
#define SGC_PATH_BUF     4096
#define SGC_PATH_MASK    (SGC_PATH_BUF - 1)
/* Room after the path buffer for the kernel filter's workspace, which lives
 * in `path` (filter_helpers.h struct sgc_fscratch): its candidate bitmap of
 * the early pass grows with the rule count (8 bytes per 64 rules). */
#define SGC_F_WORK_EXTRA 4096

/* Per-CPU workspace: the record under construction, with slack after it so
 * a blob copy of SGC_BLOB_MAX bytes from any accepted offset stays inside
 * the value, and the path assembly buffer (twice the size: masked index +
 * a name of up to 255 bytes), and what the kernel filter keeps between
 * events. A plain array indexed by CPU because per-CPU map values are
 * limited to 32 KiB. */
struct sgc_scratch {
    __u8 rec[SGC_RECORD_MAX + SGC_BLOB_MAX + 64];
    __u8 path[2 * SGC_PATH_BUF + SGC_F_WORK_EXTRA];
    /* what the kernel filter keeps from one event to the next (set answers
     * kept with the strings they are about); nothing else writes it */
    __u64 fkeep[SGC_F_KEEP_BYTES / 8];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SGC_SCRATCH_SLOTS); /* loader: SGC_SCRATCH_SLOTS x possible CPUs */
    __type(key, __u32);
    __type(value, struct sgc_scratch);
} sgc_scratch SEC(".maps");

/* Which scratch slots of this CPU are taken (per-CPU value). */
struct sgc_scratch_busy {
    __u64 slot[SGC_SCRATCH_SLOTS]; /* 64-bit: atomics on 32-bit words need -mcpu=v3 */
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sgc_scratch_busy);
} sgc_scratch_busy SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 * 1024 * 1024); /* loader may resize */
} sgc_events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SGC_CNT__COUNT);
    __type(key, __u32);
    __type(value, __u64);
} sgc_counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SGC_MAX_SYSCALLS);
    __type(key, __u32);
    __type(value, struct sgc_syscall_spec);
} sgc_syscalls SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sgc_config);
} sgc_config SEC(".maps");

static __always_inline void sgc_count(__u32 which)
{
    __u64 *v = bpf_map_lookup_elem(&sgc_counters, &which);
    if (v) /* atomic: a preempted program on this CPU may be mid-update */
        __sync_fetch_and_add(v, 1);
}

static __always_inline struct sgc_config *sgc_get_config(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&sgc_config, &zero);
}

/* Claim a free workspace slot of this CPU: its index, or -1. A global
 * (not static) function: the verifier checks it once, and callers see one
 * unknown return value instead of one path per slot, which would multiply
 * the verification of everything after the claim by SGC_SCRATCH_SLOTS. */
__noinline int sgc_scratch_claim(void)
{
    __u32 zero = 0;
    struct sgc_scratch_busy *busy = bpf_map_lookup_elem(&sgc_scratch_busy, &zero);
    if (!busy) return -1;
    for (int i = 0; i < SGC_SCRATCH_SLOTS; i++)
        if (__sync_val_compare_and_swap(&busy->slot[i], 0, 1) == 0) return i;
    return -1;
}

/* Free a slot; a plain store is enough: only tasks on this CPU share it. */
__noinline int sgc_scratch_release(int slot)
{
    __u32 zero = 0;
    struct sgc_scratch_busy *busy = bpf_map_lookup_elem(&sgc_scratch_busy, &zero);
    __u32 i = (__u32)slot;
    asm volatile("" : "+r"(i)); /* keep clang from dropping the mask */
    i &= SGC_SCRATCH_SLOTS - 1; /* the bound the verifier sees */
    if (busy && slot >= 0 && slot < SGC_SCRATCH_SLOTS) busy->slot[i] = 0;
    return 0;
}

/* A claimed workspace; release it on every path with sgc_scratch_put(). */
struct sgc_scratch_ref {
    struct sgc_scratch *s;
    int slot;
};

static __always_inline int sgc_scratch_get(struct sgc_scratch_ref *ref)
{
    int slot = sgc_scratch_claim();
    if (slot < 0 || slot >= SGC_SCRATCH_SLOTS) {
        sgc_count(SGC_CNT_NO_SCRATCH);
        return -1;
    }
    __u32 idx = bpf_get_smp_processor_id() * SGC_SCRATCH_SLOTS + slot;
    ref->s = bpf_map_lookup_elem(&sgc_scratch, &idx);
    ref->slot = slot;
    if (!ref->s) {
        sgc_scratch_release(slot);
        return -1;
    }
    return 0;
}

static __always_inline void sgc_scratch_put(struct sgc_scratch_ref *ref)
{
    sgc_scratch_release(ref->slot);
}

#endif
