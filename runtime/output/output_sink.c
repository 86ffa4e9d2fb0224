/* Where alerts go: stdout and/or a file (appended; kept open, or reopened
 * for every alert so that log rotation by rename works), each alert one
 * line, flushed at once. */
#include "output.h"
#include "hostroot.h"

#include "outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sgc_outputs {
    sgc_output_config cfg;
    char hostname[256];
    char *file;
    FILE *fp;  /* the file when kept open */
    FILE *out; /* stdout, or a test stream */
    sgc_strbuf line, json;
    sgc_output_stats st;
};

void sgc_output_config_defaults(sgc_output_config *c)
{
    memset(c, 0, sizeof *c);
    c->min_priority = SGC_PRI_DEBUG;
    c->to_stdout = true;
    c->file_keep_alive = true;
    c->json_include_output = true;
    c->json_include_tags = true;
    c->json_include_output_fields = true;
}

sgc_outputs *sgc_outputs_open(const sgc_output_config *cfg, char *err, size_t errlen)
{
    sgc_outputs *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    o->cfg = *cfg;
    o->out = stdout;
    if (cfg->hostname)
        snprintf(o->hostname, sizeof o->hostname, "%s", cfg->hostname);
    else if (sgc_host_name(o->hostname, sizeof o->hostname) != 0)
        snprintf(o->hostname, sizeof o->hostname, "localhost");
    o->cfg.hostname = o->hostname;
    if (cfg->file && !cfg->queue) {
        o->file = strdup(cfg->file);
        o->cfg.file = o->file;
        /* Open once now, so a bad path is an error at start, not at the
         * first alert. */
        FILE *f = o->file ? fopen(o->file, "a") : NULL;
        if (!f) {
            snprintf(err, errlen, "cannot open output file '%s': %s", cfg->file, strerror(errno));
            free(o->file);
            free(o);
            return NULL;
        }
        if (cfg->file_keep_alive)
            o->fp = f;
        else
            fclose(f);
    }
    return o;
}

bool sgc_outputs_wants(const sgc_outputs *o, sgc_priority p)
{
    /* priorities count up from emergency (0) to debug (7) */
    return (int)p <= o->cfg.min_priority;
}

/* One whole line: the stream stays locked so the alerts of another source's
 * thread (k8s_audit) never interleave with it. */
static int write_line(FILE *f, const sgc_strbuf *b)
{
    flockfile(f);
    int rc = fwrite(b->p, 1, b->len, f) != b->len || fputc('\n', f) == EOF || fflush(f) != 0;
    funlockfile(f);
    return rc ? -1 : 0;
}

int sgc_outputs_emit(sgc_outputs *o, const sgc_alert *a, sgc_extract_ctx *cx)
{
    if (!sgc_outputs_wants(o, a->priority)) {
        o->st.filtered++;
        return 0;
    }
    if (o->cfg.on_alert) o->cfg.on_alert(o->cfg.on_alert_ud, a->rule, (int)a->priority);
    o->line.len = 0;
    o->line.oom = false;
    sgc_alert_render(&o->cfg, o->hostname, a, cx, &o->line);
    if (o->line.oom || !o->line.p) {
        o->st.write_errors++;
        return -1;
    }
    if (o->cfg.queue) {
        /* rendered once; the JSON form too when an output needs it */
        const char *json = o->line.p;
        size_t json_len = o->line.len;
        if (!o->cfg.json && sgc_outq_wants_json(o->cfg.queue)) {
            sgc_output_config jc = o->cfg;
            jc.json = true;
            o->json.len = 0;
            o->json.oom = false;
            sgc_alert_render(&jc, o->hostname, a, cx, &o->json);
            if (o->json.oom || !o->json.p) {
                o->st.write_errors++;
                return -1;
            }
            json = o->json.p;
            json_len = o->json.len;
        }
        sgc_outq_push(o->cfg.queue, (int)a->priority, a->rule, o->line.p, o->line.len, json,
                      json_len);
        o->st.emitted++;
        return 0;
    }
    int rc = 0;
    if (o->cfg.to_stdout && write_line(o->out, &o->line) != 0) rc = -1;
    if (o->file) {
        FILE *f = o->fp ? o->fp : fopen(o->file, "a");
        if (!f || write_line(f, &o->line) != 0) rc = -1;
        if (f && !o->fp) fclose(f);
    }
    if (rc)
        o->st.write_errors++;
    else
        o->st.emitted++;
    return rc;
}

void sgc_outputs_get_stats(const sgc_outputs *o, sgc_output_stats *st) { *st = o->st; }

void sgc_outputs_set_stream(sgc_outputs *o, FILE *f) { o->out = f ? f : stdout; }

void sgc_outputs_close(sgc_outputs *o)
{
    if (!o) return;
    if (o->fp) fclose(o->fp);
    free(o->file);
    sgc_strbuf_free(&o->line);
    sgc_strbuf_free(&o->json);
    free(o);
}
