/* The lint driver: every check over a resolved rule set, in a fixed order
 * (each check is its own file, lint_*.c; what they share is lint_report.c). */
#include "lint.h"

void sgc_lint_ruleset(const sgc_ruleset *rs, sgc_diags *d)
{
    sgc_lint_unused(rs, d);
    sgc_lint_shadowed(rs, d);
    sgc_lint_duplicate_items(rs, d);
    sgc_lint_na_checks(rs, d);
    sgc_lint_conditions(rs, d);
}
