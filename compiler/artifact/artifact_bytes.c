/* Byte buffers for the artifact: little-endian writes, checked reads. */
#include "artifact_bytes.h"

#include <stdlib.h>
#include <string.h>

void sgc_obuf_put(sgc_obuf *b, const void *data, size_t n)
{
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
}

void sgc_obuf_u16(sgc_obuf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    sgc_obuf_put(b, x, 2);
}

void sgc_obuf_u32(sgc_obuf *b, uint32_t v)
{
    uint8_t x[4];
    sgc_put_le32(x, v);
    sgc_obuf_put(b, x, 4);
}

void sgc_obuf_u64(sgc_obuf *b, uint64_t v)
{
    uint8_t x[8];
    sgc_put_le64(x, v);
    sgc_obuf_put(b, x, 8);
}

void sgc_obuf_align8(sgc_obuf *b)
{
    static const uint8_t zeros[8];
    sgc_obuf_put(b, zeros, (8 - b->len % 8) % 8);
}

const uint8_t *sgc_icur_bytes(sgc_icur *c, size_t n)
{
    if (c->bad || n > c->len - c->off) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *p = c->p + c->off;
    c->off += n;
    return p;
}

uint16_t sgc_icur_u16(sgc_icur *c)
{
    const uint8_t *p = sgc_icur_bytes(c, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t sgc_icur_u32(sgc_icur *c)
{
    const uint8_t *p = sgc_icur_bytes(c, 4);
    return p ? sgc_le32(p) : 0;
}

/* CRC-32 as zlib computes it (IEEE 802.3, reflected, polynomial 0xEDB88320),
 * written here so sgccore needs no zlib at link time. */
uint32_t sgc_crc32(const uint8_t *p, size_t n)
{
    uint32_t table[256]; /* built per call: 2K steps, no shared state */
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}
