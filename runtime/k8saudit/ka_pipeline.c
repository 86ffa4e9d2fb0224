/* Audit events through the k8s_audit rules to the outputs. */
#include "ka_pipeline.h"

#include "arena.h"
#include "fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sgc_ka_pipeline {
    sgc_ka_pipeline_opts opts;
    sgc_engine *engine;
    sgc_rule_outputs ro;
    sgc_outputs *out;
    sgc_arena scratch;
    uint64_t evtnum;
    unsigned long long events, matches;
    const char **matched;
    int nmatched, cap;
};

void sgc_ka_pipeline_default_opts(sgc_ka_pipeline_opts *o)
{
    memset(o, 0, sizeof *o);
    sgc_output_config_defaults(&o->out);
    o->engine = sgc_engine_default_opts();
    o->engine.source = SGC_SRC_K8S_AUDIT;
}

sgc_ka_pipeline *sgc_ka_pipeline_new(const sgc_ruleset *rs, const sgc_ka_pipeline_opts *o,
                                     sgc_diags *diags, char *err, size_t errlen)
{
    sgc_ka_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->opts = *o;
    p->opts.engine.source = SGC_SRC_K8S_AUDIT;
    sgc_arena_init(&p->scratch, 0);
    p->engine = sgc_engine_build(rs, &p->opts.engine, diags);
    if (!p->engine || sgc_rule_outputs_build(&p->ro, rs, diags) < 0) {
        snprintf(err, errlen, "out of memory");
        sgc_ka_pipeline_free(p);
        return NULL;
    }
    p->out = sgc_outputs_open(&p->opts.out, err, errlen);
    if (!p->out) {
        sgc_ka_pipeline_free(p);
        return NULL;
    }
    return p;
}

void sgc_ka_pipeline_free(sgc_ka_pipeline *p)
{
    if (!p) return;
    sgc_engine_free(p->engine);
    sgc_rule_outputs_free(&p->ro);
    sgc_outputs_close(p->out);
    sgc_arena_free(&p->scratch);
    free(p->matched);
    free(p);
}

int sgc_ka_pipeline_nrules(const sgc_ka_pipeline *p) { return sgc_engine_nrules(p->engine); }

static void on_match(const sgc_rule *rule, sgc_extract_ctx *cx, void *ud)
{
    sgc_ka_pipeline *p = ud;
    sgc_alert a = sgc_rule_outputs_alert(&p->ro, rule);
    sgc_outputs_emit(p->out, &a, cx);
    p->matches++;
    if (!p->opts.collect_matches) return;
    if (p->nmatched == p->cap) {
        int nc = p->cap ? p->cap * 2 : 8;
        const char **nm = realloc(p->matched, (size_t)nc * sizeof *nm);
        if (!nm) return;
        p->matched = nm;
        p->cap = nc;
    }
    p->matched[p->nmatched++] = rule->name;
}

int sgc_ka_pipeline_eval(sgc_ka_pipeline *p, const sgc_ka_event *ev)
{
    /* a header-only record: evt.num and the time for evt.time & co and the
     * alert's time (wall clock: boot_to_wall_ns stays 0) */
    struct sgc_event_hdr hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.kind = SGC_REC_PLUGIN;
    hdr.version = SGC_EVENT_VERSION;
    hdr.size = sizeof hdr;
    hdr.ts_ns = (uint64_t)ev->ts_ns;
    sgc_evt rec;
    memset(&rec, 0, offsetof(sgc_evt, blobs));
    rec.hdr = &hdr;
    rec.evtnum = ++p->evtnum;

    sgc_arena_reset(&p->scratch);
    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &p->scratch;
    cx.hostname = p->opts.out.hostname;
    cx.ka = ev;
    cx.ka_cluster = p->opts.cluster_name;
    sgc_extract_ctx_reset(&cx, &rec, NULL);
    p->nmatched = 0;
    p->events++;
    return sgc_engine_match(p->engine, &cx, on_match, p);
}

const char *const *sgc_ka_pipeline_last_matches(const sgc_ka_pipeline *p, int *n)
{
    *n = p->nmatched;
    return p->matched;
}

void sgc_ka_pipeline_get_stats(const sgc_ka_pipeline *p, sgc_ka_pipeline_stats *st)
{
    memset(st, 0, sizeof *st);
    st->events = p->events;
    st->matches = p->matches;
    if (p->out) sgc_outputs_get_stats(p->out, &st->out);
}
