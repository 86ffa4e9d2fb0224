/* From a resolved AST to the IR: checks become interned atoms, the boolean
 * structure is kept, then folded. */
#include "ir.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_ir_atoms_init(sgc_ir_atoms *t) { memset(t, 0, sizeof *t); }

static void atom_free(sgc_ir_atom *a)
{
    free(a->field);
    free(a->arg);
    for (int i = 0; i < a->nvals; i++) free(a->vals[i]);
    free(a->vals);
    free(a->text);
    free(a->share_key);
    free(a);
}

void sgc_ir_atoms_free(sgc_ir_atoms *t)
{
    for (int i = 0; i < t->n; i++) atom_free(t->v[i]);
    free(t->v);
    sgc_strindex_free(&t->index);
    memset(t, 0, sizeof *t);
}

static void add_val(sgc_ir_atom *a, const char *s)
{
    a->vals = realloc(a->vals, (size_t)(a->nvals + 1) * sizeof *a->vals);
    if (!a->vals) abort();
    a->vals[a->nvals++] = sgc_xstrdup(s);
}

/* The constant strings of a right-hand side; false when it is not constant
 * (a field, a transformer, a list name left unresolved). */
static bool fill_rhs(sgc_ir_atom *a, const sgc_value *rhs)
{
    if (!rhs) return true; /* exists */
    switch (rhs->kind) {
    case SGC_V_STRING: add_val(a, rhs->str); return true;
    case SGC_V_LIST:
        a->rhs_is_list = true;
        for (int i = 0; i < rhs->nitems; i++) {
            if (rhs->items[i]->kind != SGC_V_STRING) return false;
            add_val(a, rhs->items[i]->str);
        }
        return true;
    default: return false;
    }
}

/* The interned atom of a's text (a is consumed); a's share key, if any,
 * then names that atom too. */
static int intern(sgc_ir_atoms *t, sgc_ir_atom *a)
{
    int i = sgc_strindex_get(&t->index, a->text, strlen(a->text));
    if (i >= 0) {
        sgc_ir_atom *e = t->v[i];
        if (a->share_key && !e->share_key) {
            e->share_key = a->share_key;
            a->share_key = NULL;
            sgc_strindex_put(&t->index, e->share_key, strlen(e->share_key), i);
        }
        atom_free(a);
        return i;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = realloc(t->v, (size_t)t->cap * sizeof *t->v);
        if (!t->v) abort();
    }
    a->id = t->n;
    t->v[t->n++] = a;
    sgc_strindex_put(&t->index, a->text, strlen(a->text), a->id);
    if (a->share_key) sgc_strindex_put(&t->index, a->share_key, strlen(a->share_key), a->id);
    return a->id;
}

static sgc_ir *check_to_ir(const sgc_node *c, sgc_ir_atoms *atoms)
{
    /* `x in ()` can never hold, whatever x is (also when x is <NA>). */
    if (sgc_op_is_list(c->op) && c->rhs && c->rhs->kind == SGC_V_LIST && c->rhs->nitems == 0)
        return sgc_ir_const(SGC_K_FALSE);
    /* a check against a shared list (resolve.c): found by the list's
     * identity; the list is copied and printed once per distinct check */
    char *skey = NULL;
    if (c->rhs && c->rhs->share && c->lhs && c->lhs->kind == SGC_V_FIELD) {
        if (asprintf(&skey, "\x01%s[%s] %d %p", c->lhs->field, c->lhs->arg ? c->lhs->arg : "",
                     (int)c->op, (void *)c->rhs->share) < 0)
            abort();
        int i = sgc_strindex_get(&atoms->index, skey, strlen(skey));
        if (i >= 0) {
            free(skey);
            return sgc_ir_atom_ref(i);
        }
    }
    sgc_ir_atom *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->share_key = skey;
    if (c->lhs && c->lhs->kind == SGC_V_FIELD) {
        a->field = sgc_xstrdup(c->lhs->field);
        a->arg = sgc_xstrdup(c->lhs->arg);
    }
    a->op = c->op;
    a->rhs_is_field = !fill_rhs(a, c->rhs);
    a->text = sgc_node_to_condition(c);
    if (!a->text) a->text = sgc_xstrdup("?");
    a->loc = c->loc;
    a->from_macro = c->from_macro;
    return sgc_ir_atom_ref(intern(atoms, a));
}

/* `x op anyof (a, b)` for the kernel: the operator on each item, joined by
 * or (anyof, and oneof: exactly one true implies one true, a sound
 * over-approximation, kept UNKNOWN where it would say TRUE) or and
 * (allof); the empty list is false for
 * anyof/oneof and true for allof, as the evaluator has it. */
static sgc_ir *modifier_to_ir(const sgc_node *c, sgc_ir_atoms *atoms)
{
    if (!c->rhs || c->rhs->kind != SGC_V_LIST) return sgc_ir_const(SGC_K_UNKNOWN);
    bool all = c->mod == SGC_MOD_ALLOF;
    if (c->rhs->nitems == 0) return sgc_ir_const(all ? SGC_K_TRUE : SGC_K_FALSE);
    sgc_ir *r = sgc_ir_new(all ? SGC_IR_AND : SGC_IR_OR);
    for (int i = 0; i < c->rhs->nitems; i++) {
        sgc_node *one = sgc_node_new(SGC_N_CHECK, c->loc);
        one->lhs = sgc_value_clone(c->lhs);
        one->op = c->op;
        one->op_loc = c->op_loc;
        one->rhs = sgc_value_clone(c->rhs->items[i]);
        one->from_macro = c->from_macro;
        sgc_ir_add_kid(r, check_to_ir(one, atoms));
        sgc_node_free(one);
    }
    if (c->mod != SGC_MOD_ONEOF) return r;
    /* oneof: the `or` decides FALSE exactly, TRUE only approximately */
    sgc_ir *a = sgc_ir_new(SGC_IR_AND);
    sgc_ir_add_kid(a, r);
    sgc_ir_add_kid(a, sgc_ir_const(SGC_K_UNKNOWN));
    return a;
}

static sgc_ir *build(const sgc_node *n, sgc_ir_atoms *atoms)
{
    switch (n->kind) {
    case SGC_N_CONST: return sgc_ir_const(n->const_value ? SGC_K_TRUE : SGC_K_FALSE);
    case SGC_N_MACRO: return sgc_ir_const(SGC_K_UNKNOWN); /* unresolved: decide nothing */
    case SGC_N_CHECK:
        return n->mod != SGC_MOD_NONE ? modifier_to_ir(n, atoms) : check_to_ir(n, atoms);
    case SGC_N_NOT:
    case SGC_N_AND:
    case SGC_N_OR: {
        sgc_ir *r = sgc_ir_new(n->kind == SGC_N_NOT   ? SGC_IR_NOT
                               : n->kind == SGC_N_AND ? SGC_IR_AND
                                                      : SGC_IR_OR);
        for (int i = 0; i < n->nkids; i++) sgc_ir_add_kid(r, build(n->kids[i], atoms));
        return r;
    }
    }
    return sgc_ir_const(SGC_K_UNKNOWN);
}

sgc_ir *sgc_ir_from_ast(const sgc_node *cond, sgc_ir_atoms *atoms)
{
    if (!cond) return sgc_ir_const(SGC_K_UNKNOWN);
    return sgc_ir_fold(build(cond, atoms));
}
