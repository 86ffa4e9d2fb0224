/* The front end every command runs: load the rules files in order (or the
 * embedded default rules) -> resolve macros, lists and exceptions -> type
 * check conditions and outputs -> lint checks. One call returns the rule set
 * and every diagnostic, sorted by input order, line and column, each with
 * its source line for caret display. */
#ifndef SGC_FRONTEND_H
#define SGC_FRONTEND_H

#include "ruleset.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct sgc_frontend_opts {
    bool lint; /* also run the lint checks (lint.h) */
    /* Used when no file is given: the embedded rules (the sgc binary passes
     * sgc_embedded_rules; the library does not link them). */
    const char *embedded;
    size_t embedded_len;
    const char *embedded_name;
} sgc_frontend_opts;

typedef struct sgc_frontend {
    sgc_ruleset *rs;     /* never NULL after sgc_frontend_run */
    sgc_diags *diags;    /* &rs->diags */
    const char **inputs; /* names of what was loaded, in order */
    int ninputs;
    /* internal: texts read back for source lines */
    struct sgc_frontend_text {
        const char *name;
        char *text;
        size_t len;
        bool owned;
        size_t *line_start; /* offset of each line (built on first use) */
        int nlines;
    } *texts;
    int ntexts;
} sgc_frontend;

/* Run the pipeline on files (nfiles may be 0: the embedded rules). Returns
 * the number of errors. After it, each rule that will run has `resolved`
 * set and type checked (fdef filled); rules skipped by
 * skip-if-unknown-filter have resolved == NULL and enabled == false. Loading
 * stops at the first file that cannot be read or parsed as YAML (as Falco
 * does); later phases then do not run. With opts->lint false, every load,
 * resolve and type finding is still reported; only lint.h's checks are left
 * out. */
int sgc_frontend_run(sgc_frontend *fe, const char *const *files, int nfiles,
                     const sgc_frontend_opts *opts);
/* After findings were added to fe->diags past the run (the kernel filter's
 * lint, codegen_lint.h), from index `from` on: their source lines, and the
 * run's order again. */
void sgc_frontend_finish_diags(sgc_frontend *fe, int from);
void sgc_frontend_free(sgc_frontend *fe);

#endif
