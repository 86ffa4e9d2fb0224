/* rp_act_run: from an action's actionner name to its implementation; the
 * result names; what each actionner needs from the alert. */
#include "actionners.h"

#include <stdio.h>
#include <string.h>

const char *rp_result_name(rp_result r)
{
    switch (r) {
    case RP_R_OK: return "ok";
    case RP_R_DRY_RUN: return "dry_run";
    case RP_R_ERROR: return "error";
    case RP_R_REFUSED: return "refused";
    case RP_R_UNSUPPORTED: return "unsupported";
    case RP_R_RATE_LIMITED: return "rate_limited";
    }
    return "?";
}

rp_result rp_act_run(const rp_act_env *e, char *detail, size_t n)
{
    const char *a = e->action->actionner ? e->action->actionner : "";
    if (!strcmp(a, "process:kill")) return rp_act_process_kill(e, detail, n);
    if (!strncmp(a, "container:", 10) &&
        (!strcmp(a + 10, "stop") || !strcmp(a + 10, "kill") || !strcmp(a + 10, "pause") ||
         !strcmp(a + 10, "disconnect")))
        return rp_act_container(e, a + 10, detail, n);
    if (!strcmp(a, "file:quarantine")) return rp_act_quarantine(e, detail, n);
    if (!strcmp(a, "exec:script")) return rp_act_exec(e, detail, n);
    if (!strcmp(a, "notify:nats")) return rp_act_notify_nats(e, detail, n);
    if (!strcmp(a, "notify:webhook")) return rp_act_notify_webhook(e, detail, n);
    snprintf(detail, n, "actionner '%s' is not supported by sgc respond", a);
    return RP_R_UNSUPPORTED;
}

const char *const *rp_actionner_needs(const char *a)
{
    static const char *const kill[] = {"proc.pid", "proc.exepath|proc.pid.ts", NULL};
    static const char *const ctr[] = {"container.id", NULL};
    static const char *const quar[] = {"fd.name|proc.exepath", NULL};
    static const char *const none[] = {NULL};
    if (!a) return none;
    if (!strcmp(a, "process:kill")) return kill;
    if (!strncmp(a, "container:", 10)) return ctr;
    if (!strcmp(a, "file:quarantine")) return quar;
    return none;
}
