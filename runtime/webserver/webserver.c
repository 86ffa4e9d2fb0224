/* See webserver.h. */
#include "webserver.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct sgc_webserver {
    struct MHD_Daemon *d;
    pthread_mutex_t mu;
    char *metrics;
    size_t metrics_len;
    char *healthz;
    char *pem; /* with TLS: the key and certificate file's text */
    bool metrics_on;
    uint16_t port;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type,
                             const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **state)
{
    (void)version;
    (void)upload;
    (void)upload_len;
    (void)state;
    sgc_webserver *w = cls;
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n", 19);
    if (!strcmp(url, w->healthz))
        return reply(c, MHD_HTTP_OK, "application/json", "{\"status\": \"ok\"}", 16);
    if (w->metrics_on && !strcmp(url, "/metrics")) {
        pthread_mutex_lock(&w->mu);
        enum MHD_Result rc = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                                   w->metrics ? w->metrics : "", w->metrics_len);
        pthread_mutex_unlock(&w->mu);
        return rc;
    }
    return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10);
}

/* the whole file, NUL-terminated; NULL with a message */
static char *read_pem(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (f) {
        for (;;) {
            if (len + 4096 + 1 > cap) {
                cap = cap ? cap * 2 : 8192;
                char *nb = cap <= (1u << 24) ? realloc(buf, cap) : NULL;
                if (!nb) break;
                buf = nb;
            }
            size_t n = fread(buf + len, 1, cap - len - 1, f);
            len += n;
            if (n == 0) break;
        }
    }
    if (!f || ferror(f) || !buf || !len) {
        snprintf(err, errlen, "webserver.ssl_certificate %s: cannot read it%s", path,
                 f && !len ? " (empty)" : "");
        if (f) fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[len] = 0;
    if (!strstr(buf, "PRIVATE KEY-----") || !strstr(buf, "-----BEGIN CERTIFICATE-----")) {
        snprintf(err, errlen,
                 "webserver.ssl_certificate %s: expected one PEM file holding the private key "
                 "and the certificate",
                 path);
        free(buf);
        return NULL;
    }
    return buf;
}

sgc_webserver *sgc_webserver_start(const sgc_webserver_opts *o, char *err, size_t errlen)
{
    struct sockaddr_in6 a6 = {0};
    struct sockaddr_in a4 = {0};
    const struct sockaddr *sa;
    const char *address = o->address ? o->address : "127.0.0.1";
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, address, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons(o->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, address, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(o->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errlen, "webserver.listen_address '%s' is not an IP address", address);
        return NULL;
    }
    sgc_webserver *w = calloc(1, sizeof *w);
    if (!w || !(w->healthz = strdup(o->healthz_path ? o->healthz_path : "/healthz"))) {
        free(w);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    w->metrics_on = o->metrics;
    struct MHD_OptionItem opts[8];
    int k = 0;
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)sa};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 10, NULL};
    if (o->threads > 1)
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL};
    if (o->ssl_pem) {
        if (!(w->pem = read_pem(o->ssl_pem, err, errlen))) {
            sgc_webserver_stop(w);
            return NULL;
        }
        flags |= MHD_USE_TLS;
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, w->pem};
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, w->pem};
    }
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    sigset_t all, old; /* its threads take no signals */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    w->d = MHD_start_daemon(flags, o->port, NULL, NULL, handle, w, MHD_OPTION_ARRAY, opts,
                            MHD_OPTION_END);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!w->d) {
        if (o->ssl_pem)
            snprintf(err, errlen,
                     "webserver: cannot listen on %s:%u with TLS (port in use, or %s not a "
                     "usable key and certificate?)",
                     address, o->port, o->ssl_pem);
        else
            snprintf(err, errlen, "webserver: cannot listen on %s:%u (in use?)", address, o->port);
        sgc_webserver_stop(w);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = info ? info->port : o->port;
    return w;
}

void sgc_webserver_publish(sgc_webserver *w, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) return;
    memcpy(copy, text, len);
    copy[len] = 0;
    pthread_mutex_lock(&w->mu);
    free(w->metrics);
    w->metrics = copy;
    w->metrics_len = len;
    pthread_mutex_unlock(&w->mu);
}

uint16_t sgc_webserver_port(const sgc_webserver *w) { return w->port; }

void sgc_webserver_stop(sgc_webserver *w)
{
    if (!w) return;
    if (w->d) MHD_stop_daemon(w->d);
    pthread_mutex_destroy(&w->mu);
    free(w->metrics);
    free(w->healthz);
    free(w->pem);
    free(w);
}
