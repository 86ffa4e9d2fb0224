/* See pipeline.h. */
#include "pipeline.h"
#include "pipeline_int.h"

#include "container_engine.h"
#include "dnsnames_resolve.h"
#include "fields_ctx.h"
#include "procfs.h"
#include "proctable_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void sgc_pipeline_default_opts(sgc_pipeline_opts *o)
{
    memset(o, 0, sizeof *o);
    sgc_output_config_defaults(&o->out);
    o->engine = sgc_engine_default_opts();
    o->user_sources = SGC_USERS_NSS | SGC_USERS_PROCROOT;
    o->procfs_fallback = true;
    o->resolve_rule_names = true;
}

#define HOLD_MAX_EVENTS   4096u
#define HOLD_MAX_BYTES    (8u << 20)
#define HOLD_MAX_WAIT_NS  1000000000ull
#define CONTAINER_GONE_NS 5000000000ull

/* Resolve the rules' fd.*ip.name names in the background (re-resolved every
 * minute; a lookup gives up after 5 s). */
static void start_resolver(sgc_pipeline *p, const sgc_pipeline_rules *r)
{
    if (r->ndns_names <= 0) return;
    p->resolver = sgc_dns_resolver_start(p->dns, r->dns_names, r->ndns_names, 60, 5000);
}

sgc_pipeline_rules *sgc_pipeline_rules_build(const sgc_ruleset *rs, const sgc_engine_opts *eo,
                                             sgc_diags *diags)
{
    sgc_pipeline_rules *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->engine = sgc_engine_build(rs, eo, diags);
    if (!r->engine || sgc_rule_outputs_build(&r->ro, rs, diags) < 0) {
        sgc_pipeline_rules_free(r);
        return NULL;
    }
    r->ndns_names = sgc_dns_rule_names(rs, &r->dns_names);
    return r;
}

void sgc_pipeline_rules_free(sgc_pipeline_rules *r)
{
    if (!r) return;
    sgc_engine_free(r->engine);
    sgc_rule_outputs_free(&r->ro);
    if (r->ndns_names > 0) sgc_dns_names_free(r->dns_names, r->ndns_names);
    free(r);
}

void sgc_pipeline_install_rules(sgc_pipeline *p, sgc_pipeline_rules *r, uint32_t gen)
{
    sgc_pipeline_rules_free(p->prev);
    p->prev = p->cur;
    p->cur = r;
    r->gen = gen;
    if (p->opts.resolve_rule_names) {
        sgc_dns_resolver_stop(p->resolver);
        p->resolver = NULL;
        start_resolver(p, r);
    }
}

sgc_pipeline *sgc_pipeline_new(const sgc_ruleset *rs, const sgc_pipeline_opts *opts,
                               sgc_diags *diags, char *err, size_t errlen)
{
    sgc_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->opts = *opts;
    if (!p->opts.hold_max_events) p->opts.hold_max_events = HOLD_MAX_EVENTS;
    if (!p->opts.hold_max_bytes) p->opts.hold_max_bytes = HOLD_MAX_BYTES;
    if (!p->opts.hold_max_wait_ns) p->opts.hold_max_wait_ns = HOLD_MAX_WAIT_NS;
    if (!p->opts.container_gone_ns) p->opts.container_gone_ns = CONTAINER_GONE_NS;
    sgc_arena_init(&p->scratch, 0);
    p->cur = sgc_pipeline_rules_build(rs, &opts->engine, diags);
    if (p->cur) p->cur->gen = 1;
    p->pt = sgc_proctable_new(&opts->proctable);
    p->users = sgc_usercache_new(opts->user_sources);
    p->containers = sgc_containers_new();
    p->bundles = sgc_containers_new();
    p->dns = sgc_dnsnames_new();
    if (!p->cur || !p->pt || !p->users || !p->containers || !p->bundles || !p->dns) {
        snprintf(err, errlen, "out of memory");
        sgc_pipeline_free(p);
        return NULL;
    }
    sgc_proctable_attach(p->pt, p->users, p->containers);
    sgc_proctable_attach_dns(p->pt, p->dns);
    if (opts->resolve_rule_names) start_resolver(p, p->cur);
    return p;
}

void sgc_pipeline_free(sgc_pipeline *p)
{
    if (!p) return;
    sgc_pipeline_free_pending(p);
    for (int i = 0; i < p->nannounced; i++) free(p->announced[i]);
    free(p->announced);
    sgc_dns_resolver_stop(p->resolver); /* before the table it fills */
    sgc_outputs_close(p->out);
    sgc_pipeline_rules_free(p->cur);
    sgc_pipeline_rules_free(p->prev);
    sgc_proctable_free(p->pt);
    sgc_usercache_free(p->users);
    sgc_containers_free(p->containers);
    sgc_containers_free(p->bundles);
    sgc_dnsnames_free(p->dns);
    sgc_arena_free(&p->scratch);
    free(p->matched);
    free(p->hostname_owned);
    free(p);
}

sgc_proctable *sgc_pipeline_proctable(sgc_pipeline *p) { return p->pt; }
sgc_usercache *sgc_pipeline_users(sgc_pipeline *p) { return p->users; }
sgc_containers *sgc_pipeline_containers(sgc_pipeline *p) { return p->containers; }
sgc_dnsnames *sgc_pipeline_dns(sgc_pipeline *p) { return p->dns; }

void sgc_pipeline_get_stats(const sgc_pipeline *p, sgc_pipeline_stats *st)
{
    memset(st, 0, sizeof *st);
    st->events = p->events;
    st->matches = p->matches;
    st->container_events = p->container_events;
    st->held = p->held;
    st->released = p->released;
    st->expired = p->expired;
    st->containers_forgotten = p->forgotten;
    if (p->out) sgc_outputs_get_stats(p->out, &st->out);
}
