/* `sgc run`'s answer to lost events: sgc.yaml's syscall_event_drops
 * (threshold, actions, rate, max_burst; runtime/pipeline/drop_policy.h)
 * applied to each loss report of the run loop: the log line, the internal
 * alert, and the exit action (the loop stops, sgc run exits 1). */
#ifndef SGC_CLI_RUN_DROPS_H
#define SGC_CLI_RUN_DROPS_H

#include "config.h"
#include "drop_policy.h"
#include "drops.h"
#include "output.h"

#include <stdbool.h>

typedef struct run_drops {
    sgc_drop_policy pol;
    unsigned long long alerts; /* internal alerts written */
    bool exit_requested;       /* the exit action ran: sgc run's status is 1 */
} run_drops;

void run_drops_init(run_drops *d, const sgc_conf *c);

/* One loss report (the run loop's on_drops): the actions the policy allows. */
void run_drops_handle(run_drops *d, const char *prog, const sgc_output_config *out,
                      const sgc_drop_report *r);

#endif
