/* user.name, group.name and user.loginname atoms in the kernel. The
 * evaluator names the header's euid, egid or loginuid with the user cache,
 * which reads the process's own container's database (runtime/eval/
 * fields_user.c); the runtime copies the names that cache gives the host's
 * ids into the kernel's sgc_unames map (runtime/pipeline/unames.c). So the
 * kernel decides the atom for a process known to be on the host (the fact
 * container.id = host uses, pushdown_container.c) whose id the map names,
 * comparing that name with the constants as the evaluator does (byte
 * equality, byte prefix); UNKNOWN for any other process or id. A loginuid
 * that is unset has no name in the evaluator: every comparison, `!=`
 * included, is FALSE, wherever the process is.
 * Decided: `=`, `!=`, `in` and `startswith` with constants. */
#include "pushdown_int.h"

#include <string.h>

sgc_pd_verdict sgc_pd_classify_uname(sgc_pushdown *pd, const sgc_ir_atom *a)
{
    sgc_katom k = {.src = SGC_KV_UNAME, .kop = SGC_KOP_STR_SET};
    k.idx = !strcmp(a->field, "user.name")    ? SGC_KUN_EUID
            : !strcmp(a->field, "group.name") ? SGC_KUN_EGID
                                              : SGC_KUN_LOGINUID;
    /* one constant, not a list (which the evaluator compares otherwise) */
    if (a->op == SGC_OP_STARTSWITH && (a->nvals != 1 || a->rhs_is_list || !a->vals[0][0]))
        return sgc_pd_userspace("startswith: only one non-empty constant is decided in the kernel");
    if ((a->op == SGC_OP_EQ || a->op == SGC_OP_NE) && a->rhs_is_list)
        return sgc_pd_userspace("bad constant");
    sgc_set_kind kind;
    const char *why = sgc_pd_name_set(
        a, &kind, &k.negate,
        "user and group names: only =, !=, in and startswith are decided in the kernel");
    if (why) return sgc_pd_userspace(why);
    k.set = sgc_pd_intern_set(pd, kind, false, (const char *const *)a->vals, a->nvals);
    int id = sgc_pd_intern_katom(pd, &k);
    return (sgc_pd_verdict){
        pd->katoms[id]->cls, id, -1,
        k.idx == SGC_KUN_LOGINUID
            ? "decided for processes on the host (as for container.id = host) whose loginuid "
              "the kernel's copy of the host's user database names, and FALSE when loginuid is "
              "unset; UNKNOWN otherwise (containers, ids without a name)"
            : "decided for processes on the host (as for container.id = host) whose id the "
              "kernel's copy of the host's user database names (filled at start, refreshed when "
              "/etc/passwd or /etc/group change); UNKNOWN otherwise (containers, ids without a "
              "name)",
        false};
}
