/* Type checking of conditions and outputs against the field catalog.
 *
 * Conditions: every field is resolved (sgc_value.fdef is filled), operators
 * are checked against field types, literals against the field's type (numbers,
 * booleans, addresses and CIDRs, hex for bcontains, PCRE2 syntax for regex),
 * evt.type values against the event table, transformers against their
 * arity and argument types, field arguments against the field's form.
 * Outputs: every %field of a template.
 *
 * Diagnostic codes:
 *   LOAD_ERR_COMPILE_CONDITION  error in a condition (Falco's code)
 *   LOAD_ERR_COMPILE_OUTPUT     error in an output (Falco's code)
 *   LOAD_DEPRECATED_ITEM        warning: a deprecated field is used
 *   SGC_UNKNOWN_CONSTANT        warning: a value that looks like a constant
 *                               name (errno, capability, flag) but is none
 *                               (`evt.res = EACCESS` never matches)
 *   SGC_UNKNOWN_EVT_ARG         warning: evt.arg.NAME / evt.rawarg.NAME with a
 *                               NAME no decoded syscall has */
#ifndef SGC_TYPECHECK_H
#define SGC_TYPECHECK_H

#include "ast.h"
#include "diag.h"
#include "fields.h"
#include "source.h"

#define SGC_CODE_COMPILE_CONDITION      "LOAD_ERR_COMPILE_CONDITION"
#define SGC_CODE_COMPILE_OUTPUT         "LOAD_ERR_COMPILE_OUTPUT"
#define SGC_CODE_DEPRECATED             "LOAD_DEPRECATED_ITEM"
/* a warning of the condition compiler (Falco's LOAD_COMPILE_CONDITION) */
#define SGC_CODE_COMPILE_CONDITION_WARN "LOAD_COMPILE_CONDITION"
#define SGC_CODE_UNKNOWN_CONSTANT       "SGC_UNKNOWN_CONSTANT"
#define SGC_CODE_UNKNOWN_EVT_ARG        "SGC_UNKNOWN_EVT_ARG"

/* Checks a condition (parsed or resolved; macro references and unresolved
 * list names are skipped). Fills fdef of every field operand. Appends
 * diagnostics to D; returns the number of errors it added. */
int sgc_typecheck_condition(sgc_node *n, sgc_diags *d);

/* For conditions checked before list expansion (a macro as written): bare
 * list items that name a list (`fd.sport in (ssh_ports)`) are list
 * references, not literals. IS_LIST_NAME tells which names are lists. */
typedef struct sgc_typecheck_opts {
    bool (*is_list_name)(void *ctx, const char *name);
    void *ctx;
    sgc_evsource source; /* whose field catalog applies (0 = syscall) */
} sgc_typecheck_opts;
int sgc_typecheck_condition_ex(sgc_node *n, sgc_diags *d, const sgc_typecheck_opts *opts);

/* Checks every %field of an output template. Returns the number of errors
 * added. */
int sgc_typecheck_output(const sgc_source *out, sgc_diags *d);
/* The same for the rules of event source SRC (its field catalog). */
int sgc_typecheck_condition_src(sgc_node *n, sgc_diags *d, sgc_evsource src);
int sgc_typecheck_output_src(const sgc_source *out, sgc_diags *d, sgc_evsource src);

/* The type an operand produces after type checking (a field, a transformer
 * chain, val(field)): false if it was not checked or is invalid. */
typedef struct sgc_operand_type {
    sgc_ftype type;
    bool is_list;
} sgc_operand_type;
bool sgc_operand_type_of(const sgc_value *v, sgc_operand_type *out);

/* Transformers: known names and what they take. */
bool sgc_transformer_known(const char *name);

#endif
