/* Grammar of Falco conditions (pure, reentrant; locations are byte offsets).
 *
 *   condition := or_expr
 *   or_expr   := and_expr ('or' and_expr)*          n-ary, left to right
 *   and_expr  := not_expr ('and' not_expr)*
 *   not_expr  := 'not' not_expr | primary
 *   primary   := '(' or_expr ')' | MACRO | check
 *   check     := lhs 'exists' | lhs strop rhs | lhs numop nrhs | lhs listop lrhs
 *              | lhs strop LISTMOD mlist       (oneof/anyof/allof, libsinsp 0.25)
 *   lhs       := field | transformer
 *   field     := FIELD | FIELD '[' ARG ']'
 *   transformer := NAME '(' targ (',' targ)* ')' ['[' ARG ']']
 *   targ      := field | transformer | "quoted" | number | '(' [titem (',' titem)*] ')'
 *   titem     := field | transformer | "quoted" | number
 *   val       := 'val(' field ')' ['[' ARG ']']
 *   rhs       := string | transformer | val
 *   nrhs      := number | transformer | val
 *   lrhs      := '(' [string (',' string)*] ')' | LISTNAME | transformer | val
 *   mlist     := '(' [string (',' string)*] ')' | LISTNAME
 *
 * Transformer arguments follow current falcosecurity/libs: join(sep, list),
 * concat(a, b, ...), getopt(args, optstring)[opt] take literals and lists;
 * their arity and types are the type checker's business, not the grammar's.
 *
 * The whitespace rules (`and`/`or`/`not` followed by a blank or '(') live in
 * the lexer. Syntax errors are reported by yyreport_syntax_error below, in
 * words a rule author understands. */
%code requires {
#include "parse_ctx.h"

/* A nonterminal spans from its first symbol to its last; an empty one sits
 * at the end of what precedes it. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                          \
    do {                                                     \
        if (N) {                                             \
            (Cur).first = YYRHSLOC(Rhs, 1).first;            \
            (Cur).last = YYRHSLOC(Rhs, N).last;              \
        } else {                                             \
            (Cur).first = (Cur).last = YYRHSLOC(Rhs, 0).last; \
        }                                                    \
    } while (0)
}

%code provides {
/* flex's bison-bridge header names the unprefixed types */
#ifndef YYSTYPE
#define YYSTYPE SGC_YYSTYPE
#endif
#ifndef YYLTYPE
#define YYLTYPE SGC_YYLTYPE
#endif
int sgc_yylex(SGC_YYSTYPE *lval, SGC_YYLTYPE *lloc, void *scanner);
}

%code {
#include <stdlib.h>
#include <string.h>

/* Deep nesting is refused by the lexer (max_depth), long before this. */
#define YYMAXDEPTH 1000000

/* Only reached for "memory exhausted": syntax errors go through
 * yyreport_syntax_error. */
static void sgc_yyerror(SGC_YYLTYPE *loc, void *scanner, sgc_parse_ctx *ctx, const char *msg) {
    (void)scanner;
    sgc_parse_error(ctx, loc->first, "%s", msg);
}

#define LOC(span) ((sgc_loc){ctx->src, (span).first})

static sgc_node *binary_chain(sgc_node_kind kind, sgc_node *left, sgc_node *right) {
    sgc_node *n = sgc_node_new(kind, left->loc);
    sgc_node_add_kid(n, left);
    sgc_node_add_kid(n, right);
    return n;
}

/* Chains and lists built here can be long (a 5000-item list, a generated
 * 50000-term conjunction): their arrays double at powers of two instead of
 * growing one slot at a time. Only valid for arrays this parser allocated,
 * which always have a power-of-two capacity from 2 up. */
static bool at_power_of_two(int n) { return n >= 2 && (n & (n - 1)) == 0; }

static void chain_add(sgc_node *n, sgc_node *kid) {
    if (at_power_of_two(n->nkids)) {
        sgc_node **k = realloc(n->kids, (size_t)n->nkids * 2 * sizeof *k);
        if (!k) abort();
        n->kids = k;
    }
    n->kids[n->nkids++] = kid;
}

static void items_add(sgc_value *v, sgc_value *item) {
    if (v->nitems < 2) {
        sgc_value_add_item(v, item);
        return;
    }
    if (at_power_of_two(v->nitems)) {
        sgc_value **it = realloc(v->items, (size_t)v->nitems * 2 * sizeof *it);
        if (!it) abort();
        v->items = it;
    }
    v->items[v->nitems++] = item;
}

static sgc_node *check(sgc_parse_ctx *ctx, sgc_value *lhs, int op, sgc_span op_span, sgc_value *rhs) {
    sgc_node *n = sgc_node_new(SGC_N_CHECK, lhs->loc);
    n->lhs = lhs;
    n->op = (sgc_op)op;
    n->op_loc = LOC(op_span);
    n->rhs = rhs;
    return n;
}

static sgc_value *string_value(sgc_parse_ctx *ctx, char *s, bool quoted, sgc_span span) {
    sgc_value *v = sgc_value_new(SGC_V_STRING, LOC(span));
    v->str = s;
    v->quoted = quoted;
    return v;
}
}

%define api.pure full
%define api.prefix {sgc_yy}
%define api.location.type {sgc_span}
%define parse.error custom
/* exact "expecting ..." lists in error messages */
%define parse.lac full
%locations
%parse-param {void *scanner} {sgc_parse_ctx *ctx}
%lex-param {void *scanner}

%union {
    char *str;
    int op;
    sgc_node *node;
    sgc_value *val;
}

%token <str> FIELD IDENT ARG STRING QSTRING NUMBER TRANSFORMER
%token <op> STROP NUMOP LISTOP EXISTS LISTMOD
%token AND OR NOT LPAREN RPAREN LBRACKET RBRACKET COMMA VAL
/* never accepted: they exist so that the error names what was found */
%token BADWORD BADCHAR BADVALUE

%type <node> or_expr or_chain and_expr and_chain not_expr primary check
%type <val> lhs field transformer tcall targs targ tlist titems titem val vcall rhs nrhs lrhs mlist list items item

%destructor { free($$); } <str>
%destructor { sgc_node_free($$); } <node>
%destructor { sgc_value_free($$); } <val>

%%

condition:
    or_expr                     { ctx->result = $1; }
    ;

or_expr:
    and_expr
  | or_chain
    ;

or_chain:
    and_expr OR and_expr        { $$ = binary_chain(SGC_N_OR, $1, $3); }
  | or_chain OR and_expr        { chain_add($1, $3); $$ = $1; }
    ;

and_expr:
    not_expr
  | and_chain
    ;

and_chain:
    not_expr AND not_expr       { $$ = binary_chain(SGC_N_AND, $1, $3); }
  | and_chain AND not_expr      { chain_add($1, $3); $$ = $1; }
    ;

not_expr:
    NOT not_expr                { $$ = sgc_node_new(SGC_N_NOT, LOC(@1)); sgc_node_add_kid($$, $2); }
  | primary
    ;

primary:
    LPAREN or_expr RPAREN       { $$ = $2; }
  | IDENT                       { $$ = sgc_node_new(SGC_N_MACRO, LOC(@1)); $$->name = $1; }
  | check
    ;

check:
    lhs EXISTS                  { $$ = check(ctx, $1, $2, @2, NULL); }
  | lhs STROP rhs               { $$ = check(ctx, $1, $2, @2, $3); }
  | lhs NUMOP nrhs              { $$ = check(ctx, $1, $2, @2, $3); }
  | lhs LISTOP lrhs             { $$ = check(ctx, $1, $2, @2, $3); }
  | lhs STROP LISTMOD mlist     { $$ = check(ctx, $1, $2, @2, $4); $$->mod = (sgc_listmod)$3; }
    ;

lhs:
    field
  | transformer
    ;

field:
    FIELD                       { $$ = sgc_value_new(SGC_V_FIELD, LOC(@1)); $$->field = $1; }
  | FIELD LBRACKET ARG RBRACKET { $$ = sgc_value_new(SGC_V_FIELD, LOC(@1)); $$->field = $1;
                                  $$->arg = $3; $$->arg_loc = LOC(@3); }
    ;

transformer:
    tcall
  | tcall LBRACKET ARG RBRACKET { $$ = $1; $$->arg = $3; $$->arg_loc = LOC(@3); }
    ;

tcall:
    TRANSFORMER targs RPAREN    { $$ = $2; $$->str = $1; $$->loc = LOC(@1); }
    ;

targs:
    targ                        { $$ = sgc_value_new(SGC_V_TRANSFORM, LOC(@1)); sgc_value_add_item($$, $1); }
  | targs COMMA targ            { items_add($1, $3); $$ = $1; }
    ;

targ:
    titem
  | tlist
    ;

tlist:
    LPAREN RPAREN               { $$ = sgc_value_new(SGC_V_LIST, LOC(@1)); }
  | LPAREN titems RPAREN        { $$ = $2; $$->loc = LOC(@1); }
    ;

titems:
    titem                       { $$ = sgc_value_new(SGC_V_LIST, LOC(@1)); sgc_value_add_item($$, $1); }
  | titems COMMA titem          { items_add($1, $3); $$ = $1; }
    ;

titem:
    field
  | transformer
  | QSTRING                     { $$ = string_value(ctx, $1, true, @1); }
  | NUMBER                      { $$ = string_value(ctx, $1, false, @1); }
    ;

val:
    vcall
  | vcall LBRACKET ARG RBRACKET { $$ = $1; $$->arg = $3; $$->arg_loc = LOC(@3); }
    ;

vcall:
    VAL field RPAREN            { $$ = sgc_value_new(SGC_V_VAL, LOC(@1)); sgc_value_add_item($$, $2); }
    ;

rhs:
    STRING                      { $$ = string_value(ctx, $1, false, @1); }
  | QSTRING                     { $$ = string_value(ctx, $1, true, @1); }
  | transformer
  | val
    ;

nrhs:
    NUMBER                      { $$ = string_value(ctx, $1, false, @1); }
  | transformer
  | val
    ;

lrhs:
    list
  | IDENT                       { $$ = sgc_value_new(SGC_V_LISTREF, LOC(@1)); $$->str = $1; }
  | transformer
  | val
    ;

mlist:
    list
  | IDENT                       { $$ = sgc_value_new(SGC_V_LISTREF, LOC(@1)); $$->str = $1; }
    ;

list:
    LPAREN RPAREN               { $$ = sgc_value_new(SGC_V_LIST, LOC(@1)); }
  | LPAREN items RPAREN         { $$ = $2; $$->loc = LOC(@1); }
    ;

items:
    item                        { $$ = sgc_value_new(SGC_V_LIST, LOC(@1)); sgc_value_add_item($$, $1); }
  | items COMMA item            { items_add($1, $3); $$ = $1; }
    ;

item:
    STRING                      { $$ = string_value(ctx, $1, false, @1); }
  | QSTRING                     { $$ = string_value(ctx, $1, true, @1); }
    ;

%%

/* Human names of what the parser expected. */
static const char *expected_name(yysymbol_kind_t k) {
    switch (k) {
    case YYSYMBOL_YYEOF: return "end of condition";
    case YYSYMBOL_AND: return "'and'";
    case YYSYMBOL_OR: return "'or'";
    case YYSYMBOL_NOT: return "'not'";
    case YYSYMBOL_LPAREN: return "'('";
    case YYSYMBOL_RPAREN: return "')'";
    case YYSYMBOL_LBRACKET: return "'['";
    case YYSYMBOL_RBRACKET: return "']'";
    case YYSYMBOL_COMMA: return "','";
    case YYSYMBOL_FIELD: return "a field";
    case YYSYMBOL_IDENT: return "a macro name";
    case YYSYMBOL_ARG: return "a field argument";
    case YYSYMBOL_STRING: return "a value";
    case YYSYMBOL_QSTRING: return "a quoted string";
    case YYSYMBOL_NUMBER: return "a number";
    case YYSYMBOL_TRANSFORMER: return "a transformer";
    case YYSYMBOL_VAL: return "'val('";
    case YYSYMBOL_STROP:
    case YYSYMBOL_NUMOP:
    case YYSYMBOL_LISTOP:
    case YYSYMBOL_EXISTS: return "an operator";
    case YYSYMBOL_LISTMOD: return "a list modifier";
    default: return NULL;
    }
}

static bool expects(const yysymbol_kind_t *exp, int n, yysymbol_kind_t k) {
    for (int i = 0; i < n; i++)
        if (exp[i] == k) return true;
    return false;
}

/* What was found, for "unexpected X". */
static void describe_found(sgc_parse_ctx *ctx, yysymbol_kind_t k, char *buf, size_t size) {
    if (k == YYSYMBOL_YYEOF) {
        snprintf(buf, size, "end of condition");
        return;
    }
    const unsigned char *t = (const unsigned char *)ctx->cur_text;
    if (t[0] && t[1] == '\0' && strchr(" \t\n\r\b", t[0])) {
        snprintf(buf, size, "%s", t[0] == ' ' ? "blank" : t[0] == '\t' ? "tab" :
                                  t[0] == '\b' ? "backspace" : "line break");
        return;
    }
    if (t[0] && t[1] == '\0' && (t[0] < 0x20 || t[0] >= 0x7f)) {
        snprintf(buf, size, "character 0x%02x", t[0]);
        return;
    }
    snprintf(buf, size, "'%s%s'", ctx->cur_text, ctx->cur_truncated ? "..." : "");
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, void *scanner, sgc_parse_ctx *ctx) {
    (void)scanner;
    yysymbol_kind_t found = yypcontext_token(yyctx);
    uint32_t off = yypcontext_location(yyctx)->first;
    yysymbol_kind_t exp[32];
    int n = yypcontext_expected_tokens(yyctx, exp, 32);
    if (n < 0) n = 0;
    char what[160];
    describe_found(ctx, found, what, sizeof what);

    if (found == YYSYMBOL_YYEOF && ctx->prev_token == 0 && ctx->cur_token == 0) {
        sgc_parse_error(ctx, off, "empty condition");
        return 0;
    }
    /* Right after an operator: say which value the operator needs. */
    if (expects(exp, n, YYSYMBOL_STRING) && ctx->prev_token == STROP && ctx->cur_token == BADCHAR &&
        !strcmp(ctx->cur_text, "(")) {
        sgc_parse_error(ctx, off,
                        "'%s' compares with a single value; a list of values needs 'in', "
                        "'intersects', 'pmatch' or a list modifier ('%s anyof (...)')",
                        ctx->last_op, ctx->last_op);
        return 0;
    }
    if (expects(exp, n, YYSYMBOL_STRING)) {
        sgc_parse_error(ctx, off, "expected a value after '%s', found %s",
                        ctx->prev_token == COMMA ? "," : ctx->last_op, what);
        return 0;
    }
    if (expects(exp, n, YYSYMBOL_NUMBER) && !expects(exp, n, YYSYMBOL_FIELD)) {
        sgc_parse_error(ctx, off, "expected a number after '%s', found %s", ctx->last_op, what);
        return 0;
    }
    if (expects(exp, n, YYSYMBOL_IDENT) && expects(exp, n, YYSYMBOL_LPAREN) &&
        !expects(exp, n, YYSYMBOL_FIELD)) {
        sgc_parse_error(ctx, off, "expected a list or a list name after '%s', found %s", ctx->last_op,
                        what);
        return 0;
    }

    /* A field argument must touch the field: `proc.aname[2]`, not `proc.aname [2]`. */
    if (ctx->cur_token == BADCHAR && !strcmp(ctx->cur_text, "[") &&
        (ctx->prev_token == FIELD || ctx->prev_token == RPAREN)) {
        sgc_parse_error(ctx, off, "no blank allowed before the '[' of a field argument");
        return 0;
    }
    /* `tolower (x)` or `lower(x)`: a name followed by '(' */
    if (ctx->prev_token == IDENT && ctx->cur_token == BADCHAR && !strcmp(ctx->cur_text, "(")) {
        static const char *const known[] = {"tolower", "toupper", "b64", "basename", "len",
                                            "join", "concat", "getopt", "val", NULL};
        bool is_known = false;
        for (int i = 0; known[i]; i++) is_known |= !strcmp(known[i], ctx->prev_text);
        if (is_known) {
            sgc_parse_error(ctx, off, "no blank allowed between '%s' and '('", ctx->prev_text);
            return 0;
        }
        if (ctx->prev_last == ctx->cur_first) { /* `lower(x)`: meant as a call */
            sgc_parse_error(ctx, off,
                            "'%s' is not a transformer (known: tolower, toupper, b64, basename, "
                            "len, join, concat, getopt; val on the right side)",
                            ctx->prev_text);
            return 0;
        }
    }
    /* `foo = x`: an identifier without a dot is a macro name, never a field. */
    if (ctx->prev_token == IDENT && (ctx->cur_token == STROP || ctx->cur_token == NUMOP ||
                                     ctx->cur_token == LISTOP || ctx->cur_token == EXISTS)) {
        sgc_parse_error(ctx, off,
                        "unexpected '%s' after macro name '%s' (a field name has a dot, as in "
                        "proc.name)",
                        ctx->cur_text, ctx->prev_text);
        return 0;
    }

    /* Generic: unexpected X, expecting A, B or C (each name once). */
    const char *names[32];
    int nn = 0;
    for (int i = 0; i < n; i++) {
        const char *s = expected_name(exp[i]);
        if (!s) continue;
        bool dup = false;
        for (int j = 0; j < nn; j++) dup |= !strcmp(names[j], s);
        if (!dup) names[nn++] = s;
    }
    char msg[512];
    size_t len = (size_t)snprintf(msg, sizeof msg, "unexpected %s", what);
    for (int i = 0; i < nn && len < sizeof msg; i++)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
                                i == 0 ? ", expecting " : i == nn - 1 ? " or " : ", ", names[i]);
    sgc_parse_error(ctx, off, "%s", msg);
    return 0;
}
