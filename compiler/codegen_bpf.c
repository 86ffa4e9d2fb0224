/* Emitting the BPF C of a kernel filter: kernel atoms as expressions over the
 * record header and the helpers of filter_helpers.h, rule formulas (NNF) as
 * "maybe true" tests, one function per syscall group. */
#include "codegen_bpf.h"
#include "systables.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void value_expr(FILE *o, const sgc_katom *k) {
    switch (k->src) {
    case SGC_KV_HDR:
        if (k->width == 32) fprintf(o, "(%s)h->%s", k->is_signed ? "__s32" : "__u32", k->hdr_name);
        else fprintf(o, "h->%s", k->hdr_name);
        break;
    case SGC_KV_RET: fputs("h->ret", o); break;
    case SGC_KV_REG: fprintf(o, "h->args[%d]", k->idx); break;
    default: fputs("0", o); break;
    }
}

static void compare(FILE *o, const sgc_katom *k, const char *op, int64_t num) {
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

static void katom_expr(FILE *o, const sgc_pushdown *pd, const sgc_katom *k) {
    if (k->ret_guard)
        fprintf(o, "h->ret < 0 ? %s : ", k->ret_fail == SGC_K_TRUE    ? "SGC_F_TRUE"
                                          : k->ret_fail == SGC_K_FALSE ? "SGC_F_FALSE"
                                                                       : "SGC_F_UNKNOWN");
    if (k->negate) fputs("sgc_f_not(", o);
    switch (k->kop) {
    case SGC_KOP_NUM_CMP: {
        const char *op = k->cmp == SGC_OP_EQ ? "==" : k->cmp == SGC_OP_NE ? "!=" : sgc_op_name(k->cmp);
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
        if (k->src == SGC_KV_COMM || k->src == SGC_KV_PCOMM) {
            bool eq = s->kind == SGC_SET_EQ;
            const char *p = k->src == SGC_KV_COMM ? "comm" : "pcomm";
            fprintf(o, "sgc_f_comm_%s(%d, %d) /* %s */", eq ? "eq" : "prefix", k->src == SGC_KV_PCOMM, s->id, p);
        } else {
            fprintf(o, "sgc_f_path_in(%d, %d, %d)", k->idx, s->id, (int)s->kind);
        }
        break;
    }
    }
    if (k->negate) fputc(')', o);
}

/* A rule formula in NNF as "maybe true": positive atoms != FALSE, negated
 * atoms != TRUE, UNKNOWN and TRUE constants 1. */
static void formula(FILE *o, const sgc_ir *f) {
    switch (f->kind) {
    case SGC_IR_CONST: fputs(f->value == SGC_K_FALSE ? "0" : "1", o); return;
    case SGC_IR_ATOM: fprintf(o, "(fs->v[%d] != SGC_F_FALSE)", f->atom); return;
    case SGC_IR_NOT:
        if (f->kids[0]->kind == SGC_IR_ATOM) {
            fprintf(o, "(fs->v[%d] != SGC_F_TRUE)", f->kids[0]->atom);
            return;
        }
        fputs("1", o); /* not in NNF: cannot happen; stay sound */
        return;
    case SGC_IR_AND:
    case SGC_IR_OR:
        fputc('(', o);
        for (int i = 0; i < f->nkids; i++) {
            if (i) fputs(f->kind == SGC_IR_AND ? " && " : " || ", o);
            formula(o, f->kids[i]);
        }
        fputc(')', o);
        return;
    }
}

static void emit_group(FILE *o, const sgc_pushdown *pd, int gi) {
    const sgc_pd_group *g = &pd->groups[gi];
    fprintf(o, "\n/* group %d: ", gi);
    for (int i = 0; i < g->nnrs && i < 8; i++) fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(g->nrs[i]));
    if (g->nnrs > 8) fprintf(o, " ... (%d syscalls)", g->nnrs);
    fprintf(o, "; %d rules, %d kernel atoms */\n", g->nrules, g->nkatoms);
    /* A global function: the verifier checks it once, whatever calls it.
     * It gets the record's buffer (r->s: capture's scratch, or a test
     * input) as a sized pointer, as global functions require. */
    fprintf(o, "__noinline int sgc_fgrp_%d(struct sgc_scratch *s, int early, __u32 nblobs)\n{\n", gi);
    fputs("    if (!s)\n        return SGC_PASS;\n"
          "    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;\n"
          "    __u64 *c = (__u64 *)(s->rec + sizeof(struct sgc_event_hdr));\n", o);
    bool has_path = false;
    for (int i = 0; i < g->nkatoms; i++) has_path |= pd->katoms[g->katoms[i]]->src == SGC_KV_PATH;
    if (!has_path) /* the early pass saw everything this group reads: reuse its verdict */
        fprintf(o, "    if (!early && (h->flags & SGC_EVF_CANDIDATES))\n"
                   "        return (0%s) ? SGC_PASS : SGC_DROP;\n",
                pd->cand_words == 1 ? " | c[0]" : pd->cand_words == 2 ? " | c[0] | c[1]" : " | sgc_f_any(c)");
    fprintf(o, "    for (int i = 0; i < %d; i++)\n        c[i] = 0;\n", pd->cand_words);
    fputs("    struct sgc_fscratch *fs = sgc_f_scratch();\n    if (!fs) {\n", o);
    for (int i = 0; i < g->nrules; i++) {
        int b = g->rules[i].rule;
        fprintf(o, "        c[%d] |= 1ULL << %d;\n", b / 64, b % 64);
    }
    fputs("    } else {\n", o);
    /* path arguments used by this group's atoms, loaded once */
    bool used[SGC_NARGS] = {0};
    for (int i = 0; i < g->nkatoms; i++) {
        const sgc_katom *k = pd->katoms[g->katoms[i]];
        if (k->src == SGC_KV_PATH && k->idx >= 0 && k->idx < SGC_NARGS) used[k->idx] = true;
    }
    bool comm = false;
    for (int i = 0; i < g->nkatoms; i++) {
        const sgc_katom *k = pd->katoms[g->katoms[i]];
        comm |= k->src == SGC_KV_COMM || k->src == SGC_KV_PCOMM;
    }
    if (comm) fputs("    sgc_f_comm_prepare(fs, h);\n", o);
    for (int a = 0; a < SGC_NARGS; a++)
        if (used[a])
            fprintf(o, "    sgc_f_load_path(s, early ? 0 : nblobs, %d); /* early: UNKNOWN */\n", a);
    for (int i = 0; i < g->nkatoms; i++) {
        const sgc_katom *k = pd->katoms[g->katoms[i]];
        fprintf(o, "    /* %s */\n    fs->v[%d] = ", k->text, k->id);
        katom_expr(o, pd, k);
        fputs(";\n", o);
    }
    for (int i = 0; i < g->nrules; i++) {
        int b = g->rules[i].rule;
        const char *name = pd->rules[b].name;
        fprintf(o, "    /* rule %d", b);
        if (name) {
            fputs(": ", o);
            for (const char *p = name; *p; p++) fputc(*p == '*' && p[1] == '/' ? '.' : *p, o);
        }
        fputs(" */\n    if (", o);
        formula(o, g->rules[i].f);
        fprintf(o, ")\n        c[%d] |= 1ULL << %d;\n", b / 64, b % 64);
    }
    fputs("    }\n    __u64 any = 0;\n", o);
    fprintf(o, "    for (int i = 0; i < %d; i++)\n        any |= c[i];\n", pd->cand_words);
    if (has_path) fputs("    if (!early)\n", o);
    fputs("    h->flags |= SGC_EVF_CANDIDATES;\n    return any ? SGC_PASS : SGC_DROP;\n}\n", o);
}

static void emit_all(FILE *o, const sgc_pushdown *pd) {
    fputs("\n/* a syscall beyond the tables: every rule is a candidate */\n"
          "static __noinline int sgc_fall(struct sgc_rec *r, int early)\n{\n"
          "    __u64 *c = sgc_rec_candidates(r);\n", o);
    for (int w = 0; w < pd->cand_words; w++) {
        int bits = pd->nrules - w * 64;
        uint64_t m = bits >= 64 ? ~UINT64_C(0) : bits <= 0 ? 0 : (UINT64_C(1) << bits) - 1;
        fprintf(o, "    c[%d] = 0x%" PRIx64 "ULL;\n", w, m);
    }
    fprintf(o, "    if (!early)\n        r->hdr->flags |= SGC_EVF_CANDIDATES;\n"
               "    return %s;\n}\n", pd->nrules ? "SGC_PASS" : "SGC_DROP");
}

static void emit_dispatch(FILE *o, const sgc_pushdown *pd) {
    fputs("\n/* With a compile-time nr (one program per syscall) clang keeps one case,\n"
          " * and libbpf links only that group into the program. */\n"
          "static __always_inline int sgc_f_route(struct sgc_rec *r, int early, __u32 nr)\n{\n", o);
    fprintf(o, "    if (nr > %d)\n        return sgc_fall(r, early);\n    switch (nr) {\n", pd->max_nr);
    for (int g = 0; g < pd->ngroups; g++) {
        const sgc_pd_group *grp = &pd->groups[g];
        for (int i = 0; i < grp->nnrs; i++) fprintf(o, "    case %d: /* %s */\n", grp->nrs[i], sgc_syscall_name(grp->nrs[i]));
        fprintf(o, "        return sgc_fgrp_%d(r->s, early, r->nblobs);\n", g);
    }
    fputs("    default: /* no rule can match this syscall */\n        return SGC_DROP;\n    }\n}\n", o);
    fputs("\n/* Not inlined: keeps the capture handler's own code as the verifier knows it. */\n"
          "static __noinline int sgc_f_dispatch(struct sgc_rec *r, int early)\n{\n"
          "    return sgc_f_route(r, early, r->hdr->nr);\n}\n", o);
}

int sgc_codegen_bpf(const sgc_pushdown *pd, sgc_bpf_gen *g) {
    memset(g, 0, sizeof *g);
    g->cand_words = pd->cand_words;
    sgc_codegen_bpf_entries(pd, g);
    FILE *o = open_memstream(&g->source, &g->source_len);
    if (!o) abort();
    fprintf(o, "/* Generated by sgc: the kernel filter of %d rules (%d groups of syscalls,\n"
               " * %d kernel atoms, %d constant sets). Do not edit. */\n"
               "#ifndef SGC_GENERATED_FILTER_H\n#define SGC_GENERATED_FILTER_H\n\n"
               "#if SGC_CAND_WORDS != %d\n#error \"compile with -DSGC_CAND_WORDS=%d\"\n#endif\n"
               "#define SGC_F_LPM_ENTRIES %d\n#define SGC_F_COMM_ENTRIES %d\n#define SGC_F_NATOMS %d\n"
               /* <>: found through -I, so a templates directory given to the
                * build (SGC_BPF_TEMPLATES) wins over the embedded copy that
                * sits next to this header */
               "#include <filter_helpers.h>\n",
            pd->nrules, pd->ngroups, pd->nkatoms, pd->nsets, pd->cand_words, pd->cand_words,
            g->lpm_entries ? g->lpm_entries : 1, g->comm_entries ? g->comm_entries : 1,
            pd->nkatoms ? pd->nkatoms : 1);
    for (int gi = 0; gi < pd->ngroups; gi++) emit_group(o, pd, gi);
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
          "    return sgc_f_route(r, 0, nr);\n}\n\n#endif\n", o);
    fclose(o);
    return 0;
}

void sgc_bpf_gen_free(sgc_bpf_gen *g) {
    free(g->source);
    free(g->entries);
    memset(g, 0, sizeof *g);
}
