/* The k8s_audit event source of `sgc run`: audit events come in over a
 * webhook (HTTPS, as API servers' webhook backend sends them) and from
 * audit log files that are followed, are queued, and are evaluated on a
 * thread of their own against the k8s_audit rules (ka_pipeline.h). Nothing
 * here touches the kernel: enabling this source alone captures no syscall.
 *
 * The settings are those of sgc.yaml's `k8s_audit` section, one field each
 * (docs/k8s-audit.md). */
#ifndef SGC_KA_SOURCE_H
#define SGC_KA_SOURCE_H

#include "ka_pipeline.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sgc_k8s_audit_tls {
    const char *cert;      /* PEM certificate (chain); NULL: plain HTTP */
    const char *key;       /* PEM private key; NULL: the key is in `cert` */
    const char *client_ca; /* PEM CA bundle: clients must present a certificate it
                                signed; NULL: no client certificate asked for */
} sgc_k8s_audit_tls;

typedef struct sgc_k8s_audit_config {
    bool enabled;               /* default false */
    const char *listen_address; /* default "0.0.0.0"; an IPv6 address works too */
    int listen_port;            /* default 9765; 0: no webhook (files only) */
    const char *path;           /* default "/k8s-audit" */
    sgc_k8s_audit_tls tls;
    size_t max_event_bytes;   /* one event, as compact JSON; default 256 KiB */
    size_t max_batch_bytes;   /* one request body / one log line; default 12 MiB */
    const char *const *files; /* audit log files to follow (JSON lines) */
    int nfiles;
} sgc_k8s_audit_config;

/* The defaults above (enabled false, no files). */
void sgc_k8s_audit_config_defaults(sgc_k8s_audit_config *c);

/* What came in, and what became of it. */
typedef struct sgc_ka_source_stats {
    /* webhook */
    unsigned long long requests;             /* every request to the server */
    unsigned long long requests_ok;          /* 200: the events were queued */
    unsigned long long bad_method;           /* 405: not POST */
    unsigned long long bad_path;             /* 404: another path */
    unsigned long long bad_content_type;     /* 400: not application/json */
    unsigned long long body_too_large;       /* 400: above max_batch_bytes */
    unsigned long long queue_full;           /* 503: no room in time */
    unsigned long long client_cert_rejected; /* 403: client certificate not verified */
    /* payloads (webhook bodies and file lines) */
    unsigned long long bad_json;     /* not JSON (answered 200, as the plugin) */
    unsigned long long not_audit;    /* JSON but no audit events */
    unsigned long long no_timestamp; /* events without stageTimestamp (dropped) */
    unsigned long long bad_timestamp;
    unsigned long long event_too_large; /* events above max_event_bytes */
    /* files */
    unsigned long long file_lines;
    unsigned long long file_rotations; /* a followed file was replaced or truncated */
    unsigned long long line_too_long;
    /* evaluation */
    unsigned long long events_queued, events_dropped, events_evaluated, matches, alerts;
} sgc_ka_source_stats;

typedef struct sgc_ka_source sgc_ka_source;

/* Start the webhook (when listen_port > 0), the file followers and the
 * evaluation thread. RS is kept by the caller until stop. NULL with a
 * message when the server cannot listen, the TLS files cannot be read or a
 * rule does not compile (diags). */
sgc_ka_source *sgc_ka_source_start(const sgc_k8s_audit_config *cfg, const sgc_ruleset *rs,
                                   const sgc_ka_pipeline_opts *po, sgc_diags *diags, char *err,
                                   size_t errlen);
/* Stop taking events, evaluate what is queued, stop the threads, free.
 * FINAL (may be NULL) gets the counters at the end. */
void sgc_ka_source_stop(sgc_ka_source *s, sgc_ka_source_stats *final);
void sgc_ka_source_get_stats(sgc_ka_source *s, sgc_ka_source_stats *st);
/* The port the webhook listens on (useful with listen_port 0 in tests: -1). */
int sgc_ka_source_port(const sgc_ka_source *s);

/* ---- internals shared by the source's files ------------------------------ */

/* Counters updated from several threads. */
typedef struct sgc_ka_counters {
    _Atomic unsigned long long requests, requests_ok, bad_method, bad_path, bad_content_type,
        body_too_large, queue_full, client_cert_rejected, bad_json, not_audit, no_timestamp,
        bad_timestamp, event_too_large, file_lines, file_rotations, line_too_long, events_queued,
        events_dropped;
} sgc_ka_counters;

struct sgc_ka_queue;

/* Parse one payload and queue its events (waiting for room). Returns the
 * parse status; *queued_all is false when the queue had no room in time
 * (the events that did not fit are dropped and counted). */
sgc_ka_payload_status sgc_ka_intake(struct sgc_ka_queue *q, sgc_ka_counters *c, const char *buf,
                                    size_t len, size_t max_event_bytes, bool *queued_all);

typedef struct sgc_ka_webhook sgc_ka_webhook;
sgc_ka_webhook *sgc_ka_webhook_start(const sgc_k8s_audit_config *cfg, struct sgc_ka_queue *q,
                                     sgc_ka_counters *c, char *err, size_t errlen);
void sgc_ka_webhook_stop(sgc_ka_webhook *w);
int sgc_ka_webhook_port(const sgc_ka_webhook *w);

typedef struct sgc_ka_files sgc_ka_files;
sgc_ka_files *sgc_ka_files_start(const sgc_k8s_audit_config *cfg, struct sgc_ka_queue *q,
                                 sgc_ka_counters *c, char *err, size_t errlen);
void sgc_ka_files_stop(sgc_ka_files *f);

#endif
