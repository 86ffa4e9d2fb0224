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
#define SGC_F_STRBUF      252
#define SGC_F_LPM_DATA    256
#define SGC_F_RAW         256  /* power of two: masked word reads (sgc_f_word) */
#define SGC_F_STRBUF_MASK 0xff /* masked byte reads of a string (< SGC_F_STRBUF) */
#define SGC_F_MAX_BLOBS   16   /* blobs scanned for an argument string */
#define SGC_F_NONE        3    /* memo: atom not evaluated yet */

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

/* A row of a chunk's rule table (codegen_bpf.c emit_conj_table): the
 * flags and the packed literals of one conjunction. */
struct sgc_fconj_row {
    __u32 fl;
    __u64 lo, hi;
};

/* Map values (codegen_bpf.h SGC_FVAL_SIZE): an LPM verdict in byte 0; the
 * comm verdict bits of one plane. */
#define SGC_F_VAL_SIZE    64
#define SGC_F_COMM_PLANES 4
struct sgc_fval {
    __u8 b[SGC_F_VAL_SIZE];
};

/* One string argument loaded for the filter. The string is read straight
 * into its lookup key (sgc_f_str(): key.data + 4, 8-byte aligned), which
 * the scans read a word at a time: no copy between the two. */
struct sgc_fpath {
    struct sgc_flpm_key key __attribute__((aligned(8))); /* set id + string + NUL */
    struct sgc_flpm_key rev;                             /* set id + reversed string + NUL */
    __u32 len;
    __u32 dirlen; /* length of the directory part (clean paths) */
    __u8 state;   /* SGC_FP_* bits; 0: nothing decided */
    __u8 rev_ready;
    __u8 loaded; /* loaded in this pass */
    __u8 kept;   /* 1 + the kept entry of this string (struct sgc_fkeep), 0: none */
    __u8 dsave;  /* the key's byte a directory lookup cuts; on exec records,
                  * argv's last byte (sgc_f_exec_join) */
    __u8 _pad[3];
    __u32 kgen;  /* that entry's generation when it was this string's */
    __s32 ucopy; /* live: what the copy from user memory returned (0: none) */
} __attribute__((aligned(8)));

/* The loaded string of p (bytes beyond its NUL are undefined). */
static __always_inline __u8 *sgc_f_str(struct sgc_fpath *p) { return p->key.data + 4; }

/* The same string's offset in the record workspace, for code that reads it
 * by offset (sgc_f_scan's bpf_loop steps, filter_exec.h). */
#define SGC_F_STR_OFF(slot)                                                                        \
    (__builtin_offsetof(struct sgc_scratch, path) +                                                \
     __builtin_offsetof(struct sgc_fscratch, path) + (slot) * sizeof(struct sgc_fpath) +           \
     __builtin_offsetof(struct sgc_fpath, key.data) + 4)

/* The filter's workspace lives in the record's own workspace (the path
 * assembly buffer, unused once the record is built): it is claimed per task
 * (capture_maps.h), so a preempted filter run cannot see another task's
 * values. Atom values live here, not on the stack: the verifier does not
 * track this memory, so paths that differ only in atom values merge. */
struct sgc_fscratch {
    struct sgc_fpath path[8];           /* one per argument; 8 so `& 7` bounds the index */
    struct sgc_fcomm_key hcomm, hpcomm; /* comm / parent comm, hash keys */
    struct sgc_flpm_key lcomm, lpcomm;  /* the same as LPM keys (prefix sets) */
    struct sgc_flpm_key luname;         /* a user or group name (filter_users.h) */
    __u64 ec[SGC_CAND_WORDS > 0 ? SGC_CAND_WORDS : 1]; /* candidates of that early pass */
    __u32 memo;                                        /* group + 1 whose early pass passed, or 0 */
    __u64 uptr[SGC_NARGS];           /* live: the string arguments' user pointers (0: none) */
    __u8 live;                       /* strings come from user memory (uptr), not from blobs */
    __u8 anc_walked;                 /* filter_anc.h: this event's ancestors are walked */
    __u64 scan[8];                   /* the needle and words of the running scan (filter_exec.h) */
    __u8 v[(SGC_F_NATOMS + 7) & ~7]; /* memoized atom values of the group */
};

_Static_assert(sizeof(struct sgc_fscratch) <= sizeof(((struct sgc_scratch *)0)->path),
               "the filter workspace must fit the scratch path buffer");

/* What the filter keeps from one event to the next in its workspace
 * (struct sgc_scratch fkeep, which nothing else writes; a workspace is
 * claimed by one task at a time, and belongs to one loaded object, whose
 * set maps do not change once it runs). Every answer kept is a map's answer
 * about the very bytes it is kept with, and is used only for those bytes:
 * it does not depend on which task or event asks. Zeroed: nothing kept. */
#define SGC_F_KPATHS 8  /* kept strings, a power of two */
#define SGC_F_KANS   4  /* kept LPM answers per string, a power of two */
#define SGC_F_KFIND  16 /* kept scan answers per string (rules ask many), a power of two */

/* A string argument and what is known of it: its state and directory
 * length (sgc_f_check_clean), LPM answers (sgc_f_path_in: plane and
 * lookup kind) and scan answers (sgc_f_find: needle, the rest of the
 * question, result). An entry taken by another string changes generation,
 * so a loaded argument never reads the answers of a string it is not. */
struct sgc_fkpath {
    __u64 str[SGC_F_RAW / 8]; /* the string, bytes beyond len undefined */
    __u32 len;
    __u32 gen; /* 0: empty */
    __u32 dirlen;
    __u8 state;
    __u8 _pad[3];
    __u32 ptag[SGC_F_KANS]; /* 0: none */
    __u8 pbits[SGC_F_KANS][SGC_F_VAL_SIZE];
    __u64 fneedle[SGC_F_KFIND];
    __u32 fq[SGC_F_KFIND]; /* 0: none */
    __s32 fres[SGC_F_KFIND];
};

struct sgc_fkeep {
    /* the comm (0) and parent comm (1), zero-padded as in the hash key, whose
     * verdict bits per plane are below: bits of the comm (0..3) and the
     * parent comm (4..7) per plane, valid where cvalid is set */
    __u64 ccomm[2][2];
    __u8 cvalid[2 * SGC_F_COMM_PLANES];
    __u8 cbits[2 * SGC_F_COMM_PLANES][SGC_F_VAL_SIZE];
    __u32 kgen; /* the last generation given to a path entry */
    __u32 _pad;
    struct sgc_fkpath kpath[SGC_F_KPATHS];
};

_Static_assert(sizeof(struct sgc_fkeep) <= sizeof(((struct sgc_scratch *)0)->fkeep),
               "the filter's kept answers must fit the scratch");

static __always_inline struct sgc_fkeep *sgc_f_keep(struct sgc_scratch *s)
{
    return (struct sgc_fkeep *)s->fkeep;
}

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
 * candidate word w, entry SGC_ENF_WORDS + w its audit mask, entry
 * SGC_ENF_ANY not 0 when any mask is (the runtime writes it with the
 * masks: the capture runs the early pass only then). The generated
 * group functions AND them with the rules the group decides exactly and
 * with the rules that were TRUE (in the early pass: exact rules read no
 * string argument), then call sgc_f_enforce. All zero by default: nothing
 * is enforced unless the loader writes the masks. */
#define SGC_ENF_WORDS  16
#define SGC_ENF_ANY    (2 * SGC_ENF_WORDS)
#define SGC_PF_KTHREAD 0x00200000u

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2 * SGC_ENF_WORDS + 1);
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

/* The kept verdicts of one side (0 comm, 1 parent comm) stay valid while
 * its name is the one they were looked up for; another name drops them. */
static __always_inline void sgc_f_comm_keep(struct sgc_fkeep *kp, int side,
                                            const struct sgc_fcomm_key *k)
{
    __u64 w0, w1;
    __builtin_memcpy(&w0, k->comm, 8);
    __builtin_memcpy(&w1, k->comm + 8, 8);
    if (kp->ccomm[side][0] == w0 && kp->ccomm[side][1] == w1) return;
    kp->ccomm[side][0] = w0;
    kp->ccomm[side][1] = w1;
    __builtin_memset(&kp->cvalid[side * SGC_F_COMM_PLANES], 0, SGC_F_COMM_PLANES);
}

/* The keys of the sides (a constant: 1 the comm, 2 the parent comm) the
 * group reads; the header has only those (capture_task.h parts). */
static __always_inline void sgc_f_comm_prepare(struct sgc_fscratch *fs, struct sgc_event_hdr *h,
                                               const int sides)
{
    /* fs is the path buffer of its struct sgc_scratch */
    struct sgc_scratch *s =
        (struct sgc_scratch *)((__u8 *)fs - __builtin_offsetof(struct sgc_scratch, path));
    struct sgc_fkeep *kp = sgc_f_keep(s);
    if (sides & 1) {
        sgc_f_comm_keys(&fs->hcomm, &fs->lcomm, h->comm);
        sgc_f_comm_keep(kp, 0, &fs->hcomm);
    }
    if (sides & 2) {
        sgc_f_comm_keys(&fs->hpcomm, &fs->lpcomm, h->pcomm);
        sgc_f_comm_keep(kp, 1, &fs->hpcomm);
    }
}

/* comm (parent = 0) or parent comm (parent = 1) equal to an item of the
 * comm set in `slot` of `plane`. The verdict bits of a plane are looked up
 * once per name and kept (struct sgc_fkeep): Falco's rules test the comm
 * and the parent comm against several sets of one plane, and a task's
 * events come in runs. The lookup, sgc_f_comm_eq_load(), is verified once;
 * sgc_f_comm_eq() reads kept bits in place (the generator passes constants:
 * a few instructions per atom). */
__noinline int sgc_f_comm_eq_load(struct sgc_scratch *s, int parent, __u32 plane, __u32 slot)
{
    if (!s) return SGC_F_UNKNOWN;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_fkeep *kp = sgc_f_keep(s);
    struct sgc_fcomm_key *k = parent ? &fs->hpcomm : &fs->hcomm;
    if (!k->comm[0]) return SGC_F_UNKNOWN; /* empty comm: the evaluator keeps an older name */
    __u64 p = (plane & (SGC_F_COMM_PLANES - 1)) + (parent ? SGC_F_COMM_PLANES : 0);
    asm volatile("%0 &= 7" : "+r"(p));
    if (!kp->cvalid[p]) {
        k->plane = plane & (SGC_F_COMM_PLANES - 1);
        struct sgc_fval *pv = bpf_map_lookup_elem(&sgc_fset_comm, k);
        if (pv)
            __builtin_memcpy(kp->cbits[p], pv->b, SGC_F_VAL_SIZE);
        else
            __builtin_memset(kp->cbits[p], 0, SGC_F_VAL_SIZE);
        kp->cvalid[p] = 1;
    }
    return sgc_f_bits(kp->cbits[p], slot);
}

static __always_inline int sgc_f_comm_eq(struct sgc_scratch *s, int parent, __u32 plane, __u32 slot)
{
    if (s) {
        struct sgc_fscratch *fs = sgc_f_fs(s);
        struct sgc_fkeep *kp = sgc_f_keep(s);
        const __u32 p = (plane & (SGC_F_COMM_PLANES - 1)) + (parent ? SGC_F_COMM_PLANES : 0);
        const char c0 = parent ? fs->hpcomm.comm[0] : fs->hcomm.comm[0];
        if (c0 && kp->cvalid[p]) return sgc_f_bits(kp->cbits[p], slot);
    }
    return sgc_f_comm_eq_load(s, parent, plane, slot);
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

/* ---- scans of a loaded string, a word (8 bytes) at a time ----------------- */

#define SGC_F_ONES 0x0101010101010101ULL
#define SGC_F_LOWS 0x7f7f7f7f7f7f7f7fULL

/* 0x80 in each byte of x equal to the byte broadcast in cc, 0 elsewhere
 * (exact: no carry crosses a byte). */
static __always_inline __u64 sgc_f_eqb(__u64 x, __u64 cc)
{
    __u64 t = x ^ cc;
    return ~(((t & SGC_F_LOWS) + SGC_F_LOWS) | t | SGC_F_LOWS);
}

/* Word k of the string (bytes 8k..8k+7, the lowest first); the last word
 * reads 4 bytes of `rev` beyond the key, which the scans mask off. */
static __always_inline __u64 sgc_f_word(const struct sgc_fpath *p, __u32 k)
{
    return ((const __u64 *)(p->key.data + 4))[k & (SGC_F_RAW / 8 - 1)];
}

/* The bytes 0..n-1 of a word (n <= 0: none, n >= 8: all). */
static __always_inline __u64 sgc_f_below(__s32 n)
{
    return n >= 8 ? ~0ULL : n <= 0 ? 0 : (1ULL << (n * 8)) - 1;
}

/* The index of the highest byte flagged (0x80) in m, m != 0. */
static __always_inline __u32 sgc_f_top_byte(__u64 m)
{
    return (m > 0xffULL) + (m > 0xffffULL) + (m > 0xffffffULL) + (m > 0xffffffffULL) +
           (m > 0xffffffffffULL) + (m > 0xffffffffffffULL) + (m > 0xffffffffffffffULL);
}

/* States of the word scans, shared with their bpf_loop() callbacks (the
 * verifier checks a callback once; an unrolled scan with a branch per word
 * is beyond its budget). Small: the raw hook's handler calls the clean
 * check seven frames deep, within the 512 bytes of stack of all frames. */
struct sgc_fclean {
    struct sgc_fpath *p;
    __u64 sp, dp, bad; /* '/' and '.' flags of the previous word; bad patterns */
    __s32 len;
    __u32 dl; /* the last '/' */
};

struct sgc_ffind {
    struct sgc_fpath *p;
    __u64 needle;
    __s32 from, lastpos, found;
    __u32 m;
    __u32 q, kj; /* the question and its slot among the kept answers */
};

static long sgc_f_clean_step(__u64 k, void *data)
{
    struct sgc_fclean *c = data;
    struct sgc_fpath *p = c->p;
    __u64 x = sgc_f_word(p, k);
    __s32 lim = c->len - (__s32)(k * 8); /* the end, in this word */
    __u64 valid = sgc_f_below(lim);
    __u64 sc = sgc_f_eqb(x, '/' * SGC_F_ONES) & valid;
    __u64 dc = sgc_f_eqb(x, '.' * SGC_F_ONES) & valid;
    if (sc) c->dl = k * 8 + sgc_f_top_byte(sc); /* the last '/' so far */
    if (lim >= 0 && lim < 8) sc |= 0x80ULL << (lim * 8);
    /* the patterns starting in the previous word */
    __u64 sp = c->sp, dp = c->dp;
    __u64 s1 = (sp >> 8) | (sc << 56), s2 = (sp >> 16) | (sc << 48), s3 = (sp >> 24) | (sc << 40);
    __u64 d1 = (dp >> 8) | (dc << 56), d2 = (dp >> 16) | (dc << 48);
    c->bad |= sp & (s1 | (d1 & s2) | (d1 & d2 & s3));
    c->sp = sc;
    c->dp = dc;
    return 0;
}

/* The CLEAN state and directory length of a loaded argument: absolute, no
 * empty, "." or ".." component, no trailing '/' (the argument is its own
 * resolution; tests/support/pushdown_eval.c: sgc_kpath_is_clean). With a
 * '/' imagined after the end, that is: no "//", "/./" or "/../" anywhere
 * ("/" itself aside): flags of '/' and '.' per byte, a word at a time, each
 * word's patterns finished with the next word's first bytes. Inlined in
 * its one caller (verified once there): a call frame fewer, which a split
 * group's chunks need (8 frames at most). */
static __always_inline int sgc_f_check_clean(struct sgc_scratch *s, int arg)
{
    if (!s) return 0;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), arg);
    __u32 len = p->len;
    __u8 *str = sgc_f_str(p);
    if (len == 0 || len >= SGC_F_STRBUF || str[0] != '/') return 0;
    __u32 dl = 0;
    if (len > 1) {
        if (str[(len - 1) & (SGC_F_STRBUF_MASK)] == '/') return 0;
        struct sgc_fclean c = {.p = p, .len = (__s32)len};
        /* up to the word after the imagined '/' */
        bpf_loop((len >> 3) + 2, sgc_f_clean_step, &c, 0);
        if (c.bad) return 0;
        dl = c.dl;
    }
    p->dirlen = dl ? dl : 1; /* "/" for "/x" and "/" */
    p->state = SGC_FP_WHOLE | SGC_FP_CLEAN;
    return 1;
}

/* Give loaded argument p's string the entry p->kept names: its bytes, what
 * the clean check found, no answer yet, a new generation. Everything from p
 * (few values live across the clean check's call: a small stack frame). */
static __always_inline void sgc_f_kfill(struct sgc_scratch *s, struct sgc_fpath *p)
{
    struct sgc_fkeep *kp = sgc_f_keep(s);
    __u64 idx = p->kept - 1;
    asm volatile("%0 &= %1" : "+r"(idx) : "i"(SGC_F_KPATHS - 1));
    struct sgc_fkpath *e = &kp->kpath[idx];
    __u32 gen = kp->kgen + 1;
    if (!gen) gen = 1;
    kp->kgen = gen;
    p->kgen = gen;
    e->gen = gen;
    __u32 len = p->len;
    e->len = len;
    e->state = p->state;
    e->dirlen = p->dirlen;
    for (__u32 k = 0; k < SGC_F_RAW / 8; k++) {
        if (k * 8 >= len) break;
        e->str[k] = sgc_f_word(p, k) & sgc_f_below((__s32)(len - k * 8));
    }
    for (int j = 0; j < SGC_F_KANS; j++) e->ptag[j] = 0;
    for (int j = 0; j < SGC_F_KFIND; j++) e->fq[j] = 0;
}

/* Take a loaded string (sgc_f_str(p), n bytes with its NUL, n from a read
 * of at most SGC_F_STRBUF bytes) for lookups: state WHOLE when it is whole
 * (shorter than SGC_F_STRBUF), WHOLE|CLEAN when also absolute and clean.
 * The lookups read the string and its NUL, no further. */
static __always_inline int sgc_f_take(struct sgc_scratch *s, struct sgc_fpath *p, long n, int arg)
{
    if (n <= 0 || n >= SGC_F_STRBUF) return 0; /* too long for the kernel to decide */
    __u32 len = n - 1;
    p->len = len;
    p->state = SGC_FP_WHOLE;
    /* the kept entry of this string, if any, says what the clean check would */
    __u32 nw = (len + 7) >> 3;
    __u64 first = sgc_f_word(p, 0) & sgc_f_below((__s32)len);
    __u64 last = len ? sgc_f_word(p, nw - 1) & sgc_f_below((__s32)(len - (nw - 1) * 8)) : 0;
    __u64 idx = ((first ^ (last * 0x9e3779b97f4a7c15ULL) ^ len) * 0xff51afd7ed558ccdULL) >> 61;
    asm volatile("%0 &= %1" : "+r"(idx) : "i"(SGC_F_KPATHS - 1));
    p->kept = idx + 1;
    struct sgc_fkpath *e = &sgc_f_keep(s)->kpath[idx];
    int hit = e->gen && e->len == len;
    for (__u32 k = 0; k < SGC_F_RAW / 8 && hit; k++) {
        if (k >= nw) break;
        if (e->str[k] != (sgc_f_word(p, k) & sgc_f_below((__s32)(len - k * 8)))) hit = 0;
    }
    if (hit) {
        p->state = e->state;
        p->dirlen = e->dirlen;
        p->kgen = e->gen;
        return 1;
    }
    sgc_f_check_clean(s, arg);
    sgc_f_kfill(s, p);
    return 1;
}

/* The kept entry of loaded argument p's string, or NULL. */
static __always_inline struct sgc_fkpath *sgc_f_kentry(struct sgc_scratch *s,
                                                       const struct sgc_fpath *p)
{
    if (!p->kept) return NULL;
    __u64 i = p->kept - 1;
    asm volatile("%0 &= %1" : "+r"(i) : "i"(SGC_F_KPATHS - 1));
    struct sgc_fkpath *e = &sgc_f_keep(s)->kpath[i];
    return e->gen == p->kgen ? e : NULL;
}

/* Blob i of a prepared record (the test entry: nblobs blobs after the
 * header and bitmap, blob i at *off): its header in *bh, or 0 past the
 * last. The caller moves *off past the blob. */
static __always_inline int sgc_f_blob_at(struct sgc_scratch *s, int i, __u32 nblobs, __u32 *off,
                                         struct sgc_blob_hdr *bh)
{
    __u32 o = *off;
    asm volatile("" : "+r"(o));
    if (i >= nblobs || o > SGC_RECORD_MAX) return 0;
    *off = o;
    return bpf_probe_read_kernel(bh, sizeof(*bh), s->rec + o) == 0;
}

/* The payload offset in s->rec of the first blob tagged `tag` among the
 * nblobs blobs after the header and bitmap (its header in *bh), or 0. */
static __always_inline __u32 sgc_f_blob_find(struct sgc_scratch *s, __u32 nblobs, __u32 tag,
                                             struct sgc_blob_hdr *bh)
{
    __u32 off = sizeof(struct sgc_event_hdr) + SGC_CAND_WORDS * 8;
    for (int i = 0; i < SGC_F_MAX_BLOBS; i++) {
        if (!sgc_f_blob_at(s, i, nblobs, &off, bh)) break;
        if (bh->tag == tag) return off + sizeof(*bh);
        off += sizeof(struct sgc_blob_hdr) + ((bh->len + 7u) & ~7u);
    }
    return 0;
}

/* The string blob tagged `tag` read into p's key: its length with the NUL,
 * or 0 when absent, flagged (other than `allow`: SGC_BLOBF_TRUNCATED for
 * a list whose first item is whole when its NUL is there), without a NUL
 * or too long. */
static __always_inline long sgc_f_blob_str(struct sgc_scratch *s, __u32 nblobs, __u32 tag,
                                           struct sgc_fpath *p, __u8 allow)
{
    struct sgc_blob_hdr bh;
    __u32 at = sgc_f_blob_find(s, nblobs, tag, &bh);
    if (!at || (bh.flags & ~allow)) return 0; /* absent, truncated or faulted */
    /* one byte past the payload tells a string ending at its last byte
     * from one with no NUL in the blob */
    __u32 max = bh.len + 1;
    if (max > SGC_F_STRBUF) max = SGC_F_STRBUF;
    long n = bpf_probe_read_kernel_str(sgc_f_str(p), max, s->rec + at);
    return n > bh.len ? 0 : n; /* no NUL in the blob */
}

#include "filter_exec.h" /* proc.exe, proc.exepath, proc.cwd, proc.is_exe_* */

/* Load the string of slot `arg` for lookups: argument arg (< SGC_NARGS) or
 * an exec record's string (SGC_FX_SLOT0 and up; on exec records, slots
 * SGC_FX_SLOT_CMDLINE and SGC_FX_SLOT_ARGS too: filter_exec.h). Live
 * (fs->live): an argument is copied from user memory here, only when an
 * atom needs it; sgc_f_str_blob() puts the same bytes in the record.
 * Otherwise (BPF_PROG_TEST_RUN, exec records): from its string blob in the
 * record (in s, nblobs blobs after the header and bitmap). State 0 when
 * absent, faulted, truncated or too long. nblobs = 0 leaves a blob-mode
 * load undecided (the early pass). */
__noinline int sgc_f_load_path(struct sgc_scratch *s, __u32 nblobs, int arg)
{
    if (!s || arg < 0 || arg > 7) return 0;
    struct sgc_fscratch *fs = sgc_f_fs(s);
    struct sgc_fpath *p = sgc_f_slot(fs, arg);
    p->state = 0;
    p->rev_ready = 0;
    p->len = 0;
    p->dirlen = 0;
    p->kept = 0;
    long n = 0;
    if (arg >= SGC_FX_SLOT0) {
        n = sgc_f_exec_str(s, p, nblobs, arg);
    } else if (arg >= SGC_FX_SLOT_CMDLINE && sgc_f_exec_rec(s)) {
        n = sgc_f_exec_join(s, p, nblobs, arg == SGC_FX_SLOT_CMDLINE);
    } else if (fs->live) {
        __u64 up = fs->uptr[arg & 7];
        if (!up) return 0; /* not a string argument of this syscall */
        n = bpf_probe_read_user_str(sgc_f_str(p), SGC_F_STRBUF, (const void *)up);
        p->ucopy = n < 0 ? -1 : (__s32)n;
    } else {
        n = sgc_f_blob_str(s, nblobs, SGC_BLOB_ARG0 + arg, p, 0);
    }
    return sgc_f_take(s, p, n, arg);
}

/* Live: does the early pass run? Only when a rule is enforced in the
 * kernel: the generated code enforces on the early pass's verdict. Without
 * it the final pass alone decides: its atoms are evaluated once, cheapest
 * first, and it copies a string only when a rule is not FALSE without it,
 * that is when the early pass could not have dropped the event either. */
static __always_inline int sgc_f_two_pass(void)
{
    __u32 k = SGC_ENF_ANY;
    __u64 *v = bpf_map_lookup_elem(&sgc_enforce, &k);
    return v && *v;
}

/* Live: before the final pass, the string arguments it may copy (bit i of
 * str_args: args[i] points to a user string). Without an early pass
 * (early_ran = 0) nothing in the workspace is left for it to reuse. */
static __always_inline void sgc_f_live_begin(struct sgc_scratch *s, const __u64 *args,
                                             __u8 str_args, int early_ran)
{
    struct sgc_fscratch *fs = sgc_f_fs(s);
    fs->live = 1;
    if (!early_ran) fs->memo = 0;
    for (int i = 0; i < SGC_NARGS; i++) {
        fs->uptr[i] = (str_args & (1u << i)) ? args[i] : 0;
        fs->path[i].ucopy = 0;
    }
}

/* Live, after the filter passed an event: the blob of string argument i
 * from the filter's copy, the bytes it decided on. 0 when the filter did
 * not copy the whole string (the caller copies it from user memory: the
 * filter decided nothing on it). */
static __always_inline int sgc_f_str_blob(struct sgc_rec *r, int i)
{
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(r->s), i);
    __s32 n = p->ucopy;
    if (n <= 0 || n >= SGC_F_STRBUF) return 0;
    sgc_blob_kernel_buf(r, SGC_BLOB_ARG0 + i, sgc_f_str(p), (__u32)n & 0xff, 0);
    return 1;
}

static __always_inline void sgc_f_reverse(struct sgc_fpath *p)
{
    __u32 len = p->len;
    const __u8 *str = sgc_f_str(p);
    for (__u32 i = 0; i < SGC_F_STRBUF - 1; i++) {
        if (i >= len) break;
        p->rev.data[4 + i] = str[(len - 1 - i) & SGC_F_STRBUF_MASK];
    }
    p->rev.data[4 + (len & 0xff) % SGC_F_STRBUF] = 0;
    p->rev_ready = 1;
}

/* The state bit a `where` needs. */
static __always_inline __u8 sgc_f_need_bit(__u32 where)
{
    return (where & 0x30) == SGC_FW_RAW ? SGC_FP_WHOLE : SGC_FP_CLEAN;
}

/* The string `where` names in the set in `slot` of `plane`; kind: 0
 * equality, 1 prefix, 2 suffix, 3 pmatch (sgc_set_kind; no suffix on the
 * directory). UNKNOWN when the string is not decided. One lookup per
 * string and plane: the answer (the verdict bits of every set of the
 * plane) is kept with the string (struct sgc_fkpath), for this pass and
 * later events with the same string. */
__noinline int sgc_f_path_in(struct sgc_scratch *s, __u32 where, __u32 plane, __u32 slot, int kind)
{
    if (!s) return SGC_F_UNKNOWN;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return SGC_F_UNKNOWN;
    int dir = (where & 0x30) == SGC_FW_DIR;
    if (dir && kind == 2) return SGC_F_UNKNOWN;
    __u32 v = dir ? 2 : kind == 2 ? 1 : 0;
    __u32 ktag = 0x80000000u | (plane & 0xffffff) << 2 | v;
    __u64 kj = v + plane;
    asm volatile("%0 &= %1" : "+r"(kj) : "i"(SGC_F_KANS - 1));
    struct sgc_fkpath *e = sgc_f_kentry(s, p);
    if (e && e->ptag[kj] == ktag) return sgc_f_bits(e->pbits[kj], slot);
    struct sgc_flpm_key *k = &p->key;
    struct sgc_fval *val;
    if (dir) {
        /* the directory: the key cut at dirlen, with a NUL there for the
         * equality entries, put back after the lookup */
        __u64 dl = p->dirlen;
        asm volatile("%0 &= 0xff" : "+r"(dl));
        if (dl > SGC_F_STRBUF - 2) return SGC_F_UNKNOWN;
        p->dsave = k->data[4 + dl];
        k->data[4 + dl] = 0;
        sgc_f_set_id(k->data, plane);
        k->prefixlen = 32 + (dl + 1) * 8;
        val = bpf_map_lookup_elem(&sgc_fset_lpm, k);
        dl = p->dirlen;
        asm volatile("%0 &= 0xff" : "+r"(dl));
        if (dl <= SGC_F_STRBUF - 2) p->key.data[4 + dl] = p->dsave;
    } else {
        if (kind == 2) {
            if (!p->rev_ready) sgc_f_reverse(p);
            k = &p->rev;
        }
        sgc_f_set_id(k->data, plane);
        k->prefixlen = 32 + ((p->len & 0xff) + 1) * 8;
        val = bpf_map_lookup_elem(&sgc_fset_lpm, k);
    }
    /* no entry (another argument of this event took it): answered, not kept */
    if (!e) return val ? sgc_f_bits(val->b, slot) : SGC_F_FALSE;
    if (val)
        __builtin_memcpy(e->pbits[kj], val->b, SGC_F_VAL_SIZE);
    else
        __builtin_memset(e->pbits[kj], 0, SGC_F_VAL_SIZE);
    e->ptag[kj] = ktag;
    return sgc_f_bits(e->pbits[kj], slot);
}

/* Length of the string `where` names, -1 when it is not decided. */
__noinline int sgc_f_len(struct sgc_scratch *s, __u32 where)
{
    if (!s) return -1;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return -1;
    return (where & 0x30) == SGC_FW_DIR ? p->dirlen : p->len;
}

static long sgc_f_find_step(__u64 i, void *data)
{
    struct sgc_ffind *c = data;
    struct sgc_fpath *p = c->p;
    __u32 k = (__u32)(c->from >> 3) + (__u32)i;
    __s32 lo = c->from - (__s32)(k * 8), hi = c->lastpos - (__s32)(k * 8);
    if (hi < 0) return 1;
    __u32 m = c->m & 7 ? c->m & 7 : 8;
    __u64 first = ((c->needle >> ((m - 1) * 8)) & 0xff) * SGC_F_ONES;
    __u64 cand = sgc_f_eqb(sgc_f_word(p, k), first) & ~sgc_f_below(lo) & sgc_f_below(hi + 1);
    for (int t = 0; t < 8; t++) {
        if (!cand) break;
        __u32 j = k * 8 + sgc_f_byte_index(cand & -cand);
        __u32 sh = (j & 7) * 8;
        __u64 v = sgc_f_word(p, j >> 3) >> sh;
        if (sh) v |= sgc_f_word(p, (j >> 3) + 1) << (64 - sh);
        /* the m bytes at j, the first highest, as the needle is packed */
        v = __builtin_bswap64(v) >> (64 - m * 8);
        if (v == c->needle) {
            c->found = (__s32)j;
            return 1;
        }
        cand &= cand - 1;
    }
    return 0;
}

/* The first occurrence, at or after `from`, of the m-byte needle (packed
 * big-endian into a u64: the last byte lowest) in the string `where` names:
 * its offset, -1 when there is none, -2 when the string is not decided.
 * With SGC_FW_AT only an occurrence at `from` counts. A word at a time:
 * the bytes equal to the needle's first byte are the candidates, each
 * compared whole. */
__noinline int sgc_f_find(struct sgc_scratch *s, __u32 where, __u64 needle, __u32 m, __u32 from)
{
    if (!s) return -2;
    struct sgc_fpath *p = sgc_f_slot(sgc_f_fs(s), where & 7);
    if (!(p->state & sgc_f_need_bit(where))) return -2;
    __u32 end = (where & 0x30) == SGC_FW_DIR ? p->dirlen : p->len;
    if (m == 0 || m > 8 || from > end || end - from < m) return -1;
    if (end >= SGC_F_STRBUF) return -2; /* cannot be: loaded strings are shorter */
    /* kept with the string: the question without the argument's number */
    struct sgc_fkpath *e = sgc_f_kentry(s, p);
    __u32 q = 0x80000000u | (from & 0xff) << 16 | (m & 0xff) << 8 | (where & 0x38);
    __u64 kj = ((needle ^ q) * 0x9e3779b97f4a7c15ULL) >> 60;
    asm volatile("%0 &= %1" : "+r"(kj) : "i"(SGC_F_KFIND - 1));
    if (e && e->fq[kj] == q && e->fneedle[kj] == needle) return e->fres[kj];
    if (where & SGC_FW_AT) end = from + m;
    struct sgc_ffind c = {.p = p, .needle = needle, .m = m, .found = -1, .q = q, .kj = kj};
    c.from = (__s32)from;
    c.lastpos = (__s32)(end - m); /* the last start that fits */
    bpf_loop(((end - m) >> 3) - (from >> 3) + 1, sgc_f_find_step, &c, 0);
    if (e) { /* the rest from c: a smaller frame */
        __u64 j = c.kj;
        asm volatile("%0 &= %1" : "+r"(j) : "i"(SGC_F_KFIND - 1));
        e->fq[j] = c.q;
        e->fneedle[j] = c.needle;
        e->fres[j] = c.found;
    }
    return c.found;
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

#include "filter_users.h" /* user.name, group.name, user.loginname */

#endif
