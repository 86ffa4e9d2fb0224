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
#include "container_engine.h"
#include "diag_format.h"
#include "live_common.h"
#include "pipeline.h"
#include "outputs_build.h"
#include "run_config.h"
#include "run_drops.h"
#include "run_metrics.h"
#include "run_k8saudit.h"
#include "run_reload.h"
#include "enforce.h"
#include "artifact.h"
#include "frontend.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROG "sgc run"

/* How often finished container lookups are collected (at most). */
#define CONTAINER_POLL_NS 100000000ull
/* How often output losses are checked for the internal alert. */
#define LOSS_CHECK_NS     1000000000ull

static volatile sig_atomic_t reopen_requested, reload_requested;

static void on_sigusr1(int sig)
{
    (void)sig;
    reopen_requested = 1;
}

static void on_sighup(int sig)
{
    (void)sig;
    reload_requested = 1;
}

static void usage(FILE *out)
{
    fputs("usage: sgc run [-c sgc.yaml] [RULES.yaml ... | ARTIFACT] [OPTIONS]\n"
          "\n"
          "Detect: capture the syscalls the rules can match with eBPF, drop in the kernel\n"
          "the events no rule can match, evaluate the rest, print alerts. Rules files are\n"
          "compiled (with clang; cached) or given as an artifact of 'sgc compile'.\n"
          "Without rules, the embedded default rules.\n"
          "Stops on SIGINT/SIGTERM (or after --duration) with a summary on stderr.\n"
          "SIGHUP (and, with watch_config_files, a change of a loaded file) reloads the\n"
          "configuration and the rules without a gap; SIGUSR1 reopens the outputs.\n"
          "\n"
          "options:\n"
          "  -c, --config FILE    the configuration (falco.yaml's schema; default\n"
          "                       /etc/sgc/sgc.yaml when it exists; docs/configuration.md)\n"
          "  -o KEY=VALUE         set a configuration key (a.b, list[i], YAML values)\n"
          "  -r, --rules PATH     rules file or directory (replaces rules_files; repeatable)\n"
          "  --dry-run            check the configuration and the rules, then exit\n"
          "  --json               alerts as JSON lines\n"
          "  -o, --output FILE    (no '=') append alerts to FILE instead of stdout\n"
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
          "\n"
          "docs/running.md explains the summary and the drop alert.\n",
          out);
    run_sources_usage(out);
}

typedef struct run_state {
    sgc_pipeline *pl;
    sgc_container_engine *ce;  /* NULL: metadata lookups off (fields <NA>) */
    sgc_output_config out_cfg; /* for the internal drop alert */
    unsigned long long drop_alerts, loss_alerts;
    uint64_t last_container_poll_ns;
    sgc_outq *q; /* the output engine */
    uint64_t last_loss_check_ns;
    uint64_t lost[SGC_OUTQ_MAX_OUTPUTS]; /* per output, at the last loss alert */
    run_metrics *metrics;                /* /healthz, /metrics */
    run_reload *reload;                  /* SIGHUP, watch_config_files */
    struct sgc_bpf *bpf;                 /* the running capture (runloop) */
    run_drops drops;                     /* syscall_event_drops */
} run_state;

/* SIGUSR1: files reopened, programs restarted; losses: the internal alert */
static void check_outputs(run_state *s, uint64_t now)
{
    if (reopen_requested) {
        reopen_requested = 0;
        sgc_outq_reopen(s->q);
    }
    if (now - s->last_loss_check_ns < LOSS_CHECK_NS) return;
    s->last_loss_check_ns = now;
    uint64_t cur[SGC_OUTQ_MAX_OUTPUTS] = {0};
    bool more = false;
    for (int i = 0; i < sgc_outq_count(s->q); i++) {
        sgc_outq_stats st;
        sgc_outq_get_stats(s->q, i, &st);
        cur[i] = st.failed + st.dropped;
        more |= cur[i] != s->lost[i];
    }
    if (!more) return;
    sgc_output_loss_alert(s->q, &s->out_cfg, s->lost, cur);
    memcpy(s->lost, cur, sizeof cur);
    s->loss_alerts++;
}

static void on_event(void *ud, const sgc_evt *ev)
{
    run_state *s = ud;
    run_metrics_event(s->metrics, ev);
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
    uint64_t now = sgc_pipeline_now_ns();
    if (s->q) check_outputs(s, now);
    if (reload_requested) {
        reload_requested = 0;
        run_reload_request(s->reload);
    }
    run_reload_tick(s->reload, s->bpf, s->pl);
    run_metrics_tick(s->metrics, now, s->pl, s->q, s->drop_alerts);
    if (!s->ce) return;
    if (sgc_pipeline_held(s->pl) || now - s->last_container_poll_ns >= CONTAINER_POLL_NS) {
        s->last_container_poll_ns = now;
        sgc_pipeline_poll_containers(s->pl);
    }
    sgc_pipeline_tick(s->pl, now);
}

static void on_drops(void *ud, const sgc_drop_report *r)
{
    run_state *s = ud;
    run_drops_handle(&s->drops, PROG, &s->out_cfg, r);
    s->drop_alerts = s->drops.alerts;
}

static void describe(void *ud, char *buf, size_t len)
{
    run_state *s = ud;
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(s->pl, &st);
    snprintf(buf, len, "evaluated %llu, alerts %llu", st.events, st.out.emitted);
}

typedef struct run_args {
    run_cli cli;
    sgc_conf cfg;
    sgc_pipeline_opts po;
    const char **rules;
    int nrules;
    run_sources src; /* which event sources run; the k8s_audit source's options */
    sgc_enforce enf; /* sgc.yaml's enforce list, then --enforce */
    int argc;        /* the command line, read again over the configuration */
    char **argv;
} run_args;

/* --enable-source, --disable-source, --k8s-audit*: 1 when argv[*i] is one
 * (consumed, with its value), 0 when not, 2 on a usage error (printed). */
static int source_option(run_sources *s, int argc, char **argv, int *i)
{
    const char *o = argv[*i];
    if (strncmp(o, "--enable-source", 15) && strncmp(o, "--disable-source", 16) &&
        strncmp(o, "--k8s-audit", 11))
        return 0;
    int rc = run_sources_parse(s, argc, argv, i, PROG);
    if (rc == 0) {
        fprintf(stderr, PROG ": unknown option '%s'\n", o);
        usage(stderr);
        return 2;
    }
    return rc;
}

/* --enforce RULE=ACT, --enforce-allow X: 1 when argv[*i] is one (consumed),
 * 0 when not, 2 on a usage error (printed). */
static int enforce_option(sgc_enforce *e, int argc, char **argv, int *i)
{
    const char *o = argv[*i];
    if (strcmp(o, "--enforce") && strcmp(o, "--enforce-allow")) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, PROG ": missing value for '%s'\n", o);
        return 2;
    }
    const char *v = argv[++*i];
    char err[256];
    if (!strcmp(o, "--enforce-allow"))
        return sgc_enforce_allow(e, v) == 0 ? 1 : (fprintf(stderr, PROG ": out of memory\n"), 2);
    if (sgc_enforce_add(e, v, err, sizeof err)) {
        fprintf(stderr, PROG ": %s\n", err);
        return 2;
    }
    return 1;
}

static bool takes_value(const char *o)
{
    static const char *const opts[] = {"-o",
                                       "--output",
                                       "--duration",
                                       "--min-priority",
                                       "--stats-interval",
                                       "--ringbuf-bytes",
                                       "-c",
                                       "--config",
                                       "-r",
                                       "--rules",
                                       NULL};
    for (const char *const *p = opts; *p; p++)
        if (!strcmp(o, *p)) return true;
    return false;
}

/* Today's flags: checked here (usage errors, exit 2), then set as config
 * keys (run_config.h). 0 ok, 2 usage error (printed), -1 --help printed. */
static int parse_args(int argc, char **argv, run_args *a)
{
    run_cli *c = &a->cli;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (o[0] != '-') {
            sgc_strlist_push(&c->rules, o);
        } else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(o, "--json")) {
            run_cli_set(c, "json_output", "true");
        } else if (!strcmp(o, "--all-matches")) {
            run_cli_set(c, "rule_matching", "all");
        } else if (!strcmp(o, "--no-pushdown")) {
            run_cli_set(c, "sgc.pushdown", "false");
        } else if (!strcmp(o, "--time-iso8601")) {
            run_cli_set(c, "time_format_iso_8601", "true");
        } else if (!strcmp(o, "--dry-run")) {
            c->dry_run = true;
        } else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
            c->verbose++;
        } else if (!strcmp(o, "-vv")) {
            c->verbose += 2;
        } else if (!strncmp(o, "--enable-source", 15) || !strncmp(o, "--disable-source", 16) ||
                   !strncmp(o, "--k8s-audit", 11) || !strcmp(o, "--enforce") ||
                   !strcmp(o, "--enforce-allow")) {
            /* checked now, applied over sgc.yaml's keys by apply_sources() */
            run_sources scratch;
            sgc_enforce escratch = {0};
            run_sources_init(&scratch);
            int rc = source_option(&scratch, argc, argv, &i);
            if (!rc) rc = enforce_option(&escratch, argc, argv, &i);
            sgc_enforce_free(&escratch);
            if (rc != 1) return 2;
        } else if (!val && takes_value(o)) {
            fprintf(stderr, PROG ": missing value for '%s'\n", o);
            return 2;
        } else if (!strcmp(o, "-c") || !strcmp(o, "--config")) {
            c->config_file = argv[++i];
        } else if (!strcmp(o, "-r") || !strcmp(o, "--rules")) {
            sgc_strlist_push(&c->rules, argv[++i]);
        } else if ((!strcmp(o, "-o") || !strcmp(o, "--output")) && strchr(val, '=')) {
            sgc_strlist_push(&c->overrides, argv[++i]); /* Falco's -o KEY=VALUE */
        } else if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
            /* today's meaning: the alerts file (instead of stdout) */
            run_cli_set(c, "file_output.enabled", "true");
            run_cli_set_string(c, "file_output.filename", argv[++i]);
            run_cli_set(c, "file_output.keep_alive", "true");
            run_cli_set(c, "stdout_output.enabled", "false");
        } else if (!strcmp(o, "--duration") || !strcmp(o, "--stats-interval")) {
            double d;
            if (!live_parse_seconds(argv[++i], &d)) {
                fprintf(stderr, PROG ": %s needs a positive number of seconds, not '%s'\n", o,
                        argv[i]);
                return 2;
            }
            run_cli_set(c, !strcmp(o, "--duration") ? "sgc.duration" : "sgc.stats_interval",
                        argv[i]);
        } else if (!strcmp(o, "--min-priority")) {
            if (sgc_priority_parse(argv[++i]) < 0) {
                fprintf(stderr, PROG ": unknown priority '%s'\n", argv[i]);
                return 2;
            }
            run_cli_set_string(c, "priority", argv[i]);
        } else if (!strcmp(o, "--ringbuf-bytes")) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 0);
            if (*end || n < 4096 || n > (1ul << 30) || (n & (n - 1))) {
                fprintf(stderr, PROG ": --ringbuf-bytes needs a power of two >= 4096\n");
                return 2;
            }
            char num[32];
            snprintf(num, sizeof num, "%lu", n);
            run_cli_set(c, "sgc.ringbuf_bytes", num);
        } else {
            fprintf(stderr, PROG ": unknown option '%s'\n", o);
            usage(stderr);
            return 2;
        }
    }
    c->no_default_config = getenv("SGC_NO_DEFAULT_CONFIG") != NULL;
    return 0;
}

/* The configuration, then the rules files it names. 0, or 1 (printed). */
static int load_config(run_args *a, sgc_strlist *rules)
{
    if (run_config_load(&a->cli, &a->cfg, PROG) != 0) return 1;
    sgc_diags d;
    sgc_diags_init(&d);
    int nerr = sgc_config_rules_paths(&a->cfg, rules, &d);
    if (d.n) sgc_diags_print_text(stderr, &d);
    sgc_diags_free(&d);
    if (nerr) {
        fprintf(stderr, PROG ": rules files missing; nothing started\n");
        return 1;
    }
    sgc_pipeline_default_opts(&a->po);
    if (run_config_pipeline_opts(&a->cli, &a->cfg, &a->po, PROG) != 0) return 1;
    a->rules = (const char **)rules->v;
    a->nrules = rules->n;
    return 0;
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* sgc.yaml's k8s_audit section and enforce list, then the command line's
 * source and enforcement options over them; then which sources run. 0, or 2
 * on a usage error (printed). */
static int apply_sources(run_args *a)
{
    const sgc_cfg_k8s_audit *k = &a->cfg.k8s_audit;
    run_sources *s = &a->src;
    if (k->enabled) {
        s->k8s.enabled = true;
        s->k8s.listen_address = k->listen_address;
        s->k8s.listen_port = k->listen_port;
        s->k8s.path = k->path;
        s->k8s.tls.cert = nonempty(k->tls_cert);
        s->k8s.tls.key = nonempty(k->tls_key);
        s->k8s.tls.client_ca = nonempty(k->tls_client_ca);
        s->k8s.max_event_bytes = (size_t)k->max_event_bytes;
        s->k8s.max_batch_bytes = (size_t)k->max_batch_bytes;
        s->k8s.files = (const char *const *)k->files.v;
        s->k8s.nfiles = k->files.n;
    }
    for (int i = 0; i < a->cfg.nenforce; i++) {
        const sgc_cfg_enforce *e = &a->cfg.enforce[i];
        char arg[1024], err[256];
        snprintf(arg, sizeof arg, "%s=%s", e->rule,
                 e->action == SGC_ENFORCE_AUDIT ? "audit" : "kill");
        if (sgc_enforce_add(&a->enf, arg, err, sizeof err)) {
            fprintf(stderr, PROG ": enforce: %s\n", err);
            return 2;
        }
    }
    for (int i = 1; i < a->argc; i++) {
        if (a->argv[i][0] != '-') continue;
        int rc = source_option(s, a->argc, a->argv, &i);
        if (!rc) rc = enforce_option(&a->enf, a->argc, a->argv, &i);
        if (rc == 2) return 2;
        if (!rc && takes_value(a->argv[i])) i++;
    }
    return run_sources_resolve(s, PROG);
}

/* --dry-run: the configuration and the rules are checked, nothing runs. */
static int dry_run(run_args *a)
{
    sgc_frontend fe;
    sgc_frontend_opts fopts = {0};
    fopts.embedded = sgc_embedded_rules;
    fopts.embedded_len = sgc_embedded_rules_len;
    fopts.embedded_name = sgc_embedded_rules_name;
    for (int i = 0; i < a->nrules; i++)
        if (sgc_artifact_is_artifact(a->rules[i]) == 1) {
            fprintf(stderr,
                    PROG ": dry run: configuration ok; %s is an artifact (not checked "
                         "again)\n",
                    a->rules[i]);
            return 0;
        }
    int nerrors = sgc_frontend_run(&fe, a->rules, a->nrules, &fopts);
    if (!nerrors) sgc_config_select_rules(&a->cfg, fe.rs);
    if (nerrors || a->cli.verbose) sgc_diags_print_text(stderr, fe.diags);
    int nenabled = 0;
    for (int i = 0; i < fe.rs->nrules; i++) nenabled += fe.rs->rules[i]->enabled;
    if (nerrors)
        fprintf(stderr, PROG ": dry run: %d error%s in the rules\n", nerrors,
                nerrors == 1 ? "" : "s");
    else
        fprintf(stderr,
                PROG ": dry run: configuration and rules ok (%d rules enabled, %d "
                     "rules file%s)\n",
                nenabled, a->nrules, a->nrules == 1 ? "" : "s");
    sgc_frontend_free(&fe);
    return nerrors ? 1 : 0;
}

/* The k8s_audit source, when enabled: started before the capture, NULL
 * otherwise. Returns -1 (printed) when it cannot start. */
static int start_k8saudit(run_args *a, const sgc_ruleset *rs, sgc_ka_source **out)
{
    *out = NULL;
    if (!a->src.k8s_on) return 0;
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
    if (d.n) sgc_diags_print_text(stderr, &d);
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
    if (start_k8saudit(a, lr->rs, &ka) != 0) return 1;
    fprintf(stderr, PROG ": ready: k8s_audit source only, no kernel capture\n");
    run_wait_for_stop(a->cfg.sgc.duration_s);
    sgc_ka_source_stats st;
    sgc_ka_source_stop(ka, &st); /* evaluates what was queued first */
    run_k8saudit_summary(stderr, PROG, &st);
    return 0;
}

/* The rules, checked against --enforce; 0, or the exit status (printed). */
static int load_rules(run_args *a, live_rules *lr, const live_load_opts *lo)
{
    int rc = live_rules_load(lr, PROG, a->rules, a->nrules, lo);
    if (rc) return rc;
    run_sources_warn_skipped(&a->src, lr->rs, PROG);
    for (int i = 0; i < a->enf.n; i++) {
        bool found = false;
        for (int r = 0; r < lr->rs->nrules && !found; r++)
            found = !strcmp(lr->rs->rules[r]->name, a->enf.v[i].rule) && lr->rs->rules[r]->enabled;
        if (!found) {
            fprintf(stderr, PROG ": enforce: no enabled rule named '%s'\n", a->enf.v[i].rule);
            return 2;
        }
    }
    if (a->enf.n) {
        a->po.enforce = &a->enf;
        lr->enforce = &a->enf;
    }
    return 0;
}

/* The outputs (checked: files opened, TLS material read; their threads
 * started), SIGUSR1, the web server. 0, or 1 (printed). */
static int start_outputs(run_args *a, run_state *s)
{
    char err[512] = "";
    s->q = sgc_outq_from_config(&a->cfg, err, sizeof err);
    if (!s->q || sgc_outq_start(s->q) != 0) {
        fprintf(stderr, PROG ": %s; nothing attached\n", s->q ? "output threads" : err);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN); /* a program output that exits is an error, not a kill */
    struct sigaction usr1 = {0};
    usr1.sa_handler = on_sigusr1;
    sigaction(SIGUSR1, &usr1, NULL);
    if (run_metrics_start(s->metrics, &a->cfg, a->rules, a->nrules, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s; nothing attached\n", err);
        return 1;
    }
    a->po.out.queue = s->q;
    a->po.out.on_alert = run_metrics_on_alert;
    a->po.out.on_alert_ud = s->metrics;
    s->out_cfg = a->po.out;
    run_drops_init(&s->drops, &a->cfg);
    return 0;
}

/* The userspace pipeline with its outputs open (a bad path is an error
 * before attaching) and the container engine. 0, or 1 (printed). */
static int start_pipeline(run_args *a, run_state *s, const live_rules *lr)
{
    char err[512] = "";
    sgc_diags diags;
    sgc_diags_init(&diags);
    s->pl = sgc_pipeline_new(lr->rs, &a->po, &diags, err, sizeof err);
    if (diags.n) sgc_diags_print_text(stderr, &diags);
    int nerrors = diags.nerrors;
    sgc_diags_free(&diags);
    if (!s->pl || nerrors) {
        fprintf(stderr, PROG ": %s; nothing attached\n",
                s->pl ? "rules or outputs failed to compile" : err);
        return 1;
    }
    if (sgc_pipeline_set_hostname(s->pl, NULL, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    s->ce = sgc_container_engine_new(NULL);
    if (!s->ce)
        fprintf(stderr, PROG ": warning: the container engine client could not start: "
                             "container metadata fields stay <NA>\n");
    sgc_pipeline_attach_engine(s->pl, s->ce);
    return 0;
}

static void runloop_config(const run_args *a, run_state *s, sgc_runloop_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->prog = PROG;
    cfg->bpf.ringbuf_bytes = a->cfg.sgc.ringbuf_bytes;
    cfg->duration_s = a->cfg.sgc.duration_s;
    cfg->stats_interval_s = a->cfg.sgc.stats_interval_s;
    cfg->verbose = a->cli.verbose > 0;
    cfg->pt = sgc_pipeline_proctable(s->pl);
    cfg->ud = s;
    cfg->on_ready = on_ready;
    cfg->on_event = on_event;
    cfg->on_tick = on_tick;
    cfg->on_drops = on_drops;
    cfg->describe = describe;
    cfg->live = &s->metrics->live;
    cfg->running = &s->bpf;
}

/* SIGHUP and watch_config_files (run_reload.h). */
static void start_reload(run_args *a, run_state *s, const live_load_opts *lo)
{
    run_reload_opts ro = {.prog = PROG,
                          .cli = &a->cli,
                          .lo = *lo,
                          .enforce = a->enf.n ? &a->enf : NULL,
                          .out = &s->out_cfg,
                          .metrics = s->metrics,
                          .first_cfg = &a->cfg};
    s->reload = run_reload_new(&ro);
    struct sigaction hup = {0};
    hup.sa_handler = on_sighup;
    sigaction(SIGHUP, &hup, NULL);
}

/* The summary at exit; queued alerts delivered within output_timeout, the
 * rest counted. Returns the exit status. */
static int finish(run_args *a, run_state *s, const sgc_runloop_summary *sum)
{
    int status = s->drops.exit_requested ? 1 : 0; /* syscall_event_drops: exit */
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(s->pl, &st);
    char extra[512];
    snprintf(extra, sizeof extra,
             "rules: %llu events evaluated, %llu alerts (%llu below --min-priority), "
             "%llu drop alerts\n" PROG ": "
             "containers: %llu container events; events held for metadata %llu "
             "(released %llu, expired %llu); %llu exited containers forgotten",
             st.events, st.out.emitted, st.out.filtered, s->drop_alerts, st.container_events,
             st.held, st.released, st.expired, st.containers_forgotten);
    sgc_runloop_print_summary(stderr, PROG, sum, extra);
    sgc_outq_stop(s->q, a->cfg.output_timeout_ms);
    sgc_outq_print_stats(s->q, stderr, PROG);
    uint64_t lost = sgc_outq_lost(s->q);
    if (st.out.write_errors || lost) {
        fprintf(stderr, PROG ": %llu alerts could not be written, %llu lost by the outputs\n",
                st.out.write_errors, (unsigned long long)lost);
        status = 1;
    }
    return status;
}

static int run(run_args *a)
{
    live_rules lr;
    live_load_opts lo = {.verbose = a->cli.verbose > 0,
                         .no_pushdown = !a->cfg.sgc.pushdown,
                         .emits_container_events = true,
                         .selection = &a->cfg,
                         .rules_only = !a->src.syscall_on,
                         .syscall_optional = a->src.k8s_on};
    int status = load_rules(a, &lr, &lo);
    if (status) {
        live_rules_free(&lr);
        return status;
    }
    char err[512] = "";
    sgc_ka_source *ka = NULL;
    a->po.boot_to_wall_ns = sgc_boot_to_wall_ns();
    static run_metrics metrics;
    run_state s = {.metrics = &metrics};
    if (start_outputs(a, &s) != 0) {
        status = 1;
    } else if (!a->src.syscall_on || !lr.interest.nrules) {
        /* the k8s_audit source alone: no kernel capture, the same outputs;
         * no reload there (docs/running.md): SIGHUP must not stop it */
        signal(SIGHUP, SIG_IGN);
        status = run_k8saudit_only(a, &lr);
        sgc_outq_stop(s.q, a->cfg.output_timeout_ms);
        sgc_outq_print_stats(s.q, stderr, PROG);
    } else if (start_pipeline(a, &s, &lr) != 0 || start_k8saudit(a, lr.rs, &ka) != 0) {
        status = 1;
    } else {
        live_rules_compiled(&lr);
        sgc_runloop_config cfg;
        runloop_config(a, &s, &cfg);
        start_reload(a, &s, &lo);
        if (a->enf.n)
            fprintf(stderr, PROG ": enforcing %d rule(s); in-kernel kill %s\n", a->enf.n,
                    lr.filter ? "where the kernel decides a rule completely (sgc explain "
                                "--enforce)"
                              : "off (no kernel filter): every kill from userspace");
        sgc_runloop_summary sum;
        if (live_run(&lr, &lo, &cfg, &sum, a->cli.verbose > 1, err, sizeof err) != 0) {
            int sig = sgc_runloop_stop_signal();
            if (sig > 0) /* a stop asked for while loading: a clean stop */
                fprintf(stderr, PROG ": stopped by %s while starting capture\n", strsignal(sig));
            else
                fprintf(stderr, PROG ": cannot start capture: %s\n", err);
            status = sig > 0 ? 0 : 1;
        } else {
            sgc_pipeline_finish_containers(s.pl);
            if (ka) {
                sgc_ka_source_stats kst;
                sgc_ka_source_stop(ka, &kst);
                ka = NULL;
                run_k8saudit_summary(stderr, PROG, &kst);
            }
            status = finish(a, &s, &sum);
        }
    }
    signal(SIGHUP, SIG_IGN); /* a late SIGHUP no longer stops sgc */
    sgc_ka_source_stop(ka, NULL);
    sgc_container_engine_free(s.ce); /* before the pipeline its callbacks fill */
    sgc_outq_stop(s.q, 0);
    run_metrics_stop(&metrics);
    sgc_pipeline_free(s.pl);
    run_reload_free(s.reload); /* after the pipeline, whose rules use its rule sets */
    sgc_outq_free(s.q);
    live_rules_free(&lr);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {0};
    sgc_strlist rules = {0};
    run_sources_init(&a.src);
    a.argc = argc;
    a.argv = argv;
    int rc = parse_args(argc, argv, &a);
    if (rc == 0) {
        rc = load_config(&a, &rules);
        if (rc == 0) rc = apply_sources(&a);
        if (rc == 0) rc = a.cli.dry_run ? dry_run(&a) : run(&a);
        sgc_config_free(&a.cfg);
    } else if (rc < 0) {
        rc = 0;
    }
    sgc_enforce_free(&a.enf);
    sgc_strlist_free(&rules);
    run_cli_free(&a.cli);
    return rc;
}
