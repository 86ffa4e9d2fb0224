/* HTTP/1.1 GET over AF_UNIX (see http_unix.h). The socket is non-blocking
 * and every wait is a poll() bounded by what is left of one deadline, so a
 * daemon that accepts and then hangs costs at most timeout_ms. */
#include "http_unix.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Wait for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - (int64_t)sgc_now_ms();
        if (left <= 0) return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (r > 0) return 1;
        if (r == 0) return 0;
        if (errno != EINTR) return -1;
    }
}

static sgc_http_err connect_unix(const char *path, int64_t deadline, int *fd_out)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) return SGC_HTTP_ECONNECT;
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return SGC_HTTP_ECONNECT;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        /* a unix socket with a full backlog says EAGAIN; wait for it */
        if (errno != EAGAIN && errno != EINPROGRESS) {
            close(fd);
            return SGC_HTTP_ECONNECT;
        }
        int w = wait_fd(fd, POLLOUT, deadline);
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (w <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
            close(fd);
            return w == 0 ? SGC_HTTP_ETIMEOUT : SGC_HTTP_ECONNECT;
        }
    }
    *fd_out = fd;
    return SGC_HTTP_OK;
}

static sgc_http_err send_all(int fd, const char *buf, size_t n, int64_t deadline)
{
    while (n) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w > 0) {
            buf += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) {
            int r = wait_fd(fd, POLLOUT, deadline);
            if (r <= 0) return r == 0 ? SGC_HTTP_ETIMEOUT : SGC_HTTP_EIO;
            continue;
        }
        return SGC_HTTP_EIO;
    }
    return SGC_HTTP_OK;
}

/* ---- response parsing ------------------------------------------------------ */

typedef enum { BODY_LENGTH, BODY_CHUNKED, BODY_TO_CLOSE } body_framing;

typedef struct raw_response {
    char *buf;
    size_t len, cap, limit;
    size_t hdr_end; /* offset of the body, 0 until headers are complete */
    body_framing framing;
    size_t content_length;
} raw_response;

static const char *find_crlfcrlf(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n') return s + i;
    return NULL;
}

/* Header lookup over a block of "Name: value\r\n" lines. */
static const char *header_in(const char *hdrs, size_t n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    const char *p = hdrs, *end = hdrs + n;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
            const char *v = p + nl + 1, *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
            *len = (size_t)(ve - v);
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

static bool token_has(const char *v, size_t n, const char *tok)
{
    size_t tl = strlen(tok);
    for (size_t i = 0; i + tl <= n; i++)
        if (!strncasecmp(v + i, tok, tl)) return true;
    return false;
}

/* Parse the status line and framing once the header block is complete. */
static sgc_http_err parse_head(raw_response *r, const char *crlfcrlf, int *status)
{
    const char *b = r->buf;
    size_t head_len = (size_t)(crlfcrlf - b);
    if (head_len < 12 || strncmp(b, "HTTP/1.", 7) || b[8] != ' ') return SGC_HTTP_EPROTO;
    int st = 0;
    for (int i = 9; i < 12; i++) {
        if (b[i] < '0' || b[i] > '9') return SGC_HTTP_EPROTO;
        st = st * 10 + (b[i] - '0');
    }
    *status = st;
    r->hdr_end = head_len + 4;
    size_t vl;
    const char *v;
    if ((v = header_in(b, head_len + 2, "Transfer-Encoding", &vl)) && token_has(v, vl, "chunked")) {
        r->framing = BODY_CHUNKED;
    } else if ((v = header_in(b, head_len + 2, "Content-Length", &vl))) {
        size_t cl = 0;
        if (!vl) return SGC_HTTP_EPROTO;
        for (size_t i = 0; i < vl; i++) {
            if (v[i] < '0' || v[i] > '9' || cl > SIZE_MAX / 10 - 1) return SGC_HTTP_EPROTO;
            cl = cl * 10 + (size_t)(v[i] - '0');
        }
        r->framing = BODY_LENGTH;
        r->content_length = cl;
    } else {
        r->framing = BODY_TO_CLOSE;
    }
    /* 1xx, 204 and 304 have no body */
    if (st / 100 == 1 || st == 204 || st == 304) {
        r->framing = BODY_LENGTH;
        r->content_length = 0;
    }
    return SGC_HTTP_OK;
}

int sgc_http_dechunk(const char *in, size_t n, char *out, size_t *out_len)
{
    size_t pos = 0, total = 0;
    for (;;) {
        /* chunk-size [; ext] CRLF */
        size_t size = 0, digits = 0;
        while (pos < n) {
            char c = in[pos];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0) break;
            if (size > (SIZE_MAX >> 4) - 1) return -1;
            size = size * 16 + (size_t)d;
            digits++;
            pos++;
        }
        if (pos == n) return 0;
        if (!digits) return -1;
        const char *eol = memchr(in + pos, '\n', n - pos);
        if (!eol) return n - pos > 1024 ? -1 : 0; /* an extension that never ends */
        if (eol == in + pos || eol[-1] != '\r') return -1;
        pos = (size_t)(eol - in) + 1;
        if (size == 0) {
            /* trailer fields, then an empty line */
            for (;;) {
                const char *e = memchr(in + pos, '\n', n - pos);
                if (!e) return 0;
                bool empty = e == in + pos + 1 && in[pos] == '\r';
                pos = (size_t)(e - in) + 1;
                if (empty) {
                    *out_len = total;
                    return 1;
                }
            }
        }
        if (size > n - pos) return 0;
        if (n - pos - size < 2) return 0;
        if (in[pos + size] != '\r' || in[pos + size + 1] != '\n') return -1;
        if (out) memcpy(out + total, in + pos, size);
        total += size;
        pos += size + 2;
    }
}

/* Is the response in r complete? 1 yes, 0 not yet, -1 malformed. */
static int body_complete(const raw_response *r, size_t *body_len)
{
    size_t have = r->len - r->hdr_end;
    switch (r->framing) {
    case BODY_LENGTH: *body_len = r->content_length; return have >= r->content_length;
    case BODY_CHUNKED: return sgc_http_dechunk(r->buf + r->hdr_end, have, NULL, body_len);
    case BODY_TO_CLOSE: return 0;
    }
    return -1;
}

static sgc_http_err finish(raw_response *r, int status, sgc_http_response *resp)
{
    size_t have = r->len - r->hdr_end, body_len = have;
    char *body = malloc(have + 1);
    char *hdrs = malloc(r->hdr_end + 1);
    if (!body || !hdrs) {
        free(body);
        free(hdrs);
        return SGC_HTTP_ENOMEM;
    }
    if (r->framing == BODY_CHUNKED) {
        if (sgc_http_dechunk(r->buf + r->hdr_end, have, body, &body_len) != 1) {
            free(body);
            free(hdrs);
            return SGC_HTTP_EPROTO;
        }
    } else {
        if (r->framing == BODY_LENGTH) body_len = r->content_length;
        memcpy(body, r->buf + r->hdr_end, body_len);
    }
    body[body_len] = '\0';
    /* headers without the status line */
    const char *first_eol = memchr(r->buf, '\n', r->hdr_end);
    size_t skip = first_eol ? (size_t)(first_eol - r->buf) + 1 : 0;
    memcpy(hdrs, r->buf + skip, r->hdr_end - skip);
    hdrs[r->hdr_end - skip] = '\0';
    resp->status = status;
    resp->headers = hdrs;
    resp->body = body;
    resp->body_len = body_len;
    return SGC_HTTP_OK;
}

static sgc_http_err read_response(int fd, int64_t deadline, size_t max_body,
                                  sgc_http_response *resp)
{
    raw_response r = {0};
    /* chunk framing adds a little per chunk; real servers send big chunks */
    r.limit = SGC_HTTP_MAX_HEADER + max_body + max_body / 8 + 4096;
    int status = 0;
    sgc_http_err err = SGC_HTTP_OK;
    for (;;) {
        if (r.len == r.cap) {
            if (r.cap >= r.limit) {
                err = SGC_HTTP_ETOOBIG;
                break;
            }
            size_t nc = r.cap ? r.cap * 2 : 8192;
            if (nc > r.limit) nc = r.limit;
            char *nb = realloc(r.buf, nc + 1);
            if (!nb) {
                err = SGC_HTTP_ENOMEM;
                break;
            }
            r.buf = nb;
            r.cap = nc;
        }
        ssize_t got = recv(fd, r.buf + r.len, r.cap - r.len, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                int w = wait_fd(fd, POLLIN, deadline);
                if (w <= 0) {
                    err = w == 0 ? SGC_HTTP_ETIMEOUT : SGC_HTTP_EIO;
                    break;
                }
                continue;
            }
            err = SGC_HTTP_EIO;
            break;
        }
        bool eof = got == 0;
        r.len += (size_t)got;
        if (!r.hdr_end) {
            const char *e = find_crlfcrlf(r.buf, r.len);
            if (!e) {
                if (r.len > SGC_HTTP_MAX_HEADER) {
                    err = SGC_HTTP_ETOOBIG;
                    break;
                }
                if (eof) {
                    err = r.len ? SGC_HTTP_EPROTO : SGC_HTTP_EIO;
                    break;
                }
                continue;
            }
            if ((size_t)(e - r.buf) + 4 > SGC_HTTP_MAX_HEADER) {
                err = SGC_HTTP_ETOOBIG;
                break;
            }
            if ((err = parse_head(&r, e, &status))) break;
            if (r.framing == BODY_LENGTH && r.content_length > max_body) {
                err = SGC_HTTP_ETOOBIG;
                break;
            }
        }
        size_t body_len = 0;
        int done = body_complete(&r, &body_len);
        if (done < 0) {
            err = SGC_HTTP_EPROTO;
            break;
        }
        if (done && body_len > max_body) {
            err = SGC_HTTP_ETOOBIG;
            break;
        }
        if (r.framing == BODY_TO_CLOSE && r.len - r.hdr_end > max_body) {
            err = SGC_HTTP_ETOOBIG;
            break;
        }
        if (done || (eof && r.framing == BODY_TO_CLOSE)) {
            err = finish(&r, status, resp);
            break;
        }
        if (eof) {
            err = SGC_HTTP_EIO; /* closed before the body was complete */
            break;
        }
    }
    free(r.buf);
    return err;
}

sgc_http_err sgc_http_unix_request(const char *socket_path, const char *method, const char *target,
                                   const char *body, size_t body_len, int timeout_ms,
                                   size_t max_body, sgc_http_response *resp)
{
    memset(resp, 0, sizeof *resp);
    int64_t deadline = (int64_t)sgc_now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
    char req[1024];
    int n;
    if (body)
        n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: sgc\r\n"
                     "Accept: application/json\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     method, target, body_len);
    else
        n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: sgc\r\n"
                     "Accept: application/json\r\n%sConnection: close\r\n\r\n",
                     method, target, strcmp(method, "GET") ? "Content-Length: 0\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof req) return SGC_HTTP_EPROTO;
    int fd;
    sgc_http_err err = connect_unix(socket_path, deadline, &fd);
    if (err) return err;
    err = send_all(fd, req, (size_t)n, deadline);
    if (!err && body && body_len) err = send_all(fd, body, body_len, deadline);
    if (!err) err = read_response(fd, deadline, max_body, resp);
    close(fd);
    return err;
}

sgc_http_err sgc_http_unix_get(const char *socket_path, const char *target, int timeout_ms,
                               size_t max_body, sgc_http_response *resp)
{
    return sgc_http_unix_request(socket_path, "GET", target, NULL, 0, timeout_ms, max_body, resp);
}

void sgc_http_response_free(sgc_http_response *resp)
{
    if (!resp) return;
    free(resp->headers);
    free(resp->body);
    memset(resp, 0, sizeof *resp);
}

const char *sgc_http_header(const sgc_http_response *resp, const char *name, size_t *len)
{
    if (!resp->headers) return NULL;
    return header_in(resp->headers, strlen(resp->headers), name, len);
}

const char *sgc_http_strerror(sgc_http_err e)
{
    switch (e) {
    case SGC_HTTP_OK: return "ok";
    case SGC_HTTP_ECONNECT: return "cannot connect";
    case SGC_HTTP_ETIMEOUT: return "timed out";
    case SGC_HTTP_EIO: return "connection error";
    case SGC_HTTP_EPROTO: return "malformed HTTP response";
    case SGC_HTTP_ETOOBIG: return "response too large";
    case SGC_HTTP_ENOMEM: return "out of memory";
    }
    return "unknown error";
}
