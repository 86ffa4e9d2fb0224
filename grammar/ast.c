/* AST constructors, destructors, clone, operator names and the two printers
 * (S-expression for tests and `sgc parse`, Falco syntax for explain). */
#include "ast.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const op_names[SGC_OP__COUNT] = {
    [SGC_OP_EQ] = "=",
    [SGC_OP_NE] = "!=",
    [SGC_OP_LT] = "<",
    [SGC_OP_LE] = "<=",
    [SGC_OP_GT] = ">",
    [SGC_OP_GE] = ">=",
    [SGC_OP_CONTAINS] = "contains",
    [SGC_OP_ICONTAINS] = "icontains",
    [SGC_OP_BCONTAINS] = "bcontains",
    [SGC_OP_STARTSWITH] = "startswith",
    [SGC_OP_BSTARTSWITH] = "bstartswith",
    [SGC_OP_ENDSWITH] = "endswith",
    [SGC_OP_GLOB] = "glob",
    [SGC_OP_IGLOB] = "iglob",
    [SGC_OP_REGEX] = "regex",
    [SGC_OP_IN] = "in",
    [SGC_OP_INTERSECTS] = "intersects",
    [SGC_OP_PMATCH] = "pmatch",
    [SGC_OP_EXISTS] = "exists",
};

const char *sgc_op_name(sgc_op op)
{
    if ((int)op < 0 || op >= SGC_OP__COUNT) return "?";
    return op_names[op];
}

int sgc_op_lookup(const char *s)
{
    if (!s) return -1;
    if (!strcmp(s, "==")) return SGC_OP_EQ;
    for (int i = 0; i < SGC_OP__COUNT; i++)
        if (!strcmp(s, op_names[i])) return i;
    return -1;
}

const char *sgc_listmod_name(sgc_listmod m)
{
    switch (m) {
    case SGC_MOD_ONEOF: return "oneof";
    case SGC_MOD_ANYOF: return "anyof";
    case SGC_MOD_ALLOF: return "allof";
    case SGC_MOD_NONE: break;
    }
    return "";
}

int sgc_listmod_lookup(const char *s)
{
    for (int m = SGC_MOD_ONEOF; m <= SGC_MOD_ALLOF; m++)
        if (!strcmp(s, sgc_listmod_name((sgc_listmod)m))) return m;
    return -1;
}

bool sgc_op_is_list(sgc_op op)
{
    return op == SGC_OP_IN || op == SGC_OP_INTERSECTS || op == SGC_OP_PMATCH;
}

bool sgc_op_is_numeric(sgc_op op)
{
    return op == SGC_OP_LT || op == SGC_OP_LE || op == SGC_OP_GT || op == SGC_OP_GE;
}

/* ---- construction and destruction --------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) abort();
    return p;
}

sgc_node *sgc_node_new(sgc_node_kind kind, sgc_loc loc)
{
    sgc_node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    return n;
}

/* Arrays grow one slot at a time: nodes built elsewhere (resolver, folding)
 * may carry arrays sized exactly, so no hidden capacity is assumed; realloc
 * keeps the cost low in practice. */
void sgc_node_add_kid(sgc_node *n, sgc_node *kid)
{
    sgc_node **k = realloc(n->kids, (size_t)(n->nkids + 1) * sizeof *k);
    if (!k) abort();
    n->kids = k;
    n->kids[n->nkids++] = kid;
}

sgc_value *sgc_value_new(sgc_value_kind kind, sgc_loc loc)
{
    sgc_value *v = xcalloc(1, sizeof *v);
    v->kind = kind;
    v->loc = loc;
    return v;
}

/* A value sharing another's items gets its own copies before a change. */
static void unshare(sgc_value *v)
{
    sgc_value *h = v->share;
    if (!h) return;
    v->share = NULL;
    v->items = NULL;
    v->nitems = 0;
    v->pack = NULL;
    sgc_value tmp;
    for (int i = 0; i < h->nitems; i++)
        sgc_value_add_item(v, sgc_value_clone(sgc_list_item(h, i, &tmp)));
    sgc_value_free(h);
}

sgc_value *sgc_value_new_packed(sgc_loc loc, sgc_strpack *pack)
{
    sgc_value *v = sgc_value_new(SGC_V_LIST, loc);
    v->pack = pack;
    v->nitems = pack->n;
    return v;
}

sgc_strpack *sgc_strpack_ref(sgc_strpack *p)
{
    p->refs++;
    return p;
}

void sgc_strpack_free(sgc_strpack *p)
{
    if (!p) return;
    if (p->refs > 0) {
        p->refs--;
        return;
    }
    free(p->pool);
    free(p->off);
    free(p->quoted);
    free(p);
}

const sgc_value *sgc_list_item(const sgc_value *v, int i, sgc_value *tmp)
{
    if (!v->pack) return v->items[i];
    memset(tmp, 0, sizeof *tmp);
    tmp->kind = SGC_V_STRING;
    tmp->loc = v->loc;
    tmp->str = v->pack->pool + v->pack->off[i];
    tmp->quoted = v->pack->quoted && (v->pack->quoted[i / 8] >> (i % 8) & 1);
    return tmp;
}

void sgc_value_add_item(sgc_value *v, sgc_value *item)
{
    unshare(v);
    /* capacity: the next power of two (amortized growth for long lists) */
    int n = v->nitems;
    if (n < 4 || (n & (n - 1)) == 0) {
        size_t cap = n < 4 ? 4 : (size_t)n * 2;
        sgc_value **it = realloc(v->items, cap * sizeof *it);
        if (!it) abort();
        v->items = it;
    }
    v->items[v->nitems++] = item;
}

void sgc_value_share_items(sgc_value *v, sgc_value *holder)
{
    unshare(v);
    for (int i = 0; i < v->nitems; i++) sgc_value_free(v->items[i]);
    free(v->items);
    holder->refs++;
    v->share = holder;
    v->items = holder->items;
    v->nitems = holder->nitems;
    v->pack = holder->pack;
}

void sgc_value_free(sgc_value *v)
{
    if (!v) return;
    if (v->refs > 0) { /* a shared holder: one owner less */
        v->refs--;
        return;
    }
    if (v->share) {
        sgc_value_free(v->share);
        v->items = NULL;
        v->nitems = 0;
    } else if (v->pack) {
        sgc_strpack_free(v->pack);
        v->nitems = 0;
    }
    for (int i = 0; i < v->nitems; i++) sgc_value_free(v->items[i]);
    free(v->items);
    free(v->str);
    free(v->field);
    free(v->arg);
    free(v);
}

/* Iterative over and/or/not chains so that a deep tree (long `not not ...`
 * or a 10k-term conjunction nested by macro expansion) cannot overflow the
 * stack when freed: kids are pushed on an explicit work list. */
void sgc_node_free(sgc_node *n)
{
    if (!n) return;
    size_t cap = 16, top = 0;
    sgc_node **stack = malloc(cap * sizeof *stack);
    if (!stack) abort();
    stack[top++] = n;
    while (top) {
        sgc_node *cur = stack[--top];
        for (int i = 0; i < cur->nkids; i++) {
            if (top == cap) {
                cap *= 2;
                sgc_node **s = realloc(stack, cap * sizeof *s);
                if (!s) abort();
                stack = s;
            }
            stack[top++] = cur->kids[i];
        }
        free(cur->kids);
        free(cur->name);
        sgc_value_free(cur->lhs);
        sgc_value_free(cur->rhs);
        free(cur);
    }
    free(stack);
}

sgc_value *sgc_value_clone(const sgc_value *v)
{
    if (!v) return NULL;
    sgc_value *c = sgc_value_new(v->kind, v->loc);
    c->str = sgc_xstrdup(v->str);
    c->quoted = v->quoted;
    c->field = sgc_xstrdup(v->field);
    c->arg = sgc_xstrdup(v->arg);
    c->arg_loc = v->arg_loc;
    c->fdef = v->fdef;
    if (v->share) {
        sgc_value_share_items(c, v->share);
        return c;
    }
    sgc_value tmp;
    for (int i = 0; i < v->nitems; i++)
        sgc_value_add_item(c, sgc_value_clone(sgc_list_item(v, i, &tmp)));
    return c;
}

sgc_node *sgc_node_clone(const sgc_node *n)
{
    if (!n) return NULL;
    sgc_node *c = sgc_node_new(n->kind, n->loc);
    c->name = sgc_xstrdup(n->name);
    c->lhs = sgc_value_clone(n->lhs);
    c->op = n->op;
    c->op_loc = n->op_loc;
    c->mod = n->mod;
    c->rhs = sgc_value_clone(n->rhs);
    c->const_value = n->const_value;
    c->from_macro = n->from_macro;
    for (int i = 0; i < n->nkids; i++) sgc_node_add_kid(c, sgc_node_clone(n->kids[i]));
    return c;
}
