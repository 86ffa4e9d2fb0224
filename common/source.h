/* A piece of text that a condition, output or value was read from, and how to
 * map a byte offset inside it back to file:line:column.
 *
 * Conditions come from YAML scalars (plain, quoted, literal, folded): the
 * parsed value is not the raw file text, so the loader records, per byte of
 * the value, where that byte came from in the file. */
#ifndef SGC_SOURCE_H
#define SGC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sgc_source {
    const char *file; /* file name, or NULL for text from the command line */
    char *text;       /* the value (condition/output text), NUL-terminated */
    size_t len;
    /* Per-byte file positions of text[i], both 1-based; NULL when the text is
     * not from a file (then line/col are computed inside the text). The arrays
     * hold len+1 entries: the last one is the position just after the value. */
    int *line_of;
    int *col_of;
    /* Per-byte file names (len+1 entries, not owned), for a text joined from
     * several files (a condition appended to in a later file); NULL when every
     * byte comes from `file`. */
    const char **file_of;
    /* Instead of the three per-byte maps (NULL then): the positions as
     * segments sorted by `off`, for a text of many short pieces (the items
     * of a 100,000-item list, 24 bytes per item instead of 16 per byte).
     * Byte i of segment k (segs[k].off <= i < segs[k+1].off) is at line
     * segs[k].line, column segs[k].col + max(0, i - segs[k].base), in
     * segs[k].file. */
    struct sgc_source_seg {
        uint32_t off, base;
        int line, col;
        const char *file;
    } *segs;
    size_t nsegs;
    struct sgc_source *next; /* owner's list, for freeing */
} sgc_source;

/* A position: a byte offset inside one source text. */
typedef struct sgc_loc {
    const sgc_source *src;
    uint32_t off;
} sgc_loc;

/* New source owning a copy of text; the maps are NULL (positions relative to
 * the text itself). */
sgc_source *sgc_source_new(const char *file, const char *text, size_t len);
void sgc_source_free(sgc_source *s);

/* Does the source map its bytes to file positions (per-byte maps or segments)? */
int sgc_source_is_mapped(const sgc_source *s);

/* Resolve a location to the line:column a user should see: the file position
 * when the source is mapped, else the position inside the text. */
void sgc_loc_pos(sgc_loc loc, int *line, int *col);
const char *sgc_loc_file(sgc_loc loc);

#endif
