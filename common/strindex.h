/* A string index: (bytes, length) -> int, open addressing, for the places
 * that must find duplicates or interned entries among many strings in
 * linear time (issue 18: lists of 100,000 items). Keys are not copied: a key
 * must outlive the index. */
#ifndef SGC_STRINDEX_H
#define SGC_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct sgc_strindex {
    struct sgc_strindex_slot {
        const char *key;
        size_t len;
        uint64_t hash;
        int val;
    } *slots;
    size_t cap, n;
} sgc_strindex;

void sgc_strindex_init(sgc_strindex *x);
void sgc_strindex_free(sgc_strindex *x);
uint64_t sgc_strhash(const char *s, size_t len);
/* The hash of a key continued by len more bytes: sgc_strhash(ab) ==
 * sgc_strhash_more(sgc_strhash(a), b), sgc_strhash("") == SGC_STRHASH_INIT. */
#define SGC_STRHASH_INIT 1469598103934665603ULL
uint64_t sgc_strhash_more(uint64_t h, const char *s, size_t len);
/* sgc_strindex_get with the key's hash already known. */
int sgc_strindex_get_hashed(const sgc_strindex *x, const char *key, size_t len, uint64_t hash);
/* The value stored for key, or -1. */
int sgc_strindex_get(const sgc_strindex *x, const char *key, size_t len);
/* Store val for key unless present; returns the value already there, or -1
 * when val was stored. */
int sgc_strindex_put(sgc_strindex *x, const char *key, size_t len, int val);

#endif
