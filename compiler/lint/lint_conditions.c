/* Whole-condition findings on each rule's resolved condition:
 *  - SGC_ALWAYS_FALSE / SGC_ALWAYS_TRUE when it folds to a constant (fold.h);
 *  - LOAD_NO_EVTTYPE when the rule could match more than half of all event
 *    types: such a rule is evaluated for (nearly) every event, Falco's
 *    "significant performance penalty". Falco's own threshold is 100 of its
 *    ~390 enter/exit event codes; half of sgc's event types is the same idea
 *    at sgc's granularity (one id per event name). `warn_evttypes: false`
 *    silences it, as in Falco. Syscall rules only: the events of other
 *    sources (k8s_audit) have no event types. */
#include "evttypes.h"
#include "fold.h"
#include "lint.h"
#include "strindex.h"

#include <stdlib.h>
#include <string.h>

/* A short rendering of a sub-condition for a message. */
static char *excerpt(const sgc_node *n)
{
    char *s = sgc_node_to_condition(n);
    if (s && strlen(s) > 80) {
        size_t cut = 77;
        while (cut > 0 && (s[cut] & 0xC0) == 0x80) cut--; /* not inside a UTF-8 character */
        strcpy(s + cut, "...");
    }
    return s;
}

static void check_fold(const sgc_rule *r, const char *item, sgc_diags *d, bool *folded)
{
    sgc_fold_result f = sgc_fold_condition(r->resolved);
    *folded = f.value != SGC_FOLD_UNKNOWN;
    if (!*folded) return;
    bool is_false = f.value == SGC_FOLD_FALSE;
    char *what = excerpt(f.culprit);
    /* point at the culprit: it may sit in a macro or an exception */
    sgc_loc at = f.culprit->loc.src ? f.culprit->loc : sgc_rule_cond_loc(r);
    char from[300] = "";
    if (f.culprit->from_macro)
        snprintf(from, sizeof from, " (from macro '%s')", f.culprit->from_macro);
    sgc_diag_at(
        d, SGC_SEV_WARNING, is_false ? "SGC_ALWAYS_FALSE" : "SGC_ALWAYS_TRUE", at,
        "condition of rule '%s' is always %s, so the rule %s: `%s`%s is always %s because %s",
        r->name, is_false ? "false" : "true", is_false ? "can never match" : "matches every event",
        what ? what : "?", from, f.culprit_value == SGC_FOLD_FALSE ? "false" : "true", f.reason);
    sgc_diag_set_item(d, item);
    free(what);
}

static void check_evttypes(const sgc_rule *r, const char *item, sgc_diags *d)
{
    sgc_evtset s;
    sgc_condition_evttypes(r->resolved, &s);
    int n = sgc_evtset_count(&s);
    if (n * 2 > s.nbits) {
        if (n == s.nbits)
            sgc_diag_at(d, SGC_SEV_WARNING, "LOAD_NO_EVTTYPE", sgc_rule_cond_loc(r),
                        "rule '%s' has no event-type restriction: it would be evaluated for every "
                        "event (add an evt.type condition; significant performance penalty)",
                        r->name);
        else
            sgc_diag_at(
                d, SGC_SEV_WARNING, "LOAD_NO_EVTTYPE", sgc_rule_cond_loc(r),
                "rule '%s' matches %d of %d event types: it would be evaluated for nearly "
                "every event (narrow its evt.type condition; significant performance penalty)",
                r->name, n, s.nbits);
        sgc_diag_set_item(d, item);
    }
    sgc_evtset_free(&s);
}

/* A rule with an error (unknown event type, bad field...) is not analysed:
 * its folding would only echo the error ("evt.type = opne" is never true).
 * The items with an error, indexed once (not a scan of every finding per
 * rule: thousands of rules with a warning each). */
static void error_items(const sgc_diags *d, sgc_strindex *x)
{
    sgc_strindex_init(x);
    for (int i = 0; i < d->n; i++)
        if (d->v[i].sev == SGC_SEV_ERROR && d->v[i].item)
            sgc_strindex_put(x, d->v[i].item, strlen(d->v[i].item), i);
}

void sgc_lint_conditions(const sgc_ruleset *rs, sgc_diags *d)
{
    char item[512];
    sgc_strindex errors;
    error_items(d, &errors); /* the findings below are warnings: it stays right */
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!r->resolved || !sgc_lint_rule_is_checked(r)) continue;
        sgc_lint_item_name(item, sizeof item, "rule", r->name);
        if (sgc_strindex_get(&errors, item, strlen(item)) >= 0) continue;
        bool folded;
        check_fold(r, item, d, &folded);
        /* event types are a syscall notion: other sources have one kind of
         * event (Falco warns for the syscall source only) */
        if (!folded && r->warn_evttypes && sgc_rule_source(r) == SGC_SRC_SYSCALL)
            check_evttypes(r, item, d);
    }
    sgc_strindex_free(&errors);
}
