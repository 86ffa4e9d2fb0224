/* proc.aname in the kernel: the comms of the task's real_parent chain, which
 * the filter walks when an atom first needs them (bpf-templates/
 * filter_anc.h) and the record carries (SGC_BLOB_ANCESTORS), so the
 * evaluator reads the same names (runtime/eval/fields_proc.c x_aname).
 *   proc.aname[N], 2 <= N <= SGC_ANC_MAX: `=`, `!=`, `in`, `startswith` on
 *     ancestor N's comm, as proc.pname on the parent's; FALSE (every
 *     comparison, `!=` included) when the chain ends before N (past init:
 *     the evaluator's <NA>); UNKNOWN for an empty comm;
 *   proc.aname (any ancestor): `=`, `in`, `startswith`: TRUE when one of the
 *     ancestors the filter walked (up to the deepest level the rule set
 *     needs, SGC_ANC_MAX) matches, FALSE when none does and the chain ended
 *     within them, UNKNOWN otherwise (the evaluator walks every ancestor).
 * aname[0] and aname[1] are proc.name and proc.pname (pushdown_classify.c).
 * docs/explain.md, "Parents: the kernel's view". */
#include "pushdown_int.h"

sgc_pd_verdict sgc_pd_classify_anc(sgc_pushdown *pd, const sgc_ir_atom *a)
{
    int64_t level = 0;
    if (a->arg) {
        if (!sgc_pd_parse_int(a->arg, &level) || level < 2)
            return sgc_pd_userspace("proc.aname: an index the kernel does not read");
        if (level > SGC_ANC_MAX)
            return sgc_pd_userspace("proc.aname: the kernel reads ancestors up to proc.aname[8]");
    }
    sgc_katom k = {.src = SGC_KV_ANC, .idx = (int)level, .kop = SGC_KOP_STR_SET};
    /* without an index `!=` is "some ancestor differs": left to userspace */
    if (a->op == SGC_OP_NE && (!level || a->nvals != 1))
        return sgc_pd_userspace("proc.aname: `!=` on any ancestor");
    sgc_set_kind kind;
    const char *why = sgc_pd_name_set(a, &kind, &k.negate,
                                      "operator not decided on ancestor names in the kernel");
    if (why) return sgc_pd_userspace(why);
    k.set = sgc_pd_intern_set(pd, kind, true, (const char *const *)a->vals, a->nvals);
    int id = sgc_pd_intern_katom(pd, &k);
    return (sgc_pd_verdict){
        pd->katoms[id]->cls, id, -1,
        level ? "the comm of the kernel's ancestor (real_parent chain) at the event; FALSE past "
                "init, UNKNOWN for an empty comm"
              : "the comms of the kernel's ancestors (real_parent chain) up to proc.aname[8]: "
                "TRUE when one matches, FALSE when none does and the chain ends there, else "
                "UNKNOWN",
        false};
}

int sgc_pd_anc_depth(const sgc_pushdown *pd)
{
    int depth = 0;
    for (int i = 0; i < pd->nkatoms; i++) {
        const sgc_katom *k = pd->katoms[i];
        if (k->src != SGC_KV_ANC) continue;
        int d = k->idx ? k->idx : SGC_ANC_MAX;
        if (d > depth) depth = d;
    }
    return depth;
}
