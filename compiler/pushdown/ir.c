/* IR nodes: construction, Kleene folding, negation normal form,
 * substitution, evaluation, printing. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) abort();
    return p;
}

const char *sgc_kleene_name(sgc_kleene k)
{
    return k == SGC_K_TRUE ? "true" : k == SGC_K_FALSE ? "false" : "unknown";
}

sgc_kleene sgc_kleene_not(sgc_kleene a)
{
    return a == SGC_K_TRUE ? SGC_K_FALSE : a == SGC_K_FALSE ? SGC_K_TRUE : SGC_K_UNKNOWN;
}

sgc_kleene sgc_kleene_and(sgc_kleene a, sgc_kleene b)
{
    if (a == SGC_K_FALSE || b == SGC_K_FALSE) return SGC_K_FALSE;
    if (a == SGC_K_TRUE && b == SGC_K_TRUE) return SGC_K_TRUE;
    return SGC_K_UNKNOWN;
}

sgc_kleene sgc_kleene_or(sgc_kleene a, sgc_kleene b)
{
    if (a == SGC_K_TRUE || b == SGC_K_TRUE) return SGC_K_TRUE;
    if (a == SGC_K_FALSE && b == SGC_K_FALSE) return SGC_K_FALSE;
    return SGC_K_UNKNOWN;
}

sgc_ir *sgc_ir_new(sgc_ir_kind kind)
{
    sgc_ir *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->atom = -1;
    return n;
}

sgc_ir *sgc_ir_const(sgc_kleene v)
{
    sgc_ir *n = sgc_ir_new(SGC_IR_CONST);
    n->value = v;
    return n;
}

sgc_ir *sgc_ir_atom_ref(int atom)
{
    sgc_ir *n = sgc_ir_new(SGC_IR_ATOM);
    n->atom = atom;
    return n;
}

void sgc_ir_add_kid(sgc_ir *n, sgc_ir *kid)
{
    n->kids = realloc(n->kids, (size_t)(n->nkids + 1) * sizeof *n->kids);
    if (!n->kids) abort();
    n->kids[n->nkids++] = kid;
}

sgc_ir *sgc_ir_clone(const sgc_ir *n)
{
    sgc_ir *c = sgc_ir_new(n->kind);
    c->value = n->value;
    c->atom = n->atom;
    for (int i = 0; i < n->nkids; i++) sgc_ir_add_kid(c, sgc_ir_clone(n->kids[i]));
    return c;
}

void sgc_ir_free(sgc_ir *n)
{
    if (!n) return;
    for (int i = 0; i < n->nkids; i++) sgc_ir_free(n->kids[i]);
    free(n->kids);
    free(n);
}

/* ---- folding ------------------------------------------------------------ */

static sgc_ir *replace_with_const(sgc_ir *n, sgc_kleene v)
{
    sgc_ir_free(n);
    return sgc_ir_const(v);
}

static sgc_ir *fold_not(sgc_ir *n)
{
    sgc_ir *k = n->kids[0] = sgc_ir_fold(n->kids[0]);
    if (k->kind == SGC_IR_CONST) return replace_with_const(n, sgc_kleene_not(k->value));
    if (k->kind == SGC_IR_NOT) { /* not not x = x, also in Kleene logic */
        sgc_ir *inner = k->kids[0];
        k->nkids = 0;
        sgc_ir_free(n);
        return inner;
    }
    return n;
}

/* and/or: `dominant` absorbs the whole node (FALSE for and, TRUE for or),
 * `neutral` disappears (TRUE for and, FALSE for or). UNKNOWN constants stay,
 * merged into one: `unknown and x` is not x in Kleene logic. */
static sgc_ir *fold_junction(sgc_ir *n)
{
    sgc_kleene dominant = n->kind == SGC_IR_AND ? SGC_K_FALSE : SGC_K_TRUE;
    sgc_kleene neutral = n->kind == SGC_IR_AND ? SGC_K_TRUE : SGC_K_FALSE;
    sgc_ir **kids = NULL;
    int nkids = 0, cap = 0;
    bool has_unknown = false, dominated = false;
    for (int i = 0; i < n->nkids; i++) {
        sgc_ir *k = sgc_ir_fold(n->kids[i]);
        n->kids[i] = NULL;
        if (k->kind == SGC_IR_CONST) {
            if (k->value == dominant)
                dominated = true;
            else if (k->value == SGC_K_UNKNOWN)
                has_unknown = true;
            sgc_ir_free(k);
            continue;
        }
        /* flatten: (a and (b and c)) = (a and b and c) */
        int nsub = k->kind == n->kind ? k->nkids : 1;
        if (nkids + nsub + 1 > cap) {
            cap = (nkids + nsub + 1) * 2;
            kids = realloc(kids, (size_t)cap * sizeof *kids);
            if (!kids) abort();
        }
        if (k->kind == n->kind) {
            for (int j = 0; j < k->nkids; j++) kids[nkids++] = k->kids[j];
            k->nkids = 0;
            sgc_ir_free(k);
        } else {
            kids[nkids++] = k;
        }
    }
    free(n->kids);
    n->kids = NULL;
    n->nkids = 0;
    if (dominated) {
        for (int i = 0; i < nkids; i++) sgc_ir_free(kids[i]);
        free(kids);
        return replace_with_const(n, dominant);
    }
    if (nkids == 0) {
        free(kids);
        return replace_with_const(n, has_unknown ? SGC_K_UNKNOWN : neutral);
    }
    if (has_unknown) kids[nkids++] = sgc_ir_const(SGC_K_UNKNOWN); /* cap > nkids: room kept */
    if (nkids == 1) {
        sgc_ir *only = kids[0];
        free(kids);
        sgc_ir_free(n);
        return only;
    }
    n->kids = kids;
    n->nkids = nkids;
    return n;
}

sgc_ir *sgc_ir_fold(sgc_ir *n)
{
    switch (n->kind) {
    case SGC_IR_NOT: return fold_not(n);
    case SGC_IR_AND:
    case SGC_IR_OR: return fold_junction(n);
    default: return n;
    }
}

/* ---- negation normal form ----------------------------------------------- */

static sgc_ir *nnf(const sgc_ir *n, bool negate)
{
    switch (n->kind) {
    case SGC_IR_CONST: return sgc_ir_const(negate ? sgc_kleene_not(n->value) : n->value);
    case SGC_IR_ATOM: {
        sgc_ir *a = sgc_ir_atom_ref(n->atom);
        if (!negate) return a;
        sgc_ir *no = sgc_ir_new(SGC_IR_NOT);
        sgc_ir_add_kid(no, a);
        return no;
    }
    case SGC_IR_NOT: return nnf(n->kids[0], !negate);
    case SGC_IR_AND:
    case SGC_IR_OR: {
        sgc_ir_kind k = n->kind;
        if (negate) k = k == SGC_IR_AND ? SGC_IR_OR : SGC_IR_AND;
        sgc_ir *r = sgc_ir_new(k);
        for (int i = 0; i < n->nkids; i++) sgc_ir_add_kid(r, nnf(n->kids[i], negate));
        return r;
    }
    }
    return sgc_ir_const(SGC_K_UNKNOWN);
}

sgc_ir *sgc_ir_nnf(const sgc_ir *n) { return sgc_ir_fold(nnf(n, false)); }

/* ---- substitution and evaluation ----------------------------------------- */

static sgc_ir *substitute(const sgc_ir *n, int (*value_of)(int, void *), void *ud)
{
    if (n->kind == SGC_IR_ATOM) {
        int v = value_of(n->atom, ud);
        return v < 0 ? sgc_ir_atom_ref(n->atom) : sgc_ir_const((sgc_kleene)v);
    }
    sgc_ir *c = sgc_ir_new(n->kind);
    c->value = n->value;
    for (int i = 0; i < n->nkids; i++) sgc_ir_add_kid(c, substitute(n->kids[i], value_of, ud));
    return c;
}

sgc_ir *sgc_ir_substitute(const sgc_ir *n, int (*value_of)(int, void *), void *ud)
{
    return sgc_ir_fold(substitute(n, value_of, ud));
}

sgc_kleene sgc_ir_eval(const sgc_ir *n, sgc_kleene (*value_of)(int, void *), void *ud)
{
    switch (n->kind) {
    case SGC_IR_CONST: return n->value;
    case SGC_IR_ATOM: return value_of(n->atom, ud);
    case SGC_IR_NOT: return sgc_kleene_not(sgc_ir_eval(n->kids[0], value_of, ud));
    case SGC_IR_AND: {
        sgc_kleene v = SGC_K_TRUE;
        for (int i = 0; i < n->nkids && v != SGC_K_FALSE; i++)
            v = sgc_kleene_and(v, sgc_ir_eval(n->kids[i], value_of, ud));
        return v;
    }
    case SGC_IR_OR: {
        sgc_kleene v = SGC_K_FALSE;
        for (int i = 0; i < n->nkids && v != SGC_K_TRUE; i++)
            v = sgc_kleene_or(v, sgc_ir_eval(n->kids[i], value_of, ud));
        return v;
    }
    }
    return SGC_K_UNKNOWN;
}

static void collect(const sgc_ir *n, int **out, int *nout)
{
    if (n->kind == SGC_IR_ATOM) {
        for (int i = 0; i < *nout; i++)
            if ((*out)[i] == n->atom) return;
        *out = realloc(*out, (size_t)(*nout + 1) * sizeof **out);
        if (!*out) abort();
        (*out)[(*nout)++] = n->atom;
        return;
    }
    for (int i = 0; i < n->nkids; i++) collect(n->kids[i], out, nout);
}

void sgc_ir_collect_atoms(const sgc_ir *n, int **out, int *nout) { collect(n, out, nout); }

/* ---- printing ------------------------------------------------------------- */

static int prec(const sgc_ir *n)
{
    return n->kind == SGC_IR_OR ? 1 : n->kind == SGC_IR_AND ? 2 : 3;
}

static void print(FILE *out, const sgc_ir *n, const sgc_ir_atoms *atoms, int parent_prec)
{
    switch (n->kind) {
    case SGC_IR_CONST: fputs(sgc_kleene_name(n->value), out); return;
    case SGC_IR_ATOM:
        if (atoms && n->atom >= 0 && n->atom < atoms->n)
            fputs(atoms->v[n->atom]->text, out);
        else
            fprintf(out, "atom#%d", n->atom);
        return;
    case SGC_IR_NOT: {
        fputs("not ", out);
        print(out, n->kids[0], atoms, 4); /* and/or under not: parenthesised */
        return;
    }
    case SGC_IR_AND:
    case SGC_IR_OR: {
        bool paren = prec(n) < parent_prec;
        if (paren) fputc('(', out);
        for (int i = 0; i < n->nkids; i++) {
            if (i) fputs(n->kind == SGC_IR_AND ? " and " : " or ", out);
            print(out, n->kids[i], atoms, prec(n) + 1);
        }
        if (paren) fputc(')', out);
        return;
    }
    }
}

void sgc_ir_print(FILE *out, const sgc_ir *n, const sgc_ir_atoms *atoms)
{
    print(out, n, atoms, 0);
}

char *sgc_ir_to_string(const sgc_ir *n, const sgc_ir_atoms *atoms)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    sgc_ir_print(f, n, atoms);
    fclose(f);
    return buf;
}
