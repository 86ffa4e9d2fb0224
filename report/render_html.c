/* The report as one self-contained HTML page (see report.h): inline CSS and
 * SVG, no script, nothing fetched. Every chart has a text alternative and a
 * table with its figures; priorities have the same colour in every view;
 * the page prints (print colours kept, cards not split). */
#include "html_util.h"
#include "render_common.h"
#include "report_time.h"

#include <string.h>

extern const char sgc_report_css[];

static void badge(FILE *out, int prio)
{
    fprintf(out, "<span class=\"badge%s\" style=\"background:%s\">%s</span>",
            sgc_html_prio_dark_text(prio) ? " dark" : "", sgc_html_prio_color(prio),
            sgc_rprio_name(prio));
}

static void key_cell(FILE *out, const sgc_rrow *row)
{
    if (row->len)
        sgc_html_esc(out, row->key, row->len);
    else
        fputs("<em>(none)</em>", out);
}

static void head(const sgc_report_view *v, FILE *out)
{
    const sgc_report *r = v->r;
    char t1[32], t2[32], dur[48], gen[32];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"sgc " SGC_VERSION "\">\n<title>sgc alert report",
          out);
    if (r->total.total)
        fprintf(out, " \xe2\x80\x94 %s to %s UTC", sgc_rfmt_time(r->total.first_ns, t1, sizeof t1),
                sgc_rfmt_time(r->total.last_ns, t2, sizeof t2));
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header class=\"top\">\n",
            sgc_report_css);
    fputs(
        "<div><p class=\"eyebrow\">sgc &middot; runtime security</p><h1>Alert report</h1></div>\n",
        out);
    fputs("<div class=\"range\">", out);
    if (r->total.total) {
        sgc_rtime_format_duration(r->total.last_ns - r->total.first_ns, dur, sizeof dur);
        fprintf(out, "<p><time>%s</time> &rarr; ", sgc_rfmt_time(r->total.first_ns, t1, sizeof t1));
        fprintf(out, "<time>%s</time> UTC</p><p class=\"muted\">%s of alerts",
                sgc_rfmt_time(r->total.last_ns, t2, sizeof t2), dur);
    } else {
        fputs("<p>No alerts</p><p class=\"muted\">", out);
    }
    fprintf(out, " &middot; generated %s UTC</p></div>\n</header>\n",
            sgc_rfmt_time(v->generated_ns, gen, sizeof gen));
}

static void kpi(FILE *out, const char *label, uint64_t n, const char *cls, const char *note)
{
    char c[32];
    fprintf(out, "<div class=\"kpi %s\"><p class=\"kpi-label\">%s</p><p class=\"kpi-value\">%s</p>",
            cls, label, sgc_rfmt_count(n, c, sizeof c));
    if (note) fprintf(out, "<p class=\"kpi-note\">%s</p>", note);
    fputs("</div>\n", out);
}

static void kpis(const sgc_report_view *v, FILE *out)
{
    const sgc_report *r = v->r;
    const uint64_t *bp = r->total.by_prio;
    uint64_t severe = bp[SGC_RPRIO_EMERGENCY] + bp[SGC_RPRIO_ALERT] + bp[SGC_RPRIO_CRITICAL];
    char note[96], a[32];
    fputs("<section class=\"kpis\" aria-label=\"Totals\">\n", out);
    kpi(out, "Alerts", r->total.total, "", NULL);
    kpi(out, "Critical or worse", severe, severe ? "hot" : "", "Emergency, Alert, Critical");
    kpi(out, "Nodes", v->nodes.n, "", NULL);
    kpi(out, "Rules triggered", v->rules.n, "", NULL);
    snprintf(note, sizeof note, "of %s lines read", sgc_rfmt_count(r->lines, a, sizeof a));
    kpi(out, "Malformed lines", r->malformed, r->malformed ? "warn" : "", note);
    fputs("</section>\n", out);
}

static void legend(const sgc_report_view *v, FILE *out)
{
    char c[32];
    fputs("<ul class=\"legend\" aria-label=\"Priorities\">", out);
    for (int k = 0; k < SGC_RPRIO_N; k++) {
        int p = sgc_html_prio_order[k];
        if (!v->r->total.by_prio[p]) continue;
        fprintf(out,
                "<li><span class=\"sw\" style=\"background:%s\"></span>%s <span "
                "class=\"muted\">%s</span></li>",
                sgc_html_prio_color(p), sgc_rprio_name(p),
                sgc_rfmt_count(v->r->total.by_prio[p], c, sizeof c));
    }
    fputs("</ul>\n", out);
}

static void over_time(const sgc_report_view *v, FILE *out)
{
    char dur[48], c[32], t[32];
    sgc_rtime_format_duration(v->interval_ns, dur, sizeof dur);
    fputs("<section class=\"card\" id=\"over-time\">\n<h2>Alerts over time</h2>\n", out);
    fprintf(out, "<p class=\"sub\">Stacked by priority, per %s%s</p>\n", dur,
            v->widened ? " (the interval was widened to keep the chart readable)" : "");
    legend(v, out);
    sgc_svg_area(out, v);
    fprintf(out,
            "<details><summary>Data table: %zu intervals</summary>\n<table class=\"data\" "
            "id=\"over-time-table\">"
            "<caption>Alerts per %s interval (UTC)</caption>\n<thead><tr><th "
            "scope=\"col\">Interval start</th>"
            "<th scope=\"col\" class=\"num\">Alerts</th>",
            v->npoints, dur);
    for (int k = 0; k < SGC_RPRIO_N; k++)
        if (v->r->total.by_prio[sgc_html_prio_order[k]])
            fprintf(out, "<th scope=\"col\" class=\"num\">%s</th>",
                    sgc_rprio_name(sgc_html_prio_order[k]));
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < v->npoints; i++) {
        fprintf(out, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td>",
                sgc_rfmt_time(v->points[i].start_ns, t, sizeof t),
                sgc_rfmt_count(v->points[i].total, c, sizeof c));
        for (int k = 0; k < SGC_RPRIO_N; k++)
            if (v->r->total.by_prio[sgc_html_prio_order[k]])
                fprintf(out, "<td class=\"num\">%s</td>",
                        sgc_rfmt_count(v->points[i].by_prio[sgc_html_prio_order[k]], c, sizeof c));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></details>\n</section>\n", out);
}

static void top_rules(const sgc_report_view *v, FILE *out)
{
    size_t n = v->rules.n < SGC_TOP_RULES ? v->rules.n : SGC_TOP_RULES;
    uint64_t total = v->r->total.total, shown = 0;
    char c[32], pct[32], color[8];
    fputs("<section class=\"card\" id=\"top-rules\">\n<h2>Top 10 rules</h2>\n"
          "<p class=\"sub\">Share of all alerts; slices take their rule's priority colour</p>\n"
          "<div class=\"pie-wrap\">\n",
          out);
    sgc_svg_donut(out, v, SGC_TOP_RULES);
    fputs("<table class=\"data pie-table\"><caption>Alerts per rule (top 10)</caption>\n<thead><tr>"
          "<th scope=\"col\"><span class=\"sr-only\">Colour</span></th><th scope=\"col\">Rule</th>"
          "<th scope=\"col\">Priority</th><th scope=\"col\" class=\"num\">Alerts</th>"
          "<th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const sgc_rrow *row = &v->rules.rows[i];
        sgc_svg_slice_color(v, i, n, color);
        fprintf(out,
                "<tr><td><span class=\"sw\" style=\"background:%s\"></span></td><th scope=\"row\">",
                color);
        key_cell(out, row);
        fputs("</th><td>", out);
        badge(out, sgc_rcounts_main_prio(row->c));
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                sgc_rfmt_count(row->c->total, c, sizeof c),
                sgc_rfmt_pct(row->c->total, total, pct, sizeof pct));
        shown += row->c->total;
    }
    if (total > shown) {
        sgc_svg_slice_color(v, n, n, color);
        fprintf(out,
                "<tr class=\"other\"><td><span class=\"sw\" style=\"background:%s\"></span></td>"
                "<th scope=\"row\">Other rules (%zu)</th><td></td><td class=\"num\">%s</td><td "
                "class=\"num\">%s</td></tr>\n",
                color, v->rules.n - n, sgc_rfmt_count(total - shown, c, sizeof c),
                sgc_rfmt_pct(total - shown, total, pct, sizeof pct));
    }
    fputs("</tbody></table>\n</div>\n</section>\n", out);
}

/* A bar of width share (0..1) split into the priorities of counts. */
static void stacked_bar(FILE *out, const uint64_t *by_prio, uint64_t total, double share)
{
    fprintf(out,
            "<div class=\"bar\" aria-hidden=\"true\"><div class=\"fill\" style=\"width:%.2f%%\">",
            share * 100);
    for (int k = 0; k < SGC_RPRIO_N && total; k++) {
        int p = sgc_html_prio_order[k];
        if (by_prio[p])
            fprintf(out, "<span style=\"width:%.3f%%;background:%s\"></span>",
                    100.0 * (double)by_prio[p] / (double)total, sgc_html_prio_color(p));
    }
    fputs("</div></div>", out);
}

static void by_priority(const sgc_report_view *v, FILE *out)
{
    const sgc_rcounts *t = &v->r->total;
    uint64_t max = 1;
    char c[32], pct[32];
    for (int p = 0; p < SGC_RPRIO_N; p++) max = t->by_prio[p] > max ? t->by_prio[p] : max;
    fputs("<section class=\"card\" id=\"by-priority\">\n<h2>Alerts by priority</h2>\n"
          "<p class=\"sub\">From the most severe down</p>\n"
          "<table class=\"data bars\"><caption>Alerts per priority</caption>\n<thead><tr><th "
          "scope=\"col\">Priority</th>"
          "<th scope=\"col\" class=\"barcol\"><span class=\"sr-only\">Bar</span></th><th "
          "scope=\"col\" class=\"num\">Alerts</th>"
          "<th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n",
          out);
    for (int k = 0; k < SGC_RPRIO_N; k++) {
        int p = sgc_html_prio_order[k];
        if (!t->by_prio[p] && p == SGC_RPRIO_UNKNOWN) continue;
        uint64_t one[SGC_RPRIO_N] = {0};
        one[p] = t->by_prio[p];
        fputs("<tr><th scope=\"row\">", out);
        badge(out, p);
        fputs("</th><td class=\"barcol\">", out);
        stacked_bar(out, one, t->by_prio[p], (double)t->by_prio[p] / (double)max);
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                sgc_rfmt_count(t->by_prio[p], c, sizeof c),
                sgc_rfmt_pct(t->by_prio[p], t->total, pct, sizeof pct));
    }
    fputs("</tbody></table>\n</section>\n", out);
}

/* A ranked group table with a stacked priority bar per row. */
static void group_table(const sgc_report_view *v, FILE *out, const char *id, const char *title,
                        const char *sub, const char *keycol, const sgc_rtable *tab, size_t top,
                        bool last_col)
{
    size_t n = tab->n < top ? tab->n : top;
    uint64_t total = v->r->total.total;
    char c[32], pct[32], t[32];
    fprintf(out, "<section class=\"card\" id=\"%s\">\n<h2>%s</h2>\n<p class=\"sub\">%s</p>\n", id,
            title, sub);
    fprintf(out,
            "<table class=\"data bars\"><caption>%s</caption>\n<thead><tr><th scope=\"col\" "
            "class=\"num\">#</th>"
            "<th scope=\"col\">%s</th><th scope=\"col\" class=\"barcol\">By priority</th>"
            "<th scope=\"col\" class=\"num\">Alerts</th><th scope=\"col\" "
            "class=\"num\">Share</th>%s</tr></thead>\n<tbody>\n",
            title, keycol, last_col ? "<th scope=\"col\">Last alert (UTC)</th>" : "");
    for (size_t i = 0; i < n; i++) {
        const sgc_rrow *row = &tab->rows[i];
        fprintf(out, "<tr><td class=\"num rank\">%zu</td><th scope=\"row\" class=\"key\">", i + 1);
        key_cell(out, row);
        fputs("</th><td class=\"barcol\">", out);
        stacked_bar(out, row->c->by_prio, row->c->total,
                    (double)row->c->total / (double)tab->rows[0].c->total);
        fputs("<span class=\"sr-only\">", out);
        for (int k = 0; k < SGC_RPRIO_N; k++) {
            int p = sgc_html_prio_order[k];
            if (row->c->by_prio[p])
                fprintf(out, "%s %s; ", sgc_rprio_name(p),
                        sgc_rfmt_count(row->c->by_prio[p], c, sizeof c));
        }
        fprintf(out, "</span></td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
                sgc_rfmt_count(row->c->total, c, sizeof c),
                sgc_rfmt_pct(row->c->total, total, pct, sizeof pct));
        if (last_col)
            fprintf(out, "<td class=\"time\">%s</td>", sgc_rfmt_time(row->c->last_ns, t, sizeof t));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
    uint64_t rest = 0;
    for (size_t i = n; i < tab->n; i++) rest += tab->rows[i].c->total;
    if (tab->n > n)
        fprintf(out,
                "<p class=\"more\">%zu more, with %s alerts (all of them are in <code>--format "
                "json</code>)</p>\n",
                tab->n - n, sgc_rfmt_count(rest, c, sizeof c));
    fputs("</section>\n", out);
}

static void recent(const sgc_report_view *v, FILE *out)
{
    size_t n = v->rules.n < SGC_RECENT_RULES ? v->rules.n : SGC_RECENT_RULES;
    char c[32], t[32];
    fputs("<section class=\"card\" id=\"recent\">\n<h2>Most recent alerts per rule</h2>\n"
          "<p class=\"sub\">Up to three per rule, newest first, with their output line</p>\n"
          "<table class=\"data recent\"><caption>Most recent alerts per rule</caption>\n<thead><tr>"
          "<th scope=\"col\">Rule</th><th scope=\"col\" class=\"num\">Alerts</th><th "
          "scope=\"col\">Time (UTC)</th>"
          "<th scope=\"col\">Node</th><th scope=\"col\">Output</th></tr></thead>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const sgc_rrow *row = &v->rules.rows[i];
        int order[SGC_REPORT_RECENT];
        int nr = sgc_rrule_newest_first(row->rule, order);
        fputs("<tbody class=\"rule\">\n", out);
        for (int k = 0; k < nr; k++) {
            const sgc_rrecent *e = &row->rule->recent[order[k]];
            fputs("<tr>", out);
            if (k == 0) {
                fprintf(out, "<th scope=\"rowgroup\" rowspan=\"%d\"><span class=\"rule-name\">",
                        nr);
                key_cell(out, row);
                fputs("</span> ", out);
                badge(out, sgc_rcounts_main_prio(row->c));
                fprintf(out, "</th><td class=\"num\" rowspan=\"%d\">%s</td>", nr,
                        sgc_rfmt_count(row->c->total, c, sizeof c));
            }
            fprintf(out, "<td class=\"time\">%s</td><td class=\"node\">",
                    sgc_rfmt_time(e->time_ns, t, sizeof t));
            sgc_html_escz(out, e->hostname[0] ? e->hostname : "-");
            fputs("</td><td><code class=\"output\">", out);
            sgc_html_escz(out, e->output);
            fputs("</code></td></tr>\n", out);
        }
        fputs("</tbody>\n", out);
    }
    fputs("</table>\n", out);
    if (v->rules.n > n)
        fprintf(out,
                "<p class=\"more\">%zu more rules (all of them are in <code>--format "
                "json</code>)</p>\n",
                v->rules.n - n);
    fputs("</section>\n", out);
}

static void inputs(const sgc_report_view *v, FILE *out)
{
    const sgc_report *r = v->r;
    char a[32], b[32], c[32];
    fputs("<section class=\"card\" id=\"inputs\">\n<h2>Inputs</h2>\n<table "
          "class=\"data\"><caption>Files read</caption>\n"
          "<thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Lines</th><th "
          "scope=\"col\" class=\"num\">Alerts</th>"
          "<th scope=\"col\" class=\"num\">Malformed</th><th scope=\"col\">Read "
          "error</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < r->ninputs; i++) {
        const sgc_rinput *in = &r->inputs[i];
        fputs("<tr><th scope=\"row\" class=\"key\">", out);
        sgc_html_escz(out, strcmp(in->name, "-") ? in->name : "(stdin)");
        fprintf(
            out,
            "</th><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>",
            sgc_rfmt_count(in->lines, a, sizeof a), sgc_rfmt_count(in->alerts, b, sizeof b),
            sgc_rfmt_count(in->malformed, c, sizeof c));
        if (in->error) sgc_html_escz(out, in->error);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n<p class=\"sub\">", out);
    fprintf(out, "%s lines: %s alerts, %s blank, %s malformed",
            sgc_rfmt_count(r->lines, a, sizeof a), sgc_rfmt_count(r->total.total, b, sizeof b),
            sgc_rfmt_count(r->blank, c, sizeof c), sgc_rfmt_count(r->malformed, c, sizeof c));
    if (r->opts.has_since || r->opts.has_until) {
        char s1[48], s2[48];
        fprintf(out, ", %s outside ", sgc_rfmt_count(r->filtered, a, sizeof a));
        if (r->opts.has_since) sgc_rtime_format(r->opts.since_ns, false, s1, sizeof s1);
        if (r->opts.has_until) sgc_rtime_format(r->opts.until_ns, false, s2, sizeof s2);
        fprintf(out, "[%s, %s)", r->opts.has_since ? s1 : "&minus;&infin;",
                r->opts.has_until ? s2 : "&infin;");
    }
    fputs(".</p>\n", out);
    if (r->malformed) {
        fputs("<h3>Malformed lines (the first)</h3>\n<ul class=\"malformed\">\n", out);
        for (int i = 0; i < r->nsamples; i++) {
            fputs("<li><code>", out);
            sgc_html_escz(out, r->samples[i].input);
            fprintf(out, ":%llu</code> ", (unsigned long long)r->samples[i].line);
            sgc_html_escz(out, r->samples[i].reason);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("</section>\n", out);
}

static void empty(const sgc_report_view *v, FILE *out)
{
    fputs("<section class=\"card empty\" id=\"empty\">\n<h2>No alerts</h2>\n<p>", out);
    if (v->r->filtered)
        fputs("The input has alerts, but none in the time range asked for (--since/--until).", out);
    else if (v->r->malformed)
        fputs("The input has no valid alert lines: every non-blank line was malformed (see below).",
              out);
    else
        fputs("The input is empty: there is nothing to report. A quiet period is good news.", out);
    fputs("</p>\n</section>\n", out);
}

int sgc_report_render_html(const sgc_report_view *v, FILE *out)
{
    head(v, out);
    if (v->r->total.total) {
        kpis(v, out);
        over_time(v, out);
        top_rules(v, out);
        group_table(v, out, "by-node", "Alerts by node", "Top 20 nodes (hostname) by alerts",
                    "Node", &v->nodes, SGC_TOP_NODES, true);
        fputs("<div class=\"grid2\">\n", out);
        by_priority(v, out);
        if (v->namespaces.n)
            group_table(v, out, "by-namespace", "Alerts by Kubernetes namespace",
                        "Top 10 namespaces", "Namespace", &v->namespaces, SGC_TOP_GROUPS, false);
        if (v->images.n)
            group_table(v, out, "by-image", "Alerts by container image", "Top 10 images", "Image",
                        &v->images, SGC_TOP_GROUPS, false);
        if (v->containers.n)
            group_table(v, out, "by-container", "Alerts by container", "Top 10 containers",
                        "Container", &v->containers, SGC_TOP_GROUPS, false);
        fputs("</div>\n", out);
        recent(v, out);
    } else {
        empty(v, out);
    }
    inputs(v, out);
    fputs("<footer><p>Made by <code>sgc report</code> " SGC_VERSION
          " from Falco-format JSON alerts. "
          "Times are UTC. This page is self-contained: no script, nothing fetched.</p></footer>\n"
          "</main>\n</body>\n</html>\n",
          out);
    return ferror(out) ? -1 : 0;
}
