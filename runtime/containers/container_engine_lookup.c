/* One container lookup, blocking: `GET /containers/{id}/json` on each
 * runtime socket in order until one knows the id. Runtimes answer 404 for
 * containers that are not theirs, so a host with docker and podman side by
 * side is served by asking both. */
#include "container_engine_int.h"
#include "http_unix.h"

#include <stdio.h>
#include <string.h>

const char *sgc_container_lookup_name(sgc_container_lookup l)
{
    switch (l) {
    case SGC_CONTAINER_RESOLVED: return "resolved";
    case SGC_CONTAINER_NOT_FOUND: return "not found";
    case SGC_CONTAINER_UNREACHABLE: return "unreachable";
    }
    return "?";
}

/* container.type: podman marks its responses with Libpod-Api-Version. */
static const char *runtime_type(const sgc_http_response *r)
{
    size_t n;
    return sgc_http_header(r, "Libpod-Api-Version", &n) ? "podman" : "docker";
}

sgc_container_lookup sgc_container_engine_lookup_socket(const char *socket, const char *full_id,
                                                        int timeout_ms, size_t max_response,
                                                        sgc_containers *into, bool *timed_out,
                                                        char *err, size_t errlen)
{
    char target[128];
    snprintf(target, sizeof target, "/containers/%s/json", full_id);
    *timed_out = false;
    sgc_http_response resp;
    sgc_http_err e = sgc_http_unix_get(socket, target, timeout_ms, max_response, &resp);
    if (e) {
        *timed_out = e == SGC_HTTP_ETIMEOUT;
        snprintf(err, errlen, "%s: %s", socket, sgc_http_strerror(e));
        /* a runtime that answered with something unusable (malformed, over
         * the bound) was reached: it just has nothing for us */
        bool answered = e == SGC_HTTP_EPROTO || e == SGC_HTTP_ETOOBIG;
        return answered ? SGC_CONTAINER_NOT_FOUND : SGC_CONTAINER_UNREACHABLE;
    }
    sgc_container_lookup res = SGC_CONTAINER_NOT_FOUND;
    if (resp.status == 200) {
        /* a body we cannot read counts as "not found": asking again will
         * not make it readable */
        if (sgc_container_engine_parse_inspect(resp.body, resp.body_len, runtime_type(&resp),
                                               full_id, into, err, errlen))
            res = SGC_CONTAINER_RESOLVED;
    } else {
        snprintf(err, errlen, "%s: HTTP %d", socket, resp.status);
    }
    sgc_http_response_free(&resp);
    return res;
}

sgc_container_lookup sgc_container_engine_lookup(const char *const *sockets, int nsockets,
                                                 const char *full_id, int timeout_ms,
                                                 size_t max_response, sgc_containers *into,
                                                 char *err, size_t errlen)
{
    sgc_container_lookup best = SGC_CONTAINER_UNREACHABLE;
    err[0] = '\0';
    for (int i = 0; i < nsockets; i++) {
        bool timed_out;
        sgc_container_lookup r = sgc_container_engine_lookup_socket(
            sockets[i], full_id, timeout_ms, max_response, into, &timed_out, err, errlen);
        if (r == SGC_CONTAINER_RESOLVED) return r;
        if (r == SGC_CONTAINER_NOT_FOUND) best = r;
    }
    return best;
}
