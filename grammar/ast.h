/* The abstract syntax tree of a Falco condition.
 *
 *   expr   := and/or (n-ary) | not | macro reference | check
 *   check  := operand OP [operand]        ("exists" has no right side)
 *   operand:= field | transformer(args) | val(field) | string | (list) | list name
 *
 * Every node and operand carries its location (byte offset in its source
 * text), so later phases (resolver, type checker, lint) report positions in
 * the file the text came from, even after macro expansion. */
#ifndef SGC_AST_H
#define SGC_AST_H

#include "source.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    SGC_OP_EQ, /* = and == */
    SGC_OP_NE,
    SGC_OP_LT,
    SGC_OP_LE,
    SGC_OP_GT,
    SGC_OP_GE,
    SGC_OP_CONTAINS,
    SGC_OP_ICONTAINS,
    SGC_OP_BCONTAINS,
    SGC_OP_STARTSWITH,
    SGC_OP_BSTARTSWITH,
    SGC_OP_ENDSWITH,
    SGC_OP_GLOB,
    SGC_OP_IGLOB,
    SGC_OP_REGEX,
    SGC_OP_IN,
    SGC_OP_INTERSECTS,
    SGC_OP_PMATCH,
    SGC_OP_EXISTS,
    SGC_OP__COUNT
} sgc_op;

/* Operator spelling as printed (canonical: "=" for both = and ==). */
const char *sgc_op_name(sgc_op op);
/* Look up an operator by its spelling; returns -1 when unknown. */
int sgc_op_lookup(const char *s);
bool sgc_op_is_list(sgc_op op);    /* in, intersects, pmatch */
bool sgc_op_is_numeric(sgc_op op); /* < <= > >= */

/* A list modifier after a string operator (libsinsp 0.25):
 * `proc.name = oneof (cat, nginx)`, `fd.name startswith anyof (/etc, /usr)`.
 * Syntactic sugar over the operator applied to each item: anyof holds when
 * the operator holds for at least one item, allof for every item, oneof for
 * exactly one (`x != anyof (a, b)` is `x != a or x != b`). The right side
 * is a literal list or a list name. */
typedef enum {
    SGC_MOD_NONE,
    SGC_MOD_ONEOF,
    SGC_MOD_ANYOF,
    SGC_MOD_ALLOF,
} sgc_listmod;

const char *sgc_listmod_name(sgc_listmod m); /* "oneof", ...; "" for none */
int sgc_listmod_lookup(const char *s);       /* -1 when not a modifier */

typedef enum {
    SGC_V_FIELD,     /* proc.name, proc.aname[2], evt.arg.flags */
    SGC_V_TRANSFORM, /* tolower(fd.name), concat(a, b), ... */
    SGC_V_VAL,       /* val(proc.pname): compare against another field */
    SGC_V_STRING,    /* a literal: bare or quoted (escapes resolved) */
    SGC_V_LIST,      /* (a, b, c): items are SGC_V_STRING (or, after
                         resolution, the items of named lists spliced in) */
    SGC_V_LISTREF    /* a bare identifier after a list operator: `in shell_binaries` */
} sgc_value_kind;

/* Members ordered for packing: one value per list item, so 100,000-item
 * lists hold 100,000 of them (issue 18). */
/* The items of a named list as an artifact stores them (issue 18): strings
 * only, their bytes in one pool, a quoted bit each. A list holder may keep
 * its items so instead of as values: a 100,000-item list then costs its
 * bytes and 4 bytes an item, not a value each. */
typedef struct sgc_strpack {
    char *pool;      /* each item's bytes followed by a NUL */
    uint32_t *off;   /* n + 1 offsets into pool */
    uint8_t *quoted; /* bit i: item i was written in quotes (NULL: none) */
    int n;
    int refs; /* owners beyond the first (sgc_strpack_ref) */
} sgc_strpack;

typedef struct sgc_value {
    sgc_value_kind kind;
    bool quoted; /* SGC_V_STRING: written in quotes (never a list name) */
    int nitems;  /* of items, below */
    int refs;    /* as a share (below): owners beyond the first */
    sgc_loc loc;
    /* SGC_V_STRING: the text; SGC_V_LISTREF: the list name;
     * SGC_V_TRANSFORM: the transformer name (tolower, toupper, b64, basename,
     * len, join, concat, getopt). */
    char *str;
    /* SGC_V_FIELD and SGC_V_VAL: the field. */
    char *field;
    char *arg; /* field argument without brackets/quotes, or NULL;
                         also on SGC_V_TRANSFORM / SGC_V_VAL: the argument in
                         brackets after the call, `getopt(a, "t:")[t]` */
    sgc_loc arg_loc;
    /* SGC_V_LIST items, SGC_V_TRANSFORM arguments, SGC_V_VAL: items[0] is
     * the field operand (SGC_V_FIELD) or a nested transformer.
     * Transformer arguments are fields, transformers, literals (SGC_V_STRING:
     * quoted strings, numbers) or lists (SGC_V_LIST, whose items are then
     * fields, transformers or literals): join(",", (proc.name, "x")). */
    struct sgc_value **items;
    /* Filled by the type checker: the catalog entry of a field (opaque here). */
    const struct sgc_field_def *fdef;
    /* SGC_V_LIST whose items are those of `share` (a named list expanded
     * once by the resolver, however many checks use it): items/nitems alias
     * share's, read-only; freeing or cloning the value only drops or adds a
     * reference (issue 18: a list is stored once). */
    struct sgc_value *share;
    uint64_t checked; /* as a share: the type checker's last (field, type,
                         operator) key its items passed, 0 = none */
    /* SGC_V_LIST whose items are packed strings (items is NULL, nitems the
     * count): owned by a holder, aliased by the lists sharing it. Read the
     * items of any list with sgc_list_item. */
    sgc_strpack *pack;
} sgc_value;

typedef enum {
    SGC_N_AND,
    SGC_N_OR,
    SGC_N_NOT,
    SGC_N_MACRO, /* bare identifier: a macro reference */
    SGC_N_CHECK, /* lhs op rhs (rhs NULL for exists) */
    SGC_N_CONST  /* true/false: produced by resolution/folding, never parsed */
} sgc_node_kind;

typedef struct sgc_node {
    sgc_node_kind kind;
    sgc_loc loc;
    struct sgc_node **kids; /* AND/OR: n >= 2; NOT: 1 */
    int nkids;
    char *name;     /* MACRO */
    sgc_value *lhs; /* CHECK */
    sgc_op op;
    sgc_loc op_loc;
    sgc_listmod mod; /* CHECK: list modifier after a string operator */
    sgc_value *rhs;
    bool const_value; /* CONST */
    /* After macro expansion: the macro this subtree came from (NULL at top). */
    const char *from_macro;
} sgc_node;

/* Constructors (take ownership of children). */
sgc_node *sgc_node_new(sgc_node_kind kind, sgc_loc loc);
void sgc_node_add_kid(sgc_node *n, sgc_node *kid);
sgc_value *sgc_value_new(sgc_value_kind kind, sgc_loc loc);
void sgc_value_add_item(sgc_value *v, sgc_value *item);

void sgc_node_free(sgc_node *n);
void sgc_value_free(sgc_value *v);
sgc_node *sgc_node_clone(const sgc_node *n);
sgc_value *sgc_value_clone(const sgc_value *v);
/* Make list v (no items of its own) use holder's items; holder gains a
 * reference and must not change afterwards. */
void sgc_value_share_items(sgc_value *v, sgc_value *holder);
/* A list holder owning pack (taken over; its items are never values). */
sgc_value *sgc_value_new_packed(sgc_loc loc, sgc_strpack *pack);
/* One owner more (returns p) / one owner less, freed after the last. Not
 * atomic: owners of one pack change in one thread at a time. */
sgc_strpack *sgc_strpack_ref(sgc_strpack *p);
void sgc_strpack_free(sgc_strpack *p);
/* Item i (0 <= i < nitems) of list v: v->items[i], or for packed items a
 * string value written into *tmp (valid while tmp and v are), with v's
 * location. */
const sgc_value *sgc_list_item(const sgc_value *v, int i, sgc_value *tmp);

/* S-expression rendering, one line, used by `sgc parse` and the case files:
 *   (and (= proc.name "bash") (not (macro spawned_process)))
 *   (in evt.type (list "open" "openat"))   (= anyof proc.name (list "a" "b"))
 *   (exists proc.aname[2])   (= (tolower fd.name) (val proc.pname))
 * Strings are always double-quoted with \" and \\ escaped (\n \t \r, other
 * control bytes as \xHH); fields print as name or name[arg] (arg quoted
 * when it has blanks, brackets or quotes); list references as
 * (listref NAME); a call's bracket argument follows it: (getopt a "t:")[t].
 * Full description: docs/rules-language.md. */
void sgc_node_print_sexpr(FILE *out, const sgc_node *n);
char *sgc_node_to_sexpr(const sgc_node *n); /* malloc'd */
void sgc_value_print_sexpr(FILE *out, const sgc_value *v);

/* Falco-syntax rendering (for `explain`, printing resolved conditions):
 *   evt.type in (open, openat) and not proc.name = bash */
char *sgc_node_to_condition(const sgc_node *n); /* malloc'd */
/* The same with each shared list (sgc_value.share, named by the resolver)
 * written as its name, `x in name`, read back as a list reference (the
 * artifact's form: a list is stored once). */
char *sgc_node_to_condition_named(const sgc_node *n);

#endif
