/* A YAML document as a small tree that remembers where each node was
 * written (file, line, column), so the config loader can report any key or
 * value at its position after files were merged and -o overrides applied.
 *
 * Scalars keep their text and whether they were quoted; maps keep their
 * keys in order (a key written twice: the later one wins, as in yaml-cpp).
 * Names of files are not copied: the caller keeps them alive. */
#ifndef SGC_CONFIG_CNODE_H
#define SGC_CONFIG_CNODE_H

#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum { SGC_CN_NULL, SGC_CN_SCALAR, SGC_CN_MAP, SGC_CN_SEQ } sgc_cn_kind;

typedef struct sgc_cnode {
    sgc_cn_kind kind;
    char *str;   /* scalar text ("" for null) */
    bool quoted; /* a quoted scalar: never null/bool/number by style */
    const char *file;
    int line, col;
    struct sgc_cnode **keys; /* map: key scalars (with their positions) */
    struct sgc_cnode **vals; /* map values / sequence items */
    int n, cap;
} sgc_cnode;

/* Parse a YAML text (one document; an empty text is an empty map). NULL
 * with an error diagnostic at the parser's position when it is not YAML. */
sgc_cnode *sgc_cnode_parse(const char *name, const char *buf, size_t len, sgc_diags *d);
/* Parse a -o value: line 1, columns offset by col0 (the value's column in
 * the argument). */
sgc_cnode *sgc_cnode_parse_value(const char *name, const char *text, int col0, sgc_diags *d);

void sgc_cnode_free(sgc_cnode *n);
sgc_cnode *sgc_cnode_dup(const sgc_cnode *n);

/* A map's value for key, NULL when absent. */
sgc_cnode *sgc_cnode_get(const sgc_cnode *map, const char *key);
/* Set (replace or append) a map entry; takes ownership of val; key is
 * copied and placed at val's position. Returns 0, -1 out of memory. */
int sgc_cnode_map_set(sgc_cnode *map, const char *key, sgc_cnode *val);
/* Remove a key from a map (freeing its value). */
void sgc_cnode_map_del(sgc_cnode *map, const char *key);
/* Append to a sequence (takes ownership). */
int sgc_cnode_seq_push(sgc_cnode *seq, sgc_cnode *item);
sgc_cnode *sgc_cnode_new(sgc_cn_kind kind, const char *file, int line, int col);

/* True for the plain scalars YAML reads as null: "", "~", "null". */
bool sgc_cnode_is_null(const sgc_cnode *n);

#endif
