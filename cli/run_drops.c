/* See run_drops.h. */
#include "run_drops.h"

#include "runloop.h"
#include "sgclog.h"

#include <time.h>

void run_drops_init(run_drops *d, const sgc_conf *c)
{
    d->alerts = 0;
    d->exit_requested = false;
    sgc_drop_policy_init(&d->pol, c->syscall_event_drops.threshold, c->syscall_event_drops.actions,
                         c->syscall_event_drops.rate, c->syscall_event_drops.max_burst);
}

void run_drops_handle(run_drops *d, const char *prog, const sgc_output_config *out,
                      const sgc_drop_report *r)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    unsigned act = sgc_drop_policy_decide(&d->pol, r,
                                          (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec);
    if (act & SGC_DROP_ACT_LOG) sgc_drops_log(prog, r);
    if (act & SGC_DROP_ACT_ALERT) {
        if (sgc_drop_alert_emit(out, r) == 0)
            d->alerts++;
        else
            sgc_log(SGC_LOG_ERR, prog, "the drop alert could not be written");
    }
    if (act & SGC_DROP_ACT_EXIT) {
        sgc_log(SGC_LOG_CRIT, prog,
                "%llu events lost: exiting (syscall_event_drops.actions has exit)",
                (unsigned long long)SGC_DROP_LOST(r));
        d->exit_requested = true;
        sgc_runloop_request_stop();
    }
}
