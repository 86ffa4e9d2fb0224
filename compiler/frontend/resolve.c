/* Macro and list expansion, exceptions appended: each rule's `resolved`.
 *
 * Falco's visibility rules: a rule may use any macro; a macro may only use
 * macros defined before it (by first definition; a redefinition or append
 * moves the point from which it looks); a list item names another list only
 * if that list was defined before the list's last definition/append; list
 * names in conditions see every list. */
#include "resolve.h"
#include "loader.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A condition bigger than this after expansion is refused (exponential
 * macro nesting would otherwise exhaust memory). */
#define MAX_EXPANDED_NODES 200000L

typedef struct {
    sgc_value **v;
    int n, cap;
    bool done, busy;
    sgc_value *holder; /* the expanded list as one shared value (lazily);
                          it owns v once made */
} list_items;

typedef struct {
    sgc_ruleset *rs;
    list_items *lists;       /* per rs->lists[i] */
    const sgc_macro **stack; /* macros being expanded */
    int nstack, capstack;
    sgc_loc *seen;
    int nseen, capseen; /* reported error locations */
    const sgc_macro **cyc;
    int ncyc; /* macros already reported in a cycle */
    long budget;
    bool too_big;
} rctx;

static bool seen_before(rctx *c, sgc_loc loc)
{
    for (int i = 0; i < c->nseen; i++)
        if (c->seen[i].src == loc.src && c->seen[i].off == loc.off) return true;
    if (c->nseen == c->capseen) {
        c->capseen = c->capseen ? c->capseen * 2 : 16;
        c->seen = realloc(c->seen, (size_t)c->capseen * sizeof *c->seen);
    }
    c->seen[c->nseen++] = loc;
    return false;
}

static int list_index(const sgc_ruleset *rs, const char *name)
{
    return sgc_ruleset_list_pos(rs, name);
}

/* A list item as written in YAML: '"foo"' is the string foo (Falco pastes
 * items into the condition text, where the quotes are the parser's). */
static sgc_value *item_value(const sgc_list *l, int i)
{
    const char *s = l->items[i];
    size_t n = strlen(s);
    sgc_loc loc = {l->items_src, l->items_off ? l->items_off[i] : 0};
    sgc_value *v = sgc_value_new(SGC_V_STRING, loc);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        char *t = malloc(n);
        size_t k = 0;
        for (size_t j = 1; j + 1 < n; j++) {
            if (s[j] == '\\' && j + 2 < n) j++;
            t[k++] = s[j];
        }
        t[k] = 0;
        v->str = t;
        v->quoted = true;
    } else {
        v->str = strdup(s);
    }
    return v;
}

static void push_item(list_items *li, sgc_value *v)
{
    if (li->n == li->cap) {
        li->cap = li->cap ? li->cap * 2 : 8;
        li->v = realloc(li->v, (size_t)li->cap * sizeof *li->v);
        if (!li->v) abort();
    }
    li->v[li->n++] = v;
}

static const list_items *expand_list(rctx *c, int idx)
{
    list_items *li = &c->lists[idx];
    if (li->done || li->busy) return li;
    li->busy = true;
    const sgc_list *l = c->rs->lists[idx];
    for (int i = 0; i < l->nitems; i++) {
        int ref = list_index(c->rs, l->items[i]);
        if (ref >= 0 && ref != idx && c->rs->lists[ref]->index < l->visibility &&
            !c->lists[ref].busy) {
            c->rs->lists[ref]->used = true;
            const list_items *sub = expand_list(c, ref);
            for (int k = 0; k < sub->n; k++) push_item(li, sgc_value_clone(sub->v[k]));
        } else {
            push_item(li, item_value(l, i));
        }
    }
    li->busy = false;
    li->done = true;
    return li;
}

/* The expanded list idx as a shared list value: every check naming only
 * this list uses its items (sgc_value_share_items), one copy in all. */
static sgc_value *list_holder(rctx *c, int idx)
{
    list_items *li = &c->lists[idx];
    if (!li->holder) {
        const list_items *e = expand_list(c, idx);
        sgc_loc loc = {c->rs->lists[idx]->items_src, 0};
        li->holder = sgc_value_new(SGC_V_LIST, loc);
        li->holder->str = strdup(c->rs->lists[idx]->name); /* the list's name (artifact) */
        /* the holder takes the expanded items (no second copy); they stay
         * readable through li->v while the resolver runs */
        li->holder->items = e->v;
        li->holder->nitems = e->n;
    }
    return li->holder;
}

/* Splice named lists into a list operand; `in name` becomes `in (items)`.
 * A list operand that is exactly one named list shares its items. */
static bool resolve_lists(rctx *c, sgc_value *v)
{
    if (!v) return true;
    if (v->kind == SGC_V_LISTREF) {
        int idx = list_index(c->rs, v->str);
        if (idx < 0) {
            if (!seen_before(c, v->loc))
                sgc_diag_at(&c->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", v->loc,
                            "Undefined list '%s' used in filter", v->str);
            return false;
        }
        c->rs->lists[idx]->used = true;
        free(v->str);
        v->str = NULL;
        v->kind = SGC_V_LIST;
        sgc_value_share_items(v, list_holder(c, idx));
        return true;
    }
    if (v->kind != SGC_V_LIST) return true;
    if (v->nitems == 1 && !v->share && v->items[0]->kind == SGC_V_STRING && !v->items[0]->quoted) {
        int idx = list_index(c->rs, v->items[0]->str);
        if (idx >= 0) {
            c->rs->lists[idx]->used = true;
            sgc_value_share_items(v, list_holder(c, idx));
            return true;
        }
    }
    sgc_value **old = v->items;
    int n = v->nitems;
    v->items = NULL;
    v->nitems = 0;
    for (int i = 0; i < n; i++) {
        sgc_value *it = old[i];
        int idx = it->kind == SGC_V_STRING && !it->quoted ? list_index(c->rs, it->str) : -1;
        if (idx < 0) {
            sgc_value_add_item(v, it);
            continue;
        }
        c->rs->lists[idx]->used = true;
        const list_items *li = expand_list(c, idx);
        for (int k = 0; k < li->n; k++) sgc_value_add_item(v, sgc_value_clone(li->v[k]));
        sgc_value_free(it);
    }
    free(old);
    return true;
}

static void tag_macro(sgc_node *n, const char *name)
{
    if (!n->from_macro) n->from_macro = name;
    for (int i = 0; i < n->nkids; i++) tag_macro(n->kids[i], name);
}

static bool on_stack(rctx *c, const sgc_macro *m)
{
    for (int i = 0; i < c->nstack; i++)
        if (c->stack[i] == m) return true;
    return false;
}

static void report_cycle(rctx *c, const sgc_macro *m, sgc_loc loc)
{
    for (int i = 0; i < c->ncyc; i++)
        if (c->cyc[i] == m) return; /* this cycle was reported from another entry point */
    int start = 0;
    while (c->stack[start] != m) start++;
    size_t len = 0;
    for (int i = start; i < c->nstack; i++) len += strlen(c->stack[i]->name) + 4;
    len += strlen(m->name) + 1;
    char *path = calloc(1, len);
    for (int i = start; i < c->nstack; i++) {
        strcat(path, c->stack[i]->name);
        strcat(path, " -> ");
        c->cyc = realloc(c->cyc, (size_t)(c->ncyc + 1) * sizeof *c->cyc);
        c->cyc[c->ncyc++] = c->stack[i];
    }
    strcat(path, m->name);
    sgc_diag_at(&c->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", loc, "Macro cycle: %s", path);
    char *item = NULL;
    if (asprintf(&item, "macro '%s'", m->name) >= 0) sgc_diag_set_item(&c->rs->diags, item);
    free(item);
    free(path);
}

static sgc_node *expand(rctx *c, const sgc_node *n, int visibility);

static sgc_node *expand_macro(rctx *c, const sgc_node *ref, int visibility)
{
    sgc_macro *m = sgc_ruleset_find_macro(c->rs, ref->name);
    if (!m || m->index >= visibility) {
        if (!seen_before(c, ref->loc)) {
            if (m)
                sgc_diag_at(
                    &c->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", ref->loc,
                    "Undefined macro '%s' used in filter (it is defined after the macro that uses "
                    "it; a macro can only use macros defined before it)",
                    ref->name);
            else
                sgc_diag_at(&c->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", ref->loc,
                            "Undefined macro '%s' used in filter.", ref->name);
        }
        return NULL;
    }
    if (on_stack(c, m)) {
        report_cycle(c, m, ref->loc);
        return NULL;
    }
    m->used = true;
    if (!m->ast) return NULL; /* its syntax error is already reported */
    if (c->nstack == c->capstack) {
        c->capstack = c->capstack ? c->capstack * 2 : 16;
        c->stack = realloc(c->stack, (size_t)c->capstack * sizeof *c->stack);
    }
    c->stack[c->nstack++] = m;
    sgc_node *sub = expand(c, m->ast, m->visibility);
    c->nstack--;
    if (sub) tag_macro(sub, m->name);
    return sub;
}

static sgc_node *expand(rctx *c, const sgc_node *n, int visibility)
{
    if (--c->budget < 0) {
        c->too_big = true;
        return NULL;
    }
    switch (n->kind) {
    case SGC_N_MACRO: return expand_macro(c, n, visibility);
    case SGC_N_AND:
    case SGC_N_OR:
    case SGC_N_NOT: {
        sgc_node *r = sgc_node_new(n->kind, n->loc);
        r->from_macro = n->from_macro;
        bool ok = true;
        for (int i = 0; i < n->nkids; i++) {
            sgc_node *k = expand(c, n->kids[i], visibility);
            if (!k) {
                ok = false;
                continue;
            } /* keep going: report every error */
            sgc_node_add_kid(r, k);
        }
        if (!ok) {
            sgc_node_free(r);
            return NULL;
        }
        return r;
    }
    default: {
        sgc_node *r = sgc_node_clone(n);
        if (!resolve_lists(c, r->rhs)) {
            sgc_node_free(r);
            return NULL;
        }
        return r;
    }
    }
}

/* Expand one condition from scratch (fresh budget); reports "too large". */
static sgc_node *expand_top(rctx *c, const sgc_node *n, int visibility, sgc_loc where)
{
    c->budget = MAX_EXPANDED_NODES;
    c->too_big = false;
    sgc_node *r = expand(c, n, visibility);
    if (c->too_big) {
        sgc_node_free(r);
        sgc_diag_at(&c->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", where,
                    "Condition too large after macro expansion (more than %ld nodes)",
                    MAX_EXPANDED_NODES);
        return NULL;
    }
    return r;
}

/* Name the item in the diagnostics added since `from`. */
static void tag_new(sgc_ruleset *rs, int from, const char *kind, const char *name)
{
    for (int i = from; i < rs->diags.n; i++) {
        if (rs->diags.v[i].item) continue;
        char *s = NULL;
        if (asprintf(&s, "%s '%s'", kind, name) >= 0) rs->diags.v[i].item = s;
    }
}

int sgc_ruleset_resolve(sgc_ruleset *rs)
{
    int errors0 = rs->diags.nerrors;
    rctx c = {.rs = rs};
    c.lists = calloc((size_t)rs->nlists + 1, sizeof *c.lists);
    for (int i = 0; i < rs->nlists; i++) rs->lists[i]->used = false;
    for (int i = 0; i < rs->nmacros; i++) rs->macros[i]->used = false;

    /* lists referring to lists count as uses, as in Falco */
    for (int i = 0; i < rs->nlists; i++) expand_list(&c, i);

    /* every macro is checked (undefined names, cycles), used or not */
    for (int i = 0; i < rs->nmacros; i++) {
        sgc_macro *m = rs->macros[i];
        if (!m->ast) continue;
        bool was_used = m->used;
        c.stack = realloc(c.stack, sizeof *c.stack *
                                       (size_t)(c.capstack = c.capstack > 16 ? c.capstack : 16));
        c.stack[0] = m;
        c.nstack = 1;
        sgc_loc where = {m->cond_src, 0};
        int from = rs->diags.n;
        sgc_node *tmp = expand_top(&c, m->ast, m->visibility, where);
        tag_new(rs, from, "macro", m->name);
        c.nstack = 0;
        sgc_node_free(tmp);
        m->used = was_used; /* checking a macro is not using it */
    }

    for (int i = 0; i < rs->nrules; i++) {
        sgc_rule *r = rs->rules[i];
        sgc_node_free(r->resolved);
        r->resolved = NULL;
        if (!r->ast) continue;
        sgc_loc where = {r->cond_src, 0};
        int from = rs->diags.n;
        sgc_node *cond = expand_top(&c, r->ast, INT_MAX, where);
        sgc_node *exc =
            r->exc_ast ? expand_top(&c, r->exc_ast, INT_MAX, (sgc_loc){r->exc_src, 0}) : NULL;
        tag_new(rs, from, "rule", r->name);
        if (!cond || (r->exc_ast && !exc)) {
            sgc_node_free(cond);
            sgc_node_free(exc);
            continue;
        }
        if (!exc) {
            r->resolved = cond;
            continue;
        }
        /* (condition) and not (exception 1) and not (exception 2) ... */
        sgc_node *all = sgc_node_new(SGC_N_AND, cond->loc);
        sgc_node_add_kid(all, cond);
        if (exc->kind == SGC_N_AND && !exc->from_macro) {
            for (int k = 0; k < exc->nkids; k++) sgc_node_add_kid(all, exc->kids[k]);
            exc->nkids = 0;
            sgc_node_free(exc);
        } else {
            sgc_node_add_kid(all, exc);
        }
        r->resolved = all;
    }

    for (int i = 0; i < rs->nlists; i++) {
        if (c.lists[i].holder) {
            sgc_value_free(c.lists[i].holder); /* the rules keep their references */
            continue;
        }
        for (int k = 0; k < c.lists[i].n; k++) sgc_value_free(c.lists[i].v[k]);
        free(c.lists[i].v);
    }
    free(c.lists);
    free(c.stack);
    free(c.seen);
    free(c.cyc);
    return rs->diags.nerrors > errors0 ? -1 : 0;
}

void sgc_ruleset_print_resolved(FILE *out, const sgc_ruleset *rs)
{
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!r->enabled) continue;
        if (!r->resolved) {
            fprintf(out, "%s: <unresolved>\n", r->name);
            continue;
        }
        char *s = sgc_node_to_condition(r->resolved);
        fprintf(out, "%s: %s\n", r->name, s ? s : "?");
        free(s);
    }
}
