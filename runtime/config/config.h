/* sgc.yaml: the service configuration, with falco.yaml's schema (same key
 * names, types, defaults and meaning; docs/configuration.md, etc/sgc.yaml).
 *
 * Loading: the main file, then -o overrides, then the files config_files
 * names (merged in order with Falco's strategies), then the -o overrides
 * again (they always win), then -r (replaces rules_files). Checking walks the
 * merged tree against the schema:
 *   - a wrong type or value is an error at its file:line:col (the whole
 *     config is refused: the caller starts nothing);
 *   - an unknown key is a warning at its file:line:col;
 *   - a Falco key that does not apply to sgc (engine, plugins, ...) is one
 *     warning per key, otherwise ignored.
 * Diagnostics use code SGC_CONFIG (errors and unknown keys) and
 * SGC_CONFIG_FALCO_ONLY. */
#ifndef SGC_CONFIG_H
#define SGC_CONFIG_H

#include "diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_strlist {
    char **v;
    int n;
} sgc_strlist;

/* `rules:` items: enable or disable rules by name glob or by tag. */
typedef struct sgc_cfg_rule_sel {
    bool enable;
    char *rule; /* glob, or NULL */
    char *tag;  /* or NULL */
} sgc_cfg_rule_sel;

/* `static_fields:` and append_output extra_fields: name -> value */
typedef struct sgc_cfg_kv {
    char *key, *value;
} sgc_cfg_kv;

/* `append_output:` items (Falco 0.44): for the alerts of the rules that
 * match (source, all of tags, rule name; each optional), extra_output is
 * appended to the output after a space, and extra_fields are added to
 * output_fields: a bare field name (value empty: the field's typed value)
 * or name: format (a string rendered like an output). */
typedef struct sgc_cfg_append {
    char *match_source, *match_rule; /* NULL: any */
    sgc_strlist match_tags;          /* the rule must have all of them */
    char *extra_output;              /* appended to the output text */
    sgc_cfg_kv *extra_fields;        /* name: format, or name: "" (a field, raw) */
    int nextra_fields;
    bool suggested_output;
} sgc_cfg_append;

enum {
    SGC_DROP_ACT_LOG = 1,
    SGC_DROP_ACT_ALERT = 2,
    SGC_DROP_ACT_EXIT = 4,
    SGC_DROP_ACT_IGNORE = 8
};

/* k8s_audit: parsed here, implemented by issue 13 (runtime/k8saudit/); the
 * lead wires it at merge. */
typedef struct sgc_cfg_k8s_audit {
    bool enabled;                             /* default false */
    char *listen_address;                     /* default 127.0.0.1 */
    uint16_t listen_port;                     /* default 9765 */
    char *path;                               /* default /k8s-audit */
    char *tls_cert, *tls_key, *tls_client_ca; /* tls: {cert, key, client_ca}; NULL: plain HTTP */
    uint64_t max_event_bytes;                 /* default 1 MiB */
    uint64_t max_batch_bytes;                 /* default 16 MiB */
    sgc_strlist files;                        /* audit log files read as an event source */
} sgc_cfg_k8s_audit;

/* enforce: parsed here, implemented by issue 14 (respond/); the lead wires
 * it at merge. One item per rule name: kill the offending process, or only
 * audit (log what would be done). */
typedef enum { SGC_ENFORCE_KILL, SGC_ENFORCE_AUDIT } sgc_cfg_enforce_action;
typedef struct sgc_cfg_enforce {
    char *rule;
    sgc_cfg_enforce_action action;
} sgc_cfg_enforce;

typedef struct sgc_conf {
    /* where the configuration came from, in load order (main file first) */
    sgc_strlist loaded_files;

    sgc_strlist rules_files; /* expanded: directories -> their .yaml/.yml, in name order */
    sgc_cfg_rule_sel *rules;
    int nrules;
    int priority;           /* SGC_PRI_*, default debug */
    bool rule_matching_all; /* rule_matching: all (default first) */
    bool json_output;
    bool json_include_output_property;        /* default true */
    bool json_include_message_property;       /* default false */
    bool json_include_output_fields_property; /* default true */
    bool json_include_tags_property;          /* default true */
    bool time_format_iso_8601;
    bool buffered_outputs;
    uint64_t
        outputs_queue_capacity; /* 0 in the file: sgc's bounded default (SGC_OUTQ_DEFAULT_CAPACITY) */
    uint32_t output_timeout_ms; /* default 2000 */

    bool stdout_enabled; /* default true */
    struct {
        bool enabled, keep_alive;
        char *filename;
    } file_output;
    bool syslog_enabled; /* default true with a file, false without one */
    struct {
        bool enabled, keep_alive;
        char *program;
    } program_output;
    struct {
        bool enabled;
        char *url, *user_agent;
        bool insecure;
        char *ca_cert, *ca_bundle, *ca_path;
        bool mtls;
        char *client_cert, *client_key;
        bool echo, compress_uploads, keep_alive;
        uint32_t max_consecutive_timeouts; /* default 5 */
        uint32_t timeout_ms;               /* sgc: per request, default output_timeout */
    } http_output;
    struct {
        bool enabled;
        sgc_strlist servers; /* default nats://127.0.0.1:4222 */
        char *subject;       /* template, default falco.<priority>.<rule> */
        char *tls_ca_cert, *tls_client_cert, *tls_client_key;
        bool tls_insecure;
        char *user, *password, *token, *creds;
        int min_priority; /* default debug */
        char *jetstream;  /* stream name; NULL: core NATS */
    } nats_output;
    sgc_cfg_append *append_output;
    int nappend_output;
    sgc_cfg_kv *static_fields;
    int nstatic_fields;
    struct {
        double threshold, rate, max_burst; /* .1, .03333, 1 */
        unsigned actions;                  /* SGC_DROP_ACT_*, default log|alert */
        bool simulate_drops;
    } syscall_event_drops;
    struct {
        bool enabled; /* default false */
        int threadiness;
        uint16_t listen_port;       /* 8765 */
        char *listen_address;       /* default 127.0.0.1 (loopback; Falco: 0.0.0.0) */
        char *k8s_healthz_endpoint; /* /healthz */
        bool prometheus_metrics_enabled;
        bool ssl_enabled;
        char *ssl_certificate;
    } webserver;
    struct {
        bool enabled;
        uint64_t interval_ms; /* "1h" */
        bool output_rule;
        char *output_file;
        bool rules_counters_enabled, resource_utilization_enabled, state_counters_enabled,
            kernel_event_counters_enabled, kernel_event_counters_per_cpu_enabled,
            libbpf_stats_enabled, convert_memory_to_mb, include_empty_values;
    } metrics;
    bool watch_config_files;     /* default true */
    bool log_stderr, log_syslog; /* true, true (false without a file) */
    int log_level;               /* SGC_PRI_*, default info */

    /* sgc's own keys (section `sgc:`), the command-line flags of `sgc run` */
    struct {
        bool pushdown;           /* default true (--no-pushdown) */
        uint32_t ringbuf_bytes;  /* 0: default (--ringbuf-bytes) */
        double stats_interval_s; /* default 10 (--stats-interval) */
        double duration_s;       /* 0: until stopped (--duration) */
    } sgc;

    sgc_cfg_k8s_audit k8s_audit;
    sgc_cfg_enforce *enforce;
    int nenforce;
} sgc_conf;

typedef struct sgc_config_args {
    const char *file;             /* NULL: no file, built-in defaults */
    const char *const *overrides; /* "KEY=VALUE" (-o) */
    int noverrides;
    const char *const *rules; /* -r: replace rules_files when nrules > 0 */
    int nrules;
} sgc_config_args;

/* The defaults of a run without a configuration file (today's `sgc run`). */
void sgc_config_defaults(sgc_conf *c);

/* Load and check. Every finding goes to d. Returns 0 when there is no error
 * (warnings allowed), -1 otherwise; c is filled either way and must be
 * freed. */
int sgc_config_load(sgc_conf *c, const sgc_config_args *a, sgc_diags *d);
void sgc_config_free(sgc_conf *c);

/* Check and fill from text (for the fuzzer and tests); the same checks as
 * a file named name. */
int sgc_config_load_text(sgc_conf *c, const char *name, const char *text, size_t len, sgc_diags *d);

struct sgc_ruleset;
/* Apply `rules:` (enable/disable by name glob or tag, in order) to a loaded
 * rule set; returns how many rules changed state. A rule the front end
 * skipped (unknown source or field) is never enabled. */
int sgc_config_select_rules(const sgc_conf *c, struct sgc_ruleset *rs);

/* The i-th key sgc reads (dotted path, sections included; Falco-only and
 * deprecated keys left out); NULL past the last. */
const char *sgc_config_key(int i);

/* rules_files expanded: a directory gives its .yaml/.yml files in name
 * order; a missing file is an error, a missing directory entry too. Returns
 * the number of errors added to d. */
int sgc_config_rules_paths(const sgc_conf *c, sgc_strlist *out, sgc_diags *d);
/* A directory's .yaml/.yml files in name order; 0, or -1 (errno) */
int sgc_config_list_dir(const char *dir, sgc_strlist *out);
void sgc_strlist_free(sgc_strlist *l);
int sgc_strlist_push(sgc_strlist *l, const char *s);

#endif
