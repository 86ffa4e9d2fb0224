/* See outq.h. One mutex guards the ring and every cursor and counter; the
 * producer holds it only to copy a pointer in, a worker only to take one
 * out, never while an output sends. */
#include "outq.h"
#include "sgclog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* queued bytes bound on top of the count: what a stalled output can hold */
#define MAX_QUEUED_BYTES (16u << 20)
#define NBUCKETS         40

typedef struct qmsg {
    atomic_int refs;
    size_t bytes;
    sgc_alert_msg m;
} qmsg;

typedef struct worker {
    sgc_outq *q;
    sgc_sink *s;
    pthread_t th;
    pthread_cond_t cv;
    bool waiting, started, reopen, opened, folded;
    uint64_t last_log_ns;
    uint64_t cursor; /* next sequence number to take */
    sgc_outq_stats st;
    uint64_t lat_hist[NBUCKETS]; /* log2 buckets of microseconds */
} worker;

struct sgc_outq {
    pthread_mutex_t mu;
    qmsg **ring;
    uint64_t cap, head, tail, bytes;
    worker w[SGC_OUTQ_MAX_OUTPUTS];
    int n;
    bool wants_json, started, stopping;
    uint64_t deadline_ns;
};

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void unref(qmsg *m)
{
    if (m && atomic_fetch_sub(&m->refs, 1) == 1) free(m);
}

sgc_outq *sgc_outq_new(uint64_t capacity)
{
    sgc_outq *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->cap = capacity ? capacity : SGC_OUTQ_DEFAULT_CAPACITY;
    q->ring = calloc(q->cap, sizeof *q->ring);
    if (!q->ring) {
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->mu, NULL);
    return q;
}

int sgc_outq_add(sgc_outq *q, sgc_sink *s)
{
    if (q->n == SGC_OUTQ_MAX_OUTPUTS || q->started) return -1;
    worker *w = &q->w[q->n++];
    w->q = q;
    w->s = s;
    w->st.name = s->name;
    pthread_cond_init(&w->cv, NULL);
    return 0;
}

int sgc_outq_count(const sgc_outq *q) { return q->n; }

void sgc_outq_set_wants_json(sgc_outq *q, bool v) { q->wants_json = v; }

bool sgc_outq_wants_json(const sgc_outq *q) { return q->wants_json; }

/* free the entries every worker has passed (mu held) */
static void release_passed(sgc_outq *q)
{
    uint64_t min = q->head;
    for (int i = 0; i < q->n; i++)
        if (q->w[i].cursor < min) min = q->w[i].cursor;
    while (q->tail < min) {
        qmsg **slot = &q->ring[q->tail % q->cap];
        q->bytes -= (*slot)->bytes;
        unref(*slot);
        *slot = NULL;
        q->tail++;
    }
}

/* full: the oldest entry goes; outputs still waiting for it lose it */
static void drop_oldest(sgc_outq *q)
{
    for (int i = 0; i < q->n; i++)
        if (q->w[i].cursor == q->tail) {
            q->w[i].cursor++;
            q->w[i].st.dropped++;
        }
    release_passed(q);
}

void sgc_outq_push(sgc_outq *q, int priority, const char *rule, const char *line, size_t len,
                   const char *json, size_t json_len)
{
    size_t rlen = strlen(rule);
    bool same = json == line || !json;
    size_t bytes = sizeof(qmsg) + rlen + 1 + len + 1 + (same ? 0 : json_len + 1);
    qmsg *m = malloc(bytes);
    if (!m) {
        pthread_mutex_lock(&q->mu);
        for (int i = 0; i < q->n; i++) q->w[i].st.dropped++;
        pthread_mutex_unlock(&q->mu);
        return;
    }
    char *p = (char *)(m + 1);
    atomic_init(&m->refs, 1);
    m->bytes = bytes;
    m->m.priority = priority;
    m->m.rule = memcpy(p, rule, rlen + 1);
    p += rlen + 1;
    m->m.line = memcpy(p, line, len);
    p[len] = 0;
    m->m.len = len;
    p += len + 1;
    if (same) {
        m->m.json = m->m.line;
        m->m.json_len = len;
    } else {
        m->m.json = memcpy(p, json, json_len);
        p[json_len] = 0;
        m->m.json_len = json_len;
    }
    m->m.t_ns = now_ns();
    pthread_mutex_lock(&q->mu);
    if (q->n == 0) {
        pthread_mutex_unlock(&q->mu);
        free(m);
        return;
    }
    while (q->tail < q->head &&
           (q->head - q->tail >= q->cap || q->bytes + bytes > MAX_QUEUED_BYTES))
        drop_oldest(q);
    q->ring[q->head % q->cap] = m;
    q->head++;
    q->bytes += bytes;
    for (int i = 0; i < q->n; i++)
        if (q->w[i].waiting) pthread_cond_signal(&q->w[i].cv);
    pthread_mutex_unlock(&q->mu);
}

static void sleep_ms(uint64_t ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
    while (nanosleep(&t, &t) != 0 && errno == EINTR);
}

static void record_latency(worker *w, uint64_t t0)
{
    uint64_t us = (now_ns() - t0) / 1000;
    int b = 0;
    while ((1ull << b) <= us && b < NBUCKETS - 1) b++;
    w->lat_hist[b]++;
    if (us > w->st.lat_us_max) w->st.lat_us_max = us;
}

/* Deliver with retries; returns 0 delivered, -1 failed. Runs unlocked. */
static int deliver(worker *w, const sgc_alert_msg *m, char *err, size_t errlen, int *retries)
{
    sgc_outq *q = w->q;
    uint64_t backoff = 10;
    *retries = 0;
    for (int attempt = 1;; attempt++) {
        if (!w->opened && w->s->open) {
            if (w->s->open(w->s, err, errlen) == 0) w->opened = true;
        } else {
            w->opened = true;
        }
        int rc = w->opened ? w->s->send(w->s, m, err, errlen) : -1;
        if (rc == 0) return 0;
        if (rc == -2 || attempt >= SGC_OUTQ_MAX_ATTEMPTS) return -1;
        pthread_mutex_lock(&q->mu);
        bool late = q->stopping && now_ns() + backoff * 1000000 > q->deadline_ns;
        pthread_mutex_unlock(&q->mu);
        if (late) return -1;
        sleep_ms(backoff);
        (*retries)++;
        backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    sgc_outq *q = w->q;
    char err[256];
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (w->cursor == q->head && !q->stopping) {
            w->waiting = true;
            pthread_cond_wait(&w->cv, &q->mu);
            w->waiting = false;
        }
        if (w->cursor == q->head) break; /* stopping, all delivered */
        if (q->stopping && now_ns() >= q->deadline_ns) {
            w->st.dropped += q->head - w->cursor; /* out of time */
            w->cursor = q->head;
            release_passed(q);
            break;
        }
        qmsg *m = q->ring[w->cursor % q->cap];
        atomic_fetch_add(&m->refs, 1);
        w->cursor++;
        release_passed(q);
        bool reopen = w->reopen;
        w->reopen = false;
        pthread_mutex_unlock(&q->mu);

        if (reopen && w->s->reopen && w->opened) w->s->reopen(w->s);
        int retries = 0, rc = 0;
        bool skip = m->m.priority > w->s->min_priority;
        if (!skip) rc = deliver(w, &m->m, err, sizeof err, &retries);
        if (!skip && rc == 0) record_latency(w, m->m.t_ns);
        unref(m);

        pthread_mutex_lock(&q->mu);
        w->st.retried += (uint64_t)retries;
        if (skip)
            w->st.skipped++;
        else if (rc == 0)
            w->st.sent++;
        else {
            w->st.failed++;
            snprintf(w->st.last_error, sizeof w->st.last_error, "%s", err);
            uint64_t t = now_ns();
            if (!w->last_log_ns || t - w->last_log_ns > 10000000000ull) {
                w->last_log_ns = t;
                sgc_log(SGC_LOG_ERR, "sgc", "output %s: alert not delivered: %s", w->s->name, err);
            }
        }
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

int sgc_outq_start(sgc_outq *q)
{
    q->started = true;
    for (int i = 0; i < q->n; i++) {
        if (pthread_create(&q->w[i].th, NULL, worker_main, &q->w[i]) != 0) return -1;
        q->w[i].started = true;
    }
    return 0;
}

void sgc_outq_reopen(sgc_outq *q)
{
    pthread_mutex_lock(&q->mu);
    for (int i = 0; i < q->n; i++) q->w[i].reopen = true;
    pthread_mutex_unlock(&q->mu);
}

void sgc_outq_stop(sgc_outq *q, uint32_t timeout_ms)
{
    if (!q) return;
    pthread_mutex_lock(&q->mu);
    if (q->stopping) {
        pthread_mutex_unlock(&q->mu);
        return;
    }
    q->stopping = true;
    q->deadline_ns = now_ns() + (uint64_t)timeout_ms * 1000000ull;
    for (int i = 0; i < q->n; i++) pthread_cond_signal(&q->w[i].cv);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->n; i++) {
        if (q->w[i].started) pthread_join(q->w[i].th, NULL);
        q->w[i].started = false;
    }
    uint64_t now = now_ns();
    uint32_t left = now < q->deadline_ns ? (uint32_t)((q->deadline_ns - now) / 1000000) : 0;
    for (int i = 0; i < q->n; i++) {
        worker *w = &q->w[i];
        if (!w->s) continue;
        if (w->s->finish && w->opened) w->s->finish(w->s, left);
        pthread_mutex_lock(&q->mu);
        uint64_t late = atomic_load(&w->s->late_failed);
        w->st.failed += late;
        w->st.sent -= late < w->st.sent ? late : w->st.sent;
        w->folded = true;
        pthread_mutex_unlock(&q->mu);
        w->s->close(w->s);
        w->s = NULL;
    }
}

void sgc_outq_free(sgc_outq *q)
{
    if (!q) return;
    sgc_outq_stop(q, 0);
    for (uint64_t s = q->tail; s < q->head; s++) unref(q->ring[s % q->cap]);
    for (int i = 0; i < q->n; i++) pthread_cond_destroy(&q->w[i].cv);
    pthread_mutex_destroy(&q->mu);
    free(q->ring);
    free(q);
}

void sgc_outq_get_stats(sgc_outq *q, int i, sgc_outq_stats *st)
{
    pthread_mutex_lock(&q->mu);
    const worker *w = &q->w[i];
    *st = w->st;
    st->depth = q->head - w->cursor;
    if (!w->folded && w->s) {
        uint64_t late = atomic_load(&w->s->late_failed);
        st->failed += late;
        st->sent -= late < st->sent ? late : st->sent;
    }
    pthread_mutex_unlock(&q->mu);
}

uint64_t sgc_outq_lost(sgc_outq *q)
{
    uint64_t lost = 0;
    for (int i = 0; i < q->n; i++) {
        sgc_outq_stats st;
        sgc_outq_get_stats(q, i, &st);
        lost += st.failed + st.dropped;
    }
    return lost;
}

/* p99 upper bound in microseconds from the log2 histogram */
static uint64_t p99_us(const worker *w)
{
    uint64_t total = 0, acc = 0;
    for (int b = 0; b < NBUCKETS; b++) total += w->lat_hist[b];
    if (!total) return 0;
    for (int b = 0; b < NBUCKETS; b++) {
        acc += w->lat_hist[b];
        if (acc * 100 >= total * 99) return 1ull << b;
    }
    return 0;
}

void sgc_outq_print_stats(sgc_outq *q, FILE *f, const char *prog)
{
    fprintf(f, "%s: outputs:", prog);
    for (int i = 0; i < q->n; i++) {
        sgc_outq_stats st;
        sgc_outq_get_stats(q, i, &st);
        fprintf(f, "%s %s sent %llu failed %llu retried %llu dropped %llu (p99 <= %llu us)",
                i ? ";" : "", st.name, (unsigned long long)st.sent, (unsigned long long)st.failed,
                (unsigned long long)st.retried, (unsigned long long)st.dropped,
                (unsigned long long)p99_us(&q->w[i]));
    }
    fputc('\n', f);
}
