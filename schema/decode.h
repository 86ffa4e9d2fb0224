/* Decoding one raw record (bpf-templates/shared/sgc_event.h) from bytes into a
 * struct that points into those bytes: the header, the candidate bitmap and
 * the blobs by tag. Nothing is copied; every length is checked against the
 * record size, so a truncated or corrupt record is an error the caller
 * counts, never a crash. */
#ifndef SGC_DECODE_H
#define SGC_DECODE_H

#include "sgc_event.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SGC_MAX_BLOB_TAGS 32

typedef struct sgc_blob {
    const uint8_t *p; /* payload, NULL when the record has no such blob */
    uint16_t len;
    uint8_t flags; /* SGC_BLOBF_* */
} sgc_blob;

typedef struct sgc_evt {
    const struct sgc_event_hdr *hdr;
    const uint64_t *cand; /* hdr->cand_words words, or NULL */
    uint32_t ncand_words;
    uint32_t blob_mask;                /* bit t set: blobs[t] is present (others are stale) */
    sgc_blob blobs[SGC_MAX_BLOB_TAGS]; /* indexed by enum sgc_blob_tag; use sgc_evt_blob */
    uint64_t evtnum;                   /* sequence number assigned by the runtime (evt.num) */
} sgc_evt;

typedef enum {
    SGC_DECODE_OK = 0,
    SGC_DECODE_SHORT,    /* fewer bytes than a header, or than hdr.size */
    SGC_DECODE_BAD_SIZE, /* hdr.size too small or above SGC_RECORD_MAX */
    SGC_DECODE_BAD_VERSION,
    SGC_DECODE_BAD_KIND,
    SGC_DECODE_BAD_BITMAP, /* bitmap runs past the record */
    SGC_DECODE_BAD_BLOB,   /* blob header/payload runs past the record */
    SGC_DECODE_BAD_TAG,    /* unknown or duplicate blob tag */
    SGC_DECODE__COUNT
} sgc_decode_status;

/* Decode buf[0..len). The record must be 8-byte aligned in memory (ring
 * buffer records are). On error ev->hdr is NULL and no blob is present.
 * Only the blobs present are written (the struct is not cleared whole:
 * this runs once per event). */
sgc_decode_status sgc_decode(const void *buf, size_t len, sgc_evt *ev);
const char *sgc_decode_strerror(sgc_decode_status st);

/* A blob, or NULL when absent. */
static inline const sgc_blob *sgc_evt_blob(const sgc_evt *ev, unsigned tag)
{
    return tag < SGC_MAX_BLOB_TAGS && (ev->blob_mask >> tag & 1u) ? &ev->blobs[tag] : NULL;
}

/* The record's ancestors (SGC_BLOB_ANCESTORS): NULL without one or when it
 * is malformed (n above SGC_ANC_MAX - 1, or fewer comms than n). Only
 * comm[0..n) may be read. */
static inline const struct sgc_ancestors *sgc_evt_ancestors(const sgc_evt *ev)
{
    const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_ANCESTORS);
    if (!b || b->len < 8) return NULL;
    const struct sgc_ancestors *a = (const struct sgc_ancestors *)(const void *)b->p;
    if (a->n > SGC_ANC_MAX - 1 || 8u + SGC_COMM_LEN * (unsigned)a->n > b->len) return NULL;
    return a;
}

/* Ancestor `level` (>= 2) in a record's ancestors: SGC_ANC_HAVE with its comm
 * (*comm, at most 15 bytes and a NUL within 16), SGC_ANC_ABSENT past the root
 * (`end`), SGC_ANC_UNSENT when the record does not carry it. Ancestor 1 is
 * the header's pcomm; `end` 1 says there is none. The kernel filter
 * (bpf-templates/filter_anc.h) reads them the same way. */
enum { SGC_ANC_HAVE, SGC_ANC_ABSENT, SGC_ANC_UNSENT };
static inline int sgc_anc_level(const struct sgc_ancestors *a, int level, const char **comm)
{
    if (level - 2 < a->n) {
        *comm = a->comm[level - 2];
        return SGC_ANC_HAVE;
    }
    return a->end && level >= a->end ? SGC_ANC_ABSENT : SGC_ANC_UNSENT;
}

/* Is rule bit i set in the candidate bitmap? (true when there is no bitmap) */
static inline bool sgc_evt_is_candidate(const sgc_evt *ev, unsigned i)
{
    if (!ev->cand || !(ev->hdr->flags & SGC_EVF_CANDIDATES)) return true;
    if (i / 64 >= ev->ncand_words) return false;
    return (ev->cand[i / 64] >> (i % 64)) & 1u;
}

/* ---- building records (tests, replay, bench) ---------------------------- */

/* Builds a record in a caller buffer: fill `hdr`, then add blobs, then
 * finish. Sizes are checked; on overflow `sgc_record_finish` returns 0. */
typedef struct sgc_record_builder {
    uint8_t *buf;
    size_t cap, used;
    bool overflow;
    struct sgc_event_hdr *hdr; /* points into buf */
} sgc_record_builder;

/* buf must be 8-byte aligned. Writes a zeroed header with kind, version and
 * nr set and `cand_words` zeroed bitmap words after it. */
void sgc_record_begin(sgc_record_builder *b, void *buf, size_t cap, enum sgc_record_kind kind,
                      uint32_t nr, uint16_t cand_words);
uint64_t *sgc_record_bitmap(sgc_record_builder *b);
void sgc_record_add_blob(sgc_record_builder *b, unsigned tag, const void *p, size_t len,
                         uint8_t flags);
void sgc_record_add_str(sgc_record_builder *b, unsigned tag, const char *s);
/* Sets hdr->size and hdr->nblobs; returns the record size, 0 on overflow. */
size_t sgc_record_finish(sgc_record_builder *b);

#endif
