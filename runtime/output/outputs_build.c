/* See outputs_build.h. */
#include "outputs_build.h"
#include "hostroot.h"
#include "internal_alert.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int add(sgc_outq *q, sgc_sink *s, const char *what, char *err, size_t errlen)
{
    if (!s) {
        if (!err[0]) snprintf(err, errlen, "%s: cannot be set up", what);
        return -1;
    }
    if (sgc_outq_add(q, s) != 0) {
        s->close(s);
        snprintf(err, errlen, "too many outputs");
        return -1;
    }
    return 0;
}

sgc_outq *sgc_outq_from_config(const sgc_conf *c, char *err, size_t errlen)
{
    err[0] = 0;
    sgc_outq *q = sgc_outq_new(c->outputs_queue_capacity);
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char e[512] = "";
    int rc = 0;
    if (c->stdout_enabled)
        rc |= add(q, sgc_sink_stdout_new(c->buffered_outputs), "stdout_output", err, errlen);
    if (!rc && c->file_output.enabled) {
        sgc_sink *s = sgc_sink_file_new(c->file_output.filename, c->file_output.keep_alive,
                                        c->buffered_outputs, e, sizeof e);
        if (!s) snprintf(err, errlen, "file_output: %s", e);
        rc |= add(q, s, "file_output", err, errlen);
    }
    if (!rc && c->syslog_enabled) rc |= add(q, sgc_sink_syslog_new(), "syslog_output", err, errlen);
    if (!rc && c->program_output.enabled)
        rc |= add(q, sgc_sink_program_new(c->program_output.program, c->program_output.keep_alive),
                  "program_output", err, errlen);
    if (!rc && c->http_output.enabled) {
        sgc_sink *s = sgc_sink_http_new(c, e, sizeof e);
        if (!s) snprintf(err, errlen, "http_output: %s", e);
        rc |= add(q, s, "http_output", err, errlen);
    }
    if (!rc && c->nats_output.enabled) {
        sgc_sink *s = sgc_sink_nats_new(c, e, sizeof e);
        if (!s) snprintf(err, errlen, "nats_output: %s", e);
        rc |= add(q, s, "nats_output", err, errlen);
        sgc_outq_set_wants_json(q, !c->json_output);
    }
    if (rc) {
        sgc_outq_free(q);
        return NULL;
    }
    return q;
}

void sgc_output_loss_alert(sgc_outq *q, const sgc_output_config *cfg, const uint64_t *lost_before,
                           const uint64_t *lost_now)
{
    sgc_strbuf what = {0}, fields = {0};
    for (int i = 0; i < sgc_outq_count(q); i++) {
        if (lost_now[i] == lost_before[i]) continue;
        sgc_outq_stats st;
        sgc_outq_get_stats(q, i, &st);
        uint64_t n = lost_now[i] - lost_before[i];
        sgc_strbuf_printf(&what, "%soutput %s lost %" PRIu64 " alert%s (%s)", what.len ? "; " : "",
                          st.name, n, n == 1 ? "" : "s",
                          st.last_error[0] ? st.last_error : "queue full");
        sgc_strbuf_printf(&fields, ",\"%s.lost\":%" PRIu64, st.name, n);
    }
    sgc_output_config qc = *cfg;
    qc.queue = q;
    qc.min_priority = SGC_PRI_DEBUG; /* an output loss is always reported */
    if (what.p)
        sgc_internal_alert_emit(&qc, SGC_PRI_CRITICAL, SGC_OUTPUT_LOSS_RULE, what.p, fields.p);
    sgc_strbuf_free(&what);
    sgc_strbuf_free(&fields);
}
