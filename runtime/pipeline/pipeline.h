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
    /* sgc run --enforce (enforce.h): NULL or no rules, detect only */
    const struct sgc_enforce *enforce;
    /* live: a syscall from a pid the table does not know (started before the
     * /proc scan finished, or evicted) is read from /proc first */
    bool procfs_fallback;
    /* live: resolve the names rules compare fd.*ip.name with, in a
     * background thread (dnsnames_resolve.h); replay uses the event file's
     * "dns" table instead */
    bool resolve_rule_names;
    /* live, with a container engine attached (sgc_pipeline_attach_engine):
     * the events of a container whose metadata lookup is pending are held
     * until it finishes, so the container's first exec sees container.*
     * (docs/containers.md, "Holding a new container's events"). Bounds:
     * events held at most (all containers; 0: 4096), their bytes (0: 8 MiB),
     * and the longest an event waits (0: 1 s); past a bound, held events
     * are evaluated with the metadata fields <NA>, as without holding. */
    uint32_t hold_max_events;
    size_t hold_max_bytes;
    uint64_t hold_max_wait_ns;
    /* a container whose processes have all exited is forgotten (its table
     * entry dropped, the engine asked to forget it) after this long with
     * none alive (0: 5 s) */
    uint64_t container_gone_ns;
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

/* ---- containers, live ----------------------------------------------------
 * With an engine attached, the pipeline notices new containers itself (on
 * exec records, and for every process with sgc_pipeline_see_all after the
 * /proc scan), asks the engine for their metadata, holds their events while
 * the lookup is pending, and, when the caller hands it the finished lookups
 * (sgc_pipeline_poll_containers), stores the metadata, emits the `container`
 * event, then evaluates the held events in order. sgc_pipeline_tick, called
 * periodically, evaluates held events past their wait bound and forgets
 * containers with no process left. All on the caller's (runloop's) thread. */
struct sgc_container_engine;
void sgc_pipeline_attach_engine(sgc_pipeline *p, struct sgc_container_engine *eng);
/* First sight of every container in the process table (after the /proc
 * scan); returns how many were new. */
int sgc_pipeline_see_all(sgc_pipeline *p);
/* Collect the engine's finished lookups; returns how many. */
int sgc_pipeline_poll_containers(sgc_pipeline *p);
/* now_ns: CLOCK_MONOTONIC ns (sgc_pipeline_now_ns()). Expires held events
 * past hold_max_wait_ns, and every second or so forgets containers whose
 * processes have all exited. */
void sgc_pipeline_tick(sgc_pipeline *p, uint64_t now_ns);
/* At the end of a run: collect finished lookups, then evaluate whatever is
 * still held (counted as expired). */
void sgc_pipeline_finish_containers(sgc_pipeline *p);
/* Events held right now (the caller polls lookups sooner while > 0). */
uint32_t sgc_pipeline_held(const sgc_pipeline *p);
uint64_t sgc_pipeline_now_ns(void);

/* Replay: sgc_pipeline_eval, preceded, for the first event of each
 * container, by that container's `container` event (as live emits it when a
 * new container is first seen; the metadata is what the event file gave). */
int sgc_pipeline_replay_eval(sgc_pipeline *p, const sgc_evt *ev, sgc_proc *proc);

/* The rules the last event matched (with collect_matches). */
const char *const *sgc_pipeline_last_matches(const sgc_pipeline *p, int *n);

/* ---- reload ---------------------------------------------------------------
 * A new rule set replaces the one in force without stopping the pipeline
 * (process table, containers, outputs carry on). Records carry the
 * generation of the rules whose kernel filter passed them (sgc_event_hdr.gen);
 * each is evaluated by those rules: the ones in force, or until the next
 * install the ones before them. Generation 0 (process lifecycle records,
 * event files) means the rules in force. The first rules are generation 1. */
typedef struct sgc_pipeline_rules sgc_pipeline_rules;
/* Build (any thread): engine and output formats of rs, which the caller
 * keeps until the rules are freed. Rule or output errors go to diags (the
 * others still run: the caller decides); NULL when memory runs out. */
sgc_pipeline_rules *sgc_pipeline_rules_build(const sgc_ruleset *rs, const sgc_engine_opts *eo,
                                             sgc_diags *diags);
void sgc_pipeline_rules_free(sgc_pipeline_rules *r);
/* Make r the rules in force as generation gen (> 0); the previous ones stay
 * for their records, the ones before are freed. p takes r. */
void sgc_pipeline_install_rules(sgc_pipeline *p, sgc_pipeline_rules *r, uint32_t gen);

typedef struct sgc_pipeline_stats {
    unsigned long long events, matches;
    unsigned long long container_events; /* `container` events evaluated */
    /* events of containers with a pending lookup: held; released after the
     * lookup (with metadata); expired (evaluated <NA> past a bound) */
    unsigned long long held, released, expired;
    unsigned long long containers_forgotten; /* exited, dropped from the table */
    sgc_output_stats out;
} sgc_pipeline_stats;
void sgc_pipeline_get_stats(const sgc_pipeline *p, sgc_pipeline_stats *st);

#endif
