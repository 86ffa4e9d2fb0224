/* See drop_policy.h. */
#include "drop_policy.h"

#include <string.h>

void sgc_drop_policy_init(sgc_drop_policy *p, double threshold, unsigned actions, double rate,
                          double max_burst)
{
    memset(p, 0, sizeof *p);
    p->threshold = threshold;
    p->actions = actions;
    p->rate = rate;
    p->max_burst = max_burst;
    p->tokens = max_burst;
}

/* Falco's token bucket: refilled at `rate` a second up to max_burst */
static bool claim(sgc_drop_policy *p, uint64_t now_ns)
{
    if (p->started && now_ns > p->last_ns)
        p->tokens += p->rate * (double)(now_ns - p->last_ns) / 1e9;
    p->started = true;
    p->last_ns = now_ns;
    if (p->tokens > p->max_burst) p->tokens = p->max_burst;
    if (p->tokens < 1) return false;
    p->tokens -= 1;
    return true;
}

unsigned sgc_drop_policy_decide(sgc_drop_policy *p, const sgc_drop_report *r, uint64_t now_ns)
{
    uint64_t lost = SGC_DROP_LOST(r);
    if (!lost) return 0;
    double ratio = r->seen ? (double)lost / (double)r->seen : 1.0;
    if (!(ratio > p->threshold)) return 0;
    p->over_threshold++;
    if (!claim(p, now_ns)) {
        p->suppressed++;
        return 0;
    }
    p->acted++;
    return p->actions & (SGC_DROP_ACT_LOG | SGC_DROP_ACT_ALERT | SGC_DROP_ACT_EXIT);
}
