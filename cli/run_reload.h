/* `sgc run`'s reload without a gap: on SIGHUP, or (watch_config_files) when
 * a loaded configuration or rules file changes, the configuration and the
 * rules are loaded and compiled again, and the new BPF programs verified,
 * in a worker thread while detection goes on; then, on the loop's thread,
 * the new kernel filter and the new userspace rules take over together
 * (bpf_loader.h "reload", pipeline.h "reload"): every event is judged by
 * the old rules or by the new ones, none by neither, none twice. When the
 * new files have errors the old rules keep running: the reason is printed,
 * counted in /metrics (sgc_reloads_failed_total) and sent as the internal
 * alert "sgc internal: reload failed"; a later good file is taken.
 *
 * What a reload takes from a new configuration: rules_files, rules,
 * priority, rule_matching (and the -r, -o overrides of the command line,
 * applied again). Everything else (outputs, webserver, sources) stays as
 * started: a restart applies it. The k8s_audit source keeps the rules it
 * started with. */
#ifndef SGC_CLI_RUN_RELOAD_H
#define SGC_CLI_RUN_RELOAD_H

#include "live_common.h"
#include "pipeline.h"
#include "run_config.h"
#include "run_metrics.h"

typedef struct run_reload run_reload;

typedef struct run_reload_opts {
    const char *prog;
    const run_cli *cli;           /* read again at each reload (-c, -o, -r) */
    live_load_opts lo;            /* as the first load (selection replaced) */
    struct sgc_enforce *enforce;  /* NULL: none */
    const sgc_output_config *out; /* for the internal alert */
    run_metrics *metrics;
    /* the first configuration (the caller frees it and the first rules) */
    const sgc_conf *first_cfg;
} run_reload_opts;

run_reload *run_reload_new(const run_reload_opts *o);
/* Join the worker, free what it made and the generations after the first. */
void run_reload_free(run_reload *r);

/* From a signal handler's flag: reload as soon as possible. */
void run_reload_request(run_reload *r);

/* From the loop's on_tick (b: the running capture, runloop's `running`):
 * notices file changes, starts the worker, and when it finished, switches
 * to the new rules or reports why not. */
void run_reload_tick(run_reload *r, struct sgc_bpf *b, sgc_pipeline *pl);

#endif
