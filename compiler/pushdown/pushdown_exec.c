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
 *   proc.cmdline  the comm of the record's header, then, when argv has
 *                 items after argv[0], a space and those items joined by
 *                 single spaces (fields_proc.c cmdline_of);
 *   proc.args     argv[1..] joined by spaces (the list's final NUL dropped);
 *   proc.env      the SGC_BLOB_ENV items joined by spaces (only in records
 *                 of a rule set that reads it: cfg->env_max).
 * cmdline and args are built from the ARGV blob into slots 3 and 4 (a cut
 * blob too: the evaluator takes its bytes as they are; not a faulted one,
 * nor an empty comm, nor an argv[0] or a result too long for a slot); the
 * environment is scanned in the record itself (up to SGC_BLOB_MAX bytes),
 * not when the blob is missing or faulted.
 * Decided: the string operators of a name taken whole (fd.nameraw: =, !=,
 * in, startswith, endswith, contains, glob), `contains` and `icontains`
 * on cmdline, args and env (a scan, SGC_KOP_STR_SCAN; env: only those;
 * a constant longer than 16 bytes: FALSE when its first 16 are not there,
 * else UNKNOWN), and `= true/false`, `!= true/false`, `in (true)`,
 * `in (false)` on the flags. */
#include "pushdown_int.h"
#include "syscall_args.h"
#include "systables.h"

#include <ctype.h>
#include <string.h>

static const struct exec_field {
    const char *field;
    int slot;      /* SGC_KEX_SLOT_*, or 0 for a flag */
    unsigned flag; /* SGC_EXE_* */
} exec_fields[] = {
    {"proc.exe", SGC_KEX_SLOT_EXE, 0},
    {"proc.exepath", SGC_KEX_SLOT_EXEPATH, 0},
    {"proc.cwd", SGC_KEX_SLOT_CWD, 0},
    {"proc.cmdline", SGC_KEX_SLOT_CMDLINE, 0},
    {"proc.args", SGC_KEX_SLOT_ARGS, 0},
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

/* Does syscall nr keep a string argument in the filter's slot `slot`? */
static bool slot_taken(int nr, int slot)
{
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    for (int i = 0; d && i < d->nargs && i < SGC_MAX_EVT_ARGS; i++)
        if (d->args[i].src == SGC_ARGSRC_BLOB && d->args[i].idx == slot) return true;
    return false;
}

/* `contains` / `icontains` over cmdline or args (src EXEC, slot) or the
 * environment (src ENV): a scan for a needle of 1 to 16 bytes. */
static sgc_pd_verdict scan_atom(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_kv_src src, int slot)
{
    if (a->nvals != 1 || a->rhs_is_list) return sgc_pd_userspace("bad constant");
    const char *v = a->vals[0];
    size_t n = strlen(v);
    if (n == 0) return sgc_pd_userspace("contains, icontains: an empty constant");
    sgc_katom k = {.src = src, .idx = slot, .kop = SGC_KOP_STR_SCAN, .flags_idx = -1};
    k.num = a->op == SGC_OP_ICONTAINS;
    if (n > 2 * SGC_KSEG_MAX) { /* its first 16 bytes: their absence decides */
        n = 2 * SGC_KSEG_MAX;
        k.nsegs = 1;
    }
    size_t n0 = n < SGC_KSEG_MAX ? n : SGC_KSEG_MAX;
    for (size_t i = 0; i < n; i++) {
        /* the evaluator folds with tolower() (runtime/eval/ops.c) */
        char c = k.num ? (char)tolower((unsigned char)v[i]) : v[i];
        if (i < n0)
            k.segs[0][i] = c;
        else
            k.segs[1][i - n0] = c;
    }
    int id = sgc_pd_intern_katom(pd, &k);
    const char *why =
        k.nsegs ? (src == SGC_KV_ENV
                       ? "FALSE on exec records whose environment lacks the constant's first 16 "
                         "bytes, else UNKNOWN"
                       : "FALSE on exec records whose value lacks the constant's first 16 bytes, "
                         "else UNKNOWN")
        : src == SGC_KV_ENV
            ? "decided on exec records that carry the environment; UNKNOWN on syscall exits "
              "(the process table's)"
            : "decided on exec records (the new image's value, when the record carries it and it "
              "fits the kernel's 250 bytes); UNKNOWN on syscall exits (the process table's)";
    return (sgc_pd_verdict){pd->katoms[id]->cls, id, -1, why, false};
}

/* proc.env (not proc.env[NAME]): contains and icontains only. */
static bool classify_env(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_pd_verdict *out)
{
    if (a->arg)
        *out = sgc_pd_userspace("proc.env[NAME] is left to userspace");
    else if (a->op != SGC_OP_CONTAINS && a->op != SGC_OP_ICONTAINS)
        *out = sgc_pd_userspace("proc.env: only contains and icontains are decided in the kernel");
    else
        *out = scan_atom(pd, a, SGC_KV_ENV, -1);
    return true;
}

bool sgc_pd_classify_exec(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out)
{
    const struct exec_field *xf = NULL;
    for (size_t i = 0; i < sizeof exec_fields / sizeof exec_fields[0]; i++)
        if (!strcmp(a->field, exec_fields[i].field)) xf = &exec_fields[i];
    bool env = !strcmp(a->field, "proc.env");
    if ((!xf && !env) || (xf && a->arg)) return false;
    /* exec records are filtered as execve (schema/evtype.c: execveat when
     * the record says so); other syscalls read the process table */
    if (nr != sgc_syscall_nr("execve") && nr != sgc_syscall_nr("execveat")) return false;
    if (env) return classify_env(pd, a, out);
    if (xf->slot && slot_taken(nr, xf->slot)) {
        *out = sgc_pd_userspace("the syscall's arguments take the string's slot");
        return true;
    }
    if ((xf->slot == SGC_KEX_SLOT_CMDLINE || xf->slot == SGC_KEX_SLOT_ARGS) &&
        (a->op == SGC_OP_CONTAINS || a->op == SGC_OP_ICONTAINS)) {
        *out = scan_atom(pd, a, SGC_KV_EXEC, xf->slot);
        return true;
    }
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
