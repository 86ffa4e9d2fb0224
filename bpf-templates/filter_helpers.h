/* The fixed part of every generated kernel filter (compiler/codegen/codegen_bpf.c
 * writes the rest: one function per group of syscalls, the dispatch switch,
 * sgc_filter_early() and sgc_filter() of capture_filter.h's contract).
 * BPF side only; included after capture_record.h.
 *
 * Atom values are three-valued: SGC_F_FALSE, SGC_F_TRUE, SGC_F_UNKNOWN;
 * they are computed when a rule's formula first needs them (memoized in
 * the workspace), cheap atoms first.
 * Rule formulas are in negation normal form, so a rule is a candidate when
 * its formula is "maybe true" with positive atoms tested `!= FALSE` and
 * negated atoms `!= TRUE` (Kleene logic, see docs/explain.md).
 *
 * Constant string sets live in two maps the loader fills from the
 * generator's entry list (codegen_bpf.h):
 *  - sgc_fset_comm: hash, key {plane, comm[16] zero-padded}: comm equality;
 *    the value has 2 bits per comm set of the plane (0 FALSE, 1 TRUE,
 *    2 UNKNOWN), so one lookup per task answers all of a group's sets;
 *  - sgc_fset_lpm: LPM trie, key data = plane (big endian) + bytes:
 *      equality entries end with the NUL (prefix length covers it),
 *      prefix entries do not, suffix entries are reversed strings,
 *      pmatch items are the exact item plus the prefix "item/".
 *    Every string of the plane's sets is there once; the value of the
 *    longest match has 2 bits per set of the plane: the verdict of that
 *    set's longest item prefixing the string (codegen_bpf_maps.c), so one
 *    lookup per string (its forward, reversed or directory key) answers
 *    every set, and the answer is kept for the pass. */
#ifndef SGC_FILTER_HELPERS_H
#define SGC_FILTER_HELPERS_H

#include "capture_cid.h" /* container.id = host: sgc_f_cid_host() */

#define SGC_F_FALSE   0
#define SGC_F_TRUE    1
#define SGC_F_UNKNOWN 2

/* Longest decided string + NUL; LPM keys hold 4 bytes of set id + 252. */
#define SGC_F_STRBUF    252
#define SGC_F_LPM_DATA  256
#define SGC_F_RAW       256 /* power of two: masked reads */
#define SGC_F_MAX_BLOBS 16  /* blobs scanned for an argument string */
#define SGC_F_NONE      3   /* memo: atom not evaluated yet */

/* What is known of a loaded argument string (sgc_fpath.state). */
#define SGC_FP_WHOLE 1 /* copied whole (fd.nameraw is decided) */
#define SGC_FP_CLEAN 2 /* and absolute and clean (fd.name, fd.directory) */

/* `where` of the string helpers: argument (bits 0-2), anchored search
 * (bit 3, sgc_f_find only), which string (bits 4-5). */
#define SGC_FW_PATH 0x00 /* the clean path */
#define SGC_FW_RAW  0x10 /* the name as given */
#define SGC_FW_DIR  0x20 /* the clean path's directory */
#define SGC_FW_AT   0x08

#ifndef SGC_F_LPM_ENTRIES
#define SGC_F_LPM_ENTRIES 1
#endif
#ifndef SGC_F_COMM_ENTRIES
#define SGC_F_COMM_ENTRIES 1
#endif
#ifndef SGC_F_NATOMS
#define SGC_F_NATOMS 1
#endif

struct sgc_flpm_key {
    __u32 prefixlen;
    __u8 data[SGC_F_LPM_DATA];
};

struct sgc_fcomm_key {
    __u32 plane;
    char comm[16];
};

/* Map values (codegen_bpf.h SGC_FVAL_SIZE): an LPM verdict in byte 0; the
 * comm verdict bits of one plane. */
#define SGC_F_VAL_SIZE    64
#define SGC_F_COMM_PLANES 4
#define SGC_F_PCACHE      4 /* power of two */
struct sgc_fval {
    __u8 b[SGC_F_VAL_SIZE];
};

/* One string argument loaded for the filter. */
struct sgc_fpath {
    __u8 raw[SGC_F_RAW];
    struct sgc_flpm_key key; /* set id + string + NUL */
    struct sgc_flpm_key rev; /* set id + reversed string + NUL */
    __u32 len;
    __u32 dirlen;    /* length of the directory part (clean paths) */
    __u32 seg, dots; /* sgc_f_clean's counters (see there) */
    __u8 state;      /* SGC_FP_* bits; 0: nothing decided */
    __u8 rev_ready;
    __u8 loaded; /* loaded in this pass */
    __u8 _pad;
};

/* The filter's workspace lives in the record's own workspace (the path
 * assembly buffer, unused once the record is built): it is claimed per task
 * (capture_maps.h), so a preempted filter run cannot see another task's
 * values. Atom values live here, not on the stack: the verifier does not
 * track this memory, so paths that differ only in atom values merge. */
struct sgc_fscratch {
    struct sgc_fpath path[8];           /* one per argument; 8 so `& 7` bounds the index */
    struct sgc_fcomm_key hcomm, hpcomm; /* comm / parent comm, hash keys */
    struct sgc_flpm_key lcomm, lpcomm;  /* the same as LPM keys (prefix sets) */
    __u64 ec[SGC_CAND_WORDS > 0 ? SGC_CAND_WORDS : 1]; /* candidates of that early pass */
    __u32 memo;                                        /* group + 1 whose early pass passed, or 0 */
    __u8 cloaded[SGC_F_COMM_PLANES];                   /* comm verdict plane looked up this pass */
    __u8 cbits[SGC_F_COMM_PLANES][SGC_F_VAL_SIZE];     /* the comm's verdict bits, per plane */
    __u32 ptag[SGC_F_PCACHE]; /* LPM answers kept: sgc_f_ptag(), 0 = free */
    __u8 pbits[SGC_F_PCACHE][SGC_F_VAL_SIZE];
    __u8 v[(SGC_F_NATOMS + 7) & ~7]; /* memoized atom values of the group */
};

_Static_assert(sizeof(struct sgc_fscratch) <= sizeof(((struct sgc_scratch *)0)->path),
               "the filter workspace must fit the scratch path buffer");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, SGC_F_LPM_ENTRIES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct sgc_flpm_key);
    __type(value, struct sgc_fval);
} sgc_fset_lpm SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SGC_F_COMM_ENTRIES);
    __type(key, struct sgc_fcomm_key);
    __type(value, struct sgc_fval);
} sgc_fset_comm SEC(".maps");

/* ---- in-kernel enforcement (sgc run --enforce RULE=kill|audit) ----------
 * sgc_enforce: array of u64 rule-bit words; entry w is the kill mask of
 * candidate word w, entry SGC_ENF_WORDS + w its audit mask. The generated
 * group functions AND them with the rules the group decides exactly and
 * with the rules that were TRUE (in the early pass: exact rules read no
 * string argument), then call sgc_f_enforce. All zero by default: nothing
 * is enforced unless the loader writes the masks. */
#define SGC_ENF_WORDS  16
#define SGC_PF_KTHREAD 0x00200000u

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2 * SGC_ENF_WORDS);
    __type(key, __u32);
    __type(value, __u64);
} sgc_enforce SEC(".maps");

/* thread group ids never signalled (sgc itself) */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u8);
} sgc_enforce_protect SEC(".maps");

/* process names (comm, zero-padded) never signalled: the allowlist */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, char[16]);
    __type(value, __u8);
} sgc_enforce_comm SEC(".maps");

static __always_inline __u64 sgc_f_enf(__u32 audit, __u32 w)
{
    __u32 k = audit * SGC_ENF_WORDS + w;
    __u64 *v = bpf_map_lookup_elem(&sgc_enforce, &k);
    return v ? *v : 0;
}

/* SIGKILL the current process at this syscall's exit (it returns to no user
 * instruction), unless it is pid 1, protected, a kernel thread or
 * allowlisted; record what was done in the header. Unused (and dropped)
 * when no rule is enforced in the kernel. */
__attribute__((unused)) static __noinline void sgc_f_enforce(struct sgc_event_hdr *h, __u64 kill)
{
    if (!h) return;
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    struct task_struct *t = bpf_get_current_task_btf();
    char comm[16] = {};
    bpf_get_current_comm(comm, sizeof comm);
    if (tgid <= 1 || (t->flags & SGC_PF_KTHREAD) ||
        bpf_map_lookup_elem(&sgc_enforce_protect, &tgid) ||
        bpf_map_lookup_elem(&sgc_enforce_comm, comm)) {
        h->flags |= SGC_EVF_KILL_SPARED;
        return;
    }
    if (kill) {
        bpf_send_signal(9);
        h->flags |= SGC_EVF_KILLED;
    } else {
        h->flags |= SGC_EVF_KILL_AUDIT;
    }
}

static __always_inline struct sgc_fscratch *sgc_f_fs(struct sgc_scratch *s)
{
    return (struct sgc_fscratch *)s->path;
}

static __always_inline __u64 sgc_f_any(const __u64 *c)
{
    __u64 any = 0;
    for (int i = 0; i < SGC_CAND_WORDS; i++) any |= c[i];
    return any;
}

static __always_inline __u8 sgc_f_not(__u8 v) { return v == SGC_F_UNKNOWN ? SGC_F_UNKNOWN : !v; }

static __always_inline __u8 sgc_f_bool(int b) { return b ? SGC_F_TRUE : SGC_F_FALSE; }

/* The slot of argument arg, bounded where the verifier sees it (clang would
 * drop a plain mask after a range check and index with an unchecked copy). */
static __always_inline struct sgc_fpath *sgc_f_slot(struct sgc_fscratch *fs, int arg)
{
    __u64 idx = (__u32)arg;
    asm volatile("%0 &= 7" : "+r"(idx));
    return &fs->path[idx];
}

static __always_inline void sgc_f_set_id(__u8 *data, __u32 id)
{
    data[0] = id >> 24;
    data[1] = id >> 16;
    data[2] = id >> 8;
    data[3] = id;
}

/* The lookups are global functions: the verifier checks each once, not at
 * every call site, which keeps the union of large rule files well under its
 * instruction budget. Global functions take scalars and sized pointers
 * only: they get the workspace s. */

/* The 2-bit verdict of `slot` in a map value's bits (3, which the
 * generator never writes, is read as UNKNOWN). */
static __always_inline int sgc_f_bits(const __u8 *b, __u32 slot)
{
    __u64 sl = slot;
    asm volatile("%0 &= 0xff" : "+r"(sl));
    __u32 v = (b[sl >> 2] >> ((sl & 3) * 2)) & 3;
    return v == 3 ? SGC_F_UNKNOWN : v;
}

/* ---- comm ------------------------------------------------------------------ */

/* The index of the byte whose top bit is the only bit set in b. */
static __always_inline __u32 sgc_f_byte_index(__u64 b)
{
    return (b > 0x80ULL) + (b > 0x8000ULL) + (b > 0x800000ULL) + (b > 0x80000000ULL) +
           (b > 0x8000000000ULL) + (b > 0x800000000000ULL) + (b > 0x80000000000000ULL);
}

/* The comm keys of a group, built once: zero-padded for the hash map, with
 * its NUL and prefix length for the LPM trie. The name ends at its first
 * NUL or after 15 bytes; found a word at a time (the lowest bit of
 * (x - 0x01..) & ~x & 0x80.. is the top bit of x's first zero byte). */
static __always_inline void sgc_f_comm_keys(struct sgc_fcomm_key *hk, struct sgc_flpm_key *lk,
                                            const char *comm)
{
    const __u64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    __u64 w0, w1;
    __builtin_memcpy(&w0, comm, 8);
    __builtin_memcpy(&w1, comm + 8, 8);
    w1 &= 0x00ffffffffffffffULL; /* byte 15 ends the name */
    __u64 z0 = (w0 - ones) & ~w0 & highs;
    __u32 len;
    if (z0) {
        __u64 b = z0 & -z0;
        w0 &= (b >> 7) - 1;
        w1 = 0;
        len = sgc_f_byte_index(b);
    } else {
        __u64 z1 = (w1 - ones) & ~w1 & highs; /* not 0: byte 15 is */
        __u64 b = z1 & -z1;
        w1 &= (b >> 7) - 1;
        len = 8 + sgc_f_byte_index(b);
    }
    __builtin_memcpy(hk->comm, &w0, 8);
    __builtin_memcpy(hk->comm + 8, &w1, 8);
    __builtin_memcpy(&lk->data[4], &w0, 8);
    __builtin_memcpy(&lk->data[12], &w1, 8);
    lk->prefixlen = 32 + (len + 1) * 8;
}

static __always_inline void sgc_f_comm_prepare(struct sgc_fscratch *fs, struct sgc_event_hdr *h)
{
    sgc_f_comm_keys(&fs->hcomm, &fs->lcomm, h->comm);
    sgc_f_comm_keys(&fs->hpcomm, &fs->lpcomm, h->pcomm);
    for (int i = 0; i < SGC_F_COMM_PLANES; i++) fs->cloaded[i] = 0;
}

/* comm (parent = 0) or parent comm (parent = 1) equal to an item of the
 * comm set in `slot` of `plane`. The comm's verdict bits of a plane are
 * looked up once per pass and kept in the workspace. */
__noinline int sgc_f_comm_eq(struct sgc_scratch *s, int parent, __u32 plane, __u32 slot)
{
    if (!s) return SGC_F_UNKNOWN;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_fcomm_key *k = parent ? &fs->hpcomm : &fs->hcomm;
    if (!k->comm[0]) return SGC_F_UNKNOWN; /* empty comm: the evaluator keeps an older name */
    if (parent) {                          /* proc.pname: rarer than proc.name, no cache */
        k->plane = plane;
        struct sgc_fval *pv = bpf_map_lookup_elem(&sgc_fset_comm, k);
        return pv ? sgc_f_bits(pv->b, slot) : SGC_F_FALSE;
    } else {
        __u64 p = plane;
        asm volatile("%0 &= 3" : "+r"(p));
        if (!fs->cloaded[p]) {
            k->plane = p;
            struct sgc_fval *pv = bpf_map_lookup_elem(&sgc_fset_comm, k);
            if (pv)
                __builtin_memcpy(fs->cbits[p], pv->b, SGC_F_VAL_SIZE);
            else
                __builtin_memset(fs->cbits[p], 0, SGC_F_VAL_SIZE);
            fs->cloaded[p] = 1;
        }
        return sgc_f_bits(fs->cbits[p], slot);
    }
}

__noinline int sgc_f_comm_prefix(struct sgc_scratch *s, int parent, __u32 plane, __u32 slot)
{
    if (!s) return SGC_F_UNKNOWN;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_flpm_key *k = parent ? &fs->lpcomm : &fs->lcomm;
    if (!k->data[4]) return SGC_F_UNKNOWN; /* empty comm: the evaluator keeps an older name */
    sgc_f_set_id(k->data, plane);
    struct sgc_fval *v = bpf_map_lookup_elem(&sgc_fset_lpm, k);
    return v ? sgc_f_bits(v->b, slot) : SGC_F_FALSE;
}

/* ---- path arguments ----------------------------------------------------------- */

/* Absolute, no empty, "." or ".." component, no trailing '/': the argument is
 * its own resolution (tests/support/pushdown_eval.c: sgc_kpath_is_clean). The
 * segment counters live in memory the verifier does not track: one pass
 * over the loop, not one per (length, dots) pair. */
static __always_inline int sgc_f_clean(struct sgc_fpath *p)
{
    volatile __u32 *seg = &p->seg, *dots = &p->dots, *vlen = &p->len;
    __u32 len = p->len;
    if (len == 0 || p->raw[0] != '/') return 0;
    if (len > 1 && p->raw[(len - 1) & (SGC_F_RAW - 1)] == '/') return 0;
    *seg = 0;
    *dots = 0;
    for (__u32 i = 1; i < SGC_F_STRBUF; i++) {
        __u32 n = *vlen; /* re-read: a fresh unknown, so iterations merge */
        if (i > n) break;
        __u8 c = i < n ? p->raw[i] : '/';
        if (c == '/') {
            __u32 sg = *seg;
            if (sg == 0 && i < n) return 0;
            if (sg == *dots && (sg == 1 || sg == 2)) return 0;
            *seg = 0;
            *dots = 0;
        } else {
            *seg = *seg + 1;
            if (c == '.') *dots = *dots + 1;
        }
    }
    return 1;
}

/* The CLEAN state and directory length of a loaded argument. A global
 * function, so the verifier walks the loop once, not once per blob slot. */
__noinline int sgc_f_check_clean(struct sgc_scratch *s, int arg)
{
    if (!s) return 0;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), arg);
    if (!sgc_f_clean(p)) return 0;
    /* the last '/': the directory ends there ("/" for "/x" and "/") */
    __u32 len = p->len, dl = 1;
    for (__u32 i = 1; i < SGC_F_STRBUF; i++) {
        if (i >= len) break;
        if (p->raw[i] == '/') dl = i;
    }
    p->dirlen = dl;
    p->state = SGC_FP_WHOLE | SGC_FP_CLEAN;
    return 1;
}

/* Find the string blob of argument `arg` in the record under construction
 * (in s, nblobs blobs after the header and bitmap) and load it for lookups:
 * state WHOLE when copied whole and short enough, WHOLE|CLEAN when also
 * absolute and clean; 0 when absent, truncated or too long. nblobs = 0
 * leaves it undecided (the early pass). */
__noinline int sgc_f_load_path(struct sgc_scratch *s, __u32 nblobs, int arg)
{
    if (!s || arg < 0 || arg >= SGC_NARGS) return 0;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_fpath *p = sgc_f_slot(fs, arg);
    p->state = 0;
    p->rev_ready = 0;
    p->len = 0;
    p->dirlen = 0;
    for (int i = 0; i < SGC_F_PCACHE; i++) /* answers about this argument's old string */
        if ((fs->ptag[i] >> 2 & 7) == (__u32)arg) fs->ptag[i] = 0;
    __u32 off = sizeof(struct sgc_event_hdr) + SGC_CAND_WORDS * 8;
    for (int i = 0; i < SGC_F_MAX_BLOBS; i++) {
        asm volatile("" : "+r"(off));
        if (i >= nblobs || off > SGC_RECORD_MAX) break;
        struct sgc_blob_hdr bh;
        if (bpf_probe_read_kernel(&bh, sizeof(bh), s->rec + off) < 0) break;
        if (bh.tag == SGC_BLOB_ARG0 + arg) {
            if (bh.flags) return 0; /* truncated or faulted */
            /* one byte past the payload tells a string ending at its last
             * byte from one with no NUL in the blob */
            __u32 max = bh.len + 1;
            if (max > SGC_F_STRBUF) max = SGC_F_STRBUF;
            long n = bpf_probe_read_kernel_str(p->raw, max, s->rec + off + sizeof(bh));
            if (n <= 0 || n >= SGC_F_STRBUF || n > bh.len)
                return 0; /* too long for the kernel to decide, or no NUL in the blob */
            p->len = n - 1;
            __u64 cn = n; /* the string and its NUL: lookups read no further */
            asm volatile("%0 &= 0xff" : "+r"(cn));
            bpf_probe_read_kernel(&p->key.data[4], cn, p->raw);
            p->state = SGC_FP_WHOLE;
            sgc_f_check_clean(s, arg);
            return 1;
        }
        off += sizeof(struct sgc_blob_hdr) + ((bh.len + 7u) & ~7u);
    }
    return 0;
}

static __always_inline void sgc_f_reverse(struct sgc_fpath *p)
{
    __u32 len = p->len;
    for (__u32 i = 0; i < SGC_F_STRBUF - 1; i++) {
        if (i >= len) break;
        p->rev.data[4 + i] = p->raw[(len - 1 - i) & (SGC_F_RAW - 1)];
    }
    p->rev.data[4 + (len & 0xff) % SGC_F_STRBUF] = 0;
    p->rev_ready = 1;
}

/* The state bit a `where` needs. */
static __always_inline __u8 sgc_f_need_bit(__u32 where)
{
    return (where & 0x30) == SGC_FW_RAW ? SGC_FP_WHOLE : SGC_FP_CLEAN;
}

/* The kept answer of the LPM lookup of argument arg's string (v: 0
 * forward, 1 reversed, 2 directory) in plane, or NULL. */
static __always_inline __u32 sgc_f_ptag(__u32 arg, __u32 v, __u32 plane)
{
    return 0x80000000u | (plane & 0xffffff) << 5 | (arg & 7) << 2 | v;
}

/* The string `where` names in the set in `slot` of `plane`; kind: 0
 * equality, 1 prefix, 2 suffix, 3 pmatch (sgc_set_kind; no suffix on the
 * directory). UNKNOWN when the string is not decided. One lookup per
 * string and plane in a pass: the answer (the verdict bits of every set of
 * the plane) is kept in the workspace. */
__noinline int sgc_f_path_in(struct sgc_scratch *s, __u32 where, __u32 plane, __u32 slot, int kind)
{
    if (!s) return SGC_F_UNKNOWN;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_fpath *p = sgc_f_slot(fs, where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return SGC_F_UNKNOWN;
    int dir = (where & 0x30) == SGC_FW_DIR;
    if (dir && kind == 2) return SGC_F_UNKNOWN;
    __u32 v = dir ? 2 : kind == 2 ? 1 : 0;
    __u32 tag = sgc_f_ptag(where, v, plane);
    __u64 ci = (where + v + plane) & (SGC_F_PCACHE - 1);
    asm volatile("%0 &= %1" : "+r"(ci) : "i"(SGC_F_PCACHE - 1));
    if (fs->ptag[ci] == tag) return sgc_f_bits(fs->pbits[ci], slot);
    struct sgc_flpm_key *k = &p->key;
    struct sgc_fval *val;
    if (dir) {
        /* the directory: the key cut at dirlen, with a NUL there for the
         * equality entries, put back after the lookup */
        __u64 dl = p->dirlen;
        asm volatile("%0 &= 0xff" : "+r"(dl));
        if (dl > SGC_F_STRBUF - 2) return SGC_F_UNKNOWN;
        __u8 save = k->data[4 + dl];
        k->data[4 + dl] = 0;
        sgc_f_set_id(k->data, plane);
        k->prefixlen = 32 + (dl + 1) * 8;
        val = bpf_map_lookup_elem(&sgc_fset_lpm, k);
        k->data[4 + dl] = save;
    } else {
        if (kind == 2) {
            if (!p->rev_ready) sgc_f_reverse(p);
            k = &p->rev;
        }
        sgc_f_set_id(k->data, plane);
        k->prefixlen = 32 + ((p->len & 0xff) + 1) * 8;
        val = bpf_map_lookup_elem(&sgc_fset_lpm, k);
    }
    if (val)
        __builtin_memcpy(fs->pbits[ci], val->b, SGC_F_VAL_SIZE);
    else
        __builtin_memset(fs->pbits[ci], 0, SGC_F_VAL_SIZE);
    fs->ptag[ci] = tag;
    return sgc_f_bits(fs->pbits[ci], slot);
}

/* Length of the string `where` names, -1 when it is not decided. */
__noinline int sgc_f_len(struct sgc_scratch *s, __u32 where)
{
    if (!s) return -1;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return -1;
    return (where & 0x30) == SGC_FW_DIR ? p->dirlen : p->len;
}

/* The first occurrence, at or after `from`, of the m-byte needle (packed
 * big-endian into a u64: the last byte lowest) in the string `where` names:
 * its offset, -1 when there is none, -2 when the string is not decided.
 * With SGC_FW_AT only an occurrence at `from` counts. One pass with a
 * rolling window of the last m bytes. */
__noinline int sgc_f_find(struct sgc_scratch *s, __u32 where, __u64 needle, __u32 m, __u32 from)
{
    if (!s) return -2;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return -2;
    __u32 end = (where & 0x30) == SGC_FW_DIR ? p->dirlen : p->len;
    if (m == 0 || m > 8 || from > end || end - from < m) return -1;
    if (where & SGC_FW_AT) end = from + m;
    __u64 mask = m == 8 ? ~0ULL : (1ULL << (m * 8)) - 1;
    __u64 w = 0;
    for (__u32 i = 0; i < SGC_F_STRBUF; i++) {
        __u32 j = from + i;
        if (j >= end) break;
        w = (w << 8) | p->raw[j & (SGC_F_RAW - 1)];
        if (i + 1 >= m && (w & mask) == needle) return j + 1 - m;
    }
    return -1;
}

/* Load argument arg once per final pass (the early pass computes no path
 * atom: they are UNKNOWN there). */
static __always_inline void sgc_f_need(struct sgc_scratch *s, struct sgc_fscratch *fs, __u32 nblobs,
                                       int arg)
{
    struct sgc_fpath *p = sgc_f_slot(fs, arg);
    if (!p->loaded) {
        sgc_f_load_path(s, nblobs, arg);
        p->loaded = 1;
    }
}

#endif
