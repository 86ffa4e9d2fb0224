/* Parsing one condition text (grammar/lexer.l + grammar/parser.y). */
#ifndef SGC_PARSE_H
#define SGC_PARSE_H

#include "ast.h"
#include "diag.h"

typedef struct sgc_parse_opts {
    int max_depth; /* nesting limit; 0 = default (1000) */
} sgc_parse_opts;

/* Parse src->text as a whole condition. On success returns the AST (locations
 * point into src). On a syntax error returns NULL and appends one
 * LOAD_ERR_COMPILE_CONDITION diagnostic positioned at the offending token. */
sgc_node *sgc_parse_condition(const sgc_source *src, const sgc_parse_opts *opts, sgc_diags *diags);

#endif
