/* Priorities, and creating/freeing/looking up a rule set; where a rule's
 * condition starts. */
#include "ruleset.h"
#include "strindex.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const priority_names[] = {
    "Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug",
};

const char *sgc_priority_name(sgc_priority p)
{
    if ((int)p < 0 || p > SGC_PRI_DEBUG) return "Unknown";
    return priority_names[p];
}

int sgc_priority_parse(const char *s)
{
    if (!s) return -1;
    for (int i = 0; i <= SGC_PRI_DEBUG; i++)
        if (!strcasecmp(s, priority_names[i])) return i;
    if (!strcasecmp(s, "info")) return SGC_PRI_INFORMATIONAL; /* Falco accepts both */
    return -1;
}

/* Lookups by name through one index per kind, extended with the entries
 * added since the last lookup: 10,000 rules are found in linear time, not
 * by scanning every rule for each definition (issue 18). */
struct sgc_ruleset_names {
    sgc_strindex idx[3]; /* rules, macros, lists */
    int n[3];            /* entries indexed */
};

sgc_ruleset *sgc_ruleset_new(void)
{
    sgc_ruleset *rs = calloc(1, sizeof *rs);
    sgc_diags_init(&rs->diags);
    return rs;
}

static void free_strv(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

void sgc_list_free(sgc_list *l)
{
    if (!l) return;
    free(l->name);
    free_strv(l->items, l->nitems);
    free(l->item_pos);
    free(l->items_off);
    free(l);
}

void sgc_macro_free(sgc_macro *m)
{
    if (!m) return;
    free(m->name);
    sgc_node_free(m->ast);
    free(m);
}

void sgc_exception_clear(sgc_exception *e)
{
    free(e->name);
    free_strv(e->fields, e->nfields);
    free_strv(e->comps, e->ncomps);
    for (int i = 0; i < e->nvalues; i++) {
        for (int j = 0; j < e->nvalues_per_tuple[i]; j++) {
            free_strv(e->values[i][j].items, e->values[i][j].nitems);
            free(e->values[i][j].item_pos);
        }
        free(e->values[i]);
    }
    free(e->values);
    free(e->nvalues_per_tuple);
    free(e->field_pos);
    free(e->comp_pos);
    free(e->tuple_is_list);
    free(e->tuple_pos);
    memset(e, 0, sizeof *e);
}

void sgc_rule_free(sgc_rule *r)
{
    if (!r) return;
    free(r->name);
    free(r->desc);
    sgc_node_free(r->ast);
    sgc_node_free(r->resolved);
    sgc_node_free(r->exc_ast);
    free(r->source);
    free_strv(r->tags, r->ntags);
    for (int i = 0; i < r->nexceptions; i++) sgc_exception_clear(&r->exceptions[i]);
    free(r->exceptions);
    free(r);
}

void sgc_ruleset_drop_conditions(sgc_ruleset *rs)
{
    for (int i = 0; i < rs->nrules; i++) {
        sgc_rule *r = rs->rules[i];
        sgc_node_free(r->ast);
        sgc_node_free(r->resolved);
        sgc_node_free(r->exc_ast);
        r->ast = r->resolved = r->exc_ast = NULL;
    }
}

void sgc_ruleset_free(sgc_ruleset *rs)
{
    if (!rs) return;
    for (int i = 0; i < rs->nlists; i++) sgc_list_free(rs->lists[i]);
    for (int i = 0; i < rs->nmacros; i++) sgc_macro_free(rs->macros[i]);
    for (int i = 0; i < rs->nrules; i++) sgc_rule_free(rs->rules[i]);
    free(rs->lists);
    free(rs->macros);
    free(rs->rules);
    free(rs->required_engine_version);
    free_strv(rs->required_plugins, rs->nrequired_plugins);
    for (int i = 0; i < rs->nshadowed; i++) free(rs->shadowed[i].name);
    free(rs->shadowed);
    /* sources last: ASTs above point into them */
    for (sgc_source *s = rs->sources, *n; s; s = n) {
        n = s->next;
        sgc_source_free(s);
    }
    free_strv(rs->files, rs->nfiles);
    sgc_diags_free(&rs->diags);
    if (rs->names)
        for (int k = 0; k < 3; k++) sgc_strindex_free(&rs->names->idx[k]);
    free(rs->names);
    free(rs);
}

static int find_name(const sgc_ruleset *rs, int kind, const char *name)
{
    struct sgc_ruleset_names *x = rs->names;
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x) abort();
        ((sgc_ruleset *)rs)->names = x; /* a cache: the set is logically unchanged */
    }
    int total = kind == 0 ? rs->nrules : kind == 1 ? rs->nmacros : rs->nlists;
    for (; x->n[kind] < total; x->n[kind]++) {
        int i = x->n[kind];
        const char *n = kind == 0   ? rs->rules[i]->name
                        : kind == 1 ? rs->macros[i]->name
                                    : rs->lists[i]->name;
        sgc_strindex_put(&x->idx[kind], n, strlen(n), i); /* the first of a name wins */
    }
    return sgc_strindex_get(&x->idx[kind], name, strlen(name));
}

sgc_rule *sgc_ruleset_find_rule(const sgc_ruleset *rs, const char *name)
{
    int i = find_name(rs, 0, name);
    return i >= 0 ? rs->rules[i] : NULL;
}

sgc_macro *sgc_ruleset_find_macro(const sgc_ruleset *rs, const char *name)
{
    int i = find_name(rs, 1, name);
    return i >= 0 ? rs->macros[i] : NULL;
}

sgc_list *sgc_ruleset_find_list(const sgc_ruleset *rs, const char *name)
{
    int i = find_name(rs, 2, name);
    return i >= 0 ? rs->lists[i] : NULL;
}

int sgc_ruleset_list_pos(const sgc_ruleset *rs, const char *name) { return find_name(rs, 2, name); }

sgc_evsource sgc_rule_source(const sgc_rule *r)
{
    int s = r->source ? sgc_evsource_parse(r->source) : SGC_SRC_SYSCALL;
    return s < 0 ? SGC_SRC_SYSCALL : (sgc_evsource)s;
}

sgc_loc sgc_rule_cond_loc(const sgc_rule *r)
{
    sgc_loc loc = {r->cond_src, 0};
    if (!r->cond_src) return loc;
    while (loc.off < r->cond_src->len && strchr(" \t\r\n", r->cond_src->text[loc.off])) loc.off++;
    return loc;
}
