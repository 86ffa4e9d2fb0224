/* The asynchronous container engine (container_engine.h): one worker
 * thread, a FIFO of ids to look up (with retry times), a list of finished
 * lookups for the runloop to poll, and a set of every id seen so repeated
 * requests are free. One mutex guards the three; the worker never holds it
 * during I/O, so a request waits at most for a list operation. */
#include "container_engine_int.h"
#include "util.h"
#include "container_id.h"
#include "hostroot.h"

#include <limits.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define ID_BUCKETS             1024
/* a runtime that timed out is skipped for this long, so a hung daemon does
 * not cost every lookup a full timeout */
#define HUNG_SOCKET_BACKOFF_MS 30000

typedef enum { ID_QUEUED, ID_IN_FLIGHT, ID_DONE } id_state;

typedef struct known_id {
    char id[SGC_CONTAINER_ID_LEN + 1];
    id_state state;
    struct known_id *next;
} known_id;

typedef struct job {
    char id[SGC_CONTAINER_ID_LEN + 1];
    uint32_t pid;
    int tries;
    bool created; /* its creation was seen: a 404 is final */
    int64_t not_before_ms;
    struct job *next;
} job;

typedef struct result {
    sgc_containers *staging; /* holds the one entry delivered */
    char id[SGC_CONTAINER_ID_LEN + 1];
    uint32_t pid;
    sgc_container_lookup status;
    struct result *next;
} result;

struct sgc_container_engine {
    /* configuration (read-only after new) */
    char **sockets;
    int nsockets, timeout_ms, max_queued, max_tries, retry_ms, max_known;
    size_t max_response;
    int64_t *socket_down_until; /* worker only */

    pthread_t thread;
    bool thread_started;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop;
    job *jobs_head, *jobs_tail;
    int njobs;
    result *ready_head, *ready_tail;
    known_id *known[ID_BUCKETS];
    int nknown;
    sgc_container_engine_stats stats;
    int ready_fd;
};

static bool is_full_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= SGC_CONTAINER_ID_LEN ||
            !((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == SGC_CONTAINER_ID_LEN;
}

/* ---- the set of known ids (under mu) ----------------------------------- */

static known_id **bucket_of(sgc_container_engine *eng, const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a; ids are random hex already */
    for (const char *p = id; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    return &eng->known[h % ID_BUCKETS];
}

static known_id *known_find(sgc_container_engine *eng, const char *id)
{
    for (known_id *k = *bucket_of(eng, id); k; k = k->next)
        if (!strcmp(k->id, id)) return k;
    return NULL;
}

static void known_remove_if(sgc_container_engine *eng, const char *id_or_null)
{
    for (int b = 0; b < ID_BUCKETS; b++)
        for (known_id **pp = &eng->known[b]; *pp;) {
            known_id *k = *pp;
            bool match = id_or_null ? !strcmp(k->id, id_or_null) : true;
            if (match && k->state == ID_DONE) {
                *pp = k->next;
                free(k);
                eng->nknown--;
            } else {
                pp = &k->next;
            }
        }
}

static known_id *known_add(sgc_container_engine *eng, const char *id)
{
    if (eng->nknown >= eng->max_known)
        known_remove_if(eng, NULL); /* delivered ids live on in the runloop's table */
    if (eng->nknown >= eng->max_known) return NULL;
    known_id *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    memcpy(k->id, id, sizeof k->id);
    known_id **b = bucket_of(eng, id);
    k->next = *b;
    *b = k;
    eng->nknown++;
    return k;
}

/* ---- queues (under mu) ------------------------------------------------------ */

static void jobs_push(sgc_container_engine *eng, job *j)
{
    j->next = NULL;
    if (eng->jobs_tail)
        eng->jobs_tail->next = j;
    else
        eng->jobs_head = j;
    eng->jobs_tail = j;
    eng->njobs++;
}

/* The first job due now; else NULL and *wait_ms until the earliest. */
static job *jobs_take_due(sgc_container_engine *eng, int64_t now, int64_t *wait_ms)
{
    job *prev = NULL;
    *wait_ms = -1;
    for (job *j = eng->jobs_head; j; prev = j, j = j->next) {
        if (j->not_before_ms <= now) {
            if (prev)
                prev->next = j->next;
            else
                eng->jobs_head = j->next;
            if (eng->jobs_tail == j) eng->jobs_tail = prev;
            eng->njobs--;
            return j;
        }
        int64_t w = j->not_before_ms - now;
        if (*wait_ms < 0 || w < *wait_ms) *wait_ms = w;
    }
    return NULL;
}

static void ready_push(sgc_container_engine *eng, result *r)
{
    r->next = NULL;
    if (eng->ready_tail)
        eng->ready_tail->next = r;
    else
        eng->ready_head = r;
    eng->ready_tail = r;
    uint64_t one = 1;
    /* the counter only signals: a failed write loses no result */
    ssize_t w = write(eng->ready_fd, &one, sizeof one);
    (void)w;
}

/* ---- the worker ---------------------------------------------------------------- */

static sgc_container_lookup lookup_live_sockets(sgc_container_engine *eng, const char *id,
                                                sgc_containers *into)
{
    sgc_container_lookup best = SGC_CONTAINER_UNREACHABLE;
    char err[256];
    for (int i = 0; i < eng->nsockets; i++) {
        if ((int64_t)sgc_now_ms() < eng->socket_down_until[i]) continue;
        bool timed_out;
        sgc_container_lookup r = sgc_container_engine_lookup_socket(
            eng->sockets[i], id, eng->timeout_ms, eng->max_response, into, &timed_out, err,
            sizeof err);
        pthread_mutex_lock(&eng->mu);
        eng->stats.http_requests++;
        if (r == SGC_CONTAINER_UNREACHABLE) eng->stats.http_failures++;
        pthread_mutex_unlock(&eng->mu);
        if (timed_out) eng->socket_down_until[i] = (int64_t)sgc_now_ms() + HUNG_SOCKET_BACKOFF_MS;
        if (r == SGC_CONTAINER_RESOLVED) return r;
        if (r == SGC_CONTAINER_NOT_FOUND) best = r;
    }
    return best;
}

static void *worker_main(void *arg)
{
    sgc_container_engine *eng = arg;
    pthread_mutex_lock(&eng->mu);
    while (!eng->stop) {
        int64_t wait_ms;
        job *j = jobs_take_due(eng, (int64_t)sgc_now_ms(), &wait_ms);
        if (!j) {
            if (wait_ms < 0) {
                pthread_cond_wait(&eng->wake, &eng->mu);
            } else {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                int64_t ns = ts.tv_nsec + (wait_ms % 1000) * 1000000;
                ts.tv_sec += wait_ms / 1000 + ns / 1000000000;
                ts.tv_nsec = ns % 1000000000;
                pthread_cond_timedwait(&eng->wake, &eng->mu, &ts);
            }
            continue;
        }
        known_id *k = known_find(eng, j->id);
        if (k) k->state = ID_IN_FLIGHT;
        pthread_mutex_unlock(&eng->mu);

        sgc_containers *staging = sgc_containers_new();
        sgc_container_lookup st =
            staging ? lookup_live_sockets(eng, j->id, staging) : SGC_CONTAINER_UNREACHABLE;
        result *r = NULL;
        bool retry = st != SGC_CONTAINER_RESOLVED && j->tries + 1 < eng->max_tries &&
                     !(st == SGC_CONTAINER_NOT_FOUND && j->created);
        if (!retry) {
            r = calloc(1, sizeof *r);
            if (r && staging && sgc_containers_upsert(staging, j->id)) {
                r->staging = staging;
                memcpy(r->id, j->id, sizeof r->id);
                r->pid = j->pid;
                r->status = st;
            } else {
                free(r);
                r = NULL;
                sgc_containers_free(staging);
            }
        } else {
            sgc_containers_free(staging);
        }

        pthread_mutex_lock(&eng->mu);
        k = known_find(eng, j->id);
        if (retry && !eng->stop) {
            j->not_before_ms = (int64_t)sgc_now_ms() + ((int64_t)eng->retry_ms << j->tries);
            j->tries++;
            if (k) k->state = ID_QUEUED;
            jobs_push(eng, j);
            continue;
        }
        free(j);
        if (k) k->state = ID_DONE;
        if (r) {
            if (st == SGC_CONTAINER_RESOLVED)
                eng->stats.resolved++;
            else if (st == SGC_CONTAINER_NOT_FOUND)
                eng->stats.not_found++;
            else
                eng->stats.unreachable++;
            ready_push(eng, r);
        } else if (!retry) {
            eng->stats.dropped++; /* out of memory */
        }
    }
    pthread_mutex_unlock(&eng->mu);
    return NULL;
}

/* ---- public API ---------------------------------------------------------------- */

static void engine_destroy(sgc_container_engine *eng)
{
    for (int i = 0; i < eng->nsockets; i++) free(eng->sockets[i]);
    free(eng->sockets);
    free(eng->socket_down_until);
    for (job *j = eng->jobs_head, *n; j; j = n) {
        n = j->next;
        free(j);
    }
    for (result *r = eng->ready_head, *n; r; r = n) {
        n = r->next;
        sgc_containers_free(r->staging);
        free(r);
    }
    for (int b = 0; b < ID_BUCKETS; b++)
        for (known_id *k = eng->known[b], *n; k; k = n) {
            n = k->next;
            free(k);
        }
    if (eng->ready_fd >= 0) close(eng->ready_fd);
    pthread_mutex_destroy(&eng->mu);
    pthread_cond_destroy(&eng->wake);
    free(eng);
}

/* Copy the socket list: the configured one, else $SGC_CONTAINER_SOCKETS
 * (colon-separated, taken as is), else the defaults; configured and default
 * paths get the HOST_ROOT prefix. */
static int set_sockets(sgc_container_engine *eng, const sgc_container_engine_config *c)
{
    static const char *const default_sockets[] = {SGC_CONTAINER_ENGINE_DEFAULT_SOCKETS};
    const char *const *list = c->sockets;
    int n = c->nsockets;
    const char *env = getenv("SGC_CONTAINER_SOCKETS");
    if ((!list || n <= 0) && env && *env) {
        int parts = 1;
        for (const char *p = env; *p; p++) parts += *p == ':';
        if (!(eng->sockets = calloc((size_t)parts, sizeof *eng->sockets))) return -1;
        for (const char *p = env; *p;) {
            size_t len = strcspn(p, ":");
            if (len && !(eng->sockets[eng->nsockets++] = strndup(p, len))) return -1;
            p += len + (p[len] == ':');
        }
        if (eng->nsockets) return 0;
    }
    if (!list || n <= 0) {
        list = default_sockets;
        n = (int)(sizeof default_sockets / sizeof default_sockets[0]);
    }
    if (!eng->sockets && !(eng->sockets = calloc((size_t)n, sizeof *eng->sockets))) return -1;
    for (int i = 0; i < n; i++) { /* the host's sockets, under HOST_ROOT (as Falco) */
        char path[PATH_MAX];
        if (!sgc_host_path(path, sizeof path, list[i]) ||
            !(eng->sockets[eng->nsockets++] = strdup(path)))
            return -1;
    }
    return 0;
}

sgc_container_engine *sgc_container_engine_new(const sgc_container_engine_config *cfg)
{
    sgc_container_engine_config c = cfg ? *cfg : (sgc_container_engine_config){0};
    sgc_container_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return NULL;
    eng->ready_fd = -1;
    pthread_mutex_init(&eng->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&eng->wake, &ca);
    pthread_condattr_destroy(&ca);
    eng->timeout_ms = c.timeout_ms > 0 ? c.timeout_ms : 1000;
    eng->max_response = c.max_response ? c.max_response : 4u << 20;
    eng->max_queued = c.max_queued > 0 ? c.max_queued : 1024;
    eng->max_tries = c.max_tries > 0 ? c.max_tries : 3;
    eng->retry_ms = c.retry_ms > 0 ? c.retry_ms : 250;
    eng->max_known = eng->max_queued * 16;
    if (set_sockets(eng, &c) < 0) goto fail;
    eng->socket_down_until = calloc((size_t)eng->nsockets, sizeof *eng->socket_down_until);
    if (!eng->socket_down_until) goto fail;
    eng->ready_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (eng->ready_fd < 0) goto fail;
    if (pthread_create(&eng->thread, NULL, worker_main, eng)) goto fail;
    eng->thread_started = true;
    return eng;
fail:
    engine_destroy(eng);
    return NULL;
}

void sgc_container_engine_free(sgc_container_engine *eng)
{
    if (!eng) return;
    if (eng->thread_started) {
        pthread_mutex_lock(&eng->mu);
        eng->stop = true;
        pthread_cond_broadcast(&eng->wake);
        pthread_mutex_unlock(&eng->mu);
        pthread_join(eng->thread, NULL);
    }
    engine_destroy(eng);
}

static bool request(sgc_container_engine *eng, const char *full_id, uint32_t pid, bool created)
{
    if (!is_full_id(full_id)) {
        pthread_mutex_lock(&eng->mu);
        eng->stats.dropped++;
        pthread_mutex_unlock(&eng->mu);
        return false;
    }
    bool ok = true;
    pthread_mutex_lock(&eng->mu);
    if (!known_find(eng, full_id)) {
        job *j = eng->njobs < eng->max_queued ? calloc(1, sizeof *j) : NULL;
        known_id *k = j ? known_add(eng, full_id) : NULL;
        if (!k) {
            free(j);
            eng->stats.dropped++;
            ok = false;
        } else {
            memcpy(j->id, full_id, sizeof j->id);
            j->pid = pid;
            j->created = created;
            k->state = ID_QUEUED;
            jobs_push(eng, j);
            eng->stats.requested++;
            pthread_cond_signal(&eng->wake);
        }
    }
    pthread_mutex_unlock(&eng->mu);
    return ok;
}

bool sgc_container_engine_request(sgc_container_engine *eng, const char *full_id, uint32_t pid)
{
    return request(eng, full_id, pid, false);
}

bool sgc_container_engine_request_created(sgc_container_engine *eng, const char *full_id,
                                          uint32_t pid)
{
    return request(eng, full_id, pid, true);
}

void sgc_container_engine_forget(sgc_container_engine *eng, const char *full_id)
{
    pthread_mutex_lock(&eng->mu);
    known_remove_if(eng, full_id);
    pthread_mutex_unlock(&eng->mu);
}

int sgc_container_engine_ready_fd(const sgc_container_engine *eng) { return eng->ready_fd; }

int sgc_container_engine_poll_ready(sgc_container_engine *eng, sgc_container_ready_fn cb, void *ud)
{
    uint64_t drained;
    pthread_mutex_lock(&eng->mu);
    result *list = eng->ready_head;
    eng->ready_head = eng->ready_tail = NULL;
    ssize_t got = read(eng->ready_fd, &drained, sizeof drained); /* EAGAIN: nothing to drain */
    (void)got;
    pthread_mutex_unlock(&eng->mu);
    int n = 0;
    for (result *r = list, *next; r; r = next) {
        next = r->next;
        sgc_container_ready ready = {
            .info = sgc_containers_find(r->staging, r->id), .status = r->status, .pid = r->pid};
        if (ready.info && cb) cb(ud, &ready);
        sgc_containers_free(r->staging);
        free(r);
        n++;
    }
    return n;
}

void sgc_container_engine_get_stats(sgc_container_engine *eng, sgc_container_engine_stats *out)
{
    pthread_mutex_lock(&eng->mu);
    *out = eng->stats;
    pthread_mutex_unlock(&eng->mu);
}
