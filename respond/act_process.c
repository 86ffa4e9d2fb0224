/* process:kill: the alert's proc.pid, checked and signalled by
 * runtime/proc_signal.h (never pid 1, the responder, sgc, kernel threads or
 * an allowlisted name; only the process with the alert's proc.exepath and/or
 * proc.pid.ts). */
#include "actionners.h"
#include "proc_signal.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int rp_param_signal(const json_t *params, const char *key, int dflt)
{
    json_t *v = json_object_get(params, key);
    if (json_is_integer(v)) return (int)json_integer_value(v);
    if (json_is_string(v)) {
        int s = rp_signal_parse(json_string_value(v));
        return s > 0 ? s : dflt;
    }
    return dflt;
}

rp_result rp_act_process_kill(const rp_act_env *e, char *detail, size_t n)
{
    long long pid = 0, ts = 0;
    if (!rp_alert_field_int(e->alert, "proc.pid", &pid) || pid <= 0 || pid > INT_MAX) {
        snprintf(detail, n, "the alert has no proc.pid");
        return RP_R_REFUSED;
    }
    char tmp[64];
    const char *exe = rp_alert_field(e->alert, "proc.exepath", tmp, sizeof tmp);
    if (exe && (!*exe || !strcmp(exe, "<NA>"))) exe = NULL;
    if (!rp_alert_field_int(e->alert, "proc.pid.ts", &ts)) ts = 0;
    if (!exe && !ts) {
        snprintf(detail, n,
                 "the alert has neither proc.exepath nor proc.pid.ts to check pid %lld is "
                 "the same process",
                 pid);
        return RP_R_REFUSED;
    }
    char cid[80];
    const char *c = rp_alert_field(e->alert, "container.id", cid, sizeof cid);
    for (int i = 0; c && i < e->cfg->nallow_containers; i++)
        if (!strcmp(c, e->cfg->allow_containers[i])) {
            snprintf(detail, n, "container %s is on the allowlist", c);
            return RP_R_REFUSED;
        }
    int sig = rp_param_signal(e->action->params, "signal", SIGKILL);
    sgc_signal_result r = sgc_proc_signal((int)pid, sig, exe, (unsigned long long)ts,
                                          (const char *const *)e->cfg->allow_names,
                                          e->cfg->nallow_names, e->dry_run, detail, n);
    switch (r) {
    case SGC_SIG_OK: return RP_R_OK;
    case SGC_SIG_DRY_RUN: return RP_R_DRY_RUN;
    case SGC_SIG_REFUSED: return RP_R_REFUSED;
    default: return RP_R_ERROR;
    }
}
