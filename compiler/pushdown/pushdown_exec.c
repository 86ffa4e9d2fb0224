/* proc.exe, proc.exepath, proc.cwd and proc.is_exe_* in the kernel, on exec
 * records. On an exec record (SGC_REC_PROC_EXEC, filtered as execve) the
 * evaluator reads the process entry the record just built
 * (runtime/state/proctable.c sgc_proctable_apply, proctable_image.c):
 *   proc.exe      argv[0], the SGC_BLOB_ARGV blob up to its first NUL;
 *   proc.exepath  the SGC_BLOB_EXE string;
 *   proc.cwd      the SGC_BLOB_CWD string, with a '/' appended when it does
 *                 not end with one (runtime/eval/fields_proc.c x_cwd);
 *   proc.is_exe_* a bit of the u32 in SGC_BLOB_EXE_FLAGS.
 * The kernel reads the same blobs (bpf-templates/filter_exec.h) and decides
 * a string when its blob is there, not flagged (truncated, faulted), has a
 * NUL and is short enough to compare (SGC_KSTR_MAX), and a cwd when it is
 * not empty (the evaluator has none then); a flag when the blob is there,
 * not flagged, and holds 4 bytes. Anything else is UNKNOWN: without the
 * blob the evaluator keeps the older image's value. On every other record
 * (a syscall exit: the process table's values, set at some earlier exec)
 * the atoms are UNKNOWN, so they are classified at execve and execveat
 * only, and the filter checks the record kind.
 * Decided: the string operators of a name taken whole (fd.nameraw: =, !=,
 * in, startswith, endswith, contains, glob) and `= true/false`,
 * `!= true/false`, `in (true)`, `in (false)` on the flags. */
#include "pushdown_int.h"
#include "systables.h"

#include <string.h>

static const struct exec_field {
    const char *field;
    int slot;      /* SGC_KEX_SLOT_*, or 0 for a flag */
    unsigned flag; /* SGC_EXE_* */
} exec_fields[] = {
    {"proc.exe", SGC_KEX_SLOT_EXE, 0},
    {"proc.exepath", SGC_KEX_SLOT_EXEPATH, 0},
    {"proc.cwd", SGC_KEX_SLOT_CWD, 0},
    {"proc.is_exe_from_memfd", 0, SGC_EXE_FROM_MEMFD},
    {"proc.is_exe_writable", 0, SGC_EXE_WRITABLE},
    {"proc.is_exe_upper_layer", 0, SGC_EXE_UPPER_LAYER},
};

/* Whether the atom holds when the flag is set (*on_set) or when it is not,
 * for `=`/`!=` with true or false and `in` with only one of them; false
 * when it is another comparison (which the evaluator answers otherwise:
 * `!= 1` is FALSE for both values). */
static bool flag_sense(const sgc_ir_atom *a, bool *on_set)
{
    if ((a->op == SGC_OP_EQ || a->op == SGC_OP_NE) && (a->nvals != 1 || a->rhs_is_list))
        return false;
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN) return false;
    bool any_true = false, any_false = false;
    for (int i = 0; i < a->nvals; i++) {
        if (!strcmp(a->vals[i], "true"))
            any_true = true;
        else if (!strcmp(a->vals[i], "false"))
            any_false = true;
        else
            return false;
    }
    if (any_true == any_false) return false; /* both, or none at all */
    *on_set = any_true != (a->op == SGC_OP_NE);
    return true;
}

bool sgc_pd_classify_exec(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out)
{
    const struct exec_field *xf = NULL;
    for (size_t i = 0; i < sizeof exec_fields / sizeof exec_fields[0]; i++)
        if (!strcmp(a->field, exec_fields[i].field)) xf = &exec_fields[i];
    if (!xf || a->arg) return false;
    /* exec records are filtered as execve (schema/evtype.c: execveat when
     * the record says so); other syscalls read the process table */
    if (nr != sgc_syscall_nr("execve") && nr != sgc_syscall_nr("execveat")) return false;
    if (xf->slot) {
        *out = sgc_pd_string_atom(pd, a, xf->slot, SGC_KV_EXEC, -1);
        return true;
    }
    bool on_set;
    if (!flag_sense(a, &on_set)) {
        *out = sgc_pd_userspace(
            "proc.is_exe_*: only = and != with true or false (and in) are decided in the kernel");
        return true;
    }
    sgc_katom k = {.src = SGC_KV_XFLAG, .kop = SGC_KOP_BITS, .nmasks = 1, .negate = !on_set};
    k.masks[0] = xf->flag;
    int id = sgc_pd_intern_katom(pd, &k);
    *out = (sgc_pd_verdict){pd->katoms[id]->cls, id, -1,
                            "decided on exec records that carry the executable's flags; UNKNOWN "
                            "on syscall exits (the process table's)",
                            false};
    return true;
}
