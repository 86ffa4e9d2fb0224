/* The k8s_audit source (ka_source.h): queue, evaluation thread, webhook,
 * file followers. */
#include "ka_source.h"
#include "ka_queue.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_CAPACITY 65536

struct sgc_ka_source {
    sgc_ka_counters c;
    struct sgc_ka_queue *q;
    sgc_ka_pipeline *pl;
    pthread_t th;
    bool thread_started;
    atomic_bool closing;
    sgc_ka_webhook *web;
    sgc_ka_files *files;
    _Atomic unsigned long long evaluated, matches;
    pthread_mutex_t mu; /* the pipeline: evaluation vs. reading its stats */
};

void sgc_k8s_audit_config_defaults(sgc_k8s_audit_config *c)
{
    memset(c, 0, sizeof *c);
    c->listen_address = "0.0.0.0";
    c->listen_port = 9765;
    c->path = "/k8s-audit";
    c->max_event_bytes = 256 * 1024;
    c->max_batch_bytes = 12 * 1024 * 1024;
}

/* Evaluate until the queue is closed and drained. */
static void *evaluate(void *arg)
{
    sgc_ka_source *s = arg;
    sgc_ka_event ev;
    for (;;) {
        if (!sgc_ka_queue_pop(s->q, &ev, 200)) {
            if (atomic_load(&s->closing) && sgc_ka_queue_depth(s->q) == 0) return NULL;
            continue;
        }
        pthread_mutex_lock(&s->mu);
        int m = sgc_ka_pipeline_eval(s->pl, &ev);
        pthread_mutex_unlock(&s->mu);
        sgc_ka_event_clear(&ev);
        s->evaluated++;
        s->matches += (unsigned long long)m;
    }
}

sgc_ka_source *sgc_ka_source_start(const sgc_k8s_audit_config *cfg, const sgc_ruleset *rs,
                                   const sgc_ka_pipeline_opts *po, sgc_diags *diags, char *err,
                                   size_t errlen)
{
    sgc_ka_source *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    atomic_init(&s->closing, false);
    sgc_k8s_audit_config c = *cfg;
    sgc_k8s_audit_config d;
    sgc_k8s_audit_config_defaults(&d);
    if (!c.max_event_bytes) c.max_event_bytes = d.max_event_bytes;
    if (!c.max_batch_bytes) c.max_batch_bytes = d.max_batch_bytes;
    s->q = sgc_ka_queue_new(QUEUE_CAPACITY);
    s->pl = s->q ? sgc_ka_pipeline_new(rs, po, diags, err, errlen) : NULL;
    if (!s->q || !s->pl) {
        if (!s->q) snprintf(err, errlen, "out of memory");
        sgc_ka_source_stop(s, NULL);
        return NULL;
    }
    if (pthread_create(&s->th, NULL, evaluate, s) != 0) {
        snprintf(err, errlen, "cannot start the k8s_audit thread");
        sgc_ka_source_stop(s, NULL);
        return NULL;
    }
    s->thread_started = true;
    if (c.listen_port > 0 && !(s->web = sgc_ka_webhook_start(&c, s->q, &s->c, err, errlen))) {
        sgc_ka_source_stop(s, NULL);
        return NULL;
    }
    if (c.nfiles > 0 && !(s->files = sgc_ka_files_start(&c, s->q, &s->c, err, errlen))) {
        sgc_ka_source_stop(s, NULL);
        return NULL;
    }
    return s;
}

void sgc_ka_source_stop(sgc_ka_source *s, sgc_ka_source_stats *final)
{
    if (!s) return;
    sgc_ka_webhook_stop(s->web); /* no more requests (the running ones finish) */
    sgc_ka_files_stop(s->files);
    s->web = NULL;
    s->files = NULL;
    atomic_store(&s->closing, true);
    if (s->q) sgc_ka_queue_close(s->q);
    if (s->thread_started) pthread_join(s->th, NULL);
    if (final) sgc_ka_source_get_stats(s, final);
    sgc_ka_pipeline_free(s->pl);
    sgc_ka_queue_free(s->q);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int sgc_ka_source_port(const sgc_ka_source *s)
{
    return s && s->web ? sgc_ka_webhook_port(s->web) : -1;
}

void sgc_ka_source_get_stats(sgc_ka_source *s, sgc_ka_source_stats *st)
{
    memset(st, 0, sizeof *st);
    const sgc_ka_counters *c = &s->c;
    st->requests = c->requests;
    st->requests_ok = c->requests_ok;
    st->bad_method = c->bad_method;
    st->bad_path = c->bad_path;
    st->bad_content_type = c->bad_content_type;
    st->body_too_large = c->body_too_large;
    st->queue_full = c->queue_full;
    st->client_cert_rejected = c->client_cert_rejected;
    st->bad_json = c->bad_json;
    st->not_audit = c->not_audit;
    st->no_timestamp = c->no_timestamp;
    st->bad_timestamp = c->bad_timestamp;
    st->event_too_large = c->event_too_large;
    st->file_lines = c->file_lines;
    st->file_rotations = c->file_rotations;
    st->line_too_long = c->line_too_long;
    st->events_queued = c->events_queued;
    st->events_dropped = c->events_dropped;
    st->events_evaluated = s->evaluated;
    st->matches = s->matches;
    if (s->pl) {
        sgc_ka_pipeline_stats ps;
        pthread_mutex_lock(&s->mu);
        sgc_ka_pipeline_get_stats(s->pl, &ps);
        pthread_mutex_unlock(&s->mu);
        st->alerts = ps.out.emitted;
    }
}
