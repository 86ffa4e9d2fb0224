/* Aligned text tables for the report's terminal output: cells are copied,
 * control characters replaced, long ones cut with an ellipsis; a row may carry
 * a bar (0..1) drawn in block characters after the last column. */
#ifndef SGC_REPORT_TEXT_TABLE_H
#define SGC_REPORT_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SGC_TT_MAXCOLS 12

typedef struct sgc_ttable {
    int ncols;
    const char *hdr[SGC_TT_MAXCOLS];
    bool right[SGC_TT_MAXCOLS];
    char **cells; /* nrows * ncols */
    double *bar;  /* per row, < 0 = none */
    size_t nrows, cap;
    bool oom;
} sgc_ttable;

/* Columns "NAME" (left) or ">NAME" (right-aligned, for numbers). */
void sgc_tt_init(sgc_ttable *t, int ncols, const char *const *cols);
/* Start a row; then set its cells (missing ones are empty). */
void sgc_tt_row(sgc_ttable *t, double bar);
void sgc_tt_cell(sgc_ttable *t, int col, const char *s, size_t n);
__attribute__((format(printf, 3, 4))) void sgc_tt_cellf(sgc_ttable *t, int col, const char *fmt,
                                                        ...);
/* Print with two-space indent; bars (bar_width cells) only when bars is set. */
void sgc_tt_print(const sgc_ttable *t, FILE *out, bool bars, int bar_width);
void sgc_tt_free(sgc_ttable *t);

/* Copy s[0..n) to out (cap bytes), control characters as '?', cut to at most
 * max_cols display columns with "…" at the end. */
void sgc_tt_clean(const char *s, size_t n, size_t max_cols, char *out, size_t cap);
/* Display columns of a UTF-8 string (one per code point). */
size_t sgc_tt_width(const char *s);

#endif
