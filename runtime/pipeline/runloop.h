/* The live capture loop shared by `sgc run` and `sgc record`:
 *
 *   load + attach the capture programs for an interest list
 *   -> bootstrap the process table from /proc (after attaching, so no
 *      process escapes between the scan and the first record)
 *   -> print the readiness line on stderr:
 *        "PROG: attached N programs, watching M syscalls (MODE)"
 *   -> poll the ring buffer, decode each record (errors counted), hand it
 *      to on_event; after each poll, call on_tick
 *   -> every stats interval and at exit read the kernel counters; lost
 *      events (ring buffer full, undecodable records) are reported on stderr
 *      and handed to on_drops (sgc run raises the internal alert there)
 *   -> stop on SIGINT/SIGTERM or after the duration; drain what is pending.
 *
 * One loop per process (it installs the signal handlers). */
#ifndef SGC_RUNLOOP_H
#define SGC_RUNLOOP_H

#include "bpf_loader.h"
#include "decode.h"
#include "drops.h"
#include "proctable.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sgc_runloop_config {
    const char *prog;           /* message prefix: "sgc run" */
    struct sgc_bpf_options bpf; /* syscalls, nopushdown, object, ring size... */
    const char *mode;           /* for the readiness line; NULL: from bpf.nopushdown */
    double duration_s;          /* stop after this long; 0 = until a signal */
    double stats_interval_s;    /* read counters this often; 0 = only at exit */
    bool verbose;               /* periodic stats lines on stderr */
    sgc_proctable *pt;          /* filled from /proc after attaching (NULL: no scan) */
    void *ud;
    /* after the /proc scan, before the first record (record writes its
     * process snapshot here); non-zero aborts */
    int (*on_ready)(void *ud);
    /* each decoded record, in ring-buffer order; ev->evtnum counts from 1 */
    void (*on_event)(void *ud, const sgc_evt *ev);
    /* new losses since the last read (after the stderr report) */
    void (*on_drops)(void *ud, const sgc_drop_report *r);
    /* once per loop pass, after the ring buffer poll (at least every 100 ms,
     * more often under load), on the loop's thread; may be NULL. sgc run
     * collects finished container lookups here. */
    void (*on_tick)(void *ud);
    /* when set, *live points at the running summary (kernel counters
     * refreshed every second) for the callbacks to read; sgc run's
     * /metrics uses it */
    const struct sgc_runloop_summary **live;
    /* when set, *running is the capture while the loop runs (NULL before,
     * and from the stop on: the last on_tick sees NULL): sgc run's reload
     * prepares and commits new programs there (bpf_loader.h), from on_tick */
    struct sgc_bpf **running;
    /* a few words for the periodic stats line ("alerts 3"), may be NULL */
    void (*describe)(void *ud, char *buf, size_t len);
} sgc_runloop_config;

typedef struct sgc_runloop_summary {
    struct sgc_bpf_counters kernel; /* at exit */
    uint64_t records;               /* records received */
    uint64_t decoded;
    uint64_t decode_errors;
    uint64_t decode_errors_by[SGC_DECODE__COUNT];
    uint64_t drop_reports; /* intervals with losses */
    int nprograms, nsyscalls;
    int procs_scanned; /* processes read from /proc (-1: failed) */
    int procs_on_host; /* of those, known to the kernel filter as on the host (cid_seed.h) */
    double elapsed_s;
    int stop_signal; /* SIGINT/SIGTERM that stopped it, 0 = duration,
                      * -1 = sgc_runloop_request_stop */
    /* the ring buffer: bytes waiting to be read, and its size (refreshed
     * every second with the live counters) */
    uint64_t ringbuf_used, ringbuf_size;
} sgc_runloop_summary;

/* Run until stopped. Returns 0 after a clean stop, -1 when capture could
 * not start (BPF unavailable, load or attach failed, on_ready failed) with
 * the reason in err; nothing stays attached. */
int sgc_runloop_run(const sgc_runloop_config *cfg, sgc_runloop_summary *sum, char *err,
                    size_t errlen);

/* The SIGINT/SIGTERM the last sgc_runloop_run caught, 0 if none. A signal
 * that arrives while capture starts can make the start fail (a BPF load
 * interrupted by it): the caller must not start again then. */
int sgc_runloop_stop_signal(void);

/* Stop the running loop at its next pass (from a callback on the loop's
 * thread: sgc run's syscall_event_drops action exit). */
void sgc_runloop_request_stop(void);

/* The multi-line summary: events seen in the kernel, filtered, passed,
 * decoded, decode errors, lost, plus the caller's extra line. */
void sgc_runloop_print_summary(FILE *f, const char *prog, const sgc_runloop_summary *s,
                               const char *extra);

/* CLOCK_REALTIME - CLOCK_BOOTTIME in ns: converts the records' boot-based
 * times to wall-clock times. */
int64_t sgc_boot_to_wall_ns(void);

#endif
