/* The responder's core: one alert in, decisions out. For each alert:
 *   1. parse (malformed: counted, refused);
 *   2. exactly once: an id already handled (this run or, with a state file,
 *      an earlier one) is skipped;
 *   3. deduplication: an alert identical to one acted on within dedup_window
 *      seconds is skipped (alert.h says what "identical" means);
 *   4. each playbook rule that matches, in file order, runs its actions in
 *      order (Talon's continue / ignore_errors semantics); a rule with
 *      continue: false ends the evaluation;
 *   5. each action passes the rate limit, runs (or not, under dry_run), and
 *      leaves one JSON line in the audit log; the rule's notifiers publish
 *      each outcome.
 * Thread-safe: inputs on several threads call rp_responder_handle. */
#ifndef SGC_RP_RESPONDER_H
#define SGC_RP_RESPONDER_H

#include "playbook.h"
#include "respond_config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rp_responder rp_responder;

typedef struct rp_stats {
    uint64_t received, malformed, duplicates, deduplicated, matched;
    uint64_t actions_ok, actions_failed, actions_refused, actions_dry_run, rate_limited;
} rp_stats;

/* cfg and pb must outlive the responder. state_file (may be NULL) keeps the
 * ids of handled alerts across restarts. NULL with err on failure (the audit
 * log cannot be opened). */
rp_responder *rp_responder_new(const rp_config *cfg, const rp_playbook *pb, const char *state_file,
                               char *err, size_t errlen);
void rp_responder_free(rp_responder *r);

typedef enum { RP_HANDLED, RP_DUPLICATE, RP_MALFORMED } rp_handle_result;

/* Handle one alert (JSON bytes). input names where it came from ("http",
 * "nats", "stdin") for the audit log. err gets the reason of RP_MALFORMED. */
rp_handle_result rp_responder_handle(rp_responder *r, const char *buf, size_t len,
                                     const char *input, char *err, size_t errlen);

void rp_responder_stats(rp_responder *r, rp_stats *out);

#endif
