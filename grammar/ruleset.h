/* What the loader reads from rules files and the resolver completes:
 * lists, macros and rules with their positions, in definition order. */
#ifndef SGC_RULESET_H
#define SGC_RULESET_H

#include "ast.h"
#include "fields.h"
#include "diag.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SGC_PRI_EMERGENCY,
    SGC_PRI_ALERT,
    SGC_PRI_CRITICAL,
    SGC_PRI_ERROR,
    SGC_PRI_WARNING,
    SGC_PRI_NOTICE,
    SGC_PRI_INFORMATIONAL,
    SGC_PRI_DEBUG
} sgc_priority;

const char *sgc_priority_name(sgc_priority p); /* "Warning" (Falco's output spelling) */
int sgc_priority_parse(const char *s);         /* case-insensitive, "info" ok; -1 if bad */

typedef struct sgc_pos {
    const char *file;
    int line, col;
} sgc_pos;

typedef struct sgc_list {
    char *name;
    sgc_pos pos;
    char **items; /* as written */
    sgc_pos *item_pos;
    int nitems;
    bool used;
    /* Added by the loader: */
    sgc_source *items_src; /* items joined by ", " (as written), mapped to
                                the file; items_off[i] is item i's offset */
    uint32_t *items_off;
    int index;      /* definition order (kept on redefinition) */
    int visibility; /* order of the last define/append: a list item
                                names another list only if that list's index
                                is lower (Falco's rule) */
} sgc_list;

typedef struct sgc_macro {
    char *name;
    sgc_pos pos;
    sgc_source *cond_src; /* condition text, mapped to the file */
    sgc_node *ast;        /* parsed, before expansion (NULL on parse error) */
    bool used;
    /* Added by the loader: */
    int index;      /* definition order (kept on redefinition) */
    int visibility; /* a macro sees only macros with a lower index */
    bool dirty;     /* condition changed since it was last parsed */
} sgc_macro;

typedef struct sgc_exception {
    char *name;
    sgc_pos pos;
    char **fields;
    int nfields;
    bool fields_is_list; /* `fields: [a, b]` vs `fields: a` */
    char **comps;
    int ncomps;
    /* values: each entry is one tuple (one value per field), each value a
     * string or, for `in`-style comps, a list of strings (joined as items). */
    struct sgc_exc_value {
        char **items;
        int nitems;
        bool is_list;
        sgc_pos pos;
        sgc_pos *item_pos; /* added: per item */
    } **values;
    int *nvalues_per_tuple;
    int nvalues;
    /* Added by the loader: */
    sgc_pos *field_pos; /* per field */
    sgc_pos *comp_pos;  /* per comp (NULL entries when defaulted) */
    bool comps_given;   /* comps written in the file (not defaulted) */
    bool comps_is_list;
    bool *tuple_is_list; /* values[i] written as a sequence */
    sgc_pos *tuple_pos;  /* where values[i] was written */
    sgc_pos comps_pos;   /* the comps value (when given) */
} sgc_exception;

typedef struct sgc_rule {
    char *name;
    sgc_pos pos;
    char *desc;
    sgc_source *cond_src;
    sgc_node *ast;      /* parsed condition as written */
    sgc_node *resolved; /* macros and lists expanded, exceptions appended */
    sgc_source *output_src;
    sgc_priority priority;
    char *source; /* "syscall" by default, or "k8s_audit" (fields.h) */
    char **tags;
    int ntags;
    bool enabled;
    sgc_exception *exceptions;
    int nexceptions;
    bool capture;
    int capture_duration;
    bool warn_evttypes;
    bool skip_if_unknown_filter;
    int index; /* position among the loaded rules */
    /* Added by the loader: */
    bool unknown_source; /* a source sgc does not know: skipped, warned */
    bool dirty;          /* condition changed since it was last parsed */
    sgc_source *exc_src; /* the exceptions as condition text, mapped to
                                the YAML of each field/value */
    sgc_node *exc_ast;   /* parsed exc_src: (f c v and ...) or ... */
} sgc_rule;

/* A definition that a later one replaced (for lint's "redefined" finding). */
typedef struct sgc_shadowed {
    const char *kind; /* "rule", "macro", "list" */
    char *name;
    sgc_pos old_pos, new_pos;
} sgc_shadowed;

typedef struct sgc_ruleset {
    sgc_list **lists;
    int nlists;
    sgc_macro **macros;
    int nmacros;
    sgc_rule **rules;
    int nrules;
    char *required_engine_version;
    sgc_source *sources; /* every source text allocated, for freeing */
    sgc_diags diags;
    /* Added by the loader: */
    char **files;
    int nfiles; /* interned file names (sgc_pos.file) */
    sgc_shadowed *shadowed;
    int nshadowed;
    char **required_plugins;
    int nrequired_plugins; /* "name version" */
    int next_index;        /* definition counter */
    /* internal: name -> position in rules/macros/lists, grown on lookup
     * (an entry's name must not be freed or changed while it is in the set) */
    struct sgc_ruleset_names *names;
} sgc_ruleset;

/* An empty rule set, and freeing one with everything it owns. */
sgc_ruleset *sgc_ruleset_new(void);
void sgc_ruleset_free(sgc_ruleset *rs);
/* Free every rule's condition trees (ast, resolved, exc_ast: NULL after)
 * once an evaluator has compiled them, for a run that keeps only what the
 * outputs read (names, priorities, tags, outputs): with them go the lists
 * they share (issue 18). */
void sgc_ruleset_drop_conditions(sgc_ruleset *rs);

/* Lookups by name (NULL when not defined). */
sgc_rule *sgc_ruleset_find_rule(const sgc_ruleset *rs, const char *name);
sgc_macro *sgc_ruleset_find_macro(const sgc_ruleset *rs, const char *name);
sgc_list *sgc_ruleset_find_list(const sgc_ruleset *rs, const char *name);
/* The list's position in rs->lists, or -1. */
int sgc_ruleset_list_pos(const sgc_ruleset *rs, const char *name);

/* The rule's event source (syscall when it names none). Only meaningful for
 * a rule whose source is known (!unknown_source). */
sgc_evsource sgc_rule_source(const sgc_rule *r);

/* The first non-blank byte of a rule's condition: where findings about the
 * rule point (lint, the kernel filter's lint). */
sgc_loc sgc_rule_cond_loc(const sgc_rule *r);

#endif
