/* String-keyed map with open addressing (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void sgc_strmap_init(sgc_strmap *m, size_t val_size)
{
    memset(m, 0, sizeof *m);
    m->val_size = val_size;
    sgc_arena_init(&m->arena, 0);
}

void sgc_strmap_free(sgc_strmap *m)
{
    free(m->slots);
    free(m->hashes);
    free(m->ent);
    sgc_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

static size_t probe(const sgc_strmap *m, uint64_t h, const char *key, size_t len, int *found)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s) {
            *found = 0;
            return i;
        }
        const sgc_strmap_entry *e = &m->ent[s - 1];
        if (m->hashes[s - 1] == h && e->len == len && !memcmp(e->key, key, len)) {
            *found = 1;
            return i;
        }
    }
}

static int grow(sgc_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    uint32_t *ns = calloc(nc, sizeof *ns);
    if (!ns) return -1;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = m->hashes[k] & (nc - 1);
        while (ns[i]) i = (i + 1) & (nc - 1);
        ns[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = ns;
    m->cap = nc;
    return 0;
}

void *sgc_strmap_find(const sgc_strmap *m, const char *key, size_t len)
{
    if (!m->cap) return NULL;
    int found;
    size_t i = probe(m, hash_bytes(key, len), key, len, &found);
    return found ? m->ent[m->slots[i] - 1].val : NULL;
}

static int reserve_entry(sgc_strmap *m)
{
    if (m->n < m->ent_cap) return 0;
    size_t nc = m->ent_cap ? m->ent_cap * 2 : 32;
    sgc_strmap_entry *ne = realloc(m->ent, nc * sizeof *ne);
    if (!ne) return -1;
    m->ent = ne;
    uint64_t *nh = realloc(m->hashes, nc * sizeof *nh);
    if (!nh) return -1;
    m->hashes = nh;
    m->ent_cap = nc;
    return 0;
}

void *sgc_strmap_upsert(sgc_strmap *m, const char *key, size_t len, int *created)
{
    *created = 0;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0) return NULL;
    uint64_t h = hash_bytes(key, len);
    int found;
    size_t i = probe(m, h, key, len, &found);
    if (found) return m->ent[m->slots[i] - 1].val;
    if (m->n >= UINT32_MAX - 1 || reserve_entry(m) < 0) return NULL;
    char *k = sgc_arena_strndup(&m->arena, key, len);
    void *v = sgc_arena_alloc(&m->arena, m->val_size ? m->val_size : 1);
    if (!k || !v) return NULL;
    memset(v, 0, m->val_size);
    m->ent[m->n] = (sgc_strmap_entry){k, len, v};
    m->hashes[m->n] = h;
    m->slots[i] = (uint32_t)(m->n + 1);
    m->n++;
    *created = 1;
    return v;
}
