/* libFuzzer target: sgc report's alert-line scanner held to jansson (the
 * reference JSON parser): it must accept exactly the JSON objects jansson
 * accepts and extract the same rule, time, hostname, source, output,
 * priority and output_fields values; then the input's lines go through the
 * whole report (aggregation, views, the JSON, text and HTML renderers) and
 * the JSON rendering must parse. No crash, no leak, no sanitizer report. */
#include "alert.h"
#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same(sgc_rstr got, json_t *obj, const char *key)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!json_is_string(v)) return got.p == NULL;
    return got.p && got.n == json_string_length(v) && !memcmp(got.p, json_string_value(v), got.n);
}

static void check_fields(const sgc_alert *a, json_t *j)
{
    json_t *of = json_object_get(j, "output_fields");
    if (!json_is_object(of)) of = NULL;
    json_t *p = json_object_get(j, "priority");
    int prio = json_is_string(p) ? sgc_rprio_parse(json_string_value(p), json_string_length(p))
                                 : SGC_RPRIO_UNKNOWN;
    if (!same(a->rule, j, "rule") || !same(a->time, j, "time") ||
        !same(a->hostname, j, "hostname") || !same(a->source, j, "source") ||
        !same(a->output, j, "output") || a->prio != prio)
        abort();
    if (!same(a->of_cid, of, "container.id") || !same(a->of_cname, of, "container.name") ||
        !same(a->of_image, of, "container.image") ||
        !same(a->of_repo, of, "container.image.repository") ||
        !same(a->of_tag, of, "container.image.tag") || !same(a->of_ns, of, "k8s.ns.name") ||
        !same(a->of_time_iso, of, "evt.time.iso8601"))
        abort();
    json_t *et = of ? json_object_get(of, "evt.time") : NULL;
    if (a->of_time_set != json_is_integer(et) ||
        (a->of_time_set && a->of_time != json_integer_value(et)))
        abort();
}

static void differential(const uint8_t *data, size_t size)
{
    static sgc_alert a; /* reused like the report does; its scratch stays reachable */
    char err[256];
    int rc = sgc_alert_parse(&a, (const char *)data, size, err, sizeof err);
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &je);
    bool deep = strstr(err, "nested too deeply") || (!j && strstr(je.text, "depth"));
    if (!deep) {
        if ((rc != SGC_ALERT_SYNTAX) != (j && json_is_object(j)))
            abort(); /* accepted what jansson rejects, or the reverse */
        if (rc != SGC_ALERT_SYNTAX) check_fields(&a, j);
    }
    json_decref(j);
}

static void whole_report(const uint8_t *data, size_t size)
{
    sgc_report_opts o = {.interval_ns = 1000000000};
    sgc_report r;
    sgc_report_init(&r, &o);
    long in = sgc_report_add_input(&r, "fuzz");
    if (in < 0) abort();
    const char *s = (const char *)data;
    uint64_t line = 0;
    for (size_t start = 0; start <= size;) {
        const char *nl = memchr(s + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - s) : size;
        if (end > start || nl) sgc_report_add_line(&r, (size_t)in, ++line, s + start, end - start);
        start = end + 1;
    }
    sgc_report_view v;
    if (sgc_report_view_build(&r, &v) == 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (sgc_report_render_json(&v, f) < 0) abort();
        fclose(f);
        json_error_t je;
        json_t *doc = json_loadb(buf, len, JSON_ALLOW_NUL, &je);
        if (!doc) /* the JSON rendering is always JSON */
            abort();
        json_decref(doc);
        free(buf);
        f = fopen("/dev/null", "w");
        sgc_report_render_text(&v, f, true);
        sgc_report_render_html(&v, f);
        fclose(f);
        sgc_report_view_free(&v);
    }
    sgc_report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    differential(data, size);
    whole_report(data, size);
    return 0;
}
