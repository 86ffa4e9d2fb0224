/* The contents of the filter's set maps (filter_helpers.h describes the key
 * layouts), their description, and writing them into a loaded object. */
#include "codegen_bpf.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static sgc_bpf_map_entry *new_entry(sgc_bpf_gen *g) {
    g->entries = realloc(g->entries, (size_t)(g->nentries + 1) * sizeof *g->entries);
    if (!g->entries) abort();
    sgc_bpf_map_entry *e = &g->entries[g->nentries++];
    memset(e, 0, sizeof *e);
    return e;
}

static void comm_entry(sgc_bpf_gen *g, const sgc_kset *s, int set, const char *item, uint8_t verdict) {
    sgc_bpf_map_entry *e = new_entry(g);
    e->map = SGC_FSET_COMM_MAP;
    e->key_size = SGC_FCOMM_KEY_SIZE;
    uint32_t id = (uint32_t)s->id;
    memcpy(e->key, &id, 4);
    strncpy((char *)e->key + 4, item, 15);
    e->value = verdict;
    e->set = set;
    g->comm_entries++;
}

/* bytes[0..len) after the big-endian set id; the prefix covers all of them. */
static void lpm_entry(sgc_bpf_gen *g, const sgc_kset *s, int set, const char *bytes, size_t len,
                      uint8_t verdict) {
    if (len > SGC_FLPM_KEY_SIZE - 8) return; /* cannot be stored: no decided string is that long */
    sgc_bpf_map_entry *e = new_entry(g);
    e->map = SGC_FSET_LPM_MAP;
    e->key_size = SGC_FLPM_KEY_SIZE;
    uint32_t prefixlen = (uint32_t)(32 + len * 8);
    memcpy(e->key, &prefixlen, 4);
    uint32_t id = (uint32_t)s->id;
    e->key[4] = (uint8_t)(id >> 24);
    e->key[5] = (uint8_t)(id >> 16);
    e->key[6] = (uint8_t)(id >> 8);
    e->key[7] = (uint8_t)id;
    memcpy(e->key + 8, bytes, len);
    e->value = verdict;
    e->set = set;
    g->lpm_entries++;
}

void sgc_codegen_bpf_entries(const sgc_pushdown *pd, sgc_bpf_gen *g) {
    char buf[SGC_FLPM_KEY_SIZE];
    for (int si = 0; si < pd->nsets; si++) {
        const sgc_kset *s = pd->sets[si];
        for (int i = 0; i < s->nitems; i++) {
            const char *it = s->items[i];
            size_t len = strlen(it);
            uint8_t v = s->verdict[i];
            if (len + 2 > sizeof buf) continue;
            if (s->comm && s->kind == SGC_SET_EQ) {
                comm_entry(g, s, si, it, v);
                continue;
            }
            switch (s->kind) {
            case SGC_SET_EQ: lpm_entry(g, s, si, it, len + 1, v); break; /* with its NUL */
            case SGC_SET_PREFIX: lpm_entry(g, s, si, it, len, v); break;
            case SGC_SET_SUFFIX:
                for (size_t j = 0; j < len; j++) buf[j] = it[len - 1 - j];
                lpm_entry(g, s, si, buf, len, v);
                break;
            case SGC_SET_PMATCH:
                if (len == 1 && it[0] == '/') {
                    lpm_entry(g, s, si, "/", 1, v);
                    break;
                }
                lpm_entry(g, s, si, it, len + 1, v);
                memcpy(buf, it, len);
                buf[len] = '/';
                lpm_entry(g, s, si, buf, len + 1, v);
                break;
            }
        }
    }
}

void sgc_bpf_gen_print_maps(FILE *out, const sgc_bpf_gen *g, const sgc_pushdown *pd) {
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        const sgc_kset *s = pd->sets[e->set];
        const uint8_t *bytes;
        size_t len;
        if (e->key_size == SGC_FCOMM_KEY_SIZE) {
            bytes = e->key + 4;
            len = strnlen((const char *)bytes, 16);
        } else {
            uint32_t prefixlen;
            memcpy(&prefixlen, e->key, 4);
            bytes = e->key + 8;
            len = (prefixlen - 32) / 8;
        }
        fprintf(out, "%s set=%d %s%s %s \"", e->map, s->id, sgc_set_kind_name(s->kind),
                s->kind == SGC_SET_SUFFIX ? "(reversed)" : "", e->value == 1 ? "true" : "unknown");
        for (size_t j = 0; j < len; j++) {
            if (bytes[j] == 0) fputs("\\0", out);
            else if (bytes[j] == '"' || bytes[j] == '\\') fprintf(out, "\\%c", bytes[j]);
            else fputc(bytes[j], out);
        }
        fputs("\"\n", out);
    }
}

int sgc_bpf_gen_populate(const sgc_bpf_gen *g, struct bpf_object *obj, char *err, size_t errlen) {
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        struct bpf_map *m = bpf_object__find_map_by_name(obj, e->map);
        if (!m) {
            snprintf(err, errlen, "BPF object has no map %s", e->map);
            return -1;
        }
        int rc = bpf_map__update_elem(m, e->key, e->key_size, &e->value, 1, BPF_ANY);
        if (rc) {
            snprintf(err, errlen, "writing entry %d of %s: %s", i, e->map, strerror(-rc));
            return -1;
        }
    }
    return 0;
}
