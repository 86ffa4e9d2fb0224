/* Shared between the loader's files (loader*.c, ruleset.c); not public. */
#ifndef SGC_LOADER_INTERNAL_H
#define SGC_LOADER_INTERNAL_H

#include "loader.h"
#include "yamlmap.h"

#include <stdbool.h>
#include <yaml.h>

/* Loading state for one file. */
typedef struct sgc_ld {
    sgc_ruleset *rs;
    sgc_yfile yf;
    const char *file;     /* interned in rs->files */
    yaml_document_t *doc; /* the document being read */
    bool item_failed;     /* an error was reported for the current item */
} sgc_ld;

/* Frees (ruleset.c). */
void sgc_list_free(sgc_list *l);
void sgc_macro_free(sgc_macro *m);
void sgc_rule_free(sgc_rule *r);
void sgc_exception_clear(sgc_exception *e);

/* Positions and diagnostics (loader_yaml.c). */
sgc_pos sgc_ld_pos(sgc_ld *ld, const yaml_node_t *n);
__attribute__((format(printf, 5, 6))) void sgc_ld_diag(sgc_ld *ld, sgc_severity sev,
                                                       const char *code, const yaml_node_t *at,
                                                       const char *fmt, ...);
void sgc_ld_diag_item(sgc_ld *ld, const char *kind, const char *name);

/* Node access (loader_yaml.c). */
yaml_node_t *sgc_ld_node(sgc_ld *ld, int id);
yaml_node_t *sgc_ld_get(sgc_ld *ld, const yaml_node_t *map, const char *key, yaml_node_t **keynode);
bool sgc_ld_is_null(const yaml_node_t *n);
const char *sgc_ld_str(const yaml_node_t *n); /* scalar value or NULL */
int sgc_ld_seq_len(const yaml_node_t *n);
yaml_node_t *sgc_ld_seq_at(sgc_ld *ld, const yaml_node_t *n, int i);

/* Decoding with Falco's checks; each reports an LOAD_ERR_YAML_VALIDATE error
 * on `item` (missing key) or the value (wrong type) and returns false. When
 * an optional key is absent they return true and leave *out unchanged. */
bool sgc_ld_string(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional,
                   const char **out, yaml_node_t **valnode);
bool sgc_ld_bool(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional, bool *out,
                 bool *present);
bool sgc_ld_uint(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional, long *out,
                 bool *present);
/* A sequence of scalars (tags, items). */
bool sgc_ld_strseq(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional,
                   yaml_node_t **seqnode, bool *present);

/* A new source for a scalar's value, mapped to the file, owned by rs. */
sgc_source *sgc_ld_scalar_source(sgc_ld *ld, const yaml_node_t *n, bool trim);
/* a + " " + b as one source, each byte keeping its own file position. */
sgc_source *sgc_ld_join_sources(sgc_ruleset *rs, const sgc_source *a, const sgc_source *b);
void sgc_ld_own_source(sgc_ruleset *rs, sgc_source *s);

/* Position of the first byte of a scalar's value (after any quote). */
sgc_pos sgc_ld_value_pos(sgc_ld *ld, const yaml_node_t *n);

/* `override:` of an item: for each key, append or replace. */
typedef enum { SGC_OVR_NONE, SGC_OVR_APPEND, SGC_OVR_REPLACE } sgc_ovr_op;
typedef struct sgc_overrides {
    struct {
        const char *key;
        sgc_ovr_op op;
        yaml_node_t *keynode;
    } v[16];
    int n;
    yaml_node_t *node; /* the override mapping, NULL when absent */
} sgc_overrides;
bool sgc_ld_read_overrides(sgc_ld *ld, const yaml_node_t *item, const char *const *can_append,
                           const char *const *can_replace, sgc_overrides *out);
sgc_ovr_op sgc_ld_override_of(const sgc_overrides *o, const char *key);

/* Record that a definition replaced an earlier one. */
void sgc_ld_shadowed(sgc_ruleset *rs, const char *kind, const char *name, sgc_pos old_pos,
                     sgc_pos new_pos);

/* Warn about keys outside `known` (NULL-terminated). */
void sgc_ld_check_keys(sgc_ld *ld, const yaml_node_t *item, const char *kind,
                       const char *const *known);

/* Items (loader_items.c / loader_rule.c / loader_exceptions.c). */
void sgc_ld_read_list(sgc_ld *ld, yaml_node_t *item);
void sgc_ld_read_macro(sgc_ld *ld, yaml_node_t *item);
void sgc_ld_read_rule(sgc_ld *ld, yaml_node_t *item);
void sgc_ld_read_engine_version(sgc_ld *ld, yaml_node_t *item);
void sgc_ld_read_plugin_versions(sgc_ld *ld, yaml_node_t *item);

/* Read `exceptions:` of a rule item into a new array; append: fields/comps
 * optional (appending values to an existing exception). */
bool sgc_ld_read_exceptions(sgc_ld *ld, const yaml_node_t *item, bool append, sgc_exception **out,
                            int *nout);
/* Falco's checks on a complete exception (comps defaults, lengths, operators). */
bool sgc_ld_validate_exception(sgc_ld *ld, sgc_exception *ex);
/* Build rule->exc_src from rule->exceptions ("not (...) and not (...)");
 * NULL when there are no exception values. */
sgc_source *sgc_ld_exceptions_source(sgc_ruleset *rs, const sgc_rule *r);

/* Parse every condition changed by this load (end of each file). */
void sgc_ld_parse_dirty(sgc_ruleset *rs);

char *sgc_ld_strdup(const char *s);
#endif
