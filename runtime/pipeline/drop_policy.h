/* What to do about lost events: sgc.yaml's syscall_event_drops (Falco's
 * keys and meaning).
 *
 *   threshold  a report is acted on only when the share of events lost in
 *              its interval, lost / seen, is above it (0 to 1, default .1;
 *              lost with nothing seen counts as 1)
 *   actions    ignore, log (a warning line, sgclog.h), alert (the internal
 *              alert "sgc internal: event drop", drops.h), exit (sgc stops
 *              with status 1 after the other actions)
 *   rate,      a token bucket limits how often the actions run: it holds at
 *   max_burst  most max_burst tokens (starts full), gains `rate` tokens a
 *              second, and each report acted on takes one; a report over the
 *              threshold without a token is counted as suppressed (default
 *              rate .03333, max_burst 1: at most one every 30 s)
 *
 * Every lost event is still counted in the summary, the stats line and
 * /metrics whatever the policy decides. All listed actions run (Falco 0.44
 * stops at the first one of its list). */
#ifndef SGC_DROP_POLICY_H
#define SGC_DROP_POLICY_H

#include "config.h"
#include "drops.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct sgc_drop_policy {
    double threshold, rate, max_burst;
    unsigned actions; /* SGC_DROP_ACT_* */
    double tokens;
    uint64_t last_ns;
    bool started;
    uint64_t over_threshold; /* reports above the threshold */
    uint64_t acted;          /* ... acted on */
    uint64_t suppressed;     /* ... without a token */
} sgc_drop_policy;

void sgc_drop_policy_init(sgc_drop_policy *p, double threshold, unsigned actions, double rate,
                          double max_burst);

/* The actions (SGC_DROP_ACT_LOG|ALERT|EXIT) to take for report r at now_ns
 * (any monotonic clock); 0 when none: under the threshold, no token, or
 * only `ignore`. */
unsigned sgc_drop_policy_decide(sgc_drop_policy *p, const sgc_drop_report *r, uint64_t now_ns);

#endif
