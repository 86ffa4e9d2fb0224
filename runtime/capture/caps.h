/* The Linux capabilities that capture (`sgc run`, `sgc record`) needs, the
 * check that names a missing one, and least privilege once it has them.
 *
 * Needed (docs/deploying.md says why each):
 *   CAP_BPF              load the BPF programs, create and use their maps
 *   CAP_PERFMON          tracing programs: attach to tracepoints, read kernel
 *                        memory (task, file, socket structures)
 *   CAP_SYS_PTRACE       /proc/PID/{exe,cwd,environ,root} of other users'
 *                        processes (context for processes started before sgc,
 *                        a container's /etc/passwd through its root)
 *   CAP_DAC_READ_SEARCH  read /proc and container files whatever their modes,
 *                        and the per-syscall tracepoint ids in tracefs (0700)
 * CAP_SYS_ADMIN stands in for CAP_BPF + CAP_PERFMON, as the kernel accepts.
 * Not needed: CAP_SYS_RESOURCE (BPF memory is charged to the memory cgroup
 * since Linux 5.11, RLIMIT_MEMLOCK does not apply), CAP_NET_ADMIN, etc.
 *
 * Capabilities are per thread, so the restriction runs while the process is
 * still single-threaded: every thread started later inherits it. */
#ifndef SGC_CAPS_H
#define SGC_CAPS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sgc_cap_need {
    int cap;          /* CAP_* number */
    const char *name; /* "CAP_BPF" */
    const char *why;  /* what sgc does with it */
} sgc_cap_need;

/* The needed capabilities (the four above), in check order. */
const sgc_cap_need *sgc_caps_needed(size_t *n);

/* Is each needed capability in this thread's effective set (CAP_SYS_ADMIN
 * counting for CAP_BPF and CAP_PERFMON)? 0 if yes; otherwise -1 and err
 * names the first missing one and what it is for. */
int sgc_caps_check(char *err, size_t errlen);

/* Least privilege, while single-threaded, after sgc_caps_check passed:
 * keep only the needed capabilities in the permitted set (plus
 * CAP_SYS_ADMIN when CAP_BPF is not permitted), clear the inheritable and
 * ambient sets (children get none), shrink the bounding set to the same
 * when CAP_SETPCAP allows, and leave effective only CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH: the BPF capabilities are raised just around loading
 * and attaching (sgc_caps_raise_load / sgc_caps_lower_load), so a reload
 * can attach again while nothing else runs with them. 0, or -1 with err. */
int sgc_caps_restrict(char *err, size_t errlen);

/* True once sgc_caps_restrict succeeded. */
bool sgc_caps_restricted(void);

/* Around load + attach (and the preflight's probes): make CAP_BPF,
 * CAP_PERFMON (and CAP_SYS_ADMIN if permitted) effective in this thread,
 * then lower them again. Pairs nest; no-ops unless restricted. */
void sgc_caps_raise_load(void);
void sgc_caps_lower_load(void);

#endif
