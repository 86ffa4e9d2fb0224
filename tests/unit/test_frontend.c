/* The front-end pipeline: embedded buffers, files in order, source lines
 * for carets, ordering, lint on/off, skip-if-unknown-filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"

static const char embedded[] = "- macro: unused_one\n"
                               "  condition: proc.name = bash\n"
                               "- rule: Bad field\n"
                               "  desc: x\n"
                               "  condition: evt.type = open and proc.nmae = x\n"
                               "  output: \"x %proc.name\"\n"
                               "  priority: WARNING\n";

static const sgc_diag *find(const sgc_frontend *fe, const char *code)
{
    for (int i = 0; i < fe->diags->n; i++)
        if (!strcmp(fe->diags->v[i].code, code)) return &fe->diags->v[i];
    return NULL;
}

static void test_embedded_buffer(void **state)
{
    sgc_frontend_opts opts = {.lint = true,
                              .embedded = embedded,
                              .embedded_len = sizeof embedded - 1,
                              .embedded_name = "<embedded>/t.yaml"};
    sgc_frontend fe;
    assert_int_equal(sgc_frontend_run(&fe, NULL, 0, &opts), 1);
    assert_int_equal(fe.ninputs, 1);
    assert_string_equal(fe.inputs[0], "<embedded>/t.yaml");
    const sgc_diag *e = find(&fe, "LOAD_ERR_COMPILE_CONDITION");
    assert_non_null(e);
    assert_int_equal(e->line, 5);
    assert_int_equal(e->col, 34);
    /* the caret line comes from the embedded text */
    assert_string_equal(e->source_line, "  condition: evt.type = open and proc.nmae = x");
    const sgc_diag *w = find(&fe, "LOAD_UNUSED_MACRO");
    assert_non_null(w);
    assert_string_equal(w->source_line, "- macro: unused_one");
    /* sorted by line */
    assert_true(w < e);
    sgc_frontend_free(&fe);

    opts.lint = false; /* lint checks off: the unused macro is not reported */
    sgc_frontend_run(&fe, NULL, 0, &opts);
    assert_null(find(&fe, "LOAD_UNUSED_MACRO"));
    assert_non_null(find(&fe, "LOAD_ERR_COMPILE_CONDITION"));
    sgc_frontend_free(&fe);
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/sgc_test_frontend_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_files_in_order(void **state)
{
    /* findings follow the load order of the files, not their names: the
     * file loaded first is the one whose name sorts last */
    char *second = write_temp("- list: shells\n  items: [bash, bash]\n");
    char *first = write_temp("- rule: Any\n  desc: x\n  condition: proc.name = x\n"
                             "  output: \"x\"\n  priority: INFO\n");
    const char *files[] = {first, second};
    if (strcmp(first, second) < 0) {
        files[0] = second;
        files[1] = first;
    }
    sgc_frontend_opts opts = {.lint = true};
    sgc_frontend fe;
    assert_int_equal(sgc_frontend_run(&fe, files, 2, &opts), 0);
    assert_true(fe.diags->n >= 2);
    for (int i = 1; i < fe.diags->n; i++) {
        int a = strcmp(fe.diags->v[i - 1].file, files[0]) ? 1 : 0;
        int b = strcmp(fe.diags->v[i].file, files[0]) ? 1 : 0;
        assert_true(a <= b);
    }
    const sgc_diag *dup = find(&fe, "SGC_DUPLICATE_LIST_ITEM");
    assert_non_null(dup);
    assert_string_equal(dup->source_line, "  items: [bash, bash]");
    sgc_frontend_free(&fe);
    unlink(first);
    unlink(second);
    free(first);
    free(second);
}

static void test_unreadable_file_stops(void **state)
{
    char *ok = write_temp("- rule: R\n  desc: x\n  condition: evt.type = open and undefined_macro\n"
                          "  output: \"x\"\n  priority: INFO\n");
    const char *files[] = {"/nonexistent/sgc.yaml", ok};
    sgc_frontend_opts opts = {.lint = true};
    sgc_frontend fe;
    assert_int_equal(sgc_frontend_run(&fe, files, 2, &opts), 1);
    assert_non_null(find(&fe, "LOAD_ERR_FILE_READ"));
    assert_null(find(&fe, "LOAD_ERR_VALIDATE")); /* the second file is not loaded */
    assert_int_equal(fe.rs->nrules, 0);
    sgc_frontend_free(&fe);
    unlink(ok);
    free(ok);
}

static void test_skip_if_unknown_filter(void **state)
{
    static const char text[] =
        "- rule: Plugin\n  desc: x\n  condition: evt.type = open and no.such_field = 1\n"
        "  output: \"x\"\n  priority: INFO\n  skip-if-unknown-filter: true\n"
        "- rule: Fine\n  desc: x\n  condition: evt.type = open\n  output: \"x %fd.name\"\n  "
        "priority: INFO\n";
    sgc_frontend_opts opts = {
        .embedded = text, .embedded_len = sizeof text - 1, .embedded_name = "t"};
    sgc_frontend fe;
    assert_int_equal(sgc_frontend_run(&fe, NULL, 0, &opts), 0);
    const sgc_diag *w = find(&fe, "LOAD_UNKNOWN_FILTER");
    assert_non_null(w);
    assert_int_equal(w->line, 3);
    assert_int_equal(fe.rs->nrules, 2);
    assert_null(fe.rs->rules[0]->resolved);
    assert_false(fe.rs->rules[0]->enabled);
    assert_non_null(fe.rs->rules[1]->resolved);
    /* the type checker filled the catalog entries of the running rule */
    assert_non_null(fe.rs->rules[1]->resolved->lhs->fdef);
    sgc_frontend_free(&fe);
}

static int count(const sgc_frontend *fe, const char *code)
{
    int n = 0;
    for (int i = 0; i < fe->diags->n; i++) n += !strcmp(fe->diags->v[i].code, code);
    return n;
}

/* A mistake in a macro that many rules expand is reported once. */
static void test_macro_error_reported_once(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("- macro: opened\n  condition: evt.type = open and fd.nmae = x\n", f);
    for (int i = 0; i < 300; i++)
        fprintf(f,
                "- rule: R%d\n  desc: x\n  condition: opened and proc.pid = %d\n"
                "  output: \"x\"\n  priority: INFO\n",
                i, i);
    fclose(f);
    sgc_frontend_opts opts = {
        .lint = true, .embedded = text, .embedded_len = len, .embedded_name = "many"};
    sgc_frontend fe;
    assert_int_equal(sgc_frontend_run(&fe, NULL, 0, &opts), 1);
    assert_int_equal(count(&fe, "LOAD_ERR_COMPILE_CONDITION"), 1);
    const sgc_diag *e = find(&fe, "LOAD_ERR_COMPILE_CONDITION");
    assert_int_equal(e->line, 2);
    assert_string_equal(e->item, "rule 'R0'");
    sgc_frontend_free(&fe);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_buffer),
        cmocka_unit_test(test_files_in_order),
        cmocka_unit_test(test_unreadable_file_stops),
        cmocka_unit_test(test_skip_if_unknown_filter),
        cmocka_unit_test(test_macro_error_reported_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
