/* sgc run [RULES.yaml ...] [OPTIONS]
 * Live detection: load the rules (default: the embedded ones), capture the
 * syscalls they can match with the BPF programs, evaluate each event against
 * its candidate rules, print alerts as Falco does. Lost events raise the
 * internal alert "sgc internal: event drop" (runtime/pipeline/drops.h). Containers are
 * looked up in the container runtime's API off the event path
 * (runtime/containers/container_engine.h); when a new container's lookup finishes, the
 * `container` event (evt.type = container) is evaluated. Exit 0 after a
 * clean stop, 1 when the rules have errors or capture cannot start (nothing
 * stays attached) or alerts could not be written, 2 on a usage error. */
#include "commands.h"
#include "enforce.h"
#include "container_engine.h"
#include "diag_format.h"
#include "live_common.h"
#include "pipeline.h"
#include "run_k8saudit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROG "sgc run"

/* How often finished container lookups are collected (at most). */
#define CONTAINER_POLL_NS 100000000ull

static void usage(FILE *out)
{
    fputs("usage: sgc run [RULES.yaml ... | ARTIFACT] [OPTIONS]\n"
          "\n"
          "Detect: capture the syscalls the rules can match with eBPF, drop in the kernel\n"
          "the events no rule can match, evaluate the rest, print alerts. Rules files are\n"
          "compiled (with clang; cached) or given as an artifact of 'sgc compile'.\n"
          "Without rules, the embedded default rules.\n"
          "Stops on SIGINT/SIGTERM (or after --duration) with a summary on stderr.\n"
          "\n"
          "options:\n"
          "  --json               alerts as JSON lines\n"
          "  -o, --output FILE    append alerts to FILE instead of stdout\n"
          "  --duration SECONDS   stop after this long\n"
          "  --no-pushdown        the kernel passes every event of the rules' syscalls and\n"
          "                       userspace filters them all (Falco's architecture; baseline)\n"
          "  --min-priority P     drop alerts less severe than P (emergency ... debug)\n"
          "  --all-matches        report every matching rule (default: the first, as Falco)\n"
          "  --stats-interval S   read the kernel counters every S seconds (default 10);\n"
          "                       lost events are reported then\n"
          "  --ringbuf-bytes N    ring buffer size, a power of two >= 4096 (default 4 MiB)\n"
          "  --time-iso8601       ISO 8601 (UTC) times in text alerts\n"
          "  --enforce RULE=ACT   kill (SIGKILL; in the kernel where it decides RULE\n"
          "                       completely, else from userspace) or audit (report only)\n"
          "                       the process of each RULE alert (repeatable; docs/enforce.md)\n"
          "  --enforce-allow X    never kill processes named X, or in container X (an id,\n"
          "                       or container:NAME) (repeatable)\n"
          "  -v, --verbose        the watched syscalls, rule warnings, periodic stats\n"
          "                       (-vv: libbpf's debug output too)\n"
          "  -h, --help           show this help\n"
          "\n",
          out);
    run_sources_usage(out);
    fputs("\ndocs/running.md explains the summary and the drop alert.\n", out);
}

typedef struct run_state {
    sgc_pipeline *pl;
    sgc_container_engine *ce;   /* NULL: metadata lookups off (fields <NA>) */
    sgc_output_config out_cfg;  /* for the internal drop alert */
    unsigned long long drop_alerts;
    uint64_t last_container_poll_ns;
} run_state;

static void on_event(void *ud, const sgc_evt *ev)
{
    run_state *s = ud;
    /* notices new containers, holds their events while their lookup runs */
    sgc_pipeline_record(s->pl, ev);
}

/* after the /proc scan: the containers already running */
static int on_ready(void *ud)
{
    run_state *s = ud;
    sgc_pipeline_see_all(s->pl);
    return 0;
}

/* Finished container lookups: stored, `container` event, held events
 * released. Every pass while events are held (they wait for it), else at
 * most every CONTAINER_POLL_NS. */
static void on_tick(void *ud)
{
    run_state *s = ud;
    if (!s->ce)
        return;
    uint64_t now = sgc_pipeline_now_ns();
    if (sgc_pipeline_held(s->pl) || now - s->last_container_poll_ns >= CONTAINER_POLL_NS) {
        s->last_container_poll_ns = now;
        sgc_pipeline_poll_containers(s->pl);
    }
    sgc_pipeline_tick(s->pl, now);
}

static void on_drops(void *ud, const sgc_drop_report *r)
{
    run_state *s = ud;
    if (sgc_drop_alert_emit(&s->out_cfg, r) == 0)
        s->drop_alerts++;
    else
        fprintf(stderr, PROG ": the drop alert could not be written\n");
}

static void describe(void *ud, char *buf, size_t len)
{
    run_state *s = ud;
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(s->pl, &st);
    snprintf(buf, len, "evaluated %llu, alerts %llu", st.events, st.out.emitted);
}

typedef struct run_args {
    sgc_pipeline_opts po;
    double duration_s, stats_interval_s;
    bool nopushdown;
    int verbose;
    uint32_t ringbuf_bytes;
    const char **rules;
    int nrules;
    run_sources src;
    sgc_enforce enf;
} run_args;

/* 0 ok, 2 usage error (printed), -1 --help printed */
static int parse_args(int argc, char **argv, run_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (o[0] != '-') {
            a->rules[a->nrules++] = o;
        } else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(o, "--json")) {
            a->po.out.json = true;
        } else if (!strcmp(o, "--all-matches")) {
            a->po.engine.mode = SGC_MATCH_ALL;
        } else if (!strcmp(o, "--no-pushdown")) {
            a->nopushdown = true;
        } else if (!strcmp(o, "--time-iso8601")) {
            a->po.out.time_iso8601 = true;
        } else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
            a->verbose++;
        } else if (!strcmp(o, "-vv")) {
            a->verbose += 2;
        } else if (!strncmp(o, "--enable-source", 15) || !strncmp(o, "--disable-source", 16) ||
                   !strncmp(o, "--k8s-audit", 11)) {
            int rc = run_sources_parse(&a->src, argc, argv, &i, PROG);
            if (rc != 1) {
                if (rc == 0) {
                    fprintf(stderr, PROG ": unknown option '%s'\n", o);
                    usage(stderr);
                }
                return 2;
            }
        } else if (!val && (!strcmp(o, "--enforce") || !strcmp(o, "--enforce-allow"))) {
            fprintf(stderr, PROG ": missing value for '%s'\n", o);
            return 2;
        } else if (!strcmp(o, "--enforce")) {
            char err[256];
            if (sgc_enforce_add(&a->enf, argv[++i], err, sizeof err)) {
                fprintf(stderr, PROG ": %s\n", err);
                return 2;
            }
        } else if (!strcmp(o, "--enforce-allow")) {
            sgc_enforce_allow(&a->enf, argv[++i]);
        } else if (!val && (!strcmp(o, "-o") || !strcmp(o, "--output") ||
                            !strcmp(o, "--duration") || !strcmp(o, "--min-priority") ||
                            !strcmp(o, "--stats-interval") || !strcmp(o, "--ringbuf-bytes"))) {
            fprintf(stderr, PROG ": missing value for '%s'\n", o);
            return 2;
        } else if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
            a->po.out.file = argv[++i];
            a->po.out.to_stdout = false;
        } else if (!strcmp(o, "--duration") || !strcmp(o, "--stats-interval")) {
            double *dst = !strcmp(o, "--duration") ? &a->duration_s : &a->stats_interval_s;
            if (!live_parse_seconds(argv[++i], dst)) {
                fprintf(stderr, PROG ": %s needs a positive number of seconds, not '%s'\n", o,
                        argv[i]);
                return 2;
            }
        } else if (!strcmp(o, "--min-priority")) {
            int p = sgc_priority_parse(argv[++i]);
            if (p < 0) {
                fprintf(stderr, PROG ": unknown priority '%s'\n", argv[i]);
                return 2;
            }
            a->po.out.min_priority = p;
            a->po.engine.min_priority = (sgc_priority)p;
        } else if (!strcmp(o, "--ringbuf-bytes")) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 0);
            if (*end || n < 4096 || n > (1ul << 30) || (n & (n - 1))) {
                fprintf(stderr, PROG ": --ringbuf-bytes needs a power of two >= 4096\n");
                return 2;
            }
            a->ringbuf_bytes = (uint32_t)n;
        } else {
            fprintf(stderr, PROG ": unknown option '%s'\n", o);
            usage(stderr);
            return 2;
        }
    }
    return run_sources_resolve(&a->src, PROG);
}

/* The k8s_audit source, when enabled: started before the capture, NULL
 * otherwise. Returns -1 (printed) when it cannot start. */
static int start_k8saudit(run_args *a, const sgc_ruleset *rs, sgc_ka_source **out)
{
    *out = NULL;
    if (!a->src.k8s_on)
        return 0;
    sgc_ka_pipeline_opts ko;
    sgc_ka_pipeline_default_opts(&ko);
    ko.out = a->po.out;
    ko.engine.mode = a->po.engine.mode;
    ko.engine.min_priority = a->po.engine.min_priority;
    ko.cluster_name = a->src.cluster_name;
    sgc_diags d;
    sgc_diags_init(&d);
    char err[512] = "";
    *out = sgc_ka_source_start(&a->src.k8s, rs, &ko, &d, err, sizeof err);
    if (d.n)
        sgc_diags_print_text(stderr, &d);
    int bad = d.nerrors;
    sgc_diags_free(&d);
    if (!*out || bad) {
        fprintf(stderr, PROG ": k8s_audit source: %s\n", *out ? "rules failed to compile" : err);
        sgc_ka_source_stop(*out, NULL);
        *out = NULL;
        return -1;
    }
    const sgc_k8s_audit_config *k = &a->src.k8s;
    if (k->listen_port > 0)
        fprintf(stderr, PROG ": k8s_audit: webhook listening on %s://%s:%d%s%s\n",
                k->tls.cert ? "https" : "http", k->listen_address ? k->listen_address : "0.0.0.0",
                sgc_ka_source_port(*out), k->path ? k->path : "/k8s-audit",
                k->tls.client_ca ? " (client certificates required)" : "");
    for (int i = 0; i < k->nfiles; i++)
        fprintf(stderr, PROG ": k8s_audit: following %s\n", k->files[i]);
    return 0;
}

/* Only the k8s_audit source: no kernel capture at all. */
static int run_k8saudit_only(run_args *a, live_rules *lr)
{
    sgc_ka_source *ka;
    if (start_k8saudit(a, lr->rs, &ka) != 0)
        return 1;
    fprintf(stderr, PROG ": ready: k8s_audit source only, no kernel capture\n");
    run_wait_for_stop(a->duration_s);
    sgc_ka_source_stats st;
    sgc_ka_source_stop(ka, &st);   /* evaluates what was queued first */
    run_k8saudit_summary(stderr, PROG, &st);
    return 0;
}

static int run(run_args *a)
{
    live_rules lr;
    live_load_opts lo = {.verbose = a->verbose > 0, .no_pushdown = a->nopushdown,
                         .emits_container_events = true, .rules_only = !a->src.syscall_on,
                         .syscall_optional = a->src.k8s_on};
    int rc = live_rules_load(&lr, PROG, a->rules, a->nrules, &lo);
    if (rc) {
        live_rules_free(&lr);
        return rc;
    }
    run_sources_warn_skipped(&a->src, lr.rs, PROG);
    for (int i = 0; i < a->enf.n; i++) {
        bool found = false;
        for (int r = 0; r < lr.rs->nrules && !found; r++)
            found = !strcmp(lr.rs->rules[r]->name, a->enf.v[i].rule) && lr.rs->rules[r]->enabled;
        if (!found) {
            fprintf(stderr, PROG ": --enforce: no enabled rule named '%s'\n", a->enf.v[i].rule);
            live_rules_free(&lr);
            return 2;
        }
    }
    if (a->enf.n) {
        a->po.enforce = &a->enf;
        lr.enforce = &a->enf;
    }
    if (!a->src.syscall_on || !lr.interest.nrules) {
        rc = run_k8saudit_only(a, &lr);
        live_rules_free(&lr);
        return rc;
    }
    int status = 0;
    char err[512] = "";
    sgc_diags diags;
    sgc_diags_init(&diags);
    sgc_ka_source *ka = NULL;
    a->po.boot_to_wall_ns = sgc_boot_to_wall_ns();
    run_state s = {0};
    s.out_cfg = a->po.out;
    s.pl = sgc_pipeline_new(lr.rs, &a->po, &diags, err, sizeof err);
    if (diags.n)
        sgc_diags_print_text(stderr, &diags);
    if (!s.pl || diags.nerrors) {
        fprintf(stderr, PROG ": %s; nothing attached\n",
                s.pl ? "rules or outputs failed to compile" : err);
        status = 1;
        goto out;
    }
    /* open the outputs now: a bad -o path is an error before attaching */
    if (sgc_pipeline_set_hostname(s.pl, NULL, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        status = 1;
        goto out;
    }

    if (start_k8saudit(a, lr.rs, &ka) != 0) {
        status = 1;
        goto out;
    }

    s.ce = sgc_container_engine_new(NULL);
    if (!s.ce)
        fprintf(stderr, PROG ": warning: the container engine client could not start: "
                        "container metadata fields stay <NA>\n");
    sgc_pipeline_attach_engine(s.pl, s.ce);

    sgc_runloop_config cfg = {0};
    cfg.prog = PROG;
    cfg.bpf.ringbuf_bytes = a->ringbuf_bytes;
    cfg.duration_s = a->duration_s;
    cfg.stats_interval_s = a->stats_interval_s;
    cfg.verbose = a->verbose > 0;
    cfg.pt = sgc_pipeline_proctable(s.pl);
    cfg.ud = &s;
    cfg.on_ready = on_ready;
    cfg.on_event = on_event;
    cfg.on_tick = on_tick;
    cfg.on_drops = on_drops;
    cfg.describe = describe;
    sgc_runloop_summary sum;
    if (a->enf.n)
        fprintf(stderr, PROG ": enforcing %d rule(s); in-kernel kill %s\n", a->enf.n,
                lr.filter ? "where the kernel decides a rule completely (sgc explain --enforce)"
                          : "off (no kernel filter): every kill from userspace");
    if (live_run(&lr, &lo, &cfg, &sum, a->verbose > 1, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": cannot start capture: %s\n", err);
        status = 1;
        goto out;
    }
    sgc_pipeline_finish_containers(s.pl);
    if (ka) {
        sgc_ka_source_stats kst;
        sgc_ka_source_stop(ka, &kst);
        ka = NULL;
        run_k8saudit_summary(stderr, PROG, &kst);
    }
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(s.pl, &st);
    char extra[512];
    snprintf(extra, sizeof extra,
             "rules: %llu events evaluated, %llu alerts (%llu below --min-priority), "
             "%llu drop alerts\n" PROG ": "
             "containers: %llu container events; events held for metadata %llu "
             "(released %llu, expired %llu); %llu exited containers forgotten",
             st.events, st.out.emitted, st.out.filtered, s.drop_alerts, st.container_events,
             st.held, st.released, st.expired, st.containers_forgotten);
    sgc_runloop_print_summary(stderr, PROG, &sum, extra);
    if (st.out.write_errors) {
        fprintf(stderr, PROG ": %llu alerts could not be written\n", st.out.write_errors);
        status = 1;
    }
out:
    sgc_ka_source_stop(ka, NULL);
    sgc_container_engine_free(s.ce);  /* before the pipeline its callbacks fill */
    sgc_pipeline_free(s.pl);
    sgc_diags_free(&diags);
    live_rules_free(&lr);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {0};
    sgc_pipeline_default_opts(&a.po);
    run_sources_init(&a.src);
    a.stats_interval_s = 10;
    a.rules = calloc((size_t)argc + 1, sizeof *a.rules);
    if (!a.rules)
        return 1;
    int rc = parse_args(argc, argv, &a);
    if (rc == 0)
        rc = run(&a);
    sgc_enforce_free(&a.enf);
    if (rc < 0)
        rc = 0;
    free(a.rules);
    return rc;
}
