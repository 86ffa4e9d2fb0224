/* The rule index of split groups: keys, chunk guards and union sets (see
 * pushdown_index.h). */
#include "pushdown_index.h"
#include "pushdown_int.h"
#include "pushdown_split.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One interned union atom: kind 0, of the chunk of group gi that starts
 * with group rule `first` and holds n rules; kind 1, of the class of n
 * chunks whose first chunk starts with `first`. */
typedef struct index_entry {
    int gi, kind, first, n, katom;
} index_entry;

struct sgc_pd_index {
    index_entry *e;
    int n;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

/* The top-level conjuncts of an NNF formula that are literals: atom * 2 +
 * negated. Returns the count (at most cap). */
static int conjunct_lits(const sgc_ir *f, int *out, int cap)
{
    const sgc_ir *const *kids = (const sgc_ir *const *)&f;
    int n = 1;
    if (f->kind == SGC_IR_AND) {
        kids = (const sgc_ir *const *)f->kids;
        n = f->nkids;
    }
    int m = 0;
    for (int i = 0; i < n && m < cap; i++) {
        const sgc_ir *k = kids[i];
        if (k->kind == SGC_IR_ATOM)
            out[m++] = k->atom * 2;
        else if (k->kind == SGC_IR_NOT && k->kids[0]->kind == SGC_IR_ATOM)
            out[m++] = k->kids[0]->atom * 2 + 1;
    }
    return m;
}

#define MAX_LITS SGC_PD_INDEX_MAX_LITS

/* A positive set literal the union can be taken over: a plain set atom. */
static bool unionable(const sgc_pushdown *pd, int lit)
{
    if (lit & 1) return false;
    const sgc_katom *k = pd->katoms[lit / 2];
    /* ancestor names stay out: a walk, not one lookup, and a guard's
     * union would have to treat absent levels as its atoms do */
    return k->kop == SGC_KOP_STR_SET && !k->negate && !k->ret_guard && k->src != SGC_KV_ANC;
}

/* Which strings two set atoms read and how: equal for atoms whose sets may
 * be united. */
static bool same_string(const sgc_pushdown *pd, int a, int b)
{
    const sgc_katom *x = pd->katoms[a], *y = pd->katoms[b];
    return x->src == y->src && x->idx == y->idx && x->flags_idx == y->flags_idx &&
           pd->sets[x->set]->kind == pd->sets[y->set]->kind &&
           pd->sets[x->set]->comm == pd->sets[y->set]->comm;
}

/* The rule's index atom: its positive set conjunct read earliest (comm,
 * decided in the early pass, before strings), then the smallest set. -1
 * when it has none. */
static int index_atom(const sgc_pushdown *pd, const sgc_ir *f)
{
    int lits[MAX_LITS];
    int n = conjunct_lits(f, lits, MAX_LITS), best = -1;
    long best_rank = 0;
    for (int i = 0; i < n; i++) {
        if (!unionable(pd, lits[i])) continue;
        const sgc_katom *k = pd->katoms[lits[i] / 2];
        bool early = k->src == SGC_KV_COMM || k->src == SGC_KV_PCOMM;
        long rank = (early ? 0 : 1L << 40) + pd->sets[k->set]->nitems;
        if (best < 0 || rank < best_rank) best = lits[i] / 2, best_rank = rank;
    }
    return best;
}

typedef struct keyed {
    char *key;
    int pos;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->pos - y->pos;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

bool sgc_pd_index_order(const sgc_pushdown *pd, int gi, int *order, int *key)
{
    const sgc_pd_group *g = &pd->groups[gi];
    if (g->nrules <= SGC_PD_INDEX_MIN_RULES) return false;
    /* literals shared by two rules or more of the group */
    int *count = calloc((size_t)pd->nkatoms * 2 + 2, sizeof *count);
    keyed *ks = calloc((size_t)g->nrules, sizeof *ks);
    if (!count || !ks) abort();
    int lits[MAX_LITS];
    for (int r = 0; r < g->nrules; r++) {
        int n = conjunct_lits(g->rules[r].f, lits, MAX_LITS);
        for (int i = 0; i < n; i++) count[lits[i]]++;
    }
    for (int r = 0; r < g->nrules; r++) {
        int n = conjunct_lits(g->rules[r].f, lits, MAX_LITS);
        qsort(lits, (size_t)n, sizeof *lits, int_cmp);
        char *buf = NULL;
        size_t len = 0;
        FILE *o = open_memstream(&buf, &len);
        if (!o) abort();
        int ia = index_atom(pd, g->rules[r].f);
        if (ia >= 0) {
            const sgc_katom *k = pd->katoms[ia];
            fprintf(o, "U%d,%d,%d,%d,%d|", (int)k->src, k->idx, k->flags_idx,
                    (int)pd->sets[k->set]->kind, (int)pd->sets[k->set]->comm);
        } else {
            fputs("-|", o);
        }
        for (int i = 0; i < n; i++)
            if (count[lits[i]] >= 2) fprintf(o, "%d,", lits[i]);
        fclose(o);
        ks[r] = (keyed){buf, r};
    }
    qsort(ks, (size_t)g->nrules, sizeof *ks, keyed_cmp);
    int cls = 0;
    for (int i = 0; i < g->nrules; i++) {
        if (i && strcmp(ks[i].key, ks[i - 1].key)) cls++;
        order[i] = ks[i].pos;
        key[ks[i].pos] = cls;
    }
    for (int i = 0; i < g->nrules; i++) free(ks[i].key);
    free(ks);
    free(count);
    return true;
}

/* The atom interned for `kind` (chunk or class) of group gi starting
 * with group rule `first` and holding n chunk rules or chunks, or -1. */
static int lookup(const sgc_pushdown *pd, int gi, int kind, int first, int n)
{
    const struct sgc_pd_index *x = pd->index;
    for (int i = 0; x && n > 0 && i < x->n; i++)
        if (x->e[i].gi == gi && x->e[i].kind == kind && x->e[i].first == first && x->e[i].n == n)
            return x->e[i].katom;
    return -1;
}

/* The rules' union atom candidates: each rule's index atom, all over the
 * same string, or false. */
static bool chunk_index_atoms(const sgc_pushdown *pd, int gi, const int *rules, int nrules,
                              int *atoms)
{
    const sgc_pd_group *g = &pd->groups[gi];
    for (int i = 0; i < nrules; i++) {
        atoms[i] = index_atom(pd, g->rules[rules[i]].f);
        if (atoms[i] < 0 || !same_string(pd, atoms[0], atoms[i])) return false;
    }
    return nrules > 0;
}

int sgc_pd_index_guard(const sgc_pushdown *pd, int gi, const int *rules, int nrules, int *lits,
                       int *nlits)
{
    const sgc_pd_group *g = &pd->groups[gi];
    *nlits = 0;
    if (g->nrules <= SGC_PD_INDEX_MIN_RULES || nrules <= 0) return -1;
    /* the first rule's literals that every other rule has too */
    int other[MAX_LITS];
    int ns = conjunct_lits(g->rules[rules[0]].f, lits, MAX_LITS);
    for (int r = 1; r < nrules && ns; r++) {
        int no = conjunct_lits(g->rules[rules[r]].f, other, MAX_LITS), keep = 0;
        for (int i = 0; i < ns; i++) {
            bool has = false;
            for (int j = 0; j < no && !has; j++) has = other[j] == lits[i];
            if (has) lits[keep++] = lits[i];
        }
        ns = keep;
    }
    /* a literal twice in the first rule: once */
    qsort(lits, (size_t)ns, sizeof *lits, int_cmp);
    int nu = 0;
    for (int i = 0; i < ns; i++)
        if (!nu || lits[nu - 1] != lits[i]) lits[nu++] = lits[i];
    *nlits = nu;
    int ua = lookup(pd, gi, 0, rules[0], nrules);
    for (int i = 0; i < nu; i++) /* the union of one shared set is that set's atom */
        if (lits[i] == ua * 2) return -1;
    return ua;
}

int sgc_pd_index_class_atom(const sgc_pushdown *pd, int gi, int first, int nchunks)
{
    return lookup(pd, gi, 1, first, nchunks);
}

sgc_ir *sgc_pd_index_guard_ir(const int *lits, int nlits, int atom)
{
    if (!nlits && atom < 0) return NULL;
    sgc_ir *and = sgc_ir_new(SGC_IR_AND);
    for (int i = 0; i < nlits; i++) {
        sgc_ir *a = sgc_ir_atom_ref(lits[i] / 2);
        if (lits[i] & 1) {
            sgc_ir *n = sgc_ir_new(SGC_IR_NOT);
            sgc_ir_add_kid(n, a);
            a = n;
        }
        sgc_ir_add_kid(and, a);
    }
    if (atom >= 0) sgc_ir_add_kid(and, sgc_ir_atom_ref(atom));
    return and;
}

/* Intern the union set of the sets of atoms[0..n) (set atoms over one
 * string) and its atom; -1 when it would hold more than
 * SGC_PD_INDEX_MAX_UNION items. */
static int intern_union(sgc_pushdown *pd, const int *atoms, int n)
{
    const sgc_katom *k0 = pd->katoms[atoms[0]];
    const sgc_kset *s0 = pd->sets[k0->set];
    int nitems = 0, cap = 0;
    const char **items = NULL;
    int *seen = calloc((size_t)pd->nsets + 1, sizeof *seen);
    if (!seen) abort();
    for (int i = 0; i < n && nitems <= SGC_PD_INDEX_MAX_UNION; i++) {
        int si = pd->katoms[atoms[i]]->set;
        if (seen[si]) continue;
        seen[si] = 1;
        const sgc_kset *s = pd->sets[si];
        for (int j = 0; j < s->nitems; j++) {
            if (nitems == cap) {
                cap = cap ? cap * 2 : 64;
                items = xrealloc(items, (size_t)cap * sizeof *items);
            }
            items[nitems++] = s->items[j];
        }
    }
    free(seen);
    if (nitems > SGC_PD_INDEX_MAX_UNION) {
        free(items);
        return -1;
    }
    int set = sgc_pd_intern_set(pd, s0->kind, s0->comm, items, nitems);
    free(items);
    pd->sets[set]->guard = true;
    sgc_katom k = *k0;
    k.nums = NULL;
    k.text = NULL;
    k.set = set;
    return sgc_pd_intern_katom(pd, &k);
}

static void add_entry(struct sgc_pd_index *x, index_entry e)
{
    x->e = xrealloc(x->e, (size_t)(x->n + 1) * sizeof *x->e);
    x->e[x->n++] = e;
}

/* The union atom of a class of two chunks or more whose union atoms
 * (ua[first..first+n)) all read one string. */
static void class_union(sgc_pushdown *pd, int gi, const sgc_pd_split *sp,
                        const sgc_pd_chunk_class *cl, const int *ua)
{
    if (cl->nchunks < 2) return;
    for (int c = cl->first; c < cl->first + cl->nchunks; c++)
        if (ua[c] < 0 || !same_string(pd, ua[cl->first], ua[c])) return;
    int ka = intern_union(pd, ua + cl->first, cl->nchunks);
    if (ka >= 0)
        add_entry(pd->index, (index_entry){gi, 1, sp->chunks[cl->first].rules[0], cl->nchunks, ka});
}

void sgc_pd_index_build(sgc_pushdown *pd)
{
    struct sgc_pd_index *x = calloc(1, sizeof *x);
    if (!x) abort();
    pd->index = x;
    for (int gi = 0; gi < pd->ngroups; gi++) {
        if (pd->groups[gi].nrules <= SGC_PD_INDEX_MIN_RULES) continue;
        sgc_pd_split sp;
        sgc_pd_split_group(pd, gi, 0, 0, &sp);
        int *ua = malloc(((size_t)sp.nchunks + 1) * sizeof *ua);
        if (!ua) abort();
        for (int c = 0; c < sp.nchunks; c++) {
            const sgc_pd_chunk *ch = &sp.chunks[c];
            int *atoms = malloc(((size_t)ch->nrules + 1) * sizeof *atoms);
            if (!atoms) abort();
            ua[c] = -1;
            if (chunk_index_atoms(pd, gi, ch->rules, ch->nrules, atoms))
                ua[c] = intern_union(pd, atoms, ch->nrules);
            if (ua[c] >= 0) add_entry(x, (index_entry){gi, 0, ch->rules[0], ch->nrules, ua[c]});
            free(atoms);
        }
        for (int k = 0; k < sp.nclasses; k++) class_union(pd, gi, &sp, &sp.classes[k], ua);
        free(ua);
        sgc_pd_split_free(&sp);
    }
}

void sgc_pd_index_free(sgc_pushdown *pd)
{
    if (!pd->index) return;
    free(pd->index->e);
    free(pd->index);
    pd->index = NULL;
}
