/* Runs the table-driven language cases in tests/lang/ (NAME.cases files):
 * conditions written as a rule, loaded through the whole front end (loader, resolver,
 * type checker), then evaluated on events by the replay pipeline, with the
 * kernel's verdict (the reference kernel evaluator, which test_codegen.c
 * checks against the BPF program) checked against the evaluator's on every
 * event. Format: tests/lang/README.md.
 *
 * Per block:
 *   - the verdict: the rule loads (`ok`), or fails with exactly the given
 *     error code at LINE:COL of the condition, or loads with the given
 *     warning;
 *   - every `match:` event matches the rule, every `nomatch:` event does not;
 *   - soundness: on every event, when the evaluator matches, the kernel
 *     filter must have passed the event with the rule's bit set.
 * Each failure is reported as FILE:LINE (the block's first line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "eventfile.h"
#include "frontend.h"
#include "pipeline.h"
#include "pushdown.h"
#include "pushdown_eval.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINES 64

typedef struct {
    int cases, events, kernel_false, failures;
} tally;

typedef struct {
    const char *file;
    int line; /* first line of the block */
    const char *cond;
    const char *lists[MAX_LINES];
    int nlists;
    const char *exceptions[MAX_LINES];
    int nexceptions;
    const char *verdict;
    const char *events[MAX_LINES];
    bool expect_match[MAX_LINES];
    int nevents;
} block;

static void failf(tally *t, const block *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "%s:%d: ", b->file, b->line);
    vfprintf(stdout, fmt, ap);
    fprintf(stdout, "\n    condition: %s\n", b->cond);
    va_end(ap);
    t->failures++;
}

/* The block as a rules file; the condition sits alone on line `*cond_line`,
 * starting at column COND_COL. */
#define COND_COL 5
static char *write_rules(const block *b, int *cond_line)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int line = 1;
    for (int i = 0; i < b->nlists; i++) {
        /* "NAME: a, b, c" */
        const char *colon = strchr(b->lists[i], ':');
        fprintf(f, "- list: %.*s\n  items: [%s]\n", (int)(colon - b->lists[i]), b->lists[i],
                colon[1] == ' ' ? colon + 2 : colon + 1);
        line += 2;
    }
    fprintf(f, "- rule: r\n  desc: d\n  condition: |-\n");
    line += 3;
    *cond_line = line;
    fprintf(f, "    %s\n  output: \"o %%proc.name\"\n  priority: INFO\n", b->cond);
    if (b->nexceptions) fprintf(f, "  exceptions:\n");
    for (int i = 0; i < b->nexceptions; i++) fprintf(f, "    - %s\n", b->exceptions[i]);
    fclose(f);
    return text;
}

static bool has_diag(const sgc_diags *d, const char *sev, const char *code, int line, int col,
                     const char *text, int cond_line)
{
    for (int i = 0; i < d->n; i++) {
        const sgc_diag *g = &d->v[i];
        bool is_err = g->sev == SGC_SEV_ERROR;
        if (is_err != !strcmp(sev, "error") || strcmp(g->code, code)) continue;
        if (line && (g->line - cond_line + 1 != line || g->col - (COND_COL - 1) != col)) continue;
        if (text && *text && !strstr(g->msg, text)) continue;
        return true;
    }
    return false;
}

static void print_diags(const sgc_diags *d)
{
    for (int i = 0; i < d->n; i++)
        fprintf(stdout, "    got: %s %s %d:%d %s\n",
                d->v[i].sev == SGC_SEV_ERROR ? "error" : "warning", d->v[i].code, d->v[i].line,
                d->v[i].col, d->v[i].msg);
}

/* verdict: "ok" | "error CODE L:C text" | "warning CODE text". */
static bool check_verdict(tally *t, const block *b, const sgc_frontend *fe, int cond_line)
{
    const sgc_diags *d = fe->diags;
    char sev[16] = "", code[64] = "";
    int n = 0;
    if (!strcmp(b->verdict, "ok")) {
        if (d->nerrors) {
            failf(t, b, "expected to load, got %d error(s)", d->nerrors);
            print_diags(d);
        }
        return d->nerrors == 0;
    }
    if (sscanf(b->verdict, "%15s %63s %n", sev, code, &n) < 2) {
        failf(t, b, "bad verdict '%s'", b->verdict);
        return false;
    }
    const char *rest = b->verdict + n;
    int line = 0, col = 0, m = 0;
    if (!strcmp(sev, "error")) {
        if (sscanf(rest, "%d:%d %n", &line, &col, &m) < 2) {
            failf(t, b, "an error verdict needs LINE:COL");
            return false;
        }
        rest += m;
        if (d->nerrors != 1 || !has_diag(d, sev, code, line, col, rest, cond_line)) {
            failf(t, b, "expected exactly one %s %s at %d:%d containing '%s'", sev, code, line, col,
                  rest);
            print_diags(d);
        }
        return false;
    }
    if (d->nerrors || !has_diag(d, sev, code, 0, 0, rest, cond_line)) {
        failf(t, b, "expected a warning %s containing '%s' and no error", code, rest);
        print_diags(d);
    }
    return d->nerrors == 0;
}

/* The event line with "expect" added (the pipeline's check is ours). */
static char *event_file(const char *ev)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\"sgc_events\": 2}\n%s\n", ev);
    fclose(f);
    return text;
}

static const sgc_rule *find_rule(const sgc_ruleset *rs)
{
    for (int i = 0; i < rs->nrules; i++)
        if (!strcmp(rs->rules[i]->name, "r")) return rs->rules[i];
    return NULL;
}

static void run_events(tally *t, const block *b, const sgc_frontend *fe)
{
    const sgc_rule *rule = find_rule(fe->rs);
    if (!rule || !rule->resolved) {
        failf(t, b, "the rule did not load");
        return;
    }
    const sgc_node *conds[1] = {rule->resolved};
    sgc_pushdown *pd = sgc_pushdown_build_conditions(conds, NULL, 1);
    for (int i = 0; i < b->nevents; i++) {
        sgc_pipeline_opts po;
        sgc_pipeline_default_opts(&po);
        po.user_sources = 0;
        po.procfs_fallback = false;
        po.resolve_rule_names = false;
        po.out.to_stdout = false;
        po.engine.mode = SGC_MATCH_ALL;
        po.collect_matches = true;
        char err[256] = "";
        sgc_diags diags;
        sgc_diags_init(&diags);
        sgc_pipeline *pl = sgc_pipeline_new(fe->rs, &po, &diags, err, sizeof err);
        sgc_diags_free(&diags);
        if (!pl) {
            failf(t, b, "pipeline: %s", err);
            break;
        }
        char *text = event_file(b->events[i]);
        sgc_eventfile_env env = {sgc_pipeline_proctable(pl), sgc_pipeline_users(pl),
                                 sgc_pipeline_containers(pl)};
        sgc_eventfile *ef = sgc_eventfile_open_buffer(b->file, text, strlen(text), &env, stdout);
        sgc_replay_event e;
        int nev = 0;
        while (sgc_eventfile_next(ef, &e) == 1) {
            nev++;
            sgc_pipeline_replay_eval(pl, &e.ev, e.proc);
            int n;
            const char *const *m = sgc_pipeline_last_matches(pl, &n);
            bool matched = false;
            for (int k = 0; k < n; k++) matched |= !strcmp(m[k], "r");
            uint64_t cand[4] = {0};
            bool pass = sgc_pushdown_eval(pd, &e.ev, cand) && (cand[0] & 1);
            t->events++;
            t->kernel_false += !pass;
            if (matched != b->expect_match[i])
                failf(t, b, "event %d (%s): expected %s, got %s", i + 1, b->events[i],
                      b->expect_match[i] ? "a match" : "no match",
                      matched ? "a match" : "no match");
            if (matched && !pass)
                failf(t, b, "UNSOUND: the kernel drops event %d (%s) which the rule matches", i + 1,
                      b->events[i]);
        }
        if (nev != 1 || sgc_eventfile_errors(ef))
            failf(t, b, "event %d is not one valid event line", i + 1);
        sgc_eventfile_close(ef);
        free(text);
        sgc_pipeline_free(pl);
    }
    sgc_pushdown_free(pd);
}

static void run_block(tally *t, const block *b)
{
    t->cases++;
    int cond_line = 0;
    char *rules = write_rules(b, &cond_line);
    char path[] = "/tmp/sgc-i10-lang-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, rules, strlen(rules)) != (ssize_t)strlen(rules)) {
        failf(t, b, "cannot write a temporary rules file");
        if (fd >= 0) close(fd);
        free(rules);
        return;
    }
    close(fd);
    sgc_frontend fe = {0};
    sgc_frontend_opts opts = {0};
    const char *files[1] = {path};
    sgc_frontend_run(&fe, files, 1, &opts);
    if (check_verdict(t, b, &fe, cond_line))
        run_events(t, b, &fe);
    else if (b->nevents)
        failf(t, b, "a block with events must load");
    sgc_frontend_free(&fe);
    unlink(path);
    free(rules);
}

/* "key: value" lines; returns the value or NULL. */
static const char *after(const char *line, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) || line[n] != ':') return NULL;
    line += n + 1;
    while (*line == ' ') line++;
    return line;
}

static void run_file(tally *t, const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *lines[4096];
    int nlines = 0;
    char buf[8192];
    while (nlines < 4096 && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        lines[nlines++] = strdup(buf);
    }
    fclose(f);
    block b;
    bool open = false;
    for (int i = 0; i <= nlines; i++) {
        const char *l = i < nlines ? lines[i] : "";
        if (l[0] == '#') continue;
        if (!l[0]) {
            if (open) {
                if (!b.cond || !b.verdict)
                    failf(t, &b, "a block needs case: and verdict:");
                else
                    run_block(t, &b);
            }
            open = false;
            continue;
        }
        if (!open) {
            memset(&b, 0, sizeof b);
            b.file = path;
            b.line = i + 1;
            open = true;
        }
        const char *v;
        if ((v = after(l, "case")))
            b.cond = v;
        else if ((v = after(l, "verdict")))
            b.verdict = v;
        else if ((v = after(l, "list")) && b.nlists < MAX_LINES)
            b.lists[b.nlists++] = v;
        else if ((v = after(l, "exception")) && b.nexceptions < MAX_LINES)
            b.exceptions[b.nexceptions++] = v;
        else if ((v = after(l, "match")) && b.nevents < MAX_LINES) {
            b.expect_match[b.nevents] = true;
            b.events[b.nevents++] = v;
        } else if ((v = after(l, "nomatch")) && b.nevents < MAX_LINES) {
            b.expect_match[b.nevents] = false;
            b.events[b.nevents++] = v;
        } else {
            fprintf(stdout, "%s:%d: unknown line '%s'\n", path, i + 1, l);
            t->failures++;
        }
    }
    for (int i = 0; i < nlines; i++) free(lines[i]);
}

static void test_lang_cases(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/lang", SGC_SRC_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    tally t = {0};
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".cases")) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        run_file(&t, path);
        files++;
    }
    closedir(d);
    fprintf(stdout, "%d files, %d cases, %d (case, event) pairs, %d kernel FALSE, %d failures\n",
            files, t.cases, t.events, t.kernel_false, t.failures);
    assert_true(files > 0 && t.cases > 0);
    assert_int_equal(t.failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_lang_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
