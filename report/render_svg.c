/* The report's two SVG charts: alerts over time as areas stacked by
 * priority (one point per interval), and the top rules as a donut whose
 * slices carry their counts (data-count) and sum to the total. Plain SVG,
 * colours as attributes, <title> tooltips: no script, nothing fetched. */
#include "html_util.h"
#include "render_common.h"
#include "report_time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AW 1000.0
#define AH 300.0
#define PL 64.0
#define PR 20.0
#define PT 14.0
#define PB 40.0

/* A step of 1, 2 or 5 times a power of ten, so that max needs about 4 of them. */
static uint64_t nice_step(uint64_t max)
{
    uint64_t want = max / 4 ? max / 4 : 1, p = 1;
    while (p * 10 <= want) p *= 10;
    return want <= p ? p : want <= 2 * p ? 2 * p : want <= 5 * p ? 5 * p : 10 * p;
}

static double ax(const sgc_report_view *v, size_t i)
{
    if (v->npoints < 2) return i ? AW - PR : PL;
    return PL + (AW - PL - PR) * (double)i / (double)(v->npoints - 1);
}

static double ay(uint64_t val, uint64_t ymax)
{
    return PT + (AH - PT - PB) * (1.0 - (double)val / (double)ymax);
}

static void y_axis(FILE *out, uint64_t ymax, uint64_t step)
{
    fputs("<g class=\"grid\" aria-hidden=\"true\">", out);
    for (uint64_t t = 0; t <= ymax; t += step) {
        char c[32];
        double y = ay(t, ymax);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>",
                PL, y, AW - PR, y, t ? "#e4e7ec" : "#98a2b3");
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\" "
                "fill=\"#475467\">%s</text>",
                PL - 8, y + 4, sgc_rfmt_count(t, c, sizeof c));
    }
    fputs("</g>\n", out);
}

/* Time labels at round times (1m, 5m, 1h, 1d ...) about 8 across. */
static void x_axis(FILE *out, const sgc_report_view *v)
{
    static const int64_t steps_s[] = {1,     2,     5,      10,     15,      30,      60,    120,
                                      300,   600,   900,    1800,   3600,    7200,    10800, 21600,
                                      43200, 86400, 172800, 604800, 2592000, 31536000};
    int64_t t0 = v->points[0].start_ns, t1 = v->points[v->npoints - 1].start_ns;
    int64_t span = t1 - t0, step = 0;
    for (size_t k = 0; k < sizeof steps_s / sizeof steps_s[0] && !step; k++) {
        int64_t s = steps_s[k] * SGC_NS_PER_S;
        if (s >= v->interval_ns && s % v->interval_ns == 0 && s * 8 >= span) step = s;
    }
    if (!step) step = span / 8 / v->interval_ns * v->interval_ns + v->interval_ns;
    fputs("<g class=\"xaxis\" aria-hidden=\"true\">", out);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#98a2b3\"/>", PL,
            AH - PB, AW - PR, AH - PB);
    bool days = span >= 86400 * SGC_NS_PER_S || step >= 86400 * SGC_NS_PER_S;
    int64_t first = sgc_rtime_floor_div(t0 + step - 1, step) * step;
    for (int64_t t = first; t <= t1 || (span == 0 && t == first); t += step) {
        double x = span ? PL + (AW - PL - PR) * (double)(t - t0) / (double)span : PL;
        char iso[48];
        sgc_rtime_format(t, false, iso, sizeof iso);
        const char *label = iso + 11; /* HH:MM:SS */
        iso[step % (60 * SGC_NS_PER_S) ? 19 : 16] = '\0';
        if (days && step >= 86400 * SGC_NS_PER_S) {
            iso[10] = '\0';
            label = iso + 5; /* MM-DD */
        } else if (days) {
            iso[10] = ' ';
            label = iso + 5; /* MM-DD HH:MM */
        }
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#98a2b3\"/>",
                x, AH - PB, x, AH - PB + 5);
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                "fill=\"#475467\">%s</text>",
                x, AH - PB + 19, label);
        if (span == 0) break;
    }
    fprintf(out,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\" "
            "fill=\"#667085\">time (UTC)</text>",
            AW - PR, AH - 4);
    fputs("</g>\n", out);
}

/* One priority's band: its top edge left to right, then its base back. */
static void layer(FILE *out, const sgc_report_view *v, int prio, uint64_t *cum, uint64_t ymax)
{
    char c[32];
    fprintf(
        out,
        "<path class=\"area\" data-priority=\"%s\" fill=\"%s\" fill-opacity=\"0.9\" stroke=\"%s\" "
        "stroke-width=\"0.6\" d=\"M",
        sgc_rprio_name(prio), sgc_html_prio_color(prio), sgc_html_prio_color(prio));
    size_t n = v->npoints;
    bool one = n == 1; /* a single interval is drawn as a band across the plot */
    for (size_t i = 0; i < (one ? 2 : n); i++) {
        const sgc_rpoint *p = &v->points[one ? 0 : i];
        fprintf(out, "%s%.1f,%.1f", i ? " " : "", ax(v, i),
                ay(cum[one ? 0 : i] + p->by_prio[prio], ymax));
    }
    for (size_t i = one ? 2 : n; i-- > 0;)
        fprintf(out, " %.1f,%.1f", ax(v, i), ay(cum[one ? 0 : i], ymax));
    fprintf(out, " Z\"><title>%s: %s alerts</title></path>\n", sgc_rprio_name(prio),
            sgc_rfmt_count(v->r->total.by_prio[prio], c, sizeof c));
    for (size_t i = 0; i < n; i++) cum[i] += v->points[i].by_prio[prio];
}

/* Invisible columns with a tooltip per interval (when not too many). */
static void hover_columns(FILE *out, const sgc_report_view *v)
{
    if (v->npoints > 400 || v->npoints < 2) return;
    double w = (AW - PL - PR) / (double)(v->npoints - 1);
    fputs("<g class=\"hover\">", out);
    for (size_t i = 0; i < v->npoints; i++) {
        char t[32], c[32];
        double x = ax(v, i) - w / 2;
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"transparent\"><title>%s UTC: %s",
                x < PL ? PL : x, PT, w, AH - PT - PB,
                sgc_rfmt_time(v->points[i].start_ns, t, sizeof t),
                sgc_rfmt_count(v->points[i].total, c, sizeof c));
        fputs(" alerts", out);
        for (int k = 0; k < SGC_RPRIO_N; k++) {
            int p = sgc_html_prio_order[k];
            if (v->points[i].by_prio[p])
                fprintf(out, "\n%s: %s", sgc_rprio_name(p),
                        sgc_rfmt_count(v->points[i].by_prio[p], c, sizeof c));
        }
        fputs("</title></rect>", out);
    }
    fputs("</g>\n", out);
}

void sgc_svg_area(FILE *out, const sgc_report_view *v)
{
    uint64_t max = 1, peak_at = 0;
    for (size_t i = 0; i < v->npoints; i++)
        if (v->points[i].total > max) {
            max = v->points[i].total;
            peak_at = i;
        }
    uint64_t step = nice_step(max), ymax = (max + step - 1) / step * step;
    char dur[48], t0[32], t1[32], pk[32], pc[32];
    sgc_rtime_format_duration(v->interval_ns, dur, sizeof dur);
    fprintf(out,
            "<svg class=\"chart area-chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-labelledby=\"area-title area-desc\" data-intervals=\"%zu\">\n",
            AW, AH, v->npoints);
    fprintf(out, "<title id=\"area-title\">Alerts over time, stacked by priority, per %s</title>\n",
            dur);
    fprintf(out,
            "<desc id=\"area-desc\">%zu intervals from %s to %s UTC; the busiest, at %s, had %s "
            "alerts. "
            "The table below the chart lists every interval.</desc>\n",
            v->npoints, sgc_rfmt_time(v->points[0].start_ns, t0, sizeof t0),
            sgc_rfmt_time(v->points[v->npoints - 1].start_ns + v->interval_ns, t1, sizeof t1),
            sgc_rfmt_time(v->points[peak_at].start_ns, pk, sizeof pk),
            sgc_rfmt_count(max, pc, sizeof pc));
    y_axis(out, ymax, step);
    uint64_t *cum = calloc(v->npoints, sizeof *cum);
    if (cum) {
        for (int k = 0; k < SGC_RPRIO_N; k++) {
            int p = sgc_html_prio_order[k];
            if (v->r->total.by_prio[p]) layer(out, v, p, cum, ymax);
        }
        /* the total as a line on top: one point per interval */
        fputs(
            "<polyline class=\"total-line\" fill=\"none\" stroke=\"#1d2939\" stroke-width=\"1.4\" "
            "stroke-linejoin=\"round\" points=\"",
            out);
        for (size_t i = 0; i < v->npoints; i++)
            fprintf(out, "%s%.1f,%.1f", i ? " " : "", ax(v, v->npoints == 1 ? 0 : i),
                    ay(cum[i], ymax));
        fputs("\"/>\n", out);
        free(cum);
    }
    x_axis(out, v);
    hover_columns(out, v);
    fputs("</svg>\n", out);
}

/* ---- donut ------------------------------------------------------------------- */

#define CX 150.0
#define CY 150.0
#define RO 140.0
#define RI 84.0

void sgc_svg_slice_color(const sgc_report_view *v, size_t i, size_t top, char buf[8])
{
    if (i >= top || i >= v->rules.n) {
        snprintf(buf, 8, "#d0d5dd");
        return;
    }
    int prio = sgc_rcounts_main_prio(v->rules.rows[i].c);
    int same = 0; /* earlier slices of the same priority: lighter shades */
    for (size_t k = 0; k < i; k++) same += sgc_rcounts_main_prio(v->rules.rows[k].c) == prio;
    static const double tints[] = {0.0, 0.28, 0.5, 0.15, 0.38, 0.6};
    sgc_html_tint(prio, tints[same % 6], buf);
}

static void slice(FILE *out, double a0, double a1, const char *color, const char *label,
                  size_t label_n, uint64_t count, uint64_t total)
{
    char c[32], pct[32];
    if (a1 - a0 >= 2 * M_PI - 1e-9) { /* the whole ring */
        fprintf(out,
                "<circle class=\"slice\" data-count=\"%llu\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                "fill=\"none\" "
                "stroke=\"%s\" stroke-width=\"%.1f\">",
                (unsigned long long)count, CX, CY, (RO + RI) / 2, color, RO - RI);
    } else {
        int large = a1 - a0 > M_PI;
        fprintf(out,
                "<path class=\"slice\" data-count=\"%llu\" fill=\"%s\" stroke=\"#ffffff\" "
                "stroke-width=\"1.5\" "
                "d=\"M%.2f,%.2f A%.1f,%.1f 0 %d 1 %.2f,%.2f L%.2f,%.2f A%.1f,%.1f 0 %d 0 %.2f,%.2f "
                "Z\">",
                (unsigned long long)count, color, CX + RO * cos(a0), CY + RO * sin(a0), RO, RO,
                large, CX + RO * cos(a1), CY + RO * sin(a1), CX + RI * cos(a1), CY + RI * sin(a1),
                RI, RI, large, CX + RI * cos(a0), CY + RI * sin(a0));
    }
    fputs("<title>", out);
    sgc_html_esc(out, label, label_n);
    fprintf(out, ": %s alerts (%s)</title>", sgc_rfmt_count(count, c, sizeof c),
            sgc_rfmt_pct(count, total, pct, sizeof pct));
    fputs(a1 - a0 >= 2 * M_PI - 1e-9 ? "</circle>\n" : "</path>\n", out);
}

void sgc_svg_donut(FILE *out, const sgc_report_view *v, size_t top)
{
    uint64_t total = v->r->total.total, shown = 0;
    size_t n = v->rules.n < top ? v->rules.n : top;
    char c[32];
    fprintf(out,
            "<svg class=\"chart donut\" viewBox=\"0 0 300 300\" role=\"img\" "
            "aria-labelledby=\"pie-title pie-desc\" data-total=\"%llu\">\n",
            (unsigned long long)total);
    fprintf(out, "<title id=\"pie-title\">Top %zu rules by alerts</title>\n", n);
    fputs("<desc id=\"pie-desc\">Share of all alerts per rule", out);
    if (n) {
        fputs("; the largest is ", out);
        sgc_html_esc(out, v->rules.rows[0].key, v->rules.rows[0].len);
        fprintf(out, " with %s alerts", sgc_rfmt_count(v->rules.rows[0].c->total, c, sizeof c));
    }
    fputs(". The table next to the chart lists every slice.</desc>\n", out);
    double a = -M_PI / 2;
    for (size_t i = 0; i <= n; i++) {
        uint64_t cnt = i < n ? v->rules.rows[i].c->total : total - shown;
        if (i == n && cnt == 0) break;
        double a1 =
            shown + cnt == total ? 3 * M_PI / 2 : a + 2 * M_PI * (double)cnt / (double)total;
        char color[8];
        sgc_svg_slice_color(v, i, n, color);
        if (i < n)
            slice(out, a, a1, color, v->rules.rows[i].key, v->rules.rows[i].len, cnt, total);
        else
            slice(out, a, a1, color, "Other rules", 11, cnt, total);
        shown += cnt;
        a = a1;
    }
    sgc_rfmt_count(total, c, sizeof c);
    size_t len = strlen(c); /* the number must fit inside the ring */
    fprintf(
        out,
        "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"%d\" font-weight=\"700\" "
        "fill=\"#101828\">%s</text>",
        CX, CY + 4,
        len <= 6   ? 32
        : len <= 9 ? 26
                   : 20,
        c);
    fprintf(out,
            "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"13\" "
            "fill=\"#475467\">alerts</text>\n",
            CX, CY + 24);
    fputs("</svg>\n", out);
}
