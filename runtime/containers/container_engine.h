/* Container metadata from the container runtime's API: the Docker Engine API
 * over a unix socket, which docker serves and podman serves too
 * (`podman system service`). It fills what the cgroup path cannot tell:
 * container.name, container.image.*, container.privileged, container.mounts,
 * container.ip, container.start_ts, and the CRI labels that k8s.pod.name and
 * k8s.ns.name come from.
 *
 * Lookups run on a worker thread. The event path never waits: it asks for a
 * container once (sgc_container_engine_request, a short mutex hold), keeps
 * evaluating with the fields <NA>, and the runloop later collects resolved
 * containers (sgc_container_engine_poll_ready) into its own table, which
 * only the runloop's thread touches. A runtime that is absent, refuses, or
 * hangs costs the worker at most the request timeout and costs the event
 * path nothing. docs/containers.md has the whole story. */
#ifndef SGC_CONTAINER_ENGINE_H
#define SGC_CONTAINER_ENGINE_H

#include "containers.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sockets tried, in order, when the configuration names none. */
#define SGC_CONTAINER_ENGINE_DEFAULT_SOCKETS                                                       \
    "/run/docker.sock", "/run/podman/podman.sock", "/run/containerd/docker.sock"

typedef struct sgc_container_engine_config {
    /* socket paths, tried in order; NULL: $SGC_CONTAINER_SOCKETS
     * (colon-separated) when set, else SGC_CONTAINER_ENGINE_DEFAULT_SOCKETS */
    const char *const *sockets;
    int nsockets;
    int timeout_ms;      /* one HTTP exchange; 0: 1000 */
    size_t max_response; /* bytes of one inspect body; 0: 4 MiB */
    int max_queued;      /* ids waiting for the worker; 0: 1024 */
    int max_tries;       /* lookups of an id before giving up; 0: 3 */
    int retry_ms;        /* wait before the 2nd try, doubled after; 0: 250 */
} sgc_container_engine_config;

/* How a lookup ended. */
typedef enum {
    SGC_CONTAINER_RESOLVED,    /* metadata from a runtime */
    SGC_CONTAINER_NOT_FOUND,   /* a runtime answered, none with usable metadata (404,
                                 * malformed, over the size bound) */
    SGC_CONTAINER_UNREACHABLE, /* no runtime answered (none there, refused, timed out) */
} sgc_container_lookup;

const char *sgc_container_lookup_name(sgc_container_lookup l);

/* ---- the asynchronous engine ---------------------------------------------- */

typedef struct sgc_container_engine sgc_container_engine;

/* Start the worker thread. cfg may be NULL (defaults). NULL on failure. */
sgc_container_engine *sgc_container_engine_new(const sgc_container_engine_config *cfg);
/* Stop the worker (waits for the lookup in flight, at most one timeout) and
 * free everything, including results not yet polled. */
void sgc_container_engine_free(sgc_container_engine *eng);

/* Ask for the metadata of a full container id (64 hex digits), on behalf of
 * process `pid` (the first one seen in the container; handed back with the
 * result so the runloop can attribute the `container` event to it; 0 when
 * there is none). Never blocks on I/O. An id already queued, in flight or
 * delivered is ignored, so the runloop may call this on every first sight
 * without tracking state. Returns false when the id is malformed or the
 * queue is full (counted in stats.dropped; the fields stay <NA>). */
bool sgc_container_engine_request(sgc_container_engine *eng, const char *full_id, uint32_t pid);

/* The same, for a container whose creation was seen (its OCI bundle was
 * read, container_bundle.h): its runtime had registered it by then, so a 404
 * means it is gone already and is not asked again. A short-lived `--rm`
 * container is removed within milliseconds; retrying its 404 held its
 * events for the whole retry time (750 ms and more). */
bool sgc_container_engine_request_created(sgc_container_engine *eng, const char *full_id,
                                          uint32_t pid);

/* Forget an id (its container exited): a later request looks it up again. */
void sgc_container_engine_forget(sgc_container_engine *eng, const char *full_id);

/* A file descriptor (eventfd) that is readable while results wait to be
 * polled: add it to the runloop's epoll set, or ignore it and poll on a
 * timer. poll_ready drains it. */
int sgc_container_engine_ready_fd(const sgc_container_engine *eng);

/* One finished lookup, handed to the poll callback on the polling thread.
 * `info` always has the id; with RESOLVED it has what the runtime said,
 * otherwise only the id (privileged unknown). Valid during the call only:
 * copy it with sgc_container_engine_store. */
typedef struct sgc_container_ready {
    const sgc_container_info *info;
    sgc_container_lookup status;
    uint32_t pid; /* as given to the first request */
} sgc_container_ready;

typedef void (*sgc_container_ready_fn)(void *ud, const sgc_container_ready *r);
/* Deliver every finished lookup to cb, oldest first; returns how many. */
int sgc_container_engine_poll_ready(sgc_container_engine *eng, sgc_container_ready_fn cb, void *ud);

typedef struct sgc_container_engine_stats {
    uint64_t requested; /* ids accepted */
    uint64_t resolved, not_found, unreachable;
    uint64_t dropped; /* requests refused: queue full or malformed id */
    uint64_t http_requests, http_failures;
} sgc_container_engine_stats;

void sgc_container_engine_get_stats(sgc_container_engine *eng, sgc_container_engine_stats *out);

/* Copy info into dst (the runloop's table), replacing what dst had for its
 * id. 0, or -1 on out of memory. */
int sgc_container_engine_store(sgc_containers *dst, const sgc_container_info *info);

/* First sight, for the runloop: when the table has no entry for full_id (a
 * container, not "host"), make an empty one (its fields read <NA>) and
 * request the lookup on behalf of pid. Returns true on first sight. Cheap
 * enough per exec record: one table lookup, then nothing once seen. eng may
 * be NULL (no runtime configured: the entry is still made). */
bool sgc_container_engine_see(sgc_container_engine *eng, sgc_containers *table, const char *full_id,
                              uint32_t pid);
/* sgc_container_engine_see for every process in the table (after the /proc
 * scan at start-up); returns how many containers were new. */
struct sgc_proctable;
int sgc_container_engine_see_all(sgc_container_engine *eng, sgc_containers *table,
                                 struct sgc_proctable *pt);

/* ---- one lookup, blocking (the worker's step; tools and tests) ------------- */

/* Look full_id up on each socket in order until one knows it; fills `into`
 * (an entry keyed by full_id). err gets a one-line reason when the result
 * is not RESOLVED. */
sgc_container_lookup sgc_container_engine_lookup(const char *const *sockets, int nsockets,
                                                 const char *full_id, int timeout_ms,
                                                 size_t max_response, sgc_containers *into,
                                                 char *err, size_t errlen);

/* ---- parsing (pure; unit-tested on real responses) ------------------------- */

/* Parse a `GET /containers/{id}/json` body into the entry of its "Id" in
 * `into` (or of expect_id when given: the body must then be about it).
 * `type` is container.type ("docker", "podman"). false with a reason in err
 * when the body is not such an object. */
bool sgc_container_engine_parse_inspect(const char *json, size_t len, const char *type,
                                        const char *expect_id, sgc_containers *into, char *err,
                                        size_t errlen);

/* Split an image reference the way Falco does: repository is everything
 * before the tag (registry host and port included, "localhost/x",
 * "docker.io/library/nginx"), tag defaults to "latest", digest is what
 * follows '@' ("sha256:..."), or empty. Results are malloc'ed. */
int sgc_container_image_split(const char *image, char **repository, char **tag, char **digest);

/* RFC 3339 time ("2026-11-28T13:36:00.477406615Z", offsets allowed) to ns
 * since the epoch; 0 for Go's zero time ("0001-01-01T00:00:00Z") and for
 * anything unparsable. */
uint64_t sgc_container_parse_time(const char *s);

#endif
