/* Loading the capture BPF programs with libbpf, feeding the runtime the raw
 * records they send over the ring buffer, and reading their counters.
 *
 *   struct sgc_bpf_options o = sgc_bpf_default_options();
 *   o.syscalls = nrs; o.nsyscalls = n;
 *   struct sgc_bpf *b = sgc_bpf_open(&o, on_record, ctx, err, sizeof err);
 *   while (running) sgc_bpf_poll(b, 100);
 *   sgc_bpf_close(b);
 *
 * Records are struct sgc_event_hdr + bitmap + blobs (sgc_event.h); the
 * callback gets them as raw bytes, valid only during the call. */
#ifndef SGC_BPF_LOADER_H
#define SGC_BPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

struct bpf_object;

enum sgc_hook_strategy {
    SGC_HOOK_RAW_SYSCALLS, /* one tp_btf/sys_exit program, interest map lookup */
    SGC_HOOK_PER_SYSCALL,  /* syscalls/sys_exit_<name> per syscall of interest */
};

/* Default ring buffer: its pages are mapped twice into the reader and count
 * as resident from the start, so its size is most of sgc's RSS; 4 MiB carries
 * a burst of 150,000 records/s without loss (docs/performance.md). */
#define SGC_RINGBUF_DEFAULT (4u << 20)

struct sgc_bpf_options {
    const void *obj_data; /* BPF object; NULL = the embedded capture object */
    size_t obj_size;
    enum sgc_hook_strategy strategy;
    const int *syscalls; /* syscall numbers of interest (x86_64) */
    size_t nsyscalls;
    bool nopushdown;          /* bypass sgc_filter(): pass every event of interest */
    bool proc_events;         /* attach sched_process_exec/fork/exit (default on) */
    uint32_t ringbuf_bytes;   /* power of two, >= 4096; 0 = SGC_RINGBUF_DEFAULT */
    uint32_t env_max;         /* environment bytes copied at exec; 0 = none */
    bool lazy_fork;           /* no rule can match a fork or exit record: a child's
                                 fork record waits until the runtime needs it, and
                                 a child it never needs leaves no record at all
                                 (bpf-templates/capture_lazyfork.h) */
    uint32_t snaplen;         /* data buffer bytes copied for data_syscalls */
    const int *data_syscalls; /* syscalls whose data buffer (evt.buffer) is
                                   copied, up to snaplen bytes, for the events
                                   the kernel filter passes */
    size_t ndata_syscalls;
    uint32_t wakeup_bytes; /* 0: the reader is woken for each record it waits
                                   for; n: once n bytes are pending (default 256 KiB:
                                   fewer wakeups; records may wait up to the poll
                                   timeout, so poll with a short one, e.g. 100 ms) */
    uint32_t wakeup_us;    /* with wakeup_bytes: also wake the reader when the
                                   last wakeup is this old (default 1000 us), so a
                                   record waits at most about this long plus one
                                   short poll (sgc_runloop) */
    bool verbose;          /* print libbpf's debug output */
    uint16_t gen;          /* rule-set generation stamped on syscall records
                                   (sgc_event_hdr.gen); 0 = 1 */
    bool filter_test;      /* also load sgc_filter_test for sgc_bpf_filter_test() */
    /* Called after the verifier accepted the programs and before anything is
     * attached: fills the generated kernel filter's constant-set maps (an
     * empty set map would make the filter drop events rules match). Non-zero
     * aborts the open with err set. NULL: nothing to fill. */
    int (*before_attach)(void *ud, struct bpf_object *obj, char *err, size_t errlen);
    void *before_attach_ud;
    /* Called after the object is opened and before it is loaded, with
     * before_attach_ud: sizes the filter's maps (sgc_artifact_size_maps).
     * NULL: the object's sizes stand. */
    int (*before_load)(void *ud, struct bpf_object *obj, char *err, size_t errlen);
};

struct sgc_bpf_counters {
    uint64_t seen;         /* syscall events of interest that reached a hook */
    uint64_t filtered;     /* dropped by the kernel filter */
    uint64_t passed;       /* syscall records written to the ring buffer */
    uint64_t rb_fail;      /* records lost: ring buffer full */
    uint64_t too_big;      /* records whose blobs were cut at SGC_RECORD_MAX */
    uint64_t no_scratch;   /* records lost: all scratch slots of a CPU in use */
    uint64_t lc_seen;      /* process exec/fork/exit hooks that fired */
    uint64_t lc_passed;    /* lifecycle records written to the ring buffer */
    uint64_t exec_no_rule; /* of those, exec records no rule can match (kernel filter) */
};

/* Called once per record; return non-zero to stop the current poll. */
typedef int (*sgc_record_fn)(void *ctx, const void *rec, size_t size);

struct sgc_bpf;

struct sgc_bpf_options sgc_bpf_default_options(void);

/* The hook strategy for this process, decided once: per-syscall when the
 * syscall tracepoints are readable in tracefs (mounted there if it may),
 * else raw_syscalls (tp_btf needs no tracefs: unprivileged, containers).
 * $SGC_HOOK_STRATEGY=raw_syscalls|per-syscall forces one. */
enum sgc_hook_strategy sgc_bpf_pick_strategy(void);

/* Can this process load and attach the capture programs here? 0 if yes;
 * otherwise -1 with a message naming what is missing (privileges, BTF,
 * lockdown, ring buffer support, tracefs for the per-syscall strategy). */
int sgc_bpf_preflight(enum sgc_hook_strategy strategy, char *err, size_t errlen);

/* Preflight, open, configure, load (verifier) and attach. NULL on failure
 * with a message in err; a verifier rejection is printed to stderr with
 * libbpf's log. */
struct sgc_bpf *sgc_bpf_open(const struct sgc_bpf_options *opts, sgc_record_fn on_record, void *ctx,
                             char *err, size_t errlen);

/* Deliver pending records; waits up to timeout_ms for a wakeup (with
 * batched wakeups, records pending at the timeout are delivered then).
 * Returns the number of records delivered, or a negative errno (-EINTR when
 * interrupted by a signal). */
int sgc_bpf_poll(struct sgc_bpf *b, int timeout_ms);

/* Deliver everything pending without waiting. */
int sgc_bpf_drain(struct sgc_bpf *b);

/* An fd that becomes readable when records are pending (for epoll). */
int sgc_bpf_epoll_fd(const struct sgc_bpf *b);

/* The per-CPU counters, summed over CPUs. 0 or negative errno. */
int sgc_bpf_read_counters(const struct sgc_bpf *b, struct sgc_bpf_counters *out);

/* Kernel run-time statistics of the loaded programs whose name starts with
 * name_prefix (NULL: all), summed. Needs BPF stats enabled (sysctl
 * kernel.bpf_stats_enabled=1 or bpf_enable_stats()); otherwise zeros.
 * Program names: sgc_sys_exit (raw_syscalls), sgc_exit_<syscall>
 * (per-syscall), sgc_proc_exec/fork/exit. */
int sgc_bpf_prog_stats(const struct sgc_bpf *b, const char *name_prefix, uint64_t *run_time_ns,
                       uint64_t *run_cnt);

/* The ring buffer's fill: bytes written by the kernel and not yet read,
 * and its size in bytes. 0, or -1 (no ring buffer). */
int sgc_bpf_ring_usage(const struct sgc_bpf *b, uint64_t *used, uint64_t *size);

/* Number of programs loaded into the kernel (hooks attached). */
int sgc_bpf_attached_count(const struct sgc_bpf *b);

/* Tell the kernel filter that these processes, which started before sgc
 * and have not exec'd since, are on the host (container.id = "host" in the
 * runtime's table, from /proc) in the cgroup v2 of the given id: entries of
 * the sgc_cid map (bpf-templates/capture_container.h), added only where
 * the lifecycle hooks have none, and only while the map certainly evicted
 * nothing (runtime/capture/bpf_cid.c). Call it after the /proc scan and
 * before the first record is read. Returns how many were added (0 also
 * when it could not vouch for the map), never an error: a missing entry
 * only leaves container.id UNKNOWN in the kernel. */
int sgc_bpf_cid_seed(struct sgc_bpf *b, const uint32_t *tgids, const uint64_t *cgroup_ids,
                     size_t n);

/* The host's user and group names the kernel filter reads (map sgc_unames,
 * bpf-templates/filter_users.h; every generation shares the first load's):
 * its fd, -1 when the object has none (an older artifact). The runtime
 * fills it (runtime/pipeline/unames.h). */
int sgc_bpf_unames_fd(const struct sgc_bpf *b);
/* Remove every entry of the map fd: every name UNKNOWN. 0 or -errno. */
int sgc_bpf_unames_clear(int fd);
/* Name id (kind SGC_UNAME_USER or SGC_UNAME_GROUP) in the map fd: 0, or 1
 * when not written (NULL, or a name of SGC_UNAME_MAX bytes or more, which
 * stays UNKNOWN), or -errno (the map is full: UNKNOWN too). */
int sgc_bpf_unames_put(int fd, unsigned kind, uint32_t id, const char *name);

/* Run the kernel filter (sgc_filter_early + sgc_filter) on one prepared
 * record with BPF_PROG_TEST_RUN; needs opts.filter_test. rec (size bytes,
 * a complete record: header with size/nblobs/cand_words, bitmap room,
 * blobs) is copied in, and copied back so the candidate bitmap and header
 * flags the filter wrote are visible. What the filter keeps between events
 * (SGC_F_KEEP_BYTES) carries over from the runs before, as between live
 * events. Returns an enum sgc_test_verdict, or a negative errno. */
int sgc_bpf_filter_test(struct sgc_bpf *b, void *rec, size_t size);

/* ---- reload: a new rule set's programs replace the running ones ----------
 * Every syscall hook is a stub that tail-calls the handler in slot 0 of a
 * program array the generations share, with the ring buffer and counters.
 * A reload loads the new object beside the running one (nothing attached),
 * attaches stubs only for the syscalls the new set adds, then switches the
 * slot: one atomic map update, so each event runs exactly one handler, the
 * old or the new, and no event finds no program. Records carry the
 * generation (sgc_event_hdr.gen) so userspace evaluates each with the rules
 * whose filter passed it. The process lifecycle programs of the first load
 * stay attached throughout. */
struct sgc_bpf_next;

/* Open, verify and fill opts' object (opts->gen: the new generation;
 * opts->before_attach runs here) sharing b's maps, with nothing attached.
 * Safe on another thread while b is polled: it reads only what does not
 * change until sgc_bpf_commit. NULL with err on failure (b unchanged). */
struct sgc_bpf_next *sgc_bpf_prepare(const struct sgc_bpf *b, const struct sgc_bpf_options *opts,
                                     char *err, size_t errlen);

/* On the polling thread: attach the stubs of added syscalls, switch the
 * handler, detach the stubs of dropped syscalls, free the old object. next
 * is consumed. 0, or -1 with err (the old programs still run). */
int sgc_bpf_commit(struct sgc_bpf *b, struct sgc_bpf_next *next, char *err, size_t errlen);

/* The generation a prepared object stamps on its records. */
uint16_t sgc_bpf_next_gen(const struct sgc_bpf_next *next);

/* Free a prepared generation that will not be committed. NULL is fine. */
void sgc_bpf_next_free(struct sgc_bpf_next *next);

/* Detach everything and free. NULL is fine. */
void sgc_bpf_close(struct sgc_bpf *b);

const char *sgc_hook_strategy_name(enum sgc_hook_strategy s);

#endif
