/* The report as aligned text tables for a terminal; with bars drawn in block
 * characters when the output is one (see report.h). */
#include "render_common.h"
#include "report_time.h"
#include "text_table.h"

#include <string.h>

#define BAR_WIDTH 30

static void heading(FILE *out, const char *title)
{
    fprintf(out, "\n%s\n", title);
    for (size_t i = sgc_tt_width(title); i > 0; i--) fputc('-', out);
    fputc('\n', out);
}

static void summary(const sgc_report_view *v, FILE *out)
{
    const sgc_report *r = v->r;
    char a[32], b[32], c[32], d[32], t1[32], t2[32], dur[48];
    fputs("sgc alert report\n================\n", out);
    if (r->total.total == 0) {
        fputs("No alerts in the input", out);
        if (r->filtered) fputs(" (none inside --since/--until)", out);
        fputs(".\n", out);
    } else {
        sgc_rtime_format_duration(r->total.last_ns - r->total.first_ns, dur, sizeof dur);
        fprintf(out, "Alerts: %s from %s to %s UTC (%s); %zu nodes, %zu rules\n",
                sgc_rfmt_count(r->total.total, a, sizeof a),
                sgc_rfmt_time(r->total.first_ns, t1, sizeof t1),
                sgc_rfmt_time(r->total.last_ns, t2, sizeof t2), dur, v->nodes.n, v->rules.n);
    }
    fprintf(out, "Lines: %s read, %s blank, %s malformed, %s outside --since/--until\n",
            sgc_rfmt_count(r->lines, a, sizeof a), sgc_rfmt_count(r->blank, b, sizeof b),
            sgc_rfmt_count(r->malformed, c, sizeof c), sgc_rfmt_count(r->filtered, d, sizeof d));
    for (size_t i = 0; i < r->ninputs; i++)
        if (r->inputs[i].error)
            fprintf(out, "Read error: %s: %s\n", r->inputs[i].name, r->inputs[i].error);
}

static void by_priority(const sgc_report_view *v, FILE *out, bool bars)
{
    static const char *const cols[] = {"PRIORITY", ">ALERTS", ">SHARE"};
    const sgc_report *r = v->r;
    uint64_t max = 0;
    for (int p = 0; p < SGC_RPRIO_N; p++)
        max = r->total.by_prio[p] > max ? r->total.by_prio[p] : max;
    sgc_ttable t;
    sgc_tt_init(&t, 3, cols);
    for (int p = 0; p < SGC_RPRIO_N; p++) {
        uint64_t n = r->total.by_prio[p];
        if (!n) continue;
        char a[32], b[32];
        sgc_tt_row(&t, (double)n / (double)max);
        sgc_tt_cellf(&t, 0, "%s", sgc_rprio_name(p));
        sgc_tt_cellf(&t, 1, "%s", sgc_rfmt_count(n, a, sizeof a));
        sgc_tt_cellf(&t, 2, "%s", sgc_rfmt_pct(n, r->total.total, b, sizeof b));
    }
    heading(out, "Alerts by priority");
    sgc_tt_print(&t, out, bars, BAR_WIDTH);
    sgc_tt_free(&t);
}

/* A group table (nodes, rules, images ...): top `top` rows plus "others". */
static void groups(const sgc_report_view *v, FILE *out, bool bars, const char *title,
                   const char *keycol, const sgc_rtable *tab, size_t top, bool with_prio)
{
    const char *cols[] = {"#", keycol, ">ALERTS", ">SHARE", "PRIORITY", "LAST ALERT"};
    if (!with_prio) cols[4] = "MOSTLY";
    uint64_t total = v->r->total.total, shown = 0;
    sgc_ttable t;
    sgc_tt_init(&t, 6, cols);
    size_t n = tab->n < top ? tab->n : top;
    for (size_t i = 0; i < n; i++) {
        const sgc_rrow *row = &tab->rows[i];
        char a[32], b[32], c[32];
        shown += row->c->total;
        sgc_tt_row(&t, (double)row->c->total / (double)tab->rows[0].c->total);
        sgc_tt_cellf(&t, 0, "%zu", i + 1);
        if (row->len)
            sgc_tt_cell(&t, 1, row->key, row->len);
        else
            sgc_tt_cellf(&t, 1, "(none)");
        sgc_tt_cellf(&t, 2, "%s", sgc_rfmt_count(row->c->total, a, sizeof a));
        sgc_tt_cellf(&t, 3, "%s", sgc_rfmt_pct(row->c->total, total, b, sizeof b));
        sgc_tt_cellf(&t, 4, "%s", sgc_rprio_name(sgc_rcounts_main_prio(row->c)));
        sgc_tt_cellf(&t, 5, "%s", sgc_rfmt_time(row->c->last_ns, c, sizeof c));
    }
    heading(out, title);
    sgc_tt_print(&t, out, bars, BAR_WIDTH);
    if (tab->n > n) {
        char a[32];
        fprintf(out, "  ... %zu more, %s alerts\n", tab->n - n,
                sgc_rfmt_count(total - shown, a, sizeof a));
    }
    sgc_tt_free(&t);
}

static void over_time(const sgc_report_view *v, FILE *out, bool bars)
{
    const char *cols[SGC_TT_MAXCOLS] = {"INTERVAL START (UTC)", ">ALERTS"};
    int prios[SGC_RPRIO_N], np = 0;
    for (int p = 0; p < SGC_RPRIO_N; p++)
        if (v->r->total.by_prio[p] && np + 2 < SGC_TT_MAXCOLS) prios[np++] = p;
    char hdrs[SGC_RPRIO_N][24];
    for (int i = 0; i < np; i++) {
        snprintf(hdrs[i], sizeof hdrs[i], ">%s", sgc_rprio_name(prios[i]));
        cols[2 + i] = hdrs[i];
    }
    uint64_t max = 1;
    for (size_t i = 0; i < v->npoints; i++)
        max = v->points[i].total > max ? v->points[i].total : max;
    sgc_ttable t;
    sgc_tt_init(&t, 2 + np, cols);
    for (size_t i = 0; i < v->npoints; i++) {
        const sgc_rpoint *pt = &v->points[i];
        char a[32];
        sgc_tt_row(&t, (double)pt->total / (double)max);
        sgc_tt_cellf(&t, 0, "%s", sgc_rfmt_time(pt->start_ns, a, sizeof a));
        sgc_tt_cellf(&t, 1, "%s", sgc_rfmt_count(pt->total, a, sizeof a));
        for (int k = 0; k < np; k++)
            sgc_tt_cellf(&t, 2 + k, "%s", sgc_rfmt_count(pt->by_prio[prios[k]], a, sizeof a));
    }
    char dur[48], title[160];
    sgc_rtime_format_duration(v->interval_ns, dur, sizeof dur);
    snprintf(title, sizeof title, "Alerts over time (per %s%s)", dur,
             v->widened ? ", widened to keep the series short" : "");
    heading(out, title);
    sgc_tt_print(&t, out, bars, BAR_WIDTH);
    sgc_tt_free(&t);
}

static void recent(const sgc_report_view *v, FILE *out)
{
    heading(out, "Most recent alerts per rule");
    size_t n = v->rules.n < SGC_RECENT_RULES ? v->rules.n : SGC_RECENT_RULES;
    for (size_t i = 0; i < n; i++) {
        const sgc_rrow *row = &v->rules.rows[i];
        char name[512], a[32];
        sgc_tt_clean(row->key, row->len, 120, name, sizeof name);
        fprintf(out, "%s  [%s, %s alerts]\n", name, sgc_rprio_name(sgc_rcounts_main_prio(row->c)),
                sgc_rfmt_count(row->c->total, a, sizeof a));
        int order[SGC_REPORT_RECENT];
        int nr = sgc_rrule_newest_first(row->rule, order);
        for (int k = 0; k < nr; k++) {
            const sgc_rrecent *e = &row->rule->recent[order[k]];
            char host[300], outl[SGC_REPORT_OUTPUT_MAX * 2 + 8];
            sgc_tt_clean(e->hostname, strlen(e->hostname), 64, host, sizeof host);
            sgc_tt_clean(e->output, strlen(e->output), SGC_REPORT_OUTPUT_MAX, outl, sizeof outl);
            fprintf(out, "  %s  %s  %s\n", sgc_rfmt_time(e->time_ns, a, sizeof a),
                    host[0] ? host : "-", outl);
        }
    }
    if (v->rules.n > n) fprintf(out, "... %zu more rules (see --format json)\n", v->rules.n - n);
}

static void malformed(const sgc_report *r, FILE *out)
{
    if (!r->malformed) return;
    char a[32];
    heading(out, "Malformed lines");
    fprintf(out, "  %s lines were not alerts; the first:\n",
            sgc_rfmt_count(r->malformed, a, sizeof a));
    for (int i = 0; i < r->nsamples; i++) {
        char in[300], why[600];
        sgc_tt_clean(r->samples[i].input, strlen(r->samples[i].input), 100, in, sizeof in);
        sgc_tt_clean(r->samples[i].reason, strlen(r->samples[i].reason), 140, why, sizeof why);
        fprintf(out, "  %s:%llu: %s\n", in, (unsigned long long)r->samples[i].line, why);
    }
}

int sgc_report_render_text(const sgc_report_view *v, FILE *out, bool bars)
{
    summary(v, out);
    if (v->r->total.total) {
        by_priority(v, out, bars);
        groups(v, out, bars, "Alerts by node (top 20)", "NODE", &v->nodes, SGC_TOP_NODES, false);
        groups(v, out, bars, "Top 10 rules", "RULE", &v->rules, SGC_TOP_RULES, true);
        over_time(v, out, bars);
        if (v->images.n)
            groups(v, out, bars, "Alerts by container image (top 10)", "IMAGE", &v->images,
                   SGC_TOP_GROUPS, false);
        if (v->containers.n)
            groups(v, out, bars, "Alerts by container (top 10)", "CONTAINER", &v->containers,
                   SGC_TOP_GROUPS, false);
        if (v->namespaces.n)
            groups(v, out, bars, "Alerts by Kubernetes namespace (top 10)", "NAMESPACE",
                   &v->namespaces, SGC_TOP_GROUPS, false);
        recent(v, out);
    }
    malformed(v->r, out);
    return ferror(out) ? -1 : 0;
}
