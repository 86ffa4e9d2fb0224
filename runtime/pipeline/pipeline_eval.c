/* The evaluation step every event ends in, live or replayed, held or not:
 * the extraction context, the engine's match, each match rendered to the
 * outputs (opened here, for the host name they stamp on alerts). */
#include "pipeline.h"
#include "pipeline_int.h"
#include "enforce.h"

#include "fields_ctx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t sgc_pipeline_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int sgc_pipeline_set_hostname(sgc_pipeline *p, const char *hostname, char *err, size_t errlen)
{
    char *copy = hostname ? strdup(hostname) : NULL;
    free(p->hostname_owned);
    p->hostname_owned = copy;
    p->opts.out.hostname = copy;
    sgc_outputs_close(p->out);
    p->out = sgc_outputs_open(&p->opts.out, err, errlen);
    return p->out ? 0 : -1;
}

static void on_match(const sgc_rule *rule, sgc_extract_ctx *cx, void *ud)
{
    sgc_pipeline *p = ud;
    sgc_alert a = sgc_rule_outputs_alert(p->matching_ro, rule);
    char enf[512];
    if (p->opts.enforce && p->opts.enforce->n && cx->ev->hdr) {
        const sgc_proc *pr = cx->proc;
        const char *cid = pr ? sgc_proc_container_id(pr) : NULL;
        const sgc_container_info *ci =
            cid && p->containers ? sgc_containers_find(p->containers, cid) : NULL;
        sgc_enforce_on_match(p->opts.enforce, rule->name, cx->ev->hdr->flags, (int)cx->ev->hdr->pid,
                             pr && pr->img ? pr->img->exepath : NULL, cid, ci ? ci->name : NULL,
                             enf, sizeof enf);
        a.enforcement = enf;
    }
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

int sgc_pipeline_eval(sgc_pipeline *p, const sgc_evt *ev, sgc_proc *proc)
{
    if (!p->out) {
        char err[256];
        if (sgc_pipeline_set_hostname(p, p->opts.out.hostname, err, sizeof err) != 0) return 0;
    }
    if (ev->evtnum > p->last_evtnum) p->last_evtnum = ev->evtnum;
    sgc_arena_reset(&p->scratch);
    sgc_extract_ctx cx = {0};
    cx.scratch = &p->scratch;
    cx.pt = p->pt;
    cx.hostname = p->opts.out.hostname;
    cx.user_name = sgc_ctx_user_name;
    cx.boot_to_wall_ns = p->opts.boot_to_wall_ns;
    sgc_extract_ctx_reset(&cx, ev, proc);
    p->nmatched = 0;
    p->events++;
    /* the rules whose kernel filter passed the record judge it */
    const sgc_pipeline_rules *r = p->cur;
    if (ev->hdr && ev->hdr->gen && p->prev && ev->hdr->gen == p->prev->gen) r = p->prev;
    p->matching_ro = &r->ro;
    return sgc_engine_match(r->engine, &cx, on_match, p);
}

const char *const *sgc_pipeline_last_matches(const sgc_pipeline *p, int *n)
{
    *n = p->nmatched;
    return p->matched;
}
