#include "diag_format.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int sgc_diag_format_parse(const char *name)
{
    if (!strcmp(name, "text")) return SGC_FMT_TEXT;
    if (!strcmp(name, "json")) return SGC_FMT_JSON;
    if (!strcmp(name, "sarif")) return SGC_FMT_SARIF;
    return -1;
}

/* Falco's load_result codes keep Falco's meaning; SGC_* are ours
 * (docs/cli.md lists them). */
static const struct {
    const char *code, *desc;
} code_table[] = {
    {"LOAD_ERR_FILE_READ", "A rules file could not be read"},
    {"LOAD_ERR_YAML_PARSE", "A rules file is not valid YAML"},
    {"LOAD_ERR_YAML_VALIDATE", "A rules file item does not follow the rules schema"},
    {"LOAD_ERR_COMPILE_CONDITION", "A condition could not be compiled"},
    {"LOAD_ERR_COMPILE_OUTPUT", "An output could not be compiled"},
    {"LOAD_ERR_VALIDATE", "A rule, macro or list item is incorrect (undefined macro, append to "
                          "nothing, bad exception, ...)"},
    {"LOAD_ERR_EXTENSION", "An error in an extension item"},
    {"LOAD_UNKNOWN_SOURCE", "Unknown event source"},
    {"LOAD_UNSAFE_NA_CHECK", "Unsafe <NA> comparison in condition"},
    {"LOAD_NO_EVTTYPE", "Condition has no event-type restriction"},
    {"LOAD_UNKNOWN_FILTER", "Unknown field or event-type in condition or output"},
    {"LOAD_UNUSED_MACRO", "Unused macro"},
    {"LOAD_UNUSED_LIST", "Unused list"},
    {"LOAD_UNKNOWN_ITEM", "Unknown rules file item"},
    {"LOAD_UNKNOWN_KEY", "Unknown key in a rules file item"},
    {"LOAD_DEPRECATED_ITEM", "Used deprecated item"},
    {"LOAD_WARNING_EXTENSION", "Warning in extension item"},
    {"LOAD_APPEND_NO_VALUES", "Overriding/appending with no values"},
    {"LOAD_EXCEPTION_NAME_NOT_UNIQUE", "Multiple exceptions defined with the same name"},
    {"LOAD_INVALID_MACRO_NAME", "Macro has an invalid name"},
    {"LOAD_INVALID_LIST_NAME", "List has an invalid name"},
    {"SGC_UNKNOWN_CONSTANT",
     "A value looks like a constant name (errno, capability, flag) but is none"},
    {"SGC_ALWAYS_FALSE", "Condition is always false: the rule can never match"},
    {"SGC_ALWAYS_TRUE", "Condition is always true: the rule matches every event"},
    {"SGC_DUPLICATE_LIST_ITEM", "Duplicate item in a list"},
    {"SGC_SHADOWED_RULE", "Rule redefined: the earlier definition is replaced"},
};

const char *sgc_code_description(const char *code)
{
    for (size_t i = 0; i < sizeof code_table / sizeof code_table[0]; i++)
        if (!strcmp(code_table[i].code, code)) return code_table[i].desc;
    return code;
}

static const char *sev_name(sgc_severity s) { return s == SGC_SEV_ERROR ? "error" : "warning"; }

/* ---- text ----------------------------------------------------------------- */

static bool utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Columns are 1-based byte offsets. The caret line keeps the tabs of the
 * source line and counts a multi-byte UTF-8 character once, so the caret
 * lines up on a terminal. */
static void print_caret(FILE *out, const char *line, int col)
{
    fprintf(out, "  %s\n  ", line);
    int n = (int)strlen(line);
    for (int i = 0; i < col - 1 && i < n; i++) {
        if (utf8_continuation((unsigned char)line[i])) continue;
        fputc(line[i] == '\t' ? '\t' : ' ', out);
    }
    for (int i = n; i < col - 1; i++) fputc(' ', out);
    fputs("^\n", out);
}

/* SARIF columns count Unicode code points (we declare columnKind so). */
static int code_point_column(const sgc_diag *g)
{
    if (!g->source_line) return g->col;
    int cp = 1, n = (int)strlen(g->source_line);
    for (int i = 0; i < g->col - 1; i++)
        if (i >= n || !utf8_continuation((unsigned char)g->source_line[i])) cp++;
    return cp;
}

void sgc_diags_print_text(FILE *out, const sgc_diags *d)
{
    for (int i = 0; i < d->n; i++) {
        const sgc_diag *g = &d->v[i];
        const char *file = g->file ? g->file : "sgc";
        if (g->line > 0 && g->col > 0)
            fprintf(out, "%s:%d:%d: ", file, g->line, g->col);
        else if (g->line > 0)
            fprintf(out, "%s:%d: ", file, g->line);
        else
            fprintf(out, "%s: ", file);
        fprintf(out, "%s: [%s] %s", sev_name(g->sev), g->code, g->msg);
        if (g->item) fprintf(out, " (%s)", g->item);
        fputc('\n', out);
        if (g->source_line && g->col > 0) print_caret(out, g->source_line, g->col);
    }
    if (d->nerrors || d->nwarnings)
        fprintf(out, "%d error%s, %d warning%s\n", d->nerrors, d->nerrors == 1 ? "" : "s",
                d->nwarnings, d->nwarnings == 1 ? "" : "s");
}

/* ---- JSON ----------------------------------------------------------------- */

void sgc_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_int_or_null(FILE *out, int v)
{
    if (v > 0)
        fprintf(out, "%d", v);
    else
        fputs("null", out);
}

void sgc_diags_print_json(FILE *out, const sgc_diags *d, const char *const *files, int nfiles)
{
    fputs("{\"version\":1,\"files\":[", out);
    for (int i = 0; i < nfiles; i++) {
        if (i) fputc(',', out);
        sgc_json_string(out, files[i]);
    }
    fprintf(out, "],\"errors\":%d,\"warnings\":%d,\"findings\":[", d->nerrors, d->nwarnings);
    for (int i = 0; i < d->n; i++) {
        const sgc_diag *g = &d->v[i];
        fputs(i ? ",\n" : "\n", out);
        fprintf(out, "{\"severity\":\"%s\",\"code\":", sev_name(g->sev));
        sgc_json_string(out, g->code);
        fputs(",\"message\":", out);
        sgc_json_string(out, g->msg);
        fputs(",\"file\":", out);
        sgc_json_string(out, g->file);
        fputs(",\"line\":", out);
        json_int_or_null(out, g->line);
        fputs(",\"column\":", out);
        json_int_or_null(out, g->col);
        fputs(",\"item\":", out);
        sgc_json_string(out, g->item);
        fputc('}', out);
    }
    fputs(d->n ? "\n]}\n" : "]}\n", out);
}

/* ---- SARIF 2.1.0 ------------------------------------------------------------ */

/* A file name as a URI reference: absolute paths become file:// URIs, every
 * byte outside the unreserved set and '/' is percent-encoded (so the
 * embedded rules' "<embedded>/..." name stays a valid relative reference). */
static void sarif_uri(FILE *out, const char *path)
{
    fputc('"', out);
    if (path[0] == '/') fputs("file://", out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("-._~/", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    fputc('"', out);
}

/* Index of code among the distinct codes of d (in first-use order). */
static int rule_index(const char **codes, int ncodes, const char *code)
{
    for (int i = 0; i < ncodes; i++)
        if (!strcmp(codes[i], code)) return i;
    return -1;
}

void sgc_diags_print_sarif(FILE *out, const sgc_diags *d, const char *const *files, int nfiles)
{
    const char **codes = calloc((size_t)d->n + 1, sizeof *codes);
    int ncodes = 0;
    for (int i = 0; i < d->n; i++)
        if (rule_index(codes, ncodes, d->v[i].code) < 0) codes[ncodes++] = d->v[i].code;

    fputs("{\n\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "\"version\":\"2.1.0\",\n\"runs\":[{\n\"tool\":{\"driver\":{\"name\":\"sgc\","
          "\"version\":\"" SGC_VERSION "\",\"rules\":[",
          out);
    for (int i = 0; i < ncodes; i++) {
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"id\":", out);
        sgc_json_string(out, codes[i]);
        fputs(",\"shortDescription\":{\"text\":", out);
        sgc_json_string(out, sgc_code_description(codes[i]));
        fputs("}}", out);
    }
    fputs("]}},\n\"columnKind\":\"unicodeCodePoints\",\n\"artifacts\":[", out);
    for (int i = 0; i < nfiles; i++) {
        fputs(i ? "," : "", out);
        fputs("{\"location\":{\"uri\":", out);
        sarif_uri(out, files[i]);
        fputs("}}", out);
    }
    fputs("],\n\"results\":[", out);
    for (int i = 0; i < d->n; i++) {
        const sgc_diag *g = &d->v[i];
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"ruleId\":", out);
        sgc_json_string(out, g->code);
        fprintf(out, ",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{\"text\":",
                rule_index(codes, ncodes, g->code), sev_name(g->sev));
        /* the item goes into the message: SARIF viewers show only the text */
        char *text = NULL;
        if (g->item && asprintf(&text, "%s (%s)", g->msg, g->item) < 0) text = NULL;
        sgc_json_string(out, text ? text : g->msg);
        free(text);
        fputs("}", out);
        if (g->file) {
            fputs(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", out);
            sarif_uri(out, g->file);
            fputs("}", out);
            if (g->line > 0) {
                fprintf(out, ",\"region\":{\"startLine\":%d", g->line);
                if (g->col > 0) fprintf(out, ",\"startColumn\":%d", code_point_column(g));
                fputs("}", out);
            }
            fputs("}}]", out);
        }
        fputs("}", out);
    }
    fputs(d->n ? "\n]\n}]\n}\n" : "]\n}]\n}\n", out);
    free(codes);
}

void sgc_diags_print(FILE *out, sgc_diag_format fmt, const sgc_diags *d, const char *const *files,
                     int nfiles)
{
    switch (fmt) {
    case SGC_FMT_TEXT: sgc_diags_print_text(out, d); break;
    case SGC_FMT_JSON: sgc_diags_print_json(out, d, files, nfiles); break;
    case SGC_FMT_SARIF: sgc_diags_print_sarif(out, d, files, nfiles); break;
    }
}
