/* Event-type sets of conditions: Falco's semantics (negation pushed to the
 * leaves, and = intersection, or = union, other checks neutral). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evttypes.h"
#include "parse.h"
#include "systables.h"

static sgc_node *parse(const char *text, sgc_source **src)
{
    *src = sgc_source_new(NULL, text, strlen(text));
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(*src, NULL, &d);
    if (!n) fail_msg("does not parse: %s (%s)", text, d.n ? d.v[0].msg : "?");
    sgc_diags_free(&d);
    return n;
}

/* Evaluate text and compare with the expected set: names listed in
 * `names`, or, with invert, every type except them. */
static void expect(const char *text, bool invert, const char *names)
{
    sgc_source *src;
    sgc_node *n = parse(text, &src);
    sgc_evtset got, want;
    sgc_condition_evttypes(n, &got);
    sgc_evtset_init(&want, false);
    char *copy = strdup(names), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        int id = sgc_event_id(t);
        if (id < 0) fail_msg("test names unknown event %s", t);
        sgc_evtset_add(&want, id);
    }
    free(copy);
    if (invert) sgc_evtset_complement(&want);
    if (!sgc_evtset_equal(&got, &want)) {
        char *g = sgc_evtset_to_string(&got, 8);
        fail_msg("%s: got %d types {%s}, want %s{%s}", text, sgc_evtset_count(&got), g,
                 invert ? "all but " : "", names);
    }
    sgc_evtset_free(&got);
    sgc_evtset_free(&want);
    sgc_node_free(n);
    sgc_source_free(src);
}

#define ONLY(text, names)    expect(text, false, names)
#define ALL_BUT(text, names) expect(text, true, names)

static void test_set_operations(void **state)
{
    sgc_evtset a, b;
    sgc_evtset_init(&a, false);
    sgc_evtset_init(&b, true);
    assert_true(a.nbits == sgc_event_count());
    assert_true(a.nbits > 300);
    assert_true(sgc_evtset_is_empty(&a));
    assert_true(sgc_evtset_is_all(&b));
    assert_int_equal(sgc_evtset_count(&b), sgc_event_count());
    sgc_evtset_add(&a, 0);
    sgc_evtset_add(&a, a.nbits - 1);
    sgc_evtset_add(&a, a.nbits); /* out of range: ignored */
    sgc_evtset_add(&a, -1);
    assert_int_equal(sgc_evtset_count(&a), 2);
    assert_true(sgc_evtset_has(&a, a.nbits - 1));
    assert_false(sgc_evtset_has(&a, 1));
    sgc_evtset_complement(&a);
    assert_int_equal(sgc_evtset_count(&a), a.nbits - 2);
    sgc_evtset_intersect(&b, &a);
    assert_true(sgc_evtset_equal(&a, &b));
    sgc_evtset_complement(&a);
    sgc_evtset_union(&b, &a);
    assert_true(sgc_evtset_is_all(&b));
    sgc_evtset_free(&a);
    sgc_evtset_free(&b);
}

static void test_leaves(void **state)
{
    ONLY("evt.type = open", "open");
    ONLY("evt.type == open", "open");
    ONLY("evt.type in (open, openat, openat2)", "open openat openat2");
    ALL_BUT("evt.type != open", "open");
    ONLY("syscall.type = execve", "execve");
    ALL_BUT("proc.name = bash", "");
    ALL_BUT("evt.type startswith open", ""); /* not an event-type operator */
    ALL_BUT("evt.type exists", "");
    ONLY("evt.type = no_such_event", ""); /* unknown names match nothing */
    ONLY("evt.type in (open, no_such_event)", "open");
}

static void test_and_or(void **state)
{
    ONLY("evt.type = open and proc.name = bash", "open");
    ALL_BUT("evt.type = open or proc.name = bash", "");
    ONLY("evt.type = open or evt.type = execve", "open execve");
    ONLY("evt.type = open and evt.type = execve", "");
    ONLY("evt.type in (open, openat) and evt.type in (openat, execve)", "openat");
    ONLY("(evt.type = open or evt.type = connect) and (proc.name = a or fd.name = b)",
         "open connect");
    ONLY("evt.type in (open, openat) and not evt.type = openat", "open");
    ALL_BUT("evt.type != open and evt.type != execve", "open execve");
}

static void test_negation(void **state)
{
    ALL_BUT("not evt.type = open", "open");
    ONLY("not evt.type != open", "open");
    ONLY("not not evt.type = open", "open");
    /* De Morgan: not (A and B) = not A or not B; B is neutral, so all types */
    ALL_BUT("not (evt.type = open and proc.name = bash)", "");
    ALL_BUT("not (evt.type = open or evt.type = execve)", "open execve");
    ONLY("not (evt.type != open or proc.name = bash)", "open");
    ONLY("not evt.type exists", "");
    ALL_BUT("not proc.name = bash", ""); /* neutral checks stay neutral */
    ONLY("evt.type = open and not proc.name in (a, b)", "open");
    ONLY("evt.type = open and not evt.type = open", "");
}

static void test_to_string(void **state)
{
    sgc_source *src;
    sgc_node *n = parse("evt.type in (execve, open)", &src);
    sgc_evtset s;
    sgc_condition_evttypes(n, &s);
    char *str = sgc_evtset_to_string(&s, 5);
    assert_non_null(strstr(str, "open"));
    assert_non_null(strstr(str, "execve"));
    free(str);
    str = sgc_evtset_to_string(&s, 1);
    assert_non_null(strstr(str, "(1 more)"));
    free(str);
    sgc_evtset_free(&s);
    sgc_node_free(n);
    sgc_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_operations), cmocka_unit_test(test_leaves),
        cmocka_unit_test(test_and_or),         cmocka_unit_test(test_negation),
        cmocka_unit_test(test_to_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
