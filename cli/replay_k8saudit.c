/* Offline evaluation of a Kubernetes audit log (replay_k8saudit.h). */
#include "replay_k8saudit.h"

#include "diag_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENT_BYTES (256u * 1024u) /* the k8saudit plugin's default */

typedef struct replay {
    sgc_ka_pipeline *pl;
    const char *path;
    int line;
    bool check;
    char **expect; /* the pending "# expect:" list */
    int nexpect;
    bool has_expect;
    char **matched; /* matches of the current line's events */
    int nmatched;
    int failed_checks;
} replay;

static void strv_free(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void strv_add(char ***v, int *n, const char *s, size_t len)
{
    char **nv = realloc(*v, sizeof *nv * (size_t)(*n + 1));
    if (!nv) return;
    *v = nv;
    if ((nv[*n] = strndup(s, len))) (*n)++;
}

static bool has(char *const *v, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* "# expect: A, B" -> the pending expectation (names trimmed). */
static void read_expect(replay *r, const char *text)
{
    strv_free(r->expect, r->nexpect);
    r->expect = NULL;
    r->nexpect = 0;
    r->has_expect = true;
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        const char *e = strchr(p, ',');
        const char *end = e ? e : p + strlen(p);
        const char *t = end;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r' || t[-1] == '\n')) t--;
        if (t > p) strv_add(&r->expect, &r->nexpect, p, (size_t)(t - p));
        p = end;
    }
}

static void on_event(sgc_ka_event *ev, void *ud)
{
    replay *r = ud;
    sgc_ka_pipeline_eval(r->pl, ev);
    if (r->check) {
        int n;
        const char *const *m = sgc_ka_pipeline_last_matches(r->pl, &n);
        for (int i = 0; i < n; i++)
            if (!has(r->matched, r->nmatched, m[i]))
                strv_add(&r->matched, &r->nmatched, m[i], strlen(m[i]));
    }
    sgc_ka_event_clear(ev);
}

static void check_line(replay *r)
{
    for (int i = 0; i < r->nexpect; i++)
        if (!has(r->matched, r->nmatched, r->expect[i])) {
            fprintf(stderr, "%s:%d: check failed: rule '%s' did not match\n", r->path, r->line,
                    r->expect[i]);
            r->failed_checks++;
        }
    for (int i = 0; i < r->nmatched; i++)
        if (!has(r->expect, r->nexpect, r->matched[i])) {
            fprintf(stderr, "%s:%d: check failed: rule '%s' matched unexpectedly\n", r->path,
                    r->line, r->matched[i]);
            r->failed_checks++;
        }
}

/* One JSON line; returns false when it was malformed or lost events. */
static bool replay_line(replay *r, const char *buf, size_t len)
{
    sgc_ka_parse_stats st = {0};
    char err[256];
    strv_free(r->matched, r->nmatched);
    r->matched = NULL;
    r->nmatched = 0;
    sgc_ka_payload_status s =
        sgc_ka_parse_payload(buf, len, MAX_EVENT_BYTES, on_event, r, &st, err, sizeof err);
    bool ok = s == SGC_KA_PAYLOAD_OK && !st.no_timestamp && !st.bad_timestamp && !st.too_large;
    if (!ok) fprintf(stderr, "%s:%d: %s\n", r->path, r->line, err[0] ? err : "bad audit event");
    if (r->check && r->has_expect) check_line(r);
    r->has_expect = false;
    return ok;
}

int sgc_replay_k8saudit(const char *path, const sgc_ruleset *rs, const sgc_ka_pipeline_opts *o,
                        bool check)
{
    sgc_ka_pipeline_opts po = *o;
    po.collect_matches = po.collect_matches || check;
    if (check) po.engine.mode = SGC_MATCH_ALL;
    int status = 0;
    char err[512] = "";
    sgc_diags diags;
    sgc_diags_init(&diags);
    replay r = {0};
    r.path = path;
    r.check = check;
    r.pl = sgc_ka_pipeline_new(rs, &po, &diags, err, sizeof err);
    if (diags.n) {
        sgc_diags_print_text(stderr, &diags);
        if (diags.nerrors) status = 1;
    }
    FILE *f = NULL;
    if (r.pl) {
        f = strcmp(path, "-") ? fopen(path, "r") : stdin;
        if (!f) snprintf(err, sizeof err, "cannot open %s: %s", path, strerror(errno));
    }
    if (!r.pl || !f) {
        fprintf(stderr, "sgc replay: %s\n", err);
        sgc_ka_pipeline_free(r.pl);
        sgc_diags_free(&diags);
        return 1;
    }
    if (sgc_ka_pipeline_nrules(r.pl) == 0)
        fprintf(stderr, "sgc replay: warning: no enabled rule has source k8s_audit\n");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int bad = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        r.line++;
        size_t i = 0;
        while (i < (size_t)n &&
               (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
            i++;
        if (i == (size_t)n) continue;
        if (line[i] == '#') {
            const char *c = line + i + 1;
            while (*c == ' ') c++;
            if (!strncmp(c, "expect:", 7)) read_expect(&r, c + 7);
            continue;
        }
        if (!replay_line(&r, line + i, (size_t)n - i)) bad++;
    }
    free(line);
    if (f != stdin) fclose(f);
    if (bad) {
        fprintf(stderr, "sgc replay: %d malformed line%s in %s\n", bad, bad == 1 ? "" : "s", path);
        status = 1;
    }
    if (r.failed_checks) {
        fprintf(stderr, "sgc replay: %d check%s failed\n", r.failed_checks,
                r.failed_checks == 1 ? "" : "s");
        status = 1;
    }
    sgc_ka_pipeline_stats st;
    sgc_ka_pipeline_get_stats(r.pl, &st);
    if (st.out.write_errors) {
        fprintf(stderr, "sgc replay: %llu alerts could not be written\n", st.out.write_errors);
        status = 1;
    }
    strv_free(r.expect, r.nexpect);
    strv_free(r.matched, r.nmatched);
    sgc_ka_pipeline_free(r.pl);
    sgc_diags_free(&diags);
    return status;
}
