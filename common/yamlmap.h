/* Where the bytes of a YAML scalar's value came from in the file.
 *
 * libyaml gives each node start/end marks (in characters); a scalar's value
 * is not the raw text between them (quotes, escapes, indentation and line
 * folding change it). sgc_yfile_map_scalar aligns the value against the raw
 * text, so an error at byte i of a condition is reported at the file
 * line:column that byte was written at. */
#ifndef SGC_YAMLMAP_H
#define SGC_YAMLMAP_H

#include <stddef.h>
#include <yaml.h>

typedef struct sgc_yfile {
    const char *name;
    const char *buf;
    size_t len;
    size_t bom;           /* bytes of a UTF-8 byte-order mark libyaml skipped */
    size_t *char_to_byte; /* libyaml character index -> byte offset; NULL if ASCII */
    size_t nchars;
    size_t *line_start; /* byte offset of each line */
    int nlines;
} sgc_yfile;

void sgc_yfile_init(sgc_yfile *f, const char *name, const char *buf, size_t len);
void sgc_yfile_free(sgc_yfile *f);

/* Byte offset of a libyaml mark. */
size_t sgc_yfile_mark_byte(const sgc_yfile *f, yaml_mark_t m);
/* 1-based line and column (in bytes) of a byte offset. */
void sgc_yfile_pos(const sgc_yfile *f, size_t byte, int *line, int *col);

/* Fill line_of/col_of (node->data.scalar.length + 1 entries each) with the
 * file position of each byte of a scalar node's value; the last entry is the
 * position just after the value. */
void sgc_yfile_map_scalar(const sgc_yfile *f, const yaml_node_t *node, int *line_of, int *col_of);
/* The file position of a scalar's first value byte (line_of[0] and col_of[0]
 * of sgc_yfile_map_scalar), without mapping the rest: plain and
 * single-quoted scalars, the items of large lists, cost O(log lines). */
void sgc_yfile_scalar_start(const sgc_yfile *f, const yaml_node_t *node, int *line, int *col);

#endif
