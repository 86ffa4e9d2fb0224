/* The report's aggregates as one JSON document, for other tools and for the
 * golden tests (the schema is in docs/cli.md, "sgc report"). */
#include "render_common.h"

#include "report_time.h"

#include <jansson.h>

static json_t *time_str(int64_t ns)
{
    char buf[48];
    sgc_rtime_format(ns, true, buf, sizeof buf);
    return json_string(buf);
}

static json_t *bytes(const char *p, size_t n)
{
    json_t *s = json_stringn(p, n);
    return s ? s : json_string("");
}

static json_t *prio_obj(const uint64_t *by_prio)
{
    json_t *o = json_object();
    for (int p = 0; p < SGC_RPRIO_N; p++)
        if (by_prio[p])
            json_object_set_new(o, sgc_rprio_name(p), json_integer((json_int_t)by_prio[p]));
    return o;
}

static json_t *table(const sgc_rtable *t, const char *keyname)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->n; i++) {
        const sgc_rrow *row = &t->rows[i];
        json_t *o = json_object();
        json_object_set_new(o, keyname, bytes(row->key, row->len));
        json_object_set_new(o, "count", json_integer((json_int_t)row->c->total));
        if (t->rows[i].rule)
            json_object_set_new(o, "priority",
                                json_string(sgc_rprio_name(sgc_rcounts_main_prio(row->c))));
        json_object_set_new(o, "by_priority", prio_obj(row->c->by_prio));
        json_object_set_new(o, "first", time_str(row->c->first_ns));
        json_object_set_new(o, "last", time_str(row->c->last_ns));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *recent(const sgc_rtable *rules)
{
    json_t *a = json_array();
    for (size_t i = 0; i < rules->n; i++) {
        const sgc_rrule *ru = rules->rows[i].rule;
        json_t *o = json_object(), *list = json_array();
        json_object_set_new(o, "rule", bytes(rules->rows[i].key, rules->rows[i].len));
        int order[SGC_REPORT_RECENT];
        int n = sgc_rrule_newest_first(ru, order);
        for (int k = 0; k < n; k++) {
            const sgc_rrecent *e = &ru->recent[order[k]];
            json_t *ev = json_object();
            json_object_set_new(ev, "time", time_str(e->time_ns));
            json_object_set_new(ev, "priority", json_string(sgc_rprio_name(e->prio)));
            json_object_set_new(ev, "hostname", json_string(e->hostname ? e->hostname : ""));
            json_object_set_new(ev, "output", json_string(e->output ? e->output : ""));
            json_array_append_new(list, ev);
        }
        json_object_set_new(o, "alerts", list);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *series(const sgc_report_view *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->npoints; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "start", time_str(v->points[i].start_ns));
        json_object_set_new(o, "count", json_integer((json_int_t)v->points[i].total));
        json_object_set_new(o, "by_priority", prio_obj(v->points[i].by_prio));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *inputs(const sgc_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->ninputs; i++) {
        const sgc_rinput *in = &r->inputs[i];
        json_t *o =
            json_pack("{s:s, s:I, s:I, s:I}", "name", in->name, "lines", (json_int_t)in->lines,
                      "alerts", (json_int_t)in->alerts, "malformed", (json_int_t)in->malformed);
        if (o && in->error) json_object_set_new(o, "error", json_string(in->error));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *malformed(const sgc_report *r)
{
    json_t *first = json_array();
    for (int i = 0; i < r->nsamples; i++)
        json_array_append_new(first, json_pack("{s:s, s:I, s:s}", "input", r->samples[i].input,
                                               "line", (json_int_t)r->samples[i].line, "reason",
                                               r->samples[i].reason));
    return json_pack("{s:I, s:o}", "count", (json_int_t)r->malformed, "first", first);
}

int sgc_report_render_json(const sgc_report_view *v, FILE *out)
{
    const sgc_report *r = v->r;
    json_t *doc = json_object();
    json_object_set_new(doc, "report", json_string("sgc alert report"));
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "empty", json_boolean(r->total.total == 0));
    json_object_set_new(doc, "total", json_integer((json_int_t)r->total.total));
    json_object_set_new(doc, "lines", json_integer((json_int_t)r->lines));
    json_object_set_new(doc, "blank_lines", json_integer((json_int_t)r->blank));
    json_object_set_new(doc, "filtered_out", json_integer((json_int_t)r->filtered));
    json_object_set_new(doc, "malformed", malformed(r));
    json_object_set_new(doc, "inputs", inputs(r));
    json_t *range = json_object();
    if (r->opts.has_since) json_object_set_new(range, "since", time_str(r->opts.since_ns));
    if (r->opts.has_until) json_object_set_new(range, "until", time_str(r->opts.until_ns));
    if (r->total.total) {
        json_object_set_new(range, "first", time_str(r->total.first_ns));
        json_object_set_new(range, "last", time_str(r->total.last_ns));
    }
    json_object_set_new(doc, "time_range", range);
    json_object_set_new(doc, "interval_seconds",
                        v->interval_ns % SGC_NS_PER_S
                            ? json_real((double)v->interval_ns / 1e9)
                            : json_integer(v->interval_ns / SGC_NS_PER_S));
    json_object_set_new(doc, "interval_widened", json_boolean(v->widened));
    json_object_set_new(doc, "by_priority", prio_obj(r->total.by_prio));
    json_object_set_new(doc, "by_node", table(&v->nodes, "hostname"));
    json_object_set_new(doc, "by_rule", table(&v->rules, "rule"));
    json_object_set_new(doc, "by_source", table(&v->sources, "source"));
    json_object_set_new(doc, "by_container_image", table(&v->images, "image"));
    json_object_set_new(doc, "by_container", table(&v->containers, "container"));
    json_object_set_new(doc, "by_k8s_namespace", table(&v->namespaces, "namespace"));
    json_object_set_new(doc, "over_time", series(v));
    json_object_set_new(doc, "recent_by_rule", recent(&v->rules));
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(doc);
    if (rc == 0 && fputc('\n', out) == EOF) rc = -1;
    return rc;
}
