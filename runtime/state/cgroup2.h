/* The cgroup v2 id of a process's cgroup, as the kernel's BPF programs read
 * it (task->cgroups->dfl_cgrp->kn->id, sgc_event_hdr.cgroup_id), found from
 * userspace: the "0::PATH" line of /proc/PID/cgroup, resolved under this
 * process's cgroup2 mount, and the kernfs id from name_to_handle_at (a
 * cgroup2 file handle is that 8-byte id). Used to tell the kernel filter
 * which processes that started before sgc are on the host
 * (runtime/pipeline/cid_seed.c). */
#ifndef SGC_CGROUP2_H
#define SGC_CGROUP2_H

#include <stddef.h>
#include <stdint.h>

/* The id of the cgroup v2 directory that `cgroup` (the text of
 * /proc/PID/cgroup) names, or 0 when it cannot be known for sure: no
 * "0::" line, no cgroup2 mount of the hierarchy's root in this mount
 * namespace, a path with a ".." component (outside this process's cgroup
 * namespace) or marked " (deleted)", a directory that is gone. */
uint64_t sgc_cgroup2_id(const char *cgroup, size_t len);

#endif
