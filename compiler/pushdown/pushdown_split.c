/* Cutting a syscall group's rules into chunks of bounded size (see
 * pushdown_split.h). Greedy, in rule order: a rule joins the current chunk
 * unless its new atoms or the rule count would overflow it. */
#include "pushdown_split.h"
#include "pushdown_index.h"

#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

/* Distinct atoms of a formula, stamped in mark[] with `stamp`. */
static void collect(const sgc_ir *f, int *mark, int stamp, int **out, int *n, int *cap)
{
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

static sgc_pd_chunk *new_chunk(sgc_pd_split *s)
{
    s->chunks = xrealloc(s->chunks, (size_t)(s->nchunks + 1) * sizeof *s->chunks);
    sgc_pd_chunk *c = &s->chunks[s->nchunks++];
    memset(c, 0, sizeof *c);
    c->union_atom = -1;
    return c;
}

static bool same_lits(const sgc_pd_chunk *a, const sgc_pd_chunk *b)
{
    return a->nlits == b->nlits && !memcmp(a->lits, b->lits, (size_t)a->nlits * sizeof *a->lits);
}

/* The classes of the chunks: runs of chunks with the same guard literals
 * (one class of every chunk, without a guard, for a group not indexed). */
static void add_classes(const sgc_pushdown *pd, int gi, bool indexed, sgc_pd_split *s)
{
    for (int c = 0; c < s->nchunks; c++) {
        if (c && (!indexed || same_lits(&s->chunks[c - 1], &s->chunks[c]))) {
            s->classes[s->nclasses - 1].nchunks++;
            continue;
        }
        s->classes = xrealloc(s->classes, (size_t)(s->nclasses + 1) * sizeof *s->classes);
        s->classes[s->nclasses++] = (sgc_pd_chunk_class){c, 1, NULL};
    }
    for (int k = 0; indexed && k < s->nclasses; k++) {
        sgc_pd_chunk_class *cl = &s->classes[k];
        const sgc_pd_chunk *c0 = &s->chunks[cl->first];
        int ua = sgc_pd_index_class_atom(pd, gi, c0->rules[0], cl->nchunks);
        for (int i = 0; i < c0->nlits; i++) /* the class's union is a literal already */
            if (c0->lits[i] == ua * 2) ua = -1;
        cl->guard = sgc_pd_index_guard_ir(c0->lits, c0->nlits, ua);
    }
}

/* The chunk's guard (pushdown_index.h), its atoms first in katoms: the
 * chunk's function tests it before resetting the rest of its memo. */
static void add_guard(const sgc_pushdown *pd, int gi, sgc_pd_chunk *c)
{
    int lits[SGC_PD_INDEX_MAX_LITS];
    c->union_atom = sgc_pd_index_guard(pd, gi, c->rules, c->nrules, lits, &c->nlits);
    c->lits = malloc(((size_t)c->nlits + 1) * sizeof *c->lits);
    if (!c->lits) abort();
    memcpy(c->lits, lits, (size_t)c->nlits * sizeof *lits);
    c->guard = sgc_pd_index_guard_ir(lits, c->nlits, c->union_atom);
    if (!c->guard) return;
    int *ga = NULL, ng = 0, cap = 0;
    int *mark = calloc((size_t)pd->nkatoms + 1, sizeof *mark);
    if (!mark) abort();
    collect(c->guard, mark, 1, &ga, &ng, &cap);
    int *all = malloc(((size_t)c->nkatoms + (size_t)ng + 1) * sizeof *all), n = 0;
    if (!all) abort();
    for (int i = 0; i < ng; i++) all[n++] = ga[i];
    for (int i = 0; i < c->nkatoms; i++)
        if (mark[c->katoms[i]] != 1) all[n++] = c->katoms[i];
    free(c->katoms);
    c->katoms = all;
    c->nkatoms = n;
    c->nguard_atoms = ng;
    free(ga);
    free(mark);
}

void sgc_pd_split_group(const sgc_pushdown *pd, int gi, int max_atoms, int max_rules,
                        sgc_pd_split *out)
{
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
    /* indexed groups (pushdown_index.h): rules of one shape together, a
     * chunk ending where the shape changes */
    int *order = malloc(((size_t)g->nrules + 1) * sizeof *order);
    int *key = malloc(((size_t)g->nrules + 1) * sizeof *key);
    if (!order || !key) abort();
    for (int i = 0; i < g->nrules; i++) order[i] = i;
    bool indexed = sgc_pd_index_order(pd, gi, order, key);
    for (int oi = 0; oi < g->nrules; oi++) {
        int i = order[oi];
        nra = 0;
        collect(g->rules[i].f, rmark, i + 1, &ra, &nra, &capra);
        if (nra > max_atoms) {
            out->kept = xrealloc(out->kept, (size_t)(out->nkept + 1) * sizeof *out->kept);
            out->kept[out->nkept++] = i;
            continue;
        }
        int fresh = 0;
        for (int k = 0; c && k < nra; k++) fresh += cmark[ra[k]] != out->nchunks;
        bool shape =
            indexed && c && c->nrules >= SGC_PD_INDEX_MIN_CHUNK && key[i] != key[c->rules[0]];
        if (!c || shape || c->nrules >= max_rules || c->nkatoms + fresh > max_atoms)
            c = new_chunk(out);
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
    free(order);
    free(key);
    if (indexed)
        for (int ci = 0; ci < out->nchunks; ci++) add_guard(pd, gi, &out->chunks[ci]);
    add_classes(pd, gi, indexed, out);
}

void sgc_pd_split_free(sgc_pd_split *s)
{
    for (int i = 0; i < s->nchunks; i++) {
        free(s->chunks[i].rules);
        free(s->chunks[i].katoms);
        sgc_ir_free(s->chunks[i].guard);
        free(s->chunks[i].lits);
    }
    for (int i = 0; i < s->nclasses; i++) sgc_ir_free(s->classes[i].guard);
    free(s->classes);
    free(s->chunks);
    free(s->kept);
    memset(s, 0, sizeof *s);
}

bool sgc_pd_split_whole(const sgc_pd_split *s) { return s->nchunks <= 1 && !s->nkept; }

int sgc_pd_split_functions(const sgc_pushdown *pd, const sgc_pd_split *s)
{
    if (sgc_pd_split_whole(s)) return 1;
    bool *seen = calloc((size_t)pd->nkatoms + 1, sizeof *seen);
    if (!seen) abort();
    int natoms = 0;
    for (int ci = 0; ci < s->nchunks; ci++)
        for (int i = 0; i < s->chunks[ci].nkatoms; i++) {
            int a = s->chunks[ci].katoms[i];
            if (!seen[a]) seen[a] = true, natoms++;
        }
    free(seen);
    return s->nchunks + (natoms + SGC_PD_ATOM_FN_CASES - 1) / SGC_PD_ATOM_FN_CASES + 2;
}

int sgc_pd_filter_functions(const sgc_pushdown *pd)
{
    int n = 2; /* the bitmap's clearing function, the dispatch's sgc_fall */
    for (int gi = 0; gi < pd->ngroups; gi++) {
        sgc_pd_split s;
        sgc_pd_split_group(pd, gi, 0, 0, &s);
        n += sgc_pd_split_functions(pd, &s);
        sgc_pd_split_free(&s);
    }
    return n;
}

int sgc_pd_formula_atoms(const sgc_pushdown *pd, const sgc_ir *f)
{
    int na = 0, cap = 0, *atoms = NULL;
    int *mark = calloc((size_t)pd->nkatoms + 1, sizeof *mark);
    if (!mark) abort();
    collect(f, mark, 1, &atoms, &na, &cap);
    free(mark);
    free(atoms);
    return na;
}
