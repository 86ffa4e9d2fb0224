/* Diagnostics: the errors and warnings every phase reports, with a code
 * (Falco's names where Falco has the kind, SGC_* for ours), a position and a
 * message. Phases append; the CLI prints them in text, JSON or SARIF. */
#ifndef SGC_DIAG_H
#define SGC_DIAG_H

#include "source.h"
#include <stdarg.h>
#include <stdbool.h>

typedef enum { SGC_SEV_ERROR, SGC_SEV_WARNING } sgc_severity;

typedef struct sgc_diag {
    sgc_severity sev;
    const char *code; /* static string, e.g. "LOAD_ERR_COMPILE_CONDITION" */
    char *msg;
    char *file;        /* may be NULL */
    int line, col;     /* 1-based; 0 when unknown */
    char *item;        /* "rule 'X'", "macro 'y'"... or NULL */
    char *source_line; /* the text of the offending line, when known, for the caret display */
    int seq;           /* insertion order, keeps sorting stable */
} sgc_diag;

typedef struct sgc_diags {
    sgc_diag *v;
    int n, cap;
    int nerrors, nwarnings;
} sgc_diags;

void sgc_diags_init(sgc_diags *d);
void sgc_diags_free(sgc_diags *d);

/* Append a diagnostic at an explicit file position. */
__attribute__((format(printf, 7, 8))) void sgc_diag_add(sgc_diags *d, sgc_severity sev,
                                                        const char *code, const char *file,
                                                        int line, int col, const char *fmt, ...);

/* Append a diagnostic at a location inside a source text. */
__attribute__((format(printf, 5, 6))) void
sgc_diag_at(sgc_diags *d, sgc_severity sev, const char *code, sgc_loc loc, const char *fmt, ...);

/* The same with a va_list, for wrappers that take their own format. */
__attribute__((format(printf, 7, 0))) void sgc_diag_vadd(sgc_diags *d, sgc_severity sev,
                                                         const char *code, const char *file,
                                                         int line, int col, const char *fmt,
                                                         va_list ap);
__attribute__((format(printf, 5, 0))) void sgc_diag_vat(sgc_diags *d, sgc_severity sev,
                                                        const char *code, sgc_loc loc,
                                                        const char *fmt, va_list ap);

/* Set the item description of the last diagnostic (e.g. "rule 'Foo'"). */
void sgc_diag_set_item(sgc_diags *d, const char *item);

/* Remove the warnings with this code (sgc lint --ignore; errors stay),
 * keeping the others in order. Returns how many were removed. */
int sgc_diags_drop_warnings(sgc_diags *d, const char *code);

/* Sort by file, line, column (stable), for reproducible output. */
void sgc_diags_sort(sgc_diags *d);

#endif
