/* sgc lint [--format text|json|sarif] [--strict] [--ignore CODE]... [FILE...]
 * Load, resolve, type check and lint rules files offline (the embedded
 * default rules when no file is given). Exit 0 clean (warnings allowed), 1
 * with errors (or warnings under --strict), 2 on a usage error. */
#include "commands.h"
#include "diag_format.h"
#include "frontend.h"
#include "codegen_lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif

static void usage(FILE *out)
{
    fputs("usage: sgc lint [--format text|json|sarif] [--strict] [--ignore CODE]... [FILE...]\n"
          "\n"
          "Check Falco-style rules files offline: YAML and schema, conditions, outputs,\n"
          "macros and lists, event types, and lint findings. Files load in order, a\n"
          "later definition replacing an earlier one. With no FILE, lint the default\n"
          "rules embedded in sgc.\n"
          "\n"
          "options:\n"
          "  --format FMT   text (default), json (docs/lint-json-schema.md) or sarif (2.1.0)\n"
          "  --strict       exit 1 on warnings too\n"
          "  --ignore CODE  leave out the warnings with this code (repeatable), e.g.\n"
          "                 SGC_KERNEL_FILTER_USERSPACE; errors cannot be left out\n"
          "  -h, --help     show this help\n"
          "\n"
          "exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error\n",
          out);
}

/* The process exits after a lint and its memory goes with it: freeing a
 * large rule set node by node is a tenth of its lint (10,000 rules), so the
 * front end stays here, reachable, instead (clang's -disable-free). */
static sgc_frontend lint_fe;

int cmd_lint(int argc, char **argv)
{
    int fmt = SGC_FMT_TEXT;
    bool strict = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    const char **ignore = calloc((size_t)argc + 1, sizeof *ignore);
    int nfiles = 0, nignore = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *fmt_name = NULL;
        if (options_done || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = a;
        } else if (!strcmp(a, "--")) {
            options_done = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(files);
            free(ignore);
            return 0;
        } else if (!strcmp(a, "--strict")) {
            strict = true;
        } else if (!strcmp(a, "--ignore") || !strncmp(a, "--ignore=", 9)) {
            const char *code = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!code || !*code) {
                fprintf(stderr, "sgc lint: --ignore needs a warning code\n");
                free(files);
                free(ignore);
                return 2;
            }
            ignore[nignore++] = code;
        } else if (!strcmp(a, "--format") || !strcmp(a, "-f")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sgc lint: %s needs a value (text, json or sarif)\n", a);
                free(files);
                free(ignore);
                return 2;
            }
            fmt_name = argv[++i];
        } else if (!strncmp(a, "--format=", 9)) {
            fmt_name = a + 9;
        } else {
            fprintf(stderr, "sgc lint: unknown option '%s'\n", a);
            usage(stderr);
            free(files);
            free(ignore);
            return 2;
        }
        if (fmt_name && (fmt = sgc_diag_format_parse(fmt_name)) < 0) {
            fprintf(stderr, "sgc lint: unknown format '%s' (text, json or sarif)\n", fmt_name);
            free(files);
            free(ignore);
            return 2;
        }
    }

    sgc_frontend_opts opts = {
        .lint = true,
        .embedded = sgc_embedded_rules,
        .embedded_len = sgc_embedded_rules_len,
        .embedded_name = sgc_embedded_rules_name,
    };
    sgc_frontend_run(&lint_fe, files, nfiles, &opts);
    sgc_frontend *fe = &lint_fe;
    /* the kernel filter's shape (split, parts left to userspace): only for a
     * rule set that would compile */
    if (!fe->diags->nerrors) {
        int from = fe->diags->n;
        sgc_kernel_filter_lint(fe->rs, fe->diags);
        sgc_frontend_finish_diags(fe, from);
    }
    int ignored = 0;
    for (int i = 0; i < nignore; i++) ignored += sgc_diags_drop_warnings(fe->diags, ignore[i]);
    sgc_diags_print(stdout, (sgc_diag_format)fmt, fe->diags, fe->inputs, fe->ninputs);
    /* A clean run still says what it checked: silence is never the answer. */
    if (fmt == SGC_FMT_TEXT && !fe->diags->nerrors && !fe->diags->nwarnings)
        fprintf(stdout, "no findings: %d rules, %d macros, %d lists in %d file%s%s\n",
                fe->rs->nrules, fe->rs->nmacros, fe->rs->nlists, fe->ninputs,
                fe->ninputs == 1 ? "" : "s", ignored ? " (warnings left out by --ignore)" : "");
    int rc = fe->diags->nerrors ? 1 : (strict && fe->diags->nwarnings) ? 1 : 0;
    /* fe is not freed (see lint_fe); the kernel filter lint's memory, freed
     * already, goes back to the system, so that the exit does not happen at
     * the peak (and add its own pages to it) */
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    free(files);
    free(ignore);
    return rc;
}
