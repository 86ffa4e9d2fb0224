/* container:stop, container:kill, container:pause, container:disconnect:
 * the alert's container through the Docker Engine API that docker and podman
 * serve on a unix socket (runtime/http_unix.h). Each is idempotent: a
 * container already stopped, paused or disconnected is a success. */
#include "actionners.h"
#include "container_engine.h"
#include "http_unix.h"
#include "signals.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MS 15000
#define MAX_BODY   (4u << 20)

typedef struct sockets {
    const char *v[16];
    int n;
    char *owned;
} sockets;

static void sockets_get(const rp_config *cfg, sockets *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < cfg->ncontainer_sockets && s->n < 16; i++)
        s->v[s->n++] = cfg->container_sockets[i];
    if (s->n) return;
    const char *env = getenv("SGC_CONTAINER_SOCKETS");
    if (env && *env) {
        s->owned = strdup(env);
        char *save = NULL;
        for (char *t = strtok_r(s->owned, ":", &save); t && s->n < 16;
             t = strtok_r(NULL, ":", &save))
            s->v[s->n++] = t;
        return;
    }
    static const char *const dflt[] = {SGC_CONTAINER_ENGINE_DEFAULT_SOCKETS};
    for (size_t i = 0; i < sizeof dflt / sizeof dflt[0]; i++) s->v[s->n++] = dflt[i];
}

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n < 12 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)id[i])) return false;
    return true;
}

/* Inspect id on the first socket that knows it: its JSON, and the socket. */
static json_t *inspect(const sockets *s, const char *id, const char **sock, char *err, size_t n)
{
    char target[128];
    snprintf(target, sizeof target, "/containers/%s/json", id);
    snprintf(err, n, "no container runtime socket answered");
    for (int i = 0; i < s->n; i++) {
        sgc_http_response resp;
        sgc_http_err e = sgc_http_unix_get(s->v[i], target, TIMEOUT_MS, MAX_BODY, &resp);
        if (e) {
            continue;
        }
        if (resp.status == 200) {
            json_t *j = json_loads(resp.body, 0, NULL);
            sgc_http_response_free(&resp);
            if (j) {
                *sock = s->v[i];
                return j;
            }
            snprintf(err, n, "malformed inspect answer from %s", s->v[i]);
            continue;
        }
        snprintf(err, n, "container %s not found (HTTP %d from %s)", id, resp.status, s->v[i]);
        sgc_http_response_free(&resp);
    }
    return NULL;
}

static rp_result post(const char *sock, const char *target, const char *body, char *detail,
                      size_t n, int *status)
{
    sgc_http_response resp;
    sgc_http_err e = sgc_http_unix_request(sock, "POST", target, body, body ? strlen(body) : 0,
                                           TIMEOUT_MS, MAX_BODY, &resp);
    if (e) {
        snprintf(detail, n, "POST %s on %s: %s", target, sock, sgc_http_strerror(e));
        return RP_R_ERROR;
    }
    *status = resp.status;
    if (resp.status >= 300 && resp.status != 304) {
        json_t *j = json_loads(resp.body, 0, NULL);
        const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
        snprintf(detail, n, "POST %s: HTTP %d%s%s", target, resp.status, m ? ": " : "", m ? m : "");
        json_decref(j);
    }
    sgc_http_response_free(&resp);
    return RP_R_OK;
}

static rp_result do_disconnect(const char *sock, const char *id, json_t *info, const json_t *want,
                               char *detail, size_t n)
{
    json_t *nets = json_object_get(json_object_get(info, "NetworkSettings"), "Networks");
    const char *net;
    json_t *v;
    int done = 0, failed = 0;
    char first_err[256] = "";
    json_object_foreach(nets, net, v)
    {
        bool wanted = !json_array_size(want);
        size_t i;
        json_t *w;
        json_array_foreach(want, i, w) if (json_is_string(w) && !strcmp(json_string_value(w), net))
            wanted = true;
        if (!wanted) continue;
        char target[512], body[256];
        snprintf(target, sizeof target, "/networks/%s/disconnect", net);
        snprintf(body, sizeof body, "{\"Container\":\"%s\",\"Force\":true}", id);
        int status = 0;
        char d[256] = "";
        if (post(sock, target, body, d, sizeof d, &status) != RP_R_OK ||
            (status >= 300 && status != 304)) {
            failed++;
            if (!*first_err) snprintf(first_err, sizeof first_err, "%s", d);
        } else {
            done++;
        }
    }
    if (failed) {
        snprintf(detail, n, "container %s: %d network(s) disconnected, %d failed: %s", id, done,
                 failed, first_err);
        return RP_R_ERROR;
    }
    snprintf(detail, n, "container %s disconnected from %d network(s)", id, done);
    return RP_R_OK;
}

rp_result rp_act_container(const rp_act_env *e, const char *op, char *detail, size_t n)
{
    char tmp[96], ntmp[64];
    const char *id = rp_alert_field(e->alert, "container.id", tmp, sizeof tmp);
    if (!id || !strcmp(id, "host") || !valid_id(id)) {
        snprintf(detail, n, "the alert has no container.id of a container (%s)", id ? id : "none");
        return RP_R_REFUSED;
    }
    const char *name = rp_alert_field(e->alert, "container.name", ntmp, sizeof ntmp);
    for (int i = 0; i < e->cfg->nallow_containers; i++)
        if (!strcmp(id, e->cfg->allow_containers[i]) ||
            (name && !strcmp(name, e->cfg->allow_containers[i]))) {
            snprintf(detail, n, "container %s is on the allowlist", id);
            return RP_R_REFUSED;
        }
    sockets s;
    sockets_get(e->cfg, &s);
    const char *sock = NULL;
    char err[256];
    json_t *info = inspect(&s, id, &sock, err, sizeof err);
    if (!info) {
        free(s.owned);
        snprintf(detail, n, "%s", err);
        return RP_R_ERROR;
    }
    const char *full = json_string_value(json_object_get(info, "Id"));
    json_t *state = json_object_get(info, "State");
    bool running = json_is_true(json_object_get(state, "Running"));
    bool paused = json_is_true(json_object_get(state, "Paused"));
    char fid[80];
    snprintf(fid, sizeof fid, "%s", full ? full : id);
    rp_result res = RP_R_OK;
    char target[256];
    int status = 0;
    if (e->dry_run) {
        snprintf(detail, n, "would %s container %.12s (%s)", op, fid,
                 running ? "running" : "not running");
        res = RP_R_DRY_RUN;
    } else if (!strcmp(op, "disconnect")) {
        res = do_disconnect(sock, fid, info, json_object_get(e->action->params, "networks"), detail,
                            n);
    } else if (!running && strcmp(op, "pause")) {
        snprintf(detail, n, "container %.12s is already stopped", fid);
    } else if (!strcmp(op, "pause") && paused) {
        snprintf(detail, n, "container %.12s is already paused", fid);
    } else if (!strcmp(op, "pause") && !running) {
        snprintf(detail, n, "container %.12s is not running", fid);
        res = RP_R_ERROR;
    } else {
        if (!strcmp(op, "stop")) {
            json_t *t = json_object_get(e->action->params, "timeout");
            snprintf(target, sizeof target, "/containers/%s/stop?t=%lld", fid,
                     json_is_integer(t) ? (long long)json_integer_value(t) : 10ll);
        } else if (!strcmp(op, "kill")) {
            int sig = rp_param_signal(e->action->params, "signal", SIGKILL);
            snprintf(target, sizeof target, "/containers/%s/kill?signal=%s", fid,
                     rp_signal_name(sig));
        } else {
            snprintf(target, sizeof target, "/containers/%s/pause", fid);
        }
        res = post(sock, target, NULL, detail, n, &status);
        if (res == RP_R_OK && status >= 300 && status != 304)
            res = RP_R_ERROR;
        else if (res == RP_R_OK)
            snprintf(detail, n, "container %.12s: %s done%s", fid, op,
                     status == 304 ? " (already)" : "");
    }
    json_decref(info);
    free(s.owned);
    return res;
}
