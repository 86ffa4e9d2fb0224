/* The optimizer's intermediate form of a rule condition.
 *
 * The resolved AST (macros and lists expanded) becomes a tree of n-ary
 * and/or, not, Kleene constants and atoms. An atom is one check with a
 * constant right-hand side: (field[arg], operator, constant strings). Atoms
 * are interned in a table shared by every rule of a rule set, so an atom that
 * several rules use (`proc.name in (shell_binaries)`) is one entry, evaluated
 * once per event.
 *
 * Constants are three-valued (Kleene): TRUE, FALSE and UNKNOWN, the value the
 * kernel gives an atom it cannot decide. Folding only applies laws that hold
 * in Kleene logic (`not` swaps TRUE and FALSE and keeps UNKNOWN; `x and not x`
 * is NOT folded: it is UNKNOWN when x is). */
#ifndef SGC_IR_H
#define SGC_IR_H

#include "ast.h"
#include "strindex.h"
#include <stdbool.h>
#include <stdio.h>

typedef enum { SGC_K_FALSE = 0, SGC_K_TRUE = 1, SGC_K_UNKNOWN = 2 } sgc_kleene;

const char *sgc_kleene_name(sgc_kleene k); /* "false", "true", "unknown" */
sgc_kleene sgc_kleene_not(sgc_kleene a);
sgc_kleene sgc_kleene_and(sgc_kleene a, sgc_kleene b);
sgc_kleene sgc_kleene_or(sgc_kleene a, sgc_kleene b);

typedef struct sgc_ir_atom {
    int id;      /* index in its sgc_ir_atoms table */
    char *field; /* "fd.name", "proc.aname", "evt.arg.flags"; NULL when
                               the left side is a transformer (tolower(...)) */
    char *arg;   /* field argument ("2" for proc.aname[2]) or NULL */
    sgc_op op;
    /* Right-hand side: `nvals` constant strings (one for scalar operators, the
     * items for in/intersects/pmatch, none for exists). */
    char **vals;
    int nvals;
    bool rhs_is_list;       /* written as a list (even of one item) */
    bool rhs_is_field;      /* val(other.field): not a constant */
    char *text;             /* canonical Falco text of the check; the interning key */
    sgc_loc loc;            /* where the (first) check was written */
    const char *from_macro; /* macro it came from, for explain (may be NULL) */
    char *share_key;        /* field, operator and shared list (sgc_value.share)
                               of the check: finds the atom without printing
                               or copying the list again (issue 18) */
} sgc_ir_atom;

typedef struct sgc_ir_atoms {
    sgc_ir_atom **v;
    int n, cap;
    sgc_strindex index; /* text (and shared-list key) -> atom id */
} sgc_ir_atoms;

void sgc_ir_atoms_init(sgc_ir_atoms *t);
void sgc_ir_atoms_free(sgc_ir_atoms *t);

typedef enum { SGC_IR_CONST, SGC_IR_AND, SGC_IR_OR, SGC_IR_NOT, SGC_IR_ATOM } sgc_ir_kind;

typedef struct sgc_ir {
    sgc_ir_kind kind;
    sgc_kleene value;     /* CONST */
    int atom;             /* ATOM: index into the atom table */
    struct sgc_ir **kids; /* AND/OR: n >= 2 after folding; NOT: 1 */
    int nkids;
} sgc_ir;

/* Build the IR of a resolved condition, interning its atoms in `atoms`.
 * Unresolved macro references (should not happen after resolution) become
 * UNKNOWN constants, so the result stays sound. The result is folded. */
sgc_ir *sgc_ir_from_ast(const sgc_node *cond, sgc_ir_atoms *atoms);

sgc_ir *sgc_ir_const(sgc_kleene v);
sgc_ir *sgc_ir_atom_ref(int atom);
sgc_ir *sgc_ir_new(sgc_ir_kind kind); /* AND/OR/NOT with no kids yet */
void sgc_ir_add_kid(sgc_ir *n, sgc_ir *kid);
sgc_ir *sgc_ir_clone(const sgc_ir *n);
void sgc_ir_free(sgc_ir *n);

/* Fold constants in place (consumes n, returns the folded tree): flattens
 * nested and/or, drops neutral constants, absorbs dominating ones,
 * double negation, not of a constant, single-kid and/or. */
sgc_ir *sgc_ir_fold(sgc_ir *n);

/* Negation normal form: a new tree where `not` appears only directly above
 * atoms (Kleene De Morgan laws hold, so this is exact). */
sgc_ir *sgc_ir_nnf(const sgc_ir *n);

/* Replace atoms by constants: value_of(atom) returns TRUE/FALSE/UNKNOWN to
 * substitute, or -1 to keep the atom. Returns a new folded tree. */
sgc_ir *sgc_ir_substitute(const sgc_ir *n, int (*value_of)(int atom, void *ud), void *ud);

/* Kleene evaluation with atom values from value_of (never -1 here). */
sgc_kleene sgc_ir_eval(const sgc_ir *n, sgc_kleene (*value_of)(int atom, void *ud), void *ud);

/* Atoms used by n, in first-use order, each once (ids appended to *out,
 * a malloc'd array of *nout ints). */
void sgc_ir_collect_atoms(const sgc_ir *n, int **out, int *nout);

/* Falco-syntax rendering: `(a and not b) or c`; constants as true/false/unknown. */
void sgc_ir_print(FILE *out, const sgc_ir *n, const sgc_ir_atoms *atoms);
char *sgc_ir_to_string(const sgc_ir *n, const sgc_ir_atoms *atoms); /* malloc'd */

#endif
