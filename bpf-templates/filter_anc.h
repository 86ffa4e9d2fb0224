/* proc.aname for the generated filter (included by it when an ancestor atom
 * survives, with SGC_F_ANC_DEPTH the deepest ancestor level its atoms read:
 * compiler/pushdown/pushdown_anc.c). The chain is the kernel's real_parent
 * chain at the event: ancestor 1 is the header's parent (ppid, pcomm),
 * ancestors 2..SGC_F_ANC_DEPTH are walked from the task when an atom first
 * needs them, one level past them only to learn whether the chain ends
 * there. What the walk found is what the record carries
 * (SGC_BLOB_ANCESTORS, written by capture_anc.h from this workspace), and
 * what runtime/eval/fields_proc.c reads, so the filter decides on the
 * evaluator's values:
 *   proc.aname[N]: ancestor N's comm against a comm set (the maps of
 *     filter_helpers.h: equality in sgc_fset_comm, startswith in the LPM
 *     trie); FALSE, `!=` included, past the root (the evaluator's <NA>);
 *     UNKNOWN for an empty comm, or a level the record does not carry;
 *   proc.aname (any ancestor): TRUE when a carried level matches; FALSE
 *     when none does and the chain ends within the levels checked; else
 *     UNKNOWN (the evaluator reads deeper ancestors from its process table).
 * tests/support/pushdown_eval.c is the reference it is tested against.
 * BPF side only. */
#ifndef SGC_FILTER_ANC_H
#define SGC_FILTER_ANC_H

#if SGC_F_ANC_DEPTH < 2 || SGC_F_ANC_DEPTH > SGC_ANC_MAX
#error "SGC_F_ANC_DEPTH must be 2..SGC_ANC_MAX"
#endif

#define SGC_F_ANC_ABSENT 3 /* sgc_f_anc_level: the level is past the root */

/* The ancestors' workspace, at the end of the scratch path buffer (the
 * record's fd path is assembled there only after the blob is written). It
 * holds this event's chain once the filter workspace's anc_walked says so
 * (a flag among the fields every event writes: no store to this one's
 * lines for an event that reads no ancestor). */
struct sgc_fanc {
    __u8 valid[SGC_ANC_MAX]; /* bits[l - 1] hold plane valid[l - 1] - 1 (0: none) */
    struct sgc_ancestors b;  /* ancestors 2.. as the record carries them */
    struct sgc_fcomm_key hk; /* lookup keys of one comm */
    struct sgc_flpm_key lk;
    __u8 bits[SGC_ANC_MAX][SGC_F_VAL_SIZE]; /* comm verdicts of level l, this event */
} __attribute__((aligned(8)));

/* 256 bytes are the socket view's, after the filter workspace (filter_sock.h) */
_Static_assert(sizeof(struct sgc_fscratch) + 256 + sizeof(struct sgc_fanc) <=
                   sizeof(((struct sgc_scratch *)0)->path),
               "the ancestors' workspace must fit after the filter's and the socket view");

static __always_inline struct sgc_fanc *sgc_f_anc(struct sgc_scratch *s)
{
    return (struct sgc_fanc *)(s->path + sizeof(s->path) - sizeof(struct sgc_fanc));
}

/* Walk the current task's chain (live): ancestors 2..SGC_F_ANC_DEPTH, and
 * whether the chain ends at a level up to SGC_F_ANC_DEPTH + 1. The parent
 * (ancestor 1) is the header's: no parent (ppid 0) ends the chain at 1. */
static __always_inline void sgc_f_anc_walk(struct sgc_scratch *s)
{
    struct sgc_fanc *a = sgc_f_anc(s);
    const struct sgc_event_hdr *h = (const struct sgc_event_hdr *)s->rec;
    sgc_f_fs(s)->anc_walked = 1;
    __builtin_memset(a->valid, 0, sizeof(a->valid));
    a->b.n = 0;
    a->b.end = 0;
    if (!h->ppid) {
        a->b.end = 1;
        return;
    }
    struct task_struct *t = bpf_get_current_task_btf();
    struct task_struct *p = t->real_parent;
#pragma unroll
    for (int l = 2; l <= SGC_F_ANC_DEPTH + 1; l++) {
        p = p ? p->real_parent : NULL;
        if (!p || !p->tgid) { /* the idle task: init's and kthreadd's parent */
            a->b.end = l;
            return;
        }
        if (l > SGC_F_ANC_DEPTH) return;
        __builtin_memcpy(a->b.comm[l - 2], p->comm, SGC_COMM_LEN);
        a->b.n = l - 1;
    }
}

/* A prepared record (BPF_PROG_TEST_RUN): the chain is its
 * SGC_BLOB_ANCESTORS (none: nothing known beyond the parent). A blob
 * shorter than its n says is ignored, as the evaluator ignores it. */
__noinline int sgc_f_anc_from_blobs(struct sgc_scratch *s, __u32 nblobs)
{
    if (!s) return 0;
    struct sgc_fanc *a = sgc_f_anc(s);
    __builtin_memset(a->valid, 0, sizeof(a->valid));
    sgc_f_fs(s)->anc_walked = 1;
    a->b.n = 0;
    a->b.end = 0;
    __u32 off = sizeof(struct sgc_event_hdr) + SGC_CAND_WORDS * 8;
    for (int i = 0; i < SGC_F_MAX_BLOBS; i++) {
        struct sgc_blob_hdr bh;
        if (!sgc_f_blob_at(s, i, nblobs, &off, &bh)) break;
        if (bh.tag == SGC_BLOB_ANCESTORS && bh.len >= 8) {
            __u32 len = bh.len > sizeof(a->b) ? sizeof(a->b) : bh.len;
            if (bpf_probe_read_kernel(&a->b, len, s->rec + off + sizeof(bh)) < 0 ||
                a->b.n > SGC_ANC_MAX - 1 || 8 + 16 * (__u32)a->b.n > bh.len) {
                a->b.n = 0;
                a->b.end = 0;
            }
            break;
        }
        off += sizeof(struct sgc_blob_hdr) + ((bh.len + 7u) & ~7u);
    }
    return 0;
}

/* Ancestor l (1..SGC_ANC_MAX) against set `slot` of `plane` (prefix: the
 * LPM trie): SGC_F_ANC_ABSENT past the root, UNKNOWN when the level is not
 * carried or its comm is empty (fields_proc.c x_aname). */
static __always_inline int sgc_f_anc_level(struct sgc_scratch *s, struct sgc_fanc *a, __u32 l,
                                           __u32 plane, __u32 slot, __u32 prefix)
{
    const char *c;
    __u32 n = a->b.n, end = a->b.end;
    if (l == 1) {
        if (end == 1) return SGC_F_ANC_ABSENT;
        c = ((struct sgc_event_hdr *)s->rec)->pcomm;
    } else if (l - 2 < n) {
        c = a->b.comm[(l - 2) & (SGC_ANC_MAX - 1)];
    } else {
        return end && l >= end ? SGC_F_ANC_ABSENT : SGC_F_UNKNOWN;
    }
    if (!c[0]) return SGC_F_UNKNOWN; /* as proc.pname: the evaluator's rendering of "" differs */
    sgc_f_comm_keys(&a->hk, &a->lk, c);
    if (prefix) {
        sgc_f_set_id(a->lk.data, plane);
        struct sgc_fval *v = bpf_map_lookup_elem(&sgc_fset_lpm, &a->lk);
        return v ? sgc_f_bits(v->b, slot) : SGC_F_FALSE;
    }
    __u64 i = l - 1;
    asm volatile("%0 &= 7" : "+r"(i));
    if (a->valid[i] != plane + 1) {
        a->hk.plane = plane & (SGC_F_COMM_PLANES - 1);
        struct sgc_fval *v = bpf_map_lookup_elem(&sgc_fset_comm, &a->hk);
        if (v)
            __builtin_memcpy(a->bits[i], v->b, SGC_F_VAL_SIZE);
        else
            __builtin_memset(a->bits[i], 0, SGC_F_VAL_SIZE);
        a->valid[i] = plane + 1;
    }
    return sgc_f_bits(a->bits[i], slot);
}

/* `how` of sgc_f_anc_in (BPF calls take five arguments): the level in bits
 * 0-3, then these */
#define SGC_FA_PREFIX 0x10 /* startswith: the LPM trie */
#define SGC_FA_NEGATE 0x20 /* `!=`, which is FALSE past the root too */

/* proc.aname[level] (level 2..SGC_F_ANC_DEPTH) or, level 0, any ancestor in
 * set `slot` of `plane`. */
__noinline int sgc_f_anc_in(struct sgc_scratch *s, __u32 how, __u32 plane, __u32 slot)
{
    __u32 level = how & 15, prefix = how & SGC_FA_PREFIX, negate = how & SGC_FA_NEGATE;
    if (!s || level > SGC_F_ANC_DEPTH) return SGC_F_UNKNOWN;
    struct sgc_fanc *a = sgc_f_anc(s);
    if (!sgc_f_fs(s)->anc_walked) sgc_f_anc_walk(s);
    if (level) {
        int v = sgc_f_anc_level(s, a, level, plane, slot, prefix);
        if (v == SGC_F_ANC_ABSENT) return SGC_F_FALSE;
        return negate ? sgc_f_not(v) : v;
    }
    int r = SGC_F_FALSE;
    for (__u32 l = 1; l <= SGC_F_ANC_DEPTH; l++) {
        int v = sgc_f_anc_level(s, a, l, plane, slot, prefix);
        if (v == SGC_F_TRUE) return SGC_F_TRUE;
        if (v == SGC_F_UNKNOWN) r = SGC_F_UNKNOWN;
    }
    /* every level the record carries was checked, and none lies beyond */
    return a->b.end && a->b.n + 1 <= SGC_F_ANC_DEPTH ? r : SGC_F_UNKNOWN;
}

#endif
