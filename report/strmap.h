/* A map from byte strings (any bytes, NUL included) to fixed-size values,
 * for the report's groups (hosts, rules, images, minutes). Keys are copied
 * into the map's arena; values are zeroed on creation and never move, so
 * callers may keep pointers to them. Entries keep their insertion order. */
#ifndef SGC_REPORT_STRMAP_H
#define SGC_REPORT_STRMAP_H

#include "arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sgc_strmap_entry {
    const char *key; /* NUL-terminated copy; len excludes the NUL */
    size_t len;
    void *val;
} sgc_strmap_entry;

typedef struct sgc_strmap {
    uint32_t *slots;  /* 0 = empty, else entry index + 1 */
    uint64_t *hashes; /* per entry */
    size_t cap;       /* slots, a power of two */
    sgc_strmap_entry *ent;
    size_t n, ent_cap;
    size_t val_size;
    sgc_arena arena;
} sgc_strmap;

void sgc_strmap_init(sgc_strmap *m, size_t val_size);
void sgc_strmap_free(sgc_strmap *m);
/* The value for key, created (zeroed) when absent; *created says which.
 * NULL only when memory runs out. */
void *sgc_strmap_upsert(sgc_strmap *m, const char *key, size_t len, int *created);
/* The value for key or NULL. */
void *sgc_strmap_find(const sgc_strmap *m, const char *key, size_t len);

#endif
