/* Building one sgc_event record in the per-CPU scratch buffer and handing it
 * to the ring buffer. BPF side only.
 *
 * Layout (sgc_event.h): header | cand_words x u64 | blobs (8-aligned).
 * Records have variable size (a path can be 1 or 4096 bytes), so they are
 * built in scratch and sent with bpf_ringbuf_output(), which reserves the
 * exact size, copies and commits in one helper call; a failed reservation
 * (ring full) is counted in SGC_CNT_RB_FAIL. */
#ifndef SGC_CAPTURE_RECORD_H
#define SGC_CAPTURE_RECORD_H

#include "capture_maps.h"

/* Candidate-rule bitmap words; the code generator defines it (>= 1 when it
 * emits a filter). 0 = no bitmap (no-pushdown: every rule is a candidate). */
#ifndef SGC_CAND_WORDS
#define SGC_CAND_WORDS 0
#endif

#define SGC_BLOB_HDR_SIZE  ((__u32)sizeof(struct sgc_blob_hdr))
/* A blob may start at any offset up to this and still fit its largest payload. */
#define SGC_BLOB_OFF_LIMIT (SGC_RECORD_MAX - SGC_BLOB_MAX - SGC_BLOB_HDR_SIZE)

/* container_of() with the member offset relocated by CO-RE (offsetof would
 * bake in the build machine's layout). */
#define sgc_container_of(ptr, type, member)                                                        \
    ((type *)((char *)(ptr) - bpf_core_field_offset(type, member)))

struct sgc_rec {
    struct sgc_scratch *s;
    struct sgc_event_hdr *hdr;
    __u32 off; /* end of the record so far */
    __u16 nblobs;
    __u16 full; /* a blob did not fit */
};

/* The fields every record begins with; its timestamp is left to the
 * caller. */
static __always_inline void sgc_rec_start(struct sgc_rec *r, struct sgc_scratch *s, __u16 kind,
                                          __u32 nr)
{
    struct sgc_event_hdr *h = (void *)s->rec;
    h->kind = kind;
    h->version = SGC_EVENT_VERSION;
    h->nr = nr;
    h->flags = 0;
    h->cand_words = SGC_CAND_WORDS;
    r->s = s;
    r->hdr = h;
    r->off = sizeof(*h) + SGC_CAND_WORDS * 8;
    r->nblobs = 0;
    r->full = 0;
}

/* A lifecycle record: a cleared header, its time taken now. */
static __always_inline void sgc_rec_begin(struct sgc_rec *r, struct sgc_scratch *s, __u16 kind,
                                          __u32 nr)
{
    __builtin_memset(s->rec, 0, sizeof(struct sgc_event_hdr));
    sgc_rec_start(r, s, kind, nr);
    r->hdr->ts_ns = bpf_ktime_get_boot_ns();
}

/* A syscall record, on the path of every event the filter drops: the
 * header is not cleared (216 bytes of stores saved per dropped event).
 * The caller writes every other field exactly once: ret and
 * args, the process fields in two parts (sgc_fill_task_parts writes each
 * field of a part on every path), the time and rule-set generation after
 * the filter passed, size and nblobs at submission. The header's padding
 * is never written by anything but the clearing above, so it stays zero
 * in every record. */
_Static_assert(sizeof(struct sgc_event_hdr) == 216,
               "a new header field must be written on every path of a syscall record "
               "(sgc_rec_begin_syscall does not clear the header)");
static __always_inline void sgc_rec_begin_syscall(struct sgc_rec *r, struct sgc_scratch *s,
                                                  __u32 nr)
{
    sgc_rec_start(r, s, SGC_REC_SYSCALL, nr);
}

static __always_inline __u64 *sgc_rec_candidates(struct sgc_rec *r)
{
    return (__u64 *)(r->s->rec + sizeof(struct sgc_event_hdr));
}

/* Start a blob: returns its header, or NULL when the record is full. The
 * offset test is what the verifier uses to bound the store; the empty asm
 * keeps clang from moving the check away from the use. */
static __always_inline struct sgc_blob_hdr *sgc_blob_start(struct sgc_rec *r)
{
    __u32 off = r->off;
    asm volatile("" : "+r"(off));
    if (off > SGC_BLOB_OFF_LIMIT) {
        r->full = 1;
        return NULL;
    }
    /* clang may test one copy of off and index with another the verifier
     * cannot tie to the test ("R1 unbounded memory access" on large filters):
     * mask the register actually used. 0xffff + header + SGC_BLOB_MAX still
     * fits rec[] (SGC_RECORD_MAX + SGC_BLOB_MAX + 64). */
    __u64 o = off;
    asm volatile("%0 &= 0xffff" : "+r"(o));
    return (struct sgc_blob_hdr *)(r->s->rec + o);
}

/* Finish a blob whose payload is n bytes (n < 0: the read faulted). */
static __always_inline void sgc_blob_finish(struct sgc_rec *r, struct sgc_blob_hdr *bh, __u8 tag,
                                            long n, __u8 flags)
{
    if (n < 0) {
        n = 0;
        flags |= SGC_BLOBF_FAULT;
    }
    if (n > SGC_BLOB_MAX) n = SGC_BLOB_MAX;
    bh->len = (__u16)n;
    bh->tag = tag;
    bh->flags = flags;
    bh->_pad = 0;
    r->off += SGC_BLOB_HDR_SIZE + SGC_ALIGN8((__u32)n);
    r->nblobs++;
}

/* A NUL-terminated user string; payload includes the NUL. A copy that
 * fills the whole blob is flagged truncated. */
static __always_inline void sgc_blob_user_str(struct sgc_rec *r, __u8 tag, const void *uptr)
{
    struct sgc_blob_hdr *bh = sgc_blob_start(r);
    if (!bh) return;
    long n = bpf_probe_read_user_str(bh + 1, SGC_BLOB_MAX, uptr);
    sgc_blob_finish(r, bh, tag, n, n == SGC_BLOB_MAX ? SGC_BLOBF_TRUNCATED : 0);
}

/* len raw bytes of user memory (len > SGC_BLOB_MAX is cut and flagged). */
static __always_inline void sgc_blob_user_buf(struct sgc_rec *r, __u8 tag, const void *uptr,
                                              __u64 len)
{
    struct sgc_blob_hdr *bh = sgc_blob_start(r);
    if (!bh) return;
    __u8 flags = 0;
    if (len > SGC_BLOB_MAX) {
        len = SGC_BLOB_MAX;
        flags = SGC_BLOBF_TRUNCATED;
    }
    long err = bpf_probe_read_user(bh + 1, len, uptr);
    sgc_blob_finish(r, bh, tag, err < 0 ? err : (long)len, flags);
}

/* len bytes of kernel (or map) memory. */
static __always_inline void sgc_blob_kernel_buf(struct sgc_rec *r, __u8 tag, const void *kptr,
                                                __u64 len, __u8 flags)
{
    struct sgc_blob_hdr *bh = sgc_blob_start(r);
    if (!bh) return;
    if (len > SGC_BLOB_MAX) {
        len = SGC_BLOB_MAX;
        flags |= SGC_BLOBF_TRUNCATED;
    }
    long err = bpf_probe_read_kernel(bh + 1, len, kptr);
    sgc_blob_finish(r, bh, tag, err < 0 ? err : (long)len, flags);
}

/* Send the record. Returns 0 when it reached the ring buffer. */
static __always_inline int sgc_rec_submit(struct sgc_rec *r, const struct sgc_config *cfg)
{
    __u32 size = r->off;
    __u64 flags = 0;
    if (cfg && cfg->wakeup_bytes) {
        /* Batch wakeups, but bound the wait: wake once wakeup_bytes are
         * pending or when no wakeup happened for wakeup_ns. A record sent
         * without a wakeup soon after one is picked up by the reader's short
         * follow-up poll (runtime/pipeline/runloop.c), so no record waits long;
         * a record no alert waits for (SGC_EVF_NO_HURRY) waits for the batch
         * or the reader's next poll (at most 100 ms). The
         * timestamp is the record's own (no extra helper call); the shared
         * last_wake_ns is racy across CPUs, which costs at most an extra
         * wakeup. */
        __u64 ts = r->hdr->ts_ns;
        int wake = bpf_ringbuf_query(&sgc_events, BPF_RB_AVAIL_DATA) + size >= cfg->wakeup_bytes;
        if (!wake && cfg->wakeup_ns && !(r->hdr->flags & SGC_EVF_NO_HURRY) &&
            (__s64)(ts - cfg->last_wake_ns) >= (__s64)cfg->wakeup_ns)
            wake = 1;
        if (wake) /* the map value is writable; callers hold it as const */
            ((struct sgc_config *)cfg)->last_wake_ns = ts;
        flags = wake ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
    }
    if (r->full) sgc_count(SGC_CNT_TOO_BIG);
    r->hdr->size = size;
    r->hdr->nblobs = r->nblobs;
    if (size > SGC_RECORD_MAX) return -1; /* cannot happen: sgc_blob_start bounds every blob */
    if (bpf_ringbuf_output(&sgc_events, r->s->rec, size, flags)) {
        sgc_count(SGC_CNT_RB_FAIL);
        return -1;
    }
    sgc_count(r->hdr->kind == SGC_REC_SYSCALL ? SGC_CNT_PASSED : SGC_CNT_LC_PASSED);
    return 0;
}

#endif
