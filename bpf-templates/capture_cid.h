/* The map behind container.id = host in the kernel (BPF side only): per
 * process (tgid), the id of the cgroup it was in at its last exec when it
 * is on the host as of that exec, 0 when it is not known to be (cgroup ids
 * are never 0). The lifecycle hooks
 * keep it (capture_container.h, which explains why this is what the
 * runtime derives); the generated filter reads it through sgc_f_cid_host.
 * Included by filter_helpers.h so any program that links a filter has it. */
#ifndef SGC_CAPTURE_CID_H
#define SGC_CAPTURE_CID_H

#include "sgc_event.h"

#define SGC_CID_MAX_PROC 65536

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, SGC_CID_MAX_PROC);
    __type(key, __u32);   /* tgid */
    __type(value, __u64); /* on the host: the cgroup id (kernfs id) at exec; else 0 */
} sgc_cid SEC(".maps");

/* For the generated filter (needs SGC_TF_PID and SGC_TF_MISC): 1 when the
 * record's process is known to be on the host (container.id = "host" in the
 * evaluator), else 0 (UNKNOWN). */
static __always_inline int sgc_f_cid_host(const struct sgc_event_hdr *h)
{
    __u32 tgid = h->pid;
    __u64 *v = bpf_map_lookup_elem(&sgc_cid, &tgid);
    return v && *v && *v == h->cgroup_id;
}

#endif
