/* Items written twice in one list: harmless to matching, but a sign of a
 * copy-paste slip, and noise in every list lookup table. Checked in YAML
 * lists (including items added by append) and in parenthesised lists
 * written inside conditions. */
#include "lint.h"
#include "strindex.h"

#include <string.h>

static void check_yaml_list(const sgc_list *l, sgc_diags *d)
{
    char item[512];
    sgc_strindex seen;
    sgc_strindex_init(&seen);
    for (int i = 0; i < l->nitems; i++) {
        int j = sgc_strindex_put(&seen, l->items[i], strlen(l->items[i]), i);
        if (j >= 0) {
            sgc_lint_add_at_pos(d, "SGC_DUPLICATE_LIST_ITEM", l->item_pos[i],
                                sgc_lint_item_name(item, sizeof item, "list", l->name),
                                "item '%s' appears more than once in list '%s' (first at %s:%d:%d)",
                                l->items[i], l->name,
                                l->item_pos[j].file ? l->item_pos[j].file : "?",
                                l->item_pos[j].line, l->item_pos[j].col);
        }
    }
    sgc_strindex_free(&seen);
}

/* Only the set operand of in/intersects/pmatch is a set: a list passed to
 * a transformer (concat, join) may repeat items on purpose. */
static void check_set(const sgc_value *v, const char *item, sgc_diags *d)
{
    sgc_strindex seen;
    sgc_strindex_init(&seen);
    for (int i = 0; i < v->nitems; i++) {
        const sgc_value *a = v->items[i];
        if (a->kind != SGC_V_STRING) continue;
        int j = sgc_strindex_put(&seen, a->str, strlen(a->str), i);
        if (j >= 0) {
            const sgc_value *b = v->items[j];
            int line, col;
            sgc_loc_pos(b->loc, &line, &col);
            sgc_diag_at(
                d, SGC_SEV_WARNING, "SGC_DUPLICATE_LIST_ITEM", a->loc,
                "item '%s' appears more than once in this list (first at line %d, column %d)",
                a->str, line, col);
            sgc_diag_set_item(d, item);
        }
    }
    sgc_strindex_free(&seen);
}

static void check_node(const sgc_node *n, const char *item, sgc_diags *d)
{
    if (!n) return;
    for (int i = 0; i < n->nkids; i++) check_node(n->kids[i], item, d);
    if (n->kind == SGC_N_CHECK && sgc_op_is_list(n->op) && n->rhs && n->rhs->kind == SGC_V_LIST)
        check_set(n->rhs, item, d);
}

void sgc_lint_duplicate_items(const sgc_ruleset *rs, sgc_diags *d)
{
    char item[512];
    for (int i = 0; i < rs->nlists; i++) check_yaml_list(rs->lists[i], d);
    for (int i = 0; i < rs->nmacros; i++)
        check_node(rs->macros[i]->ast,
                   sgc_lint_item_name(item, sizeof item, "macro", rs->macros[i]->name), d);
    for (int i = 0; i < rs->nrules; i++)
        check_node(rs->rules[i]->ast,
                   sgc_lint_item_name(item, sizeof item, "rule", rs->rules[i]->name), d);
}
