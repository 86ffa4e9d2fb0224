/* The evaluator: a rule set's resolved conditions compiled once into a form
 * that is cheap per event, and matched against events.
 *
 * Compilation resolves every field to its extractor (once per distinct
 * field of the rule set, shared by all rules: per event each field is
 * extracted at most once), parses every literal, builds hash sets for `in`
 * lists, compiles regexes and turns evt.type checks into bit tests. Rules are
 * indexed by event type (grammar/evttypes.h), so an event only meets the
 * rules that can match its type; a kernel candidate bitmap
 * (SGC_EVF_CANDIDATES) narrows them further. Bit i of the bitmap is the i-th
 * enabled rule of rs->rules, as compiler/pushdown/pushdown.h numbers them.
 *
 * Per event the caller prepares the context: sgc_extract_ctx_reset(cx, ev,
 * proc) and a reset scratch arena. An engine is used by one thread at a
 * time (it keeps the per-event field cache). */
#ifndef SGC_EVAL_H
#define SGC_EVAL_H

#include "diag.h"
#include "extract.h"
#include "ruleset.h"
#include <stdbool.h>

typedef struct sgc_engine sgc_engine;

typedef enum { SGC_MATCH_FIRST, SGC_MATCH_ALL } sgc_match_mode;

typedef struct sgc_engine_opts {
    sgc_match_mode mode;       /* Falco's rule_matching: first (default) or all */
    sgc_priority min_priority; /* skip rules less severe than this; default DEBUG = all */
    bool ignore_candidates;    /* evaluate every rule of the type, whatever the bitmap */
    /* Which rules to compile: those of this event source (SGC_SRC_*,
     * compiler/fields.h; default syscall). A k8s_audit engine evaluates
     * every rule for every event (no event types, no candidate bitmap). */
    int source;
} sgc_engine_opts;

/* Default options: first match, every priority, honour candidate bitmaps. */
sgc_engine_opts sgc_engine_default_opts(void);

/* Compile the enabled rules of rs of opts->source (their `resolved` conditions).
 * A rule that cannot be compiled (unknown field, bad regex, ...) is left out
 * with an SGC_EVAL_COMPILE error in diags; the others still load. Returns
 * NULL only on allocation failure. */
sgc_engine *sgc_engine_build(const sgc_ruleset *rs, const sgc_engine_opts *opts, sgc_diags *diags);
void sgc_engine_free(sgc_engine *e);

/* Compiled rules (in definition order) and lookups. */
int sgc_engine_nrules(const sgc_engine *e);
const sgc_rule *sgc_engine_rule(const sgc_engine *e, int i);

typedef void (*sgc_match_cb)(const sgc_rule *rule, sgc_extract_ctx *cx, void *ud);

/* Evaluate the rules that can match cx->ev; calls cb for each match (only
 * the first one in first-match mode) while the event's values are still
 * valid. Returns the number of matches. */
int sgc_engine_match(sgc_engine *e, sgc_extract_ctx *cx, sgc_match_cb cb, void *ud);

/* Counters since build. */
typedef struct sgc_engine_stats {
    uint64_t events;          /* sgc_engine_match calls */
    uint64_t rules_evaluated; /* condition evaluations */
    uint64_t matches;
    uint64_t extractions; /* extractor calls (after the per-event cache) */
} sgc_engine_stats;
void sgc_engine_get_stats(const sgc_engine *e, sgc_engine_stats *st);

/* ---- single conditions (tests, replay filters, the differential test) --- */

typedef struct sgc_filter sgc_filter;

/* Compile one resolved condition. NULL with a message in err on failure. */
sgc_filter *sgc_filter_compile(const sgc_node *cond, char *err, size_t errlen);
bool sgc_filter_eval(sgc_filter *f, sgc_extract_ctx *cx);
void sgc_filter_free(sgc_filter *f);

#endif
