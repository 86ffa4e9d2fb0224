/* Constant folding for lint: which conditions are provably always true or
 * always false, whatever the event. Only what is certain folds:
 *   - true/false constants (from resolution);
 *   - `in`/`intersects`/`pmatch` against an empty list (never true);
 *   - a check and its own negation: `x and not x` (false), `x or not x` (true);
 *   - event-type constraints that no event type satisfies
 *     (`evt.type = open and evt.type = execve`), or that every event type
 *     satisfies (`evt.type != open or evt.type != execve`),
 *     computed with the sets of evttypes.h for both polarities.
 * Comparisons of field values are never assumed (`evt.num = 0` is not
 * folded: that the counter starts at 1 is a runtime convention, and Falco's
 * rules use such macros as deliberate placeholders). */
#ifndef SGC_FOLD_H
#define SGC_FOLD_H

#include "ast.h"
#include <stdbool.h>

typedef enum { SGC_FOLD_UNKNOWN, SGC_FOLD_TRUE, SGC_FOLD_FALSE } sgc_fold_value;

typedef struct sgc_fold_result {
    sgc_fold_value value;
    /* The smallest sub-expression that is constant on its own and decides
     * the value, and why, e.g. "list is empty" (NULL when value is UNKNOWN). */
    const sgc_node *culprit;
    sgc_fold_value culprit_value; /* the culprit's own value (a `not` above
                                       it may invert it) */
    const char *reason;
} sgc_fold_result;

sgc_fold_result sgc_fold_condition(const sgc_node *cond);

/* Structural equality of two conditions (same checks, same operands in the
 * same order; quoting of literals ignored). */
bool sgc_node_equal(const sgc_node *a, const sgc_node *b);
bool sgc_value_equal(const sgc_value *a, const sgc_value *b);

#endif
