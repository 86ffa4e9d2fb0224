/* A bounded, blocking queue of audit events between the intake threads
 * (webhook connections, file followers) and the thread that evaluates them.
 * Many producers, one consumer. */
#ifndef SGC_KA_QUEUE_H
#define SGC_KA_QUEUE_H

#include "ka_event.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sgc_ka_queue sgc_ka_queue;

sgc_ka_queue *sgc_ka_queue_new(size_t capacity);
/* Frees the events still queued. */
void sgc_ka_queue_free(sgc_ka_queue *q);

/* Queue N events in order, waiting up to TIMEOUT_MS for room. Returns how
 * many were queued (ownership of those passes to the queue; the caller
 * keeps the rest). After close, nothing is queued. */
size_t sgc_ka_queue_push(sgc_ka_queue *q, sgc_ka_event *evs, size_t n, int timeout_ms);

/* Take the next event, waiting up to TIMEOUT_MS. Returns false on timeout,
 * or when the queue is closed and empty. */
bool sgc_ka_queue_pop(sgc_ka_queue *q, sgc_ka_event *out, int timeout_ms);

/* No more pushes; pop drains what is left, then returns false. */
void sgc_ka_queue_close(sgc_ka_queue *q);

size_t sgc_ka_queue_depth(sgc_ka_queue *q);

#endif
