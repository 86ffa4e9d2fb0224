/* Falco output templates: "File opened by %user.name (cmd=%proc.cmdline gp=%proc.aname[2])"
 * split into literal text and field references, with positions.
 *
 * Syntax (as Falco's formatter reads it):
 *   %NAME          NAME is letters, digits, '_' and '.' (proc.name, evt.arg.flags)
 *   %NAME[ARG]     a bracket argument (proc.aname[2], container.mount.dest[/var])
 *   %FN(NAME...)   a transformer applied to a field (%toupper(proc.name)); the
 *                  text between the parentheses is kept as written
 *   %%             a literal '%'
 * A '%' followed by anything else, or at the end, is an error.
 * %container.info (deprecated by Falco 0.41, which replaces it with nothing)
 * becomes an empty text segment marked `dropped`. */
#ifndef SGC_OUTPUT_FMT_H
#define SGC_OUTPUT_FMT_H

#include "source.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SGC_OSEG_TEXT,     /* literal text */
    SGC_OSEG_FIELD,    /* %field or %field[arg] */
    SGC_OSEG_TRANSFORM /* %fn(field) */
} sgc_oseg_kind;

typedef struct sgc_oseg {
    sgc_oseg_kind kind;
    uint32_t off;      /* byte offset in the template of the text, or of the '%' */
    uint32_t len;      /* bytes covered in the template (with '%' and brackets) */
    char *text;        /* TEXT: the literal (with %% folded); FIELD: the field name;
                         TRANSFORM: the transformer name */
    char *arg;         /* FIELD: bracket argument or NULL; TRANSFORM: the text
                         inside the parentheses */
    uint32_t name_off; /* FIELD/TRANSFORM: offset of the name (after '%') */
    uint32_t arg_off;  /* offset of the argument text, when there is one */
    bool dropped;      /* TEXT: an empty segment where %container.info was */
} sgc_oseg;

typedef struct sgc_output_fmt {
    sgc_oseg *segs;
    int nsegs;
} sgc_output_fmt;

/* Parses TEXT (LEN bytes). Returns 0 on success. On a syntax error returns -1,
 * sets *err_off to the offset of the offending '%' and *err to a malloc'd
 * message; FMT then holds the segments before the error. */
int sgc_output_fmt_parse(const char *text, size_t len, sgc_output_fmt *fmt, uint32_t *err_off,
                         char **err);
void sgc_output_fmt_free(sgc_output_fmt *fmt);

#endif
