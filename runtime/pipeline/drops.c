/* See drops.h. */
#include "drops.h"
#include "hostroot.h"

#include "internal_alert.h"
#include "outq.h"
#include "sgclog.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void sgc_drops_init(sgc_drops *d, const sgc_loss_totals *start)
{
    memset(d, 0, sizeof *d);
    d->last = *start;
}

static uint64_t delta(uint64_t now, uint64_t before) { return now > before ? now - before : 0; }

bool sgc_drops_check(sgc_drops *d, const sgc_loss_totals *now, sgc_drop_report *r)
{
    memset(r, 0, sizeof *r);
    r->rb_fail = delta(now->rb_fail, d->last.rb_fail);
    r->no_scratch = delta(now->no_scratch, d->last.no_scratch);
    r->decode_errors = delta(now->decode_errors, d->last.decode_errors);
    r->too_big = delta(now->too_big, d->last.too_big);
    r->seen = delta(now->seen, d->last.seen);
    r->total = *now;
    r->interval_s = (double)delta(now->ts_ns, d->last.ts_ns) / 1e9;
    d->last = *now;
    if (!SGC_DROP_LOST(r)) return false;
    d->reports++;
    return true;
}

static void describe(sgc_strbuf *b, const sgc_drop_report *r)
{
    sgc_strbuf_printf(b,
                      "%" PRIu64 " events lost in the last %.1f s (ring buffer full: %" PRIu64
                      ", undecodable records: %" PRIu64,
                      SGC_DROP_LOST(r), r->interval_s, r->rb_fail, r->decode_errors);
    if (r->no_scratch) sgc_strbuf_printf(b, ", no scratch buffer: %" PRIu64, r->no_scratch);
    sgc_strbuf_printf(b, "; since start: %" PRIu64 " lost)",
                      r->total.rb_fail + r->total.no_scratch + r->total.decode_errors);
}

void sgc_drops_print(FILE *err, const char *prog, const sgc_drop_report *r)
{
    sgc_strbuf b = {0};
    describe(&b, r);
    fprintf(err, "%s: warning: %s; detection was incomplete\n", prog, b.p ? b.p : "events lost");
    sgc_strbuf_free(&b);
}

void sgc_drops_log(const char *prog, const sgc_drop_report *r)
{
    sgc_strbuf b = {0};
    describe(&b, r);
    sgc_log(SGC_LOG_WARNING, prog, "warning: %s; detection was incomplete",
            b.p ? b.p : "events lost");
    sgc_strbuf_free(&b);
}

/* output_fields beyond evt.time, Falco's names for the drop counters */
static void drop_fields(sgc_strbuf *b, const sgc_drop_report *r)
{
    sgc_strbuf_printf(b,
                      ",\"interval_s\":%.3f,\"n_decode_errors\":%" PRIu64 ",\"n_drops\":%" PRIu64
                      ",\"n_drops_buffer\":%" PRIu64 ",\"n_drops_buffer_total\":%" PRIu64
                      ",\"n_drops_scratch\":%" PRIu64 ",\"n_evts\":%" PRIu64
                      ",\"n_truncated\":%" PRIu64,
                      r->interval_s, r->decode_errors, SGC_DROP_LOST(r), r->rb_fail,
                      r->total.rb_fail, r->no_scratch, r->seen, r->too_big);
}

void sgc_drop_alert_render(const sgc_output_config *cfg, const char *hostname,
                           const sgc_drop_report *r, int64_t now_wall_ns, sgc_strbuf *out)
{
    sgc_strbuf what = {0}, fields = {0};
    describe(&what, r);
    drop_fields(&fields, r);
    sgc_internal_alert_render(cfg, cfg->json, hostname, now_wall_ns, SGC_PRI_CRITICAL,
                              SGC_DROP_RULE, what.p, fields.p, out);
    sgc_strbuf_free(&what);
    sgc_strbuf_free(&fields);
}

int sgc_drop_alert_emit(const sgc_output_config *cfg, const sgc_drop_report *r)
{
    sgc_strbuf what = {0}, fields = {0};
    describe(&what, r);
    drop_fields(&fields, r);
    int rc = what.oom || fields.oom
                 ? -1
                 : sgc_internal_alert_emit(cfg, SGC_PRI_CRITICAL, SGC_DROP_RULE, what.p, fields.p);
    sgc_strbuf_free(&what);
    sgc_strbuf_free(&fields);
    return rc;
}
