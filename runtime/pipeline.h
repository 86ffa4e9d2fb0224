/* The userspace half of detection, shared by `sgc run` (live records) and
 * `sgc replay` (event files), so both print exactly the same alerts: the
 * process context (process table, user cache, container table), the
 * evaluator, and the outputs, wired together.
 *
 *   live:   sgc_pipeline_record(p, &ev)   applies the record to the process
 *           table, then evaluates it;
 *   replay: the event file reader updates the tables itself, then
 *           sgc_pipeline_eval(p, &ev, proc).
 */
#ifndef SGC_PIPELINE_H
#define SGC_PIPELINE_H

#include "containers.h"
#include "dnsnames.h"
#include "eval.h"
#include "output.h"
#include "proctable.h"
#include "usercache.h"

typedef struct sgc_pipeline_opts {
    sgc_output_config out;          /* sgc_output_config_defaults() */
    sgc_engine_opts engine;         /* sgc_engine_default_opts() */
    sgc_proctable_config proctable; /* zeros: defaults */
    unsigned user_sources;          /* SGC_USERS_* */
    int64_t boot_to_wall_ns;        /* record time -> wall time (0 for event files) */
    bool collect_matches;           /* keep the names of the last event's matches */
    /* live: a syscall from a pid the table does not know (started before the
     * /proc scan finished, or evicted) is read from /proc first */
    bool procfs_fallback;
    /* live: resolve the names rules compare fd.*ip.name with, in a
     * background thread (dnsnames_resolve.h); replay uses the event file's
     * "dns" table instead */
    bool resolve_rule_names;
} sgc_pipeline_opts;

void sgc_pipeline_default_opts(sgc_pipeline_opts *o);

typedef struct sgc_pipeline sgc_pipeline;

/* Build from a loaded, resolved rule set (kept by the caller while the
 * pipeline lives). Rule or output compile errors go to diags (the others
 * still run). NULL with a message in err when the output cannot be opened
 * or memory runs out. */
sgc_pipeline *sgc_pipeline_new(const sgc_ruleset *rs, const sgc_pipeline_opts *opts,
                               sgc_diags *diags, char *err, size_t errlen);
void sgc_pipeline_free(sgc_pipeline *p);

sgc_proctable *sgc_pipeline_proctable(sgc_pipeline *p);
sgc_usercache *sgc_pipeline_users(sgc_pipeline *p);
sgc_containers *sgc_pipeline_containers(sgc_pipeline *p);
sgc_dnsnames *sgc_pipeline_dns(sgc_pipeline *p);
/* Open the outputs with this hostname for alerts (NULL: this machine's).
 * Without a call, the first event opens them with opts.out.hostname.
 * Returns -1 with a message when the output file cannot be opened. */
int sgc_pipeline_set_hostname(sgc_pipeline *p, const char *hostname, char *err, size_t errlen);

/* A kernel record: update the process table, evaluate, emit alerts.
 * Returns the number of matching rules. */
int sgc_pipeline_record(sgc_pipeline *p, const sgc_evt *ev);
/* An event whose process context is already applied. */
int sgc_pipeline_eval(sgc_pipeline *p, const sgc_evt *ev, sgc_proc *proc);

/* Falco's `container` event (evt.type = container): a container was first
 * seen and its metadata lookup finished (resolved or not). Builds a
 * userspace-only SGC_REC_CONTAINER record carrying the full container id (so
 * container.* resolve even when the process is gone), attributed to pid
 * (pid = tid; its process entry, when the table still has it, gives proc.*),
 * at ts_ns (boot-based ns; 0: now), and evaluates it. Returns the number of
 * matching rules, -1 when the id does not fit. */
int sgc_pipeline_container_event(sgc_pipeline *p, const char *full_id, uint32_t pid,
                                 uint64_t ts_ns);

/* The rules the last event matched (with collect_matches). */
const char *const *sgc_pipeline_last_matches(const sgc_pipeline *p, int *n);

typedef struct sgc_pipeline_stats {
    unsigned long long events, matches;
    sgc_output_stats out;
} sgc_pipeline_stats;
void sgc_pipeline_get_stats(const sgc_pipeline *p, sgc_pipeline_stats *st);

#endif
