/* sgc lint's warnings about the kernel filter's shape (codegen_lint.h). */
#include "codegen_lint.h"
#include "codegen_bpf.h"
#include "pushdown_split.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The syscalls of a group, for a message: "openat, open, ..." */
static void group_syscalls(const sgc_pd_group *g, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < g->nnrs && i < 4 && at < n; i++)
        at +=
            (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", sgc_syscall_name(g->nrs[i]));
    if (g->nnrs > 4 && at < n) snprintf(buf + at, n - at, " and %d more", g->nnrs - 4);
}

static const sgc_rule *rule_of_bit(const sgc_ruleset *rs, int bit)
{
    int b = 0;
    for (int i = 0; i < rs->nrules; i++) {
        if (!rs->rules[i]->enabled) continue;
        if (b++ == bit) return rs->rules[i];
    }
    return NULL;
}

/* Comm sets beyond the comm map's planes are UNKNOWN in the kernel. */
static void comm_overflow(const sgc_pushdown *pd, sgc_diags *d)
{
    int n = 0, cap = SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS;
    for (int i = 0; i < pd->nsets; i++) n += pd->sets[i]->comm && pd->sets[i]->kind == SGC_SET_EQ;
    if (n > cap)
        sgc_diag_add(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", NULL, 0, 0,
                     "the rules compare proc.name/proc.pname with %d distinct sets of names; the "
                     "kernel's comm "
                     "map holds %d: the checks of the other %d are left to userspace (UNKNOWN in "
                     "the kernel)",
                     n, cap, n - cap);
}

void sgc_kernel_filter_lint(const sgc_ruleset *rs, sgc_diags *d)
{
    int enabled = 0;
    for (int i = 0; i < rs->nrules; i++) enabled += rs->rules[i]->enabled;
    if (enabled > SGC_PD_MAX_RULES) {
        sgc_diag_add(d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", NULL, 0, 0,
                     "%d enabled rules, more than a kernel filter decides for (%d): the rules are "
                     "compiled without one, and every event of their syscalls goes to userspace",
                     enabled, SGC_PD_MAX_RULES);
        return;
    }
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
            sgc_diag_add(
                d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_SPLIT", NULL, 0, 0,
                "the kernel filter of %s (%d rules, %d kernel atoms) is split into %d functions of "
                "at "
                "most %d atoms and %d rules each; every one runs for each event of these syscalls",
                names, g->nrules, g->nkatoms, s.nchunks, SGC_PD_CHUNK_ATOMS, SGC_PD_CHUNK_RULES);
        for (int k = 0; k < s.nkept; k++) {
            int bit = g->rules[s.kept[k]].rule;
            const sgc_rule *r = rule_of_bit(rs, bit);
            if (warned[bit] || !r) continue;
            warned[bit] = true;
            int na = sgc_pd_formula_atoms(pd, g->rules[s.kept[k]].f);
            sgc_diag_at(
                d, SGC_SEV_WARNING, "SGC_KERNEL_FILTER_USERSPACE", (sgc_loc){r->cond_src, 0},
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
    comm_overflow(pd, d);
    sgc_pushdown_free(pd);
}
