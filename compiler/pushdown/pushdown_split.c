/* Cutting a syscall group's rules into chunks of bounded size (see
 * pushdown_split.h). Greedy, in rule order: a rule joins the current chunk
 * unless its new atoms or the rule count would overflow it. */
#include "pushdown_split.h"
#include "systables.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

/* Distinct atoms of a formula, stamped in mark[] with `stamp`. */
static void collect(const sgc_ir *f, int *mark, int stamp, int **out, int *n, int *cap) {
    if (f->kind == SGC_IR_ATOM) {
        if (mark[f->atom] == stamp) return;
        mark[f->atom] = stamp;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *out = xrealloc(*out, (size_t)*cap * sizeof **out);
        }
        (*out)[(*n)++] = f->atom;
        return;
    }
    for (int i = 0; i < f->nkids; i++) collect(f->kids[i], mark, stamp, out, n, cap);
}

static sgc_pd_chunk *new_chunk(sgc_pd_split *s) {
    s->chunks = xrealloc(s->chunks, (size_t)(s->nchunks + 1) * sizeof *s->chunks);
    sgc_pd_chunk *c = &s->chunks[s->nchunks++];
    memset(c, 0, sizeof *c);
    return c;
}

void sgc_pd_split_group(const sgc_pushdown *pd, int gi, int max_atoms, int max_rules, sgc_pd_split *out) {
    const sgc_pd_group *g = &pd->groups[gi];
    if (max_atoms <= 0) max_atoms = SGC_PD_CHUNK_ATOMS;
    if (max_rules <= 0) max_rules = SGC_PD_CHUNK_RULES;
    memset(out, 0, sizeof *out);
    /* rmark: the rule's own atoms (stamp = rule + 1); cmark: the current
     * chunk's (stamp = chunk + 1) */
    int *rmark = calloc((size_t)pd->nkatoms + 1, sizeof *rmark);
    int *cmark = calloc((size_t)pd->nkatoms + 1, sizeof *cmark);
    if (!rmark || !cmark) abort();
    int *ra = NULL, nra = 0, capra = 0;
    sgc_pd_chunk *c = NULL;
    for (int i = 0; i < g->nrules; i++) {
        nra = 0;
        collect(g->rules[i].f, rmark, i + 1, &ra, &nra, &capra);
        if (nra > max_atoms) {
            out->kept = xrealloc(out->kept, (size_t)(out->nkept + 1) * sizeof *out->kept);
            out->kept[out->nkept++] = i;
            continue;
        }
        int fresh = 0;
        for (int k = 0; c && k < nra; k++) fresh += cmark[ra[k]] != out->nchunks;
        if (!c || c->nrules >= max_rules || c->nkatoms + fresh > max_atoms) c = new_chunk(out);
        int stamp = out->nchunks;
        for (int k = 0; k < nra; k++) {
            if (cmark[ra[k]] == stamp) continue;
            cmark[ra[k]] = stamp;
            c->katoms = xrealloc(c->katoms, (size_t)(c->nkatoms + 1) * sizeof *c->katoms);
            c->katoms[c->nkatoms++] = ra[k];
        }
        c->rules = xrealloc(c->rules, (size_t)(c->nrules + 1) * sizeof *c->rules);
        c->rules[c->nrules++] = i;
    }
    free(ra);
    free(rmark);
    free(cmark);
}

void sgc_pd_split_free(sgc_pd_split *s) {
    for (int i = 0; i < s->nchunks; i++) {
        free(s->chunks[i].rules);
        free(s->chunks[i].katoms);
    }
    free(s->chunks);
    free(s->kept);
    memset(s, 0, sizeof *s);
}

void sgc_pd_split_stats_of(const sgc_pushdown *pd, sgc_pd_split_stats *st, bool *kept_rules) {
    memset(st, 0, sizeof *st);
    bool *seen = calloc((size_t)pd->nrules + 1, sizeof *seen);
    if (!seen) abort();
    for (int gi = 0; gi < pd->ngroups; gi++) {
        sgc_pd_split s;
        sgc_pd_split_group(pd, gi, 0, 0, &s);
        st->total_chunks += s.nchunks;
        if (s.nchunks > 1) st->split_groups++;
        if (s.nchunks > st->max_chunks) st->max_chunks = s.nchunks;
        for (int k = 0; k < s.nkept; k++) {
            int r = pd->groups[gi].rules[s.kept[k]].rule;
            if (!seen[r]) st->kept++;
            seen[r] = true;
        }
        sgc_pd_split_free(&s);
    }
    if (kept_rules) memcpy(kept_rules, seen, (size_t)pd->nrules * sizeof *seen);
    free(seen);
}

/* The syscalls of a group, for a message: "openat, open, ..." */
static void group_syscalls(const sgc_pd_group *g, char *buf, size_t n) {
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < g->nnrs && i < 4 && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", sgc_syscall_name(g->nrs[i]));
    if (g->nnrs > 4 && at < n) snprintf(buf + at, n - at, " and %d more", g->nnrs - 4);
}

static const sgc_rule *rule_of_bit(const sgc_ruleset *rs, int bit) {
    int b = 0;
    for (int i = 0; i < rs->nrules; i++) {
        if (!rs->rules[i]->enabled) continue;
        if (b++ == bit) return rs->rules[i];
    }
    return NULL;
}

void sgc_pd_split_lint(const sgc_ruleset *rs, sgc_diags *d) {
    sgc_pushdown *pd = sgc_pushdown_build(rs);
    if (!pd) return;
    bool *warned = calloc((size_t)pd->nrules + 1, sizeof *warned);
    if (!warned) abort();
    for (int gi = 0; gi < pd->ngroups; gi++) {
        const sgc_pd_group *g = &pd->groups[gi];
        sgc_pd_split s;
        sgc_pd_split_group(pd, gi, 0, 0, &s);
        char names[160];
        group_syscalls(g, names, sizeof names);
        if (s.nchunks > 1)
            sgc_diag_add(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_SPLIT", NULL, 0, 0,
                         "the kernel filter of %s (%d rules, %d kernel atoms) is split into %d functions of at "
                         "most %d atoms and %d rules each; every one runs for each event of these syscalls",
                         names, g->nrules, g->nkatoms, s.nchunks, SGC_PD_CHUNK_ATOMS, SGC_PD_CHUNK_RULES);
        for (int k = 0; k < s.nkept; k++) {
            int bit = g->rules[s.kept[k]].rule;
            const sgc_rule *r = rule_of_bit(rs, bit);
            if (warned[bit] || !r) continue;
            warned[bit] = true;
            int na = 0, cap = 0, *atoms = NULL;
            int *mark = calloc((size_t)pd->nkatoms + 1, sizeof *mark);
            if (!mark) abort();
            collect(g->rules[s.kept[k]].f, mark, 1, &atoms, &na, &cap);
            free(mark);
            free(atoms);
            sgc_diag_at(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", (sgc_loc){r->cond_src, 0},
                        "the kernel formula of this rule at %s has %d kernel atoms, more than one filter "
                        "function holds (%d): the kernel passes every event of these syscalls for it, and "
                        "userspace decides",
                        names, na, SGC_PD_CHUNK_ATOMS);
            char *item = NULL;
            if (asprintf(&item, "rule '%s'", r->name) >= 0) sgc_diag_set_item(d, item);
            free(item);
        }
        sgc_pd_split_free(&s);
    }
    free(warned);
    sgc_pushdown_free(pd);
}
