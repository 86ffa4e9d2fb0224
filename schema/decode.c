/* Record decoding and building; see decode.h. */
#include "decode.h"

#include <string.h>

static bool known_kind(uint16_t k) { return k >= SGC_REC_SYSCALL && k <= SGC_REC_CONTAINER; }

static bool known_tag(uint8_t tag)
{
    return tag <= SGC_BLOB_ARG5 || (tag >= SGC_BLOB_EXE && tag <= SGC_BLOB_ANCESTORS);
}

sgc_decode_status sgc_decode(const void *buf, size_t len, sgc_evt *ev)
{
    ev->hdr = NULL;
    ev->cand = NULL;
    ev->ncand_words = 0;
    ev->blob_mask = 0;
    ev->evtnum = 0;
    const uint8_t *base = buf;
    if (!buf || len < sizeof(struct sgc_event_hdr)) return SGC_DECODE_SHORT;
    const struct sgc_event_hdr *h = buf;
    if (h->size < sizeof *h || h->size > SGC_RECORD_MAX) return SGC_DECODE_BAD_SIZE;
    if (h->size > len) return SGC_DECODE_SHORT;
    if (h->version != SGC_EVENT_VERSION) return SGC_DECODE_BAD_VERSION;
    if (!known_kind(h->kind)) return SGC_DECODE_BAD_KIND;

    size_t size = h->size;
    size_t off = sizeof *h;
    size_t bitmap = (size_t)h->cand_words * sizeof(uint64_t);
    if (bitmap > size - off) return SGC_DECODE_BAD_BITMAP;
    const uint64_t *cand = NULL;
    if (h->cand_words) cand = (const uint64_t *)(base + off);
    off += bitmap;

    for (unsigned i = 0; i < h->nblobs; i++) {
        if (size - off < sizeof(struct sgc_blob_hdr)) {
            ev->blob_mask = 0;
            return SGC_DECODE_BAD_BLOB;
        }
        const struct sgc_blob_hdr *bh = (const void *)(base + off);
        off += sizeof *bh;
        if (bh->len > size - off) {
            ev->blob_mask = 0;
            return SGC_DECODE_BAD_BLOB;
        }
        if (!known_tag(bh->tag) || (ev->blob_mask >> bh->tag & 1u)) {
            ev->blob_mask = 0;
            return SGC_DECODE_BAD_TAG;
        }
        /* A zero-length blob still counts as present (an empty string). */
        ev->blob_mask |= 1u << bh->tag;
        ev->blobs[bh->tag].p = base + off;
        ev->blobs[bh->tag].len = bh->len;
        ev->blobs[bh->tag].flags = bh->flags;
        size_t padded = SGC_ALIGN8((size_t)bh->len);
        /* The last blob's padding may be cut by the record end. */
        off += padded <= size - off ? padded : size - off;
    }
    ev->hdr = h;
    ev->cand = cand;
    ev->ncand_words = cand ? h->cand_words : 0;
    return SGC_DECODE_OK;
}

const char *sgc_decode_strerror(sgc_decode_status st)
{
    switch (st) {
    case SGC_DECODE_OK: return "ok";
    case SGC_DECODE_SHORT: return "record truncated";
    case SGC_DECODE_BAD_SIZE: return "bad record size";
    case SGC_DECODE_BAD_VERSION: return "unsupported record version";
    case SGC_DECODE_BAD_KIND: return "unknown record kind";
    case SGC_DECODE_BAD_BITMAP: return "candidate bitmap past record end";
    case SGC_DECODE_BAD_BLOB: return "blob past record end";
    case SGC_DECODE_BAD_TAG: return "unknown or duplicate blob tag";
    case SGC_DECODE__COUNT: break;
    }
    return "unknown decode error";
}

/* ---- builder ------------------------------------------------------------ */

void sgc_record_begin(sgc_record_builder *b, void *buf, size_t cap, enum sgc_record_kind kind,
                      uint32_t nr, uint16_t cand_words)
{
    b->buf = buf;
    b->cap = cap;
    b->overflow = false;
    size_t need = sizeof(struct sgc_event_hdr) + (size_t)cand_words * 8;
    if (need > cap) {
        b->overflow = true;
        b->used = 0;
        b->hdr = NULL;
        return;
    }
    memset(buf, 0, need);
    b->hdr = buf;
    b->hdr->kind = (__u16)kind;
    b->hdr->version = SGC_EVENT_VERSION;
    b->hdr->nr = nr;
    b->hdr->cand_words = cand_words;
    b->hdr->loginuid = 0xffffffffu;
    b->used = need;
}

uint64_t *sgc_record_bitmap(sgc_record_builder *b)
{
    if (!b->hdr || !b->hdr->cand_words) return NULL;
    return (uint64_t *)(b->buf + sizeof(struct sgc_event_hdr));
}

void sgc_record_add_blob(sgc_record_builder *b, unsigned tag, const void *p, size_t len,
                         uint8_t flags)
{
    if (b->overflow) return;
    if (len > 0xffff || tag > 0xff) {
        b->overflow = true;
        return;
    }
    size_t need = sizeof(struct sgc_blob_hdr) + SGC_ALIGN8(len);
    if (need > b->cap - b->used || b->used + need > SGC_RECORD_MAX) {
        b->overflow = true;
        return;
    }
    struct sgc_blob_hdr *bh = (void *)(b->buf + b->used);
    memset(bh, 0, need);
    bh->len = (__u16)len;
    bh->tag = (__u8)tag;
    bh->flags = flags;
    if (len) memcpy(bh + 1, p, len);
    b->used += need;
    b->hdr->nblobs++;
}

void sgc_record_add_str(sgc_record_builder *b, unsigned tag, const char *s)
{
    sgc_record_add_blob(b, tag, s, strlen(s), 0);
}

size_t sgc_record_finish(sgc_record_builder *b)
{
    if (b->overflow || !b->hdr) return 0;
    b->hdr->size = (__u32)b->used;
    return b->used;
}
