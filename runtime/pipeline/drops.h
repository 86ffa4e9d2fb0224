/* Lost events are never silent. The kernel counts records it could not put
 * in the full ring buffer (rb_fail) and records it could not build because
 * every scratch buffer of the CPU was in use (no_scratch: nested hooks); the
 * runtime counts records it could not decode. Each time the counters are read (every stats interval and at
 * exit) new losses are reported on stderr and raised as an internal alert,
 * the way Falco raises "Falco internal: syscall event drop":
 *
 *   rule      "sgc internal: event drop"
 *   priority  Critical
 *   source    "internal"
 *   output    "sgc internal: event drop. N events lost in the last S s (...)"
 *   output_fields  n_drops, n_drops_buffer, n_drops_buffer_total,
 *                  n_drops_scratch, n_decode_errors, n_truncated, n_evts,
 *                  interval_s  (JSON numbers)
 *
 * Such an alert means detection was incomplete during that interval: an
 * event a rule would have matched may be among those lost. */
#ifndef SGC_DROPS_H
#define SGC_DROPS_H

#include "output.h"
#include <stdint.h>
#include <stdio.h>

#define SGC_DROP_RULE "sgc internal: event drop"

/* Events lost in a report (all causes). */
#define SGC_DROP_LOST(r) ((r)->rb_fail + (r)->no_scratch + (r)->decode_errors)

/* Totals since start, as read at one moment. */
typedef struct sgc_loss_totals {
    uint64_t seen;          /* kernel: events of interest seen */
    uint64_t rb_fail;       /* kernel: ring buffer full, record lost */
    uint64_t no_scratch;    /* kernel: no scratch buffer free, record lost */
    uint64_t too_big;       /* kernel: record cut at SGC_RECORD_MAX (not lost) */
    uint64_t decode_errors; /* runtime: records that did not decode */
    uint64_t ts_ns;         /* CLOCK_BOOTTIME when read */
} sgc_loss_totals;

/* New losses between two reads. */
typedef struct sgc_drop_report {
    uint64_t rb_fail, no_scratch, decode_errors, too_big, seen; /* deltas */
    sgc_loss_totals total;
    double interval_s;
} sgc_drop_report;

typedef struct sgc_drops {
    sgc_loss_totals last;
    uint64_t reports; /* drop reports raised so far */
} sgc_drops;

void sgc_drops_init(sgc_drops *d, const sgc_loss_totals *start);

/* Compare with the previous read; true (and *r filled) when events were
 * lost since (rb_fail, no_scratch or decode errors grew). */
bool sgc_drops_check(sgc_drops *d, const sgc_loss_totals *now, sgc_drop_report *r);

/* One line on stderr: "PROG: N events lost in the last S s: ...". */
void sgc_drops_print(FILE *err, const char *prog, const sgc_drop_report *r);

/* The same line through sgc's log (sgclog.h, level warning, prog as its
 * stderr prefix): "PROG: warning: N events lost in the last S s: ...". */
void sgc_drops_log(const char *prog, const sgc_drop_report *r);

/* Render the internal alert (Falco's text line or JSON object, per cfg)
 * with the wall-clock time now_wall_ns; no trailing newline. */
void sgc_drop_alert_render(const sgc_output_config *cfg, const char *hostname,
                           const sgc_drop_report *r, int64_t now_wall_ns, sgc_strbuf *out);

/* Write the internal alert where cfg sends alerts (stdout and/or the file,
 * appended, one flushed line, as the alert sinks do). Alerts below
 * cfg->min_priority are not written. Returns 0, -1 on a write error. */
int sgc_drop_alert_emit(const sgc_output_config *cfg, const sgc_drop_report *r);

#endif
