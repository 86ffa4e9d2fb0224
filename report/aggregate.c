/* Counting alerts into their groups (see report.h): the only place that
 * grows memory, and only per distinct group. */
#include "report.h"

#include "report_time.h"

#include <stdlib.h>
#include <string.h>

void sgc_report_init(sgc_report *r, const sgc_report_opts *o)
{
    memset(r, 0, sizeof *r);
    r->opts = *o;
    if (r->opts.interval_ns <= 0) r->opts.interval_ns = 60 * SGC_NS_PER_S;
    r->bucket_ns = r->opts.interval_ns;
    sgc_alert_init(&r->alert);
    sgc_strmap_init(&r->nodes, sizeof(sgc_rcounts));
    sgc_strmap_init(&r->rules, sizeof(sgc_rrule));
    sgc_strmap_init(&r->images, sizeof(sgc_rcounts));
    sgc_strmap_init(&r->containers, sizeof(sgc_rcounts));
    sgc_strmap_init(&r->namespaces, sizeof(sgc_rcounts));
    sgc_strmap_init(&r->sources, sizeof(sgc_rcounts));
    sgc_strmap_init(&r->buckets, sizeof(sgc_rcounts));
}

void sgc_report_free(sgc_report *r)
{
    for (size_t i = 0; i < r->rules.n; i++) {
        sgc_rrule *ru = r->rules.ent[i].val;
        for (int k = 0; k < ru->nrecent; k++) {
            free(ru->recent[k].hostname);
            free(ru->recent[k].output);
        }
    }
    sgc_strmap *maps[] = {&r->nodes,      &r->rules,   &r->images, &r->containers,
                          &r->namespaces, &r->sources, &r->buckets};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) sgc_strmap_free(maps[i]);
    for (int i = 0; i < r->nsamples; i++) {
        free(r->samples[i].input);
        free(r->samples[i].reason);
    }
    for (size_t i = 0; i < r->ninputs; i++) {
        free(r->inputs[i].name);
        free(r->inputs[i].error);
    }
    free(r->inputs);
    sgc_alert_free(&r->alert);
    memset(r, 0, sizeof *r);
}

long sgc_report_add_input(sgc_report *r, const char *name)
{
    sgc_rinput *ni = realloc(r->inputs, (r->ninputs + 1) * sizeof *ni);
    if (!ni) return -1;
    r->inputs = ni;
    memset(&ni[r->ninputs], 0, sizeof *ni);
    ni[r->ninputs].name = strdup(name);
    if (!ni[r->ninputs].name) return -1;
    return (long)r->ninputs++;
}

static void count(sgc_rcounts *c, const sgc_alert *a)
{
    if (c->total == 0 || a->time_ns < c->first_ns) c->first_ns = a->time_ns;
    if (c->total == 0 || a->time_ns > c->last_ns) c->last_ns = a->time_ns;
    c->total++;
    c->by_prio[a->prio]++;
}

/* Count a into map's group for key (absent keys are not grouped). */
static void count_in(sgc_report *r, sgc_strmap *m, sgc_rstr key, const sgc_alert *a)
{
    if (!key.p) return;
    int created;
    sgc_rcounts *c = sgc_strmap_upsert(m, key.p, key.n, &created);
    if (!c) {
        r->oom = true;
        return;
    }
    count(c, a);
}

/* Copy s (at most max bytes, cut at a UTF-8 boundary) into *dst, reusing its buffer. */
static bool keep_str(char **dst, size_t *cap, sgc_rstr s, size_t max)
{
    size_t n = s.p ? s.n : 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80) n--;
    }
    if (!*dst || *cap < n + 1) {
        char *p = realloc(*dst, n + 1);
        if (!p) return false;
        *dst = p;
        *cap = n + 1;
    }
    if (n) memcpy(*dst, s.p, n);
    (*dst)[n] = '\0';
    return true;
}

/* Keep a among the rule's SGC_REPORT_RECENT latest alerts. */
static void keep_recent(sgc_report *r, sgc_rrule *ru, const sgc_alert *a)
{
    int slot = -1;
    if (ru->nrecent < SGC_REPORT_RECENT) {
        slot = ru->nrecent++;
    } else {
        for (int k = 0; k < ru->nrecent; k++)
            if (a->time_ns > ru->recent[k].time_ns &&
                (slot < 0 || ru->recent[k].time_ns < ru->recent[slot].time_ns))
                slot = k;
        if (slot < 0) return;
    }
    sgc_rrecent *e = &ru->recent[slot];
    e->time_ns = a->time_ns;
    e->prio = a->prio;
    if (!keep_str(&e->hostname, &e->host_cap, a->hostname, 255) ||
        !keep_str(&e->output, &e->output_cap, a->output, SGC_REPORT_OUTPUT_MAX))
        r->oom = true;
}

/* Halve the number of buckets: each pair of neighbours becomes one. */
static void widen_buckets(sgc_report *r)
{
    sgc_strmap nb;
    sgc_strmap_init(&nb, sizeof(sgc_rcounts));
    for (size_t i = 0; i < r->buckets.n; i++) {
        int64_t idx;
        memcpy(&idx, r->buckets.ent[i].key, sizeof idx);
        idx = sgc_rtime_floor_div(idx, 2);
        int created;
        sgc_rcounts *dst = sgc_strmap_upsert(&nb, (const char *)&idx, sizeof idx, &created);
        const sgc_rcounts *src = r->buckets.ent[i].val;
        if (!dst) {
            r->oom = true;
            break;
        }
        if (created || src->first_ns < dst->first_ns) dst->first_ns = src->first_ns;
        if (created || src->last_ns > dst->last_ns) dst->last_ns = src->last_ns;
        dst->total += src->total;
        for (int p = 0; p < SGC_RPRIO_N; p++) dst->by_prio[p] += src->by_prio[p];
    }
    sgc_strmap_free(&r->buckets);
    r->buckets = nb;
    r->bucket_ns *= 2;
}

static void count_time(sgc_report *r, const sgc_alert *a)
{
    int64_t idx = sgc_rtime_floor_div(a->time_ns, r->bucket_ns);
    int created;
    sgc_rcounts *c = sgc_strmap_upsert(&r->buckets, (const char *)&idx, sizeof idx, &created);
    if (!c) {
        r->oom = true;
        return;
    }
    count(c, a);
    if (created && r->buckets.n > SGC_REPORT_MAX_BUCKETS && r->bucket_ns <= INT64_MAX / 2)
        widen_buckets(r);
}

static void count_alert(sgc_report *r, const sgc_alert *a)
{
    count(&r->total, a);
    static const sgc_rstr none = {"", 0};
    count_in(r, &r->nodes, a->hostname.p ? a->hostname : none, a);
    count_in(r, &r->images, a->image, a);
    count_in(r, &r->containers, a->container, a);
    count_in(r, &r->namespaces, a->k8s_ns, a);
    count_in(r, &r->sources, a->source.p ? a->source : none, a);
    int created;
    sgc_rrule *ru = sgc_strmap_upsert(&r->rules, a->rule.p, a->rule.n, &created);
    if (!ru) {
        r->oom = true;
    } else {
        count(&ru->c, a);
        keep_recent(r, ru, a);
    }
    count_time(r, a);
}

static void note_malformed(sgc_report *r, size_t input, uint64_t lineno, const char *reason)
{
    r->malformed++;
    r->inputs[input].malformed++;
    if (r->nsamples >= SGC_REPORT_SAMPLES) return;
    sgc_rsample *s = &r->samples[r->nsamples];
    s->input = strdup(r->inputs[input].name);
    s->reason = strdup(reason);
    s->line = lineno;
    if (!s->input || !s->reason) {
        free(s->input);
        free(s->reason);
        r->oom = true;
        return;
    }
    r->nsamples++;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

void sgc_report_add_line(sgc_report *r, size_t input, uint64_t lineno, const char *line, size_t len)
{
    r->lines++;
    r->inputs[input].lines++;
    if (!line || len > SGC_REPORT_MAX_LINE) {
        note_malformed(r, input, lineno, "line longer than 16 MiB");
        return;
    }
    if (blank(line, len)) {
        r->blank++;
        return;
    }
    sgc_alert *a = &r->alert;
    char err[256];
    if (sgc_alert_parse(a, line, len, err, sizeof err) != SGC_ALERT_OK) {
        note_malformed(r, input, lineno, err);
    } else if ((r->opts.has_since && a->time_ns < r->opts.since_ns) ||
               (r->opts.has_until && a->time_ns >= r->opts.until_ns)) {
        r->filtered++;
    } else {
        r->inputs[input].alerts++;
        count_alert(r, a);
    }
}
