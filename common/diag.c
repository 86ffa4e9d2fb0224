#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_diags_init(sgc_diags *d) { memset(d, 0, sizeof *d); }

static void diag_free(sgc_diag *g)
{
    free(g->msg);
    free(g->file);
    free(g->item);
    free(g->source_line);
}

void sgc_diags_free(sgc_diags *d)
{
    for (int i = 0; i < d->n; i++) diag_free(&d->v[i]);
    free(d->v);
    memset(d, 0, sizeof *d);
}

int sgc_diags_drop_warnings(sgc_diags *d, const char *code)
{
    int kept = 0, dropped = 0;
    for (int i = 0; i < d->n; i++) {
        if (d->v[i].sev == SGC_SEV_WARNING && !strcmp(d->v[i].code, code)) {
            diag_free(&d->v[i]);
            dropped++;
            continue;
        }
        d->v[kept++] = d->v[i];
    }
    d->n = kept;
    d->nwarnings -= dropped;
    return dropped;
}

static sgc_diag *push(sgc_diags *d, sgc_severity sev, const char *code, const char *file, int line,
                      int col, const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = realloc(d->v, (size_t)d->cap * sizeof *d->v);
    }
    sgc_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof *g);
    g->sev = sev;
    g->seq = d->n - 1;
    g->code = code;
    g->file = file ? strdup(file) : NULL;
    g->line = line;
    g->col = col;
    if (vasprintf(&g->msg, fmt, ap) < 0) g->msg = strdup("(out of memory)");
    if (sev == SGC_SEV_ERROR)
        d->nerrors++;
    else
        d->nwarnings++;
    return g;
}

void sgc_diag_vadd(sgc_diags *d, sgc_severity sev, const char *code, const char *file, int line,
                   int col, const char *fmt, va_list ap)
{
    push(d, sev, code, file, line, col, fmt, ap);
}

void sgc_diag_add(sgc_diags *d, sgc_severity sev, const char *code, const char *file, int line,
                  int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push(d, sev, code, file, line, col, fmt, ap);
    va_end(ap);
}

/* The text of the line containing offset off, for caret display of texts that
 * are not from a file (command-line conditions). */
static char *line_around(const sgc_source *s, size_t off)
{
    size_t b = off, e = off;
    while (b > 0 && s->text[b - 1] != '\n') b--;
    while (e < s->len && s->text[e] != '\n') e++;
    return strndup(s->text + b, e - b);
}

void sgc_diag_vat(sgc_diags *d, sgc_severity sev, const char *code, sgc_loc loc, const char *fmt,
                  va_list ap)
{
    int line, col;
    sgc_loc_pos(loc, &line, &col);
    sgc_diag *g = push(d, sev, code, sgc_loc_file(loc), line, col, fmt, ap);
    if (loc.src && !sgc_source_is_mapped(loc.src))
        g->source_line = line_around(loc.src, loc.off > loc.src->len ? loc.src->len : loc.off);
}

void sgc_diag_at(sgc_diags *d, sgc_severity sev, const char *code, sgc_loc loc, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    sgc_diag_vat(d, sev, code, loc, fmt, ap);
    va_end(ap);
}

void sgc_diag_set_item(sgc_diags *d, const char *item)
{
    if (d->n == 0) return;
    free(d->v[d->n - 1].item);
    d->v[d->n - 1].item = item ? strdup(item) : NULL;
}

static int cmp_diag(const void *a, const void *b)
{
    const sgc_diag *x = a, *y = b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c) return c;
    if (x->line != y->line) return x->line - y->line;
    if (x->col != y->col) return x->col - y->col;
    return x->seq - y->seq;
}

void sgc_diags_sort(sgc_diags *d)
{
    if (d->n > 1) qsort(d->v, (size_t)d->n, sizeof *d->v, cmp_diag);
}
