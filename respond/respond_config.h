/* respond.yaml: the responder's configuration.
 *
 *   rules_files: [playbook.yaml, ...]      Talon-format playbooks (required)
 *   falco_rules_files: [rules.yaml, ...]   the detection rules, for --check
 *                                          (default: sgc's embedded rules)
 *   dry_run: false                         decide and log, never act
 *   audit_log: /var/log/sgc/respond.jsonl  one JSON line per decision
 *   state_file: FILE                       ids of handled alerts, for exactly-once
 *                                          across restarts (default: AUDIT_LOG.state)
 *   dedup_window: 5                        seconds; identical alerts act once
 *   rate_limit: {actions_per_second: 50, burst: 100}
 *   allowlist: {process_names: [...], containers: [...]}   never acted on
 *   container_sockets: [/run/podman/podman.sock]
 *   inputs:                                (or the same keys at top level)
 *     stdin: true
 *     http: {listen_address: 127.0.0.1, listen_port: 2803}
 *     nats: {servers: [nats://...], subjects: [falco.>], durable: NAME,
 *            stream: NAME, credentials: FILE, user: U, password: P, token: T,
 *            tls: {ca: FILE, cert: FILE, key: FILE, server_name: NAME}}
 *   notifiers: {nats: {servers, subject, tls, credentials}, webhook: {url, headers, ca}}
 *   default_notifiers: [nats]
 * Talon's own config keys (listen_address, listen_port at top level,
 * deduplication.time_window_seconds, default_notifiers, notifiers.webhook)
 * are read too; the keys of Talon that have no meaning here (otel,
 * kubeconfig, aws, minio, log_format, watch_rules, ...) are reported as
 * ignored warnings. Without any input configured, HTTP listens on
 * 127.0.0.1:2803 as Talon does. */
#ifndef SGC_RP_CONFIG_H
#define SGC_RP_CONFIG_H

#include "diag.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct rp_tls {
    char *ca, *cert, *key, *server_name;
    bool enabled;
} rp_tls;

typedef struct rp_nats_conf {
    char **servers;
    int nservers;
    char **subjects;
    int nsubjects;
    char *durable, *stream;
    char *credentials, *user, *password, *token;
    rp_tls tls;
} rp_nats_conf;

typedef struct rp_config {
    char *path; /* the file, for relative paths */
    char **rules_files;
    int nrules_files;
    char **falco_rules_files;
    int nfalco_rules_files;
    bool dry_run;
    char *audit_log;
    char *state_file;
    double dedup_window; /* seconds, default 5 */
    double rate_per_sec; /* 0: unlimited */
    double rate_burst;
    char **allow_names;
    int nallow_names;
    char **allow_containers;
    int nallow_containers;
    char **container_sockets;
    int ncontainer_sockets;
    bool in_stdin;
    bool in_http;
    char *http_address;
    int http_port;
    bool in_nats;
    rp_nats_conf nats;
    bool notify_nats;
    rp_nats_conf notify_nats_conf;
    char *notify_nats_subject;
    bool notify_webhook;
    char *webhook_url;
    char *webhook_ca;
    json_t *webhook_headers;
    char **default_notifiers;
    int ndefault_notifiers;
} rp_config;

/* Load path into cfg (defaults first). Returns the number of errors added to
 * diags (file:line:col); cfg is usable only when it is 0. Relative file
 * names in the config are taken relative to the config's directory. */
int rp_config_load(rp_config *cfg, const char *path, sgc_diags *diags);
void rp_config_defaults(rp_config *cfg);
void rp_config_free(rp_config *cfg);

#endif
