#include "source.h"

#include <stdlib.h>
#include <string.h>

sgc_source *sgc_source_new(const char *file, const char *text, size_t len)
{
    sgc_source *s = calloc(1, sizeof *s);
    s->file = file;
    s->text = malloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    return s;
}

void sgc_source_free(sgc_source *s)
{
    if (!s) return;
    free(s->text);
    free(s->line_of);
    free(s->col_of);
    free(s->file_of);
    free(s->segs);
    free(s);
}

int sgc_source_is_mapped(const sgc_source *s) { return s->line_of || s->segs; }

/* The segment holding byte off (the last one starting at or before it). */
static const struct sgc_source_seg *seg_of(const sgc_source *s, size_t off)
{
    size_t lo = 0, hi = s->nsegs; /* segs[0].off is 0 */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->segs[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return &s->segs[lo];
}

void sgc_loc_pos(sgc_loc loc, int *line, int *col)
{
    const sgc_source *s = loc.src;
    if (!s) {
        *line = 0;
        *col = 0;
        return;
    }
    size_t off = loc.off > s->len ? s->len : loc.off;
    if (s->line_of) {
        *line = s->line_of[off];
        *col = s->col_of[off];
        return;
    }
    if (s->segs) {
        const struct sgc_source_seg *g = seg_of(s, off);
        *line = g->line;
        *col = g->col + (off > g->base ? (int)(off - g->base) : 0);
        return;
    }
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (s->text[i] == '\n') {
            l++;
            c = 1;
        } else
            c++;
    }
    *line = l;
    *col = c;
}

const char *sgc_loc_file(sgc_loc loc)
{
    if (!loc.src) return NULL;
    if (loc.src->segs)
        return seg_of(loc.src, loc.off > loc.src->len ? loc.src->len : loc.off)->file;
    if (loc.src->file_of) return loc.src->file_of[loc.off > loc.src->len ? loc.src->len : loc.off];
    return loc.src->file;
}
