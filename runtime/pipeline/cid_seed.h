/* container.id = host in the kernel for the processes that started before
 * sgc: after the /proc scan, the table's host processes are offered to the
 * kernel's sgc_cid map (bpf-templates/capture_container.h explains the map,
 * runtime/capture/bpf_cid.c when an entry may be added). */
#ifndef SGC_CID_SEED_H
#define SGC_CID_SEED_H

#include "bpf_loader.h"
#include "proctable.h"

/* For each live process of the table whose container id is "host" (read
 * from /proc, no record applied yet) and whose /proc/PID/cgroup, read
 * again, still names no container: its cgroup v2 id goes to the kernel,
 * which adds it where its hooks know nothing better. Only when HOST_ROOT's
 * /proc shows the initial PID namespace (the kernel's pids): kthreadd is
 * pid 2 there, with no parent. Returns how many processes were added. */
int sgc_cid_seed(struct sgc_bpf *b, sgc_proctable *pt);

#endif
