/* The HTTP input (libmicrohttpd): POST / with a Falco JSON alert; 200 when
 * taken, 400 when malformed, 413 over 1 MiB, 405 for other methods;
 * GET /healthz answers "ok". Talon listens the same way. */
#include "inputs.h"
#include "rp_alert.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

struct rp_http_input {
    struct MHD_Daemon *d;
    rp_responder *r;
};

typedef struct req {
    char *buf;
    size_t len, cap;
    bool too_big;
} req;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/plain");
    enum MHD_Result ret = MHD_queue_response(c, code, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **state)
{
    rp_http_input *h = cls;
    (void)version;
    if (!strcmp(method, "GET")) {
        if (!strcmp(url, "/healthz")) return reply(c, MHD_HTTP_OK, "ok\n");
        return reply(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    if (strcmp(method, "POST"))
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST a Falco JSON alert\n");
    req *rq = *state;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        *state = rq;
        return MHD_YES;
    }
    if (*data_size) {
        if (rq->len + *data_size > RP_ALERT_MAX_BYTES) {
            rq->too_big = true;
        } else if (!rq->too_big) {
            if (rq->len + *data_size + 1 > rq->cap) {
                size_t nc = (rq->len + *data_size + 1) * 2;
                char *nb = realloc(rq->buf, nc);
                if (!nb) return MHD_NO;
                rq->buf = nb;
                rq->cap = nc;
            }
            memcpy(rq->buf + rq->len, data, *data_size);
            rq->len += *data_size;
        }
        *data_size = 0;
        return MHD_YES;
    }
    if (rq->too_big) return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "alert larger than 1 MiB\n");
    char err[256], msg[300];
    rp_handle_result res =
        rp_responder_handle(h->r, rq->buf ? rq->buf : "", rq->len, "http", err, sizeof err);
    if (res == RP_MALFORMED) {
        snprintf(msg, sizeof msg, "malformed alert: %s\n", err);
        return reply(c, MHD_HTTP_BAD_REQUEST, msg);
    }
    return reply(c, MHD_HTTP_OK, res == RP_DUPLICATE ? "duplicate\n" : "ok\n");
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode tc)
{
    (void)cls;
    (void)c;
    (void)tc;
    req *rq = *state;
    if (rq) {
        free(rq->buf);
        free(rq);
    }
    *state = NULL;
}

rp_http_input *rp_http_input_start(rp_responder *r, const char *address, int port, int *port_out,
                                   char *err, size_t errlen)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, address, &sa.sin_addr) != 1) {
        snprintf(err, errlen, "listen_address '%s' is not an IPv4 address", address);
        return NULL;
    }
    rp_http_input *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->r = r;
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, h, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "cannot listen on %s:%d", address, port);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    if (port_out) *port_out = info ? info->port : port;
    return h;
}

void rp_http_input_stop(rp_http_input *h)
{
    if (!h) return;
    MHD_stop_daemon(h->d);
    free(h);
}
