/* The actionners: what a playbook action does to the host, a container, a
 * file, or who it tells. Each one reads its target from the alert's
 * output_fields, checks it (identity, allowlist, never pid 1 / the
 * responder / sgc / kernel threads), and acts unless dry_run, in which case
 * it stops after the checks and says what it would have done.
 *
 * docs/response.md documents each actionner's parameters and the fields it
 * needs. */
#ifndef SGC_RP_ACTIONNERS_H
#define SGC_RP_ACTIONNERS_H

#include "rp_alert.h"
#include "playbook.h"
#include "respond_config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    RP_R_OK,           /* done (or already in the wanted state) */
    RP_R_DRY_RUN,      /* checks passed, nothing done */
    RP_R_ERROR,        /* tried and failed */
    RP_R_REFUSED,      /* the target failed a safety check, or the alert lacks a field */
    RP_R_UNSUPPORTED,  /* an actionner sgc does not implement (kubernetes:...) */
    RP_R_RATE_LIMITED, /* the responder's rate limit held it back */
} rp_result;

const char *rp_result_name(rp_result r);

struct rp_notify;

typedef struct rp_act_env {
    const rp_config *cfg;
    const rp_alert *alert;
    const char *alert_json; /* the alert as received */
    const rp_rule *rule;
    const rp_action *action;
    json_t *outcomes; /* this rule's earlier outcomes (for notify:*) */
    bool dry_run;
    struct rp_notify *notify; /* shared NATS publisher cache */
} rp_act_env;

/* Run e->action; detail gets one line for the audit log. */
rp_result rp_act_run(const rp_act_env *e, char *detail, size_t n);

/* The individual actionners (rp_act_run dispatches on the name). */
rp_result rp_act_process_kill(const rp_act_env *e, char *detail, size_t n);
rp_result rp_act_container(const rp_act_env *e, const char *op, char *detail, size_t n);
rp_result rp_act_quarantine(const rp_act_env *e, char *detail, size_t n);
rp_result rp_act_exec(const rp_act_env *e, char *detail, size_t n);
rp_result rp_act_notify_nats(const rp_act_env *e, char *detail, size_t n);
rp_result rp_act_notify_webhook(const rp_act_env *e, char *detail, size_t n);

/* The fields an actionner needs in the alert's output_fields (for --check):
 * a NULL-terminated list of alternatives sets; each entry is a
 * '|'-separated list of fields any one of which will do. */
const char *const *rp_actionner_needs(const char *actionner);

int rp_param_signal(const json_t *params, const char *key, int dflt);

/* ---- notifications ---------------------------------------------------------- */

typedef struct rp_notify rp_notify;
rp_notify *rp_notify_new(void);
void rp_notify_free(rp_notify *nt);
/* Publish payload on subject through a connection to servers (cached per
 * server list). 0 or -1 with err. */
int rp_notify_nats_publish(rp_notify *nt, const rp_nats_conf *conf, const char *subject,
                           const char *payload, char *err, size_t errlen);
/* POST payload (JSON) to url (https: verified against ca, a PEM file, or
 * the system's CAs when NULL); 0 on a 2xx answer, else -1 with err. */
int rp_notify_webhook_post(const char *url, json_t *headers, const char *ca, const char *payload,
                           long timeout_s, char *err, size_t errlen);

#endif
