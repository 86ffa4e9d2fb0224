/* See run_reload.h. */
#include "run_reload.h"
#include "run_watch.h"

#include "diag_format.h"
#include "enforce.h"
#include "internal_alert.h"
#include "sgclog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define RELOAD_RULE    "sgc internal: reload failed"
#define WATCH_QUIET_MS 200

/* One rule set and the configuration it came from. */
typedef struct generation {
    live_rules *lr; /* NULL for the first: the caller's */
    sgc_conf *cfg;  /* NULL for the first */
    sgc_strlist files;
} generation;

/* What the worker makes: a generation ready to take over, or why not. */
typedef struct attempt {
    generation g;
    sgc_pipeline_rules *rules;
    struct sgc_bpf_next *next;
    char why[1024];
} attempt;

struct run_reload {
    run_reload_opts o;
    generation cur, prev;
    uint32_t gen; /* of the rules in force: 1 for the first */
    run_watch *watch;
    bool requested;
    uint64_t requested_ms;
    /* the worker */
    pthread_t thread;
    bool working;
    atomic_bool done;
    struct sgc_bpf *bpf;
    attempt a;
};

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void generation_free(generation *g)
{
    if (g->lr) {
        live_rules_free(g->lr);
        free(g->lr);
    }
    if (g->cfg) {
        sgc_config_free(g->cfg);
        free(g->cfg);
    }
    sgc_strlist_free(&g->files);
    memset(g, 0, sizeof *g);
}

static const sgc_conf *cfg_of(const run_reload *r, const generation *g)
{
    return g->cfg ? g->cfg : r->o.first_cfg;
}

/* watch_config_files: the configuration files and rules files of g. */
static void watch_generation(run_reload *r, const generation *g)
{
    run_watch_free(r->watch);
    r->watch = NULL;
    const sgc_conf *c = cfg_of(r, g);
    if (!c->watch_config_files) return;
    sgc_strlist files = {0}, dirs = {0};
    for (int i = 0; i < c->loaded_files.n; i++) sgc_strlist_push(&files, c->loaded_files.v[i]);
    for (int i = 0; i < g->files.n; i++) sgc_strlist_push(&files, g->files.v[i]);
    for (int i = 0; i < c->rules_files.n; i++) {
        struct stat st;
        if (stat(c->rules_files.v[i], &st) == 0 && S_ISDIR(st.st_mode))
            sgc_strlist_push(&dirs, c->rules_files.v[i]);
    }
    char err[256];
    r->watch = run_watch_new((const char *const *)files.v, files.n, (const char *const *)dirs.v,
                             dirs.n, err, sizeof err);
    if (!r->watch)
        sgc_log(SGC_LOG_WARNING, r->o.prog, "warning: watch_config_files: %s; reload with SIGHUP",
                err);
    sgc_strlist_free(&files);
    sgc_strlist_free(&dirs);
}

run_reload *run_reload_new(const run_reload_opts *o)
{
    run_reload *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->o = *o;
    r->gen = 1;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_config_rules_paths(o->first_cfg, &r->cur.files, &d);
    sgc_diags_free(&d);
    watch_generation(r, &r->cur);
    return r;
}

/* ---- the worker: everything that takes time, off the loop's thread ------ */

static int load_config(run_reload *r, attempt *a)
{
    a->g.cfg = calloc(1, sizeof *a->g.cfg);
    if (!a->g.cfg || run_config_load(r->o.cli, a->g.cfg, r->o.prog) != 0) {
        snprintf(a->why, sizeof a->why, "the configuration has errors (printed above)");
        return -1;
    }
    sgc_diags d;
    sgc_diags_init(&d);
    int nerr = sgc_config_rules_paths(a->g.cfg, &a->g.files, &d);
    if (d.n) sgc_diags_print_text(stderr, &d);
    sgc_diags_free(&d);
    if (nerr) snprintf(a->why, sizeof a->why, "rules files missing (printed above)");
    return nerr ? -1 : 0;
}

static int load_rules(run_reload *r, attempt *a)
{
    live_load_opts lo = r->o.lo;
    lo.selection = a->g.cfg;
    lo.reload = true;
    a->g.lr = calloc(1, sizeof *a->g.lr);
    if (!a->g.lr) {
        snprintf(a->why, sizeof a->why, "out of memory");
        return -1;
    }
    if (live_rules_load(a->g.lr, r->o.prog, (const char *const *)a->g.files.v, a->g.files.n, &lo) !=
        0) {
        snprintf(a->why, sizeof a->why, "the rules have errors (printed above)");
        return -1;
    }
    if (!a->g.lr->interest.nrules) {
        snprintf(a->why, sizeof a->why, "the new rules have no enabled syscall rule");
        return -1;
    }
    sgc_engine_opts eo = sgc_engine_default_opts();
    run_config_engine_opts(a->g.cfg, &eo);
    sgc_diags d;
    sgc_diags_init(&d);
    a->rules = sgc_pipeline_rules_build(a->g.lr->rs, &eo, &d);
    if (d.nerrors) sgc_diags_print_text(stderr, &d);
    int bad = !a->rules || d.nerrors;
    sgc_diags_free(&d);
    if (bad) snprintf(a->why, sizeof a->why, "the rules' outputs have errors (printed above)");
    if (!bad) live_rules_compiled(a->g.lr);
    return bad ? -1 : 0;
}

static int load_programs(run_reload *r, attempt *a)
{
    if (r->o.enforce && r->o.enforce->n) a->g.lr->enforce = r->o.enforce;
    struct sgc_bpf_options bo = live_bpf_options(a->g.lr, false);
    uint32_t next = r->gen + 1;
    bo.gen = (uint16_t)(next & 0xffff ? next : next + 1);
    char err[512] = "";
    a->next = sgc_bpf_prepare(r->bpf, &bo, err, sizeof err);
    if (!a->next && a->g.lr->filter) {
        /* as at start (live_run): detection without the filter beats
         * keeping rules the files no longer hold */
        sgc_log(SGC_LOG_WARNING, r->o.prog,
                "warning: the new kernel filter could not be loaded (%s); the new rules run "
                "without it, every event of their syscalls goes to userspace",
                err);
        a->g.lr->filter = false;
        bo = live_bpf_options(a->g.lr, false);
        bo.gen = (uint16_t)(next & 0xffff ? next : next + 1);
        a->next = sgc_bpf_prepare(r->bpf, &bo, err, sizeof err);
    }
    if (!a->next) snprintf(a->why, sizeof a->why, "%s", err);
    return a->next ? 0 : -1;
}

static void *work(void *arg)
{
    run_reload *r = arg;
    attempt *a = &r->a;
    uint64_t t0 = now_ms();
    if (load_config(r, a) == 0) {
        uint64_t t1 = now_ms();
        if (load_rules(r, a) == 0) {
            uint64_t t2 = now_ms();
            load_programs(r, a);
            if (r->o.lo.verbose)
                fprintf(stderr,
                        "%s: reload: configuration %llu ms, rules and filter %llu ms, BPF "
                        "programs (verifier) %llu ms\n",
                        r->o.prog, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1),
                        (unsigned long long)(now_ms() - t2));
        }
    }
    atomic_store(&r->done, true);
    return NULL;
}

static void attempt_free(attempt *a)
{
    generation_free(&a->g);
    sgc_pipeline_rules_free(a->rules);
    sgc_bpf_next_free(a->next);
    memset(a, 0, sizeof *a);
}

static void start(run_reload *r, struct sgc_bpf *b)
{
    r->requested = false;
    r->bpf = b;
    memset(&r->a, 0, sizeof r->a);
    atomic_store(&r->done, false);
    sgc_log(SGC_LOG_INFO, r->o.prog, "reloading the configuration and the rules");
    r->working = pthread_create(&r->thread, NULL, work, r) == 0;
    if (!r->working) {
        snprintf(r->a.why, sizeof r->a.why, "cannot start the reload thread");
        atomic_store(&r->done, true);
    }
}

/* ---- on the loop's thread ----------------------------------------------- */

static void report_failure(run_reload *r, const char *why)
{
    sgc_log(SGC_LOG_ERR, r->o.prog, "reload failed, the running rules stay in force: %s", why);
    run_metrics_reloaded(r->o.metrics, false, NULL, NULL, 0);
    sgc_strbuf fields = {0};
    sgc_strbuf_puts(&fields, ",\"reload.error\":");
    sgc_strbuf_json_str(&fields, why, strlen(why));
    char what[1200];
    snprintf(what, sizeof what, "The new rules were not taken; the running ones stay: %s", why);
    if (r->o.out) sgc_internal_alert_emit(r->o.out, SGC_PRI_ERROR, RELOAD_RULE, what, fields.p);
    sgc_strbuf_free(&fields);
}

static void take_over(run_reload *r, struct sgc_bpf *b, sgc_pipeline *pl)
{
    attempt *a = &r->a;
    char err[512] = "";
    uint32_t gen = (uint32_t)sgc_bpf_next_gen(a->next);
    /* the kernel switches here; the userspace rules before any record of
     * the new generation is read (on this thread, after this returns) */
    if (sgc_bpf_commit(b, a->next, err, sizeof err) != 0) {
        a->next = NULL;
        report_failure(r, err);
        return;
    }
    a->next = NULL;
    sgc_pipeline_install_rules(pl, a->rules, gen);
    a->rules = NULL;
    generation_free(&r->prev); /* its records were all read before these */
    r->prev = r->cur;
    r->cur = a->g;
    memset(&a->g, 0, sizeof a->g);
    r->gen = gen;
    int nenabled = 0;
    for (int i = 0; i < r->cur.lr->rs->nrules; i++) nenabled += r->cur.lr->rs->rules[i]->enabled;
    sgc_log(SGC_LOG_INFO, r->o.prog,
            "reloaded in %.2f s: %d rules enabled, watching %d syscalls (%s, rule set %u)",
            (double)(now_ms() - r->requested_ms) / 1000.0, nenabled, r->cur.lr->interest.n,
            r->cur.lr->filter ? "pushdown" : "no kernel filter", gen);
    run_metrics_reloaded(r->o.metrics, true, r->cur.cfg, (const char *const *)r->cur.files.v,
                         r->cur.files.n);
    watch_generation(r, &r->cur);
}

void run_reload_request(run_reload *r)
{
    if (!r->requested) r->requested_ms = now_ms();
    r->requested = true;
}

void run_reload_tick(run_reload *r, struct sgc_bpf *b, sgc_pipeline *pl)
{
    if (!r) return;
    if (!b) { /* stopping: a reload under way is abandoned */
        if (r->working) pthread_join(r->thread, NULL);
        r->working = false;
        attempt_free(&r->a);
        return;
    }
    if (r->watch && run_watch_changed(r->watch, now_ms(), WATCH_QUIET_MS)) {
        sgc_log(SGC_LOG_INFO, r->o.prog, "a configuration or rules file changed");
        run_reload_request(r);
    }
    if (r->working && atomic_load(&r->done)) {
        pthread_join(r->thread, NULL);
        r->working = false;
        if (r->a.why[0])
            report_failure(r, r->a.why);
        else
            take_over(r, b, pl);
        attempt_free(&r->a);
    }
    if (r->requested && !r->working && b) start(r, b);
}

void run_reload_free(run_reload *r)
{
    if (!r) return;
    if (r->working) pthread_join(r->thread, NULL);
    attempt_free(&r->a);
    run_watch_free(r->watch);
    generation_free(&r->prev);
    generation_free(&r->cur);
    free(r);
}
