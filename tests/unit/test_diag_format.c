/* Text, JSON and SARIF renderings of diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_format.h"

typedef void (*printer)(FILE *, const sgc_diags *, const char *const *, int);

static void sample(sgc_diags *d)
{
    sgc_diags_init(d);
    sgc_diag_add(d, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", "rules/a b.yaml", 3, 14,
                 "unexpected token '%s'", ")");
    sgc_diag_set_item(d, "rule 'Say \"hi\"'");
    d->v[0].source_line = strdup("  condition:\tproc.name = )");
    sgc_diag_add(d, SGC_SEV_WARNING, "LOAD_UNUSED_LIST", "<embedded>/stdlib-rules.yaml", 7, 3,
                 "list 'x' is defined but no rule uses it");
    sgc_diag_add(d, SGC_SEV_WARNING, "SGC_X_UNLISTED", NULL, 0, 0, "no position");
}

static char *render_text(const sgc_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgc_diags_print_text(f, d);
    fclose(f);
    return buf;
}

static char *render(printer p, const sgc_diags *d)
{
    static const char *const files[] = {"rules/a b.yaml", "/abs/r.yaml"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    p(f, d, files, 2);
    fclose(f);
    return buf;
}

static void test_text(void **state)
{
    sgc_diags d;
    sample(&d);
    char *out = render_text(&d);
    assert_non_null(strstr(out, "rules/a b.yaml:3:14: error: [LOAD_ERR_COMPILE_CONDITION] "
                                "unexpected token ')' (rule 'Say \"hi\"')\n"));
    /* the caret keeps the tab so it lines up under column 14 ('p') */
    assert_non_null(strstr(out, "  condition:\tproc.name = )\n"
                                "  "
                                "            "
                                "\t^\n"));
    assert_non_null(strstr(out, "<embedded>/stdlib-rules.yaml:7:3: warning: [LOAD_UNUSED_LIST]"));
    assert_non_null(strstr(out, "sgc: warning: [SGC_X_UNLISTED] no position\n"));
    assert_non_null(strstr(out, "1 error, 2 warnings\n"));
    free(out);
    sgc_diags_free(&d);
}

static void test_json(void **state)
{
    sgc_diags d;
    sample(&d);
    char *out = render(sgc_diags_print_json, &d);
    assert_non_null(strstr(out, "{\"version\":1,\"files\":[\"rules/a b.yaml\",\"/abs/r.yaml\"],"
                                "\"errors\":1,\"warnings\":2,\"findings\":["));
    assert_non_null(strstr(out, "{\"severity\":\"error\",\"code\":\"LOAD_ERR_COMPILE_CONDITION\","
                                "\"message\":\"unexpected token ')'\",\"file\":\"rules/a b.yaml\","
                                "\"line\":3,\"column\":14,\"item\":\"rule 'Say \\\"hi\\\"'\"}"));
    assert_non_null(strstr(out, "\"file\":null,\"line\":null,\"column\":null,\"item\":null}"));
    free(out);
    sgc_diags_free(&d);
}

static void test_json_escapes(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgc_json_string(f, "a\"b\\c\nd\x01");
    sgc_json_string(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\u0001\"null");
    free(buf);
}

static void test_sarif(void **state)
{
    sgc_diags d;
    sample(&d);
    char *out = render(sgc_diags_print_sarif, &d);
    assert_non_null(strstr(out, "\"version\":\"2.1.0\""));
    assert_non_null(strstr(out, "\"name\":\"sgc\""));
    /* every code used is a rule, with a description */
    assert_non_null(strstr(out,
                           "{\"id\":\"LOAD_ERR_COMPILE_CONDITION\",\"shortDescription\":{\"text\":"
                           "\"A condition could not be compiled\"}}"));
    assert_non_null(strstr(
        out, "{\"id\":\"SGC_X_UNLISTED\",\"shortDescription\":{\"text\":\"SGC_X_UNLISTED\"}}"));
    assert_non_null(
        strstr(out, "\"ruleId\":\"LOAD_UNUSED_LIST\",\"ruleIndex\":1,\"level\":\"warning\""));
    /* URIs: spaces and <> percent-encoded, absolute paths as file:// */
    assert_non_null(strstr(out, "\"artifactLocation\":{\"uri\":\"rules/a%20b.yaml\"},"
                                "\"region\":{\"startLine\":3,\"startColumn\":14}"));
    assert_non_null(strstr(out, "\"uri\":\"%3Cembedded%3E/stdlib-rules.yaml\""));
    assert_non_null(strstr(out, "\"uri\":\"file:///abs/r.yaml\""));
    /* the item is part of the message text */
    assert_non_null(strstr(out, "\"text\":\"unexpected token ')' (rule 'Say \\\"hi\\\"')\""));
    free(out);
    sgc_diags_free(&d);
}

/* Columns are bytes; the caret and SARIF count a UTF-8 character once. */
static void test_utf8_columns(void **state)
{
    sgc_diags d;
    sgc_diags_init(&d);
    /* "é" is 2 bytes: byte column 9 is the 8th character, 'x' */
    sgc_diag_add(&d, SGC_SEV_WARNING, "LOAD_NO_EVTTYPE", "u.yaml", 1, 9, "m");
    d.v[0].source_line = strdup("a = \"\xc3\xa9\" x");
    char *out = render_text(&d);
    assert_non_null(strstr(out, "\n         ^\n")); /* 2 + 7 spaces */
    free(out);
    out = render(sgc_diags_print_sarif, &d);
    assert_non_null(strstr(out, "\"startColumn\":8"));
    assert_non_null(strstr(out, "\"columnKind\":\"unicodeCodePoints\""));
    free(out);
    sgc_diags_free(&d);
}

static void test_format_names(void **state)
{
    assert_int_equal(sgc_diag_format_parse("text"), SGC_FMT_TEXT);
    assert_int_equal(sgc_diag_format_parse("json"), SGC_FMT_JSON);
    assert_int_equal(sgc_diag_format_parse("sarif"), SGC_FMT_SARIF);
    assert_int_equal(sgc_diag_format_parse("xml"), -1);
    assert_string_equal(sgc_code_description("LOAD_NO_EVTTYPE"),
                        "Condition has no event-type restriction");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),         cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_escapes), cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_utf8_columns), cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
