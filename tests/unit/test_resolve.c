/* Name resolution: macros expanded (with Falco's visibility rules, cycles and
 * undefined names reported at their use), lists spliced (nested, quoted
 * items), exceptions appended as `and not (...)`, used marks, printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "resolve.h"

#define RULE(name, cond)                                                                           \
    "- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: INFO\n"

static sgc_ruleset *load_resolve(const char *yaml, int expect_rc)
{
    sgc_ruleset *rs = sgc_ruleset_new();
    assert_int_equal(sgc_ruleset_load_buffer(rs, "t.yaml", yaml, strlen(yaml)), 0);
    int rc = sgc_ruleset_resolve(rs);
    if (rc != expect_rc)
        for (int i = 0; i < rs->diags.n; i++)
            fprintf(stderr, "  %s %d:%d %s\n", rs->diags.v[i].code, rs->diags.v[i].line,
                    rs->diags.v[i].col, rs->diags.v[i].msg);
    assert_int_equal(rc, expect_rc);
    return rs;
}

/* The resolved condition of a rule, as Falco text. */
static void assert_resolved(const sgc_ruleset *rs, const char *rule, const char *want)
{
    sgc_rule *r = sgc_ruleset_find_rule(rs, rule);
    assert_non_null(r);
    assert_non_null(r->resolved);
    char *got = sgc_node_to_condition(r->resolved);
    if (strcmp(got, want)) fprintf(stderr, "  got:  %s\n  want: %s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

static const sgc_diag *find_diag(const sgc_ruleset *rs, const char *code)
{
    for (int i = 0; i < rs->diags.n; i++)
        if (!strcmp(rs->diags.v[i].code, code)) return &rs->diags.v[i];
    return NULL;
}

static void test_macros_expand_and_stay_intact(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve(
        "- macro: open_read\n  condition: evt.type = open and evt.is_open_read = true\n"
        "- macro: shell\n  condition: proc.name = bash or proc.name = sh\n"
        "- macro: shell_reads\n  condition: open_read and (shell)\n" RULE(
            "r", "shell_reads and not fd.name startswith /proc"),
        0);
    /* macro bodies stay subtrees (the printer shows them parenthesized) */
    assert_resolved(
        rs, "r",
        "((evt.type = open and evt.is_open_read = true) and (proc.name = bash or proc.name = sh)) "
        "and not fd.name startswith /proc");
    /* the macro itself is unchanged */
    sgc_macro *m = sgc_ruleset_find_macro(rs, "shell_reads");
    assert_int_equal(m->ast->kind, SGC_N_AND);
    assert_int_equal(m->ast->kids[0]->kind, SGC_N_MACRO);
    assert_true(m->used);
    assert_true(sgc_ruleset_find_macro(rs, "shell")->used);
    sgc_ruleset_free(rs);
}

/* Expanded subtrees keep the macro's locations and name the macro. */
static void test_expanded_locations(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve(
        "- macro: shell\n  condition: proc.name = bash\n" RULE("r", "evt.type = execve and shell"),
        0);
    sgc_node *res = sgc_ruleset_find_rule(rs, "r")->resolved;
    assert_int_equal(res->kind, SGC_N_AND);
    sgc_node *check = res->kids[1];
    assert_int_equal(check->kind, SGC_N_CHECK);
    assert_non_null(check->from_macro);
    assert_string_equal(check->from_macro, "shell");
    assert_null(res->kids[0]->from_macro);
    int line, col;
    sgc_loc_pos(check->lhs->loc, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 14);
    sgc_ruleset_free(rs);
}

static void test_lists_nested_and_quoted(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load_resolve("- list: base\n  items: [bash, sh]\n"
                     "- list: more\n  items: [base, zsh, '\"75-system-updat\"', \"(systemd)\"]\n"
                     "- list: unused_one\n  items: [x]\n" RULE(
                         "r", "proc.name in (more, fish, \"base\") and proc.pname in base"),
                     0);
    assert_resolved(
        rs, "r",
        "proc.name in (bash, sh, zsh, \"75-system-updat\", \"(systemd)\", fish, \"base\") "
        "and proc.pname in (bash, sh)");
    assert_true(sgc_ruleset_find_list(rs, "base")->used);
    assert_true(sgc_ruleset_find_list(rs, "more")->used);
    assert_false(sgc_ruleset_find_list(rs, "unused_one")->used);
    /* a spliced item points at where the list wrote it */
    sgc_node *res = sgc_ruleset_find_rule(rs, "r")->resolved;
    sgc_value *items = res->kids[0]->rhs;
    assert_int_equal(items->kind, SGC_V_LIST);
    assert_string_equal(items->items[3]->str, "75-system-updat");
    int line, col;
    sgc_loc_pos(items->items[2]->loc, &line, &col); /* zsh */
    assert_int_equal(line, 4);
    assert_int_equal(col, 17);
    sgc_ruleset_free(rs);
}

/* Falco: a list item names another list only if that list came first. */
static void test_list_visibility(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load_resolve("- list: first\n  items: [later, a]\n"
                     "- list: later\n  items: [b]\n"
                     "- list: third\n  items: [first]\n" RULE("r", "proc.name in (third)"),
                     0);
    assert_resolved(rs, "r", "proc.name in (later, a)");
    sgc_ruleset_free(rs);
}

static void test_empty_list(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve(
        "- list: none\n  items: []\n" RULE("r", "evt.type = open and proc.name in (none)"), 0);
    sgc_node *res = sgc_ruleset_find_rule(rs, "r")->resolved;
    assert_int_equal(res->kids[1]->rhs->nitems, 0);
    sgc_ruleset_free(rs);
}

static void test_exceptions_appended(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve(
        "- list: known\n  items: [/etc/a, /etc/b]\n" RULE(
            "r", "evt.type = open or evt.type = openat") "  exceptions:\n"
                                                         "    - name: pairs\n"
                                                         "      fields: [proc.name, fd.name]\n"
                                                         "      comps: [=, in]\n"
                                                         "      values:\n"
                                                         "        - [nginx, known]\n"
                                                         "        - [apache, [/x, /y]]\n"
                                                         "    - name: single\n"
                                                         "      fields: proc.pname\n"
                                                         "      values: [sshd, known]\n",
        0);
    assert_resolved(
        rs, "r",
        "(evt.type = open or evt.type = openat) and not "
        "(proc.name = nginx and fd.name in (/etc/a, /etc/b) or "
        "proc.name = apache and fd.name in (/x, /y)) and not proc.pname in (sshd, /etc/a, /etc/b)");
    assert_true(sgc_ruleset_find_list(rs, "known")->used);
    sgc_ruleset_free(rs);
}

static void test_cycle_reported_once(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load_resolve("- macro: a\n  condition: evt.type = open\n"
                     "- macro: b\n  condition: a and proc.name = bash\n"
                     "- macro: a\n  condition: b or evt.type = openat\n" RULE("r", "a"),
                     -1);
    int cycles = 0;
    for (int i = 0; i < rs->diags.n; i++)
        if (strstr(rs->diags.v[i].msg, "cycle")) cycles++;
    assert_int_equal(cycles, 1);
    const sgc_diag *d = find_diag(rs, "LOAD_ERR_VALIDATE");
    assert_non_null(strstr(d->msg, "a -> b -> a"));
    assert_int_equal(d->line, 4);
    assert_int_equal(d->col, 14);
    assert_null(sgc_ruleset_find_rule(rs, "r")->resolved);
    sgc_ruleset_free(rs);
}

static void test_undefined_macro(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load_resolve(RULE("r", "evt.type = open and not (trusted or evt.res != 0)"), -1);
    const sgc_diag *d = find_diag(rs, "LOAD_ERR_VALIDATE");
    assert_non_null(strstr(d->msg, "Undefined macro 'trusted'"));
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 39);
    assert_string_equal(d->item, "rule 'r'");
    sgc_ruleset_free(rs);
}

/* A macro sees only macros defined before it; a rule sees all. */
static void test_macro_visibility(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load_resolve(RULE("r", "late") "- macro: late\n  condition: evt.type = open\n", 0);
    assert_resolved(rs, "r", "evt.type = open");
    sgc_ruleset_free(rs);
    rs = load_resolve(
        "- macro: early\n  condition: late\n- macro: late\n  condition: evt.type = open\n", -1);
    const sgc_diag *d = find_diag(rs, "LOAD_ERR_VALIDATE");
    assert_non_null(strstr(d->msg, "defined after"));
    assert_int_equal(d->line, 2);
    assert_int_equal(d->col, 14);
    sgc_ruleset_free(rs);
    /* appending to the earlier macro later moves its point of view */
    rs = load_resolve(
        "- macro: early\n  condition: evt.type = open\n- macro: late\n  condition: proc.name = "
        "bash\n"
        "- macro: early\n  condition: and late\n  override:\n    condition: append\n" RULE("r",
                                                                                           "early"),
        0);
    assert_resolved(rs, "r", "evt.type = open and proc.name = bash");
    sgc_ruleset_free(rs);
}

static void test_undefined_list_ref(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve(RULE("r", "proc.name in nolist"), -1);
    const sgc_diag *d = find_diag(rs, "LOAD_ERR_COMPILE_CONDITION");
    assert_non_null(d);
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 27);
    sgc_ruleset_free(rs);
}

static void test_broken_macro_no_cascade(void **state)
{
    (void)state;
    sgc_ruleset *rs = sgc_ruleset_new();
    const char *y =
        "- macro: broken\n  condition: evt.type = (\n" RULE("r", "broken and proc.name = x");
    sgc_ruleset_load_buffer(rs, "t.yaml", y, strlen(y));
    assert_int_equal(rs->diags.nerrors, 1);
    sgc_ruleset_resolve(rs);
    assert_int_equal(rs->diags.nerrors, 1); /* no second error for the rule */
    assert_null(sgc_ruleset_find_rule(rs, "r")->resolved);
    sgc_ruleset_free(rs);
}

static void test_used_marks_like_falco(void **state)
{
    (void)state;
    /* used from a disabled rule and from an unused macro both count */
    sgc_ruleset *rs = load_resolve(
        "- macro: a\n  condition: evt.type = open\n"
        "- macro: b\n  condition: evt.type = close\n"
        "- macro: c\n  condition: b\n"
        "- macro: lonely\n  condition: evt.type = read\n" RULE("r", "a") "  enabled: false\n",
        0);
    assert_true(sgc_ruleset_find_macro(rs, "a")->used);
    assert_true(sgc_ruleset_find_macro(rs, "b")->used);
    assert_false(sgc_ruleset_find_macro(rs, "c")->used);
    assert_false(sgc_ruleset_find_macro(rs, "lonely")->used);
    sgc_ruleset_free(rs);
}

static void test_exponential_macros_refused(void **state)
{
    (void)state;
    char *y = strdup("- macro: m0\n  condition: evt.type = open\n");
    for (int i = 1; i <= 30; i++) {
        char *n = NULL;
        assert_true(asprintf(&n, "%s- macro: m%d\n  condition: m%d and m%d\n", y, i, i - 1, i - 1) >
                    0);
        free(y);
        y = n;
    }
    char *full = NULL;
    assert_true(asprintf(&full, "%s" RULE("r", "m30"), y) > 0);
    sgc_ruleset *rs = load_resolve(full, -1);
    assert_non_null(strstr(find_diag(rs, "LOAD_ERR_COMPILE_CONDITION")->msg, "too large"));
    sgc_ruleset_free(rs);
    free(y);
    free(full);
}

static void test_print_resolved(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve("- list: l\n  items: [a, b]\n" RULE("on", "proc.name in (l)")
                                       RULE("off", "evt.type = open") "  enabled: false\n",
                                   0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgc_ruleset_print_resolved(f, rs);
    fclose(f);
    assert_string_equal(buf, "on: proc.name in (a, b)\n");
    free(buf);
    sgc_ruleset_free(rs);
}

static void test_resolve_twice(void **state)
{
    (void)state;
    sgc_ruleset *rs = load_resolve("- macro: m\n  condition: evt.type = open\n" RULE("r", "m"), 0);
    const char *more =
        "- macro: m\n  condition: or evt.type = close\n  override:\n    condition: append\n";
    assert_int_equal(sgc_ruleset_load_buffer(rs, "more.yaml", more, strlen(more)), 0);
    assert_int_equal(sgc_ruleset_resolve(rs), 0);
    assert_resolved(rs, "r", "evt.type = open or evt.type = close");
    sgc_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_macros_expand_and_stay_intact),
        cmocka_unit_test(test_expanded_locations),
        cmocka_unit_test(test_lists_nested_and_quoted),
        cmocka_unit_test(test_list_visibility),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_exceptions_appended),
        cmocka_unit_test(test_cycle_reported_once),
        cmocka_unit_test(test_undefined_macro),
        cmocka_unit_test(test_macro_visibility),
        cmocka_unit_test(test_undefined_list_ref),
        cmocka_unit_test(test_broken_macro_no_cascade),
        cmocka_unit_test(test_used_marks_like_falco),
        cmocka_unit_test(test_exponential_macros_refused),
        cmocka_unit_test(test_print_resolved),
        cmocka_unit_test(test_resolve_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
