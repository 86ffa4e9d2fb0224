/* `sgc replay --source k8s_audit`: an audit log (JSON lines, one Event or
 * EventList per line, as API servers write them) through the k8s_audit
 * rules. Lines starting with '#' are comments; with --check, a comment
 * "# expect: RULE, RULE" (or "# expect:" for none) states what the events
 * of the next JSON line must match. */
#ifndef SGC_REPLAY_K8SAUDIT_H
#define SGC_REPLAY_K8SAUDIT_H

#include "ka_pipeline.h"
#include "ruleset.h"

#include <stdbool.h>

/* Returns the exit status: 0 ok, 1 malformed lines, rejected events, rule
 * errors or failed checks. */
int sgc_replay_k8saudit(const char *path, const sgc_ruleset *rs, const sgc_ka_pipeline_opts *o,
                        bool check);

#endif
