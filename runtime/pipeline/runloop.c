/* See runloop.h. */
#include "runloop.h"

#include "cid_seed.h"
#include "procfs.h"
#include "sgclog.h"
#include "sd_notify.h"
#include "unames.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <time.h>

/* Poll timeout: bounds how late a signal or the end of --duration is seen. */
#define POLL_MS           100
/* After a poll that delivered records an alert may wait for, the next one
 * waits only this long: such records sent without a wakeup right after one
 * (bpf-templates/capture_record.h batches wakeups) are delivered by its
 * timeout. Records no alert waits for (SGC_EVF_NO_HURRY: the process
 * lifecycle the filter dropped) do not shorten the wait: on an exec-heavy
 * host they would keep the reader polling every 2 ms. */
#define FOLLOW_UP_POLL_MS 2

static volatile sig_atomic_t g_stop_signal;

static void on_signal(int sig) { g_stop_signal = sig; }

/* No SA_RESTART: the signal interrupts the ring buffer's epoll_wait. */
static void install_handlers(struct sigaction *old_int, struct sigaction *old_term)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

static uint64_t clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t sgc_boot_to_wall_ns(void)
{
    /* sample boot time between two wall readings and take the middle, from
     * the tightest of a few tries (a preemption between the readings would
     * skew the offset, and two sgc processes should agree to the ns) */
    int64_t best = 0;
    uint64_t best_gap = UINT64_MAX;
    for (int i = 0; i < 8; i++) {
        uint64_t w1 = clock_ns(CLOCK_REALTIME), b = clock_ns(CLOCK_BOOTTIME);
        uint64_t w2 = clock_ns(CLOCK_REALTIME);
        if (w2 - w1 < best_gap) {
            best_gap = w2 - w1;
            best = (int64_t)(w1 + (w2 - w1) / 2) - (int64_t)b;
        }
    }
    return best;
}

typedef struct loop {
    const sgc_runloop_config *cfg;
    sgc_runloop_summary *sum;
    struct sgc_bpf *bpf;
    sgc_evt ev;
    sgc_drops drops;
    sgc_unames unames; /* the kernel's copy of the host's user names */
    uint64_t urgent;   /* records decoded without SGC_EVF_NO_HURRY */
} loop;

static int on_record(void *ctx, const void *rec, size_t size)
{
    loop *l = ctx;
    l->sum->records++;
    sgc_decode_status st = sgc_decode(rec, size, &l->ev);
    if (st != SGC_DECODE_OK) {
        l->sum->decode_errors++;
        l->sum->decode_errors_by[st]++;
        return 0;
    }
    l->sum->decoded++;
    if (!(l->ev.hdr->flags & SGC_EVF_NO_HURRY)) l->urgent++;
    l->ev.evtnum = l->sum->decoded;
    if (l->cfg->on_event) l->cfg->on_event(l->cfg->ud, &l->ev);
    return 0;
}

static void read_totals(loop *l, sgc_loss_totals *t)
{
    struct sgc_bpf_counters c;
    if (sgc_bpf_read_counters(l->bpf, &c) == 0) l->sum->kernel = c;
    sgc_bpf_ring_usage(l->bpf, &l->sum->ringbuf_used, &l->sum->ringbuf_size);
    memset(t, 0, sizeof *t);
    /* losses count records of both kinds: so does their denominator */
    t->seen = l->sum->kernel.seen + l->sum->kernel.lc_seen;
    t->rb_fail = l->sum->kernel.rb_fail;
    t->no_scratch = l->sum->kernel.no_scratch;
    t->too_big = l->sum->kernel.too_big;
    t->decode_errors = l->sum->decode_errors;
    t->ts_ns = clock_ns(CLOCK_BOOTTIME);
}

/* Read the counters; report new losses. */
static void check_losses(loop *l)
{
    sgc_loss_totals now;
    read_totals(l, &now);
    sgc_drop_report r;
    if (sgc_drops_check(&l->drops, &now, &r)) {
        l->sum->drop_reports++;
        /* with on_drops, sgc.yaml's syscall_event_drops decides (drop_policy.h) */
        if (l->cfg->on_drops)
            l->cfg->on_drops(l->cfg->ud, &r);
        else
            sgc_drops_print(stderr, l->cfg->prog, &r);
    }
}

static void print_stats_line(loop *l)
{
    const struct sgc_bpf_counters *k = &l->sum->kernel;
    char extra[128] = "";
    if (l->cfg->describe) l->cfg->describe(l->cfg->ud, extra, sizeof extra);
    fprintf(stderr,
            "%s: stats: seen %" PRIu64 ", filtered %" PRIu64 ", passed %" PRIu64
            ", lifecycle seen %" PRIu64 ", passed %" PRIu64 ", decoded %" PRIu64 ", lost %" PRIu64
            ", decode errors %" PRIu64 "%s%s\n",
            l->cfg->prog, k->seen, k->filtered, k->passed, k->lc_seen, k->lc_passed,
            l->sum->decoded, k->rb_fail + k->no_scratch, l->sum->decode_errors,
            extra[0] ? ", " : "", extra);
}

static int start(loop *l, char *err, size_t errlen)
{
    const sgc_runloop_config *cfg = l->cfg;
    l->bpf = sgc_bpf_open(&cfg->bpf, on_record, l, err, errlen);
    if (!l->bpf) return -1;
    l->sum->nprograms = sgc_bpf_attached_count(l->bpf);
    l->sum->nsyscalls = (int)cfg->bpf.nsyscalls;
    l->sum->procs_scanned = cfg->pt ? sgc_procfs_scan(cfg->pt, NULL) : 0;
    if (l->sum->procs_scanned < 0)
        sgc_log(SGC_LOG_WARNING, cfg->prog,
                "warning: cannot list /proc: processes started before sgc have no context");
    else if (cfg->pt)
        l->sum->procs_on_host = sgc_cid_seed(l->bpf, cfg->pt); /* before any record is read */
    sgc_unames_start(&l->unames, sgc_bpf_unames_fd(l->bpf),
                     cfg->pt ? sgc_proctable_users(cfg->pt) : NULL);
    if (l->unames.fd >= 0 && l->unames.uc)
        sgc_log(SGC_LOG_INFO, cfg->prog, "kernel filter: %zu user and %zu group names of the host",
                l->unames.users, l->unames.groups);
    if (cfg->on_ready && cfg->on_ready(cfg->ud) != 0) {
        snprintf(err, errlen, "could not start");
        return -1;
    }
    sgc_loss_totals t;
    read_totals(l, &t);
    sgc_drops_init(&l->drops, &t);
    sgc_log(SGC_LOG_INFO, cfg->prog, "attached %d programs, watching %d syscalls (%s)",
            l->sum->nprograms, l->sum->nsyscalls,
            cfg->mode             ? cfg->mode
            : cfg->bpf.nopushdown ? "no pushdown"
                                  : "pushdown");
    /* systemd Type=notify: ready once attached (a no-op elsewhere) */
    char state[128];
    snprintf(state, sizeof state, "READY=1\nSTATUS=attached %d programs, watching %d syscalls",
             l->sum->nprograms, l->sum->nsyscalls);
    if (sgc_sd_notify(state) < 0)
        sgc_log(SGC_LOG_WARNING, cfg->prog, "warning: cannot notify systemd: %s", strerror(errno));
    return 0;
}

int sgc_runloop_run(const sgc_runloop_config *cfg, sgc_runloop_summary *sum, char *err,
                    size_t errlen)
{
    memset(sum, 0, sizeof *sum);
    loop l = {.cfg = cfg, .sum = sum};
    struct sigaction old_int, old_term;
    g_stop_signal = 0;
    install_handlers(&old_int, &old_term);
    if (start(&l, err, errlen) != 0) {
        sgc_bpf_close(l.bpf);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        return -1;
    }
    /* --duration counts from readiness: loading can take seconds */
    uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
    uint64_t end = cfg->duration_s > 0 ? t0 + (uint64_t)(cfg->duration_s * 1e9) : UINT64_MAX;
    uint64_t every = cfg->stats_interval_s > 0 ? (uint64_t)(cfg->stats_interval_s * 1e9) : 0;
    uint64_t next_stats = every ? t0 + every : UINT64_MAX;
    uint64_t next_refresh = cfg->live ? t0 + 1000000000ull : UINT64_MAX;
    uint64_t next_names = t0 + 1000000000ull;
    if (cfg->live) *cfg->live = sum;
    if (cfg->running) *cfg->running = l.bpf;
    bool delivered = false;
    while (!g_stop_signal) {
        uint64_t now = clock_ns(CLOCK_MONOTONIC);
        if (now >= end) break;
        if (now >= next_refresh) {
            struct sgc_bpf_counters c;
            if (sgc_bpf_read_counters(l.bpf, &c) == 0) sum->kernel = c;
            sgc_bpf_ring_usage(l.bpf, &sum->ringbuf_used, &sum->ringbuf_size);
            next_refresh = now + 1000000000ull;
        }
        if (now >= next_names) { /* the host's account files changed? */
            if (sgc_unames_check(&l.unames))
                sgc_log(SGC_LOG_INFO, cfg->prog,
                        "the host's accounts changed: %zu user and %zu group names reloaded",
                        l.unames.users, l.unames.groups);
            next_names = now + 1000000000ull;
        }
        if (now >= next_stats) {
            check_losses(&l);
            if (cfg->verbose) print_stats_line(&l);
            next_stats = now + every;
        }
        uint64_t wait_ns = (end < next_stats ? end : next_stats) - now;
        int ms = wait_ns / 1000000 < POLL_MS ? (int)(wait_ns / 1000000) + 1 : POLL_MS;
        if (delivered && ms > FOLLOW_UP_POLL_MS) ms = FOLLOW_UP_POLL_MS;
        uint64_t urgent = l.urgent;
        int rc = sgc_bpf_poll(l.bpf, ms);
        delivered = l.urgent > urgent;
        if (rc < 0 && rc != -EINTR) {
            fprintf(stderr, "%s: reading the ring buffer failed: %s\n", cfg->prog, strerror(-rc));
            break;
        }
        if (cfg->on_tick) cfg->on_tick(cfg->ud);
    }
    sum->stop_signal = g_stop_signal;
    sgc_sd_notify("STOPPING=1");
    if (cfg->running) *cfg->running = NULL; /* stopping: no reload commits now */
    sgc_bpf_drain(l.bpf);
    if (cfg->on_tick) cfg->on_tick(cfg->ud);
    check_losses(&l);
    sum->elapsed_s = (double)(clock_ns(CLOCK_MONOTONIC) - t0) / 1e9;
    sgc_bpf_close(l.bpf);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return 0;
}

void sgc_runloop_print_summary(FILE *f, const char *prog, const sgc_runloop_summary *s,
                               const char *extra)
{
    const struct sgc_bpf_counters *k = &s->kernel;
    fprintf(f, "%s: stopped after %.1f s%s\n", prog, s->elapsed_s,
            s->stop_signal == SIGINT    ? " (SIGINT)"
            : s->stop_signal == SIGTERM ? " (SIGTERM)"
                                        : "");
    fprintf(f,
            "%s: kernel: %" PRIu64 " events seen, %" PRIu64 " filtered, %" PRIu64
            " passed, %" PRIu64 " lost (ring buffer full), %" PRIu64 " truncated\n",
            prog, k->seen, k->filtered, k->passed, k->rb_fail, k->too_big);
    fprintf(f,
            "%s: kernel: %" PRIu64 " process lifecycle records (exec/fork/exit) seen, %" PRIu64
            " passed\n",
            prog, k->lc_seen, k->lc_passed);
    fprintf(f,
            "%s: kernel: %" PRIu64
            " exec records no rule can match (sent for the process table only)\n",
            prog, k->exec_no_rule);
    if (k->no_scratch)
        fprintf(f, "%s: kernel: %" PRIu64 " lost (no free scratch buffer)\n", prog, k->no_scratch);
    fprintf(f, "%s: runtime: %" PRIu64 " records, %" PRIu64 " decoded, %" PRIu64 " decode errors\n",
            prog, s->records, s->decoded, s->decode_errors);
    if (extra && extra[0]) fprintf(f, "%s: %s\n", prog, extra);
    uint64_t lost = k->rb_fail + k->no_scratch + s->decode_errors;
    if (lost)
        fprintf(f, "%s: warning: %" PRIu64 " events were lost; detection was incomplete\n", prog,
                lost);
}

void sgc_runloop_request_stop(void) { g_stop_signal = -1; }

int sgc_runloop_stop_signal(void) { return g_stop_signal; }
