/* proc.exe, proc.exepath, proc.cwd, proc.cmdline, proc.args, proc.env and
 * proc.is_exe_* in the kernel filter, on exec records (BPF side only;
 * included by filter_helpers.h, after the blob helpers;
 * compiler/pushdown/pushdown_exec.c says what is decided).
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

#define SGC_FX_SLOT_CMDLINE 3 /* comm + " " + argv[1..] (exec records only) */
#define SGC_FX_SLOT_ARGS    4 /* argv[1..] joined by spaces (exec records only) */
#define SGC_FX_SLOT_EXE     5 /* argv[0] */
#define SGC_FX_SLOT_EXEPATH 6
#define SGC_FX_SLOT_CWD     7
#define SGC_FX_SLOT0        SGC_FX_SLOT_EXE /* the first of them */
#define SGC_FX_SCAN_ENV     15              /* sgc_f_scan: the environment blob */

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

/* 0x20 (a space) in each byte of x that is 0 (a NUL), the bytes below n
 * (the evaluator's join_list: NULs between items become spaces). */
static __always_inline __u64 sgc_f_nul_sp(__u64 x, __s32 n)
{
    __u64 t = x;
    __u64 z = ~(((t & SGC_F_LOWS) + SGC_F_LOWS) | t | SGC_F_LOWS) & sgc_f_below(n);
    return x | (z >> 2);
}

/* cmdline (slot 3) or args (slot 4) of an exec record, into p (reset by
 * sgc_f_load_path): the length with its NUL, or 0 (undecided). As the
 * process table builds them (runtime/state/proctable_image.c,
 * runtime/eval/fields_proc.c): the arguments are the ARGV blob's bytes
 * after argv[0]'s NUL (none when it has no NUL), whatever its cut (the
 * evaluator takes them as they are), without their final NUL, NULs made
 * spaces; cmdline is the header's comm (the one the record gives the
 * process, when not empty), then a space and the arguments when there are
 * any. Undecided: no blob, a faulted one, an argv[0] too long to find its
 * end, an empty comm, a result longer than a slot. */
static __always_inline long sgc_f_exec_join(struct sgc_scratch *s, struct sgc_fpath *p,
                                            __u32 nblobs, int cmdline)
{
    struct sgc_blob_hdr bh;
    __u32 at = sgc_f_blob_find(s, nblobs, SGC_BLOB_ARGV, &bh);
    if (!at || (bh.flags & SGC_BLOBF_FAULT)) return 0;
    __u8 *str = sgc_f_str(p);
    __u32 len = bh.len;
    /* argv[0], read with one byte past the payload: longer than the blob
     * when the blob has no NUL (argv[0] is all of it, no arguments) */
    __u32 max = len + 1;
    if (max > SGC_F_STRBUF) max = SGC_F_STRBUF;
    long n0 = bpf_probe_read_kernel_str(str, max, s->rec + at);
    if (n0 <= 0) return 0;
    __u32 alen = 0;
    if (n0 <= len) {
        if (n0 >= SGC_F_STRBUF) return 0; /* argv[0]'s end not found */
        alen = len - n0;
    }
    __u32 keep = alen; /* the arguments' bytes, without a final NUL */
    if (alen) {
        /* the last byte read into the slot's spare byte, not onto the
         * stack, which every filter call chain through here pays */
        p->dsave = 1;
        bpf_probe_read_kernel(&p->dsave, 1, s->rec + at + len - 1);
        if (!p->dsave) keep--;
    }
    __u32 clen = 0;
    if (cmdline) {
        long c = bpf_probe_read_kernel_str(str, 16, ((struct sgc_event_hdr *)s->rec)->comm);
        if (c <= 1) return 0; /* an empty comm: the evaluator keeps an older name */
        clen = c - 1;
    }
    __u32 total = clen + (alen ? (cmdline ? 1 : 0) + keep : 0);
    if (total + 1 >= SGC_F_STRBUF) return 0; /* too long for a slot */
    if (alen) {
        __u64 d = cmdline ? clen + 1 : 0, k = keep;
        asm volatile("%0 &= 0x1f" : "+r"(d));
        asm volatile("%0 &= 0xff" : "+r"(k));
        if (bpf_probe_read_kernel(str + d, k, s->rec + at + n0)) return 0;
        if (cmdline) {
            __u64 sp = clen;
            asm volatile("%0 &= 0x1f" : "+r"(sp));
            str[sp] = ' ';
        }
    }
    __u64 end = total;
    asm volatile("%0 &= 0xff" : "+r"(end));
    str[end] = 0;
    __u64 *w = (__u64 *)str;
    for (__u32 k = 0; k < SGC_F_RAW / 8; k++) {
        if (k * 8 >= total) break;
        w[k] = sgc_f_nul_sp(w[k], (__s32)(total - k * 8));
    }
    return total + 1;
}

/* ASCII letters of x made lowercase, as tolower() in the C locale (the
 * evaluator's icontains): a byte 'A'..'Z' (its top bit clear) gains 0x20. */
static __always_inline __u64 sgc_f_lower(__u64 x)
{
    __u64 h = x & SGC_F_LOWS;
    __u64 ge = h + (0x80 - 'A') * SGC_F_ONES;     /* top bit: h >= 'A' */
    __u64 gt = h + (0x80 - 'Z' - 1) * SGC_F_ONES; /* top bit: h > 'Z' */
    __u64 up = ge & ~gt & ~x & (SGC_F_ONES << 7);
    return x | (up >> 2);
}

/* A scan for a needle of 1 to 16 bytes in the bytes at offset off of the
 * workspace: a word per bpf_loop step, whose bytes equal to the needle's
 * first are the candidates, each compared whole with the next two words.
 * Few branches, none on a candidate's offset (the verifier prunes the
 * candidates' paths), and little stack (the scan runs at the end of the
 * filter's deepest call chains, within the 512 bytes of all their
 * frames): the needle is in the workspace (fs->scan: n0 then n1 packed
 * little-endian, the first byte lowest, their masks, the first byte
 * repeated), only the position on the stack. */
#define SGC_FS_N0    0
#define SGC_FS_N1    1
#define SGC_FS_MASK0 2
#define SGC_FS_MASK1 3
#define SGC_FS_FIRST 4
#define SGC_FS_W     5 /* the step's three words */

struct sgc_fscan {
    struct sgc_scratch *s;
    __u32 off;
    __s32 lastpos;     /* the last start that fits */
    __u32 fold, found; /* found: 1 a match, 2 undecided */
};

#define SGC_F_SCAN_LIMIT (sizeof(struct sgc_scratch) - 24)

/* A word of the string: NULs made spaces (the joined items), folded. */
static __always_inline __u64 sgc_f_scan_fold(__u32 fold, __u64 x)
{
    x = sgc_f_nul_sp(x, 8);
    return fold ? sgc_f_lower(x) : x;
}

static long sgc_f_scan_step(__u64 k, void *data)
{
    struct sgc_fscan *c = data;
    __s32 hi = c->lastpos - (__s32)(k * 8);
    if (hi < 0) return 1;
    __u64 o = (__u64)c->off + k * 8;
    asm volatile("" : "+r"(o));
    if (o > SGC_F_SCAN_LIMIT) { /* cannot be: the strings are inside */
        c->found = 2;
        return 1;
    }
    const __u8 *b = (const __u8 *)c->s + o;
    __u64 *q = sgc_f_fs(c->s)->scan;
    __u64 w = sgc_f_scan_fold(c->fold, *(const __u64 *)b);
    __u64 cand = sgc_f_eqb(w, q[SGC_FS_FIRST]) & sgc_f_below(hi + 1);
    if (!cand) return 0;
    /* the words in the workspace, not in registers: fewer spills */
    q[SGC_FS_W] = w;
    q[SGC_FS_W + 1] = sgc_f_scan_fold(c->fold, *(const __u64 *)(b + 8));
    q[SGC_FS_W + 2] = sgc_f_scan_fold(c->fold, *(const __u64 *)(b + 16));
    for (int t = 0; t < 8; t++) {
        if (!cand) break;
        asm volatile("" ::: "memory"); /* the words read again, not kept in registers */
        __u64 sh = sgc_f_byte_index(cand & -cand) * 8;
        cand &= cand - 1;
        /* the 16 bytes at the candidate ((x << 1) << (63 - sh) is 0 for
         * sh = 0, x << (64 - sh) otherwise) */
        __u64 v0 = (q[SGC_FS_W] >> sh) | ((q[SGC_FS_W + 1] << 1) << (63 - sh));
        __u64 v1 = (q[SGC_FS_W + 1] >> sh) | ((q[SGC_FS_W + 2] << 1) << (63 - sh));
        if (!(((v0 & q[SGC_FS_MASK0]) ^ q[SGC_FS_N0]) | ((v1 & q[SGC_FS_MASK1]) ^ q[SGC_FS_N1]))) {
            c->found = 1;
            return 1;
        }
    }
    return 0;
}

/* `contains` (icontains when bit 8 of mf is set) of the needle n0, n1 of
 * mf & 0xff bytes in an exec record's string: slot mf >> 12 (cmdline or
 * args, loaded) or SGC_FX_SCAN_ENV, the environment blob scanned in the
 * record (its items joined by spaces: NULs read as spaces, the final one
 * left out). With bit 9 the needle is the start of a longer constant: a
 * match is UNKNOWN. UNKNOWN on another record, an undecided string, a
 * missing or faulted environment. */
__noinline int sgc_f_scan(struct sgc_scratch *s, __u32 nblobs, __u64 n0, __u64 n1, __u32 mf)
{
    if (!s || !sgc_f_exec_rec(s)) return SGC_F_UNKNOWN;
    __u32 slot = (mf >> 12) & 0xf, len, off;
    if (slot == SGC_FX_SCAN_ENV) {
        struct sgc_blob_hdr bh;
        __u32 at = sgc_f_blob_find(s, nblobs, SGC_BLOB_ENV, &bh);
        if (!at || (bh.flags & SGC_BLOBF_FAULT) || bh.len > SGC_BLOB_MAX) return SGC_F_UNKNOWN;
        len = bh.len;
        if (len) {
            __u8 last = 1;
            bpf_probe_read_kernel(&last, 1, s->rec + at + len - 1);
            if (!last) len--;
        }
        off = __builtin_offsetof(struct sgc_scratch, rec) + at;
    } else {
        struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), slot);
        if (!(p->state & SGC_FP_WHOLE)) return SGC_F_UNKNOWN;
        len = p->len;
        off = SGC_F_STR_OFF(slot);
    }
    __u32 m = mf & 0xff;
    if (m == 0 || m > 16) return SGC_F_UNKNOWN;
    if (len < m) return SGC_F_FALSE;
    __u64 *q = sgc_f_fs(s)->scan;
    q[SGC_FS_MASK0] = sgc_f_below((__s32)m);
    q[SGC_FS_MASK1] = sgc_f_below((__s32)m - 8);
    q[SGC_FS_N0] = n0 & q[SGC_FS_MASK0];
    q[SGC_FS_N1] = n1 & q[SGC_FS_MASK1];
    q[SGC_FS_FIRST] = (n0 & 0xff) * SGC_F_ONES;
    struct sgc_fscan c = {.s = s, .off = off, .fold = (mf >> 8) & 1};
    c.lastpos = (__s32)(len - m);
    bpf_loop((c.lastpos >> 3) + 1, sgc_f_scan_step, &c, 0);
    if (!c.found) return SGC_F_FALSE;
    return c.found == 2 || (mf & 0x200) ? SGC_F_UNKNOWN : SGC_F_TRUE;
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
