/* The two renderings of a condition AST:
 *  - S-expression, one line, for `sgc parse` and the grammar case files
 *    (format documented in ast.h and docs/rules-language.md);
 *  - Falco syntax, for explain and for printing resolved conditions, written
 *    so that parsing it again gives the same tree. */
#include "ast.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- S-expression --------------------------------------------------------- */

/* Double-quoted with \" and \\ escaped; control bytes as \n \t \r or \xHH so
 * that the rendering stays on one line. */
static void print_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\x%02x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Falco quoting: double quotes, with the escapes Falco's unescaping reads
 * back (\\ \" \b \f \n \r \t). */
static void cond_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* A field argument prints bare when it would lex back as FieldArgBareStr. */
static bool arg_is_bare(const char *a)
{
    if (!*a) return false;
    for (const char *p = a; *p; p++)
        if (strchr(" \b\t\n\r\f\v[]\"'", *p)) return false; /* FIELDARGBARE in lexer.l */
    return true;
}

/* [arg] after a field or a transformer call: bare when it reads back bare. */
static void print_arg(FILE *out, const char *arg, void (*quote)(FILE *, const char *))
{
    if (!arg) return;
    fputc('[', out);
    if (arg_is_bare(arg))
        fputs(arg, out);
    else
        quote(out, arg);
    fputc(']', out);
}

static void print_field(FILE *out, const sgc_value *v)
{
    fputs(v->field ? v->field : "?", out);
    print_arg(out, v->arg, print_quoted);
}

void sgc_value_print_sexpr(FILE *out, const sgc_value *v)
{
    if (!v) {
        fputs("nil", out);
        return;
    }
    switch (v->kind) {
    case SGC_V_FIELD: print_field(out, v); return;
    case SGC_V_STRING: print_quoted(out, v->str); return;
    case SGC_V_LISTREF: fprintf(out, "(listref %s)", v->str ? v->str : "?"); return;
    case SGC_V_VAL:
    case SGC_V_TRANSFORM:
    case SGC_V_LIST:
        fputc('(', out);
        fputs(v->kind == SGC_V_VAL    ? "val"
              : v->kind == SGC_V_LIST ? "list"
                                      : (v->str ? v->str : "?"),
              out);
        for (int i = 0; i < v->nitems; i++) {
            sgc_value tmp;
            fputc(' ', out);
            sgc_value_print_sexpr(out, sgc_list_item(v, i, &tmp));
        }
        fputc(')', out);
        print_arg(out, v->arg, print_quoted);
        return;
    }
}

void sgc_node_print_sexpr(FILE *out, const sgc_node *n)
{
    if (!n) {
        fputs("nil", out);
        return;
    }
    switch (n->kind) {
    case SGC_N_AND:
    case SGC_N_OR:
    case SGC_N_NOT:
        fputs(n->kind == SGC_N_AND ? "(and" : n->kind == SGC_N_OR ? "(or" : "(not", out);
        for (int i = 0; i < n->nkids; i++) {
            fputc(' ', out);
            sgc_node_print_sexpr(out, n->kids[i]);
        }
        fputc(')', out);
        return;
    case SGC_N_MACRO: fprintf(out, "(macro %s)", n->name ? n->name : "?"); return;
    case SGC_N_CONST: fputs(n->const_value ? "(const true)" : "(const false)", out); return;
    case SGC_N_CHECK:
        fprintf(out, "(%s ", sgc_op_name(n->op));
        if (n->mod != SGC_MOD_NONE) fprintf(out, "%s ", sgc_listmod_name(n->mod));
        sgc_value_print_sexpr(out, n->lhs);
        if (n->rhs) {
            fputc(' ', out);
            sgc_value_print_sexpr(out, n->rhs);
        }
        fputc(')', out);
        return;
    }
}

char *sgc_node_to_sexpr(const sgc_node *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    sgc_node_print_sexpr(f, n);
    fclose(f);
    return buf;
}

/* ---- Falco syntax ----------------------------------------------------------- */

/* A string may be written bare when Falco's BareStr would read it back whole
 * and it is not a word the grammar would take for something else. */
static bool str_is_bare(const char *s)
{
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (strchr(" \b\t\n\r\f\v(),=\"'\\", *p)) return false;
    static const char *const words[] = {"and", "or", "not", "val", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(s, words[i])) return false;
    return true;
}

/* A list name the grammar reads back as a list reference (`in name`). */
static bool name_is_ident(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_')) return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_') return false;
    static const char *const words[] = {"and", "or", "not", "val", "true", "false", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(s, words[i])) return false;
    return true;
}

/* named: a shared list (sgc_value.share) is printed as its name. */
static void cond_value(FILE *out, const sgc_value *v, bool named)
{
    if (named && v->kind == SGC_V_LIST && v->share && name_is_ident(v->share->str)) {
        fputs(v->share->str, out);
        return;
    }
    switch (v->kind) {
    case SGC_V_FIELD:
        fputs(v->field ? v->field : "?", out);
        print_arg(out, v->arg, cond_quoted);
        return;
    case SGC_V_STRING:
        if (!v->quoted && v->str && str_is_bare(v->str))
            fputs(v->str, out);
        else
            cond_quoted(out, v->str ? v->str : "");
        return;
    case SGC_V_LISTREF: fputs(v->str ? v->str : "?", out); return;
    case SGC_V_VAL:
    case SGC_V_TRANSFORM:
    case SGC_V_LIST:
        if (v->kind != SGC_V_LIST)
            fputs(v->kind == SGC_V_VAL ? "val" : (v->str ? v->str : "?"), out);
        fputc('(', out);
        for (int i = 0; i < v->nitems; i++) {
            sgc_value tmp;
            if (i) fputs(", ", out);
            cond_value(out, sgc_list_item(v, i, &tmp), named);
        }
        fputc(')', out);
        print_arg(out, v->arg, cond_quoted);
        return;
    }
}

/* parent_prec: 0 top, 1 inside or, 2 inside and, 3 inside not. */
static void cond_node(FILE *out, const sgc_node *n, int parent_prec, bool named)
{
    switch (n->kind) {
    case SGC_N_AND:
    case SGC_N_OR: {
        int prec = n->kind == SGC_N_OR ? 1 : 2;
        bool paren = parent_prec > prec;
        if (paren) fputc('(', out);
        for (int i = 0; i < n->nkids; i++) {
            if (i) fputs(n->kind == SGC_N_OR ? " or " : " and ", out);
            /* a same-kind child is a group the author wrote: keep its parens */
            cond_node(out, n->kids[i], n->kids[i]->kind == n->kind ? prec + 1 : prec, named);
        }
        if (paren) fputc(')', out);
        return;
    }
    case SGC_N_NOT:
        fputs("not ", out);
        cond_node(out, n->kids[0], 3, named);
        return;
    case SGC_N_MACRO: fputs(n->name ? n->name : "?", out); return;
    case SGC_N_CONST: fputs(n->const_value ? "true" : "false", out); return;
    case SGC_N_CHECK:
        cond_value(out, n->lhs, named);
        fputc(' ', out);
        fputs(sgc_op_name(n->op), out);
        if (n->mod != SGC_MOD_NONE) {
            fputc(' ', out);
            fputs(sgc_listmod_name(n->mod), out);
        }
        if (n->rhs) {
            fputc(' ', out);
            cond_value(out, n->rhs, named);
        }
        return;
    }
}

static char *to_condition(const sgc_node *n, bool named)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    if (n) cond_node(f, n, 0, named);
    fclose(f);
    return buf;
}

char *sgc_node_to_condition(const sgc_node *n) { return to_condition(n, false); }

char *sgc_node_to_condition_named(const sgc_node *n) { return to_condition(n, true); }
