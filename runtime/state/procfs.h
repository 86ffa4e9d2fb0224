/* Bootstrapping the process table from /proc: the processes that exist
 * before the first event. Each /proc/PID gives comm, argv (cmdline), env
 * (environ, bounded), exe and exepath (readlink exe), cwd, credentials and
 * capabilities (status), ppid, sid, pgid, tty and start time (stat), the
 * ids as seen in the process's pid namespace (NSpid/NSpgid/NSsid),
 * loginuid, and the container id (cgroup).
 *
 * Start times are converted to boot-based ns (the clock of the kernel's
 * records, bpf_ktime_get_boot_ns). Processes that vanish while being read
 * are skipped. */
#ifndef SGC_PROCFS_H
#define SGC_PROCFS_H

#include "proctable.h"

/* Read /PROCROOT/PID into the table (procroot NULL = "/proc"). Returns the
 * entry, or NULL when the process is gone or unreadable. */
sgc_proc *sgc_procfs_read_one(sgc_proctable *t, const char *procroot, uint32_t pid);

/* Read every process under procroot. Returns how many were read, or -1 when
 * procroot cannot be listed. */
int sgc_procfs_scan(sgc_proctable *t, const char *procroot);

#endif
