/* Lint checks that run after loading, resolution and type checking. They
 * only read the rule set and append warnings (Falco's codes where Falco has
 * the finding, SGC_* for ours; docs/cli.md lists them all). */
#ifndef SGC_LINT_H
#define SGC_LINT_H

#include "fields.h"
#include "ruleset.h"

/* Run every check below. */
void sgc_lint_ruleset(const sgc_ruleset *rs, sgc_diags *d);

/* LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST: defined, never used by a rule. */
void sgc_lint_unused(const sgc_ruleset *rs, sgc_diags *d);
/* SGC_SHADOWED_RULE: a later `- rule: X` (no append/override) replaced X. */
void sgc_lint_shadowed(const sgc_ruleset *rs, sgc_diags *d);
/* SGC_DUPLICATE_LIST_ITEM: an item repeated in a YAML list or in a
 * parenthesised list inside a condition. */
void sgc_lint_duplicate_items(const sgc_ruleset *rs, sgc_diags *d);
/* LOAD_UNSAFE_NA_CHECK: `= "<NA>"`, `!= "<NA>"`, a list holding "<NA>". */
void sgc_lint_na_checks(const sgc_ruleset *rs, sgc_diags *d);
/* LOAD_NO_EVTTYPE: a rule that would inspect (nearly) every event type;
 * SGC_ALWAYS_FALSE / SGC_ALWAYS_TRUE: a rule condition that folds. */
void sgc_lint_conditions(const sgc_ruleset *rs, sgc_diags *d);

/* Shared by the checks. */
const char *sgc_lint_item_name(char *buf, size_t size, const char *kind, const char *name);
void sgc_lint_add_at_pos(sgc_diags *d, const char *code, sgc_pos pos, const char *item,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Whether a rule is checked at all: rules of an unknown source are skipped,
 * as Falco skips them. */
bool sgc_lint_rule_is_checked(const sgc_rule *r);

#endif
