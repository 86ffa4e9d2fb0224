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

int sgc_codegen_comm_index(const sgc_pushdown *pd, int set) {
    if (set < 0 || set >= pd->nsets || !pd->sets[set]->comm || pd->sets[set]->kind != SGC_SET_EQ)
        return -1;
    int n = 0;
    for (int i = 0; i < set; i++) n += pd->sets[i]->comm && pd->sets[i]->kind == SGC_SET_EQ;
    return n;
}

int sgc_codegen_comm_verdict(const sgc_bpf_map_entry *e, int slot) {
    return (e->value[(slot / 4) % SGC_FVAL_SIZE] >> (2 * (slot % 4))) & 3;
}

/* One entry per (plane, comm): the verdicts of every set of the plane. The
 * same name twice in a set with different verdicts is UNKNOWN. */
static void comm_entry(sgc_bpf_gen *g, int cidx, int set, const char *item, uint8_t verdict) {
    if (cidx < 0 || cidx >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS) return; /* UNKNOWN in the code */
    uint8_t key[SGC_FCOMM_KEY_SIZE] = {0};
    uint32_t plane = (uint32_t)(cidx / SGC_FCOMM_PLANE_SETS);
    int slot = cidx % SGC_FCOMM_PLANE_SETS;
    memcpy(key, &plane, 4);
    strncpy((char *)key + 4, item, 15);
    sgc_bpf_map_entry *e = NULL;
    for (int i = 0; i < g->nentries && !e; i++)
        if (g->entries[i].key_size == SGC_FCOMM_KEY_SIZE && !memcmp(g->entries[i].key, key, sizeof key))
            e = &g->entries[i];
    if (!e) {
        e = new_entry(g);
        e->map = SGC_FSET_COMM_MAP;
        e->key_size = SGC_FCOMM_KEY_SIZE;
        memcpy(e->key, key, sizeof key);
        e->set = set;
        g->comm_entries++;
    }
    int old = sgc_codegen_comm_verdict(e, slot);
    int v = verdict == 1 ? 1 : 2;
    if (old && old != v) v = 2;
    uint8_t *b = &e->value[slot / 4];
    *b = (uint8_t)((*b & ~(3u << (2 * (slot % 4)))) | (unsigned)v << (2 * (slot % 4)));
}

int sgc_codegen_lpm_index(const sgc_pushdown *pd, int set) {
    if (set < 0 || set >= pd->nsets || (pd->sets[set]->comm && pd->sets[set]->kind == SGC_SET_EQ))
        return -1;
    int n = 0;
    for (int i = 0; i < set; i++) n += !(pd->sets[i]->comm && pd->sets[i]->kind == SGC_SET_EQ);
    return n;
}

/* One item's entry in one set, before the entries of a plane are merged. */
typedef struct lpm_raw {
    int set, plane, slot;
    uint8_t bytes[SGC_FLPM_KEY_SIZE];
    size_t len;
    uint8_t verdict;
} lpm_raw;

typedef struct lpm_list {
    lpm_raw *v;
    int n;
} lpm_list;

/* bytes[0..len) of set `set` (its NUL included where the match must be
 * whole). */
static void lpm_item(lpm_list *l, const sgc_pushdown *pd, int set, const char *bytes, size_t len,
                     uint8_t verdict) {
    if (len > SGC_FLPM_KEY_SIZE - 8) return; /* cannot be stored: no decided string is that long */
    l->v = realloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
    if (!l->v) abort();
    lpm_raw *r = &l->v[l->n++];
    memset(r, 0, sizeof *r);
    int li = sgc_codegen_lpm_index(pd, set);
    r->set = set;
    r->plane = li / SGC_FCOMM_PLANE_SETS;
    r->slot = li % SGC_FCOMM_PLANE_SETS;
    memcpy(r->bytes, bytes, len);
    r->len = len;
    r->verdict = verdict;
}

static void set_bits(uint8_t *value, int slot, int v) {
    uint8_t *b = &value[slot / 4];
    *b = (uint8_t)((*b & ~(3u << (2 * (slot % 4)))) | (unsigned)v << (2 * (slot % 4)));
}

/* The trie holds every distinct string of a plane's sets once, keyed by
 * plane (big endian) + bytes. A lookup's longest match E stands for every
 * set: the longest item of set S that prefixes the query is the longest
 * item of S that prefixes E (all matching items prefix the query, so they
 * prefix each other), so E's value carries, per set of the plane, the
 * verdict of that item (0 when none). */
static void lpm_entries(sgc_bpf_gen *g, const lpm_list *l) {
    for (int i = 0; i < l->n; i++) {
        const lpm_raw *r = &l->v[i];
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = l->v[j].plane == r->plane && l->v[j].len == r->len && !memcmp(l->v[j].bytes, r->bytes, r->len);
        if (seen) continue;
        sgc_bpf_map_entry *e = new_entry(g);
        e->map = SGC_FSET_LPM_MAP;
        e->key_size = SGC_FLPM_KEY_SIZE;
        uint32_t prefixlen = (uint32_t)(32 + r->len * 8);
        memcpy(e->key, &prefixlen, 4);
        uint32_t id = (uint32_t)r->plane;
        e->key[4] = (uint8_t)(id >> 24);
        e->key[5] = (uint8_t)(id >> 16);
        e->key[6] = (uint8_t)(id >> 8);
        e->key[7] = (uint8_t)id;
        memcpy(e->key + 8, r->bytes, r->len);
        e->set = r->set;
        /* per set: its longest item prefixing this string; the same item
         * twice with different verdicts is UNKNOWN */
        int *best = calloc(SGC_FCOMM_PLANE_SETS, sizeof *best);
        if (!best) abort();
        for (int j = 0; j < l->n; j++) {
            const lpm_raw *o = &l->v[j];
            if (o->plane != r->plane || o->len > r->len || memcmp(o->bytes, r->bytes, o->len)) continue;
            int v = o->verdict == 1 ? 1 : 2;
            int cur = sgc_codegen_comm_verdict(e, o->slot);
            if (!cur || (size_t)best[o->slot] < o->len) {
                best[o->slot] = (int)o->len;
                set_bits(e->value, o->slot, v);
            } else if ((size_t)best[o->slot] == o->len && cur != v) {
                set_bits(e->value, o->slot, 2);
            }
        }
        free(best);
        g->lpm_entries++;
    }
}

void sgc_codegen_bpf_entries(const sgc_pushdown *pd, sgc_bpf_gen *g) {
    char buf[SGC_FLPM_KEY_SIZE];
    lpm_list l = {0};
    for (int si = 0; si < pd->nsets; si++) {
        const sgc_kset *s = pd->sets[si];
        for (int i = 0; i < s->nitems; i++) {
            const char *it = s->items[i];
            size_t len = strlen(it);
            uint8_t v = s->verdict[i];
            if (len + 2 > sizeof buf) continue;
            if (s->comm && s->kind == SGC_SET_EQ) {
                comm_entry(g, sgc_codegen_comm_index(pd, si), si, it, v);
                continue;
            }
            switch (s->kind) {
            case SGC_SET_EQ: lpm_item(&l, pd, si, it, len + 1, v); break; /* with its NUL */
            case SGC_SET_PREFIX: lpm_item(&l, pd, si, it, len, v); break;
            case SGC_SET_SUFFIX:
                for (size_t j = 0; j < len; j++) buf[j] = it[len - 1 - j];
                lpm_item(&l, pd, si, buf, len, v);
                break;
            case SGC_SET_PMATCH:
                if (len == 1 && it[0] == '/') {
                    lpm_item(&l, pd, si, "/", 1, v);
                    break;
                }
                lpm_item(&l, pd, si, it, len + 1, v);
                memcpy(buf, it, len);
                buf[len] = '/';
                lpm_item(&l, pd, si, buf, len + 1, v);
                break;
            }
        }
    }
    lpm_entries(g, &l);
    free(l.v);
}

void sgc_bpf_gen_print_maps(FILE *out, const sgc_bpf_gen *g, const sgc_pushdown *pd) {
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        const uint8_t *bytes;
        size_t len;
        if (e->key_size == SGC_FCOMM_KEY_SIZE) {
            uint32_t plane;
            memcpy(&plane, e->key, 4);
            bytes = e->key + 4;
            len = strnlen((const char *)bytes, 16);
            fprintf(out, "%s plane=%u \"", e->map, plane);
            fwrite(bytes, 1, len, out);
            fputs("\"", out);
            for (int si = 0; si < pd->nsets; si++) {
                int c = sgc_codegen_comm_index(pd, si);
                if (c < 0 || c / SGC_FCOMM_PLANE_SETS != (int)plane) continue;
                int v = sgc_codegen_comm_verdict(e, c % SGC_FCOMM_PLANE_SETS);
                if (v) fprintf(out, " set=%d:%s", pd->sets[si]->id, v == 1 ? "true" : "unknown");
            }
            fputc('\n', out);
            continue;
        }
        uint32_t prefixlen, plane = (uint32_t)e->key[4] << 24 | (uint32_t)e->key[5] << 16 |
                                    (uint32_t)e->key[6] << 8 | e->key[7];
        memcpy(&prefixlen, e->key, 4);
        bytes = e->key + 8;
        len = (prefixlen - 32) / 8;
        fprintf(out, "%s plane=%u \"", e->map, plane);
        for (size_t j = 0; j < len; j++) {
            if (bytes[j] == 0) fputs("\\0", out);
            else if (bytes[j] == '"' || bytes[j] == '\\') fprintf(out, "\\%c", bytes[j]);
            else fputc(bytes[j], out);
        }
        fputc('"', out);
        for (int si = 0; si < pd->nsets; si++) {
            int c = sgc_codegen_lpm_index(pd, si);
            if (c < 0 || c / SGC_FCOMM_PLANE_SETS != (int)plane) continue;
            int v = sgc_codegen_comm_verdict(e, c % SGC_FCOMM_PLANE_SETS);
            if (v)
                fprintf(out, " set=%d(%s%s):%s", pd->sets[si]->id, sgc_set_kind_name(pd->sets[si]->kind),
                        pd->sets[si]->kind == SGC_SET_SUFFIX ? ", reversed" : "", v == 1 ? "true" : "unknown");
        }
        fputc('\n', out);
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
        int rc = bpf_map__update_elem(m, e->key, e->key_size, e->value, sizeof e->value, BPF_ANY);
        if (rc) {
            snprintf(err, errlen, "writing entry %d of %s: %s", i, e->map, strerror(-rc));
            return -1;
        }
    }
    return 0;
}
