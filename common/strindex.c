/* String index (strindex.h): FNV-1a hashes, linear probing, grown at 1/2 load. */
#include "strindex.h"

#include <stdlib.h>
#include <string.h>

void sgc_strindex_init(sgc_strindex *x) { memset(x, 0, sizeof *x); }

void sgc_strindex_free(sgc_strindex *x)
{
    free(x->slots);
    memset(x, 0, sizeof *x);
}

uint64_t sgc_strhash_more(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

uint64_t sgc_strhash(const char *s, size_t len)
{
    return sgc_strhash_more(SGC_STRHASH_INIT, s, len);
}

static struct sgc_strindex_slot *find(const sgc_strindex *x, const char *key, size_t len,
                                      uint64_t h)
{
    size_t m = x->cap - 1;
    for (size_t i = (size_t)h & m;; i = (i + 1) & m) {
        struct sgc_strindex_slot *s = &x->slots[i];
        if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len))) return s;
    }
}

int sgc_strindex_get_hashed(const sgc_strindex *x, const char *key, size_t len, uint64_t hash)
{
    if (!x->cap) return -1;
    struct sgc_strindex_slot *s = find(x, key, len, hash);
    return s->key ? s->val : -1;
}

int sgc_strindex_get(const sgc_strindex *x, const char *key, size_t len)
{
    return sgc_strindex_get_hashed(x, key, len, sgc_strhash(key, len));
}

static void grow(sgc_strindex *x)
{
    sgc_strindex y = {calloc(x->cap ? x->cap * 2 : 64, sizeof *y.slots), x->cap ? x->cap * 2 : 64,
                      x->n};
    if (!y.slots) abort();
    for (size_t i = 0; i < x->cap; i++)
        if (x->slots[i].key)
            *find(&y, x->slots[i].key, x->slots[i].len, x->slots[i].hash) = x->slots[i];
    free(x->slots);
    *x = y;
}

int sgc_strindex_put(sgc_strindex *x, const char *key, size_t len, int val)
{
    if ((x->n + 1) * 2 > x->cap) grow(x);
    uint64_t h = sgc_strhash(key, len);
    struct sgc_strindex_slot *s = find(x, key, len, h);
    if (s->key) return s->val;
    *s = (struct sgc_strindex_slot){key, len, h, val};
    x->n++;
    return -1;
}
