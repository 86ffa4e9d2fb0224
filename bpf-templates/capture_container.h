/* container.id = host, decided in the kernel (BPF side only).
 *
 * The runtime gives a process the container id it derives from the cgroup
 * path its exec record carries (runtime/state/container_id.c), or its
 * parent's at fork, and keeps it until the next exec. So the kernel must
 * answer from the cgroup at the last exec too, not from the cgroup the task
 * is in now (a process moved between cgroups keeps its id). The exec, fork
 * and exit hooks keep that answer per process (tgid) in sgc_cid:
 *   exec: the id of the cgroup when every component of the cgroup v2 path
 *         is shorter than 64 bytes: every container id form the runtime
 *         recognises is a component of at least 64 bytes (64 hex digits,
 *         alone or with a prefix or suffix), so the runtime derives "host"
 *         from that path. Anything else (a long component, a path deeper
 *         than the walk, an unreadable name, a record that ran out of room
 *         and may lack its cgroup blob) writes 0, "not known to be on the
 *         host";
 *   fork: the child (a new process) takes the creating process's entry,
 *         as the runtime copies its image; no entry gives 0;
 *   exit: the entry goes with the process.
 * So every process that exec'd or was forked since the hooks run has an
 * entry (0 or a cgroup id) until it exits or the LRU evicts it: that is
 * what lets the runtime add entries, with BPF_NOEXIST, for the processes
 * that started before sgc and have not exec'd since (runtime/pipeline/
 * cid_seed.c, runtime/capture/bpf_cid.c), without ever overwriting what a
 * hook knows better.
 * An entry holds the id of the cgroup the process was in at that exec; the
 * filter says "host" only while the process is still in that cgroup, so
 * the runtime's other source, /proc/PID/cgroup read for a process missing
 * from its table (the current cgroup), gives "host" too.
 * No entry, or 0, means UNKNOWN to the filter: containers (the id itself is
 * not decided here), processes older than sgc it could not vouch for, map
 * entries evicted by the LRU. The filter looks the record's pid up
 * (sgc_f_cid_host), so BPF_PROG_TEST_RUN reads the same map a test fills. */
#ifndef SGC_CAPTURE_CONTAINER_H
#define SGC_CAPTURE_CONTAINER_H

#include "capture_cid.h"
#include "capture_path.h"

#define SGC_CID_LONG 64 /* the shortest component that can name a container */

struct sgc_cid_walk {
    struct kernfs_node *kn;
    int done; /* reached the root */
    int bad;  /* a long or unreadable component */
    char name[SGC_CID_LONG + 8];
};

static long sgc_cid_step(__u64 i, void *data)
{
    struct sgc_cid_walk *w = data;
    struct kernfs_node *parent = sgc_kn_parent(w->kn);
    if (!parent) {
        w->done = 1; /* the root's name is not part of the path */
        return 1;
    }
    /* SGC_CID_LONG + 1 bytes: a return of at most SGC_CID_LONG (with the
     * NUL) is a complete name shorter than SGC_CID_LONG */
    struct kernfs_node *kn = w->kn;
    long n = bpf_probe_read_kernel_str(w->name, SGC_CID_LONG + 1, BPF_CORE_READ(kn, name));
    if (n <= 1 || n > SGC_CID_LONG) {
        w->bad = 1; /* long, empty (the runtime's path would end here) or unreadable */
        return 1;
    }
    w->kn = parent;
    return 0;
}

/* At exec of task p; `full`: the exec record ran out of room (its cgroup
 * blob may be missing, and the runtime then keeps the older id). Returns 1
 * when the process is now known to be on the host. */
static __always_inline int sgc_cid_on_exec(struct task_struct *p, int full)
{
    __u32 tgid = BPF_CORE_READ(p, tgid);
    struct sgc_cid_walk w = {};
    w.kn = BPF_CORE_READ(p, cgroups, dfl_cgrp, kn);
    if (w.kn && !full) bpf_loop(SGC_PATH_MAX_COMPONENTS, sgc_cid_step, &w, 0);
    __u64 v = 0; /* not known to be on the host */
    if (w.done && !w.bad) v = BPF_CORE_READ(p, cgroups, dfl_cgrp, kn, id);
    bpf_map_update_elem(&sgc_cid, &tgid, &v, BPF_ANY);
    return v != 0;
}

/* At fork of a new process (not a thread) by the process `parent_tgid`. */
static __always_inline void sgc_cid_on_fork(__u32 parent_tgid, __u32 child_tgid)
{
    __u64 *v = bpf_map_lookup_elem(&sgc_cid, &parent_tgid);
    __u64 c = v ? *v : 0;
    bpf_map_update_elem(&sgc_cid, &child_tgid, &c, BPF_ANY);
}

static __always_inline void sgc_cid_on_exit(__u32 tgid) { bpf_map_delete_elem(&sgc_cid, &tgid); }

#endif
