/* sgc replay [OPTIONS] EVENTS RULES...
 * Evaluate a recorded (or hand-written) event file against rules files and
 * print the alerts exactly as `sgc run` prints them (both go through
 * runtime/pipeline/pipeline.h). Exit 0 when every line was read (and, with --check,
 * every expectation held), 1 otherwise, 2 on a usage error. */
#include "commands.h"
#include "diag_format.h"
#include "eventfile.h"
#include "fields.h"
#include "frontend.h"
#include "pipeline.h"
#include "replay_k8saudit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("usage: sgc replay [OPTIONS] EVENTS RULES...\n"
          "\n"
          "Evaluate the events of EVENTS (an sgc event file, docs/event-format.md; '-' for\n"
          "stdin) against the rules files, and print the alerts as 'sgc run' does.\n"
          "\n"
          "options:\n"
          "  --json               alerts as JSON lines\n"
          "  -o, --output FILE    append alerts to FILE instead of stdout\n"
          "  --min-priority P     drop alerts less severe than P (emergency ... debug)\n"
          "  --all-matches        report every matching rule (default: the first, as Falco)\n"
          "  --hostname NAME      hostname in JSON alerts (default: the file's, else this host's)\n"
          "  --time-iso8601       ISO 8601 (UTC) times in text alerts\n"
          "  --check              compare each event's matches with its \"expect\" list;\n"
          "                       mismatches are reported and make the exit status 1\n"
          "  --source S           the event source of EVENTS: syscall (default, an sgc event\n"
          "                       file) or k8s_audit (an audit log: JSON lines, one Event or\n"
          "                       EventList per line; with --check, '# expect: RULE, ...'\n"
          "                       before a line); only the rules of that source run\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 ok, 1 malformed event lines, rule errors or failed checks, 2 usage\n",
          out);
}

static bool in_list(const char *s, const char *const *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, v[i])) return true;
    return false;
}

/* Report the differences between expected and matched rules; true when equal. */
static bool check_event(const char *file, const sgc_replay_event *e, const char *const *matched,
                        int nmatched)
{
    bool ok = true;
    for (int i = 0; i < e->nexpect; i++)
        if (!in_list(e->expect[i], matched, nmatched)) {
            fprintf(stderr, "%s:%d: check failed: rule '%s' did not match\n", file, e->line,
                    e->expect[i]);
            ok = false;
        }
    for (int i = 0; i < nmatched; i++)
        if (!in_list(matched[i], e->expect, e->nexpect)) {
            fprintf(stderr, "%s:%d: check failed: rule '%s' matched unexpectedly\n", file, e->line,
                    matched[i]);
            ok = false;
        }
    return ok;
}

typedef struct replay_args {
    sgc_pipeline_opts po;
    const char *hostname;
    const char *source;
    bool check;
    const char **pos; /* EVENTS RULES... */
    int npos;
} replay_args;

static bool takes_value(const char *a)
{
    return !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--min-priority") ||
           !strcmp(a, "--hostname") || !strcmp(a, "--source");
}

/* An option with its value. 0, or 2 after a message. */
static int value_option(replay_args *r, const char *a, const char *val)
{
    if (!strcmp(a, "--source")) {
        if (sgc_evsource_parse(val) < 0) {
            fprintf(stderr, "sgc replay: unknown source '%s' (syscall, k8s_audit)\n", val);
            return 2;
        }
        r->source = val;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
        r->po.out.file = val;
        r->po.out.to_stdout = false;
    } else if (!strcmp(a, "--hostname")) {
        r->hostname = val;
    } else {
        int p = sgc_priority_parse(val);
        if (p < 0) {
            fprintf(stderr, "sgc replay: unknown priority '%s'\n", val);
            return 2;
        }
        r->po.out.min_priority = p;
        r->po.engine.min_priority = (sgc_priority)p;
    }
    return 0;
}

/* 0 ok, -1 --help printed, 2 usage error (printed). r->pos is allocated. */
static int parse_args(int argc, char **argv, replay_args *r)
{
    sgc_pipeline_default_opts(&r->po);
    r->po.user_sources = SGC_USERS_NSS; /* not the replaying host's containers */
    r->po.procfs_fallback = false;      /* nor its processes */
    r->po.resolve_rule_names = false;   /* nor its DNS: the file's "dns" header */
    r->source = "syscall";
    r->pos = calloc((size_t)argc + 1, sizeof *r->pos);
    if (!r->pos) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) {
            r->pos[r->npos++] = a;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(a, "--json")) {
            r->po.out.json = true;
        } else if (!strcmp(a, "--all-matches")) {
            r->po.engine.mode = SGC_MATCH_ALL;
        } else if (!strcmp(a, "--check")) {
            r->check = true;
        } else if (!strcmp(a, "--time-iso8601")) {
            r->po.out.time_iso8601 = true;
        } else if (takes_value(a) && i + 1 < argc) {
            if (value_option(r, a, argv[++i])) return 2;
        } else {
            fprintf(stderr, "sgc replay: %s '%s'\n",
                    takes_value(a) ? "missing value for" : "unknown option", a);
            usage(stderr);
            return 2;
        }
    }
    if (r->npos < 2) {
        fprintf(stderr, "sgc replay: needs an event file and at least one rules file\n");
        usage(stderr);
        return 2;
    }
    /* --check needs to see every matching rule, not only the first */
    if (r->check) {
        r->po.engine.mode = SGC_MATCH_ALL;
        r->po.collect_matches = true;
    }
    return 0;
}

/* The syscall source: an event file through the pipeline. Exit status. */
static int replay_syscall(replay_args *r, const sgc_ruleset *rs)
{
    int status = 0;
    char err[512] = "";
    sgc_diags diags;
    sgc_diags_init(&diags);
    sgc_pipeline *pl = sgc_pipeline_new(rs, &r->po, &diags, err, sizeof err);
    if (diags.n) {
        sgc_diags_print_text(stderr, &diags);
        if (diags.nerrors) status = 1;
    }
    sgc_eventfile *ef = NULL;
    if (pl) {
        sgc_eventfile_env env = {sgc_pipeline_proctable(pl), sgc_pipeline_users(pl),
                                 sgc_pipeline_containers(pl)};
        ef = sgc_eventfile_open(r->pos[0], &env, stderr, err, sizeof err);
    }
    sgc_replay_event e;
    /* the header (first line) names the host: read up to the first event */
    bool have = ef && sgc_eventfile_next(ef, &e) == 1;
    if (ef && sgc_pipeline_set_hostname(pl, r->hostname ? r->hostname : sgc_eventfile_hostname(ef),
                                        err, sizeof err) != 0) {
        sgc_eventfile_close(ef);
        ef = NULL;
        have = false;
    }
    if (!ef) {
        fprintf(stderr, "sgc replay: %s\n", err);
        status = 1;
    }
    int failed_checks = 0;
    for (; have; have = sgc_eventfile_next(ef, &e) == 1) {
        sgc_pipeline_replay_eval(pl, &e.ev, e.proc);
        if (r->check && e.has_expect) {
            int n;
            const char *const *m = sgc_pipeline_last_matches(pl, &n);
            if (!check_event(r->pos[0], &e, m, n)) failed_checks++;
        }
    }
    if (ef && sgc_eventfile_errors(ef)) {
        int n = sgc_eventfile_errors(ef);
        fprintf(stderr, "sgc replay: %d malformed line%s in %s\n", n, n == 1 ? "" : "s", r->pos[0]);
        status = 1;
    }
    if (failed_checks) {
        fprintf(stderr, "sgc replay: %d event%s did not match as expected\n", failed_checks,
                failed_checks == 1 ? "" : "s");
        status = 1;
    }
    if (pl) {
        sgc_pipeline_stats st;
        sgc_pipeline_get_stats(pl, &st);
        if (st.out.write_errors) {
            fprintf(stderr, "sgc replay: %llu alerts could not be written\n", st.out.write_errors);
            status = 1;
        }
    }
    sgc_eventfile_close(ef);
    sgc_pipeline_free(pl);
    sgc_diags_free(&diags);
    return status;
}

/* The k8s_audit source: an audit log through its own pipeline. */
static int replay_k8s_audit(replay_args *r, const sgc_ruleset *rs)
{
    sgc_ka_pipeline_opts ko;
    sgc_ka_pipeline_default_opts(&ko);
    ko.out = r->po.out;
    ko.out.hostname = r->hostname;
    ko.engine.mode = r->po.engine.mode;
    ko.engine.min_priority = r->po.engine.min_priority;
    return sgc_replay_k8saudit(r->pos[0], rs, &ko, r->check);
}

int cmd_replay(int argc, char **argv)
{
    replay_args r = {0};
    int rc = parse_args(argc, argv, &r);
    if (rc) {
        free(r.pos);
        return rc < 0 ? 0 : rc;
    }
    sgc_frontend fe = {0};
    sgc_frontend_opts fopts = {0};
    if (sgc_frontend_run(&fe, r.pos + 1, r.npos - 1, &fopts)) {
        sgc_diags_print_text(stderr, fe.diags);
        rc = 1;
    } else {
        rc = !strcmp(r.source, "k8s_audit") ? replay_k8s_audit(&r, fe.rs)
                                            : replay_syscall(&r, fe.rs);
    }
    sgc_frontend_free(&fe);
    free(r.pos);
    return rc;
}
