/* notify:nats and notify:webhook (actionners that publish the outcome of the
 * rule's earlier actions), and the publishers the rule-level notifiers use:
 * NATS connections cached per server list, webhooks POSTed with libcurl. */
#include "actionners.h"
#include "nats_opts.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONNS 8

struct rp_notify {
    pthread_mutex_t lock;
    struct {
        char *key;
        natsConnection *nc;
    } conns[MAX_CONNS];
    int n;
};

rp_notify *rp_notify_new(void)
{
    rp_notify *nt = calloc(1, sizeof *nt);
    if (nt) pthread_mutex_init(&nt->lock, NULL);
    return nt;
}

void rp_notify_free(rp_notify *nt)
{
    if (!nt) return;
    for (int i = 0; i < nt->n; i++) {
        natsConnection_FlushTimeout(nt->conns[i].nc, 2000);
        natsConnection_Destroy(nt->conns[i].nc);
        free(nt->conns[i].key);
    }
    pthread_mutex_destroy(&nt->lock);
    free(nt);
}

static natsConnection *get_conn(rp_notify *nt, const rp_nats_conf *c, char *err, size_t errlen)
{
    char key[1024] = "";
    for (int i = 0; i < c->nservers; i++) {
        strncat(key, c->servers[i], sizeof key - strlen(key) - 2);
        strncat(key, ",", sizeof key - strlen(key) - 1);
    }
    for (int i = 0; i < nt->n; i++)
        if (!strcmp(nt->conns[i].key, key)) return nt->conns[i].nc;
    if (nt->n == MAX_CONNS) {
        snprintf(err, errlen, "too many NATS server lists");
        return NULL;
    }
    natsOptions *o;
    if (rp_nats_options(c, &o, err, errlen)) return NULL;
    natsConnection *nc = NULL;
    natsStatus s = natsConnection_Connect(&nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK) {
        snprintf(err, errlen, "connect %s: %s", key, natsStatus_GetText(s));
        return NULL;
    }
    nt->conns[nt->n].key = strdup(key);
    nt->conns[nt->n++].nc = nc;
    return nc;
}

int rp_notify_nats_publish(rp_notify *nt, const rp_nats_conf *conf, const char *subject,
                           const char *payload, char *err, size_t errlen)
{
    if (!nt || !conf->nservers) {
        snprintf(err, errlen, "no NATS servers configured");
        return -1;
    }
    pthread_mutex_lock(&nt->lock);
    natsConnection *nc = get_conn(nt, conf, err, errlen);
    int rc = -1;
    if (nc) {
        natsStatus s = natsConnection_PublishString(nc, subject, payload);
        if (s == NATS_OK) s = natsConnection_FlushTimeout(nc, 2000);
        if (s == NATS_OK)
            rc = 0;
        else
            snprintf(err, errlen, "publish on %s: %s", subject, natsStatus_GetText(s));
    }
    pthread_mutex_unlock(&nt->lock);
    return rc;
}

static size_t discard(char *p, size_t sz, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return sz * n;
}

int rp_notify_webhook_post(const char *url, json_t *headers, const char *ca, const char *payload,
                           long timeout_s, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "curl init failed");
        return -1;
    }
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v)
    {
        char line[1024];
        if (json_is_string(v)) {
            snprintf(line, sizeof line, "%s: %s", k, json_string_value(v));
            h = curl_slist_append(h, line);
        }
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "POST %s: %s", url, curl_easy_strerror(rc));
        return -1;
    }
    if (code < 200 || code > 299) {
        snprintf(err, errlen, "POST %s: HTTP %ld", url, code);
        return -1;
    }
    return 0;
}

static char *outcome_payload(const rp_act_env *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "alert_id", json_string(e->alert->id));
    json_object_set_new(o, "falco_rule", json_string(e->alert->rule));
    json_object_set_new(o, "playbook_rule", json_string(e->rule->name));
    json_object_set(o, "outcomes", e->outcomes ? e->outcomes : json_array());
    json_object_set(o, "alert", e->alert->root);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

rp_result rp_act_notify_nats(const rp_act_env *e, char *detail, size_t n)
{
    const char *subject = json_string_value(json_object_get(e->action->params, "subject"));
    rp_nats_conf c = e->cfg->notify_nats ? e->cfg->notify_nats_conf : e->cfg->nats;
    json_t *servers = json_object_get(e->action->params, "servers");
    char *sv[16];
    int ns = 0;
    size_t i;
    json_t *s;
    json_array_foreach(servers, i, s) if (ns < 16 && json_is_string(s)) sv[ns++] =
        (char *)json_string_value(s);
    if (ns) {
        c.servers = sv;
        c.nservers = ns;
    }
    json_t *tls = json_object_get(e->action->params, "tls");
    if (tls) {
        c.tls.enabled = true;
        c.tls.ca = (char *)json_string_value(json_object_get(tls, "ca"));
        c.tls.cert = (char *)json_string_value(json_object_get(tls, "cert"));
        c.tls.key = (char *)json_string_value(json_object_get(tls, "key"));
        c.tls.server_name = (char *)json_string_value(json_object_get(tls, "server_name"));
    }
    const char *cred = json_string_value(json_object_get(e->action->params, "credentials"));
    if (cred) c.credentials = (char *)cred;
    if (e->dry_run) {
        snprintf(detail, n, "would publish the outcome on %s", subject);
        return RP_R_DRY_RUN;
    }
    char *payload = outcome_payload(e);
    char err[512];
    int rc =
        payload ? rp_notify_nats_publish(e->notify, &c, subject, payload, err, sizeof err) : -1;
    free(payload);
    if (rc) {
        snprintf(detail, n, "%s", payload ? err : "out of memory");
        return RP_R_ERROR;
    }
    snprintf(detail, n, "published the outcome on %s", subject);
    return RP_R_OK;
}

rp_result rp_act_notify_webhook(const rp_act_env *e, char *detail, size_t n)
{
    const char *url = json_string_value(json_object_get(e->action->params, "url"));
    json_t *t = json_object_get(e->action->params, "timeout");
    if (e->dry_run) {
        snprintf(detail, n, "would POST the outcome to %s", url);
        return RP_R_DRY_RUN;
    }
    char *payload = outcome_payload(e);
    char err[512] = "out of memory";
    int rc = payload ? rp_notify_webhook_post(
                           url, json_object_get(e->action->params, "headers"),
                           json_string_value(json_object_get(e->action->params, "ca")), payload,
                           json_is_integer(t) ? (long)json_integer_value(t) : 5, err, sizeof err)
                     : -1;
    free(payload);
    if (rc) {
        snprintf(detail, n, "%s", err);
        return RP_R_ERROR;
    }
    snprintf(detail, n, "POSTed the outcome to %s", url);
    return RP_R_OK;
}
