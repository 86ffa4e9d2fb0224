/* sgc respond: the automated responder (respond/), and its linter.
 *
 *   sgc respond -c respond.yaml                run: inputs -> playbooks -> actions
 *   sgc respond --check -c respond.yaml        lint the configured playbooks
 *   sgc respond --check [-r RULES]... PLAYBOOK...   lint playbook files
 *
 * --check loads the detection rules (-r, or the config's falco_rules_files,
 * else the embedded rules) to cross-check rule names and output fields. */
#include "check.h"
#include "commands.h"
#include "diag_format.h"
#include "frontend.h"
#include "inputs.h"
#include "playbook.h"
#include "respond_config.h"
#include "responder.h"

#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;
static volatile bool g_stop_b;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
    g_stop_b = true;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sgc respond -c respond.yaml [--dry-run]\n"
            "       sgc respond --check [-c respond.yaml] [-r RULES.yaml]... [--format text|json] "
            "[PLAYBOOK.yaml]...\n\n"
            "Respond to Falco/sgc alerts with playbooks in Falco Talon's rules format.\n"
            "  -c, --config FILE   the responder's configuration (docs/response.md)\n"
            "  --check             lint the playbooks and exit (0 clean, 1 errors)\n"
            "  -r, --rules FILE    detection rules the playbooks respond to (for --check)\n"
            "  --dry-run           decide and log, never act (overrides the config)\n"
            "  --format FMT        diagnostics as text (default) or json\n");
}

typedef struct opts {
    const char *config;
    bool check, dry_run;
    const char *rules[64];
    int nrules;
    int fmt;
    char **playbooks;
    int nplaybooks;
} opts;

static int parse_opts(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"config", required_argument, 0, 'c'},
        {"check", no_argument, 0, 'k'},
        {"rules", required_argument, 0, 'r'},
        {"dry-run", no_argument, 0, 'n'},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:r:h", lo, NULL)) != -1) {
        switch (c) {
        case 'c': o->config = optarg; break;
        case 'k': o->check = true; break;
        case 'n': o->dry_run = true; break;
        case 'r':
            if (o->nrules < 64) o->rules[o->nrules++] = optarg;
            break;
        case 'f':
            o->fmt = sgc_diag_format_parse(optarg);
            if (o->fmt < 0 || o->fmt == SGC_FMT_SARIF) {
                fprintf(stderr, "sgc respond: --format is text or json\n");
                return 2;
            }
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    o->playbooks = argv + optind;
    o->nplaybooks = argc - optind;
    if (!o->config && !o->nplaybooks) {
        usage(stderr);
        return 2;
    }
    if (!o->check && !o->config) {
        fprintf(stderr, "sgc respond: running needs -c respond.yaml\n");
        return 2;
    }
    return 0;
}

/* Playbooks from the config and the command line into pb; errors counted. */
static int load_playbooks(rp_playbook *pb, const rp_config *cfg, const opts *o)
{
    int errs = 0;
    for (int i = 0; cfg && i < cfg->nrules_files; i++)
        errs += rp_playbook_load(pb, cfg->rules_files[i], NULL, 0);
    for (int i = 0; i < o->nplaybooks; i++) errs += rp_playbook_load(pb, o->playbooks[i], NULL, 0);
    if (!errs) errs += rp_playbook_finish(pb);
    return errs;
}

static void print_diags(sgc_diags *d, const opts *o)
{
    sgc_diags_sort(d);
    if (o->fmt == SGC_FMT_JSON)
        sgc_diags_print(stdout, SGC_FMT_JSON, d, NULL, 0);
    else
        sgc_diags_print_text(stderr, d);
}

static int run_check(rp_playbook *pb, const rp_config *cfg, const opts *o)
{
    const char *files[128];
    int n = 0;
    for (int i = 0; i < o->nrules && n < 128; i++) files[n++] = o->rules[i];
    for (int i = 0; !o->nrules && cfg && i < cfg->nfalco_rules_files && n < 128; i++)
        files[n++] = cfg->falco_rules_files[i];
    sgc_frontend fe;
    sgc_frontend_opts fo = {.lint = false,
                            .embedded = sgc_embedded_rules,
                            .embedded_len = sgc_embedded_rules_len,
                            .embedded_name = sgc_embedded_rules_name};
    int rerrs = sgc_frontend_run(&fe, files, n, &fo);
    if (rerrs) {
        sgc_diags_sort(fe.diags);
        sgc_diags_print_text(stderr, fe.diags);
        fprintf(stderr, "sgc respond: the detection rules have errors\n");
        sgc_frontend_free(&fe);
        return 1;
    }
    int errs = rp_playbook_check(pb, fe.rs);
    sgc_frontend_free(&fe);
    print_diags(&pb->diags, o);
    if (o->fmt != SGC_FMT_JSON)
        fprintf(
            stderr,
            "sgc respond: %d playbook rule(s), %d action(s) defined: %d error(s), %d warning(s)\n",
            pb->nrules, pb->ndefs, pb->diags.nerrors, pb->diags.nwarnings);
    return errs || pb->diags.nerrors ? 1 : 0;
}

static void print_stats(rp_responder *r)
{
    rp_stats st;
    rp_responder_stats(r, &st);
    fprintf(stderr,
            "sgc respond: %llu alerts (%llu malformed, %llu duplicate ids, %llu deduplicated, "
            "%llu matched); actions: %llu ok, %llu dry run, %llu failed, %llu refused, %llu rate "
            "limited\n",
            (unsigned long long)st.received, (unsigned long long)st.malformed,
            (unsigned long long)st.duplicates, (unsigned long long)st.deduplicated,
            (unsigned long long)st.matched, (unsigned long long)st.actions_ok,
            (unsigned long long)st.actions_dry_run, (unsigned long long)st.actions_failed,
            (unsigned long long)st.actions_refused, (unsigned long long)st.rate_limited);
}

static int run_responder(rp_config *cfg, rp_playbook *pb)
{
    char err[512];
    rp_responder *r = rp_responder_new(cfg, pb, cfg->state_file, err, sizeof err);
    if (!r) {
        fprintf(stderr, "sgc respond: %s\n", err);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rp_http_input *http = NULL;
    rp_nats_input *nats = NULL;
    int rc = 0;
    if (cfg->in_http) {
        int port = 0;
        http = rp_http_input_start(r, cfg->http_address, cfg->http_port, &port, err, sizeof err);
        if (!http) {
            fprintf(stderr, "sgc respond: http: %s\n", err);
            rc = 1;
            goto out;
        }
        fprintf(stderr, "sgc respond: listening on http://%s:%d/\n", cfg->http_address, port);
    }
    if (cfg->in_nats) {
        nats = rp_nats_input_start(r, &cfg->nats, err, sizeof err);
        if (!nats) {
            fprintf(stderr, "sgc respond: nats: %s\n", err);
            rc = 1;
            goto out;
        }
        fprintf(stderr, "sgc respond: subscribed to NATS%s%s\n",
                cfg->nats.durable ? " durable " : "", cfg->nats.durable ? cfg->nats.durable : "");
    }
    fprintf(stderr, "sgc respond: ready (%d playbook rules%s)\n", pb->nrules,
            cfg->dry_run ? ", dry run" : "");
    if (cfg->in_stdin) {
        rp_input_stream(r, stdin, &g_stop_b);
        if (!cfg->in_http && !cfg->in_nats) goto out;
    }
    while (!g_stop) pause();
out:
    rp_nats_input_stop(nats);
    rp_http_input_stop(http);
    print_stats(r);
    rp_responder_free(r);
    return rc;
}

int cmd_respond(int argc, char **argv)
{
    opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    rp_config cfg;
    sgc_diags cdiags;
    sgc_diags_init(&cdiags);
    bool have_cfg = false;
    if (o.config) {
        int errs = rp_config_load(&cfg, o.config, &cdiags);
        have_cfg = true;
        if (cdiags.n) print_diags(&cdiags, &o);
        if (errs) {
            sgc_diags_free(&cdiags);
            rp_config_free(&cfg);
            return 1;
        }
        if (o.dry_run) cfg.dry_run = true;
    }
    sgc_diags_free(&cdiags);
    rp_playbook pb;
    rp_playbook_init(&pb);
    int errs = load_playbooks(&pb, have_cfg ? &cfg : NULL, &o);
    if (o.check) {
        if (errs) {
            print_diags(&pb.diags, &o);
            rc = 1;
        } else {
            rc = run_check(&pb, have_cfg ? &cfg : NULL, &o);
        }
    } else if (errs) {
        print_diags(&pb.diags, &o);
        fprintf(stderr, "sgc respond: the playbooks have errors; not starting\n");
        rc = 1;
    } else {
        if (pb.diags.n) print_diags(&pb.diags, &o);
        curl_global_init(CURL_GLOBAL_DEFAULT);
        rc = run_responder(&cfg, &pb);
        curl_global_cleanup();
    }
    rp_playbook_free(&pb);
    if (have_cfg) rp_config_free(&cfg);
    return rc;
}
