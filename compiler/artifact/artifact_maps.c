/* Writing an artifact's map contents into a loaded BPF object (before its
 * programs are attached, so the filter never runs on empty sets). */
#include "artifact.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Entries per BPF_MAP_UPDATE_BATCH call: one syscall for thousands of
 * entries instead of one each (100,000-item lists, issue 18). */
#define BATCH 4096

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's "operation not supported" */
#endif

void sgc_artifact_map_iter_init(sgc_artifact_map_iter *it, const sgc_artifact_map *m)
{
    *it = (sgc_artifact_map_iter){m, 0, 0};
}

/* Part of a packed entry: u16 length, bytes, zeros up to size. */
static void unpack(const uint8_t *p, size_t *off, uint8_t *out, uint32_t size)
{
    uint32_t n = (uint32_t)p[*off] | (uint32_t)p[*off + 1] << 8;
    memcpy(out, p + *off + 2, n);
    memset(out + n, 0, size - n);
    *off += 2 + (size_t)n;
}

bool sgc_artifact_map_next(sgc_artifact_map_iter *it, uint8_t *key, uint8_t *value)
{
    const sgc_artifact_map *m = it->m;
    if (it->next >= m->nentries) return false;
    if (m->data) {
        const uint8_t *r = m->data + ((size_t)m->key_size + m->value_size) * it->next;
        memcpy(key, r, m->key_size);
        memcpy(value, r + m->key_size, m->value_size);
    } else { /* checked by the reader: lengths within the sizes and the bytes */
        unpack(m->packed, &it->off, key, m->key_size);
        unpack(m->packed, &it->off, value, m->value_size);
    }
    it->next++;
    return true;
}

/* Write the n entries in keys/vals one by one (maps without batch updates). */
static int update_each(const sgc_artifact_map *m, struct bpf_map *map, const uint8_t *keys,
                       const uint8_t *vals, uint32_t from, uint32_t n, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < n; i++) {
        int rc = bpf_map__update_elem(map, keys + (size_t)m->key_size * i, m->key_size,
                                      vals + (size_t)m->value_size * i, m->value_size, BPF_ANY);
        if (rc) {
            snprintf(err, errlen, "writing entry %u of map %s: %s", from + i, m->name,
                     strerror(-rc));
            return -1;
        }
    }
    return 0;
}

static int populate(const sgc_artifact_map *m, struct bpf_map *map, char *err, size_t errlen)
{
    uint32_t chunk = m->nentries < BATCH ? m->nentries : BATCH;
    uint8_t *keys = malloc((size_t)m->key_size * chunk + 1);
    uint8_t *vals = malloc((size_t)m->value_size * chunk + 1);
    if (!keys || !vals) abort();
    sgc_artifact_map_iter it;
    sgc_artifact_map_iter_init(&it, m);
    bool batch = true;
    int rc = 0;
    for (uint32_t from = 0; from < m->nentries && !rc; from += chunk) {
        uint32_t n = m->nentries - from < chunk ? m->nentries - from : chunk;
        for (uint32_t i = 0; i < n; i++)
            sgc_artifact_map_next(&it, keys + (size_t)m->key_size * i,
                                  vals + (size_t)m->value_size * i);
        if (batch) {
            __u32 count = n;
            LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
            if (bpf_map_update_batch(bpf_map__fd(map), keys, vals, &count, &opts) == 0) continue;
            /* not supported by this map type or kernel (LPM tries before
             * 6.x): the rest one by one; entries written twice are the same */
            if (errno != EINVAL && errno != ENOTSUPP && errno != EOPNOTSUPP) {
                snprintf(err, errlen, "writing entries %u-%u of map %s: %s", from, from + n - 1,
                         m->name, strerror(errno));
                rc = -1;
                break;
            }
            batch = false;
        }
        rc = update_each(m, map, keys, vals, from, n, err, errlen);
    }
    free(keys);
    free(vals);
    return rc;
}

int sgc_artifact_populate_maps(const sgc_artifact *a, struct bpf_object *obj, char *err,
                               size_t errlen)
{
    for (int i = 0; i < a->nmaps; i++) {
        const sgc_artifact_map *m = &a->maps[i];
        struct bpf_map *map = bpf_object__find_map_by_name(obj, m->name);
        if (!map) {
            snprintf(err, errlen, "the artifact's BPF object has no map %s", m->name);
            return -1;
        }
        if (bpf_map__key_size(map) != m->key_size || bpf_map__value_size(map) != m->value_size) {
            snprintf(err, errlen, "map %s: artifact entries are %u+%u bytes, the map takes %u+%u",
                     m->name, m->key_size, m->value_size, bpf_map__key_size(map),
                     bpf_map__value_size(map));
            return -1;
        }
        if (populate(m, map, err, errlen)) return -1;
    }
    return 0;
}
