/* Runs the table-driven grammar cases in the tests/grammar/ case files (NAME.test).
 *
 * A file is a sequence of blocks separated by blank lines; lines starting
 * with '#' are comments. In a block, the last line is the expectation and the
 * lines before it are the condition (joined with '\n', kept verbatim, so a
 * case can hold tabs and line breaks):
 *
 *   CONDITION                      must parse; its S-expression must equal
 *   (S-EXPRESSION)                 this line exactly
 *
 *   CONDITION                      must be rejected with exactly one
 *   %%FAIL LINE:COL substring      diagnostic at LINE:COL whose message
 *                                  contains the substring (may be empty)
 *
 * Every accepted case is also printed back in Falco syntax and parsed again:
 * the S-expression must not change (the printer and the parser agree).
 * Each failing case is reported as file:line; the test fails if any does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "parse.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int cases, failures;
} tally;

static void failf(tally *t, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "%s:%d: ", file, line);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    t->failures++;
}

static void run_pass(tally *t, const char *file, int line, const char *cond, const char *want)
{
    sgc_source *src = sgc_source_new(NULL, cond, strlen(cond));
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    if (!n) {
        failf(t, file, line, "expected to parse, got error %d:%d: %s", d.v[0].line, d.v[0].col,
              d.v[0].msg);
    } else {
        char *got = sgc_node_to_sexpr(n);
        if (strcmp(got, want)) {
            failf(t, file, line, "AST mismatch\n    want: %s\n    got:  %s", want, got);
        } else {
            /* round trip through the Falco-syntax printer */
            char *text = sgc_node_to_condition(n);
            sgc_source *src2 = sgc_source_new(NULL, text, strlen(text));
            sgc_diags d2;
            sgc_diags_init(&d2);
            sgc_node *n2 = sgc_parse_condition(src2, NULL, &d2);
            char *again = n2 ? sgc_node_to_sexpr(n2) : NULL;
            if (!again || strcmp(again, want))
                failf(t, file, line, "round trip through '%s' gives %s", text,
                      again ? again : (d2.n ? d2.v[0].msg : "an error"));
            free(again);
            sgc_node_free(n2);
            sgc_diags_free(&d2);
            sgc_source_free(src2);
            free(text);
        }
        free(got);
    }
    sgc_node_free(n);
    sgc_diags_free(&d);
    sgc_source_free(src);
}

static void run_fail(tally *t, const char *file, int line, const char *cond, const char *spec)
{
    int wl = 0, wc = 0, used = 0;
    if (sscanf(spec, "%d:%d%n", &wl, &wc, &used) != 2) {
        failf(t, file, line, "malformed %%%%FAIL line (want '%%%%FAIL LINE:COL text')");
        return;
    }
    const char *want_msg = spec + used;
    while (*want_msg == ' ') want_msg++;
    sgc_source *src = sgc_source_new(NULL, cond, strlen(cond));
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    if (n) {
        char *got = sgc_node_to_sexpr(n);
        failf(t, file, line, "expected an error, parsed as %s", got);
        free(got);
    } else if (d.n != 1) {
        failf(t, file, line, "expected exactly one diagnostic, got %d", d.n);
    } else if (d.v[0].line != wl || d.v[0].col != wc || !strstr(d.v[0].msg, want_msg) ||
               strcmp(d.v[0].code, "LOAD_ERR_COMPILE_CONDITION")) {
        failf(t, file, line, "want error at %d:%d containing '%s'\n    got %s at %d:%d: %s", wl, wc,
              want_msg, d.v[0].code, d.v[0].line, d.v[0].col, d.v[0].msg);
    }
    sgc_node_free(n);
    sgc_diags_free(&d);
    sgc_source_free(src);
}

/* Read one file and run its blocks. */
static void run_file(tally *t, const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    char *cond = NULL; /* accumulated condition lines of the block */
    size_t cond_len = 0;
    char *prev = NULL; /* last line of the block so far */
    int prev_lineno = 0, block_start = 0;

    for (;;) {
        len = getline(&line, &cap, f);
        if (len >= 0) {
            lineno++;
            if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
            if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
        }
        bool blank = len <= 0;
        if (!blank && line[0] == '#') continue;
        if (blank) {
            /* end of a block: prev is the expectation, cond the condition */
            if (prev) {
                if (!cond) {
                    failf(t, name, prev_lineno,
                          "a block needs a condition line and an expectation");
                } else {
                    t->cases++;
                    if (!strncmp(prev, "%%FAIL", 6))
                        run_fail(t, name, block_start, cond, prev + 6);
                    else
                        run_pass(t, name, block_start, cond, prev);
                }
            }
            free(cond);
            free(prev);
            cond = prev = NULL;
            cond_len = 0;
            if (len < 0) break;
            continue;
        }
        if (prev) {
            /* the previous line was a condition line after all */
            size_t pl = strlen(prev);
            cond = realloc(cond, cond_len + pl + 2);
            if (cond_len) cond[cond_len++] = '\n';
            memcpy(cond + cond_len, prev, pl + 1);
            cond_len += pl;
            free(prev);
        } else {
            block_start = lineno;
        }
        prev = strdup(line);
        prev_lineno = lineno;
    }
    free(line);
    fclose(f);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_test_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 5 && !strcmp(e->d_name + n - 5, ".test");
}

static void test_all_case_files(void **state)
{
    (void)state;
    const char *dir = SGC_SRC_DIR "/tests/grammar";
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, is_test_file, by_name);
    assert_true(n > 0);
    tally t = {0, 0};
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
        char name[512];
        snprintf(name, sizeof name, "tests/grammar/%s", ents[i]->d_name);
        run_file(&t, path, name);
        free(ents[i]);
    }
    free(ents);
    fprintf(stdout, "grammar cases: %d run, %d failed\n", t.cases, t.failures);
    assert_true(t.cases > 0);
    assert_int_equal(t.failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_case_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
