/* See artifact_lists.h. The section:
 *
 *   u32 list count
 *   per list: u32 name length, name bytes (no NUL), u32 item count,
 *             per item u32 length and its bytes (no NUL),
 *             then ceil(item count / 8) bytes: bit k set when item k was
 *             written in quotes */
#include "artifact_lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_artifact_put_lists(sgc_obuf *b, const sgc_artifact *a)
{
    sgc_obuf_u32(b, (uint32_t)a->nlists);
    for (int i = 0; i < a->nlists; i++) {
        const sgc_artifact_list *l = &a->lists[i];
        size_t n = strlen(l->name);
        sgc_obuf_u32(b, (uint32_t)n);
        sgc_obuf_put(b, l->name, n);
        sgc_obuf_u32(b, (uint32_t)l->nitems);
        uint8_t *bits = calloc((size_t)l->nitems / 8 + 1, 1);
        if (!bits) abort();
        const sgc_strpack *pk = l->pack;
        for (int k = 0; k < l->nitems; k++) {
            const char *s = pk ? pk->pool + pk->off[k] : l->items[k];
            bool q =
                pk ? pk->quoted && (pk->quoted[k / 8] >> (k % 8) & 1) : l->quoted && l->quoted[k];
            size_t len = strlen(s);
            sgc_obuf_u32(b, (uint32_t)len);
            sgc_obuf_put(b, s, len);
            if (q) bits[k / 8] |= (uint8_t)(1u << (k % 8));
        }
        sgc_obuf_put(b, bits, ((size_t)l->nitems + 7) / 8);
        free(bits);
    }
}

static int corrupt(char *err, size_t errlen, const char *what, uint32_t i)
{
    snprintf(err, errlen, "artifact corrupt: %s in list %u of the lists section", what, i);
    return -1;
}

/* Checks the items of one list at c (count k): their total bytes with a NUL
 * each in *total. False when they overrun or hold a NUL. */
static bool check_items(sgc_icur *c, uint32_t k, size_t *total)
{
    *total = 0;
    for (uint32_t e = 0; e < k; e++) {
        uint32_t n = sgc_icur_u32(c);
        const uint8_t *s = sgc_icur_bytes(c, n);
        if (c->bad || memchr(s, 0, n)) return false;
        *total += (size_t)n + 1;
    }
    sgc_icur_bytes(c, ((size_t)k + 7) / 8);
    return !c->bad && *total <= UINT32_MAX;
}

/* The k items checked at p packed: pool, offsets, quoted bits. */
static sgc_strpack *pack_items(const uint8_t *p, uint32_t k, size_t total)
{
    sgc_strpack *pk = calloc(1, sizeof *pk);
    if (!pk) return NULL;
    pk->pool = malloc(total ? total : 1);
    pk->off = malloc(sizeof *pk->off * ((size_t)k + 1));
    pk->quoted = malloc((size_t)k / 8 + 1);
    if (!pk->pool || !pk->off || !pk->quoted) {
        sgc_strpack_free(pk);
        return NULL;
    }
    size_t in = 0;
    uint32_t at = 0;
    for (uint32_t e = 0; e < k; e++) {
        uint32_t n = (uint32_t)p[in] | (uint32_t)p[in + 1] << 8 | (uint32_t)p[in + 2] << 16 |
                     (uint32_t)p[in + 3] << 24;
        pk->off[e] = at;
        memcpy(pk->pool + at, p + in + 4, n);
        pk->pool[at + n] = '\0';
        at += n + 1;
        in += 4 + (size_t)n;
    }
    pk->off[k] = at;
    memcpy(pk->quoted, p + in, ((size_t)k + 7) / 8);
    pk->n = (int)k;
    return pk;
}

int sgc_artifact_parse_lists(sgc_artifact *a, const uint8_t *p, size_t len, char *err,
                             size_t errlen)
{
    sgc_icur c = {p, len, 0, false};
    uint32_t n = sgc_icur_u32(&c);
    /* each list takes at least 8 bytes: a count beyond that is corrupt */
    if (c.bad || n > len / 8) {
        snprintf(err, errlen, "artifact corrupt: bad list count in the lists section");
        return -1;
    }
    a->lists = calloc(n ? n : 1, sizeof *a->lists);
    if (!a->lists) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t name_len = sgc_icur_u32(&c);
        const uint8_t *name = sgc_icur_bytes(&c, name_len);
        uint32_t k = sgc_icur_u32(&c);
        if (c.bad || name_len == 0 || name_len > 4096 || memchr(name, 0, name_len) ||
            k > (len - c.off) / 4 || k > INT32_MAX)
            return corrupt(err, errlen, "a bad name or item count", i);
        size_t start = c.off, total;
        if (!check_items(&c, k, &total)) return corrupt(err, errlen, "a bad item", i);
        sgc_artifact_list *l = &a->lists[a->nlists++]; /* freed with a from here on */
        l->name = strndup((const char *)name, name_len);
        l->pack = pack_items(p + start, k, total);
        if (!l->name || !l->pack) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        l->nitems = (int)k;
    }
    if (c.off != len) {
        snprintf(err, errlen, "artifact corrupt: %zu stray bytes after the lists", len - c.off);
        return -1;
    }
    return 0;
}
