/* Detection for the k8s_audit source: audit events evaluated against the
 * rules with `source: k8s_audit`, alerts through the same output code as
 * syscall alerts (runtime/output.h: text or JSON, `source: k8s_audit`,
 * hostname as for syscall alerts). Used by `sgc replay --source k8s_audit`
 * and by `sgc run` (its k8s_audit thread). One thread at a time. */
#ifndef SGC_KA_PIPELINE_H
#define SGC_KA_PIPELINE_H

#include "eval.h"
#include "ka_event.h"
#include "output.h"

typedef struct sgc_ka_pipeline_opts {
    sgc_output_config out;    /* sgc_output_config_defaults() */
    sgc_engine_opts engine;   /* its source is set to k8s_audit */
    const char *cluster_name; /* ka.cluster.name (NULL: <NA>) */
    bool collect_matches;     /* keep the names of the last event's matches */
} sgc_ka_pipeline_opts;

void sgc_ka_pipeline_default_opts(sgc_ka_pipeline_opts *o);

typedef struct sgc_ka_pipeline sgc_ka_pipeline;

/* From a loaded rule set (kept by the caller). Rules that do not compile go
 * to diags, the others run. NULL with a message when the output cannot be
 * opened or memory runs out. */
sgc_ka_pipeline *sgc_ka_pipeline_new(const sgc_ruleset *rs, const sgc_ka_pipeline_opts *o,
                                     sgc_diags *diags, char *err, size_t errlen);
void sgc_ka_pipeline_free(sgc_ka_pipeline *p);

/* Rules of the source compiled in (0: nothing to evaluate). */
int sgc_ka_pipeline_nrules(const sgc_ka_pipeline *p);

/* Evaluate one event, emit its alerts. Returns the number of matches. The
 * event stays the caller's. */
int sgc_ka_pipeline_eval(sgc_ka_pipeline *p, const sgc_ka_event *ev);

const char *const *sgc_ka_pipeline_last_matches(const sgc_ka_pipeline *p, int *n);

typedef struct sgc_ka_pipeline_stats {
    unsigned long long events, matches;
    sgc_output_stats out;
} sgc_ka_pipeline_stats;
void sgc_ka_pipeline_get_stats(const sgc_ka_pipeline *p, sgc_ka_pipeline_stats *st);

#endif
