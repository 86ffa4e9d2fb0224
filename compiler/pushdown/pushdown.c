/* Building the split: rules to IR, per-syscall specialization of every
 * rule's formula over kernel atoms, and grouping of syscalls whose rule
 * formulas are identical. */
#include "pushdown_index.h"
#include "pushdown_int.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sgc_pd_class_name(sgc_pd_class c)
{
    return c == SGC_PD_EXACT     ? "kernel-exact"
           : c == SGC_PD_PARTIAL ? "kernel-partial"
                                 : "userspace-only";
}

/* Per-(atom, syscall) verdict cache: classification is pure, and rules
 * share atoms. An open-addressing hash on atom * (max_nr + 1) + nr: most
 * atoms are classified at a few syscalls, so a dense atoms x syscalls
 * table (tens of MB at thousands of rules) is mostly empty. */
struct sgc_pd_cache {
    size_t cap, n; /* slots (a power of two), used */
    uint64_t *key; /* key + 1; 0 = empty */
    sgc_pd_verdict *v;
};

static void cache_drop(sgc_pushdown *pd)
{
    if (!pd->cache) return;
    free(pd->cache->key);
    free(pd->cache->v);
    free(pd->cache);
    pd->cache = NULL;
}

static size_t cache_slot(const struct sgc_pd_cache *c, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    size_t i = (size_t)(h >> 20) & (c->cap - 1);
    while (c->key[i] && c->key[i] != key + 1) i = (i + 1) & (c->cap - 1);
    return i;
}

static void cache_grow(struct sgc_pd_cache *c)
{
    struct sgc_pd_cache old = *c;
    c->cap = old.cap ? old.cap * 2 : 1024;
    c->key = calloc(c->cap, sizeof *c->key);
    c->v = calloc(c->cap, sizeof *c->v);
    if (!c->key || !c->v) abort();
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.key[i]) continue;
        size_t j = cache_slot(c, old.key[i] - 1);
        c->key[j] = old.key[i];
        c->v[j] = old.v[i];
    }
    free(old.key);
    free(old.v);
}

static sgc_pd_verdict classify_cached(sgc_pushdown *pd, int atom, int nr)
{
    if (nr < 0 || nr > pd->max_nr) return sgc_pushdown_classify(pd, atom, nr);
    if (!pd->cache) {
        pd->cache = calloc(1, sizeof *pd->cache);
        if (!pd->cache) abort();
    }
    struct sgc_pd_cache *c = pd->cache;
    if ((c->n + 1) * 2 > c->cap) cache_grow(c);
    uint64_t key = (uint64_t)atom * (uint64_t)(pd->max_nr + 1) + (uint64_t)nr;
    size_t i = cache_slot(c, key);
    if (!c->key[i]) {
        sgc_pd_verdict v = sgc_pushdown_classify(pd, atom, nr);
        i = cache_slot(c, key); /* classify does not touch the cache; stay safe */
        c->key[i] = key + 1;
        c->v[i] = v;
        c->n++;
    }
    return c->v[i];
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int sgc_pushdown_over_limit(const sgc_pushdown *pd, int **out)
{
    *out = NULL;
    const struct sgc_pd_cache *c = pd->cache;
    if (!c) return 0;
    size_t n = 0;
    for (size_t i = 0; i < c->cap; i++) n += c->key[i] && c->v[i].over_limit;
    if (!n) return 0;
    uint64_t *keys = malloc(n * sizeof *keys);
    int *pairs = malloc(2 * n * sizeof *pairs);
    if (!keys || !pairs) abort();
    n = 0;
    for (size_t i = 0; i < c->cap; i++)
        if (c->key[i] && c->v[i].over_limit) keys[n++] = c->key[i] - 1;
    qsort(keys, n, sizeof *keys, cmp_u64); /* the key is atom * (max_nr + 1) + nr */
    uint64_t w = (uint64_t)pd->max_nr + 1;
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = (int)(keys[i] / w);
        pairs[2 * i + 1] = (int)(keys[i] % w);
    }
    free(keys);
    *out = pairs;
    return (int)n;
}

static bool rule_has_nr(const sgc_pushdown *pd, int rule, int nr);

/* ---- specialization ------------------------------------------------------- */

static sgc_ir *to_kernel(sgc_pushdown *pd, const sgc_ir *n, int nr)
{
    if (n->kind == SGC_IR_ATOM) {
        sgc_pd_verdict v = classify_cached(pd, n->atom, nr);
        if (v.katom >= 0) return sgc_ir_atom_ref(v.katom);
        return sgc_ir_const((sgc_kleene)(v.constant >= 0 ? v.constant : SGC_K_UNKNOWN));
    }
    sgc_ir *c = sgc_ir_new(n->kind);
    c->value = n->value;
    for (int i = 0; i < n->nkids; i++) sgc_ir_add_kid(c, to_kernel(pd, n->kids[i], nr));
    return c;
}

bool sgc_pushdown_rule_has_nr(const sgc_pushdown *pd, int rule, int nr)
{
    return !pd->rules[rule].never && rule_has_nr(pd, rule, nr);
}

/* The syscalls of a rule's event types, as one byte per syscall number:
 * its own event type, or a second Falco name of the same syscall. */
static void rule_nrs_fill(const sgc_pushdown *pd, const sgc_pd_rule *r, uint8_t *mask)
{
    for (int nr = 0; nr <= pd->max_nr; nr++) {
        int own = sgc_event_id_of_syscall(nr);
        mask[nr] = own >= 0 && sgc_evtset_has(&r->types, own);
    }
    for (int id = 0; id < r->types.nbits; id++) {
        if (!sgc_evtset_has(&r->types, id)) continue;
        int nr = sgc_event_syscall_nr(id);
        if (nr >= 0 && nr <= pd->max_nr) mask[nr] = 1;
    }
}

/* Computed once per rule (finish()); rules added later are computed here. */
static bool rule_has_nr(const sgc_pushdown *pd, int rule, int nr)
{
    if (nr < 0 || nr > pd->max_nr) {
        const sgc_pd_rule *r = &pd->rules[rule];
        for (int id = 0; id < r->types.nbits; id++)
            if (sgc_evtset_has(&r->types, id) && sgc_event_syscall_nr(id) == nr) return true;
        return false;
    }
    if (pd->rule_nrs && rule < pd->nrule_nrs)
        return pd->rule_nrs[(size_t)rule * (size_t)(pd->max_nr + 1) + (size_t)nr];
    uint8_t *mask = malloc((size_t)pd->max_nr + 1);
    if (!mask) abort();
    rule_nrs_fill(pd, &pd->rules[rule], mask);
    bool has = mask[nr];
    free(mask);
    return has;
}

static void rule_nrs_build(sgc_pushdown *pd)
{
    size_t w = (size_t)pd->max_nr + 1;
    pd->rule_nrs = malloc(w * (size_t)pd->nrules + 1);
    if (!pd->rule_nrs) abort();
    for (int r = 0; r < pd->nrules; r++)
        rule_nrs_fill(pd, &pd->rules[r], pd->rule_nrs + w * (size_t)r);
    pd->nrule_nrs = pd->nrules;
}

sgc_ir *sgc_pushdown_specialize(sgc_pushdown *pd, int rule, int nr)
{
    const sgc_pd_rule *r = &pd->rules[rule];
    if (r->never || !rule_has_nr(pd, rule, nr)) return NULL;
    sgc_ir *k = sgc_ir_fold(to_kernel(pd, r->cond, nr));
    sgc_ir *f = sgc_ir_nnf(k);
    sgc_ir_free(k);
    return f;
}

/* ---- grouping --------------------------------------------------------------- */

static void group_add_katoms(sgc_pd_group *g, const sgc_ir *f)
{
    int *ids = NULL, n = 0;
    sgc_ir_collect_atoms(f, &ids, &n);
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < g->nkatoms && !seen; j++) seen = g->katoms[j] == ids[i];
        if (seen) continue;
        g->katoms = realloc(g->katoms, (size_t)(g->nkatoms + 1) * sizeof *g->katoms);
        if (!g->katoms) abort();
        g->katoms[g->nkatoms++] = ids[i];
    }
    free(ids);
}

static void build_groups(sgc_pushdown *pd)
{
    pd->group_of_nr = malloc((size_t)(pd->max_nr + 1) * sizeof *pd->group_of_nr);
    if (!pd->group_of_nr) abort();
    for (int nr = 0; nr <= pd->max_nr; nr++) {
        pd->group_of_nr[nr] = -1;
        if (!sgc_syscall_name(nr)) continue;
        sgc_ir **fs = calloc((size_t)pd->nrules + 1, sizeof *fs);
        if (!fs) abort();
        char *sig = NULL;
        size_t siglen = 0;
        FILE *so = open_memstream(&sig, &siglen); /* grows geometrically */
        if (!so) abort();
        for (int r = 0; r < pd->nrules; r++) {
            sgc_ir *f = sgc_pushdown_specialize(pd, r, nr);
            if (!f) continue;
            if (f->kind == SGC_IR_CONST && f->value == SGC_K_FALSE) {
                sgc_ir_free(f);
                continue;
            }
            char *t = sgc_ir_to_string(f, NULL);
            fprintf(so, "%d:%s;", r, t);
            free(t);
            fs[r] = f;
        }
        fclose(so);
        if (!siglen) { /* no rule can match this syscall: the kernel drops it */
            free(sig);
            free(fs);
            continue;
        }
        int g;
        for (g = 0; g < pd->ngroups; g++)
            if (!strcmp(pd->groups[g].signature, sig)) break;
        if (g == pd->ngroups) {
            pd->groups = realloc(pd->groups, (size_t)(pd->ngroups + 1) * sizeof *pd->groups);
            if (!pd->groups) abort();
            sgc_pd_group *ng = &pd->groups[pd->ngroups++];
            memset(ng, 0, sizeof *ng);
            ng->signature = sig;
            sig = NULL;
            for (int r = 0; r < pd->nrules; r++) {
                if (!fs[r]) continue;
                ng->rules = realloc(ng->rules, (size_t)(ng->nrules + 1) * sizeof *ng->rules);
                if (!ng->rules) abort();
                ng->rules[ng->nrules++] = (sgc_pd_group_rule){r, fs[r]};
                group_add_katoms(ng, fs[r]);
                fs[r] = NULL;
            }
        }
        for (int r = 0; r < pd->nrules; r++) sgc_ir_free(fs[r]);
        free(fs);
        free(sig);
        sgc_pd_group *grp = &pd->groups[g];
        grp->nrs = realloc(grp->nrs, (size_t)(grp->nnrs + 1) * sizeof *grp->nrs);
        if (!grp->nrs) abort();
        grp->nrs[grp->nnrs++] = nr;
        pd->group_of_nr[nr] = g;
    }
    pd->default_group = -1;
    for (int g = 0; g < pd->ngroups; g++)
        if (pd->default_group < 0 || pd->groups[g].nnrs > pd->groups[pd->default_group].nnrs)
            pd->default_group = g;
}

/* ---- building ------------------------------------------------------------------ */

static void add_rule(sgc_pushdown *pd, const char *name, const sgc_node *resolved)
{
    sgc_pd_rule *r = &pd->rules[pd->nrules];
    r->name = name;
    r->bit = pd->nrules++;
    if (resolved) {
        r->cond = sgc_ir_from_ast(resolved, &pd->atoms);
        sgc_condition_evttypes(resolved, &r->types);
    } else { /* not resolved: decide nothing, a candidate for every event */
        r->cond = sgc_ir_const(SGC_K_UNKNOWN);
        sgc_evtset_init(&r->types, true);
    }
    r->never = (r->cond->kind == SGC_IR_CONST && r->cond->value == SGC_K_FALSE) ||
               sgc_evtset_is_empty(&r->types);
}

/* A rule of another event source: it matches no syscall event. */
static void add_rule_never(sgc_pushdown *pd, const char *name, const char *source)
{
    sgc_pd_rule *r = &pd->rules[pd->nrules];
    r->name = name;
    r->source = source;
    r->bit = pd->nrules++;
    r->cond = sgc_ir_const(SGC_K_FALSE);
    sgc_evtset_init(&r->types, false);
    r->never = true;
}

static sgc_pushdown *new_pushdown(int nrules)
{
    sgc_pushdown *pd = calloc(1, sizeof *pd);
    if (!pd) abort();
    sgc_ir_atoms_init(&pd->atoms);
    pd->rules = calloc((size_t)nrules + 1, sizeof *pd->rules);
    if (!pd->rules) abort();
    pd->max_nr = sgc_syscall_max_nr();
    return pd;
}

static sgc_pushdown *finish(sgc_pushdown *pd)
{
    pd->cand_words = pd->nrules ? (pd->nrules + 63) / 64 : 1;
    rule_nrs_build(pd);
    build_groups(pd);
    sgc_pd_index_build(pd);
    return pd;
}

sgc_pushdown *sgc_pushdown_build(const sgc_ruleset *rs)
{
    sgc_pushdown *pd = new_pushdown(rs->nrules);
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!r->enabled) continue;
        if (r->unknown_source || sgc_rule_source(r) != SGC_SRC_SYSCALL)
            add_rule_never(pd, r->name, r->source ? r->source : "?"); /* no kernel part */
        else
            add_rule(pd, r->name, r->resolved);
    }
    return finish(pd);
}

sgc_pushdown *sgc_pushdown_build_conditions(const sgc_node *const *conds, const char *const *names,
                                            int n)
{
    sgc_pushdown *pd = new_pushdown(n);
    for (int i = 0; i < n; i++) add_rule(pd, names ? names[i] : NULL, conds[i]);
    return finish(pd);
}

void sgc_pushdown_free(sgc_pushdown *pd)
{
    if (!pd) return;
    for (int i = 0; i < pd->nrules; i++) {
        sgc_ir_free(pd->rules[i].cond);
        sgc_evtset_free(&pd->rules[i].types);
    }
    free(pd->rules);
    for (int g = 0; g < pd->ngroups; g++) {
        sgc_pd_group *grp = &pd->groups[g];
        for (int i = 0; i < grp->nrules; i++) sgc_ir_free(grp->rules[i].f);
        free(grp->rules);
        free(grp->nrs);
        free(grp->katoms);
        free(grp->signature);
    }
    free(pd->groups);
    free(pd->group_of_nr);
    cache_drop(pd);
    free(pd->rule_nrs);
    sgc_pd_index_free(pd);
    sgc_pd_free_sets_and_katoms(pd);
    sgc_ir_atoms_free(&pd->atoms);
    free(pd);
}

/* ---- how much the kernel decides ------------------------------------------- */

const char *sgc_pd_rule_status_name(sgc_pd_rule_status s)
{
    static const char *const names[] = {"complete", "partial", "userspace", "no-syscall", "never"};
    return names[s];
}

/* Decided exactly: no UNKNOWN constant, only exact kernel atoms. */
static bool formula_exact(const sgc_pushdown *pd, const sgc_ir *f)
{
    if (f->kind == SGC_IR_CONST) return f->value != SGC_K_UNKNOWN;
    if (f->kind == SGC_IR_ATOM) return pd->katoms[f->atom]->cls == SGC_PD_EXACT;
    for (int i = 0; i < f->nkids; i++)
        if (!formula_exact(pd, f->kids[i])) return false;
    return true;
}

sgc_pd_rule_status sgc_pushdown_rule_status(sgc_pushdown *pd, int rule)
{
    if (pd->rules[rule].never) return SGC_PD_RULE_NEVER;
    bool any = false, exact = true, drops = false;
    for (int nr = 0; nr <= pd->max_nr; nr++) {
        if (!sgc_syscall_name(nr)) continue;
        sgc_ir *f = sgc_pushdown_specialize(pd, rule, nr);
        if (!f) continue;
        any = true;
        if (!formula_exact(pd, f)) exact = false;
        /* the kernel can drop for this rule unless its formula is a constant non-FALSE */
        if (!(f->kind == SGC_IR_CONST && f->value != SGC_K_FALSE)) drops = true;
        if (f->kind == SGC_IR_CONST && f->value == SGC_K_FALSE) drops = true;
        sgc_ir_free(f);
    }
    if (!any) return SGC_PD_RULE_NO_SYSCALL;
    if (exact) return SGC_PD_RULE_COMPLETE;
    return drops ? SGC_PD_RULE_PARTIAL : SGC_PD_RULE_USERSPACE;
}
