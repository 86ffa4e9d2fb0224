/* See drops.h. */
#include "drops.h"
#include "hostroot.h"

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

/* Falco's time prefix: local time of day, or ISO 8601 UTC. */
static void put_time(sgc_strbuf *b, int64_t ns, bool iso)
{
    time_t sec = (time_t)(ns / 1000000000);
    long frac = (long)(ns % 1000000000);
    struct tm tm;
    char buf[40];
    if (iso)
        gmtime_r(&sec, &tm);
    else
        localtime_r(&sec, &tm);
    strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%S" : "%H:%M:%S", &tm);
    sgc_strbuf_printf(b, iso ? "%s.%09ldZ" : "%s.%09ld", buf, frac);
}

void sgc_drop_alert_render(const sgc_output_config *cfg, const char *hostname,
                           const sgc_drop_report *r, int64_t now_wall_ns, sgc_strbuf *out)
{
    sgc_strbuf line = {0};
    put_time(&line, now_wall_ns, cfg->time_iso8601);
    sgc_strbuf_printf(&line, ": %s " SGC_DROP_RULE ". ", sgc_priority_name(SGC_PRI_CRITICAL));
    describe(&line, r);
    if (!cfg->json) {
        sgc_strbuf_put(out, line.p, line.len);
        sgc_strbuf_free(&line);
        return;
    }
    /* keys sorted, as the rule alerts */
    sgc_strbuf_puts(out, "{\"hostname\":");
    sgc_strbuf_json_str(out, hostname, strlen(hostname));
    if (cfg->json_include_output) {
        sgc_strbuf_puts(out, ",\"output\":");
        sgc_strbuf_json_str(out, line.p, line.len);
    }
    if (cfg->json_include_output_fields)
        sgc_strbuf_printf(out,
                          ",\"output_fields\":{\"evt.time\":%" PRId64 ",\"interval_s\":%.3f"
                          ",\"n_decode_errors\":%" PRIu64 ",\"n_drops\":%" PRIu64
                          ",\"n_drops_buffer\":%" PRIu64 ",\"n_drops_buffer_total\":%" PRIu64
                          ",\"n_drops_scratch\":%" PRIu64 ",\"n_evts\":%" PRIu64
                          ",\"n_truncated\":%" PRIu64 "}",
                          now_wall_ns, r->interval_s, r->decode_errors, SGC_DROP_LOST(r),
                          r->rb_fail, r->total.rb_fail, r->no_scratch, r->seen, r->too_big);
    sgc_strbuf_printf(out, ",\"priority\":\"%s\",\"rule\":\"" SGC_DROP_RULE "\"",
                      sgc_priority_name(SGC_PRI_CRITICAL));
    sgc_strbuf_puts(out, ",\"source\":\"internal\"");
    if (cfg->json_include_tags) sgc_strbuf_puts(out, ",\"tags\":[]");
    sgc_strbuf_puts(out, ",\"time\":\"");
    put_time(out, now_wall_ns, true);
    sgc_strbuf_puts(out, "\"}");
    sgc_strbuf_free(&line);
}

static int write_line(FILE *f, const sgc_strbuf *b)
{
    if (fwrite(b->p, 1, b->len, f) != b->len || fputc('\n', f) == EOF || fflush(f) != 0) return -1;
    return 0;
}

int sgc_drop_alert_emit(const sgc_output_config *cfg, const sgc_drop_report *r)
{
    if ((int)SGC_PRI_CRITICAL > cfg->min_priority) return 0;
    char host[256] = "";
    if (cfg->hostname)
        snprintf(host, sizeof host, "%s", cfg->hostname);
    else if (sgc_host_name(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sgc_strbuf b = {0};
    int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    sgc_drop_alert_render(cfg, host, r, now_ns, &b);
    int rc = b.oom || !b.p ? -1 : 0;
    if (!rc && cfg->queue) {
        sgc_strbuf j = {0};
        if (!cfg->json && sgc_outq_wants_json(cfg->queue)) {
            sgc_output_config jc = *cfg;
            jc.json = true;
            sgc_drop_alert_render(&jc, host, r, now_ns, &j);
        }
        sgc_outq_push(cfg->queue, SGC_PRI_CRITICAL, SGC_DROP_RULE, b.p, b.len, j.p ? j.p : b.p,
                      j.p ? j.len : b.len);
        sgc_strbuf_free(&j);
        sgc_strbuf_free(&b);
        return 0;
    }
    if (!rc && cfg->to_stdout && write_line(stdout, &b) != 0) rc = -1;
    if (!rc && cfg->file) {
        /* the alert sink keeps its own stream on this file; appending whole
         * flushed lines keeps both writers' lines intact */
        FILE *f = fopen(cfg->file, "a");
        if (!f || write_line(f, &b) != 0) rc = -1;
        if (f) fclose(f);
    }
    sgc_strbuf_free(&b);
    return rc;
}
