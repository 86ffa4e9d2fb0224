/* State shared by the reentrant lexer (lexer.l), the pure parser (parser.y)
 * and the entry point (parse.c) while one condition is parsed. Internal to
 * grammar/: the rest of the project uses parse.h. */
#ifndef SGC_PARSE_CTX_H
#define SGC_PARSE_CTX_H

#include "ast.h"
#include "diag.h"

#include <stdbool.h>
#include <stdint.h>

/* A token's extent: byte offsets [first, last) in the source text. */
typedef struct sgc_span {
    uint32_t first, last;
} sgc_span;

typedef struct sgc_parse_ctx {
    const sgc_source *src;
    sgc_diags *diags;
    sgc_node *result; /* set by the start rule */
    bool failed;      /* a diagnostic was reported */
    void *scanner;    /* yyscan_t */
    const char *base; /* start of the lexer's buffer: offsets are yytext - base */
    uint32_t len;     /* length of the text */

    /* Nesting guard, kept by the lexer so that it fires before the parser
     * stack grows: depth counts open parentheses plus pending `not`s. */
    int max_depth;
    int depth;
    int pending_nots; /* `not`s since the last '(' / 'and' / 'or' */
    int *saved_nots;  /* per open parenthesis: pending_nots outside it */
    int nsaved;

    /* For error messages: the last two tokens returned, as written (cur is
     * the parser's lookahead when a syntax error is found). */
    int cur_token, prev_token;
    char cur_text[128], prev_text[128];
    bool cur_truncated;
    uint32_t cur_first, cur_last; /* extent of the lookahead */
    uint32_t prev_last;           /* where the token before it ends */
    /* The last operator, so that a missing value reads
     * "expected a value after 'startswith'". */
    char last_op[16];
} sgc_parse_ctx;

/* Report a syntax error at [off...] (the message is printf-style). Only the
 * first error of a parse is kept. */
__attribute__((format(printf, 3, 4))) void sgc_parse_error(sgc_parse_ctx *ctx, uint32_t off,
                                                           const char *fmt, ...);

#endif
