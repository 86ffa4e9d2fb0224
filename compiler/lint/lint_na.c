/* Comparisons with the string "<NA>" (Falco's LOAD_UNSAFE_NA_CHECK).
 * "<NA>" is how a missing value is *rendered*; a missing value compares
 * equal to nothing (see schema/value.h), so `proc.name = "<NA>"` never
 * detects a missing name and `proc.name != "<NA>"` does not guarantee one.
 * `FIELD exists` is the reliable test. Falco limits this warning to its
 * k8s-audit fields; sgc applies it to every field because its evaluator
 * treats every missing value this way. Checked on conditions as written
 * (rules, macros, exceptions), following list names into their items. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

#define NA "<NA>"

/* The answer of list_has_na per list (rs->lists order): 0 not known yet,
 * 1 no, 2 yes. A list of 100,000 items used by 10,000 rules is scanned
 * once, not once per use (issue 18). */
typedef struct na_ctx {
    const sgc_ruleset *rs;
    unsigned char *memo;
} na_ctx;

static bool list_has_na(const sgc_ruleset *rs, const char *name, int depth)
{
    const sgc_list *l = sgc_ruleset_find_list(rs, name);
    if (!l || depth > 32) return false;
    for (int i = 0; i < l->nitems; i++) {
        if (!strcmp(l->items[i], NA)) return true;
        if (list_has_na(rs, l->items[i], depth + 1)) return true;
    }
    return false;
}

/* list_has_na(name, 0), remembered per list */
static bool named_list_has_na(na_ctx *c, const char *name)
{
    int pos = sgc_ruleset_list_pos(c->rs, name);
    if (pos < 0) return false;
    if (!c->memo[pos]) c->memo[pos] = list_has_na(c->rs, name, 0) ? 2 : 1;
    return c->memo[pos] == 2;
}

static bool value_has_na(na_ctx *c, const sgc_value *v)
{
    if (!v) return false;
    switch (v->kind) {
    case SGC_V_STRING: return !strcmp(v->str, NA) || (!v->quoted && named_list_has_na(c, v->str));
    case SGC_V_LISTREF: return named_list_has_na(c, v->str);
    case SGC_V_LIST:
        for (int i = 0; i < v->nitems; i++)
            if (value_has_na(c, v->items[i])) return true;
        return false;
    default: return false;
    }
}

static bool is_equality_op(sgc_op op)
{
    return op == SGC_OP_EQ || op == SGC_OP_NE || op == SGC_OP_IN || op == SGC_OP_INTERSECTS ||
           op == SGC_OP_PMATCH;
}

static void check_node(na_ctx *c, const sgc_node *n, const char *item, sgc_diags *d)
{
    if (!n) return;
    for (int i = 0; i < n->nkids; i++) check_node(c, n->kids[i], item, d);
    if (n->kind != SGC_N_CHECK || !is_equality_op(n->op) || !value_has_na(c, n->rhs)) return;
    const char *field = n->lhs && n->lhs->field ? n->lhs->field : "the field";
    sgc_diag_at(d, SGC_SEV_WARNING, "LOAD_UNSAFE_NA_CHECK", n->rhs->loc,
                "comparing %s with \"<NA>\" is unsafe: <NA> is how a missing value is printed, "
                "and a missing value equals nothing, so this check does not detect it; "
                "use '%s exists' to test whether the field has a value",
                field, field);
    sgc_diag_set_item(d, item);
}

void sgc_lint_na_checks(const sgc_ruleset *rs, sgc_diags *d)
{
    char item[512];
    na_ctx c = {rs, calloc((size_t)rs->nlists + 1, 1)};
    if (!c.memo) abort();
    for (int i = 0; i < rs->nmacros; i++)
        check_node(&c, rs->macros[i]->ast,
                   sgc_lint_item_name(item, sizeof item, "macro", rs->macros[i]->name), d);
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!sgc_lint_rule_is_checked(r)) continue;
        sgc_lint_item_name(item, sizeof item, "rule", r->name);
        check_node(&c, r->ast, item, d);
        check_node(&c, r->exc_ast, item, d);
    }
    free(c.memo);
}
