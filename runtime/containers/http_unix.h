/* A minimal HTTP/1.1 client over a unix socket, for local daemons' APIs
 * (the Docker Engine API of docker and podman). One request per connection
 * ("Connection: close"), a deadline over the whole exchange, bounded sizes,
 * Content-Length, chunked and read-to-close bodies. Blocking: call it from a
 * worker thread, never from the event path. */
#ifndef SGC_HTTP_UNIX_H
#define SGC_HTTP_UNIX_H

#include <stddef.h>

#define SGC_HTTP_MAX_HEADER 16384 /* status line + headers */

typedef enum {
    SGC_HTTP_OK = 0,
    SGC_HTTP_ECONNECT, /* no socket there, refused, or path too long */
    SGC_HTTP_ETIMEOUT, /* the deadline passed */
    SGC_HTTP_EIO,      /* read/write failed, or the peer closed early */
    SGC_HTTP_EPROTO,   /* not a well-formed HTTP/1.x response */
    SGC_HTTP_ETOOBIG,  /* headers or body over their bound */
    SGC_HTTP_ENOMEM,
} sgc_http_err;

typedef struct sgc_http_response {
    int status;    /* 200, 404, ... */
    char *headers; /* the header lines, NUL-terminated (for sgc_http_header) */
    char *body;    /* decoded body, NUL-terminated */
    size_t body_len;
} sgc_http_response;

/* GET `target` ("/containers/ID/json") from the server at socket_path within
 * timeout_ms; a body longer than max_body is SGC_HTTP_ETOOBIG. On SGC_HTTP_OK
 * (any HTTP status) the caller frees *resp with sgc_http_response_free. */
sgc_http_err sgc_http_unix_get(const char *socket_path, const char *target, int timeout_ms,
                               size_t max_body, sgc_http_response *resp);
/* Any method (POST, DELETE...), with an optional JSON body (body NULL: none). */
sgc_http_err sgc_http_unix_request(const char *socket_path, const char *method, const char *target,
                                   const char *body, size_t body_len, int timeout_ms,
                                   size_t max_body, sgc_http_response *resp);
void sgc_http_response_free(sgc_http_response *resp);

/* The value of header `name` (case-insensitive), its length in *len; NULL
 * when absent. Points into resp->headers, not NUL-terminated. */
const char *sgc_http_header(const sgc_http_response *resp, const char *name, size_t *len);

const char *sgc_http_strerror(sgc_http_err e);

/* Decode a chunked body (RFC 9112 7.1; extensions and trailers skipped).
 * Returns 1 when in[0..n) holds the whole body (its length in *out_len; the
 * bytes are copied to out when out is not NULL, out needs n bytes), 0 when
 * more input is needed, -1 when malformed. */
int sgc_http_dechunk(const char *in, size_t n, char *out, size_t *out_len);

#endif
