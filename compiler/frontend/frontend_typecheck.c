/* The front end's type-checking phase: every rule's resolved condition and
 * output, and the macros no rule uses (as written, with their list names
 * spliced), each finding reported once however often a macro is expanded. */
#include "fields.h"
#include "frontend_int.h"
#include "lint.h"
#include "loader.h"
#include "typecheck.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- type checking, each finding once ------------------------------------------ */

static bool same_diag(const sgc_diag *a, const sgc_diag *b)
{
    return a->sev == b->sev && !strcmp(a->code, b->code) && a->line == b->line &&
           a->col == b->col && !strcmp(a->file ? a->file : "", b->file ? b->file : "") &&
           !strcmp(a->msg, b->msg);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (h ^ 0xff) * 1099511628211u;
}

static uint64_t hash_diag(const sgc_diag *g)
{
    uint64_t h = hash_str(1469598103934665603u, g->code);
    h = hash_str(h, g->file);
    h = hash_str(h, g->msg);
    return (h ^ ((uint64_t)g->line << 32 | (uint32_t)g->col)) * 1099511628211u;
}

/* The type-checking findings already reported, by content: a macro
 * expanded into a hundred rules is checked a hundred times but reported
 * once, without comparing every pair. Open addressing over indexes of d. */
typedef struct seen_set {
    int *slot;      /* index into d->v + 1; 0 = empty */
    uint64_t *hash; /* hash_diag of each slot's finding: compared first */
    int cap, n;
} seen_set;

static void seen_place(seen_set *s, uint64_t h, int index)
{
    size_t mask = (size_t)s->cap - 1, i = h & mask;
    while (s->slot[i]) i = (i + 1) & mask;
    s->slot[i] = index + 1;
    s->hash[i] = h;
    s->n++;
}

static bool seen_insert(seen_set *s, const sgc_diags *d, const sgc_diag *g, int index_if_new)
{
    if (2 * (s->n + 1) > s->cap) {
        int cap = s->cap ? 2 * s->cap : 64;
        seen_set bigger = {calloc((size_t)cap, sizeof(int)), calloc((size_t)cap, sizeof(uint64_t)),
                           cap, 0};
        if (!bigger.slot || !bigger.hash) abort();
        for (int i = 0; i < s->cap; i++)
            if (s->slot[i]) seen_place(&bigger, s->hash[i], s->slot[i] - 1);
        free(s->slot);
        free(s->hash);
        *s = bigger;
    }
    uint64_t h = hash_diag(g);
    size_t mask = (size_t)s->cap - 1;
    for (size_t i = h & mask; s->slot[i]; i = (i + 1) & mask)
        if (s->hash[i] == h && same_diag(&d->v[s->slot[i] - 1], g)) return false;
    seen_place(s, h, index_if_new);
    return true;
}

/* Move the findings of scratch into d, skipping those already reported. */
static void merge_new(sgc_diags *d, seen_set *seen, sgc_diags *scratch, const char *item)
{
    for (int i = 0; i < scratch->n; i++) {
        const sgc_diag *g = &scratch->v[i];
        if (!seen_insert(seen, d, g, d->n)) continue;
        sgc_diag_add(d, g->sev, g->code, g->file, g->line, g->col, "%s", g->msg);
        sgc_diag_set_item(d, g->item ? g->item : item);
        if (g->source_line) d->v[d->n - 1].source_line = strdup(g->source_line);
    }
    sgc_diags_free(scratch);
}

/* An unused macro was never expanded, so its list names are still names:
 * splice the items of named lists into a copy (as the resolver would) so the
 * type checker sees the values, not the names. */
static void add_list_items(const sgc_ruleset *rs, sgc_value *out, const sgc_list *l, int depth)
{
    for (int i = 0; i < l->nitems; i++) {
        const sgc_list *sub = depth < 32 ? sgc_ruleset_find_list(rs, l->items[i]) : NULL;
        if (sub && sub != l) {
            add_list_items(rs, out, sub, depth + 1);
            continue;
        }
        sgc_loc loc = {l->items_src, l->items_off ? l->items_off[i] : 0};
        sgc_value *v = sgc_value_new(SGC_V_STRING, loc);
        v->str = strdup(l->items[i]);
        sgc_value_add_item(out, v);
    }
}

static void splice_value(const sgc_ruleset *rs, sgc_value *v)
{
    if (!v) return;
    if (v->kind == SGC_V_LISTREF) {
        const sgc_list *l = sgc_ruleset_find_list(rs, v->str);
        if (!l) return;
        v->kind = SGC_V_LIST;
        free(v->str);
        v->str = NULL;
        add_list_items(rs, v, l, 0);
        return;
    }
    if (v->kind != SGC_V_LIST) return;
    sgc_value **old = v->items;
    int n = v->nitems;
    v->items = NULL;
    v->nitems = 0;
    for (int i = 0; i < n; i++) {
        const sgc_list *l = old[i]->kind == SGC_V_STRING && !old[i]->quoted
                                ? sgc_ruleset_find_list(rs, old[i]->str)
                                : NULL;
        if (!l) {
            sgc_value_add_item(v, old[i]);
            continue;
        }
        add_list_items(rs, v, l, 0);
        sgc_value_free(old[i]);
    }
    free(old);
}

static void splice_lists(const sgc_ruleset *rs, sgc_node *n)
{
    for (int i = 0; i < n->nkids; i++) splice_lists(rs, n->kids[i]);
    if (n->kind == SGC_N_CHECK && sgc_op_is_list(n->op)) splice_value(rs, n->rhs);
}

/* A field the catalog does not know at all (as opposed to a known field
 * with a bad argument). */
static bool is_unknown_field(const sgc_value *v, sgc_evsource src)
{
    return v->kind == SGC_V_FIELD && !v->fdef &&
           !sgc_field_in_source(sgc_field_lookup(v->field), src) &&
           !sgc_field_resolve_src(src, v->field, v->arg, NULL, NULL);
}

static const sgc_value *unknown_field_in_value(const sgc_value *v, sgc_evsource src)
{
    if (!v) return NULL;
    if (is_unknown_field(v, src)) return v;
    for (int i = 0; i < v->nitems; i++) {
        const sgc_value *u = unknown_field_in_value(v->items[i], src);
        if (u) return u;
    }
    return NULL;
}

static const sgc_value *unknown_field_in(const sgc_node *n, sgc_evsource src)
{
    if (!n) return NULL;
    const sgc_value *u = unknown_field_in_value(n->lhs, src);
    if (!u) u = unknown_field_in_value(n->rhs, src);
    for (int i = 0; i < n->nkids && !u; i++) u = unknown_field_in(n->kids[i], src);
    return u;
}

/* `skip-if-unknown-filter: true` (Falco): a rule whose condition names a
 * field this build does not know is skipped with a warning instead of
 * failing the load. Returns true when r was skipped. */
static bool skip_for_unknown_field(sgc_ruleset *rs, sgc_rule *r, const char *item)
{
    const sgc_value *u =
        r->skip_if_unknown_filter ? unknown_field_in(r->resolved, sgc_rule_source(r)) : NULL;
    if (!u) return false;
    sgc_diag_at(
        &rs->diags, SGC_SEV_WARNING, "LOAD_UNKNOWN_FILTER", u->loc,
        "rule '%s' uses unknown field %s and sets skip-if-unknown-filter: the rule is skipped",
        r->name, u->field);
    sgc_diag_set_item(&rs->diags, item);
    sgc_node_free(r->resolved);
    r->resolved = NULL;
    r->enabled = false;
    return true;
}

/* An unused macro belongs to no rule, so to no source: it is checked with
 * the catalog that knows its fields (k8s_audit when it names a field only
 * that source has, else syscall). */
static bool names_k8s_field(const sgc_value *v)
{
    if (!v) return false;
    if (v->kind == SGC_V_FIELD && !sgc_field_resolve(v->field, v->arg, NULL, NULL) &&
        sgc_field_resolve_src(SGC_SRC_K8S_AUDIT, v->field, v->arg, NULL, NULL))
        return true;
    for (int i = 0; i < v->nitems; i++)
        if (names_k8s_field(v->items[i])) return true;
    return false;
}

static bool node_names_k8s_field(const sgc_node *n)
{
    if (!n) return false;
    if (names_k8s_field(n->lhs) || names_k8s_field(n->rhs)) return true;
    for (int i = 0; i < n->nkids; i++)
        if (node_names_k8s_field(n->kids[i])) return true;
    return false;
}

static sgc_evsource macro_source(const sgc_node *n)
{
    return node_names_k8s_field(n) ? SGC_SRC_K8S_AUDIT : SGC_SRC_SYSCALL;
}

void sgc_frontend_typecheck(sgc_ruleset *rs)
{
    char item[512];
    seen_set seen = {NULL, NULL, 0, 0};
    for (int i = 0; i < rs->nrules; i++) {
        sgc_rule *r = rs->rules[i];
        if (!sgc_lint_rule_is_checked(r)) continue;
        sgc_lint_item_name(item, sizeof item, "rule", r->name);
        sgc_diags scratch;
        sgc_diags_init(&scratch);
        sgc_evsource src = sgc_rule_source(r);
        if (r->resolved) sgc_typecheck_condition_src(r->resolved, &scratch, src);
        if (skip_for_unknown_field(rs, r, item)) {
            sgc_diags_free(&scratch);
            continue;
        }
        if (r->output_src) sgc_typecheck_output_src(r->output_src, &scratch, src);
        merge_new(&rs->diags, &seen, &scratch, item);
    }
    /* Macros no rule uses are not part of any resolved condition: check
     * them as written so their mistakes still show. */
    for (int i = 0; i < rs->nmacros; i++) {
        sgc_macro *m = rs->macros[i];
        if (m->used || !m->ast) continue;
        sgc_diags scratch;
        sgc_diags_init(&scratch);
        sgc_node *copy = sgc_node_clone(m->ast);
        splice_lists(rs, copy);
        sgc_typecheck_condition_src(copy, &scratch, macro_source(copy));
        sgc_node_free(copy);
        merge_new(&rs->diags, &seen, &scratch,
                  sgc_lint_item_name(item, sizeof item, "macro", m->name));
    }
    free(seen.slot);
    free(seen.hash);
}
