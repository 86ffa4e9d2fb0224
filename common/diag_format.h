/* Printing diagnostics for people and for tools:
 *   text   file:line:col: error: [CODE] message (rule 'X'), the source line, a caret
 *   json   the schema of docs/lint-json-schema.md
 *   sarif  SARIF 2.1.0, for code-scanning UIs
 * The printers only read the diagnostics; source lines come from
 * sgc_diag.source_line (the front end fills it for findings in files). */
#ifndef SGC_DIAG_FORMAT_H
#define SGC_DIAG_FORMAT_H

#include "diag.h"
#include <stdio.h>

typedef enum { SGC_FMT_TEXT, SGC_FMT_JSON, SGC_FMT_SARIF } sgc_diag_format;

/* "text" / "json" / "sarif" to the enum; -1 when unknown. */
int sgc_diag_format_parse(const char *name);

/* One line of description for a diagnostic code (Falco's codes and ours);
 * the code itself when it is not in the table. */
const char *sgc_code_description(const char *code);

/* files: the inputs, listed in the JSON "files" array and as SARIF artifacts. */
void sgc_diags_print_text(FILE *out, const sgc_diags *d);
void sgc_diags_print_json(FILE *out, const sgc_diags *d, const char *const *files, int nfiles);
void sgc_diags_print_sarif(FILE *out, const sgc_diags *d, const char *const *files, int nfiles);
void sgc_diags_print(FILE *out, sgc_diag_format fmt, const sgc_diags *d, const char *const *files,
                     int nfiles);

/* Helpers shared with other JSON writers. */
void sgc_json_string(FILE *out, const char *s); /* quoted and escaped; null for NULL */

#endif
