#include "yamlmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sgc_yfile_init(sgc_yfile *f, const char *name, const char *buf, size_t len)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->buf = buf;
    f->len = len;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) f->bom = 3;

    bool ascii = true;
    int nlines = 1;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)buf[i] >= 0x80) ascii = false;
        if (buf[i] == '\n') nlines++;
    }
    f->line_start = malloc((size_t)nlines * sizeof *f->line_start);
    f->line_start[0] = 0;
    f->nlines = 1;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n') f->line_start[f->nlines++] = i + 1;

    if (!ascii) {
        /* libyaml counts characters: one per UTF-8 lead byte */
        f->char_to_byte = malloc((len + 1) * sizeof *f->char_to_byte);
        size_t n = 0;
        for (size_t i = f->bom; i < len; i++)
            if (((unsigned char)buf[i] & 0xC0) != 0x80) f->char_to_byte[n++] = i;
        f->char_to_byte[n] = len;
        f->nchars = n;
    }
}

void sgc_yfile_free(sgc_yfile *f)
{
    free(f->char_to_byte);
    free(f->line_start);
    memset(f, 0, sizeof *f);
}

size_t sgc_yfile_mark_byte(const sgc_yfile *f, yaml_mark_t m)
{
    size_t b;
    if (f->char_to_byte)
        b = m.index <= f->nchars ? f->char_to_byte[m.index] : f->len;
    else
        b = f->bom + m.index;
    return b > f->len ? f->len : b;
}

void sgc_yfile_pos(const sgc_yfile *f, size_t byte, int *line, int *col)
{
    int lo = 0, hi = f->nlines - 1;
    while (lo < hi) { /* last line starting at or before byte */
        int mid = (lo + hi + 1) / 2;
        if (f->line_start[mid] <= byte)
            lo = mid;
        else
            hi = mid - 1;
    }
    *line = lo + 1;
    *col = (int)(byte - f->line_start[lo]) + 1;
}

/* One byte the raw text can contribute to the value, and where it was. */
typedef struct {
    unsigned char c;
    size_t at;
} cand;

typedef struct {
    cand *v;
    size_t n, cap;
} cands;

static void push(cands *cs, unsigned char c, size_t at)
{
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 64;
        cs->v = realloc(cs->v, cs->cap * sizeof *cs->v);
    }
    cs->v[cs->n++] = (cand){c, at};
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Push the UTF-8 encoding of code point u, all bytes at position at. */
static void push_utf8(cands *cs, uint32_t u, size_t at)
{
    if (u < 0x80)
        push(cs, (unsigned char)u, at);
    else if (u < 0x800) {
        push(cs, (unsigned char)(0xC0 | (u >> 6)), at);
        push(cs, (unsigned char)(0x80 | (u & 0x3F)), at);
    } else if (u < 0x10000) {
        push(cs, (unsigned char)(0xE0 | (u >> 12)), at);
        push(cs, (unsigned char)(0x80 | ((u >> 6) & 0x3F)), at);
        push(cs, (unsigned char)(0x80 | (u & 0x3F)), at);
    } else {
        push(cs, (unsigned char)(0xF0 | (u >> 18)), at);
        push(cs, (unsigned char)(0x80 | ((u >> 12) & 0x3F)), at);
        push(cs, (unsigned char)(0x80 | ((u >> 6) & 0x3F)), at);
        push(cs, (unsigned char)(0x80 | (u & 0x3F)), at);
    }
}

/* Double-quoted: decode escapes (each decoded byte sits at its backslash);
 * an escaped line break contributes nothing. */
static void cands_double(cands *cs, const char *b, size_t s, size_t e)
{
    if (s < e && b[s] == '"') s++;
    if (e > s && b[e - 1] == '"') e--;
    for (size_t i = s; i < e; i++) {
        if (b[i] != '\\' || i + 1 >= e) {
            push(cs, (unsigned char)b[i], i);
            continue;
        }
        size_t at = i;
        char x = b[++i];
        int width = 0;
        switch (x) {
        case '0': push(cs, 0, at); break;
        case 'a': push(cs, '\a', at); break;
        case 'b': push(cs, '\b', at); break;
        case 't':
        case '\t': push(cs, '\t', at); break;
        case 'n': push(cs, '\n', at); break;
        case 'v': push(cs, '\v', at); break;
        case 'f': push(cs, '\f', at); break;
        case 'r': push(cs, '\r', at); break;
        case 'e': push(cs, 0x1B, at); break;
        case ' ': push(cs, ' ', at); break;
        case '"': push(cs, '"', at); break;
        case '/': push(cs, '/', at); break;
        case '\\': push(cs, '\\', at); break;
        case 'N': push_utf8(cs, 0x85, at); break;
        case '_': push_utf8(cs, 0xA0, at); break;
        case 'L': push_utf8(cs, 0x2028, at); break;
        case 'P': push_utf8(cs, 0x2029, at); break;
        case 'x': width = 2; break;
        case 'u': width = 4; break;
        case 'U': width = 8; break;
        case '\r':
        case '\n':
            /* escaped line break: skip it and the next line's indentation */
            if (x == '\r' && i + 1 < e && b[i + 1] == '\n') i++;
            while (i + 1 < e && (b[i + 1] == ' ' || b[i + 1] == '\t')) i++;
            break;
        default: push(cs, (unsigned char)x, at); break;
        }
        if (width) {
            uint32_t u = 0;
            int k = 0;
            for (; k < width && i + 1 < e && hexval(b[i + 1]) >= 0; k++)
                u = u * 16 + (uint32_t)hexval(b[++i]);
            push_utf8(cs, u, at);
        }
    }
}

/* Single-quoted: '' stands for one quote. */
static void cands_single(cands *cs, const char *b, size_t s, size_t e)
{
    if (s < e && b[s] == '\'') s++;
    if (e > s && b[e - 1] == '\'') e--;
    for (size_t i = s; i < e; i++) {
        push(cs, (unsigned char)b[i], i);
        if (b[i] == '\'' && i + 1 < e && b[i + 1] == '\'') i++;
    }
}

/* Literal/folded block: skip the header line, then each line's indentation. */
static void cands_block(cands *cs, const char *b, size_t s, size_t e)
{
    int indent = -1;
    size_t i = s;
    for (; i < e && b[i] != '\n'; i++) /* header: | or > with indicators, maybe a comment */
        if (b[i] >= '1' && b[i] <= '9' && indent < 0) indent = b[i] - '0';
    if (i < e) i++;
    if (indent >= 0) {
        /* explicit indentation is relative to the parent: use the first
         * content line's indentation, which is at least that much */
        indent = -1;
    }
    if (indent < 0) { /* the first non-blank line's indentation */
        for (size_t j = i; j < e;) {
            size_t k = j;
            while (k < e && b[k] == ' ') k++;
            if (k < e && b[k] != '\n' && b[k] != '\r') {
                indent = (int)(k - j);
                break;
            }
            while (k < e && b[k] != '\n') k++;
            j = k + 1;
        }
        if (indent < 0) indent = 0;
    }
    while (i < e) {
        int skipped = 0;
        while (i < e && b[i] == ' ' && skipped < indent) {
            i++;
            skipped++;
        }
        while (i < e && b[i] != '\n') {
            push(cs, (unsigned char)b[i], i);
            i++;
        }
        if (i < e) {
            push(cs, '\n', i);
            i++;
        }
    }
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void sgc_yfile_map_scalar(const sgc_yfile *f, const yaml_node_t *node, int *line_of, int *col_of)
{
    size_t s = sgc_yfile_mark_byte(f, node->start_mark);
    size_t e = sgc_yfile_mark_byte(f, node->end_mark);
    if (e < s) e = s;
    const unsigned char *val = node->data.scalar.value;
    size_t n = node->data.scalar.length;

    cands cs = {0};
    switch (node->data.scalar.style) {
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: cands_double(&cs, f->buf, s, e); break;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: cands_single(&cs, f->buf, s, e); break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE: cands_block(&cs, f->buf, s, e); break;
    default:
        for (size_t i = s; i < e; i++) push(&cs, (unsigned char)f->buf[i], i);
        break;
    }

    /* Greedy alignment: value bytes appear in order among the candidates; the
     * candidates skipped are whitespace that folding removed, and a folded
     * space or newline in the value may stand for any whitespace. */
    size_t j = 0, last = s;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char v = val[i];
        size_t k = j;
        while (k < cs.n && cs.v[k].c != v && !(is_space(v) && is_space(cs.v[k].c)) &&
               is_space(cs.v[k].c))
            k++;
        size_t at;
        if (k < cs.n && (cs.v[k].c == v || (is_space(v) && is_space(cs.v[k].c)))) {
            at = cs.v[k].at;
            j = k + 1;
        } else {
            at = k < cs.n ? cs.v[k].at : last; /* out of step: stay put */
        }
        sgc_yfile_pos(f, at, &line_of[i], &col_of[i]);
        last = at;
        any = true;
    }
    if (any) {
        /* just after the last byte; a trailing line break (block scalars)
         * is itself that position */
        line_of[n] = line_of[n - 1];
        col_of[n] = col_of[n - 1] + (val[n - 1] == '\n' ? 0 : 1);
    } else {
        size_t at = s;
        if (node->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
            node->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE)
            at = s + 1 <= e ? s + 1 : s;
        sgc_yfile_pos(f, at, &line_of[0], &col_of[0]);
    }
    free(cs.v);
}

void sgc_yfile_scalar_start(const sgc_yfile *f, const yaml_node_t *node, int *line, int *col)
{
    size_t s = sgc_yfile_mark_byte(f, node->start_mark);
    switch (node->data.scalar.style) {
    case YAML_PLAIN_SCALAR_STYLE: /* the value starts where the node does */
        sgc_yfile_pos(f, s, line, col);
        return;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: /* just after the quote, even for '' */
        sgc_yfile_pos(f, s + 1 <= sgc_yfile_mark_byte(f, node->end_mark) ? s + 1 : s, line, col);
        return;
    default: break; /* escapes, block indentation: map it all */
    }
    size_t len = node->data.scalar.length;
    int *l = malloc((len + 1) * sizeof *l), *c = malloc((len + 1) * sizeof *c);
    if (!l || !c) abort();
    sgc_yfile_map_scalar(f, node, l, c);
    *line = l[0];
    *col = c[0];
    free(l);
    free(c);
}
