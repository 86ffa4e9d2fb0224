/* `sgc report`: aggregates of Falco/sgc JSON alert files, and the views the
 * renderers draw from them.
 *
 * Reading is streaming: every line is parsed, counted into its groups and
 * dropped, so memory grows with the number of distinct groups (hosts, rules,
 * images, containers, namespaces, time buckets, a few recent alerts per rule),
 * never with the number of alerts. Time buckets are capped: when more than
 * SGC_REPORT_MAX_BUCKETS distinct ones appear, their width doubles.
 *
 * Malformed lines are counted (the first SGC_REPORT_SAMPLES with file, line
 * and reason) and never stop the reading. */
#ifndef SGC_REPORT_H
#define SGC_REPORT_H

#include "alert.h"
#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SGC_REPORT_RECENT      3           /* most recent alerts kept per rule */
#define SGC_REPORT_SAMPLES     5           /* malformed lines remembered */
#define SGC_REPORT_MAX_BUCKETS 65536       /* distinct time buckets before widening */
#define SGC_REPORT_MAX_POINTS  1500        /* points of the time series in a view */
#define SGC_REPORT_MAX_LINE    (16u << 20) /* longer lines are malformed */
#define SGC_REPORT_OUTPUT_MAX  2000        /* bytes of an output line kept */

typedef struct sgc_rcounts {
    uint64_t total;
    uint64_t by_prio[SGC_RPRIO_N];
    int64_t first_ns, last_ns; /* valid when total > 0 */
} sgc_rcounts;

typedef struct sgc_rrecent {
    int64_t time_ns;
    int prio;
    char *hostname, *output; /* owned, NUL-terminated, truncated */
    size_t host_cap, output_cap;
} sgc_rrecent;

/* A rule's group: counts first, so a rule's value is also an sgc_rcounts. */
typedef struct sgc_rrule {
    sgc_rcounts c;
    int nrecent;
    sgc_rrecent recent[SGC_REPORT_RECENT];
} sgc_rrule;

typedef struct sgc_rsample {
    char *input;
    uint64_t line;
    char *reason;
} sgc_rsample;

typedef struct sgc_rinput {
    char *name; /* as given; "-" is stdin */
    uint64_t lines, alerts, malformed;
    char *error; /* read error (truncated gzip ...), or NULL */
} sgc_rinput;

typedef struct sgc_report_opts {
    bool has_since, has_until;
    int64_t since_ns, until_ns; /* [since, until) */
    int64_t interval_ns;        /* time series bucket; 0 = 1 minute */
} sgc_report_opts;

typedef struct sgc_report {
    sgc_report_opts opts;
    sgc_rcounts total;
    sgc_strmap nodes, rules, images, containers, namespaces, sources; /* sgc_rcounts / sgc_rrule */
    sgc_strmap buckets; /* int64 bucket index -> sgc_rcounts */
    int64_t bucket_ns;  /* current bucket width (interval * 2^k) */
    uint64_t lines, blank, malformed, filtered;
    sgc_rsample samples[SGC_REPORT_SAMPLES];
    int nsamples;
    sgc_rinput *inputs;
    size_t ninputs;
    bool oom;
    sgc_alert alert; /* the parser's reused scratch */
} sgc_report;

void sgc_report_init(sgc_report *r, const sgc_report_opts *o);
void sgc_report_free(sgc_report *r);

/* Count one line of input `input` (an index into r->inputs). */
void sgc_report_add_line(sgc_report *r, size_t input, uint64_t lineno, const char *line,
                         size_t len);

/* Add an input (for sgc_report_add_line); its index, or -1 out of memory. */
long sgc_report_add_input(sgc_report *r, const char *name);

/* Read a whole file (plain or gzip; "-" is stdin) line by line. -1 with a
 * message in err when it cannot be opened; a read error after that is kept
 * in the input's `error` (the lines before it count) and also gives -1. */
int sgc_report_read_file(sgc_report *r, const char *path, char *err, size_t errlen);

/* ---- views: sorted tables and the dense time series, for the renderers ---- */

typedef struct sgc_rrow {
    const char *key;
    size_t len;
    const sgc_rcounts *c;
    const sgc_rrule *rule; /* rules only */
} sgc_rrow;

typedef struct sgc_rtable {
    sgc_rrow *rows; /* by count (descending), then key */
    size_t n;
} sgc_rtable;

typedef struct sgc_rpoint {
    int64_t start_ns;
    uint64_t total;
    uint64_t by_prio[SGC_RPRIO_N];
} sgc_rpoint;

typedef struct sgc_report_view {
    const sgc_report *r;
    sgc_rtable nodes, rules, images, containers, namespaces, sources;
    sgc_rpoint *points; /* every interval from the first alert's to the last's */
    size_t npoints;
    int64_t interval_ns; /* of the points: requested, or wider (see widened) */
    bool widened;
    int64_t generated_ns; /* when the view was built (for the page footer) */
} sgc_report_view;

/* 0, or -1 when memory runs out. */
int sgc_report_view_build(const sgc_report *r, sgc_report_view *v);
void sgc_report_view_free(sgc_report_view *v);

/* The priority most of a group's alerts had (ties: the more severe). */
int sgc_rcounts_main_prio(const sgc_rcounts *c);

/* ---- renderers: 0, or -1 when writing failed ---- */
int sgc_report_render_json(const sgc_report_view *v, FILE *out);
int sgc_report_render_text(const sgc_report_view *v, FILE *out, bool bars);
int sgc_report_render_html(const sgc_report_view *v, FILE *out);

#endif
