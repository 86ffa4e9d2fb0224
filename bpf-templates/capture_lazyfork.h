/* Deferred fork records (BPF side only).
 *
 * A process that forks, never execs, has no syscall event the kernel filter
 * passes, and exits (a shell's subshell, a worker that dies young) is churn
 * the runtime never asks about. When no rule can match a fork or exit record
 * (sgc_config.lazy_fork, set from the rules), the fork program parks the
 * child's record here instead of sending it, and it is sent, unchanged and
 * before anything else of that process, when the process
 *   - execs (sgc_proc_exec),
 *   - creates a thread or a child (sgc_proc_fork: the runtime must know a
 *     parent before its children),
 *   - has a syscall event passed by the filter (the syscall exit handler), or
 *   - exits while the flag is off (a reload brought a rule that needs them).
 * A process whose record is still parked when it exits leaves no trace: its
 * fork and exit records are both dropped. A full map falls back to sending
 * the record at once, so nothing the runtime needs is ever lost here.
 *
 * Parked records are header-only (cand_words 0: no filter judged them). */
#ifndef SGC_CAPTURE_LAZYFORK_H
#define SGC_CAPTURE_LAZYFORK_H

#include "capture_maps.h"

#define SGC_LAZY_FORK_MAX 8192

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SGC_LAZY_FORK_MAX);
    __type(key, __u32); /* the child's tgid */
    __type(value, struct sgc_event_hdr);
} sgc_lazy_fork SEC(".maps");

/* Per creating process: how many of its children are parked. The runtime
 * starts a child as a copy of its creator as it stands when the fork record
 * is read, so the creator's exec or exit first sends its parked children's
 * records. An entry lives until its process exits. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SGC_LAZY_FORK_MAX);
    __type(key, __u32);   /* the creator's tgid */
    __type(value, __u32); /* parked children */
} sgc_lazy_parents SEC(".maps");

/* Park a finished header-only fork record (args[2]: its creator); 0 when
 * parked, else the caller sends it now. */
static __always_inline int sgc_lazy_park(__u32 tgid, struct sgc_event_hdr *h)
{
    __u32 creator = (__u32)h->args[2], zero = 0;
    __u32 *n = bpf_map_lookup_elem(&sgc_lazy_parents, &creator);
    if (!n) { /* added by the creator's own fork program only: no race */
        bpf_map_update_elem(&sgc_lazy_parents, &creator, &zero, BPF_NOEXIST);
        n = bpf_map_lookup_elem(&sgc_lazy_parents, &creator);
        if (!n) return -1; /* full */
    }
    h->cand_words = 0;
    h->nblobs = 0;
    h->size = sizeof(*h);
    if (bpf_map_update_elem(&sgc_lazy_fork, &tgid, h, BPF_NOEXIST)) return -1;
    /* before the child can run: it is woken after this hook */
    __sync_fetch_and_add(n, 1);
    return 0;
}

/* Forget tgid's parked record h (sent or dropped). */
static __always_inline void sgc_lazy_unpark(__u32 tgid, const struct sgc_event_hdr *h)
{
    __u32 creator = (__u32)h->args[2];
    __u32 *n = bpf_map_lookup_elem(&sgc_lazy_parents, &creator);
    if (n) __sync_fetch_and_add(n, -1);
    bpf_map_delete_elem(&sgc_lazy_fork, &tgid);
}

static __always_inline void sgc_lazy_send(const struct sgc_event_hdr *h,
                                          const struct sgc_config *cfg)
{
    __u64 flags = cfg && cfg->wakeup_bytes ? BPF_RB_NO_WAKEUP : 0;
    if (bpf_ringbuf_output(&sgc_events, (void *)h, sizeof(*h), flags))
        sgc_count(SGC_CNT_RB_FAIL);
    else
        sgc_count(SGC_CNT_LC_PASSED);
}

/* Send tgid's parked fork record, if any. The process's next record follows
 * it and carries the wakeup. */
static __always_inline void sgc_lazy_flush(__u32 tgid, const struct sgc_config *cfg)
{
    struct sgc_event_hdr *h = bpf_map_lookup_elem(&sgc_lazy_fork, &tgid);
    if (!h) return;
    sgc_lazy_send(h, cfg);
    sgc_lazy_unpark(tgid, h);
}

struct sgc_lazy_walk {
    __u32 creator;
    const struct sgc_config *cfg;
};

static long sgc_lazy_flush_child(struct bpf_map *map, __u32 *tgid, struct sgc_event_hdr *h,
                                 struct sgc_lazy_walk *w)
{
    (void)map;
    if ((__u32)h->args[2] != w->creator) return 0;
    sgc_lazy_send(h, w->cfg);
    sgc_lazy_unpark(*tgid, h);
    return 0;
}

/* Before tgid's exec or exit record: send its parked children's records,
 * which the runtime must read while tgid still has the image they copied. */
static __always_inline void sgc_lazy_flush_children(__u32 tgid, const struct sgc_config *cfg)
{
    __u32 *n = bpf_map_lookup_elem(&sgc_lazy_parents, &tgid);
    if (!n || *n == 0) return;
    struct sgc_lazy_walk w = {.creator = tgid, .cfg = cfg};
    bpf_for_each_map_elem(&sgc_lazy_fork, sgc_lazy_flush_child, &w, 0);
}

/* At the exit of tgid's last thread: 1 when its fork record was still
 * parked and lazy mode is on (both records dropped), else 0 (the parked
 * record, if any, has been sent; the caller sends the exit record). Either
 * way its parked children's records have been sent. */
static __always_inline int sgc_lazy_exit(__u32 tgid, const struct sgc_config *cfg)
{
    sgc_lazy_flush_children(tgid, cfg);
    bpf_map_delete_elem(&sgc_lazy_parents, &tgid);
    struct sgc_event_hdr *h = bpf_map_lookup_elem(&sgc_lazy_fork, &tgid);
    if (!h) return 0;
    if (!cfg->lazy_fork) {
        sgc_lazy_send(h, cfg);
        sgc_lazy_unpark(tgid, h);
        return 0;
    }
    sgc_lazy_unpark(tgid, h);
    return 1;
}

#endif
