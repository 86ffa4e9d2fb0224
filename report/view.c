/* Views of a report for the renderers: groups sorted by count and the time
 * series made dense (every interval between the first alert and the last),
 * widened when it would have more than SGC_REPORT_MAX_POINTS points. */
#include "report.h"

#include "report_time.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int sgc_rcounts_main_prio(const sgc_rcounts *c)
{
    int best = 0;
    for (int p = 1; p < SGC_RPRIO_N; p++)
        if (c->by_prio[p] > c->by_prio[best]) best = p;
    return c->by_prio[best] ? best : SGC_RPRIO_UNKNOWN;
}

static int row_cmp(const void *a, const void *b)
{
    const sgc_rrow *x = a, *y = b;
    if (x->c->total != y->c->total) return x->c->total > y->c->total ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int build_table(const sgc_strmap *m, sgc_rtable *t, bool rules)
{
    t->n = m->n;
    t->rows = calloc(m->n ? m->n : 1, sizeof *t->rows);
    if (!t->rows) return -1;
    for (size_t i = 0; i < m->n; i++) {
        t->rows[i].key = m->ent[i].key;
        t->rows[i].len = m->ent[i].len;
        t->rows[i].c = m->ent[i].val;
        t->rows[i].rule = rules ? m->ent[i].val : NULL;
    }
    qsort(t->rows, t->n, sizeof *t->rows, row_cmp);
    return 0;
}

static int64_t bucket_key(const sgc_strmap_entry *e)
{
    int64_t idx;
    memcpy(&idx, e->key, sizeof idx);
    return idx;
}

static int build_series(const sgc_report *r, sgc_report_view *v)
{
    const sgc_strmap *b = &r->buckets;
    v->interval_ns = r->bucket_ns;
    v->widened = r->bucket_ns != r->opts.interval_ns;
    if (b->n == 0) return 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < b->n; i++) {
        int64_t k = bucket_key(&b->ent[i]);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    /* f so that floor(hi/f) - floor(lo/f) + 1 <= SGC_REPORT_MAX_POINTS */
    int64_t f =
        span <= SGC_REPORT_MAX_POINTS
            ? 1
            : (int64_t)((span - 1 + SGC_REPORT_MAX_POINTS - 2) / (SGC_REPORT_MAX_POINTS - 1));
    if (f > 1) {
        v->interval_ns = r->bucket_ns * f;
        v->widened = true;
        lo = sgc_rtime_floor_div(lo, f);
        hi = sgc_rtime_floor_div(hi, f);
    }
    v->npoints = (size_t)(hi - lo + 1);
    v->points = calloc(v->npoints, sizeof *v->points);
    if (!v->points) return -1;
    for (size_t i = 0; i < v->npoints; i++)
        v->points[i].start_ns = (lo + (int64_t)i) * v->interval_ns;
    for (size_t i = 0; i < b->n; i++) {
        int64_t k = sgc_rtime_floor_div(bucket_key(&b->ent[i]), f) - lo;
        const sgc_rcounts *c = b->ent[i].val;
        sgc_rpoint *p = &v->points[k];
        p->total += c->total;
        for (int q = 0; q < SGC_RPRIO_N; q++) p->by_prio[q] += c->by_prio[q];
    }
    return 0;
}

int sgc_report_view_build(const sgc_report *r, sgc_report_view *v)
{
    memset(v, 0, sizeof *v);
    v->r = r;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    v->generated_ns = (int64_t)ts.tv_sec * SGC_NS_PER_S + ts.tv_nsec;
    if (build_table(&r->nodes, &v->nodes, false) < 0 ||
        build_table(&r->rules, &v->rules, true) < 0 ||
        build_table(&r->images, &v->images, false) < 0 ||
        build_table(&r->containers, &v->containers, false) < 0 ||
        build_table(&r->namespaces, &v->namespaces, false) < 0 ||
        build_table(&r->sources, &v->sources, false) < 0 || build_series(r, v) < 0) {
        sgc_report_view_free(v);
        return -1;
    }
    return 0;
}

void sgc_report_view_free(sgc_report_view *v)
{
    free(v->nodes.rows);
    free(v->rules.rows);
    free(v->images.rows);
    free(v->containers.rows);
    free(v->namespaces.rows);
    free(v->sources.rows);
    free(v->points);
    memset(v, 0, sizeof *v);
}
