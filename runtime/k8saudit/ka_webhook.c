/* The audit webhook: an HTTP(S) server (libmicrohttpd) taking what a
 * Kubernetes API server's webhook backend POSTs, answering as the k8saudit
 * plugin does:
 *   another path                       404
 *   not POST                           405 "METHOD method not allowed"
 *   Content-Type without application/json  400 "wrong Content Type"
 *   body above max_batch_bytes         400 "bad request: http: request body too large"
 *   otherwise                          200 once the events are queued; a body that
 *                                      is not audit JSON, or events without
 *                                      stageTimestamp, are dropped and counted
 *                                      (the plugin answers before parsing: 200)
 *   no room in the queue in time       503
 *   client_ca set and the client's certificate does not verify: 403.
 * Every outcome is counted (sgc_ka_source_stats). */
#include "ka_queue.h"
#include "ka_source.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sgc_ka_webhook {
    struct MHD_Daemon *d;
    sgc_k8s_audit_config cfg;
    char *path;
    char *cert_pem, *key_pem, *ca_pem;
    struct sgc_ka_queue *q;
    sgc_ka_counters *c;
    int port;
};

/* One request's state across the handler's calls. */
typedef struct req {
    bool started;
    int status; /* decided early (an error), 0 = go on */
    const char *msg;
    char *body;
    size_t len, cap;
    bool too_large;
} req;

static enum MHD_Result reply(struct MHD_Connection *conn, int status, const char *msg)
{
    char buf[256];
    size_t n = msg ? (size_t)snprintf(buf, sizeof buf, "%s\n", msg) : 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(n, buf, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    if (msg) {
        MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
        MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* With client_ca: the client's certificate must verify against it. */
static bool client_verified(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session) return false;
    unsigned status = 0;
    int rc = gnutls_certificate_verify_peers2((gnutls_session_t)ci->tls_session, &status);
    return rc == GNUTLS_E_SUCCESS && status == 0;
}

/* The checks made before the body: sets r->status/msg on a failure. */
static void first_checks(sgc_ka_webhook *w, struct MHD_Connection *conn, const char *url,
                         const char *method, req *r)
{
    sgc_ka_counters *c = w->c;
    static char msgbuf[64];
    if (strcmp(url, w->path)) {
        c->bad_path++;
        r->status = MHD_HTTP_NOT_FOUND;
        r->msg = "404 page not found";
    } else if (w->ca_pem && !client_verified(conn)) {
        c->client_cert_rejected++;
        r->status = MHD_HTTP_FORBIDDEN;
        r->msg = "client certificate required";
    } else if (strcmp(method, "POST")) {
        c->bad_method++;
        r->status = MHD_HTTP_METHOD_NOT_ALLOWED;
        snprintf(msgbuf, sizeof msgbuf, "%.20s method not allowed", method);
        r->msg = msgbuf;
    } else {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (!ct || !strstr(ct, "application/json")) {
            c->bad_content_type++;
            r->status = MHD_HTTP_BAD_REQUEST;
            r->msg = "wrong Content Type";
        } else if (cl && strtoull(cl, NULL, 10) > w->cfg.max_batch_bytes) {
            c->body_too_large++;
            r->status = MHD_HTTP_BAD_REQUEST;
            r->msg = "bad request: http: request body too large";
        }
    }
}

static void append(sgc_ka_webhook *w, req *r, const char *data, size_t n)
{
    if (r->too_large) return;
    if (r->len + n > w->cfg.max_batch_bytes) {
        r->too_large = true;
        return;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 16384;
        while (cap < r->len + n + 1) cap *= 2;
        char *nb = realloc(r->body, cap);
        if (!nb) {
            r->too_large = true;
            return;
        }
        r->body = nb;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    (void)version;
    sgc_ka_webhook *w = cls;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        *con_cls = r;
        w->c->requests++;
        first_checks(w, conn, url, method, r);
        if (r->status) return reply(conn, r->status, r->msg);
        return MHD_YES;
    }
    if (r->status) /* answered already: ignore the rest of the body */
        return (*upload_data_size = 0, MHD_YES);
    if (*upload_data_size) {
        append(w, r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large) {
        w->c->body_too_large++;
        r->status = MHD_HTTP_BAD_REQUEST;
        return reply(conn, r->status, "bad request: http: request body too large");
    }
    bool all = true;
    sgc_ka_intake(w->q, w->c, r->body ? r->body : "", r->len, w->cfg.max_event_bytes, &all);
    if (!all) {
        w->c->queue_full++;
        r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        return reply(conn, r->status, "event queue full");
    }
    w->c->requests_ok++;
    r->status = MHD_HTTP_OK;
    return reply(conn, MHD_HTTP_OK, NULL);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    req *r = *con_cls;
    if (!r) return;
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char tmp[4096];
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "out of memory");
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + len, tmp, n);
        len += n;
    }
    fclose(f);
    if (!buf || !strstr(buf, "-----BEGIN")) {
        free(buf);
        snprintf(err, errlen, "%s is not a PEM file", path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void webhook_free(sgc_ka_webhook *w)
{
    free(w->path);
    free(w->cert_pem);
    free(w->key_pem);
    free(w->ca_pem);
    free(w);
}

static bool load_tls(sgc_ka_webhook *w, char *err, size_t errlen)
{
    const sgc_k8s_audit_tls *t = &w->cfg.tls;
    if (!t->cert)
        return !t->key && !t->client_ca
                   ? true
                   : (snprintf(err, errlen, "k8s_audit tls: key and client_ca need a cert"), false);
    w->cert_pem = read_file(t->cert, err, errlen);
    w->key_pem = w->cert_pem ? read_file(t->key ? t->key : t->cert, err, errlen) : NULL;
    if (w->key_pem && t->client_ca) w->ca_pem = read_file(t->client_ca, err, errlen);
    return w->cert_pem && w->key_pem && (!t->client_ca || w->ca_pem);
}

sgc_ka_webhook *sgc_ka_webhook_start(const sgc_k8s_audit_config *cfg, struct sgc_ka_queue *q,
                                     sgc_ka_counters *c, char *err, size_t errlen)
{
    sgc_ka_webhook *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->cfg = *cfg;
    w->q = q;
    w->c = c;
    w->path = strdup(cfg->path && *cfg->path ? cfg->path : "/k8s-audit");
    if (!w->path || !load_tls(w, err, errlen)) {
        if (!w->path) snprintf(err, errlen, "out of memory");
        webhook_free(w);
        return NULL;
    }
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->listen_port);
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    const char *addr = cfg->listen_address && *cfg->listen_address ? cfg->listen_address : NULL;
    int gai = getaddrinfo(addr, port, &hints, &ai);
    if (gai || !ai) {
        snprintf(err, errlen, "k8s_audit listen_address '%s': %s", addr ? addr : "",
                 gai ? gai_strerror(gai) : "no address");
        webhook_free(w);
        return NULL;
    }
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (w->cert_pem) flags |= MHD_USE_TLS;
    struct MHD_OptionItem opts[8];
    int k = 0;
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, 2, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL};
    if (w->cert_pem) {
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, w->cert_pem};
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, w->key_pem};
        if (w->ca_pem)
            opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, w->ca_pem};
    }
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    w->d = MHD_start_daemon(flags, (uint16_t)cfg->listen_port, NULL, NULL, handler, w,
                            MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!w->d) {
        snprintf(err, errlen, "k8s_audit webhook cannot listen on %s:%d%s", addr ? addr : "*",
                 cfg->listen_port, w->cert_pem ? " (or the TLS certificate/key is invalid)" : "");
        webhook_free(w);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = di ? di->port : cfg->listen_port;
    return w;
}

int sgc_ka_webhook_port(const sgc_ka_webhook *w) { return w ? w->port : -1; }

void sgc_ka_webhook_stop(sgc_ka_webhook *w)
{
    if (!w) return;
    MHD_stop_daemon(w->d);
    webhook_free(w);
}
