/* Sizing an artifact's maps in its BPF object before the load
 * (sgc_artifact_size_maps in artifact.h). */
#include "artifact.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int sgc_artifact_size_maps(const sgc_artifact *a, struct bpf_object *obj, char *err, size_t errlen)
{
    for (int i = 0; i < a->nmaps; i++) {
        const sgc_artifact_map *m = &a->maps[i];
        struct bpf_map *map = bpf_object__find_map_by_name(obj, m->name);
        if (!map) continue; /* sgc_artifact_populate_maps names it */
        uint32_t want = m->nentries ? m->nentries : 1;
        bool is_set = !strncmp(m->name, "sgc_fset_", 9);
        if (!is_set && bpf_map__max_entries(map) >= want) continue;
        int rc = bpf_map__set_max_entries(map, want);
        if (rc) {
            snprintf(err, errlen, "cannot size map %s to %u entries: %s", m->name, want,
                     strerror(-rc));
            return -1;
        }
    }
    return 0;
}
