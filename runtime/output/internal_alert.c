/* See internal_alert.h. */
#include "internal_alert.h"
#include "hostroot.h"
#include "outq.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Falco's time prefix: local time of day, or ISO 8601 UTC. */
static void put_time(sgc_strbuf *b, int64_t ns, bool iso)
{
    time_t sec = (time_t)(ns / 1000000000);
    struct tm tm;
    char buf[40];
    if (iso)
        gmtime_r(&sec, &tm);
    else
        localtime_r(&sec, &tm);
    strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%S" : "%H:%M:%S", &tm);
    sgc_strbuf_printf(b, iso ? "%s.%09ldZ" : "%s.%09ld", buf, (long)(ns % 1000000000));
}

void sgc_internal_alert_render(const sgc_output_config *cfg, bool json, const char *hostname,
                               int64_t now, int priority, const char *rule, const char *what,
                               const char *fields, sgc_strbuf *out)
{
    const char *pri = sgc_priority_name((sgc_priority)priority);
    sgc_strbuf line = {0};
    put_time(&line, now, cfg->time_iso8601);
    sgc_strbuf_printf(&line, ": %s %s. %s", pri, rule, what);
    if (!json) {
        sgc_strbuf_put(out, line.p, line.len);
        sgc_strbuf_free(&line);
        return;
    }
    sgc_strbuf_puts(out, "{\"hostname\":");
    sgc_strbuf_json_str(out, hostname, strlen(hostname));
    if (cfg->json_include_output) {
        sgc_strbuf_puts(out, ",\"output\":");
        sgc_strbuf_json_str(out, line.p, line.len);
    }
    if (cfg->json_include_output_fields)
        sgc_strbuf_printf(out, ",\"output_fields\":{\"evt.time\":%" PRId64 "%s}", now,
                          fields ? fields : "");
    sgc_strbuf_printf(out, ",\"priority\":\"%s\",\"rule\":", pri);
    sgc_strbuf_json_str(out, rule, strlen(rule));
    sgc_strbuf_puts(out, ",\"source\":\"internal\"");
    if (cfg->json_include_tags) sgc_strbuf_puts(out, ",\"tags\":[]");
    sgc_strbuf_puts(out, ",\"time\":\"");
    put_time(out, now, true);
    sgc_strbuf_puts(out, "\"}");
    sgc_strbuf_free(&line);
}

static int write_line(FILE *f, const sgc_strbuf *b)
{
    if (fwrite(b->p, 1, b->len, f) != b->len || fputc('\n', f) == EOF || fflush(f) != 0) return -1;
    return 0;
}

/* Without a queue: cfg's stdout and file, one flushed line each. */
static int write_direct(const sgc_output_config *cfg, const sgc_strbuf *b)
{
    int rc = 0;
    if (cfg->to_stdout && write_line(stdout, b) != 0) rc = -1;
    if (cfg->file) {
        /* the alert sink keeps its own stream on this file; appending whole
         * flushed lines keeps both writers' lines intact */
        FILE *f = fopen(cfg->file, "a");
        if (!f || write_line(f, b) != 0) rc = -1;
        if (f) fclose(f);
    }
    return rc;
}

int sgc_internal_alert_emit(const sgc_output_config *cfg, int priority, const char *rule,
                            const char *what, const char *fields)
{
    if (priority > cfg->min_priority) return 0;
    char host[256] = "localhost";
    if (cfg->hostname)
        snprintf(host, sizeof host, "%s", cfg->hostname);
    else
        sgc_host_name(host, sizeof host); /* $SGC_HOSTNAME, as the alerts */
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    int64_t now = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
    sgc_strbuf text = {0}, json = {0};
    sgc_internal_alert_render(cfg, cfg->json, host, now, priority, rule, what, fields, &text);
    if (!cfg->json && cfg->queue && sgc_outq_wants_json(cfg->queue))
        sgc_internal_alert_render(cfg, true, host, now, priority, rule, what, fields, &json);
    int rc = text.oom || json.oom || !text.p ? -1 : 0;
    if (!rc && cfg->queue)
        sgc_outq_push(cfg->queue, priority, rule, text.p, text.len, json.p ? json.p : text.p,
                      json.p ? json.len : text.len);
    else if (!rc)
        rc = write_direct(cfg, &text);
    sgc_strbuf_free(&text);
    sgc_strbuf_free(&json);
    return rc;
}
