/* `sgc run`'s configuration: the command line (-c, -o, -r, --dry-run and
 * today's flags) turned into an sgc.yaml load (runtime/config/config.h).
 * Today's flags map onto config keys as -o overrides would:
 *   --json                json_output=true
 *   -o FILE (no '=')      file_output.enabled=true, filename=FILE,
 *                         keep_alive=true, stdout_output.enabled=false
 *   --min-priority P      priority=P        --all-matches  rule_matching=all
 *   --time-iso8601        time_format_iso_8601=true
 *   --no-pushdown         sgc.pushdown=false
 *   --ringbuf-bytes N     sgc.ringbuf_bytes=N
 *   --stats-interval S    sgc.stats_interval=S   --duration S  sgc.duration=S
 * and win over the file, as -o does. */
#ifndef SGC_CLI_RUN_CONFIG_H
#define SGC_CLI_RUN_CONFIG_H

#include "config.h"
#include "pipeline.h"
#include <stdbool.h>

#define SGC_DEFAULT_CONFIG "/etc/sgc/sgc.yaml"

typedef struct run_cli {
    const char *config_file; /* -c; NULL: SGC_DEFAULT_CONFIG when it exists */
    bool no_default_config;  /* tests: SGC_NO_DEFAULT_CONFIG=1 in the environment */
    sgc_strlist overrides;   /* KEY=VALUE, in order (today's flags included) */
    sgc_strlist rules;       /* -r and positional rules files */
    bool dry_run;
    int verbose;
    const char **static_keys, **static_values; /* for the outputs (owned) */
    sgc_output_append *append;                 /* append_output, compiled (owned) */
    int nappend;
    sgc_output_format **formats; /* every template compiled for append (owned) */
    int nformats;
} run_cli;

void run_cli_free(run_cli *r);
/* Add "KEY=VALUE" with VALUE quoted as a YAML string. */
void run_cli_set_string(run_cli *r, const char *key, const char *value);
void run_cli_set(run_cli *r, const char *key, const char *value);

/* Load the configuration; diagnostics printed on stderr (warnings too).
 * 0, or 1 when it has errors (nothing may start). */
int run_config_load(const run_cli *r, sgc_conf *c, const char *prog);

/* Pipeline options (outputs, engine) from the configuration. 0, or 1 when
 * an append_output template does not compile (said on stderr). */
int run_config_pipeline_opts(run_cli *r, const sgc_conf *c, sgc_pipeline_opts *po,
                             const char *prog);
/* The engine's part of them (priority, rule_matching): what a reload
 * takes from a new configuration. */
void run_config_engine_opts(const sgc_conf *c, sgc_engine_opts *eo);

#endif
