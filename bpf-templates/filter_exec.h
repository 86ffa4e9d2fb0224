/* proc.exe, proc.exepath, proc.cwd and proc.is_exe_* in the kernel filter,
 * on exec records (BPF side only; included by filter_helpers.h, after the
 * blob helpers; compiler/pushdown/pushdown_exec.c says what is decided).
 *
 * On an exec record (SGC_REC_PROC_EXEC, filtered in blob mode: fs->live is
 * 0 and every blob is in the record) the evaluator reads the process entry
 * the record builds: argv[0] of SGC_BLOB_ARGV, the SGC_BLOB_EXE and
 * SGC_BLOB_CWD strings (the cwd with a '/' appended when it ends without
 * one), the bits of SGC_BLOB_EXE_FLAGS. The strings are loaded into the
 * string slots no argument uses (SGC_FX_SLOT_*: the generator's
 * SGC_KEX_SLOT_*) by sgc_f_load_path, and compared as names taken whole
 * (SGC_FW_RAW). Anything else is UNKNOWN: a live event (a syscall exit,
 * where the evaluator reads the process table), another record kind, a
 * blob that is missing (the evaluator keeps the older image's value),
 * flagged (faulted; truncated, but for an argv whose first item is whole),
 * without a NUL or too long, an empty cwd (the evaluator has none). */
#ifndef SGC_FILTER_EXEC_H
#define SGC_FILTER_EXEC_H

#define SGC_FX_SLOT_EXE     5 /* argv[0] */
#define SGC_FX_SLOT_EXEPATH 6
#define SGC_FX_SLOT_CWD     7
#define SGC_FX_SLOT0        SGC_FX_SLOT_EXE /* the first of them */

/* Is the record in s an exec record the filter reads from its blobs? */
static __always_inline int sgc_f_exec_rec(struct sgc_scratch *s)
{
    const struct sgc_event_hdr *h = (const struct sgc_event_hdr *)s->rec;
    return !sgc_f_fs(s)->live && h->kind == SGC_REC_PROC_EXEC;
}

/* Exec string `slot` into p (sgc_f_load_path has reset p): the length
 * read with its NUL, as sgc_f_take wants it, or 0 (undecided). */
static __always_inline long sgc_f_exec_str(struct sgc_scratch *s, struct sgc_fpath *p, __u32 nblobs,
                                           int slot)
{
    if (!sgc_f_exec_rec(s)) return 0;
    __u32 tag = slot == SGC_FX_SLOT_EXE       ? SGC_BLOB_ARGV
                : slot == SGC_FX_SLOT_EXEPATH ? SGC_BLOB_EXE
                                              : SGC_BLOB_CWD;
    /* argv cut at SGC_BLOB_MAX keeps its first bytes: argv[0] is whole
     * when its NUL is in the blob (the evaluator's proc.exe, whatever the
     * flag); a cut path lost its first components instead */
    long n = sgc_f_blob_str(s, nblobs, tag, p, tag == SGC_BLOB_ARGV ? SGC_BLOBF_TRUNCATED : 0);
    if (slot != SGC_FX_SLOT_CWD || n <= 0) return n;
    if (n == 1) return 0; /* an empty cwd: the evaluator has none */
    __u8 *str = sgc_f_str(p);
    __u64 last = n - 2;
    asm volatile("%0 &= 0xff" : "+r"(last));
    if (str[last] == '/') return n;
    if (n + 1 >= SGC_F_STRBUF) return 0; /* too long with the '/' */
    __u64 at = n - 1;
    asm volatile("%0 &= 0xff" : "+r"(at));
    str[at] = '/';
    at = n;
    asm volatile("%0 &= 0xff" : "+r"(at));
    str[at] = 0;
    return n + 1;
}

/* The SGC_EXE_* bits `mask` of an exec record's executable: TRUE when one
 * is set, FALSE when none is, UNKNOWN when not decided. */
__noinline int sgc_f_exe_flag(struct sgc_scratch *s, __u32 nblobs, __u64 mask)
{
    if (!s || !sgc_f_exec_rec(s)) return SGC_F_UNKNOWN;
    struct sgc_blob_hdr bh;
    __u32 at = sgc_f_blob_find(s, nblobs, SGC_BLOB_EXE_FLAGS, &bh);
    __u32 v = 0;
    if (!at || bh.flags || bh.len < sizeof(v)) return SGC_F_UNKNOWN;
    if (bpf_probe_read_kernel(&v, sizeof(v), s->rec + at)) return SGC_F_UNKNOWN;
    return (v & mask) ? SGC_F_TRUE : SGC_F_FALSE;
}

#endif
