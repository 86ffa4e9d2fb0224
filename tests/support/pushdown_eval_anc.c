/* The reference of the kernel's proc.aname atoms (bpf-templates/
 * filter_anc.h, compiler/pushdown/pushdown_anc.c): over the record's parent
 * comm and its SGC_BLOB_ANCESTORS, as the filter reads them. */
#include "codegen_bpf.h"
#include "decode.h"
#include "pushdown_eval.h"

#include <string.h>

/* One level against the atom's set: TRUE/FALSE/UNKNOWN, or -1 past the root. */
static int level_value(const sgc_pushdown *pd, const sgc_katom *k, const sgc_evt *ev,
                       const struct sgc_ancestors *a, int level)
{
    const char *c;
    if (level == 1) {
        if (a && a->end == 1) return -1;
        c = ev->hdr->pcomm;
    } else if (!a) {
        return SGC_K_UNKNOWN;
    } else {
        int st = sgc_anc_level(a, level, &c);
        if (st == SGC_ANC_ABSENT) return -1;
        if (st == SGC_ANC_UNSENT) return SGC_K_UNKNOWN;
    }
    size_t len = strnlen(c, SGC_COMM_LEN - 1);
    if (!len) return SGC_K_UNKNOWN; /* an empty comm */
    const sgc_kset *set = pd->sets[k->set];
    if (set->kind == SGC_SET_EQ &&
        sgc_codegen_comm_index(pd, k->set) >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
        return SGC_K_UNKNOWN; /* past the comm map's planes: the constant UNKNOWN */
    return sgc_kset_match(set, c, len);
}

sgc_kleene sgc_kanc_eval(const sgc_pushdown *pd, const sgc_katom *k, const sgc_evt *ev)
{
    const sgc_kset *set = pd->sets[k->set];
    if (set->kind == SGC_SET_EQ &&
        sgc_codegen_comm_index(pd, k->set) >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
        return SGC_K_UNKNOWN;
    const struct sgc_ancestors *a = sgc_evt_ancestors(ev);
    int depth = sgc_pd_anc_depth(pd);
    if (k->idx) {
        if (k->idx > depth) return SGC_K_UNKNOWN;
        int v = level_value(pd, k, ev, a, k->idx);
        if (v < 0) return SGC_K_FALSE; /* `!=` too: the evaluator's <NA> */
        return k->negate ? sgc_kleene_not((sgc_kleene)v) : (sgc_kleene)v;
    }
    sgc_kleene r = SGC_K_FALSE;
    for (int l = 1; l <= depth; l++) {
        int v = level_value(pd, k, ev, a, l);
        if (v == SGC_K_TRUE) return SGC_K_TRUE;
        if (v == SGC_K_UNKNOWN) r = SGC_K_UNKNOWN;
    }
    return a && a->end && a->n + 1 <= depth ? r : SGC_K_UNKNOWN;
}
