/* A payload (webhook body, log line) into the queue: parsed, counted,
 * queued in order (ka_source.h, sgc_ka_intake). */
#include "ka_queue.h"
#include "ka_source.h"

#include <stdlib.h>

/* How long an intake waits for room in a full queue before dropping. */
#define QUEUE_WAIT_MS 5000

typedef struct batch {
    sgc_ka_event *v;
    size_t n, cap;
    bool oom;
} batch;

static void add(sgc_ka_event *ev, void *ud)
{
    batch *b = ud;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        sgc_ka_event *n = realloc(b->v, cap * sizeof *n);
        if (!n) {
            b->oom = true;
            sgc_ka_event_clear(ev);
            return;
        }
        b->v = n;
        b->cap = cap;
    }
    b->v[b->n++] = *ev;
}

sgc_ka_payload_status sgc_ka_intake(struct sgc_ka_queue *q, sgc_ka_counters *c, const char *buf,
                                    size_t len, size_t max_event_bytes, bool *queued_all)
{
    batch b = {NULL, 0, 0, false};
    sgc_ka_parse_stats st = {0};
    sgc_ka_payload_status s =
        sgc_ka_parse_payload(buf, len, max_event_bytes, add, &b, &st, NULL, 0);
    c->bad_json += st.bad_json;
    c->not_audit += st.not_audit;
    c->no_timestamp += st.no_timestamp;
    c->bad_timestamp += st.bad_timestamp;
    c->event_too_large += st.too_large;
    size_t done = b.n ? sgc_ka_queue_push(q, b.v, b.n, QUEUE_WAIT_MS) : 0;
    for (size_t i = done; i < b.n; i++) sgc_ka_event_clear(&b.v[i]);
    c->events_queued += done;
    c->events_dropped += b.n - done;
    *queued_all = done == b.n && !b.oom;
    free(b.v);
    return s;
}
