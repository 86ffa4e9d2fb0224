/* The bounded event queue (ka_queue.h): a ring under one mutex. */
#include "ka_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct sgc_ka_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    sgc_ka_event *ring;
    size_t cap, head, n;
    bool closed;
};

sgc_ka_queue *sgc_ka_queue_new(size_t capacity)
{
    sgc_ka_queue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->cap = capacity ? capacity : 1;
    q->ring = calloc(q->cap, sizeof *q->ring);
    if (!q->ring) {
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->not_empty, &ca);
    pthread_cond_init(&q->not_full, &ca);
    pthread_condattr_destroy(&ca);
    return q;
}

void sgc_ka_queue_free(sgc_ka_queue *q)
{
    if (!q) return;
    for (size_t i = 0; i < q->n; i++) sgc_ka_event_clear(&q->ring[(q->head + i) % q->cap]);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    free(q->ring);
    free(q);
}

static struct timespec deadline(int timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

size_t sgc_ka_queue_push(sgc_ka_queue *q, sgc_ka_event *evs, size_t n, int timeout_ms)
{
    struct timespec until = deadline(timeout_ms);
    size_t done = 0;
    pthread_mutex_lock(&q->mu);
    while (done < n && !q->closed) {
        if (q->n == q->cap) {
            if (pthread_cond_timedwait(&q->not_full, &q->mu, &until) == ETIMEDOUT) break;
            continue;
        }
        q->ring[(q->head + q->n) % q->cap] = evs[done++];
        q->n++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->mu);
    return done;
}

bool sgc_ka_queue_pop(sgc_ka_queue *q, sgc_ka_event *out, int timeout_ms)
{
    struct timespec until = deadline(timeout_ms);
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed) {
        if (pthread_cond_timedwait(&q->not_empty, &q->mu, &until) == ETIMEDOUT) break;
    }
    bool got = q->n > 0;
    if (got) {
        *out = q->ring[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return got;
}

void sgc_ka_queue_close(sgc_ka_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->mu);
}

size_t sgc_ka_queue_depth(sgc_ka_queue *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->n;
    pthread_mutex_unlock(&q->mu);
    return n;
}
