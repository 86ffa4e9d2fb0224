/* The contents of the filter's set maps (filter_helpers.h describes the key
 * layouts), their description, and writing them into a loaded object. */
#include "codegen_bpf.h"
#include "strindex.h"

#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static sgc_bpf_map_entry *new_entry(sgc_bpf_gen *g)
{
    int n = g->nentries;
    if (n < 4 || (n & (n - 1)) == 0) { /* capacity: the next power of two */
        g->entries = realloc(g->entries, (n < 4 ? 4 : (size_t)n * 2) * sizeof *g->entries);
        if (!g->entries) abort();
    }
    sgc_bpf_map_entry *e = &g->entries[g->nentries++];
    memset(e, 0, sizeof *e);
    e->value_size = SGC_FVAL_SIZE;
    return e;
}

int sgc_codegen_comm_index(const sgc_pushdown *pd, int set)
{
    if (set < 0 || set >= pd->nsets || !pd->sets[set]->comm || pd->sets[set]->kind != SGC_SET_EQ)
        return -1;
    /* index guard sets first (pushdown_index.h): the planes are few, and a
     * guard beyond them is UNKNOWN, which evaluates its whole chunk */
    bool guard = pd->sets[set]->guard;
    int n = 0;
    for (int i = 0; i < pd->nsets; i++) {
        const sgc_kset *s = pd->sets[i];
        if (!s->comm || s->kind != SGC_SET_EQ) continue;
        if (guard ? s->guard && i < set : s->guard || i < set) n++;
    }
    return n;
}

int sgc_codegen_comm_verdict(const sgc_bpf_map_entry *e, int slot)
{
    return (e->value[(slot / 4) % SGC_FVAL_SIZE] >> (2 * (slot % 4))) & 3;
}

/* One entry per (plane, comm): the verdicts of every set of the plane. The
 * same name twice in a set with different verdicts is UNKNOWN. */
/* The comm entries made so far: key -> entry index; the keys are stable
 * copies (the entries array moves as it grows). */
typedef struct comm_index {
    sgc_strindex x;
    uint8_t **keys;
    int n;
} comm_index;

static void comm_entry(sgc_bpf_gen *g, comm_index *ci, int cidx, int set, const char *item,
                       uint8_t verdict)
{
    if (cidx < 0 || cidx >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
        return; /* UNKNOWN in the code */
    uint8_t key[SGC_FCOMM_KEY_SIZE] = {0};
    uint32_t plane = (uint32_t)(cidx / SGC_FCOMM_PLANE_SETS);
    int slot = cidx % SGC_FCOMM_PLANE_SETS;
    memcpy(key, &plane, 4);
    strncpy((char *)key + 4, item, 15);
    sgc_bpf_map_entry *e = NULL;
    int at = sgc_strindex_get(&ci->x, (const char *)key, sizeof key);
    if (at >= 0) e = &g->entries[at];
    if (!e) {
        ci->keys = realloc(ci->keys, (size_t)(ci->n + 1) * sizeof *ci->keys);
        uint8_t *copy = malloc(sizeof key);
        if (!ci->keys || !copy) abort();
        memcpy(copy, key, sizeof key);
        ci->keys[ci->n++] = copy;
        sgc_strindex_put(&ci->x, (const char *)copy, sizeof key, g->nentries);
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

int sgc_codegen_lpm_index(const sgc_pushdown *pd, int set)
{
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
static void lpm_item(lpm_list *l, int li, int set, const char *bytes, size_t len, uint8_t verdict)
{
    if (len > SGC_FLPM_KEY_SIZE - 8) return; /* cannot be stored: no decided string is that long */
    int n = l->n;
    if (n < 4 || (n & (n - 1)) == 0) { /* capacity: the next power of two */
        l->v = realloc(l->v, (n < 4 ? 4 : (size_t)n * 2) * sizeof *l->v);
        if (!l->v) abort();
    }
    lpm_raw *r = &l->v[l->n++];
    memset(r, 0, sizeof *r);
    r->set = set;
    r->plane = li / SGC_FCOMM_PLANE_SETS;
    r->slot = li % SGC_FCOMM_PLANE_SETS;
    memcpy(r->bytes, bytes, len);
    r->len = len;
    r->verdict = verdict;
}

static void set_bits(uint8_t *value, int slot, int v)
{
    uint8_t *b = &value[slot / 4];
    *b = (uint8_t)((*b & ~(3u << (2 * (slot % 4)))) | (unsigned)v << (2 * (slot % 4)));
}

/* The trie holds every distinct string of a plane's sets once, keyed by
 * plane (big endian) + bytes. A lookup's longest match E stands for every
 * set: the longest item of set S that prefixes the query is the longest
 * item of S that prefixes E (all matching items prefix the query, so they
 * prefix each other), so E's value carries, per set of the plane, the
 * verdict of that item (0 when none). */
#define LPM_IKEY (SGC_FLPM_KEY_SIZE + 4)

/* Raw item i's index key: plane (4 bytes) + its bytes. */
static size_t lpm_ikey(const lpm_raw *r, char *key)
{
    memcpy(key, &r->plane, 4);
    memcpy(key + 4, r->bytes, r->len);
    return 4 + r->len;
}

static void lpm_entries(sgc_bpf_gen *g, const lpm_list *l)
{
    /* every raw item indexed by plane + bytes (head: the first with that
     * key, next: the others), so the entries and each entry's prefixes are
     * found by lookups instead of scans (issue 18: 100,000-item lists) */
    char *keys = malloc((size_t)(l->n + 1) * LPM_IKEY);
    int *next = malloc((size_t)(l->n + 1) * sizeof *next);
    int *last = malloc((size_t)(l->n + 1) * sizeof *last);
    if (!keys || !next || !last) abort();
    sgc_strindex x;
    sgc_strindex_init(&x);
    for (int i = 0; i < l->n; i++) {
        char *k = keys + (size_t)i * LPM_IKEY;
        size_t kl = lpm_ikey(&l->v[i], k);
        next[i] = -1;
        last[i] = i;
        int head = sgc_strindex_put(&x, k, kl, i);
        if (head >= 0) {
            next[last[head]] = i;
            last[head] = i;
            last[i] = -2; /* not a head */
        }
    }
    for (int i = 0; i < l->n; i++) {
        if (last[i] == -2) continue; /* the same string of the plane: one entry */
        const lpm_raw *r = &l->v[i];
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
        int best[SGC_FCOMM_PLANE_SETS] = {0};
        const char *k = keys + (size_t)i * LPM_IKEY;
        uint64_t h = sgc_strhash(k, 4);
        for (size_t plen = 0; plen <= r->len; plen++) {
            if (plen) h = sgc_strhash_more(h, k + 4 + plen - 1, 1);
            for (int j = sgc_strindex_get_hashed(&x, k, 4 + plen, h); j >= 0; j = next[j]) {
                const lpm_raw *o = &l->v[j];
                int v = o->verdict == 1 ? 1 : 2;
                int cur = sgc_codegen_comm_verdict(e, o->slot);
                if (!cur || (size_t)best[o->slot] < o->len) {
                    best[o->slot] = (int)o->len;
                    set_bits(e->value, o->slot, v);
                } else if ((size_t)best[o->slot] == o->len && cur != v) {
                    set_bits(e->value, o->slot, 2);
                }
            }
        }
        g->lpm_entries++;
    }
    sgc_strindex_free(&x);
    free(keys);
    free(next);
    free(last);
}

/* The items of the address lists the kernel tests in sgc_fset_addr
 * (sgc_codegen_addr_in_map), one entry each: the network's bits beyond its
 * prefix are cleared (parse_cidr of pushdown_sock.c keeps them). */
static void addr_entries(const sgc_pushdown *pd, sgc_bpf_gen *g)
{
    for (int a = 0; a < pd->nkatoms; a++) {
        const sgc_katom *k = pd->katoms[a];
        if (!sgc_codegen_addr_in_map(k)) continue;
        for (int i = 0; i + 2 < k->nnums; i += 3) {
            int fam = (int)(k->nums[i] >> 8), bits = (int)(k->nums[i] & 0xff);
            uint8_t addr[16];
            for (int j = 0; j < 8; j++) {
                addr[j] = (uint8_t)((uint64_t)k->nums[i + 1] >> (56 - 8 * j));
                addr[8 + j] = (uint8_t)((uint64_t)k->nums[i + 2] >> (56 - 8 * j));
            }
            for (int b = bits; b < 128; b++) addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
            sgc_bpf_map_entry *e = new_entry(g);
            e->map = SGC_FSET_ADDR_MAP;
            e->key_size = SGC_FADDR_KEY_SIZE;
            e->value_size = 1;
            e->value[0] = 1;
            e->set = -1;
            uint32_t prefixlen = (uint32_t)(40 + bits), id = (uint32_t)k->id;
            memcpy(e->key, &prefixlen, 4);
            for (int j = 0; j < 4; j++) e->key[4 + j] = (uint8_t)(id >> (24 - 8 * j));
            e->key[8] = (uint8_t)fam;
            memcpy(e->key + 9, addr, 16);
            g->addr_entries++;
        }
    }
}

void sgc_codegen_bpf_entries(const sgc_pushdown *pd, sgc_bpf_gen *g)
{
    char buf[SGC_FLPM_KEY_SIZE];
    lpm_list l = {0};
    comm_index ci = {0};
    int lpm_next = 0; /* sgc_codegen_lpm_index, counted along */
    for (int si = 0; si < pd->nsets; si++) {
        const sgc_kset *s = pd->sets[si];
        bool is_comm = s->comm && s->kind == SGC_SET_EQ;
        int li = is_comm ? -1 : lpm_next++, cidx = is_comm ? sgc_codegen_comm_index(pd, si) : -1;
        for (int i = 0; i < s->nitems; i++) {
            const char *it = s->items[i];
            size_t len = strlen(it);
            uint8_t v = s->verdict[i];
            if (len + 2 > sizeof buf) continue;
            if (s->comm && s->kind == SGC_SET_EQ) {
                comm_entry(g, &ci, cidx, si, it, v);
                continue;
            }
            switch (s->kind) {
            case SGC_SET_EQ: lpm_item(&l, li, si, it, len + 1, v); break; /* with its NUL */
            case SGC_SET_PREFIX: lpm_item(&l, li, si, it, len, v); break;
            case SGC_SET_SUFFIX:
                for (size_t j = 0; j < len; j++) buf[j] = it[len - 1 - j];
                lpm_item(&l, li, si, buf, len, v);
                break;
            case SGC_SET_PMATCH:
                if (len == 1 && it[0] == '/') {
                    lpm_item(&l, li, si, "/", 1, v);
                    break;
                }
                lpm_item(&l, li, si, it, len + 1, v);
                memcpy(buf, it, len);
                buf[len] = '/';
                lpm_item(&l, li, si, buf, len + 1, v);
                break;
            }
        }
    }
    lpm_entries(g, &l);
    addr_entries(pd, g);
    free(l.v);
    for (int i = 0; i < ci.n; i++) free(ci.keys[i]);
    free(ci.keys);
    sgc_strindex_free(&ci.x);
}

void sgc_bpf_gen_print_maps(FILE *out, const sgc_bpf_gen *g, const sgc_pushdown *pd)
{
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        const uint8_t *bytes;
        size_t len;
        if (e->key_size == SGC_FADDR_KEY_SIZE) {
            uint32_t prefixlen, id = (uint32_t)e->key[4] << 24 | (uint32_t)e->key[5] << 16 |
                                     (uint32_t)e->key[6] << 8 | e->key[7];
            memcpy(&prefixlen, e->key, 4);
            char txt[INET6_ADDRSTRLEN];
            inet_ntop(e->key[8] == 4 ? AF_INET : AF_INET6, e->key + 9, txt, sizeof txt);
            fprintf(out, "%s atom=%u %s/%u\n", e->map, id, txt, prefixlen - 40);
            continue;
        }
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
            if (bytes[j] == 0)
                fputs("\\0", out);
            else if (bytes[j] == '"' || bytes[j] == '\\')
                fprintf(out, "\\%c", bytes[j]);
            else
                fputc(bytes[j], out);
        }
        fputc('"', out);
        for (int si = 0; si < pd->nsets; si++) {
            int c = sgc_codegen_lpm_index(pd, si);
            if (c < 0 || c / SGC_FCOMM_PLANE_SETS != (int)plane) continue;
            int v = sgc_codegen_comm_verdict(e, c % SGC_FCOMM_PLANE_SETS);
            if (v)
                fprintf(out, " set=%d(%s%s):%s", pd->sets[si]->id,
                        sgc_set_kind_name(pd->sets[si]->kind),
                        pd->sets[si]->kind == SGC_SET_SUFFIX ? ", reversed" : "",
                        v == 1 ? "true" : "unknown");
        }
        fputc('\n', out);
    }
}

int sgc_bpf_gen_populate(const sgc_bpf_gen *g, struct bpf_object *obj, char *err, size_t errlen)
{
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        struct bpf_map *m = bpf_object__find_map_by_name(obj, e->map);
        if (!m) {
            snprintf(err, errlen, "BPF object has no map %s", e->map);
            return -1;
        }
        int rc = bpf_map__update_elem(m, e->key, e->key_size, e->value, e->value_size, BPF_ANY);
        if (rc) {
            snprintf(err, errlen, "writing entry %d of %s: %s", i, e->map, strerror(-rc));
            return -1;
        }
    }
    return 0;
}
