/* Signalling a process an alert names, safely: the checks `sgc respond`'s
 * process:kill and `sgc run --enforce` share.
 *  - never pid 1 (or below), the calling process, any process running an
 *    executable named sgc or the caller's own executable, kernel threads,
 *    or a process whose name (comm) is on an allowlist;
 *  - only the process the alert saw: the same executable path and/or the
 *    same start time (ns since the epoch, +-100 ms for the clock tick);
 *  - the signal goes through a pidfd opened before the checks, so a pid
 *    reused in between cannot receive it. */
#ifndef SGC_PROC_SIGNAL_H
#define SGC_PROC_SIGNAL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    SGC_SIG_OK,      /* signalled, or the process was already gone */
    SGC_SIG_DRY_RUN, /* every check passed; nothing sent */
    SGC_SIG_ERROR,   /* the signal failed */
    SGC_SIG_REFUSED, /* a safety or identity check failed */
} sgc_signal_result;

/* Why pid must never be signalled, or NULL when it may be. */
const char *sgc_proc_forbidden(int pid, const char *const *allow_names, int nallow);
/* NULL when pid still runs exepath (when given) and started at start_ns
 * (when non-zero); else the reason, written into why. */
const char *sgc_proc_identity(int pid, const char *exepath, unsigned long long start_ns, char *why,
                              size_t n);
/* The checks, then sig through a pidfd unless dry_run; detail gets one line. */
sgc_signal_result sgc_proc_signal(int pid, int sig, const char *exepath,
                                  unsigned long long start_ns, const char *const *allow_names,
                                  int nallow, bool dry_run, char *detail, size_t n);
/* "SIGKILL" for 9, "SIGTERM"... ("SIG?" when unknown). */
const char *sgc_signal_name(int sig);

#endif
