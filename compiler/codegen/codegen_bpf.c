/* Emitting the BPF C of a kernel filter: kernel atoms as expressions over the
 * record header and the helpers of filter_helpers.h, rule formulas (NNF) as
 * "maybe true" tests, one function per syscall group. */
#include "codegen_bpf.h"
#include "pushdown_split.h"
#include "systables.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void value_expr(FILE *o, const sgc_katom *k)
{
    switch (k->src) {
    case SGC_KV_HDR:
        if (k->width == 32)
            fprintf(o, "(%s)h->%s", k->is_signed ? "__s32" : "__u32", k->hdr_name);
        else
            fprintf(o, "h->%s", k->hdr_name);
        break;
    case SGC_KV_RET: fputs("h->ret", o); break;
    case SGC_KV_REG: fprintf(o, "h->args[%d]", k->idx); break;
    default: fputs("0", o); break;
    }
}

static void compare(FILE *o, const sgc_katom *k, const char *op, int64_t num)
{
    fputc('(', o);
    if (k->is_signed) {
        fputs("(__s64)", o);
        value_expr(o, k);
        fprintf(o, " %s (__s64)0x%" PRIx64 "ULL", op, (uint64_t)num);
    } else {
        fputs("(__u64)", o);
        value_expr(o, k);
        fprintf(o, " %s 0x%" PRIx64 "ULL", op, (uint64_t)num);
    }
    fputc(')', o);
}

/* The `where` argument of the string helpers (filter_helpers.h): which
 * argument, and which string of it. fd.directory of a directory opened
 * with O_DIRECTORY is the path itself (fd.typechar d). */
static void where_expr(FILE *o, const sgc_katom *k)
{
    if (k->src == SGC_KV_DIR && k->flags_idx >= 0)
        fprintf(o, "((h->ret >= 0 && (h->args[%d] & 0x%xULL)) ? %d : %d)", k->flags_idx,
                (unsigned)O_DIRECTORY, k->idx | 0x00, k->idx | 0x20);
    else
        fprintf(o, "%d",
                k->idx | (k->src == SGC_KV_RAW || k->src == SGC_KV_EXEC ? 0x10
                          : k->src == SGC_KV_DIR                        ? 0x20
                                                                        : 0));
}

/* A segment as sgc_f_find's needle: big-endian, the last byte lowest. */
static uint64_t pack_seg(const char *seg)
{
    uint64_t v = 0;
    for (const unsigned char *c = (const unsigned char *)seg; *c; c++) v = v << 8 | *c;
    return v;
}

/* segs[0] at the start, segs[n-1] at the end, the others leftmost in order
 * (tests/support/pushdown_eval.c sgc_kglob_match). */
static void glob_expr(FILE *o, const sgc_katom *k)
{
    int n = k->nsegs;
    size_t m0 = strlen(k->segs[0]), mn = strlen(k->segs[n - 1]);
    fputs("({ __u32 _w = ", o);
    where_expr(o, k);
    fputs("; int _e = sgc_f_len(s, _w); __u8 _r = SGC_F_TRUE;\n"
          "        if (_e < 0) _r = SGC_F_UNKNOWN;\n",
          o);
    fprintf(o, "        else if (_e < %zu) _r = SGC_F_FALSE;\n", m0 + mn);
    if (m0)
        fprintf(o,
                "        else if (sgc_f_find(s, _w | SGC_FW_AT, 0x%" PRIx64
                "ULL, %zu, 0) != 0) _r = SGC_F_FALSE;\n",
                pack_seg(k->segs[0]), m0);
    if (mn)
        fprintf(o,
                "        else if (sgc_f_find(s, _w | SGC_FW_AT, 0x%" PRIx64
                "ULL, %zu, _e - %zu) < 0) _r = SGC_F_FALSE;\n",
                pack_seg(k->segs[n - 1]), mn, mn);
    fprintf(o, "        int _p = %zu;\n", m0);
    for (int i = 1; i < n - 1; i++) {
        size_t mi = strlen(k->segs[i]);
        if (!mi) continue;
        fprintf(o,
                "        if (_r == SGC_F_TRUE) { int _q = sgc_f_find(s, _w, 0x%" PRIx64
                "ULL, %zu, _p);\n"
                "            if (_q < 0 || _q + %zu > _e - %zu) _r = SGC_F_FALSE; else _p = _q + "
                "%zu; }\n",
                pack_seg(k->segs[i]), mi, mi, mn, mi);
    }
    fputs("        (void)_p; _r; })", o);
}

/* A segment packed little-endian: its first byte lowest (sgc_f_scan). */
static uint64_t pack_le(const char *seg)
{
    uint64_t v = 0;
    for (int i = 0; seg[i] && i < 8; i++) v |= (uint64_t)(unsigned char)seg[i] << (8 * i);
    return v;
}

/* contains / icontains on an exec string's slot or the environment
 * (bpf-templates/filter_exec.h sgc_f_scan): the needle in two words, its
 * length, the fold flag, the prefix flag (a match is UNKNOWN) and the
 * slot (15: the environment blob). */
static void scan_expr(FILE *o, const sgc_katom *k)
{
    size_t m = strlen(k->segs[0]) + strlen(k->segs[1]);
    unsigned slot = k->src == SGC_KV_ENV ? 15u : (unsigned)k->idx & 7u;
    fprintf(o, "sgc_f_scan(s, nblobs, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL, 0x%xu)",
            pack_le(k->segs[0]), pack_le(k->segs[1]),
            (unsigned)m | (k->num ? 0x100u : 0u) | (k->nsegs ? 0x200u : 0u) | slot << 12);
}

/* A string in one of the filter's slots (k->idx): an argument, or an exec
 * record's string (SGC_KEX_SLOT_*), which sgc_f_load_path loads alike. */
static bool katom_reads_path(const sgc_katom *k)
{
    return k->src == SGC_KV_PATH || k->src == SGC_KV_RAW || k->src == SGC_KV_DIR ||
           k->src == SGC_KV_EXEC;
}

/* The filter's string slots (filter_helpers.h struct sgc_fscratch path[]). */
#define FSLOTS 8

/* A rough cost, to evaluate cheap atoms first (AND/OR kids are reordered:
 * in Kleene logic both are commutative). */
static bool formula_reads_path(const sgc_pushdown *pd, const sgc_ir *f)
{
    if (f->kind == SGC_IR_ATOM) return katom_reads_path(pd->katoms[f->atom]);
    for (int i = 0; i < f->nkids; i++)
        if (formula_reads_path(pd, f->kids[i])) return true;
    return false;
}

static int katom_cost(const sgc_katom *k)
{
    switch (k->kop) {
    case SGC_KOP_NUM_CMP:
    case SGC_KOP_BITS: return k->src == SGC_KV_XFLAG ? 6 : 1; /* a scan of the blobs */
    case SGC_KOP_NUM_IN: return 1 + k->nnums / 4;
    case SGC_KOP_STR_SET:
        /* ancestors: a walk and a lookup per level (any ancestor: up to 8),
         * after the path tests (a rule's few path atoms, kept answers
         * often), which a benign event is usually FALSE on: walking first
         * made a benign open of falco_rules.yaml 1.7 times dearer */
        if (k->src == SGC_KV_ANC) return k->idx ? 48 : 96;
        return katom_reads_path(k) ? 12 : k->src == SGC_KV_UNAME ? 10 : 6;
    case SGC_KOP_STR_GLOB: return 16 + 4 * k->nsegs;
    case SGC_KOP_STR_SCAN: return k->src == SGC_KV_ENV ? 40 : 16; /* a scan of the string */
    case SGC_KOP_HOST: return 4;                                  /* one map lookup */
    case SGC_KOP_CIDR: return 8;
    case SGC_KOP_SOCKNAME: return 4 + 4 * (k->nnums / 6);
    }
    return 10;
}

static int formula_cost(const sgc_pushdown *pd, const sgc_ir *f)
{
    switch (f->kind) {
    case SGC_IR_CONST: return 0;
    case SGC_IR_ATOM: return katom_cost(pd->katoms[f->atom]);
    default: {
        int c = 0;
        for (int i = 0; i < f->nkids; i++) c += formula_cost(pd, f->kids[i]);
        return c;
    }
    }
}

/* A user or group name in a set (bpf-templates/filter_users.h): decided
 * only for a process on the host, as container.id = host. */
static void uname_expr(FILE *o, const sgc_pushdown *pd, const sgc_katom *k)
{
    static const char *const ids[] = {"euid", "egid", "loginuid"};
    const sgc_kset *s = pd->sets[k->set];
    int li = sgc_codegen_lpm_index(pd, k->set);
    fprintf(o,
            "(sgc_f_cid_host(h) ? sgc_f_uname_in(s, %s, h->%s, %d, %d) : SGC_F_UNKNOWN) /* name "
            "%s set#%d */",
            k->idx == SGC_KUN_EGID ? "SGC_UNAME_GROUP" : "SGC_UNAME_USER",
            ids[k->idx >= 0 && k->idx < 3 ? k->idx : 0], li / SGC_FCOMM_PLANE_SETS,
            li % SGC_FCOMM_PLANE_SETS, sgc_set_kind_name(s->kind), s->id);
}

/* A comm set's map slot as "plane, slot" arguments, or false when the
 * atom is the constant UNKNOWN (an equality set past the comm map's
 * planes). */
static bool comm_set_slot(const sgc_pushdown *pd, const sgc_katom *k, int *plane, int *slot)
{
    bool eq = pd->sets[k->set]->kind == SGC_SET_EQ;
    int i = eq ? sgc_codegen_comm_index(pd, k->set) : sgc_codegen_lpm_index(pd, k->set);
    if (eq && (i < 0 || i >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)) return false;
    *plane = i / SGC_FCOMM_PLANE_SETS;
    *slot = i % SGC_FCOMM_PLANE_SETS;
    return true;
}

/* proc.aname (filter_anc.h): the helper applies `!=` itself, since a level
 * past the root is FALSE either way. */
static void anc_expr(FILE *o, const sgc_pushdown *pd, const sgc_katom *k)
{
    const sgc_kset *s = pd->sets[k->set];
    int plane, slot;
    if (!comm_set_slot(pd, k, &plane, &slot)) {
        fputs("SGC_F_UNKNOWN /* aname: more comm sets than the map's planes */", o);
        return;
    }
    fprintf(o, "sgc_f_anc_in(s, %d%s%s, %d, %d) /* aname[%d] %s set#%d */", k->idx,
            s->kind == SGC_SET_PREFIX ? " | SGC_FA_PREFIX" : "",
            k->negate ? " | SGC_FA_NEGATE" : "", plane, slot, k->idx,
            s->kind == SGC_SET_PREFIX ? "startswith"
            : k->negate               ? "not in"
                                      : "in",
            s->id);
}

static void katom_expr(FILE *o, const sgc_pushdown *pd, const sgc_katom *k)
{
    if (k->src == SGC_KV_SOCK) {
        sgc_codegen_sock_atom(o, k);
        return;
    }
    if (k->src == SGC_KV_ANC) {
        anc_expr(o, pd, k);
        return;
    }
    if (k->ret_guard)
        fprintf(o, "h->ret < 0 ? %s : ",
                k->ret_fail == SGC_K_TRUE    ? "SGC_F_TRUE"
                : k->ret_fail == SGC_K_FALSE ? "SGC_F_FALSE"
                                             : "SGC_F_UNKNOWN");
    if (k->dir_false && k->flags_idx >= 0)
        fprintf(o, "(h->ret >= 0 && (h->args[%d] & 0x%xULL)) ? SGC_F_FALSE : ", k->flags_idx,
                (unsigned)O_DIRECTORY);
    if (k->src == SGC_KV_UNAME && k->idx == SGC_KUN_LOGINUID)
        fputs("h->loginuid == 0xffffffffu ? SGC_F_FALSE : ", o); /* no name: every test FALSE */
    if (k->negate) fputs("sgc_f_not(", o);
    switch (k->kop) {
    case SGC_KOP_NUM_CMP: {
        const char *op = k->cmp == SGC_OP_EQ   ? "=="
                         : k->cmp == SGC_OP_NE ? "!="
                                               : sgc_op_name(k->cmp);
        fputs("sgc_f_bool(", o);
        compare(o, k, op, k->num);
        fputc(')', o);
        break;
    }
    case SGC_KOP_NUM_IN:
        fputs("sgc_f_bool(0", o);
        for (int i = 0; i < k->nnums; i++) {
            fputs(" || ", o);
            compare(o, k, "==", k->nums[i]);
        }
        fputc(')', o);
        break;
    case SGC_KOP_BITS:
        if (k->src == SGC_KV_XFLAG) { /* bpf-templates/filter_exec.h */
            fprintf(o, "sgc_f_exe_flag(s, nblobs, 0x%" PRIx64 "ULL)", k->nmasks ? k->masks[0] : 0);
            break;
        }
        fputs("sgc_f_bool(0", o);
        if (k->accset) {
            fprintf(o, " || ((0x%xu >> (", k->accset);
            value_expr(o, k);
            fputs(" & 3)) & 1)", o);
        }
        for (int i = 0; i < k->nmasks; i++) {
            fputs(" || ((", o);
            value_expr(o, k);
            fprintf(o, " & 0x%" PRIx64 "ULL) == 0x%" PRIx64 "ULL)", k->masks[i], k->masks[i]);
        }
        fputc(')', o);
        break;
    case SGC_KOP_STR_SET: {
        const sgc_kset *s = pd->sets[k->set];
        if (k->src == SGC_KV_UNAME) {
            uname_expr(o, pd, k);
            break;
        }
        if (k->src == SGC_KV_COMM || k->src == SGC_KV_PCOMM) {
            bool eq = s->kind == SGC_SET_EQ;
            const char *p = k->src == SGC_KV_COMM ? "comm" : "pcomm";
            int ci = eq ? sgc_codegen_comm_index(pd, k->set) : -1;
            int li = eq ? -1 : sgc_codegen_lpm_index(pd, k->set);
            if (!eq)
                fprintf(o, "sgc_f_comm_prefix(s, %d, %d, %d) /* %s startswith set#%d */",
                        k->src == SGC_KV_PCOMM, li / SGC_FCOMM_PLANE_SETS,
                        li % SGC_FCOMM_PLANE_SETS, p, s->id);
            else if (ci < 0 || ci >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
                fprintf(o, "SGC_F_UNKNOWN /* %s: more comm sets than the map's planes */", p);
            else
                fprintf(o, "sgc_f_comm_eq(s, %d, %d, %d) /* %s in set#%d */",
                        k->src == SGC_KV_PCOMM, ci / SGC_FCOMM_PLANE_SETS,
                        ci % SGC_FCOMM_PLANE_SETS, p, s->id);
        } else {
            int li = sgc_codegen_lpm_index(pd, k->set);
            fputs("sgc_f_path_in(s, ", o);
            where_expr(o, k);
            fprintf(o, ", %d, %d, %d) /* set#%d */", li / SGC_FCOMM_PLANE_SETS,
                    li % SGC_FCOMM_PLANE_SETS, (int)s->kind, s->id);
        }
        break;
    }
    case SGC_KOP_STR_GLOB: glob_expr(o, k); break;
    case SGC_KOP_STR_SCAN: scan_expr(o, k); break;
    case SGC_KOP_HOST:
        /* bpf-templates/capture_container.h */
        fprintf(o, "(sgc_f_cid_host(h) ? %s : SGC_F_UNKNOWN)",
                k->num ? "SGC_F_TRUE" : "SGC_F_FALSE");
        break;
    case SGC_KOP_CIDR:
    case SGC_KOP_SOCKNAME: fputs("SGC_F_UNKNOWN", o); break; /* socket atoms only: above */
    }
    if (k->negate) fputc(')', o);
}

/* The atom and conjunction functions of the chunk being emitted
 * (emit_atom_fn), or NULL: set while a split group's chunks are written (one
 * generation at a time). */
static const char *atom_fn, *conj_fn;
static const int *atom_gid;                /* pd atom -> its case in the atom functions */
#define ATOM_FN_CASES SGC_PD_ATOM_FN_CASES /* cases of one atom function (emit_atom_fns) */

/* Atom k's value computed (path atoms: after loading their string, unless
 * the caller loaded it: load false). */
static void atom_compute(FILE *o, const sgc_pushdown *pd, const sgc_katom *k, bool load)
{
    if (load && katom_reads_path(k)) fprintf(o, "sgc_f_need(s, fs, nblobs, %d), ", k->idx);
    katom_expr(o, pd, k);
}

/* The process fields (codegen_bpf_task.c) the group being emitted reads:
 * every atom use adds its own. */
static unsigned *task_parts;

/* One atom's value, computed on first use in the pass and memoized in
 * fs->v (local index within the group); computed in place, not memoized,
 * when local is NULL (the chunk guards of a group function, each tested
 * once). In a chunk, the computation is a call of the chunk's atom
 * function: the verifier checks each atom's code once there, not at every
 * use. */
static void atom_use(FILE *o, const sgc_pushdown *pd, const int *local, int atom)
{
    const sgc_katom *k = pd->katoms[atom];
    if (task_parts) *task_parts |= sgc_codegen_task_parts(k);
    /* the early pass has no strings: a path atom is UNKNOWN there, and is
     * not memoized (the final pass finds it not computed) */
    if (katom_reads_path(k)) fputs("(early ? SGC_F_UNKNOWN : ", o);
    if (local && atom_fn) {
        fprintf(o, "(fs->v[%d] != SGC_F_NONE ? fs->v[%d] : (", local[atom], local[atom]);
        if (katom_reads_path(k)) fprintf(o, "sgc_f_need(s, fs, nblobs, %d), ", k->idx);
        fprintf(o, "%s_%d(s, early, nblobs, %d, %d)))", atom_fn, atom_gid[atom] / ATOM_FN_CASES,
                atom_gid[atom], local[atom]);
    } else {
        if (local)
            fprintf(o, "(fs->v[%d] != SGC_F_NONE ? fs->v[%d] : (fs->v[%d] = ", local[atom],
                    local[atom], local[atom]);
        fputc('(', o);
        atom_compute(o, pd, k, true);
        fputs(local ? ")))" : ")", o);
    }
    if (katom_reads_path(k)) fputc(')', o);
}

typedef struct kid_cost {
    const sgc_ir *f;
    int cost, pos;
} kid_cost;

static int kid_cmp(const void *a, const void *b)
{
    const kid_cost *x = a, *y = b;
    return x->cost != y->cost ? (x->cost > y->cost) - (x->cost < y->cost) : x->pos - y->pos;
}

/* A rule formula in NNF as "maybe true": positive atoms != FALSE, negated
 * atoms != TRUE, UNKNOWN and TRUE constants 1. C's && and || stop at the
 * first decisive kid, so atoms after it are never computed. */
static void formula(FILE *o, const sgc_pushdown *pd, const int *local, const sgc_ir *f)
{
    switch (f->kind) {
    case SGC_IR_CONST: fputs(f->value == SGC_K_FALSE ? "0" : "1", o); return;
    case SGC_IR_ATOM:
        fputs("(", o);
        atom_use(o, pd, local, f->atom);
        fputs(" != SGC_F_FALSE)", o);
        return;
    case SGC_IR_NOT:
        if (f->kids[0]->kind == SGC_IR_ATOM) {
            fputs("(", o);
            atom_use(o, pd, local, f->kids[0]->atom);
            fputs(" != SGC_F_TRUE)", o);
            return;
        }
        fputs("1", o); /* not in NNF: cannot happen; stay sound */
        return;
    case SGC_IR_AND:
    case SGC_IR_OR: {
        kid_cost *kids = calloc((size_t)f->nkids + 1, sizeof *kids);
        if (!kids) abort();
        for (int i = 0; i < f->nkids; i++)
            kids[i] = (kid_cost){f->kids[i], formula_cost(pd, f->kids[i]), i};
        qsort(kids, (size_t)f->nkids, sizeof *kids, kid_cmp);
        fputc('(', o);
        for (int i = 0; i < f->nkids; i++) {
            if (i) fputs(f->kind == SGC_IR_AND ? "\n        && " : "\n        || ", o);
            formula(o, pd, local, kids[i].f);
        }
        fputc(')', o);
        free(kids);
        return;
    }
    }
}

/* Decided exactly in the kernel: no UNKNOWN constant, only exact kernel
 * atoms, none reading a string argument (so the early pass decides it). */
static bool group_rule_exact(const sgc_pushdown *pd, const sgc_ir *f)
{
    if (f->kind == SGC_IR_CONST) return f->value != SGC_K_UNKNOWN;
    if (f->kind == SGC_IR_ATOM)
        return pd->katoms[f->atom]->cls == SGC_PD_EXACT && !katom_reads_path(pd->katoms[f->atom]);
    for (int i = 0; i < f->nkids; i++)
        if (!group_rule_exact(pd, f->kids[i])) return false;
    return true;
}

/* In-kernel enforcement: the group's exactly-decided rules that were TRUE,
 * masked with the kill/audit masks of the sgc_enforce map (zero unless
 * `sgc run --enforce` wrote them). Exact rules read no string, so their
 * early-pass value is final: enforce there, once per event. */
static bool is_kept(const int *kept, int nkept, int i)
{
    for (int k = 0; k < nkept; k++)
        if (kept[k] == i) return true;
    return false;
}

/* kept[0..nkept): the group's rules left to userspace (their bit is set
 * without a test), never enforced in the kernel; when: the C condition
 * under which c[] holds the early pass's outcomes. */
static void emit_enforce(FILE *o, const sgc_pushdown *pd, const sgc_pd_group *g, const int *kept,
                         int nkept, const char *when)
{
    uint64_t mask[SGC_ENF_MAX_WORDS] = {0};
    bool any = false;
    for (int i = 0; i < g->nrules; i++) {
        if (is_kept(kept, nkept, i)) continue;
        int b = g->rules[i].rule;
        if (b / 64 < SGC_ENF_MAX_WORDS && group_rule_exact(pd, g->rules[i].f)) {
            mask[b / 64] |= 1ULL << (b % 64);
            any = true;
        }
    }
    if (!any) return;
    fprintf(o, "    if (%s) {\n        __u64 kill = 0, audit = 0;\n", when);
    for (int w = 0; w < pd->cand_words && w < SGC_ENF_MAX_WORDS; w++) {
        if (!mask[w]) continue;
        fprintf(o, "        kill |= c[%d] & 0x%llxULL & sgc_f_enf(0, %d);\n", w,
                (unsigned long long)mask[w], w);
        fprintf(o, "        audit |= c[%d] & 0x%llxULL & sgc_f_enf(1, %d);\n", w,
                (unsigned long long)mask[w], w);
    }
    fputs("        if (kill | audit)\n            sgc_f_enforce(h, kill);\n    }\n", o);
}

bool sgc_codegen_rule_exact_at(const sgc_pushdown *pd, int rule, int nr)
{
    if (nr < 0 || nr > pd->max_nr) return false;
    int gi = pd->group_of_nr[nr];
    if (gi < 0) return false;
    const sgc_pd_group *g = &pd->groups[gi];
    for (int i = 0; i < g->nrules; i++)
        if (g->rules[i].rule == rule) /* a rule too big for a chunk is left to userspace */
            return rule / 64 < SGC_ENF_MAX_WORDS && group_rule_exact(pd, g->rules[i].f) &&
                   sgc_pd_formula_atoms(pd, g->rules[i].f) <= SGC_PD_CHUNK_ATOMS;
    return false;
}

/* The atoms of v[] as comments. */
static void emit_atom_notes(FILE *o, const sgc_pushdown *pd, const sgc_pd_group *g)
{
    for (int i = 0; i < g->nkatoms; i++) {
        const sgc_katom *k = pd->katoms[g->katoms[i]];
        fprintf(o, "    /* v[%d]: ", i);
        /* an address map's hash stays out: the source (the object cache's
         * key) does not change with the list's items */
        const char *end = sgc_codegen_addr_in_map(k) ? strchr(k->text, '#') : NULL;
        for (const char *p = k->text; *p && p != end; p++) /* no comment delimiters inside */
            fputc((*p == '*' && (p[1] == '/' || (p > k->text && p[-1] == '/'))) ? '.' : *p, o);
        fputs(" */\n", o);
    }
}

/* Each rule's test, setting its bit in c[]; has_path: the function has a
 * `reuse` (the early pass's outcome, see below). */
/* Line numbers of the rule tests. clang's BTF writer keeps each source line
 * a function's instructions come from as a string, and looks every new
 * string up linearly among the ones it has (LLVM 19 BTFStringTable), so
 * thousands of distinct rule lines cost it seconds to minutes. The rule
 * tests are therefore put on line 1 of the header (its opening comment)
 * with #line; the real numbering resumes after them, counted here from
 * the memstream (one generation at a time). */
static struct {
    char **buf;
    size_t *len;
    size_t pos, line; /* newlines counted in buf[0..pos) */
} lines;

static void lines_resume(FILE *o)
{
    fflush(o);
    for (; lines.pos < *lines.len; lines.pos++)
        if ((*lines.buf)[lines.pos] == '\n') lines.line++;
    /* the #line line itself is lines.line + 1; the next one + 2 */
    fprintf(o, "#line %zu\n", lines.line + 2);
}

/* An atom whose code is the constant UNKNOWN: a comm set past the map's
 * planes (katom_expr). A literal on it is maybe TRUE either way. */
static bool katom_const_unknown(const sgc_pushdown *pd, const sgc_katom *k)
{
    if (k->kop != SGC_KOP_STR_SET || k->ret_guard ||
        (k->src != SGC_KV_COMM && k->src != SGC_KV_PCOMM && k->src != SGC_KV_ANC) ||
        pd->sets[k->set]->kind != SGC_SET_EQ)
        return false;
    int ci = sgc_codegen_comm_index(pd, k->set);
    return ci < 0 || ci >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS;
}

/* A rule in a chunk that is a conjunction of at most CONJ_MAX literals (or
 * one literal), constants and literals on UNKNOWN constants left out:
 * packed for the group's conjunction function, 32 bits a literal,
 * cheapest first: the memo index (10 bits), the atom's case in the atom
 * functions (17 bits), the argument whose string it reads (3 bits), reads
 * a path, negated; all ones end the list. */
#define CONJ_MAX 4
static bool conj_pack(const sgc_pushdown *pd, const int *local, const sgc_ir *f, uint64_t packed[2])
{
    const sgc_ir *const *kids = &f;
    int n = 1;
    if (f->kind == SGC_IR_AND) {
        kids = (const sgc_ir *const *)f->kids;
        n = f->nkids;
    }
    kid_cost lits[CONJ_MAX];
    int m = 0;
    for (int i = 0; i < n; i++) {
        const sgc_ir *k = kids[i];
        /* TRUE and UNKNOWN constants are maybe true: nothing to test */
        if (k->kind == SGC_IR_CONST && k->value != SGC_K_FALSE) continue;
        if (k->kind == SGC_IR_NOT) k = k->kids[0];
        if (k->kind != SGC_IR_ATOM) return false;
        if (katom_const_unknown(pd, pd->katoms[k->atom])) continue;
        if (m == CONJ_MAX || local[k->atom] >= 1024 || atom_gid[k->atom] >= 0x1ffff) return false;
        lits[m] = (kid_cost){kids[i], formula_cost(pd, kids[i]), i};
        m++;
    }
    qsort(lits, (size_t)m, sizeof *lits, kid_cmp);
    packed[0] = packed[1] = ~UINT64_C(0);
    for (int i = 0; i < m; i++) {
        bool neg = lits[i].f->kind == SGC_IR_NOT;
        int atom = neg ? lits[i].f->kids[0]->atom : lits[i].f->atom;
        const sgc_katom *k = pd->katoms[atom];
        bool path = katom_reads_path(k);
        uint64_t x = (uint64_t)local[atom] | (uint64_t)atom_gid[atom] << 10 |
                     (uint64_t)(path ? k->idx & 7 : 0) << 27 | (uint64_t)path << 30 |
                     (uint64_t)neg << 31;
        packed[i / 2] &= ~(UINT64_C(0xffffffff) << (32 * (i % 2)));
        packed[i / 2] |= x << (32 * (i % 2));
    }
    return true;
}

/* The comment that names rule b in the generated code ("*" "/" in a name
 * cannot end it). */
static void rule_note(FILE *o, const sgc_pushdown *pd, int b)
{
    const char *name = pd->rules[b].name;
    fprintf(o, "/* rule %d", b);
    if (name) {
        fputs(": ", o);
        for (const char *p = name; *p; p++) fputc(*p == '*' && p[1] == '/' ? '.' : *p, o);
    }
    fputs(" */", o);
}

/* The rules of g (a chunk) that conj_pack takes, as rows of a constant
 * table named `name` (.rodata) that the chunk walks in a loop: one call of
 * the conjunction function for the whole chunk. The verifier's stack-depth
 * check walks every call path to the bottom of the call graph, so a call
 * site per rule made loading 10,000 rules take seconds of that walk alone.
 * Marks the tabled rules in tabled[] (by position in g->rules) and returns
 * how many there are; nothing is written when none is. */
static int emit_conj_table(FILE *o, const sgc_pushdown *pd, const sgc_pd_group *g, const int *local,
                           bool has_path, const char *name, bool *tabled)
{
    int n = 0;
    for (int i = 0; i < g->nrules; i++) {
        uint64_t packed[2];
        tabled[i] = conj_pack(pd, local, g->rules[i].f, packed);
        if (!tabled[i]) continue;
        /* the flags of emit_conj_fn: the reuse of the early outcome, and
         * the rule's bit */
        int b = g->rules[i].rule;
        bool path = formula_reads_path(pd, g->rules[i].f);
        unsigned fl = (has_path ? (path ? 8u : 4u) : 0u) | (unsigned)b << 4;
        if (!n++) fprintf(o, "\nstatic const struct sgc_fconj_row %s[] = {\n", name);
        fprintf(o, "    {0x%xu, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL}, ", fl, packed[0], packed[1]);
        rule_note(o, pd, b);
        fputc('\n', o);
    }
    if (n) fputs("};\n", o);
    return n;
}

/* The loop over a chunk's table (emit_conj_table): not unrolled, so the
 * conjunction function has one call site. */
static void emit_conj_loop(FILE *o, const char *table, int n)
{
    fprintf(o,
            "#pragma clang loop unroll(disable)\n"
            "    for (__u32 k = 0; k < %d; k++)\n"
            "        %s(s, pass | %s[k].fl, nblobs, %s[k].lo, %s[k].hi);\n",
            n, conj_fn, table, table, table);
}

/* The rules of g, each an if that sets its bit in c[]; rules marked in
 * tabled[] (NULL: none) are the table's (emit_conj_table). */
static void emit_rules(FILE *o, const sgc_pushdown *pd, const sgc_pd_group *g, const int *local,
                       bool has_path, const bool *tabled)
{
    /* rules in order of cost, cheapest first (the bitmap does not care) */
    kid_cost *rules = calloc((size_t)g->nrules + 1, sizeof *rules);
    if (!rules) abort();
    for (int i = 0; i < g->nrules; i++)
        rules[i] = (kid_cost){NULL, formula_cost(pd, g->rules[i].f), i};
    qsort(rules, (size_t)g->nrules, sizeof *rules, kid_cmp);
    int emitted = 0;
    for (int j = 0; j < g->nrules; j++) {
        int i = rules[j].pos;
        if (tabled && tabled[i]) continue;
        int b = g->rules[i].rule;
        fputs("    ", o);
        rule_note(o, pd, b);
        fputs("\n#line 1\n", o);
        emitted++;
        fputs("    if (", o);
        /* a final pass that reuses the early pass's values: a rule FALSE
         * there stays FALSE (its path atoms were UNKNOWN, and a formula
         * in NNF only gets less "maybe true" as they are decided), and a
         * rule that reads no path keeps its early outcome */
        if (has_path && !formula_reads_path(pd, g->rules[i].f))
            fprintf(o, "reuse ? (fs->ec[%d] >> %d & 1) : ", b / 64, b % 64);
        else if (has_path)
            fprintf(o, "(!reuse || (fs->ec[%d] >> %d & 1)) && ", b / 64, b % 64);
        formula(o, pd, local, g->rules[i].f);
        fprintf(o, ")\n        c[%d] |= 1ULL << %d;\n", b / 64, b % 64);
        /* keep the bitmap in memory, where the verifier does not track its
         * value: in registers every combination of rule outcomes would be a
         * state of its own */
        fputs("    asm volatile(\"\" ::: \"memory\");\n", o);
    }
    if (emitted) lines_resume(o);
    free(rules);
}

/* A group function's end: any candidate left, the early pass's bitmap
 * and memo kept for the second pass (when it reads paths), the verdict.
 * split: `any` is known already, and each chunk that ran kept its own
 * words of the bitmap (emit_chunk). */
static void emit_group_end(FILE *o, const sgc_pushdown *pd, int gi, bool has_path, bool split)
{
    if (!split) {
        fputs("    __u64 any = 0;\n", o);
        fprintf(o, "    for (int i = 0; i < %d; i++)\n        any |= c[i];\n", pd->cand_words);
    }
    if (has_path) {
        fputs("    if (early) {\n", o);
        if (!split)
            fprintf(
                o, "        for (int i = 0; i < %d; i++)\n            fs->ec[i] = c[i], NOIDIOM;\n",
                pd->cand_words);
        fprintf(o, "        fs->memo = any ? %d : 0;\n    } else\n", gi + 1);
    }
    fputs("    h->flags |= SGC_EVF_CANDIDATES;\n    return any ? SGC_PASS : SGC_DROP;\n}\n", o);
}

/* The arguments and comm keys (1 comm, 2 parent comm) a set of atoms reads. */
static void atoms_read(const sgc_pushdown *pd, const int *atoms, int n, bool used[FSLOTS],
                       int *comm, bool *path)
{
    for (int i = 0; i < n; i++) {
        const sgc_katom *k = pd->katoms[atoms[i]];
        if (katom_reads_path(k) && k->idx >= 0 && k->idx < FSLOTS) used[k->idx] = true;
        *path |= katom_reads_path(k);
        *comm |= (k->src == SGC_KV_COMM ? 1 : 0) | (k->src == SGC_KV_PCOMM ? 2 : 0);
    }
}

static void emit_group(FILE *o, const sgc_pushdown *pd, int gi)
{
    const sgc_pd_group *g = &pd->groups[gi];
    fprintf(o, "\n/* group %d: ", gi);
    for (int i = 0; i < g->nnrs && i < 8; i++)
        fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(g->nrs[i]));
    if (g->nnrs > 8) fprintf(o, " ... (%d syscalls)", g->nnrs);
    fprintf(o, "; %d rules, %d kernel atoms */\n", g->nrules, g->nkatoms);
    int *local = malloc(((size_t)pd->nkatoms + 1) * sizeof *local);
    if (!local) abort();
    for (int i = 0; i < g->nkatoms; i++) local[g->katoms[i]] = i;
    /* A global function: the verifier checks it once, whatever calls it.
     * It gets the record's buffer (r->s: capture's scratch, or a test
     * input) as a sized pointer, as global functions require. */
    fprintf(o, "__noinline int sgc_fgrp_%d(struct sgc_scratch *s, int early, __u32 nblobs)\n{\n",
            gi);
    fputs("    if (!s)\n        return SGC_PASS;\n"
          "    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;\n"
          "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n"
          /* every argument used (see emit_chunk) */
          "    asm volatile(\"\" :: \"r\"(early), \"r\"(nblobs));\n",
          o);
    bool used[FSLOTS] = {0}, has_path = false;
    int comm = 0;
    atoms_read(pd, g->katoms, g->nkatoms, used, &comm, &has_path);
    if (!has_path) /* the early pass saw everything this group reads: reuse its verdict */
        fprintf(o,
                "    if (!early && (h->flags & SGC_EVF_CANDIDATES))\n"
                "        return (0%s) ? SGC_PASS : SGC_DROP;\n",
                pd->cand_words == 1   ? " | c[0]"
                : pd->cand_words == 2 ? " | c[0] | c[1]"
                                      : " | sgc_f_any(c)");
    fprintf(o, "    for (int i = 0; i < %d; i++) {\n        c[i] = 0;\n        NOIDIOM;\n    }\n",
            pd->cand_words);
    fputs("    struct sgc_fscratch *fs = sgc_f_fs(s);\n", o);
    /* memo: every atom of the group not computed yet, every argument not
     * loaded. The final pass of a record whose early pass (same group, same
     * workspace) passed keeps the values of the atoms that read no path:
     * the header did not change in between, so they are the same, and comm
     * lookups are not repeated (path atoms are never computed in the early
     * pass). fs->memo names the group whose early pass left its values
     * there; the early pass sets it only when it passes. */
    int words = (g->nkatoms + 7) / 8;
    if (has_path) {
        fprintf(o, "    int reuse = !early && fs->memo == %d;\n    if (!reuse) {\n", gi + 1);
        fprintf(o,
                "        for (int i = 0; i < %d; i++)\n            ((__u64 *)fs->v)[i] = "
                "0x0303030303030303ULL, NOIDIOM;\n",
                words);
        if (comm) fprintf(o, "        sgc_f_comm_prepare(fs, h, %d);\n", comm);
        fputs("    }\n    fs->memo = 0;\n", o);
    } else {
        fprintf(o,
                "    for (int i = 0; i < %d; i++)\n        ((__u64 *)fs->v)[i] = "
                "0x0303030303030303ULL, NOIDIOM;\n",
                words);
        if (comm) fprintf(o, "    sgc_f_comm_prepare(fs, h, %d);\n", comm);
    }
    for (int a = 0; a < FSLOTS; a++)
        if (used[a]) fprintf(o, "    fs->path[%d].loaded = 0;\n", a);
    emit_atom_notes(o, pd, g);
    emit_rules(o, pd, g, local, has_path, NULL);
    free(local);
    emit_enforce(o, pd, g, NULL, 0, "early");
    emit_group_end(o, pd, gi, has_path, false);
}

/* The candidate words chunk ch's rules set bits in, ascending; returns
 * their count (words holds ch->nrules). */
static int chunk_words(const sgc_pd_group *g, const sgc_pd_chunk *ch, int *words)
{
    int n = 0;
    for (int k = 0; k < ch->nrules; k++) {
        int w = g->rules[ch->rules[k]].rule / 64, at = n;
        while (at > 0 && words[at - 1] > w) at--;
        if (at > 0 && words[at - 1] == w) continue;
        memmove(words + at + 1, words + at, (size_t)(n - at) * sizeof *words);
        words[at] = w;
        n++;
    }
    return n;
}

/* The atom functions of a split group: atom `id` (its case: atoms[id])
 * computed and memoized in fs->v[slot] (the chunk's memo index); a path
 * atom is UNKNOWN in the early pass, and not memoized there, and its
 * caller loads its string (atom_use, the conjunction function: a call site
 * of the loader per caller, not per atom, for the verifier's stack-depth
 * walk to visit); an atom that
 * is the constant UNKNOWN has no case. ATOM_FN_CASES atoms a function
 * (sgc_fatom_G_P holds ids P * ATOM_FN_CASES...): the verifier checks each
 * atom's code once, not at every use; the program stays within its 256
 * functions, and each function within the 16-bit reach of BPF jumps. */
static void emit_atom_fns(FILE *o, const sgc_pushdown *pd, const int *atoms, int n, const char *fn)
{
    for (int p = 0; p * ATOM_FN_CASES < n; p++) {
        fprintf(
            o,
            "\n__noinline int %s_%d(struct sgc_scratch *s, int early, __u32 nblobs, int id, int "
            "slot)\n{\n"
            "    if (!s)\n        return SGC_F_UNKNOWN;\n"
            "    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;\n"
            "    struct sgc_fscratch *fs = sgc_f_fs(s);\n"
            "    (void)h;\n"
            "    asm volatile(\"\" :: \"r\"(early), \"r\"(nblobs), \"r\"(id), \"r\"(slot));\n"
            "    __u8 r;\n",
            fn, p);
        fputs("    switch (id) {\n", o);
        for (int i = p * ATOM_FN_CASES; i < n && i < (p + 1) * ATOM_FN_CASES; i++) {
            const sgc_katom *k = pd->katoms[atoms[i]];
            if (katom_const_unknown(pd, k)) continue; /* the default case */
            fprintf(o, "    case %d:\n", i);
            if (katom_reads_path(k))
                fputs("        if (early)\n            return SGC_F_UNKNOWN;\n", o);
            fputs("        r = (", o);
            atom_compute(o, pd, k, false);
            fputs(");\n        break;\n", o);
        }
        fputs("    default:\n        return SGC_F_UNKNOWN;\n    }\n"
              /* the bound tested on the register that indexes (asm before
               * and after: clang would test another copy, which the
               * verifier does not relate to the index) */
              "    __u64 at = (__u32)slot;\n"
              "    asm volatile(\"\" : \"+r\"(at));\n"
              "    if (at < sizeof(fs->v)) {\n"
              "        asm volatile(\"\" : \"+r\"(at));\n"
              "        fs->v[at] = r;\n"
              "    }\n"
              "    return r;\n}\n",
              o);
    }
}

/* The conjunction function of a split group: whether a rule made of the
 * packed literals (conj_pack) may be TRUE, cheapest literal first, atoms
 * through the chunk's memo and the atom function; if so, it sets the
 * rule's bit in c[]. fl: bit 0 the early pass, bit 1 a final pass reusing
 * the early one's outcomes, then (emit_rules) bit 2 the rule reads no path
 * (its early outcome stands), bit 3 it reads one (FALSE when it was FALSE
 * in the early pass), and the rule's bit from bit 4. One function for the
 * group's conjunctions: a rule costs the verifier a call. */
static void emit_conj_fn(FILE *o, const char *fn, const char *afn, int natoms)
{
    fprintf(o,
            "\n__noinline int %s(struct sgc_scratch *s, __u32 fl, __u32 nblobs, __u64 lo, __u64 "
            "hi)\n{\n"
            "    if (!s)\n        return 0;\n"
            "    struct sgc_fscratch *fs = sgc_f_fs(s);\n"
            "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n"
            "    int early = fl & 1;\n",
            fn);
    /* the rule's bit is a constant of the generator, always in the bitmap */
    fprintf(o,
            "    __u64 w = fl >> 10;\n"
            "    asm volatile(\"\" : \"+r\"(w));\n"
            "    if (w >= SGC_CAND_WORDS)\n        return 0;\n"
            "    asm volatile(\"\" : \"+r\"(w));\n"
            "    __u64 bit = 1ULL << ((fl >> 4) & 63);\n"
            "    if ((fl & 2) && (fl & 12)) {\n"
            "        if (!(fs->ec[w] & bit))\n            return 0;\n"
            "        if (fl & 4) {\n            c[w] |= bit;\n            return 1;\n        }\n"
            "    }\n"
            "    for (int i = 0; i < %d; i++) {\n"
            "        __u32 x = (i < 2 ? lo : hi) >> (32 * (i & 1));\n"
            "        if (x == 0xffffffffu)\n            break;\n"
            "        __u64 at = x & 0x3ff;\n"
            "        asm volatile(\"\" : \"+r\"(at));\n"
            "        if (at >= sizeof(fs->v))\n            break; /* cannot be: maybe TRUE */\n"
            "        asm volatile(\"\" : \"+r\"(at));\n"
            "        int v = SGC_F_UNKNOWN;\n"
            "        if (!(early && (x >> 30 & 1))) {\n"
            "            v = fs->v[at];\n"
            "            int id = x >> 10 & 0x1ffff;\n"
            /* the atom functions read the string loaded (atom_use) */
            "            if (v == SGC_F_NONE && (x >> 30 & 1))\n"
            "                sgc_f_need(s, fs, nblobs, x >> 27 & 7);\n"
            "            if (v == SGC_F_NONE)\n"
            "                switch (id / %d) {\n",
            CONJ_MAX, ATOM_FN_CASES);
    for (int p = 0; p * ATOM_FN_CASES < natoms; p++)
        fprintf(o,
                "                case %d:\n"
                "                    v = %s_%d(s, early, nblobs, id, (int)at);\n"
                "                    break;\n",
                p, afn, p);
    fputs("                default:\n                    v = SGC_F_UNKNOWN;\n                }\n"
          "        }\n"
          "        if (v == ((x >> 31) ? SGC_F_TRUE : SGC_F_FALSE))\n            return 0;\n"
          "    }\n"
          "    c[w] |= bit;\n"
          "    return 1;\n}\n",
          o);
}

/* Chunk ci of a split group: a global function of its own (verified on its
 * own, whatever its size relative to the others) that ORs its rules' bits
 * into c[] (cleared by the group before the first chunk that runs) and
 * returns whether a word it sets bits in is not zero. Its atom memo starts
 * empty in both passes (v[] holds one chunk); the group tested its guard.
 * Rule outcomes of the early pass are reused through fs->ec: the early
 * pass keeps the chunk's words there. A chunk that runs in the final pass
 * ran in the early one (its guard was not FALSE there either: only path
 * atoms change between the passes, and they were UNKNOWN), so the words
 * it reads were written for this event. */
static void emit_chunk(FILE *o, const sgc_pushdown *pd, int gi, int ci, const sgc_pd_chunk *ch,
                       bool group_path, int *local)
{
    const sgc_pd_group *g = &pd->groups[gi];
    sgc_pd_group view = *g;
    view.katoms = ch->katoms;
    view.nkatoms = ch->nkatoms;
    view.nrules = ch->nrules;
    view.rules = malloc(((size_t)ch->nrules + 1) * sizeof *view.rules);
    int *words = malloc(((size_t)ch->nrules + 1) * sizeof *words);
    if (!view.rules || !words) abort();
    for (int k = 0; k < ch->nrules; k++) view.rules[k] = g->rules[ch->rules[k]];
    for (int i = 0; i < ch->nkatoms; i++) local[ch->katoms[i]] = i;
    fprintf(o, "\n/* group %d, chunk %d: %d rules, %d kernel atoms */", gi, ci, ch->nrules,
            ch->nkatoms);
    char table[64];
    snprintf(table, sizeof table, "sgc_fgrp_%d_c%d_rows", gi, ci);
    bool *tabled = calloc((size_t)ch->nrules + 1, sizeof *tabled);
    if (!tabled) abort();
    int ntabled = emit_conj_table(o, pd, &view, local, group_path, table, tabled);
    fputc('\n', o);
    fprintf(o,
            "__noinline int sgc_fgrp_%d_c%d(struct sgc_scratch *s, int early, __u32 nblobs, int "
            "reuse)\n{\n",
            gi, ci);
    fprintf(o,
            "    if (!s)\n        return 0;\n"
            "    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;\n"
            "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n"
            "    struct sgc_fscratch *fs = sgc_f_fs(s);\n"
            "    (void)h;\n"
            /* every argument used: clang passes garbage for one the callee
             * ignores, and the verifier rejects a non-scalar there */
            "    asm volatile(\"\" :: \"r\"(early), \"r\"(nblobs), \"r\"(reuse));\n"
            /* early and reuse are 0 or 1: bit operations, no branch, so
             * one verifier path through the chunk */
            "    __u32 pass = (__u32)(early & 1) | (__u32)(reuse & 1) << 1;\n"
            "    (void)pass;\n"
            "    for (int i = 0; i < %d; i++)\n"
            "        ((__u64 *)fs->v)[i] = 0x0303030303030303ULL, NOIDIOM;\n",
            (ch->nkatoms + 7) / 8);
    emit_atom_notes(o, pd, &view);
    if (ntabled) emit_conj_loop(o, table, ntabled);
    emit_rules(o, pd, &view, local, group_path, tabled);
    free(tabled);
    int nw = chunk_words(g, ch, words);
    if (group_path) {
        fputs("    if (early) {\n", o);
        for (int i = 0; i < nw; i++)
            fprintf(o, "        fs->ec[%d] = c[%d], NOIDIOM;\n", words[i], words[i]);
        fputs("    }\n", o);
    }
    fputs("    return (0", o);
    for (int i = 0; i < nw; i++)
        fprintf(o, "%s| c[%d]", i % 8 == 7 ? "\n            " : " ", words[i]);
    fputs(") != 0;\n}\n", o);
    free(words);
    free(view.rules);
}

/* The calls of one class of chunks (pushdown_split.h) in the group's
 * function: the class's guard, then each chunk's union atom, evaluated in
 * place (each once); a chunk whose guard is FALSE is not called. The
 * bitmap is cleared before the first chunk that runs: an event no chunk
 * can match does not touch it. */
static void emit_class(FILE *o, const sgc_pushdown *pd, int gi, const sgc_pd_split *sp,
                       const sgc_pd_chunk_class *cl)
{
    const char *ind = cl->guard ? "        " : "    ";
    fprintf(o, "    /* chunks %d to %d", cl->first, cl->first + cl->nchunks - 1);
    if (cl->guard) {
        fputs(": every rule has these conjuncts */\n    if (", o);
        formula(o, pd, NULL, cl->guard);
        fputs(") {\n", o);
    } else {
        fputs(" */\n", o);
    }
    for (int ci = cl->first; ci < cl->first + cl->nchunks; ci++) {
        int ua = sp->chunks[ci].union_atom;
        if (ua >= 0) {
            fprintf(o, "%sif ((", ind);
            atom_use(o, pd, NULL, ua);
            fprintf(o, ") != SGC_F_FALSE) {\n%s    ", ind);
        } else {
            fputs(ind, o);
        }
        fprintf(o,
                "if (!clr)\n%s        clr = sgc_fgrp_clear(s);\n"
                "%s    any |= sgc_fgrp_%d_c%d(s, early, nblobs, reuse);\n",
                ind, ind, gi, ci);
        if (ua >= 0) fprintf(o, "%s}\n", ind);
    }
    if (cl->guard) fputs("    }\n", o);
}

/* Clears the candidate bitmap for the split groups and returns 1. */
static void emit_clear(FILE *o, const sgc_pushdown *pd)
{
    fprintf(o,
            "\n__noinline int sgc_fgrp_clear(struct sgc_scratch *s)\n{\n"
            "    if (!s)\n        return 0;\n"
            "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n"
            "    for (int i = 0; i < %d; i++) {\n        c[i] = 0;\n        NOIDIOM;\n    }\n"
            "    return 1;\n}\n",
            pd->cand_words);
}

/* A group cut into chunks (pushdown_split.h): the chunks' functions, then
 * the group's, which prepares the pass as emit_group does, sets the bits of
 * the rules left to userspace, calls the chunks whose guard is not FALSE
 * and computes the verdict. */
static void emit_split_group(FILE *o, const sgc_pushdown *pd, int gi, const sgc_pd_split *sp)
{
    const sgc_pd_group *g = &pd->groups[gi];
    bool used[FSLOTS] = {0}, has_path = false;
    int comm = 0;
    atoms_read(pd, g->katoms, g->nkatoms, used, &comm, &has_path);
    int *local = malloc(((size_t)pd->nkatoms + 1) * sizeof *local);
    int *gid = malloc(((size_t)pd->nkatoms + 1) * sizeof *gid);
    int *atoms = malloc(((size_t)pd->nkatoms + 1) * sizeof *atoms), natoms = 0;
    if (!local || !gid || !atoms) abort();
    /* the atom function's cases: every atom of the group's chunks */
    for (int i = 0; i < pd->nkatoms; i++) gid[i] = -1;
    for (int ci = 0; ci < sp->nchunks; ci++)
        for (int i = 0; i < sp->chunks[ci].nkatoms; i++) {
            int a = sp->chunks[ci].katoms[i];
            if (gid[a] < 0) gid[a] = natoms, atoms[natoms++] = a;
        }
    char fn[64], cfn[64];
    snprintf(fn, sizeof fn, "sgc_fatom_%d", gi);
    snprintf(cfn, sizeof cfn, "sgc_fconj_%d", gi);
    emit_atom_fns(o, pd, atoms, natoms, fn);
    emit_conj_fn(o, cfn, fn, natoms);
    atom_fn = fn;
    conj_fn = cfn;
    atom_gid = gid;
    for (int ci = 0; ci < sp->nchunks; ci++)
        emit_chunk(o, pd, gi, ci, &sp->chunks[ci], has_path, local);
    atom_fn = conj_fn = NULL;
    atom_gid = NULL;
    free(atoms);
    free(gid);
    free(local);
    fprintf(o, "\n/* group %d: ", gi);
    for (int i = 0; i < g->nnrs && i < 8; i++)
        fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(g->nrs[i]));
    if (g->nnrs > 8) fprintf(o, " ... (%d syscalls)", g->nnrs);
    fprintf(o,
            "; %d rules, %d kernel atoms, in %d chunks of %d classes; %d rules left to "
            "userspace */\n",
            g->nrules, g->nkatoms, sp->nchunks, sp->nclasses, sp->nkept);
    fprintf(o, "__noinline int sgc_fgrp_%d(struct sgc_scratch *s, int early, __u32 nblobs)\n{\n",
            gi);
    fputs("    if (!s)\n        return SGC_PASS;\n"
          "    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;\n"
          "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n"
          "    (void)c;\n",
          o);
    if (!has_path)
        fprintf(o,
                "    if (!early && (h->flags & SGC_EVF_CANDIDATES))\n"
                "        return (0%s) ? SGC_PASS : SGC_DROP;\n",
                pd->cand_words == 1   ? " | c[0]"
                : pd->cand_words == 2 ? " | c[0] | c[1]"
                                      : " | sgc_f_any(c)");
    fputs("    struct sgc_fscratch *fs = sgc_f_fs(s);\n", o);
    if (has_path) {
        fprintf(o, "    int reuse = !early && fs->memo == %d;\n", gi + 1);
        if (comm) fprintf(o, "    if (!reuse)\n        sgc_f_comm_prepare(fs, h, %d);\n", comm);
        fputs("    fs->memo = 0;\n", o);
    } else {
        fputs("    int reuse = 0;\n", o);
        if (comm) fprintf(o, "    sgc_f_comm_prepare(fs, h, %d);\n", comm);
    }
    for (int a = 0; a < FSLOTS; a++)
        if (used[a]) fprintf(o, "    fs->path[%d].loaded = 0;\n", a);
    fputs("    __u64 any = 0;\n    int clr = 0;\n", o);
    if (sp->nkept) fputs("    clr = sgc_fgrp_clear(s);\n    any = 1;\n", o);
    for (int k = 0; k < sp->nkept; k++) {
        int b = g->rules[sp->kept[k]].rule;
        fprintf(o,
                "    c[%d] |= 1ULL << %d; /* rule %d: more atoms than a chunk holds: userspace "
                "decides */\n",
                b / 64, b % 64, b);
    }
    for (int k = 0; k < sp->nclasses; k++) emit_class(o, pd, gi, sp, &sp->classes[k]);
    /* c[] holds the outcomes only when a chunk ran (or a rule is kept) */
    emit_enforce(o, pd, g, sp->kept, sp->nkept, "early && any");
    emit_group_end(o, pd, gi, has_path, true);
}

static void emit_all(FILE *o, const sgc_pushdown *pd)
{
    fputs("\n/* a syscall beyond the tables: every rule is a candidate */\n"
          "static __noinline int sgc_fall(struct sgc_rec *r, int early)\n{\n"
          "    __u64 *c = sgc_rec_candidates(r);\n",
          o);
    for (int w = 0; w < pd->cand_words; w++) {
        int bits = pd->nrules - w * 64;
        uint64_t m = bits >= 64 ? ~UINT64_C(0) : bits <= 0 ? 0 : (UINT64_C(1) << bits) - 1;
        fprintf(o, "    c[%d] = 0x%" PRIx64 "ULL;\n", w, m);
        if (w % 8 == 7) fputs("    NOIDIOM;\n", o);
    }
    fprintf(o,
            "    if (!early)\n        r->hdr->flags |= SGC_EVF_CANDIDATES;\n"
            "    return %s;\n}\n",
            pd->nrules ? "SGC_PASS" : "SGC_DROP");
}

static void emit_dispatch(FILE *o, const sgc_pushdown *pd)
{
    fputs("\n/* With a compile-time nr (one program per syscall) clang keeps one case,\n"
          " * and libbpf links only that group into the program. */\n"
          "static __always_inline int sgc_f_route(struct sgc_rec *r, int early, __u32 nr)\n{\n",
          o);
    if (sgc_codegen_has_sock(pd)) /* the socket view is computed once per pass */
        fputs("    sgc_f_sk(r->s)->loaded = 0;\n", o);
    fprintf(o, "    if (nr > %d)\n        return sgc_fall(r, early);\n    switch (nr) {\n",
            pd->max_nr);
    for (int g = 0; g < pd->ngroups; g++) {
        const sgc_pd_group *grp = &pd->groups[g];
        for (int i = 0; i < grp->nnrs; i++)
            fprintf(o, "    case %d: /* %s */\n", grp->nrs[i], sgc_syscall_name(grp->nrs[i]));
        fprintf(o, "        return sgc_fgrp_%d(r->s, early, r->nblobs);\n", g);
    }
    fputs("    default: /* no rule can match this syscall */\n        return SGC_DROP;\n    }\n}\n",
          o);
    fputs("\n/* Inlined: a call frame fewer (the verifier allows 8; a split group's\n"
          " * chunks use three below the group function). */\n"
          "static __always_inline int sgc_f_dispatch(struct sgc_rec *r, int early)\n{\n"
          "    return sgc_f_route(r, early, r->hdr->nr);\n}\n",
          o);
}

/* Is group gi emitted whole (one function) under its plan? */
/* The atom memo's size: the largest function's atoms. */
static int max_group_atoms(const sgc_pushdown *pd, const sgc_pd_split *plans)
{
    int m = 1;
    for (int g = 0; g < pd->ngroups; g++) {
        if (sgc_pd_split_whole(&plans[g])) {
            if (pd->groups[g].nkatoms > m) m = pd->groups[g].nkatoms;
            continue;
        }
        for (int c = 0; c < plans[g].nchunks; c++)
            if (plans[g].chunks[c].nkatoms > m) m = plans[g].chunks[c].nkatoms;
    }
    return m;
}

int sgc_codegen_bpf(const sgc_pushdown *pd, sgc_bpf_gen *g)
{
    memset(g, 0, sizeof *g);
    g->cand_words = pd->cand_words;
    sgc_codegen_bpf_entries(pd, g);
    sgc_pd_split *plans = calloc((size_t)pd->ngroups + 1, sizeof *plans);
    if (!plans) abort();
    for (int gi = 0; gi < pd->ngroups; gi++) sgc_pd_split_group(pd, gi, 0, 0, &plans[gi]);
    FILE *o = open_memstream(&g->source, &g->source_len);
    if (!o) abort();
    lines.buf = &g->source;
    lines.len = &g->source_len;
    lines.pos = lines.line = 0;
    fprintf(o,
            "/* Generated by sgc: the kernel filter of %d rules (%d groups of syscalls,\n"
            " * %d kernel atoms, %d constant sets). Do not edit. */\n"
            "#ifndef SGC_GENERATED_FILTER_H\n#define SGC_GENERATED_FILTER_H\n\n"
            "#if SGC_CAND_WORDS != %d\n#error \"compile with -DSGC_CAND_WORDS=%d\"\n#endif\n"
            /* the set maps' sizes are not here but -D flags of the build
             * (sgc_bpf_build_opts), so a list update changes no source */
            "#define SGC_F_NATOMS %d\n"
            /* <>: found through -I, so a templates directory given to the
                * build (SGC_BPF_TEMPLATES) wins over the embedded copy that
                * sits next to this header */
            "#include <filter_helpers.h>\n"
            /* in loops that clear or copy the bitmap and the memo: clang
             * would make them a memset or memcpy, which the BPF backend
             * cannot emit beyond a few hundred bytes (10,000 rules) */
            "#define NOIDIOM ({ asm volatile(\"\" ::: \"memory\"); })\n",
            pd->nrules, pd->ngroups, pd->nkatoms, pd->nsets, pd->cand_words, pd->cand_words,
            max_group_atoms(pd, plans));
    fprintf(o,
            "_Static_assert(SGC_F_VAL_SIZE == %d && SGC_F_COMM_PLANES == %d,\n"
            "               \"map value layout of filter_helpers.h and "
            "compiler/codegen/codegen_bpf.h differ\");\n",
            SGC_FVAL_SIZE, SGC_FCOMM_PLANES);
    fprintf(o,
            "_Static_assert(SGC_FX_SLOT_EXE == %d && SGC_FX_SLOT_EXEPATH == %d && "
            "SGC_FX_SLOT_CWD == %d && SGC_FX_SLOT_CMDLINE == %d && SGC_FX_SLOT_ARGS == %d,\n"
            "               \"exec string slots of filter_exec.h and "
            "compiler/pushdown/pushdown.h differ\");\n",
            SGC_KEX_SLOT_EXE, SGC_KEX_SLOT_EXEPATH, SGC_KEX_SLOT_CWD, SGC_KEX_SLOT_CMDLINE,
            SGC_KEX_SLOT_ARGS);
    int anc = sgc_pd_anc_depth(pd);
    if (anc)
        fprintf(o,
                "/* proc.aname atoms: the ancestors' comms, walked up to this level\n"
                " * when first needed, carried in the record (SGC_BLOB_ANCESTORS) */\n"
                "#define SGC_F_ANC_DEPTH %d\n#include <filter_anc.h>\n",
                anc);
    if (sgc_codegen_has_sock(pd)) {
        fputs("/* socket atoms: the capture builds the socket blobs before the filter */\n"
              "#define SGC_F_SOCK 1\n#include <filter_sock.h>\n",
              o);
        if (sgc_codegen_has_sockaddr(pd)) fputs("#define SGC_F_SOCKADDR 1\n", o);
    }
    for (int gi = 0; gi < pd->ngroups; gi++)
        if (!sgc_pd_split_whole(&plans[gi])) {
            emit_clear(o, pd);
            break;
        }
    unsigned *group_parts = calloc((size_t)pd->ngroups + 1, sizeof *group_parts);
    if (!group_parts) abort();
    for (int gi = 0; gi < pd->ngroups; gi++) {
        task_parts = &group_parts[gi];
        for (int i = 0; i < pd->groups[gi].nkatoms; i++)
            group_parts[gi] |= sgc_codegen_task_parts(pd->katoms[pd->groups[gi].katoms[i]]);
        if (sgc_pd_split_whole(&plans[gi]))
            emit_group(o, pd, gi);
        else
            emit_split_group(o, pd, gi, &plans[gi]);
        sgc_pd_split_free(&plans[gi]);
    }
    task_parts = NULL;
    free(plans);
    sgc_codegen_emit_task_fields(o, pd, group_parts);
    free(group_parts);
    emit_all(o, pd);
    emit_dispatch(o, pd);
    fputs("\n/* header only: path atoms are UNKNOWN, no bitmap yet */\n"
          "static __always_inline int sgc_filter_early(struct sgc_rec *r)\n{\n"
          "    return sgc_f_dispatch(r, 1);\n}\n\n"
          "static __always_inline int sgc_filter(struct sgc_rec *r)\n{\n"
          "    return sgc_f_dispatch(r, 0);\n}\n\n"
          "/* The same for a program of one syscall: nr must be a constant. */\n"
          "static __always_inline int sgc_filter_early_nr(struct sgc_rec *r, const __u32 nr)\n{\n"
          "    return sgc_f_route(r, 1, nr);\n}\n\n"
          "static __always_inline int sgc_filter_nr(struct sgc_rec *r, const __u32 nr)\n{\n"
          "    return sgc_f_route(r, 0, nr);\n}\n\n#endif\n",
          o);
    fclose(o);
    return 0;
}

void sgc_bpf_gen_free(sgc_bpf_gen *g)
{
    free(g->source);
    free(g->entries);
    memset(g, 0, sizeof *g);
}
