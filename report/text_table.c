/* Aligned text tables (see text_table.h). */
#include "text_table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CELL_COLS 60

void sgc_tt_init(sgc_ttable *t, int ncols, const char *const *cols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols > SGC_TT_MAXCOLS ? SGC_TT_MAXCOLS : ncols;
    for (int i = 0; i < t->ncols; i++) {
        t->right[i] = cols[i][0] == '>';
        t->hdr[i] = cols[i] + t->right[i];
    }
}

void sgc_tt_row(sgc_ttable *t, double bar)
{
    if (t->oom) return;
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, nc * (size_t)t->ncols * sizeof *c);
        if (!c) {
            t->oom = true;
            return;
        }
        t->cells = c;
        double *b = realloc(t->bar, nc * sizeof *b);
        if (!b) {
            t->oom = true;
            return;
        }
        t->bar = b;
        t->cap = nc;
    }
    for (int i = 0; i < t->ncols; i++) t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = NULL;
    t->bar[t->nrows++] = bar;
}

size_t sgc_tt_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

void sgc_tt_clean(const char *s, size_t n, size_t max_cols, char *out, size_t cap)
{
    size_t o = 0, cols = 0;
    for (size_t i = 0; i < n && o + 8 < cap;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (i + len > n) len = n - i;
        if (cols + 1 == max_cols && i + len < n) {
            memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            out[o++] = '?';
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
        cols++;
    }
    out[o] = '\0';
}

void sgc_tt_cell(sgc_ttable *t, int col, const char *s, size_t n)
{
    if (t->oom || !t->nrows || col >= t->ncols) return;
    char buf[CELL_COLS * 4 + 8];
    sgc_tt_clean(s, n, CELL_COLS, buf, sizeof buf);
    char **slot = &t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)col];
    free(*slot);
    *slot = strdup(buf);
    if (!*slot) t->oom = true;
}

void sgc_tt_cellf(sgc_ttable *t, int col, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sgc_tt_cell(t, col, buf, strlen(buf));
}

static void pad(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++) fputc(' ', out);
}

static void print_bar(FILE *out, double frac, int width)
{
    static const char *const eighths[] = {"",
                                          "\xe2\x96\x8f",
                                          "\xe2\x96\x8e",
                                          "\xe2\x96\x8d",
                                          "\xe2\x96\x8c",
                                          "\xe2\x96\x8b",
                                          "\xe2\x96\x8a",
                                          "\xe2\x96\x89"};
    if (frac < 0) return;
    if (frac > 1) frac = 1;
    int units = (int)(frac * width * 8 + 0.5);
    if (units == 0 && frac > 0) units = 1;
    if (units == 0) return;
    fputs("  ", out);
    for (int i = 0; i < units / 8; i++) fputs("\xe2\x96\x88", out); /* █ */
    fputs(eighths[units % 8], out);
}

void sgc_tt_print(const sgc_ttable *t, FILE *out, bool bars, int bar_width)
{
    size_t w[SGC_TT_MAXCOLS];
    for (int c = 0; c < t->ncols; c++) {
        w[c] = sgc_tt_width(t->hdr[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            size_t cw = s ? sgc_tt_width(s) : 0;
            w[c] = cw > w[c] ? cw : w[c];
        }
    }
    for (long r = -1; r < (long)t->nrows; r++) {
        fputs("  ", out);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = r < 0 ? t->hdr[c] : t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            s = s ? s : "";
            size_t gap = w[c] - sgc_tt_width(s);
            bool last = c == t->ncols - 1;
            if (t->right[c]) pad(out, gap);
            fputs(s, out);
            if (!t->right[c] && (!last || (bars && r >= 0))) pad(out, gap);
            if (!last) fputs("  ", out);
        }
        if (bars && r >= 0) print_bar(out, t->bar[r], bar_width);
        fputc('\n', out);
    }
}

void sgc_tt_free(sgc_ttable *t)
{
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++) free(t->cells[i]);
    free(t->cells);
    free(t->bar);
    memset(t, 0, sizeof *t);
}
