/* Entry point: run the reentrant lexer and the pure parser over one
 * condition text, turning the first syntax error into a diagnostic. */
#include "parse.h"
#include "parse_ctx.h"
#include "parser.h"
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SGC_DEFAULT_MAX_DEPTH 1000
#define SGC_MAX_MAX_DEPTH     100000

void sgc_parse_error(sgc_parse_ctx *ctx, uint32_t off, const char *fmt, ...)
{
    if (ctx->failed) return;
    ctx->failed = true;
    sgc_loc loc = {ctx->src, off};
    va_list ap;
    va_start(ap, fmt);
    sgc_diag_vat(ctx->diags, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", loc, fmt, ap);
    va_end(ap);
}

sgc_node *sgc_parse_condition(const sgc_source *src, const sgc_parse_opts *opts, sgc_diags *diags)
{
    sgc_parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.src = src;
    ctx.diags = diags;
    ctx.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : SGC_DEFAULT_MAX_DEPTH;
    if (ctx.max_depth > SGC_MAX_MAX_DEPTH) ctx.max_depth = SGC_MAX_MAX_DEPTH;
    ctx.saved_nots = calloc((size_t)ctx.max_depth + 2, sizeof *ctx.saved_nots);

    /* A NUL would end the C strings the AST holds: refuse it up front. */
    const char *nul = memchr(src->text, '\0', src->len);
    if (nul) {
        sgc_parse_error(&ctx, (uint32_t)(nul - src->text),
                        "unexpected character 0x00 (NUL) in condition");
        free(ctx.saved_nots);
        return NULL;
    }

    /* flex scans in place a buffer that ends with two NULs; offsets of
     * tokens are then pointer differences from its start. */
    size_t len = src->len;
    char *buf = malloc(len + 2);
    if (!buf || !ctx.saved_nots) abort();
    memcpy(buf, src->text, len);
    buf[len] = buf[len + 1] = '\0';
    ctx.base = buf;
    ctx.len = (uint32_t)len;

    yyscan_t scanner;
    if (sgc_yylex_init_extra(&ctx, &scanner) != 0) abort();
    ctx.scanner = scanner;
    YY_BUFFER_STATE b = sgc_yy_scan_buffer(buf, len + 2, scanner);
    int rc = sgc_yyparse(scanner, &ctx);
    sgc_yy_delete_buffer(b, scanner);
    sgc_yylex_destroy(scanner);
    free(buf);
    free(ctx.saved_nots);

    if (rc != 0 || !ctx.result) {
        if (!ctx.failed) sgc_parse_error(&ctx, 0, rc == 2 ? "condition too large" : "syntax error");
        sgc_node_free(ctx.result);
        return NULL;
    }
    return ctx.result;
}
