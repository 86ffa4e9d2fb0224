/* `sgc run`'s web server: /healthz and /metrics (runtime/webserver/). The
 * detection thread counts records by syscall and alerts by rule, and once a
 * second publishes a metrics snapshot the server's thread serves. */
#ifndef SGC_CLI_RUN_METRICS_H
#define SGC_CLI_RUN_METRICS_H

#include "config.h"
#include "decode.h"
#include "metrics.h"
#include "pipeline.h"
#include "runloop.h"
#include "webserver.h"

#define RUN_METRICS_NR    1024
#define RUN_METRICS_RULES 4096

typedef struct run_metrics {
    sgc_webserver *ws;
    uint64_t by_syscall[RUN_METRICS_NR];
    sgc_metrics_alert alerts[RUN_METRICS_RULES]; /* open addressing by rule pointer */
    int nalerts;
    sgc_metrics_file *files;
    int nfiles;
    uint64_t last_publish_ns;
    double start_s, last_reload_s;
    uint64_t reloads_ok, reloads_failed;
    const sgc_runloop_summary *live;
} run_metrics;

/* Start the server when the configuration enables it (else nothing, 0).
 * -1 with a message when it cannot listen. rules: the files in use. */
int run_metrics_start(run_metrics *m, const sgc_conf *c, const char *const *rules, int nrules,
                      char *err, size_t errlen);
void run_metrics_event(run_metrics *m, const sgc_evt *ev);
/* sgc_output_config.on_alert */
void run_metrics_on_alert(void *ud, const char *rule, int priority);
/* After a reload: counted (ok or failed); when ok, the last reload time
 * and the files in use (c's config files, rules) with their sha256. */
void run_metrics_reloaded(run_metrics *m, bool ok, const sgc_conf *c, const char *const *rules,
                          int nrules);
/* From on_tick: publish a snapshot at most once a second. */
void run_metrics_tick(run_metrics *m, uint64_t now_ns, sgc_pipeline *pl, sgc_outq *q,
                      uint64_t drop_alerts);
void run_metrics_stop(run_metrics *m);

#endif
