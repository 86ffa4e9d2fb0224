/* Maps of the capture programs. BPF side only. */
#ifndef SGC_CAPTURE_MAPS_H
#define SGC_CAPTURE_MAPS_H

#include "sgc_event.h"
#include "capture.h"

/* Path walks assemble names backwards into a power-of-two buffer; indices are
 * masked with SGC_PATH_MASK so the verifier can bound every access. */
#define SGC_PATH_BUF 4096
#define SGC_PATH_MASK (SGC_PATH_BUF - 1)

/* Per-CPU workspace: the record under construction, with slack after it so
 * a blob copy of SGC_BLOB_MAX bytes from any accepted offset stays inside
 * the value, and the path assembly buffer (twice the size: masked index +
 * a name of up to 255 bytes). A plain array indexed by CPU because per-CPU
 * map values are limited to 32 KiB. */
struct sgc_scratch {
    __u8 rec[SGC_RECORD_MAX + SGC_BLOB_MAX + 64];
    __u8 path[2 * SGC_PATH_BUF];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1); /* resized to the number of possible CPUs by the loader */
    __type(key, __u32);
    __type(value, struct sgc_scratch);
} sgc_scratch SEC(".maps");

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
    if (v)
        *v += 1; /* per-CPU slot: no atomics needed */
}

static __always_inline struct sgc_config *sgc_get_config(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&sgc_config, &zero);
}

static __always_inline struct sgc_scratch *sgc_get_scratch(void)
{
    __u32 cpu = bpf_get_smp_processor_id();
    return bpf_map_lookup_elem(&sgc_scratch, &cpu);
}

#endif
