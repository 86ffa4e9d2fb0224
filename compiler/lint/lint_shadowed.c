/* A rule defined twice without append/override: the later definition
 * silently replaces the earlier one (Falco does the same, without a word).
 * Redefined macros and lists are not reported: replacing a macro or list
 * from a later file is Falco's documented way to customise rules. */
#include "lint.h"

#include <string.h>

void sgc_lint_shadowed(const sgc_ruleset *rs, sgc_diags *d)
{
    char item[512];
    for (int i = 0; i < rs->nshadowed; i++) {
        const sgc_shadowed *s = &rs->shadowed[i];
        if (strcmp(s->kind, "rule")) continue;
        sgc_lint_add_at_pos(d, "SGC_SHADOWED_RULE", s->new_pos,
                            sgc_lint_item_name(item, sizeof item, "rule", s->name),
                            "rule '%s' is defined again and replaces the definition at %s:%d "
                            "(use 'override' or 'append' to change a rule)",
                            s->name, s->old_pos.file ? s->old_pos.file : "?", s->old_pos.line);
    }
}
