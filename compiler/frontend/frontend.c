#include "frontend.h"
#include "frontend_int.h"
#include "lint.h"
#include "loader.h"
#include "resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- source lines for the caret display ---------------------------------------- */

static struct sgc_frontend_text *text_of(sgc_frontend *fe, const char *name)
{
    for (int i = 0; i < fe->ntexts; i++)
        if (!strcmp(fe->texts[i].name, name)) return &fe->texts[i];
    fe->texts = realloc(fe->texts, (size_t)(fe->ntexts + 1) * sizeof *fe->texts);
    struct sgc_frontend_text *t = &fe->texts[fe->ntexts++];
    memset(t, 0, sizeof *t);
    t->name = name;
    FILE *f = fopen(name, "rb");
    if (f) {
        FILE *mem = open_memstream(&t->text, &t->len);
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, mem);
        fclose(mem);
        fclose(f);
        t->owned = true;
    }
    return t;
}

/* Line `line` (1-based) of a text, through a table of line starts built once
 * per text: thousands of diagnostics in a large file would otherwise each
 * scan the file from its start (issue 18). */
static char *line_of_text(struct sgc_frontend_text *t, int line)
{
    if (!t->text) return NULL;
    const char *end = t->text + t->len;
    if (!t->line_start) {
        size_t cap = 64;
        t->line_start = malloc(cap * sizeof *t->line_start);
        t->line_start[t->nlines++] = 0;
        for (const char *p = t->text; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
            if ((size_t)t->nlines == cap)
                t->line_start = realloc(t->line_start, (cap *= 2) * sizeof *t->line_start);
            t->line_start[t->nlines++] = (size_t)(p + 1 - t->text);
        }
    }
    if (line < 1 || line > t->nlines) return NULL;
    const char *p = t->text + t->line_start[line - 1];
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e) e = end;
    if (e > p && e[-1] == '\r') e--;
    return strndup(p, (size_t)(e - p));
}

static void fill_source_lines(sgc_frontend *fe, int from)
{
    for (int i = from; i < fe->diags->n; i++) {
        sgc_diag *g = &fe->diags->v[i];
        if (g->source_line || !g->file || g->line <= 0) continue;
        g->source_line = line_of_text(text_of(fe, g->file), g->line);
    }
}

/* ---- ordering: inputs in load order, then line, column ---------------------------- */

static int input_rank(const sgc_frontend *fe, const char *file)
{
    if (!file) return -1;
    for (int i = 0; i < fe->ninputs; i++)
        if (!strcmp(fe->inputs[i], file)) return i;
    return fe->ninputs;
}

static int cmp_diag(const void *pa, const void *pb, void *ctx)
{
    const sgc_diag *a = pa, *b = pb;
    const sgc_frontend *fe = ctx;
    int ra = input_rank(fe, a->file), rb = input_rank(fe, b->file);
    if (ra != rb) return ra - rb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c) return c;
    if (a->line != b->line) return a->line - b->line;
    if (a->col != b->col) return a->col - b->col;
    return a->seq - b->seq;
}

/* ---- the pipeline ----------------------------------------------------------- */

int sgc_frontend_run(sgc_frontend *fe, const char *const *files, int nfiles,
                     const sgc_frontend_opts *opts)
{
    memset(fe, 0, sizeof *fe);
    fe->rs = sgc_ruleset_new();
    fe->diags = &fe->rs->diags;
    bool loaded = true;
    if (nfiles == 0 && opts && opts->embedded) {
        fe->inputs = calloc(1, sizeof *fe->inputs);
        fe->inputs[fe->ninputs++] = opts->embedded_name;
        /* the embedded text is its own source-line provider */
        fe->texts = calloc(1, sizeof *fe->texts);
        fe->texts[fe->ntexts++] = (struct sgc_frontend_text){
            opts->embedded_name, (char *)opts->embedded, opts->embedded_len, false, NULL, 0};
        loaded = sgc_ruleset_load_buffer(fe->rs, opts->embedded_name, opts->embedded,
                                         opts->embedded_len) == 0;
    } else {
        fe->inputs = calloc((size_t)nfiles + 1, sizeof *fe->inputs);
        for (int i = 0; i < nfiles && loaded; i++) {
            fe->inputs[fe->ninputs++] = files[i];
            loaded = sgc_ruleset_load_file(fe->rs, files[i]) == 0;
        }
    }
    if (loaded) {
        sgc_ruleset_resolve(fe->rs);
        sgc_frontend_typecheck(fe->rs);
        if (opts && opts->lint) sgc_lint_ruleset(fe->rs, fe->diags);
    }
    fill_source_lines(fe, 0);
    if (fe->diags->n > 1)
        qsort_r(fe->diags->v, (size_t)fe->diags->n, sizeof *fe->diags->v, cmp_diag, fe);
    return fe->diags->nerrors;
}

void sgc_frontend_finish_diags(sgc_frontend *fe, int from)
{
    sgc_diag *v = fe->diags->v;
    int n = fe->diags->n, k = n - from;
    if (k <= 0) return;
    fill_source_lines(fe, from);
    /* sort the few new ones and merge them in from the back: no copy of the
     * thousands already sorted (the lint of a large rule set is at its peak
     * memory here) */
    qsort_r(v + from, (size_t)k, sizeof *v, cmp_diag, fe);
    sgc_diag *tail = malloc((size_t)k * sizeof *tail);
    if (!tail) abort();
    memcpy(tail, v + from, (size_t)k * sizeof *tail);
    for (int i = from - 1, j = k - 1, o = n - 1; j >= 0; o--)
        v[o] = i >= 0 && cmp_diag(&v[i], &tail[j], fe) > 0 ? v[i--] : tail[j--];
    free(tail);
}

void sgc_frontend_free(sgc_frontend *fe)
{
    for (int i = 0; i < fe->ntexts; i++)
        if (fe->texts[i].owned) free(fe->texts[i].text);
    for (int i = 0; i < fe->ntexts; i++) free(fe->texts[i].line_start);
    free(fe->texts);
    free(fe->inputs);
    sgc_ruleset_free(fe->rs);
    memset(fe, 0, sizeof *fe);
}
