/* Classification of one atom at one syscall exit: what the BPF filter can
 * read there, and whether it reads exactly what the userspace evaluator
 * extracts from the same record. When in doubt the answer is UNKNOWN: a
 * wrong UNKNOWN costs an event passed to userspace, a wrong TRUE/FALSE under
 * `not` drops an alert. docs/explain.md has the table. */
#include "fields.h"
#include "pushdown_int.h"
#include "syscall_args.h"
#include "systables.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- header fields ------------------------------------------------------ */

typedef struct hdr_field {
    const char *field;
    const char *member;
    int off, size;
    bool is_signed;
} hdr_field;

#define HF(f, m, s)                                                                                \
    {f, #m, offsetof(struct sgc_event_hdr, m), sizeof(((struct sgc_event_hdr *)0)->m), s}

/* Fields the evaluator takes from this record's header (directly, or from
 * the process-table entry it refreshes from every header unconditionally:
 * runtime/state/proctable.c sgc_proctable_touch_hdr). Falco's user.uid / group.gid
 * are the effective ids; loginuid is -1 when unset (see loginuid()). Not here:
 * proc.ppid and proc.vpid (the table keeps an older value when the header's
 * is 0). proc.name and proc.pname are comm atoms (comm()): the evaluator
 * reads the header's comm / pcomm. */
static const hdr_field hdr_fields[] = {
    HF("user.uid", euid, false),         HF("group.gid", egid, false),
    HF("user.loginuid", loginuid, true), HF("proc.pid", pid, false),
    HF("thread.tid", tid, false),        HF("proc.sid", sid, false),
    HF("proc.vpgid", vpgid, false),      HF("proc.tty", tty, false),
};

static const hdr_field *find_hdr_field(const char *f)
{
    for (size_t i = 0; i < sizeof hdr_fields / sizeof hdr_fields[0]; i++)
        if (!strcmp(hdr_fields[i].field, f)) return &hdr_fields[i];
    return NULL;
}

/* ---- helpers ------------------------------------------------------------ */

bool sgc_pd_parse_int(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

sgc_pd_verdict sgc_pd_userspace(const char *why)
{
    return (sgc_pd_verdict){SGC_PD_USERSPACE, -1, SGC_K_UNKNOWN, why, false};
}

static sgc_pd_verdict user(const char *why) { return sgc_pd_userspace(why); }

static sgc_pd_verdict constant(sgc_kleene v)
{
    return (sgc_pd_verdict){SGC_PD_EXACT, -1, (int)v, NULL, false};
}

static sgc_pd_verdict kernel(sgc_pushdown *pd, sgc_katom *k, const char *why)
{
    int id = sgc_pd_intern_katom(pd, k);
    return (sgc_pd_verdict){pd->katoms[id]->cls, id, -1, why, false};
}

static bool contains_ci(const char *hay, const char *needle, bool ci)
{
    return ci ? strcasestr(hay, needle) != NULL : strstr(hay, needle) != NULL;
}

/* Only letters and underscores: a flag name fragment that no separator or
 * number in a rendering can produce. */
static bool is_name_fragment(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isalpha((unsigned char)*s) && *s != '_') return false;
    return true;
}

/* ---- numeric comparisons --------------------------------------------------- */

static bool negative_on_unsigned(const sgc_katom *k)
{
    if (k->is_signed) return false;
    if (k->kop == SGC_KOP_NUM_CMP) return k->num < 0;
    for (int i = 0; i < k->nnums; i++)
        if (k->nums[i] < 0) return true;
    return false;
}

static sgc_pd_verdict numeric(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_katom *k)
{
    k->width = k->width ? k->width : 64;
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_LT:
    case SGC_OP_LE:
    case SGC_OP_GT:
    case SGC_OP_GE:
        if (a->nvals != 1 || a->rhs_is_list || !sgc_pd_parse_int(a->vals[0], &k->num))
            return user("constant is not a number");
        k->kop = SGC_KOP_NUM_CMP;
        k->cmp = a->op;
        if (negative_on_unsigned(k)) return user("negative constant on an unsigned field");
        return kernel(pd, k, NULL);
    case SGC_OP_IN:
        k->kop = SGC_KOP_NUM_IN;
        k->nums = calloc((size_t)a->nvals, sizeof *k->nums);
        if (!k->nums) abort();
        for (int i = 0; i < a->nvals; i++)
            if (!sgc_pd_parse_int(a->vals[i], &k->nums[k->nnums++])) {
                free(k->nums);
                k->nums = NULL;
                return user("list item is not a number");
            }
        if (negative_on_unsigned(k)) {
            free(k->nums);
            k->nums = NULL;
            return user("negative constant on an unsigned field");
        }
        return kernel(pd, k, NULL);
    default: return user("operator not decided on numbers in the kernel");
    }
}

/* The value of a numeric check for a known field value v (UNKNOWN when a
 * constant is not a number: numeric() leaves such atoms to userspace). */
static sgc_kleene numeric_truth(const sgc_ir_atom *a, int64_t v)
{
    int64_t c;
    bool any = false;
    switch (a->op) {
    case SGC_OP_IN:
        for (int i = 0; i < a->nvals; i++) {
            if (!sgc_pd_parse_int(a->vals[i], &c)) return SGC_K_UNKNOWN;
            any |= v == c;
        }
        return any ? SGC_K_TRUE : SGC_K_FALSE;
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_LT:
    case SGC_OP_LE:
    case SGC_OP_GT:
    case SGC_OP_GE:
        if (a->nvals != 1 || !sgc_pd_parse_int(a->vals[0], &c)) return SGC_K_UNKNOWN;
        any = a->op == SGC_OP_EQ   ? v == c
              : a->op == SGC_OP_NE ? v != c
              : a->op == SGC_OP_LT ? v < c
              : a->op == SGC_OP_LE ? v <= c
              : a->op == SGC_OP_GT ? v > c
                                   : v >= c;
        return any ? SGC_K_TRUE : SGC_K_FALSE;
    default: return SGC_K_UNKNOWN;
    }
}

/* ---- user.loginuid: -1 when unset (0xffffffff), else the unsigned value ------
 * (runtime/eval/fields_user.c). The kernel reads the u32 zero-extended, so only
 * the unset value differs: equality constants are mapped (-1 -> 0xffffffff,
 * and 4294967295, which the evaluator never shows, to a value the kernel
 * never reads); an ordering is kept only when the unset value orders the
 * same way in both, since 0xffffffff is the largest u32 but -1 the smallest. */
static int64_t loginuid_const(int64_t v)
{
    return v == -1 ? (int64_t)0xffffffff : v == (int64_t)0xffffffff ? -2 : v;
}

static sgc_pd_verdict loginuid(sgc_pushdown *pd, const sgc_ir_atom *a, int off)
{
    sgc_katom k = {.src = SGC_KV_HDR,
                   .hdr_name = "loginuid",
                   .hdr_off = off,
                   .hdr_size = 4,
                   .is_signed = true,
                   .width = 64};
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_LT:
    case SGC_OP_LE:
    case SGC_OP_GT:
    case SGC_OP_GE: {
        if (a->nvals != 1 || a->rhs_is_list || !sgc_pd_parse_int(a->vals[0], &k.num))
            return user("constant is not a number");
        k.kop = SGC_KOP_NUM_CMP;
        k.cmp = a->op;
        if (a->op == SGC_OP_EQ || a->op == SGC_OP_NE) {
            k.num = loginuid_const(k.num);
        } else {
            /* the evaluator's unset value is -1, the kernel's 4294967295 */
            if (numeric_truth(a, -1) != numeric_truth(a, 4294967295LL))
                return user("user.loginuid: the unset value (-1) orders differently in the kernel "
                            "(0xffffffff)");
        }
        return kernel(pd, &k, NULL);
    }
    case SGC_OP_IN:
        k.kop = SGC_KOP_NUM_IN;
        k.nums = calloc((size_t)a->nvals + 1, sizeof *k.nums);
        if (!k.nums) abort();
        for (int i = 0; i < a->nvals; i++) {
            if (!sgc_pd_parse_int(a->vals[i], &k.nums[k.nnums])) {
                free(k.nums);
                return user("list item is not a number");
            }
            k.nums[k.nnums] = loginuid_const(k.nums[k.nnums]);
            k.nnums++;
        }
        return kernel(pd, &k, NULL);
    default: return user("operator not decided on numbers in the kernel");
    }
}

/* ---- evt.type --------------------------------------------------------------- */

static sgc_kleene type_matches(const char *name, int nr)
{
    int id = sgc_event_id(name);
    if (id < 0) return SGC_K_FALSE;
    if (id == sgc_event_id_of_syscall(nr)) return SGC_K_TRUE;
    /* Falco's second name of this syscall (pread for pread64): which name
     * the evaluator reports is not ours to assume. */
    if (sgc_event_syscall_nr(id) == nr) return SGC_K_UNKNOWN;
    return SGC_K_FALSE;
}

static sgc_pd_verdict evt_type(const sgc_ir_atom *a, int nr)
{
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN)
        return user("operator on evt.type not folded");
    sgc_kleene any = SGC_K_FALSE;
    for (int i = 0; i < a->nvals; i++) any = sgc_kleene_or(any, type_matches(a->vals[i], nr));
    if (a->op == SGC_OP_NE) {
        if (a->nvals != 1) return user("operator on evt.type not folded");
        any = sgc_kleene_not(any);
    }
    return constant(any);
}

/* ---- evt.num: the event's number, which the runtime counts from 1 -----------
 * (runtime/pipeline/runloop.c for live events, eventfile.c for replay, container
 * events take the number after the last one: never 0). Falco's never_true
 * macro is `evt.num = 0`. Only the comparisons that hold or fail for every
 * number >= 1 are decided. */
static sgc_pd_verdict evt_num(const sgc_ir_atom *a)
{
    int64_t c;
    if (a->op == SGC_OP_IN) {
        for (int i = 0; i < a->nvals; i++)
            if (!sgc_pd_parse_int(a->vals[i], &c) || c != 0)
                return user("evt.num is counted in userspace");
        return constant(SGC_K_FALSE);
    }
    if (a->nvals != 1 || a->rhs_is_list || !sgc_pd_parse_int(a->vals[0], &c) || c < 0 || c > 1)
        return user("evt.num is counted in userspace");
    switch (a->op) {
    case SGC_OP_EQ:
        if (c == 0) return constant(SGC_K_FALSE);
        break;
    case SGC_OP_NE:
        if (c == 0) return constant(SGC_K_TRUE);
        break;
    case SGC_OP_GE: return constant(SGC_K_TRUE); /* >= 0, >= 1 */
    case SGC_OP_GT:
        if (c == 0) return constant(SGC_K_TRUE);
        break;
    case SGC_OP_LT: return constant(SGC_K_FALSE); /* < 0, < 1 */
    case SGC_OP_LE:
        if (c == 0) return constant(SGC_K_FALSE);
        break;
    default: break;
    }
    return user("evt.num is counted in userspace");
}

/* ---- evt.res: SUCCESS or the primary errno name ----------------------------- */

static sgc_pd_verdict evt_res(sgc_pushdown *pd, const sgc_ir_atom *a)
{
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN)
        return user("operator on evt.res not decided in the kernel");
    if (a->op != SGC_OP_IN && a->nvals != 1) return user("bad constant");
    sgc_katom k = {.src = SGC_KV_RET,
                   .is_signed = true,
                   .width = 64,
                   .kop = SGC_KOP_NUM_IN,
                   .negate = a->op == SGC_OP_NE};
    int64_t *nums = calloc((size_t)a->nvals + 1, sizeof *nums);
    if (!nums) abort();
    for (int i = 0; i < a->nvals; i++) {
        int e = sgc_errno_value(a->vals[i]);
        const char *primary = e > 0 ? sgc_errno_name(e) : NULL;
        if (!primary || strcmp(primary, a->vals[i])) {
            free(nums);
            return user("not a primary errno name (SUCCESS and numbers stay in userspace)");
        }
        nums[k.nnums++] = -(int64_t)e;
    }
    k.nums = nums;
    return kernel(pd, &k, NULL);
}

/* ---- capabilities: rendered as the names of the set bits -------------------- */

static sgc_pd_verdict caps(sgc_pushdown *pd, const sgc_ir_atom *a, const char *member, int off)
{
    if ((a->op != SGC_OP_CONTAINS && a->op != SGC_OP_ICONTAINS) || a->nvals != 1 ||
        !is_name_fragment(a->vals[0]))
        return user("only `contains CAP_NAME` is decided on capabilities in the kernel");
    sgc_katom k = {.src = SGC_KV_HDR,
                   .hdr_name = member,
                   .hdr_off = off,
                   .hdr_size = 8,
                   .width = 64,
                   .kop = SGC_KOP_BITS};
    for (int bit = 0; bit < 64; bit++) {
        /* the evaluator prints an unnamed bit as CAP_<n> */
        char unnamed[24];
        const char *name = sgc_cap_name(bit);
        if (!name) {
            snprintf(unnamed, sizeof unnamed, "CAP_%d", bit);
            name = unnamed;
        }
        if (contains_ci(name, a->vals[0], a->op == SGC_OP_ICONTAINS)) {
            if (k.nmasks == SGC_KATOM_MAX_MASKS) return user("matches too many capabilities");
            k.masks[k.nmasks++] = UINT64_C(1) << bit;
        }
    }
    if (!k.nmasks) return user("names no capability");
    return kernel(pd, &k, NULL);
}

/* ---- open flags: the evaluator prints the access mode name, then every
 * non-alias flag whose bits are all set, joined with '|' ---------------------- */

static sgc_pd_verdict open_flags(sgc_pushdown *pd, const sgc_ir_atom *a, int reg)
{
    if ((a->op != SGC_OP_CONTAINS && a->op != SGC_OP_ICONTAINS) || a->nvals != 1 ||
        !is_name_fragment(a->vals[0]))
        return user("only `contains O_FLAG` is decided on open flags in the kernel");
    bool ci = a->op == SGC_OP_ICONTAINS;
    static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR"};
    sgc_katom k = {.src = SGC_KV_REG, .idx = reg, .width = 64, .kop = SGC_KOP_BITS};
    for (int m = 0; m < 3; m++)
        if (contains_ci(acc[m], a->vals[0], ci)) k.accset |= (uint8_t)(1u << m);
    int n;
    const sgc_flag_name *t = sgc_open_flags(&n);
    for (int i = 0; i < n; i++) {
        if (t[i].alias || (t[i].value & ~(uint64_t)O_ACCMODE) == 0) continue;
        if (!contains_ci(t[i].name, a->vals[0], ci)) continue;
        if (k.nmasks == SGC_KATOM_MAX_MASKS) return user("matches too many flags");
        k.masks[k.nmasks++] = t[i].value;
    }
    return kernel(pd, &k, NULL);
}

/* evt.is_open_read/write/create on the open family (flags in register reg;
 * creat has none: it always writes and creates). */
static sgc_pd_verdict open_kind(sgc_pushdown *pd, const sgc_ir_atom *a, const char *what,
                                const sgc_syscall_desc *d)
{
    if (!d || (strncmp(d->name, "open", 4) && strcmp(d->name, "creat")))
        return user("evt.is_open_* outside the open family is left to userspace");
    if ((a->op != SGC_OP_EQ && a->op != SGC_OP_NE) || a->nvals != 1 ||
        (strcmp(a->vals[0], "true") && strcmp(a->vals[0], "false")))
        return user("evt.is_open_* compared with something other than true/false");
    bool want = !strcmp(a->vals[0], "true") ^ (a->op == SGC_OP_NE);
    if (!strcmp(d->name, "creat")) {
        /* creat: write + create, never read; is_open_exec depends on the
         * mode's execute bits (and other variants are not the kernel's) */
        if (strcmp(what, "read") && strcmp(what, "write") && strcmp(what, "create"))
            return user("evt.is_open_* variant left to userspace");
        bool v = strcmp(what, "read") != 0;
        return constant(v == want ? SGC_K_TRUE : SGC_K_FALSE);
    }
    int fi = sgc_syscall_desc_arg(d, "flags");
    if (fi < 0 || d->args[fi].src != SGC_ARGSRC_REG) return user("no flags argument");
    sgc_katom k = {.src = SGC_KV_REG,
                   .idx = d->args[fi].idx,
                   .width = 64,
                   .kop = SGC_KOP_BITS,
                   .negate = !want};
    if (!strcmp(what, "read"))
        k.accset = 1u << O_RDONLY | 1u << O_RDWR;
    else if (!strcmp(what, "write"))
        k.accset = 1u << O_WRONLY | 1u << O_RDWR;
    else if (!strcmp(what, "create"))
        k.masks[k.nmasks++] = O_CREAT;
    else
        return user("evt.is_open_* variant left to userspace");
    return kernel(pd, &k, NULL);
}

/* ---- the fd an open returns ---------------------------------------------------- */

/* The syscalls whose new fd the evaluator describes from the open's own
 * arguments (runtime/eval/fields_fd.c, resolve_open). */
static bool is_open_family(const sgc_syscall_desc *d)
{
    return !strcmp(d->name, "open") || !strcmp(d->name, "openat") || !strcmp(d->name, "openat2") ||
           !strcmp(d->name, "creat");
}

/* fd.typechar of an open: 'd' with O_DIRECTORY, else 'f'; 'f' too when the
 * open failed (libsinsp's extract_from_null_fd, runtime/eval/fields_fd.c). */
static sgc_pd_verdict open_typechar(sgc_pushdown *pd, const sgc_ir_atom *a,
                                    const sgc_syscall_desc *d)
{
    int fi = sgc_syscall_desc_arg(d, "flags");
    if (fi < 0 || d->args[fi].src != SGC_ARGSRC_REG) return user("no flags argument");
    if ((a->op != SGC_OP_EQ && a->op != SGC_OP_NE) || a->nvals != 1 ||
        (strcmp(a->vals[0], "f") && strcmp(a->vals[0], "d")))
        return user("fd.typechar of an open compared with something other than f or d");
    bool want_dir = !strcmp(a->vals[0], "d");
    sgc_katom k = {.src = SGC_KV_REG,
                   .idx = d->args[fi].idx,
                   .width = 64,
                   .kop = SGC_KOP_BITS,
                   .ret_guard = true,
                   .negate = want_dir == (a->op == SGC_OP_NE)};
    k.masks[k.nmasks++] = O_DIRECTORY;
    k.ret_fail = (!want_dir) == (a->op == SGC_OP_EQ) ? SGC_K_TRUE : SGC_K_FALSE;
    return kernel(pd, &k, NULL);
}

/* ---- enumerations rendered as their primary name (ptrace requests, socket
 * families), or as a number when unnamed ------------------------------------- */

static sgc_pd_verdict enum_arg(sgc_pushdown *pd, const sgc_ir_atom *a, int reg, sgc_flagset set)
{
    int n;
    const sgc_flag_name *t = sgc_flagset_table(set, &n);
    sgc_katom k = {.src = SGC_KV_REG, .idx = reg, .width = 64, .kop = SGC_KOP_NUM_IN};
    k.nums = calloc((size_t)n + (size_t)a->nvals + 1, sizeof *k.nums);
    if (!k.nums) abort();
    if (a->op == SGC_OP_CONTAINS && a->nvals == 1 && is_name_fragment(a->vals[0])) {
        /* a fragment of letters cannot occur in a number's rendering */
        for (int i = 0; i < n; i++) {
            if (t[i].alias) continue;
            const char *shown = sgc_flagset_name_of(set, t[i].value);
            if (shown && !strcmp(shown, t[i].name) && strstr(shown, a->vals[0]))
                k.nums[k.nnums++] = (int64_t)t[i].value;
        }
    } else if (a->op == SGC_OP_EQ || a->op == SGC_OP_NE || a->op == SGC_OP_IN) {
        if (a->op != SGC_OP_IN && a->nvals != 1) goto undecided;
        k.negate = a->op == SGC_OP_NE;
        for (int i = 0; i < a->nvals; i++) {
            uint64_t v;
            const char *shown;
            if (!sgc_flagset_value(set, a->vals[i], &v) || !(shown = sgc_flagset_name_of(set, v)) ||
                strcmp(shown, a->vals[i]))
                goto undecided; /* not the name the evaluator prints */
            k.nums[k.nnums++] = (int64_t)v;
        }
    } else {
        goto undecided;
    }
    if (!k.nnums) goto undecided;
    return kernel(pd, &k, NULL);
undecided:
    free(k.nums);
    return user("only primary names (=, in, contains NAME) are decided on this argument");
}

/* ---- strings: comm and path arguments --------------------------------------- */

const char *sgc_pd_name_set(const sgc_ir_atom *a, sgc_set_kind *kind, bool *negate,
                            const char *op_why)
{
    *negate = false;
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_IN:
        if (a->op != SGC_OP_IN && a->nvals != 1) return "bad constant";
        *kind = SGC_SET_EQ;
        *negate = a->op == SGC_OP_NE;
        return NULL;
    case SGC_OP_STARTSWITH:
        if (a->nvals != 1) return "bad constant";
        *kind = SGC_SET_PREFIX;
        return NULL;
    default: return op_why;
    }
}

static sgc_pd_verdict comm(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_kv_src src)
{
    sgc_katom k = {.src = src};
    sgc_set_kind kind;
    const char *why =
        sgc_pd_name_set(a, &kind, &k.negate, "operator not decided on comm in the kernel");
    if (why) return user(why);
    k.kop = SGC_KOP_STR_SET;
    k.set = sgc_pd_intern_set(pd, kind, true, (const char *const *)a->vals, a->nvals);
    return kernel(pd, &k, NULL);
}

/* An item the kernel's literal prefix sets decide as libsinsp does on clean
 * absolute paths: absolute, no wildcard component (libsinsp globs those,
 * component by component) and no empty component ("/a//b" is "/a/b" to
 * libsinsp's component split, not to a byte prefix). */
static bool pmatch_item_ok(const char *s)
{
    return s[0] == '/' && !strpbrk(s, "*?[") && !strstr(s, "//");
}

/* A glob of literal segments between '*' (no '?', '[' or '\\'), each of at
 * most SGC_KSEG_MAX bytes: the segments, or false. */
static bool glob_segments(const char *pat, sgc_katom *k)
{
    if (strpbrk(pat, "?[\\")) return false;
    k->nsegs = 0;
    for (const char *p = pat;;) {
        const char *star = strchr(p, '*');
        size_t n = star ? (size_t)(star - p) : strlen(p);
        if (n > SGC_KSEG_MAX || k->nsegs == SGC_KGLOB_MAX_SEGS) return false;
        memcpy(k->segs[k->nsegs], p, n);
        k->segs[k->nsegs++][n] = 0;
        if (!star) break;
        p = star + 1;
    }
    return true;
}

/* String atoms over a path argument (src PATH: decided when clean), the raw
 * name of an open (RAW: decided when copied whole), its directory (DIR) or
 * a string of an exec record (EXEC: decided when whole, as RAW). */
sgc_pd_verdict sgc_pd_string_atom(sgc_pushdown *pd, const sgc_ir_atom *a, int reg, sgc_kv_src src,
                                  int flags_idx)
{
    sgc_katom k = {.src = src, .idx = reg, .kop = SGC_KOP_STR_SET, .flags_idx = flags_idx};
    const char *why =
        src == SGC_KV_RAW    ? "decided when the name argument was copied whole"
        : src == SGC_KV_EXEC ? "decided on exec records (the new image's value, when the record "
                               "carries it whole); UNKNOWN on syscall exits (the process table's)"
        : src == SGC_KV_DIR  ? "decided when the name argument is absolute, clean and copied whole"
                             : "decided when the path argument is absolute, clean and copied whole";
    sgc_set_kind kind;
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_IN:
        if (a->op != SGC_OP_IN && a->nvals != 1) return user("bad constant");
        kind = SGC_SET_EQ;
        k.negate = a->op == SGC_OP_NE;
        break;
    case SGC_OP_STARTSWITH:
        if (a->nvals != 1) return user("bad constant");
        kind = SGC_SET_PREFIX;
        break;
    case SGC_OP_ENDSWITH:
        if (a->nvals != 1) return user("bad constant");
        if (src == SGC_KV_DIR) return user("endswith on fd.directory is left to userspace");
        kind = SGC_SET_SUFFIX;
        break;
    case SGC_OP_PMATCH:
        if (src == SGC_KV_RAW) return user("pmatch on fd.nameraw is left to userspace");
        if (src == SGC_KV_EXEC) return user("pmatch on process strings is left to userspace");
        for (int i = 0; i < a->nvals; i++)
            if (!pmatch_item_ok(a->vals[i]))
                return user("pmatch with a relative, wildcard or unclean item");
        kind = SGC_SET_PMATCH;
        break;
    case SGC_OP_CONTAINS:
        if (a->nvals != 1 || a->rhs_is_list) return user("bad constant");
        if (strlen(a->vals[0]) > SGC_KSEG_MAX || !a->vals[0][0])
            return user("contains: only constants of 1 to 8 bytes are decided in the kernel");
        k.kop = SGC_KOP_STR_GLOB;
        k.nsegs = 3;
        strcpy(k.segs[1], a->vals[0]);
        return kernel(pd, &k, why);
    case SGC_OP_GLOB:
        if (a->nvals != 1 || a->rhs_is_list) return user("bad constant");
        if (!strchr(a->vals[0], '*') && !strpbrk(a->vals[0], "?[\\")) {
            kind = SGC_SET_EQ; /* no wildcard: equality */
            break;
        }
        if (!glob_segments(a->vals[0], &k))
            return user(
                "glob: only '*' between literals of at most 8 bytes is decided in the kernel");
        k.kop = SGC_KOP_STR_GLOB;
        return kernel(pd, &k, why);
    default: return user("string operator not decided in the kernel (regex, icontains...)");
    }
    k.set = sgc_pd_intern_set(pd, kind, false, (const char *const *)a->vals, a->nvals);
    return kernel(pd, &k, why);
}

/* fd.filename of an open, =, != and in: the evaluator's value is the last
 * component of fd.name, and there is none when the open failed or opened a
 * directory (O_DIRECTORY) (runtime/eval/fields_fd.c x_filename), so every
 * comparison is FALSE then. Otherwise, for a path the kernel decides
 * (absolute, clean, copied whole), filename = X iff the path ends with
 * "/X" when X is not empty and has no '/': a suffix set over the path. */
static sgc_pd_verdict filename(sgc_pushdown *pd, const sgc_ir_atom *a, int reg, int flags_idx)
{
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN)
        return user("fd.filename: only =, != and in are decided in the kernel");
    if (a->op != SGC_OP_IN && a->nvals != 1) return user("bad constant");
    char **items = calloc((size_t)a->nvals + 1, sizeof *items);
    if (!items) abort();
    for (int i = 0; i < a->nvals; i++) {
        if (!a->vals[i][0] || strchr(a->vals[i], '/') || strlen(a->vals[i]) >= SGC_KSTR_MAX) {
            for (int j = 0; j < i; j++) free(items[j]);
            free(items);
            return user("fd.filename: an empty name or one with '/' is left to userspace");
        }
        if (asprintf(&items[i], "/%s", a->vals[i]) < 0) abort();
    }
    sgc_katom k = {.src = SGC_KV_PATH,
                   .idx = reg,
                   .kop = SGC_KOP_STR_SET,
                   .negate = a->op == SGC_OP_NE,
                   .ret_guard = true,
                   .ret_fail = SGC_K_FALSE,
                   .dir_false = flags_idx >= 0,
                   .flags_idx = flags_idx};
    k.set = sgc_pd_intern_set(pd, SGC_SET_SUFFIX, false, (const char *const *)items, a->nvals);
    for (int i = 0; i < a->nvals; i++) free(items[i]);
    free(items);
    return kernel(pd, &k,
                  "decided when the path argument is absolute, clean and copied whole (FALSE "
                  "for a failed open or a directory)");
}

/* ---- the dispatcher ------------------------------------------------------------ */

static const char *userspace_reason(const char *f)
{
    static const struct {
        const char *prefix, *why;
    } reasons[] = {
        {"user.", "the home directory and shell come from the user database"},
        {"container.", "container metadata comes from the container runtime"},
        {"k8s.", "Kubernetes metadata comes from the container runtime"},
        {"fd.", "file descriptor details come from the fd table or a kernel-resolved path"},
        {"fs.", "file system paths are resolved in userspace"},
        {"proc.", "process details come from the process table (exec arguments, ancestry)"},
        {"thread.", "thread details come from the process table"},
        {"evt.arg", "argument rendered in userspace (names, user lookups) or not copied"},
        {"evt.", "event metadata computed in userspace"},
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (!strncmp(f, reasons[i].prefix, strlen(reasons[i].prefix))) return reasons[i].why;
    return "field not known to the kernel filter";
}

/* The evt.arg name an atom refers to: evt.arg.NAME or evt.arg[NAME]. */
static const char *evt_arg_name(const sgc_ir_atom *a)
{
    if (!strncmp(a->field, "evt.arg.", 8)) return a->field + 8;
    if (!strcmp(a->field, "evt.arg") && a->arg && !isdigit((unsigned char)a->arg[0])) return a->arg;
    return NULL;
}

static sgc_pd_verdict classify(sgc_pushdown *pd, const sgc_ir_atom *a, int nr)
{
    if (!a->field) return user("transformer on the left side");
    if (a->rhs_is_field) return user("compares with another field or an unresolved list");
    const char *f = a->field;
    if (!strcmp(f, "evt.type") || !strcmp(f, "syscall.type")) return evt_type(a, nr);
    if (a->op == SGC_OP_EXISTS) return user("`exists` is left to userspace");
    /* the catalog says which fields the kernel can decide at all */
    const sgc_field_def *fdef = sgc_field_resolve(f, a->arg, NULL, NULL);
    if (!fdef || fdef->kernel == SGC_FK_NONE) return user(userspace_reason(f));
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);

    if (!strcmp(f, "evt.num") && !a->arg) return evt_num(a);
    if (!strcmp(f, "evt.rawres")) {
        sgc_katom k = {.src = SGC_KV_RET, .is_signed = true, .width = 64};
        return numeric(pd, a, &k);
    }
    if (!strcmp(f, "evt.res")) return evt_res(pd, a);
    const hdr_field *hf = find_hdr_field(f);
    if (hf && !a->arg && !strcmp(hf->member, "loginuid")) return loginuid(pd, a, hf->off);
    if (hf && !a->arg) {
        sgc_katom k = {.src = SGC_KV_HDR,
                       .hdr_name = hf->member,
                       .hdr_off = hf->off,
                       .hdr_size = hf->size,
                       .is_signed = hf->is_signed,
                       .width = hf->size * 8};
        return numeric(pd, a, &k);
    }
    if (!strcmp(f, "thread.cap_effective"))
        return caps(pd, a, "cap_effective", offsetof(struct sgc_event_hdr, cap_effective));
    if (!strcmp(f, "thread.cap_permitted"))
        return caps(pd, a, "cap_permitted", offsetof(struct sgc_event_hdr, cap_permitted));
    if (!strcmp(f, "proc.name") && !a->arg) return comm(pd, a, SGC_KV_COMM);
    /* the evaluator reads the record's pcomm too (runtime/eval/fields_proc.c x_pname) */
    if (!strcmp(f, "proc.pname") && !a->arg) return comm(pd, a, SGC_KV_PCOMM);
    if (!strcmp(f, "proc.aname")) {
        /* aname[0] is proc.name, aname[1] proc.pname (fields_proc.c x_aname);
         * deeper ones and any ancestor: pushdown_anc.c */
        int64_t n;
        if (a->arg && sgc_pd_parse_int(a->arg, &n) && (n == 0 || n == 1))
            return comm(pd, a, n ? SGC_KV_PCOMM : SGC_KV_COMM);
        return sgc_pd_classify_anc(pd, a);
    }
    if (!strncmp(f, "evt.is_open_", 12)) return open_kind(pd, a, f + 12, d);
    if (!strcmp(f, "container.id") && !a->arg) return sgc_pd_classify_container_id(pd, a);
    if ((!strcmp(f, "user.name") || !strcmp(f, "group.name") || !strcmp(f, "user.loginname")) &&
        !a->arg)
        return sgc_pd_classify_uname(pd, a);

    if (!strcmp(f, "fd.num") && d && is_open_family(d)) {
        /* the new fd: the return value; -1 when the open failed */
        sgc_katom k = {.src = SGC_KV_RET,
                       .is_signed = true,
                       .width = 64,
                       .ret_guard = true,
                       .ret_fail = numeric_truth(a, -1)};
        return numeric(pd, a, &k);
    }
    if (!strcmp(f, "fd.typechar") && d && is_open_family(d)) return open_typechar(pd, a, d);
    if (!strcmp(f, "fd.name") && d && is_open_family(d)) {
        int i = sgc_syscall_desc_arg(d, "name");
        if (i >= 0 && d->args[i].src == SGC_ARGSRC_BLOB && d->args[i].type == SGC_AT_PATH)
            return sgc_pd_string_atom(pd, a, d->args[i].idx, SGC_KV_PATH, -1);
    }
    if (!strcmp(f, "fd.nameraw") && !a->arg && d && is_open_family(d)) {
        /* the name as the caller passed it (runtime/eval/fields_fd.c resolve_open) */
        int i = sgc_syscall_desc_arg(d, "name");
        if (i >= 0 && d->args[i].src == SGC_ARGSRC_BLOB && d->args[i].type == SGC_AT_PATH)
            return sgc_pd_string_atom(pd, a, d->args[i].idx, SGC_KV_RAW, -1);
    }
    if (!strcmp(f, "fd.directory") && !a->arg && d && is_open_family(d)) {
        /* dirname of fd.name, or fd.name itself for a directory opened with
         * O_DIRECTORY (fd.typechar d); the evaluator reads the flags from
         * the register of the "flags" argument, 0 without one */
        int i = sgc_syscall_desc_arg(d, "name");
        int fi = sgc_syscall_desc_arg(d, "flags");
        if (i >= 0 && d->args[i].src == SGC_ARGSRC_BLOB && d->args[i].type == SGC_AT_PATH)
            return sgc_pd_string_atom(pd, a, d->args[i].idx, SGC_KV_DIR,
                                      fi >= 0 ? d->args[fi].idx : -1);
    }
    if (!strcmp(f, "fd.filename") && !a->arg && d && is_open_family(d)) {
        int i = sgc_syscall_desc_arg(d, "name");
        int fi = sgc_syscall_desc_arg(d, "flags");
        if (i >= 0 && d->args[i].src == SGC_ARGSRC_BLOB && d->args[i].type == SGC_AT_PATH)
            return filename(pd, a, d->args[i].idx, fi >= 0 ? d->args[fi].idx : -1);
    }
    sgc_pd_verdict sv;
    if (sgc_pd_classify_exec(pd, a, nr, &sv)) return sv;
    if (sgc_pd_classify_sockname(pd, a, nr, &sv)) return sv;
    if (sgc_pd_classify_sock(pd, a, nr, &sv)) return sv;
    const char *argname = evt_arg_name(a);
    if (argname) {
        int i = d ? sgc_syscall_desc_arg(d, argname) : -1;
        if (i < 0) return user("this syscall has no such argument");
        const sgc_argdesc *ad = &d->args[i];
        if (ad->src == SGC_ARGSRC_BLOB && ad->type == SGC_AT_PATH)
            return sgc_pd_string_atom(pd, a, ad->idx, SGC_KV_PATH, -1);
        if (ad->src == SGC_ARGSRC_REG && ad->type == SGC_AT_OPEN_FLAGS)
            return open_flags(pd, a, ad->idx);
        if (ad->src == SGC_ARGSRC_REG && ad->type == SGC_AT_PTRACE_REQ)
            return enum_arg(pd, a, ad->idx, SGC_FLAGSET_PTRACE);
        if (ad->src == SGC_ARGSRC_REG && ad->type == SGC_AT_SOCK_FAMILY)
            return enum_arg(pd, a, ad->idx, SGC_FLAGSET_SOCKET_FAMILY);
        return user("argument rendered in userspace (names, user lookups) or not copied");
    }
    return user(userspace_reason(f));
}

sgc_pd_verdict sgc_pushdown_classify(sgc_pushdown *pd, int atom, int nr)
{
    return classify(pd, pd->atoms.v[atom], nr);
}
