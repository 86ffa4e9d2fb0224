/* The AST module (grammar/ast.c, grammar/ast_print.c) and the parser's
 * contract beyond what the case files check: locations, mapped positions,
 * nesting limits, odd bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ast.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------------- */

typedef struct {
    sgc_source *src;
    sgc_diags diags;
    sgc_node *ast;
} parsed;

static parsed parse_with(const char *text, size_t len, int max_depth)
{
    parsed p;
    p.src = sgc_source_new(NULL, text, len);
    sgc_diags_init(&p.diags);
    sgc_parse_opts opts = {.max_depth = max_depth};
    p.ast = sgc_parse_condition(p.src, &opts, &p.diags);
    return p;
}

static parsed parse(const char *text) { return parse_with(text, strlen(text), 0); }

static void done(parsed *p)
{
    sgc_node_free(p->ast);
    sgc_diags_free(&p->diags);
    sgc_source_free(p->src);
}

static void assert_sexpr(const sgc_node *n, const char *want)
{
    char *got = sgc_node_to_sexpr(n);
    assert_string_equal(got, want);
    free(got);
}

static sgc_value *string_value(const char *s, bool quoted)
{
    sgc_value *v = sgc_value_new(SGC_V_STRING, (sgc_loc){NULL, 0});
    v->str = strdup(s);
    v->quoted = quoted;
    return v;
}

static sgc_value *field_value(const char *name, const char *arg)
{
    sgc_value *v = sgc_value_new(SGC_V_FIELD, (sgc_loc){NULL, 0});
    v->field = strdup(name);
    v->arg = arg ? strdup(arg) : NULL;
    return v;
}

static sgc_node *check_node(sgc_value *lhs, sgc_op op, sgc_value *rhs)
{
    sgc_node *n = sgc_node_new(SGC_N_CHECK, (sgc_loc){NULL, 0});
    n->lhs = lhs;
    n->op = op;
    n->rhs = rhs;
    return n;
}

static sgc_node *macro_node(const char *name)
{
    sgc_node *n = sgc_node_new(SGC_N_MACRO, (sgc_loc){NULL, 0});
    n->name = strdup(name);
    return n;
}

/* ---- operators ------------------------------------------------------------------ */

static void test_op_names_round_trip(void **state)
{
    (void)state;
    for (int op = 0; op < SGC_OP__COUNT; op++) {
        const char *name = sgc_op_name((sgc_op)op);
        assert_non_null(name);
        assert_int_equal(sgc_op_lookup(name), op);
    }
    assert_int_equal(sgc_op_lookup("=="), SGC_OP_EQ);
    assert_string_equal(sgc_op_name(SGC_OP_EQ), "=");
    assert_int_equal(sgc_op_lookup("equals"), -1);
    assert_int_equal(sgc_op_lookup(""), -1);
    assert_int_equal(sgc_op_lookup(NULL), -1);
    assert_string_equal(sgc_op_name(SGC_OP__COUNT), "?");
}

static void test_op_classes(void **state)
{
    (void)state;
    assert_true(sgc_op_is_list(SGC_OP_IN));
    assert_true(sgc_op_is_list(SGC_OP_INTERSECTS));
    assert_true(sgc_op_is_list(SGC_OP_PMATCH));
    assert_false(sgc_op_is_list(SGC_OP_EQ));
    assert_false(sgc_op_is_list(SGC_OP_CONTAINS));
    assert_true(sgc_op_is_numeric(SGC_OP_LT));
    assert_true(sgc_op_is_numeric(SGC_OP_GE));
    assert_false(sgc_op_is_numeric(SGC_OP_EQ));
    assert_false(sgc_op_is_numeric(SGC_OP_EXISTS));
}

/* ---- printers --------------------------------------------------------------------- */

static void test_sexpr_escapes_strings(void **state)
{
    (void)state;
    sgc_node *n = check_node(field_value("proc.name", NULL), SGC_OP_EQ,
                             string_value("a\"b\\c\nd\te\x01", true));
    assert_sexpr(n, "(= proc.name \"a\\\"b\\\\c\\nd\\te\\x01\")");
    sgc_node_free(n);
}

static void test_sexpr_field_args(void **state)
{
    (void)state;
    sgc_node *n = check_node(field_value("proc.aname", "2"), SGC_OP_EXISTS, NULL);
    assert_sexpr(n, "(exists proc.aname[2])");
    sgc_node_free(n);
    /* an argument that would not read back bare is quoted */
    n = check_node(field_value("proc.env", "MY VAR"), SGC_OP_EXISTS, NULL);
    assert_sexpr(n, "(exists proc.env[\"MY VAR\"])");
    sgc_node_free(n);
}

static void test_sexpr_all_node_kinds(void **state)
{
    (void)state;
    sgc_node *and_n = sgc_node_new(SGC_N_AND, (sgc_loc){NULL, 0});
    sgc_node *not_n = sgc_node_new(SGC_N_NOT, (sgc_loc){NULL, 0});
    sgc_node_add_kid(not_n, macro_node("m"));
    sgc_node_add_kid(and_n, not_n);
    sgc_node *c = sgc_node_new(SGC_N_CONST, (sgc_loc){NULL, 0});
    c->const_value = true;
    sgc_node_add_kid(and_n, c);
    sgc_value *ref = sgc_value_new(SGC_V_LISTREF, (sgc_loc){NULL, 0});
    ref->str = strdup("shells");
    sgc_node_add_kid(and_n, check_node(field_value("proc.name", NULL), SGC_OP_IN, ref));
    sgc_value *tr = sgc_value_new(SGC_V_TRANSFORM, (sgc_loc){NULL, 0});
    tr->str = strdup("tolower");
    sgc_value_add_item(tr, field_value("fd.name", NULL));
    sgc_value *val = sgc_value_new(SGC_V_VAL, (sgc_loc){NULL, 0});
    sgc_value_add_item(val, field_value("proc.pname", NULL));
    sgc_node_add_kid(and_n, check_node(tr, SGC_OP_EQ, val));
    assert_sexpr(and_n, "(and (not (macro m)) (const true) (in proc.name (listref shells)) "
                        "(= (tolower fd.name) (val proc.pname)))");
    sgc_node_free(and_n);

    assert_sexpr(NULL, "nil");
}

static void test_print_to_file_matches_string(void **state)
{
    (void)state;
    parsed p = parse("a and (b or proc.name in (x, \"y z\"))");
    assert_non_null(p.ast);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgc_node_print_sexpr(f, p.ast);
    fclose(f);
    char *s = sgc_node_to_sexpr(p.ast);
    assert_string_equal(buf, s);
    free(buf);
    free(s);
    done(&p);
}

static void test_condition_printer(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"a and b", "a and b"},
        {"(a or b) and c", "(a or b) and c"},
        {"a or b and c", "a or b and c"},
        {"not (a and b)", "not (a and b)"},
        {"not a", "not a"},
        {"(a and b) and c", "(a and b) and c"},
        {"proc.name = bash", "proc.name = bash"},
        {"proc.name = \"a b\"", "proc.name = \"a b\""},
        {"proc.name = 'it\"s'", "proc.name = \"it\\\"s\""},
        {"proc.name = \"\"", "proc.name = \"\""},
        {"proc.name = and", "proc.name = \"and\""},
        {"proc.name in (a, \"b c\")", "proc.name in (a, \"b c\")"},
        {"proc.name in ()", "proc.name in ()"},
        {"proc.name in shells", "proc.name in shells"},
        {"proc.aname[2] exists", "proc.aname[2] exists"},
        {"proc.env[\"A B\"] = x", "proc.env[\"A B\"] = x"},
        {"tolower(fd.name) = val(proc.pname)", "tolower(fd.name) = val(proc.pname)"},
        {"getopt(proc.args, \"t:\")[t] = x", "getopt(proc.args, \"t:\")[t] = x"},
        {"fd.num>=0", "fd.num >= 0"},
        {"proc.name = \"tab\\there\"", "proc.name = \"tab\\there\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parsed p = parse(cases[i].in);
        assert_non_null(p.ast);
        char *text = sgc_node_to_condition(p.ast);
        if (strcmp(text, cases[i].out))
            fail_msg("'%s' printed as '%s', want '%s'", cases[i].in, text, cases[i].out);
        free(text);
        done(&p);
    }
}

/* ---- clone and free ------------------------------------------------------------------ */

static void test_clone_is_deep(void **state)
{
    (void)state;
    parsed p =
        parse("a and not (proc.aname[2] in (x, \"y\") or tolower(fd.name) = val(proc.pname))");
    assert_non_null(p.ast);
    p.ast->from_macro = "outer";
    sgc_node *c = sgc_node_clone(p.ast);
    char *s1 = sgc_node_to_sexpr(p.ast), *s2 = sgc_node_to_sexpr(c);
    assert_string_equal(s1, s2);
    assert_ptr_equal(c->from_macro, p.ast->from_macro);
    assert_int_equal(c->loc.off, p.ast->loc.off);
    assert_ptr_equal(c->loc.src, p.ast->loc.src);

    /* nothing is shared: change the clone, the original stays */
    sgc_node *check = c->kids[1]->kids[0]->kids[0];
    assert_int_equal(check->kind, SGC_N_CHECK);
    assert_ptr_not_equal(check->lhs, p.ast->kids[1]->kids[0]->kids[0]->lhs);
    check->lhs->field[0] = 'X';
    check->rhs->items[0]->str[0] = 'Z';
    char *s3 = sgc_node_to_sexpr(p.ast);
    assert_string_equal(s1, s3);
    assert_true(check->rhs->items[1]->quoted);
    assert_false(check->rhs->items[0]->quoted);
    free(s1);
    free(s2);
    free(s3);
    sgc_node_free(c);
    done(&p);
    assert_null(sgc_node_clone(NULL));
    assert_null(sgc_value_clone(NULL));
}

static void test_many_kids_and_free(void **state)
{
    (void)state;
    sgc_node *n = sgc_node_new(SGC_N_OR, (sgc_loc){NULL, 0});
    for (int i = 0; i < 5000; i++) {
        char name[16];
        snprintf(name, sizeof name, "m%d", i);
        sgc_node_add_kid(n, macro_node(name));
    }
    assert_int_equal(n->nkids, 5000);
    assert_string_equal(n->kids[4999]->name, "m4999");
    sgc_node *c = sgc_node_clone(n);
    assert_int_equal(c->nkids, 5000);
    sgc_node_free(n);
    sgc_node_free(c);
    sgc_node_free(NULL);
    sgc_value_free(NULL);
}

/* A tree far deeper than the parser allows (built by hand, as macro
 * expansion may) is freed without recursion. */
static void test_free_deep_not_chain(void **state)
{
    (void)state;
    sgc_node *n = macro_node("x");
    for (int i = 0; i < 200000; i++) {
        sgc_node *not_n = sgc_node_new(SGC_N_NOT, (sgc_loc){NULL, 0});
        sgc_node_add_kid(not_n, n);
        n = not_n;
    }
    sgc_node_free(n);
}

/* ---- locations ------------------------------------------------------------------------ */

static void test_locations_are_byte_offsets(void **state)
{
    (void)state;
    const char *text = "a and\n  proc.aname[2] startswith \"/x\" or fd.name in (p, 'q')";
    parsed p = parse(text);
    assert_non_null(p.ast);
    assert_int_equal(p.ast->kind, SGC_N_OR);
    sgc_node *and_n = p.ast->kids[0];
    assert_int_equal(and_n->loc.off, 0);
    sgc_node *chk = and_n->kids[1];
    assert_int_equal(chk->loc.off, 8);           /* proc.aname */
    assert_int_equal(chk->lhs->arg_loc.off, 19); /* 2 */
    assert_int_equal(chk->op_loc.off, 22);       /* startswith */
    assert_int_equal(chk->rhs->loc.off, 33);     /* the opening quote */
    sgc_node *in = p.ast->kids[1];
    assert_int_equal(in->op_loc.off, (uint32_t)(strstr(text, " in ") + 1 - text));
    assert_int_equal(in->rhs->loc.off, (uint32_t)(strchr(text, '(') - text));
    assert_int_equal(in->rhs->items[1]->loc.off, (uint32_t)(strchr(text, '\'') - text));
    int line, col;
    sgc_loc_pos(chk->op_loc, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 17);
    done(&p);
}

/* Text from YAML carries a per-byte map to the file: the error lands on
 * the file's line:column. */
static void test_error_position_maps_to_file(void **state)
{
    (void)state;
    const char *text = "a and b c";
    size_t len = strlen(text);
    sgc_source *src = sgc_source_new("rules.yaml", text, len);
    src->line_of = malloc((len + 1) * sizeof(int));
    src->col_of = malloc((len + 1) * sizeof(int));
    for (size_t i = 0; i <= len; i++) {
        src->line_of[i] = 40;
        src->col_of[i] = 14 + (int)i;
    }
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    assert_null(n);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "LOAD_ERR_COMPILE_CONDITION");
    assert_string_equal(d.v[0].file, "rules.yaml");
    assert_int_equal(d.v[0].line, 40);
    assert_int_equal(d.v[0].col, 14 + 8); /* 'c' */
    assert_non_null(strstr(d.v[0].msg, "unexpected 'c'"));
    sgc_diags_free(&d);
    sgc_source_free(src);
}

/* ---- edge inputs ----------------------------------------------------------------------- */

static void test_empty_and_blank_conditions(void **state)
{
    (void)state;
    const char *inputs[] = {"", "   ", "\n\t\r\n "};
    for (size_t i = 0; i < 3; i++) {
        parsed p = parse(inputs[i]);
        assert_null(p.ast);
        assert_int_equal(p.diags.n, 1);
        assert_string_equal(p.diags.v[0].msg, "empty condition");
        done(&p);
    }
}

static void test_nul_byte_is_an_error(void **state)
{
    (void)state;
    const char text[] = "proc.name = a\0b and c";
    parsed p = parse_with(text, sizeof text - 1, 0);
    assert_null(p.ast);
    assert_int_equal(p.diags.n, 1);
    assert_int_equal(p.diags.v[0].col, 14);
    assert_non_null(strstr(p.diags.v[0].msg, "0x00"));
    done(&p);
}

static char *repeat(const char *a, int n, const char *mid, const char *b, int m)
{
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    char *s = malloc(la * (size_t)n + lm + lb * (size_t)m + 1);
    char *p = s;
    for (int i = 0; i < n; i++, p += la) memcpy(p, a, la);
    memcpy(p, mid, lm);
    p += lm;
    for (int i = 0; i < m; i++, p += lb) memcpy(p, b, lb);
    *p = '\0';
    return s;
}

static void test_deep_parentheses_are_refused(void **state)
{
    (void)state;
    char *text = repeat("(", 100000, "a", ")", 100000);
    parsed p = parse(text);
    assert_null(p.ast);
    assert_int_equal(p.diags.n, 1);
    assert_non_null(strstr(p.diags.v[0].msg, "nested too deeply"));
    assert_int_equal(p.diags.v[0].col, 1001); /* the 1001st '(' */
    done(&p);
    free(text);

    /* within the limit, it parses */
    text = repeat("(", 900, "a", ")", 900);
    p = parse(text);
    assert_non_null(p.ast);
    assert_sexpr(p.ast, "(macro a)");
    done(&p);
    free(text);
}

static void test_deep_nots_are_refused(void **state)
{
    (void)state;
    char *text = repeat("not ", 100000, "a", "", 0);
    parsed p = parse(text);
    assert_null(p.ast);
    assert_non_null(strstr(p.diags.v[0].msg, "nested too deeply"));
    done(&p);
    free(text);
}

static void test_max_depth_option(void **state)
{
    (void)state;
    parsed p = parse_with("((a))", 5, 2);
    assert_non_null(p.ast);
    done(&p);
    p = parse_with("(((a)))", 7, 2);
    assert_null(p.ast);
    assert_int_equal(p.diags.v[0].col, 3);
    done(&p);
    /* nots count while pending, and stop counting at and/or */
    p = parse_with("not not a and not not b", 23, 2);
    assert_non_null(p.ast);
    done(&p);
    p = parse_with("not not not a", 13, 2);
    assert_null(p.ast);
    done(&p);
}

/* A long flat conjunction is not nesting: it parses whatever its length. */
static void test_long_flat_chain(void **state)
{
    (void)state;
    char *text = repeat("a and ", 50000, "b", "", 0);
    parsed p = parse(text);
    assert_non_null(p.ast);
    assert_int_equal(p.ast->kind, SGC_N_AND);
    assert_int_equal(p.ast->nkids, 50001);
    done(&p);
    free(text);
}

static void test_quoted_flag(void **state)
{
    (void)state;
    parsed p = parse("proc.name in (a, \"b\", 'c') and proc.name = \"d\" and proc.name = e");
    assert_non_null(p.ast);
    sgc_value *list = p.ast->kids[0]->rhs;
    assert_int_equal(list->kind, SGC_V_LIST);
    assert_false(list->items[0]->quoted);
    assert_true(list->items[1]->quoted);
    assert_true(list->items[2]->quoted);
    assert_true(p.ast->kids[1]->rhs->quoted);
    assert_false(p.ast->kids[2]->rhs->quoted);
    done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_names_round_trip),
        cmocka_unit_test(test_op_classes),
        cmocka_unit_test(test_sexpr_escapes_strings),
        cmocka_unit_test(test_sexpr_field_args),
        cmocka_unit_test(test_sexpr_all_node_kinds),
        cmocka_unit_test(test_print_to_file_matches_string),
        cmocka_unit_test(test_condition_printer),
        cmocka_unit_test(test_clone_is_deep),
        cmocka_unit_test(test_many_kids_and_free),
        cmocka_unit_test(test_free_deep_not_chain),
        cmocka_unit_test(test_locations_are_byte_offsets),
        cmocka_unit_test(test_error_position_maps_to_file),
        cmocka_unit_test(test_empty_and_blank_conditions),
        cmocka_unit_test(test_nul_byte_is_an_error),
        cmocka_unit_test(test_deep_parentheses_are_refused),
        cmocka_unit_test(test_deep_nots_are_refused),
        cmocka_unit_test(test_max_depth_option),
        cmocka_unit_test(test_long_flat_chain),
        cmocka_unit_test(test_quoted_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
