/* The optimizer IR: atoms interned across rules, Kleene folding, negation
 * normal form, evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "parse.h"

static sgc_source *sources[64];
static int nsources;

static sgc_node *parse(const char *text)
{
    sgc_source *src = sgc_source_new(NULL, text, strlen(text));
    sources[nsources++] = src;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    if (!n) fail_msg("does not parse: %s", text);
    sgc_diags_free(&d);
    return n;
}

static void free_sources(void)
{
    while (nsources) sgc_source_free(sources[--nsources]);
}

/* Build, print, compare. */
static void expect_ir(const char *cond, const char *want)
{
    sgc_ir_atoms atoms;
    sgc_ir_atoms_init(&atoms);
    sgc_node *n = parse(cond);
    sgc_ir *ir = sgc_ir_from_ast(n, &atoms);
    char *got = sgc_ir_to_string(ir, &atoms);
    if (strcmp(got, want)) fail_msg("%s\n  got:  %s\n  want: %s", cond, got, want);
    free(got);
    sgc_ir_free(ir);
    sgc_node_free(n);
    sgc_ir_atoms_free(&atoms);
    free_sources();
}

static void test_structure_kept(void **state)
{
    (void)state;
    expect_ir("proc.name = bash", "proc.name = bash");
    expect_ir("a.b = 1 and (c.d = 2 and e.f = 3)", "a.b = 1 and c.d = 2 and e.f = 3");
    expect_ir("a.b = 1 or (c.d = 2 or e.f = 3)", "a.b = 1 or c.d = 2 or e.f = 3");
    expect_ir("not (a.b = 1 and c.d = 2)", "not (a.b = 1 and c.d = 2)");
    expect_ir("not not a.b = 1", "a.b = 1");
}

static void test_empty_lists_fold(void **state)
{
    (void)state;
    expect_ir("proc.name in ()", "false");
    expect_ir("evt.type = open and proc.name in ()", "false");
    expect_ir("evt.type = open or proc.name in ()", "evt.type = open");
    expect_ir("evt.type = open and not proc.name in ()", "evt.type = open");
    expect_ir("fd.name pmatch () or fd.name intersects ()", "false");
}

static void test_kleene_tables(void **state)
{
    (void)state;
    sgc_kleene T = SGC_K_TRUE, F = SGC_K_FALSE, U = SGC_K_UNKNOWN;
    assert_int_equal(sgc_kleene_and(U, F), F);
    assert_int_equal(sgc_kleene_and(U, T), U);
    assert_int_equal(sgc_kleene_or(U, T), T);
    assert_int_equal(sgc_kleene_or(U, F), U);
    assert_int_equal(sgc_kleene_not(U), U);
    assert_int_equal(sgc_kleene_not(T), F);
}

static void test_unknown_constants_stay(void **state)
{
    (void)state;
    /* unknown and x is not x: when x is TRUE the result is UNKNOWN */
    sgc_ir *n = sgc_ir_new(SGC_IR_AND);
    sgc_ir_add_kid(n, sgc_ir_const(SGC_K_UNKNOWN));
    sgc_ir_add_kid(n, sgc_ir_atom_ref(0));
    n = sgc_ir_fold(n);
    assert_int_equal(n->kind, SGC_IR_AND);
    assert_int_equal(n->nkids, 2);
    sgc_ir_free(n);
    /* unknown and false = false, unknown or true = true, not unknown = unknown */
    n = sgc_ir_new(SGC_IR_AND);
    sgc_ir_add_kid(n, sgc_ir_const(SGC_K_UNKNOWN));
    sgc_ir_add_kid(n, sgc_ir_const(SGC_K_FALSE));
    n = sgc_ir_fold(n);
    assert_true(n->kind == SGC_IR_CONST && n->value == SGC_K_FALSE);
    sgc_ir_free(n);
    n = sgc_ir_new(SGC_IR_NOT);
    sgc_ir_add_kid(n, sgc_ir_const(SGC_K_UNKNOWN));
    n = sgc_ir_fold(n);
    assert_true(n->kind == SGC_IR_CONST && n->value == SGC_K_UNKNOWN);
    sgc_ir_free(n);
}

static void test_atoms_interned_across_rules(void **state)
{
    (void)state;
    sgc_ir_atoms atoms;
    sgc_ir_atoms_init(&atoms);
    sgc_node *a = parse("proc.name in (bash, sh) and fd.name startswith /etc/");
    sgc_node *b = parse("not proc.name in (bash, sh) or fd.name startswith /etc/");
    sgc_ir *ia = sgc_ir_from_ast(a, &atoms);
    sgc_ir *ib = sgc_ir_from_ast(b, &atoms);
    assert_int_equal(atoms.n, 2);
    assert_string_equal(atoms.v[0]->field, "proc.name");
    assert_int_equal(atoms.v[0]->nvals, 2);
    assert_true(atoms.v[0]->rhs_is_list);
    assert_string_equal(atoms.v[1]->vals[0], "/etc/");
    sgc_ir_free(ia);
    sgc_ir_free(ib);
    sgc_node_free(a);
    sgc_node_free(b);
    sgc_ir_atoms_free(&atoms);
    free_sources();
}

static sgc_kleene values[4];
static sgc_kleene value_of(int atom, void *ud)
{
    (void)ud;
    return values[atom];
}

/* NNF is exact in Kleene logic: same value as the original for every
 * assignment of three atoms. */
static void test_nnf_preserves_value(void **state)
{
    (void)state;
    const char *conds[] = {
        "not (a.a = 1 and (b.b = 1 or not c.c = 1))",
        "not (not a.a = 1 or b.b = 1) and not c.c = 1",
        "a.a = 1 or not (b.b = 1 and not (c.c = 1 or a.a = 1))",
    };
    for (size_t c = 0; c < sizeof conds / sizeof conds[0]; c++) {
        sgc_ir_atoms atoms;
        sgc_ir_atoms_init(&atoms);
        sgc_node *n = parse(conds[c]);
        sgc_ir *ir = sgc_ir_from_ast(n, &atoms);
        sgc_ir *nnf = sgc_ir_nnf(ir);
        char *txt = sgc_ir_to_string(nnf, &atoms);
        /* not only above atoms */
        for (const char *p = strstr(txt, "not "); p; p = strstr(p + 1, "not "))
            assert_true(p[4] != '(');
        for (int i = 0; i < 27; i++) {
            values[0] = (sgc_kleene)(i % 3);
            values[1] = (sgc_kleene)(i / 3 % 3);
            values[2] = (sgc_kleene)(i / 9);
            assert_int_equal(sgc_ir_eval(ir, value_of, NULL), sgc_ir_eval(nnf, value_of, NULL));
        }
        free(txt);
        sgc_ir_free(nnf);
        sgc_ir_free(ir);
        sgc_node_free(n);
        sgc_ir_atoms_free(&atoms);
        free_sources();
    }
}

static int fixed_unknown(int atom, void *ud)
{
    (void)ud;
    return atom == 1 ? SGC_K_UNKNOWN : -1;
}

static void test_substitute_folds(void **state)
{
    (void)state;
    sgc_ir_atoms atoms;
    sgc_ir_atoms_init(&atoms);
    sgc_node *n = parse("a.a = 1 and not b.b = 2");
    sgc_ir *ir = sgc_ir_from_ast(n, &atoms);
    sgc_ir *s = sgc_ir_substitute(ir, fixed_unknown, NULL);
    char *txt = sgc_ir_to_string(s, &atoms);
    assert_string_equal(txt, "a.a = 1 and unknown");
    free(txt);
    sgc_ir_free(s);
    sgc_ir_free(ir);
    sgc_node_free(n);
    sgc_ir_atoms_free(&atoms);
    free_sources();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure_kept),
        cmocka_unit_test(test_empty_lists_fold),
        cmocka_unit_test(test_kleene_tables),
        cmocka_unit_test(test_unknown_constants_stay),
        cmocka_unit_test(test_atoms_interned_across_rules),
        cmocka_unit_test(test_nnf_preserves_value),
        cmocka_unit_test(test_substitute_folds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
