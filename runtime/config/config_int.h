/* Internals of the config loader shared by its files: the schema walk's
 * context and the scalar parsers the custom sections reuse. */
#ifndef SGC_CONFIG_INT_H
#define SGC_CONFIG_INT_H

#include "cnode.h"
#include "config.h"

typedef struct cfg_ctx {
    sgc_conf *c;
    sgc_diags *d;
    int nerrors;
} cfg_ctx;

__attribute__((format(printf, 3, 4))) void cfg_error(cfg_ctx *x, const sgc_cnode *at,
                                                     const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void cfg_warn(cfg_ctx *x, const sgc_cnode *at,
                                                    const char *fmt, ...);

/* Scalar readers: 0 ok, -1 after reporting an error at n (key names the key). */
int cfg_bool(cfg_ctx *x, const char *key, const sgc_cnode *n, bool *out);
int cfg_str(cfg_ctx *x, const char *key, const sgc_cnode *n, char **out); /* replaces *out */
int cfg_u64(cfg_ctx *x, const char *key, const sgc_cnode *n, uint64_t min, uint64_t max,
            uint64_t *out);
int cfg_strlist(cfg_ctx *x, const char *key, const sgc_cnode *n, bool scalar_ok, sgc_strlist *out);
const char *cfg_kind_name(const sgc_cnode *n);

/* The schema walk over a merged root map. */
void cfg_apply_tree(cfg_ctx *x, const sgc_cnode *root);

/* Custom sections (config_sections.c). */
int cfg_rules(cfg_ctx *x, const char *key, const sgc_cnode *n);
int cfg_append_output(cfg_ctx *x, const char *key, const sgc_cnode *n);
int cfg_static_fields(cfg_ctx *x, const char *key, const sgc_cnode *n);
int cfg_drop_actions(cfg_ctx *x, const char *key, const sgc_cnode *n);
int cfg_enforce(cfg_ctx *x, const char *key, const sgc_cnode *n);
int cfg_config_files(cfg_ctx *x, const char *key, const sgc_cnode *n);
void cfg_sections_free(sgc_conf *c);

#endif
