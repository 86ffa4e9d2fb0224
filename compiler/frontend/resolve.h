/* Name resolution after all files are loaded: macros expanded into each
 * rule's condition (recursively, cycles reported), list names replaced by
 * their items (nested lists spliced), exceptions appended as
 * `and not (...)`. The result is each rule's `resolved` AST; the parsed
 * conditions of rules and macros are left intact. */
#ifndef SGC_RESOLVE_H
#define SGC_RESOLVE_H

#include "ruleset.h"
#include <stdio.h>

/* Expand macros and lists into each rule's `resolved` AST and append the
 * exceptions; marks macros/lists `used`. Returns 0, or -1 when errors were
 * reported (in rs->diags). May be called again after more files are loaded. */
int sgc_ruleset_resolve(sgc_ruleset *rs);

/* Print each enabled rule's resolved condition in Falco syntax, one rule per
 * line: `NAME: CONDITION` (rules whose condition could not be resolved print
 * `NAME: <error>`). */
void sgc_ruleset_print_resolved(FILE *out, const sgc_ruleset *rs);

#endif
