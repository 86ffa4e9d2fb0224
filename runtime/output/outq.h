/* The output engine: alerts rendered once, queued in one bounded queue,
 * delivered by one worker thread per output.
 *
 *   producer (the ring-buffer thread): sgc_outq_push never waits. The queue
 *   holds at most `capacity` alerts; each output reads it at its own pace
 *   (its own cursor). When it is full, the outputs that are furthest behind
 *   lose their oldest alert (counted `dropped` for them only): a stalled
 *   output never delays detection or another output.
 *   worker (one per output): takes the next alert, sends it; a failed send
 *   is retried with backoff (10 ms doubling to 1 s, `retried` each time) up
 *   to SGC_OUTQ_MAX_ATTEMPTS, then counted `failed`.
 *   stop: the workers finish what is queued within a time budget
 *   (output_timeout); what is left is counted `dropped`.
 *
 * Counters per output: sent, failed, retried, dropped; lost = failed +
 * dropped. SIGUSR1-style reopen: sgc_outq_reopen asks every worker to
 * reopen (files) or restart (programs) before its next alert. */
#ifndef SGC_OUTPUT_OUTQ_H
#define SGC_OUTPUT_OUTQ_H

#include "sink.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SGC_OUTQ_DEFAULT_CAPACITY 65536
#define SGC_OUTQ_MAX_ATTEMPTS     4
#define SGC_OUTQ_MAX_OUTPUTS      8

typedef struct sgc_outq sgc_outq;

typedef struct sgc_outq_stats {
    const char *name;
    uint64_t sent, failed, retried, dropped, skipped; /* skipped: below its min_priority */
    uint64_t depth;                                   /* alerts queued for it now */
    uint64_t lat_us_max;                              /* queue-to-delivered, max */
    char last_error[256];
} sgc_outq_stats;

/* capacity 0: SGC_OUTQ_DEFAULT_CAPACITY. */
sgc_outq *sgc_outq_new(uint64_t capacity);
/* Before sgc_outq_start; the queue owns the sink from here on. -1 when
 * there are already SGC_OUTQ_MAX_OUTPUTS. */
int sgc_outq_add(sgc_outq *q, sgc_sink *s);
int sgc_outq_count(const sgc_outq *q);
/* Does any output want the JSON alert even when json_output is off? */
void sgc_outq_set_wants_json(sgc_outq *q, bool v);
bool sgc_outq_wants_json(const sgc_outq *q);
/* Start the workers. 0, or -1 (threads could not start). */
int sgc_outq_start(sgc_outq *q);

/* Queue one alert (copied). Never blocks on an output. */
void sgc_outq_push(sgc_outq *q, int priority, const char *rule, const char *line, size_t len,
                   const char *json, size_t json_len);

void sgc_outq_reopen(sgc_outq *q);

/* Stop: deliver what is queued within timeout_ms, count the rest dropped,
 * join the workers, close the sinks. The counters stay readable. */
void sgc_outq_stop(sgc_outq *q, uint32_t timeout_ms);
void sgc_outq_free(sgc_outq *q);

/* Counters of output i (0 <= i < sgc_outq_count). */
void sgc_outq_get_stats(sgc_outq *q, int i, sgc_outq_stats *st);
/* Sum of failed + dropped over every output. */
uint64_t sgc_outq_lost(sgc_outq *q);
/* "stdout sent 3 failed 0 retried 0 dropped 0; nats ..." */
void sgc_outq_print_stats(sgc_outq *q, FILE *f, const char *prog);

#endif
