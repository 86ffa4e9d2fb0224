/* Little-endian byte helpers shared by the artifact writer and reader: a
 * growable output buffer and a bounds-checked input cursor. Internal. */
#ifndef SGC_ARTIFACT_BYTES_H
#define SGC_ARTIFACT_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_obuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} sgc_obuf;

void sgc_obuf_put(sgc_obuf *b, const void *data, size_t n);
void sgc_obuf_u16(sgc_obuf *b, uint16_t v);
void sgc_obuf_u32(sgc_obuf *b, uint32_t v);
void sgc_obuf_u64(sgc_obuf *b, uint64_t v);
void sgc_obuf_align8(sgc_obuf *b);

/* A cursor that never reads past its end: a short read sets `bad` and
 * returns zeros, so callers check once at the end of a block. */
typedef struct sgc_icur {
    const uint8_t *p;
    size_t len, off;
    bool bad;
} sgc_icur;

uint16_t sgc_icur_u16(sgc_icur *c);
uint32_t sgc_icur_u32(sgc_icur *c);
/* n bytes in place, or NULL (and bad) when fewer remain. */
const uint8_t *sgc_icur_bytes(sgc_icur *c, size_t n);

static inline uint32_t sgc_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t sgc_le64(const uint8_t *p)
{
    return sgc_le32(p) | (uint64_t)sgc_le32(p + 4) << 32;
}
static inline void sgc_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void sgc_put_le64(uint8_t *p, uint64_t v)
{
    sgc_put_le32(p, (uint32_t)v);
    sgc_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* CRC-32, the value zlib's crc32() gives. */
uint32_t sgc_crc32(const uint8_t *p, size_t n);

#endif
