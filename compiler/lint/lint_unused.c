/* Unused macros and lists (Falco's LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST):
 * the resolver marks what rules reach; whatever it did not reach is dead. */
#include "lint.h"

void sgc_lint_unused(const sgc_ruleset *rs, sgc_diags *d)
{
    char item[512];
    for (int i = 0; i < rs->nmacros; i++) {
        const sgc_macro *m = rs->macros[i];
        if (m->used) continue;
        sgc_lint_add_at_pos(d, "LOAD_UNUSED_MACRO", m->pos,
                            sgc_lint_item_name(item, sizeof item, "macro", m->name),
                            "macro '%s' is defined but no rule uses it", m->name);
    }
    for (int i = 0; i < rs->nlists; i++) {
        const sgc_list *l = rs->lists[i];
        if (l->used) continue;
        sgc_lint_add_at_pos(d, "LOAD_UNUSED_LIST", l->pos,
                            sgc_lint_item_name(item, sizeof item, "list", l->name),
                            "list '%s' is defined but no rule uses it", l->name);
    }
}
