/* Lint's view of the kernel filter (sgc lint, sgc compile): what a rule
 * set's filter would look like, warned about with the numbers. */
#ifndef SGC_CODEGEN_LINT_H
#define SGC_CODEGEN_LINT_H

#include "diag.h"
#include "pushdown.h"
#include "ruleset.h"

#include <stdio.h>

/* The numbers behind the warnings (sgc compile prints them as a summary). */
typedef struct sgc_kernel_filter_stats {
    int groups;        /* syscall groups with a filter function */
    int split_groups;  /* of which cut into several functions */
    int functions;     /* the functions of the split groups */
    int unguarded;     /* of which have no index guard: they run for every
                          event of their group */
    int kept_rules;    /* rules too large for one function: always candidates */
    int long_lists;    /* checks left to userspace by their list's length */
    int comm_overflow; /* proc.name/proc.pname sets beyond the comm map */
} sgc_kernel_filter_stats;

/* Warn about the kernel filter of pd, the pushdown of the enabled rules of
 * rs (sgc_pushdown_build(rs)), each warning at the rule or check it is about:
 *   SGC_KERNEL_FILTER_SPLIT      a group split into several functions;
 *   SGC_KERNEL_FILTER_USERSPACE  a part left to userspace by a size limit:
 *                                (sgc_kernel_filter_too_many, _too_big:
 *                                all of it),
 *                                a rule's formula too large for one function,
 *                                a socket list longer than SGC_KSOCK_MAX_ITEMS,
 *                                comm sets beyond the comm map.
 * st (may be NULL) receives the numbers. Costs a pass over the groups and,
 * only when something is left to userspace, over the rules. */
void sgc_kernel_filter_lint_pd(const sgc_ruleset *rs, const sgc_pushdown *pd, sgc_diags *d,
                               sgc_kernel_filter_stats *st);

/* More enabled rules than a kernel filter decides for (SGC_PD_MAX_RULES):
 * the rule set is compiled without one. Then true, and the warning
 * (SGC_KERNEL_FILTER_USERSPACE) is added to d when d is not NULL. */
bool sgc_kernel_filter_too_many(const sgc_ruleset *rs, sgc_diags *d);

/* A filter for pd would need more BPF functions than one program holds
 * (SGC_PD_MAX_FUNCTIONS; about 22,000 rules of the generated shapes): the
 * rule set is compiled without one. Then true, and the warning
 * (SGC_KERNEL_FILTER_USERSPACE) is added to d when d is not NULL. */
bool sgc_kernel_filter_too_big(const sgc_pushdown *pd, sgc_diags *d);

/* The same, building the pushdown of rs (sgc lint); only the warning of
 * sgc_kernel_filter_too_many or _too_big when the filter is not built. */
void sgc_kernel_filter_lint(const sgc_ruleset *rs, sgc_diags *d);

/* One line: "N syscall groups, ...; left to userspace: ..." (no newline). */
void sgc_kernel_filter_stats_print(FILE *out, const sgc_kernel_filter_stats *st);

#endif
