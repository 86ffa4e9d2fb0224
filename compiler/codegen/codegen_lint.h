/* Lint's view of the kernel filter (sgc lint): what a rule set's filter
 * would look like, warned about with the numbers. */
#ifndef SGC_CODEGEN_LINT_H
#define SGC_CODEGEN_LINT_H

#include "diag.h"
#include "ruleset.h"

/* Build the pushdown of rs and warn about groups whose kernel filter is
 * split into chunks (SGC_KERNEL_FILTER_SPLIT), rules left to userspace
 * because their own formula is too large for one chunk, and comm sets
 * beyond what the comm map holds (SGC_KERNEL_FILTER_USERSPACE). */
void sgc_kernel_filter_lint(const sgc_ruleset *rs, sgc_diags *d);

#endif
