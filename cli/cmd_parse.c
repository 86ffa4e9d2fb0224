/* sgc parse [--syntax-only] EXPR: one condition to its AST (S-expression).
 *
 * With --syntax-only only the grammar is checked: any dotted name is a
 * field, any bare identifier a macro reference. Without it the condition is
 * also type checked against the field catalog (compiler/frontend/typecheck.h), and
 * must stand on its own: there is no rules file, so a macro or list name is
 * undefined. */
#include "commands.h"
#include "parse.h"
#include "typecheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: sgc parse [--syntax-only] EXPR\n\n"
                 "Parse one Falco condition and print its syntax tree as an S-expression.\n\n"
                 "  --syntax-only   check the grammar only: accept any field name, treat bare\n"
                 "                  identifiers as macro references (by default fields,\n"
                 "                  operators and values are type checked, and macro or\n"
                 "                  list names are errors: no rules file defines them)\n"
                 "  -h, --help      show this help\n"
                 "  --              end of options (for a condition that starts with --)\n\n"
                 "exit status: 0 parsed, 1 error in the condition, 2 usage error\n");
}

/* file:line:col: error: message, then the line and a caret under the column. */
static void print_diags(const sgc_diags *d)
{
    for (int i = 0; i < d->n; i++) {
        const sgc_diag *g = &d->v[i];
        fprintf(stderr, "%s:%d:%d: %s: %s\n", g->file ? g->file : "<cmdline>", g->line, g->col,
                g->sev == SGC_SEV_ERROR ? "error" : "warning", g->msg);
        if (!g->source_line) continue;
        fprintf(stderr, "  %s\n  ", g->source_line);
        /* keep tabs so that the caret lines up under tab-indented text */
        for (int c = 1; c < g->col && g->source_line[c - 1]; c++)
            fputc(g->source_line[c - 1] == '\t' ? '\t' : ' ', stderr);
        fputs("^\n", stderr);
    }
}

static void check_value_refs(const sgc_value *v, sgc_diags *d)
{
    if (!v) return;
    if (v->kind == SGC_V_LISTREF)
        sgc_diag_at(d, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", v->loc,
                    "undefined list '%s' (no rules file defines lists here)", v->str);
    for (int i = 0; i < v->nitems; i++) check_value_refs(v->items[i], d);
}

/* Macro and list names cannot resolve without a rules file. */
static void check_refs(const sgc_node *n, sgc_diags *d)
{
    if (n->kind == SGC_N_MACRO)
        sgc_diag_at(d, SGC_SEV_ERROR, "LOAD_ERR_COMPILE_CONDITION", n->loc,
                    "undefined macro '%s' (no rules file defines macros here)", n->name);
    for (int i = 0; i < n->nkids; i++) check_refs(n->kids[i], d);
    check_value_refs(n->lhs, d);
    check_value_refs(n->rhs, d);
}

int cmd_parse(int argc, char **argv)
{
    bool syntax_only = false;
    const char *expr = NULL;
    bool no_more_opts = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!no_more_opts && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            usage(stdout);
            return 0;
        } else if (!no_more_opts && !strcmp(a, "--syntax-only")) {
            syntax_only = true;
        } else if (!no_more_opts && !strcmp(a, "--")) {
            no_more_opts = true;
        } else if (!no_more_opts && a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "sgc parse: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (expr) {
            fprintf(stderr, "sgc parse: one condition expected (quote it as one argument)\n");
            usage(stderr);
            return 2;
        } else {
            expr = a;
        }
    }
    if (!expr) {
        fprintf(stderr, "sgc parse: missing condition\n");
        usage(stderr);
        return 2;
    }

    sgc_source *src = sgc_source_new("<cmdline>", expr, strlen(expr));
    sgc_diags diags;
    sgc_diags_init(&diags);
    sgc_node *ast = sgc_parse_condition(src, NULL, &diags);
    if (ast && !syntax_only) {
        check_refs(ast, &diags);
        sgc_typecheck_condition(ast, &diags);
    }
    int rc = 0;
    if (ast && diags.nerrors == 0) {
        sgc_node_print_sexpr(stdout, ast);
        fputc('\n', stdout);
    } else {
        sgc_diags_sort(&diags);
        rc = 1;
    }
    print_diags(&diags);
    sgc_node_free(ast);
    sgc_diags_free(&diags);
    sgc_source_free(src);
    return rc;
}
