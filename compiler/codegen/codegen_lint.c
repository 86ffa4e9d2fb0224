/* sgc lint's warnings about the kernel filter's shape (codegen_lint.h):
 * split groups, and the parts a size limit leaves to userspace, each at the
 * rule or check it is about, with the numbers. */
#include "codegen_lint.h"
#include "codegen_bpf.h"
#include "pushdown_split.h"
#include "systables.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Rules named in a message; the others are counted. */
#define NAMES_SHOWN 3

typedef struct lint_ctx {
    const sgc_pushdown *pd;
    sgc_diags *d;
    const sgc_rule **by_bit; /* the rule of each candidate bit */
    sgc_kernel_filter_stats *st;
} lint_ctx;

/* "openat, open, ... and 3 more" */
static void syscall_names(const int *nrs, int n, int stride, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < n && i < 4 && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "",
                               sgc_syscall_name(nrs[i * stride]));
    if (n > 4 && at < size) snprintf(buf + at, size - at, " and %d more", n - 4);
}

/* "'a', 'b', 'c' and 12 more": bits[0..min(total, NAMES_SHOWN)) */
static void rule_names(const lint_ctx *c, const int *bits, int total, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < total && i < NAMES_SHOWN && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s'%s'", i ? ", " : "",
                               c->pd->rules[bits[i]].name ? c->pd->rules[bits[i]].name : "?");
    if (total > NAMES_SHOWN && at < size)
        snprintf(buf + at, size - at, " and %d more", total - NAMES_SHOWN);
}

/* A warning at loc (the rule's condition when loc has no source), about
 * the rule of candidate bit `bit` (-1: none). */
__attribute__((format(printf, 5, 6))) static void warn(lint_ctx *c, const char *code, int bit,
                                                       sgc_loc loc, const char *fmt, ...)
{
    const sgc_rule *r = bit >= 0 ? c->by_bit[bit] : NULL;
    if (!loc.src && r) loc = sgc_rule_cond_loc(r);
    va_list ap;
    va_start(ap, fmt);
    sgc_diag_vat(c->d, SGC_SEV_WARNING, code, loc, fmt, ap);
    va_end(ap);
    char *item = NULL;
    if (r && asprintf(&item, "rule '%s'", r->name) >= 0) sgc_diag_set_item(c->d, item);
    free(item);
}

/* ---- split groups and rules too large for one function ---------------------- */

static void lint_group(lint_ctx *c, int gi, bool *kept_warned)
{
    const sgc_pushdown *pd = c->pd;
    const sgc_pd_group *g = &pd->groups[gi];
    sgc_pd_split s;
    sgc_pd_split_group(pd, gi, 0, 0, &s);
    c->st->groups++;
    char sys[160], names[400];
    syscall_names(g->nrs, g->nnrs, 1, sys, sizeof sys);
    if (s.nchunks > 1) {
        int unguarded = 0;
        for (int i = 0; i < s.nchunks; i++) unguarded += !s.chunks[i].guard;
        c->st->split_groups++;
        c->st->functions += s.nchunks;
        c->st->unguarded += unguarded;
        int bits[NAMES_SHOWN];
        for (int i = 0; i < g->nrules && i < NAMES_SHOWN; i++) bits[i] = g->rules[i].rule;
        rule_names(c, bits, g->nrules, names, sizeof names);
        char how[200];
        if (unguarded == s.nchunks)
            snprintf(how, sizeof how, "every one runs for each event of these syscalls");
        else if (unguarded)
            snprintf(how, sizeof how,
                     "an event runs only the functions whose rule-index guard it passes "
                     "(%d of the %d have no guard and always run)",
                     unguarded, s.nchunks);
        else
            snprintf(how, sizeof how,
                     "an event runs only the functions whose rule-index guard it passes");
        char kept[120] = "";
        if (s.nkept)
            snprintf(kept, sizeof kept,
                     "; %d of its rules are too large for one function and left to userspace",
                     s.nkept);
        warn(c, "SGC_KERNEL_FILTER_SPLIT", g->rules[0].rule, (sgc_loc){0},
             "the kernel filter of %s (%d rules: %s; %d kernel atoms) is split into %d functions "
             "of at most %d atoms and %d rules each: %s%s",
             sys, g->nrules, names, g->nkatoms, s.nchunks, SGC_PD_CHUNK_ATOMS, SGC_PD_CHUNK_RULES,
             how, kept);
    }
    for (int k = 0; k < s.nkept; k++) {
        int bit = g->rules[s.kept[k]].rule;
        if (kept_warned[bit]) continue;
        kept_warned[bit] = true;
        c->st->kept_rules++;
        int na = sgc_pd_formula_atoms(pd, g->rules[s.kept[k]].f);
        warn(c, "SGC_KERNEL_FILTER_USERSPACE", bit, (sgc_loc){0},
             "the kernel formula of this rule at %s has %d kernel atoms, more than one filter "
             "function holds (%d): the kernel passes every event of these syscalls for it, and "
             "userspace decides",
             sys, na, SGC_PD_CHUNK_ATOMS);
    }
    sgc_pd_split_free(&s);
}

/* ---- checks left to userspace by their list's length ----------------------- */

typedef struct limited {
    int atom;
    int first, npairs; /* pairs[2 * first ...]: its syscalls */
    int nrules;
    int bits[NAMES_SHOWN];
} limited;

/* The entry of an atom among lim[0..n) (ascending atoms), or NULL. */
static limited *limited_of(limited *lim, int n, int atom)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (lim[mid].atom == atom) return &lim[mid];
        if (lim[mid].atom < atom)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static void lint_long_lists(lint_ctx *c)
{
    const sgc_pushdown *pd = c->pd;
    int *pairs = NULL;
    int np = sgc_pushdown_over_limit(pd, &pairs);
    if (!np) return;
    /* one entry per distinct atom (the pairs come sorted by atom): a few,
     * not one per atom of the rule set */
    limited *lim = calloc((size_t)np, sizeof *lim);
    if (!lim) abort();
    int nlim = 0;
    for (int i = 0; i < np; i++) {
        if (!nlim || lim[nlim - 1].atom != pairs[2 * i])
            lim[nlim++] = (limited){.atom = pairs[2 * i], .first = i};
        lim[nlim - 1].npairs++;
    }
    /* the rules that use each such check at one of its syscalls */
    for (int bit = 0; bit < pd->nrules; bit++) {
        if (pd->rules[bit].never) continue;
        int *ids = NULL, n = 0;
        sgc_ir_collect_atoms(pd->rules[bit].cond, &ids, &n);
        for (int i = 0; i < n; i++) {
            limited *l = limited_of(lim, nlim, ids[i]);
            bool at = false;
            for (int p = 0; l && p < l->npairs && !at; p++)
                at = sgc_pushdown_rule_has_nr(pd, bit, pairs[2 * (l->first + p) + 1]);
            if (!at) continue;
            if (l->nrules < NAMES_SHOWN) l->bits[l->nrules] = bit;
            l->nrules++;
        }
        free(ids);
    }
    for (int k = 0; k < nlim; k++) {
        const limited *l = &lim[k];
        if (!l->nrules) continue;
        const sgc_ir_atom *at = pd->atoms.v[l->atom];
        c->st->long_lists++;
        char sys[160], names[400];
        syscall_names(&pairs[2 * l->first + 1], l->npairs, 2, sys, sizeof sys);
        rule_names(c, l->bits, l->nrules, names, sizeof names);
        warn(c, "SGC_KERNEL_FILTER_USERSPACE", l->bits[0], at->loc,
             "%s%s%s%s %s (...) has %d items, more than the kernel tests inline (%d "
             "ports or socket names): the kernel filter leaves it to userspace (UNKNOWN) at %s, "
             "for the %d rule%s that use%s it (%s); %s other checks still filter in the kernel",
             at->field ? at->field : "?", at->arg ? "[" : "", at->arg ? at->arg : "",
             at->arg ? "]" : "", sgc_op_name(at->op), at->nvals, SGC_KSOCK_MAX_ITEMS, sys,
             l->nrules, l->nrules == 1 ? "" : "s", l->nrules == 1 ? "s" : "", names,
             l->nrules == 1 ? "its" : "their");
    }
    free(lim);
    free(pairs);
}

/* ---- comm sets beyond the comm map ------------------------------------------ */

/* Comm sets beyond the comm map's planes are UNKNOWN in the kernel. The
 * planes go to index guard sets first, then to the others in set order, as
 * sgc_codegen_comm_index numbers them (computed here in one pass). */
static void lint_comm_overflow(lint_ctx *c)
{
    const sgc_pushdown *pd = c->pd;
    int cap = SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS, nguards = 0, n = 0;
    for (int i = 0; i < pd->nsets; i++) {
        bool comm = pd->sets[i]->comm && pd->sets[i]->kind == SGC_SET_EQ;
        n += comm;
        nguards += comm && pd->sets[i]->guard;
    }
    if (n <= cap) return;
    bool *over = calloc((size_t)pd->nsets + 1, sizeof *over);
    bool *hit = calloc((size_t)pd->nrules + 1, sizeof *hit);
    if (!over || !hit) abort();
    for (int i = 0, g = 0, o = 0; i < pd->nsets; i++) {
        const sgc_kset *s = pd->sets[i];
        if (!s->comm || s->kind != SGC_SET_EQ) continue;
        over[i] = (s->guard ? g++ : nguards + o++) >= cap;
    }
    /* the rules whose kernel formula tests one of them */
    int nhit = 0, bits[NAMES_SHOWN] = {0};
    for (int gi = 0; gi < pd->ngroups; gi++) {
        const sgc_pd_group *g = &pd->groups[gi];
        for (int r = 0; r < g->nrules; r++) {
            int bit = g->rules[r].rule;
            if (hit[bit]) continue;
            int *ids = NULL, na = 0;
            sgc_ir_collect_atoms(g->rules[r].f, &ids, &na);
            for (int i = 0; i < na && !hit[bit]; i++) {
                const sgc_katom *k = pd->katoms[ids[i]];
                hit[bit] = k->kop == SGC_KOP_STR_SET && over[k->set];
            }
            free(ids);
            if (hit[bit] && nhit < NAMES_SHOWN) bits[nhit] = bit;
            nhit += hit[bit];
        }
    }
    c->st->comm_overflow = n - cap;
    char names[400] = "", guards[160] = "";
    rule_names(c, bits, nhit, names, sizeof names);
    if (nguards > cap)
        snprintf(guards, sizeof guards,
                 "; %d of them are rule-index guards, whose functions then always run",
                 nguards - cap);
    warn(c, "SGC_KERNEL_FILTER_USERSPACE", nhit ? bits[0] : -1, (sgc_loc){0},
         "the rules compare proc.name/proc.pname with %d distinct sets of names; the kernel's "
         "comm map holds %d: the checks of the other %d are left to userspace (UNKNOWN in the "
         "kernel), in %d rule%s (%s)%s",
         n, cap, n - cap, nhit, nhit == 1 ? "" : "s", nhit ? names : "none", guards);
    free(hit);
    free(over);
}

void sgc_kernel_filter_lint_pd(const sgc_ruleset *rs, const sgc_pushdown *pd, sgc_diags *d,
                               sgc_kernel_filter_stats *st)
{
    sgc_kernel_filter_stats none;
    if (!st) st = &none;
    memset(st, 0, sizeof *st);
    lint_ctx c = {pd, d, calloc((size_t)pd->nrules + 1, sizeof *c.by_bit), st};
    bool *kept_warned = calloc((size_t)pd->nrules + 1, sizeof *kept_warned);
    if (!c.by_bit || !kept_warned) abort();
    /* bits follow the enabled rules in file order (sgc_pushdown_build) */
    for (int i = 0, b = 0; i < rs->nrules && b < pd->nrules; i++)
        if (rs->rules[i]->enabled) c.by_bit[b++] = rs->rules[i];
    for (int gi = 0; gi < pd->ngroups; gi++) lint_group(&c, gi, kept_warned);
    lint_long_lists(&c);
    lint_comm_overflow(&c);
    free(kept_warned);
    free(c.by_bit);
}

bool sgc_kernel_filter_too_many(const sgc_ruleset *rs, sgc_diags *d)
{
    int enabled = 0;
    for (int i = 0; i < rs->nrules; i++) enabled += rs->rules[i]->enabled;
    if (enabled <= SGC_PD_MAX_RULES) return false;
    if (d)
        sgc_diag_add(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", NULL, 0, 0,
                     "%d enabled rules, more than a kernel filter decides for (%d): the rules are "
                     "compiled without one, and every event of their syscalls goes to userspace",
                     enabled, SGC_PD_MAX_RULES);
    return true;
}

bool sgc_kernel_filter_too_big(const sgc_pushdown *pd, sgc_diags *d)
{
    int n = sgc_pd_filter_functions(pd);
    if (n <= SGC_PD_MAX_FUNCTIONS) return false;
    if (d)
        sgc_diag_add(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", NULL, 0, 0,
                     "the kernel filter of these %d rules would need %d BPF functions, more than "
                     "one program holds (%d of the verifier's 256): the rules are compiled without "
                     "one, and every event of their syscalls goes to userspace",
                     pd->nrules, n, SGC_PD_MAX_FUNCTIONS);
    return true;
}

void sgc_kernel_filter_lint(const sgc_ruleset *rs, sgc_diags *d)
{
    if (sgc_kernel_filter_too_many(rs, d)) return;
    sgc_pushdown *pd = sgc_pushdown_build(rs);
    if (!pd) return;
    if (!sgc_kernel_filter_too_big(pd, d)) sgc_kernel_filter_lint_pd(rs, pd, d, NULL);
    sgc_pushdown_free(pd);
}

void sgc_kernel_filter_stats_print(FILE *out, const sgc_kernel_filter_stats *st)
{
    fprintf(out, "%d syscall group%s", st->groups, st->groups == 1 ? "" : "s");
    if (st->split_groups)
        fprintf(out, ", %d split into %d functions (%d without a rule-index guard)",
                st->split_groups, st->functions, st->unguarded);
    if (!st->kept_rules && !st->long_lists && !st->comm_overflow) {
        fputs("; nothing left to userspace by a size limit", out);
        return;
    }
    fprintf(out,
            "; left to userspace by a size limit: %d rule%s too large for one function, %d "
            "check%s on a long port list, %d proc.name set%s beyond the comm map",
            st->kept_rules, st->kept_rules == 1 ? "" : "s", st->long_lists,
            st->long_lists == 1 ? "" : "s", st->comm_overflow, st->comm_overflow == 1 ? "" : "s");
}
