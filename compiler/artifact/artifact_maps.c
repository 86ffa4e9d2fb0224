/* Writing an artifact's map contents into a loaded BPF object (before its
 * programs are attached, so the filter never runs on empty sets). */
#include "artifact.h"

#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

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
        size_t rec = (size_t)m->key_size + m->value_size;
        for (uint32_t e = 0; e < m->nentries; e++) {
            const uint8_t *k = m->data + rec * e;
            int rc =
                bpf_map__update_elem(map, k, m->key_size, k + m->key_size, m->value_size, BPF_ANY);
            if (rc) {
                snprintf(err, errlen, "writing entry %u of map %s: %s", e, m->name, strerror(-rc));
                return -1;
            }
        }
    }
    return 0;
}
