/* One alert destination (stdout, file, syslog, program, HTTP, NATS), driven
 * by its own worker thread of the output queue (outq.h). A sink is only
 * ever called from that thread (open, send, reopen and close included), so
 * it needs no locking of its own.
 *
 * send: 0 delivered; -1 failed with a reason in err (the queue retries with
 * backoff); -2 failed for good (no retry: e.g. the server refused the
 * alert). reopen: SIGUSR1 (log rotation: reopen files, restart programs). */
#ifndef SGC_OUTPUT_SINK_H
#define SGC_OUTPUT_SINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_alert_msg {
    int priority; /* SGC_PRI_* */
    const char *rule;
    const char *line; /* as json_output says (text or JSON), no newline */
    size_t len;
    const char *json; /* the JSON alert (== line with json_output) */
    size_t json_len;
    uint64_t t_ns; /* CLOCK_MONOTONIC when queued (latency) */
} sgc_alert_msg;

typedef struct sgc_sink sgc_sink;
struct sgc_sink {
    const char *name; /* static: "stdout", "file", "syslog", "program", "http", "nats" */
    int min_priority; /* alerts less severe are skipped (not counted) */
    /* Called from the worker thread before the first alert; may fail (the
     * worker retries on later alerts). NULL: nothing to do. */
    int (*open)(sgc_sink *s, char *err, size_t errlen);
    int (*send)(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen);
    void (*reopen)(sgc_sink *s);
    /* At stop, after the last send: wait up to timeout_ms for deliveries
     * still in flight (NATS acks). NULL: nothing in flight. */
    void (*finish)(sgc_sink *s, uint32_t timeout_ms);
    void (*close)(sgc_sink *s); /* frees s */
    /* alerts that send accepted but that failed later (a JetStream ack that
     * never came); any thread may add */
    _Atomic uint64_t late_failed;
};

struct sgc_conf;
/* Constructors: NULL with a message when the configuration cannot work
 * (checked before anything starts). */
sgc_sink *sgc_sink_stdout_new(bool buffered);
sgc_sink *sgc_sink_file_new(const char *path, bool keep_alive, bool buffered, char *err,
                            size_t errlen);
sgc_sink *sgc_sink_syslog_new(void);
sgc_sink *sgc_sink_program_new(const char *cmd, bool keep_alive);
sgc_sink *sgc_sink_http_new(const struct sgc_conf *c, char *err, size_t errlen);
sgc_sink *sgc_sink_nats_new(const struct sgc_conf *c, char *err, size_t errlen);

/* NATS subject from a template: <priority> and <rule> replaced by
 * falcosidekick's slug (lowercase; runs of other characters than a-z0-9
 * become one '_'; no leading/trailing '_'). */
void sgc_nats_subject(const char *tmpl, int priority, const char *rule, char *out, size_t outlen);

#endif
