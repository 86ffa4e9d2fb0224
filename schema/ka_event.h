/* Kubernetes audit events (audit.k8s.io/v1): parsing what an API server
 * sends or logs into single events.
 *
 * A payload is one Event, an EventList (its `items`), or a JSON array of
 * either, as the k8saudit plugin accepts them. Every event needs a
 * `stageTimestamp` (RFC 3339 with optional fraction), which becomes its time;
 * an event without one, with a bad one, or larger than the size limit (as
 * compact JSON) is rejected on its own and counted: the other events of the
 * payload still go through. A payload that is not JSON, or JSON that is not
 * audit events, is rejected whole.
 *
 * The parser has no state: any thread may call it. */
#ifndef SGC_KA_EVENT_H
#define SGC_KA_EVENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* One audit event. The JSON object is owned (one reference). */
typedef struct sgc_ka_event {
    json_t *obj;
    int64_t ts_ns; /* stageTimestamp, nanoseconds since the epoch */
} sgc_ka_event;

/* What parsing a payload found. Adds to the counters (the caller zeroes). */
typedef struct sgc_ka_parse_stats {
    uint64_t events;        /* good events handed on */
    uint64_t bad_json;      /* payloads that are not JSON */
    uint64_t not_audit;     /* JSON that is no Event/EventList/array of them */
    uint64_t no_timestamp;  /* events without stageTimestamp */
    uint64_t bad_timestamp; /* stageTimestamp not RFC 3339 */
    uint64_t too_large;     /* events above max_event_bytes */
} sgc_ka_parse_stats;

typedef enum {
    SGC_KA_PAYLOAD_OK = 0, /* parsed (some events may have been rejected) */
    SGC_KA_PAYLOAD_BAD_JSON,
    SGC_KA_PAYLOAD_NOT_AUDIT
} sgc_ka_payload_status;

/* Receives each good event; takes ownership of ev->obj. */
typedef void (*sgc_ka_event_fn)(sgc_ka_event *ev, void *ud);

/* Parse BUF[0..LEN). MAX_EVENT_BYTES 0 means no limit. ERR (may be NULL)
 * gets a message for the first problem found. */
sgc_ka_payload_status sgc_ka_parse_payload(const char *buf, size_t len, size_t max_event_bytes,
                                           sgc_ka_event_fn fn, void *ud, sgc_ka_parse_stats *st,
                                           char *err, size_t errlen);

/* RFC 3339 time ("2024-05-01T12:00:00.123456Z", "...+02:00") to ns since
 * the epoch. Returns 0, or -1 when S is not such a time. */
int sgc_ka_parse_time(const char *s, int64_t *ns);

void sgc_ka_event_clear(sgc_ka_event *ev);

#endif
