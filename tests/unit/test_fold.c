/* Constant folding for lint: only what is provably constant folds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "parse.h"

typedef struct {
    sgc_source *src;
    sgc_node *ast;
    sgc_fold_result r;
} folded;

static folded fold_text(const char *text)
{
    folded f;
    f.src = sgc_source_new(NULL, text, strlen(text));
    sgc_diags d;
    sgc_diags_init(&d);
    f.ast = sgc_parse_condition(f.src, NULL, &d);
    if (!f.ast) fail_msg("does not parse: %s", text);
    sgc_diags_free(&d);
    f.r = sgc_fold_condition(f.ast);
    return f;
}

static void release(folded *f)
{
    sgc_node_free(f->ast);
    sgc_source_free(f->src);
}

/* Expect a value and, when constant, the culprit's text offset and a reason
 * containing `reason`. */
static void expect(const char *text, sgc_fold_value v, int culprit_off, const char *reason)
{
    folded f = fold_text(text);
    if (f.r.value != v) fail_msg("%s: folds to %d, want %d", text, f.r.value, v);
    if (v != SGC_FOLD_UNKNOWN) {
        assert_non_null(f.r.culprit);
        if (culprit_off >= 0 && (int)f.r.culprit->loc.off != culprit_off)
            fail_msg("%s: culprit at offset %u, want %d", text, f.r.culprit->loc.off, culprit_off);
        if (!f.r.reason || !strstr(f.r.reason, reason))
            fail_msg("%s: reason '%s', want '%s'", text, f.r.reason ? f.r.reason : "", reason);
    } else {
        assert_null(f.r.culprit);
    }
    release(&f);
}

static void test_not_constant(void **state)
{
    expect("proc.name = bash", SGC_FOLD_UNKNOWN, -1, NULL);
    expect("evt.num = 0", SGC_FOLD_UNKNOWN, -1, NULL); /* a runtime convention, not a proof */
    expect("proc.name = a and not proc.name = b", SGC_FOLD_UNKNOWN, -1, NULL);
    expect("evt.type = open or proc.name in ()", SGC_FOLD_UNKNOWN, -1, NULL);
    expect("evt.type = open and not proc.name in ()", SGC_FOLD_UNKNOWN, -1, NULL);
    expect("evt.type in (open, openat) and evt.type = openat", SGC_FOLD_UNKNOWN, -1, NULL);
    expect("some_macro and not some_macro_2", SGC_FOLD_UNKNOWN, -1, NULL);
}

static void test_empty_list(void **state)
{
    expect("proc.name in ()", SGC_FOLD_FALSE, -1, "empty");
    expect("fd.name pmatch ()", SGC_FOLD_FALSE, -1, "empty");
    expect("not proc.name in ()", SGC_FOLD_TRUE, -1, "empty");
    {
        /* the culprit is the check, which is false; the condition is true */
        folded f = fold_text("not proc.name in ()");
        assert_int_equal(f.r.culprit_value, SGC_FOLD_FALSE);
        assert_int_equal(f.r.value, SGC_FOLD_TRUE);
        release(&f);
    }
    expect("evt.type = open and proc.name in ()", SGC_FOLD_FALSE, 20, "empty");
}

static void test_complement(void **state)
{
    expect("proc.name = bash and not proc.name = bash", SGC_FOLD_FALSE, -1, "negation");
    expect("proc.name = bash or not proc.name = \"bash\"", SGC_FOLD_TRUE, -1, "negation");
    expect("evt.type = open and (fd.name = x and not fd.name = x)", SGC_FOLD_FALSE, -1, "negation");
    expect("m1 and not m1", SGC_FOLD_FALSE, -1, "negation");
}

static void test_evttype_contradictions(void **state)
{
    expect("evt.type = open and evt.type = execve", SGC_FOLD_FALSE, -1, "contradict");
    expect("evt.type in (open) and proc.name = a and evt.type in (execve, connect)", SGC_FOLD_FALSE,
           -1, "contradict");
    expect("evt.type = open and not evt.type = open", SGC_FOLD_FALSE, -1, "");
    expect("evt.type != open or evt.type != execve", SGC_FOLD_TRUE, -1, "every event type");
    expect("evt.type = no_such_event", SGC_FOLD_FALSE, 0, "no event type");
    expect("proc.name = x or (evt.type = open and evt.type = execve)", SGC_FOLD_UNKNOWN, -1, NULL);
}

static void test_node_equal(void **state)
{
    folded a = fold_text("proc.name in (a, \"b\") and fd.name startswith /etc");
    folded b = fold_text("proc.name in (\"a\", b) and fd.name startswith \"/etc\"");
    folded c = fold_text("proc.name in (a, b) and fd.name startswith /et");
    assert_true(sgc_node_equal(a.ast, b.ast));
    assert_false(sgc_node_equal(a.ast, c.ast));
    release(&a);
    release(&b);
    release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_constant), cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_complement),   cmocka_unit_test(test_evttype_contradictions),
        cmocka_unit_test(test_node_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
