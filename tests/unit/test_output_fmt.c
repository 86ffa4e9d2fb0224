/* Parsing Falco output templates into text and field segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "output_fmt.h"

static sgc_output_fmt parse_ok(const char *text)
{
    sgc_output_fmt f;
    uint32_t off = 0;
    char *err = NULL;
    if (sgc_output_fmt_parse(text, strlen(text), &f, &off, &err) != 0)
        fail_msg("'%s' does not parse: %s at %u", text, err, off);
    return f;
}

static void expect_seg(const sgc_output_fmt *f, int i, sgc_oseg_kind kind, const char *text,
                       const char *arg, uint32_t off, uint32_t len)
{
    assert_true(i < f->nsegs);
    const sgc_oseg *s = &f->segs[i];
    assert_int_equal(s->kind, kind);
    assert_string_equal(s->text, text);
    if (arg)
        assert_string_equal(s->arg, arg);
    else
        assert_null(s->arg);
    assert_int_equal(s->off, off);
    assert_int_equal(s->len, len);
}

static void test_fields_and_text(void **state)
{
    (void)state;
    const char *t =
        "File below /etc opened (user=%user.name gp=%proc.aname[2] flags=%evt.arg.flags)";
    sgc_output_fmt f = parse_ok(t);
    assert_int_equal(f.nsegs, 7);
    expect_seg(&f, 0, SGC_OSEG_TEXT, "File below /etc opened (user=", NULL, 0, 29);
    expect_seg(&f, 1, SGC_OSEG_FIELD, "user.name", NULL, 29, 10);
    assert_int_equal(f.segs[1].name_off, 30);
    expect_seg(&f, 2, SGC_OSEG_TEXT, " gp=", NULL, 39, 4);
    expect_seg(&f, 3, SGC_OSEG_FIELD, "proc.aname", "2", 43, 14);
    assert_int_equal(f.segs[3].arg_off, 55);
    expect_seg(&f, 4, SGC_OSEG_TEXT, " flags=", NULL, 57, 7);
    expect_seg(&f, 5, SGC_OSEG_FIELD, "evt.arg.flags", NULL, 64, 14);
    expect_seg(&f, 6, SGC_OSEG_TEXT, ")", NULL, 78, 1);
    sgc_output_fmt_free(&f);
}

static void test_edges(void **state)
{
    (void)state;
    /* A sentence-ending dot is not part of the field name. */
    sgc_output_fmt f = parse_ok("by %user.name.");
    assert_int_equal(f.nsegs, 3);
    expect_seg(&f, 1, SGC_OSEG_FIELD, "user.name", NULL, 3, 10);
    expect_seg(&f, 2, SGC_OSEG_TEXT, ".", NULL, 13, 1);
    sgc_output_fmt_free(&f);

    /* %% is a literal percent sign. */
    f = parse_ok("100%% of %proc.name");
    assert_int_equal(f.nsegs, 3);
    assert_string_equal(f.segs[0].text, "100%");
    assert_string_equal(f.segs[1].text, " of ");
    expect_seg(&f, 2, SGC_OSEG_FIELD, "proc.name", NULL, 9, 10);
    sgc_output_fmt_free(&f);

    /* Adjacent fields, a path argument, a transformer. */
    f = parse_ok(
        "%proc.name%proc.pid %container.mount.dest[/var/run/docker.sock] %toupper(proc.name)");
    assert_int_equal(f.nsegs, 6);
    expect_seg(&f, 0, SGC_OSEG_FIELD, "proc.name", NULL, 0, 10);
    expect_seg(&f, 1, SGC_OSEG_FIELD, "proc.pid", NULL, 10, 9);
    expect_seg(&f, 3, SGC_OSEG_FIELD, "container.mount.dest", "/var/run/docker.sock", 20, 43);
    expect_seg(&f, 5, SGC_OSEG_TRANSFORM, "toupper", "proc.name", 64, 19);
    sgc_output_fmt_free(&f);

    f = parse_ok("");
    assert_int_equal(f.nsegs, 0);
    sgc_output_fmt_free(&f);
}

static void expect_error(const char *text, uint32_t off, const char *msg)
{
    sgc_output_fmt f;
    uint32_t eoff = 99;
    char *err = NULL;
    assert_int_equal(sgc_output_fmt_parse(text, strlen(text), &f, &eoff, &err), -1);
    assert_int_equal(eoff, off);
    assert_non_null(err);
    if (!strstr(err, msg)) fail_msg("'%s': message '%s' lacks '%s'", text, err, msg);
    free(err);
    sgc_output_fmt_free(&f);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("cpu at 100% now", 10, "invalid output token");
    expect_error("trailing %", 9, "cannot end");
    expect_error("x=%proc.aname[2", 2, "missing ']'");
    expect_error("x=%toupper(proc.name", 2, "unclosed '('");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_text),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
