/* Splitting a Falco output template into text and field references. */
#include "output_fmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

static char *dup_n(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

static sgc_oseg *push(sgc_output_fmt *fmt, int *cap)
{
    if (fmt->nsegs == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        sgc_oseg *v = realloc(fmt->segs, sizeof *v * (size_t)ncap);
        if (!v) return NULL;
        fmt->segs = v;
        *cap = ncap;
    }
    sgc_oseg *s = &fmt->segs[fmt->nsegs++];
    memset(s, 0, sizeof *s);
    return s;
}

static int error(uint32_t off, uint32_t *err_off, char **err, const char *f, ...)
    __attribute__((format(printf, 4, 5)));
static int error(uint32_t off, uint32_t *err_off, char **err, const char *f, ...)
{
    if (err_off) *err_off = off;
    if (err) {
        char buf[256];
        va_list ap;
        va_start(ap, f);
        vsnprintf(buf, sizeof buf, f, ap);
        va_end(ap);
        *err = strdup(buf);
    }
    return -1;
}

/* Appends literal text, merging with a preceding literal. */
static int add_text(sgc_output_fmt *fmt, int *cap, const char *text, size_t start, size_t end)
{
    if (end <= start) return 0;
    const char *p = text + start;
    size_t n = end - start;
    sgc_oseg *prev = fmt->nsegs ? &fmt->segs[fmt->nsegs - 1] : NULL;
    if (prev && prev->kind == SGC_OSEG_TEXT && prev->off + prev->len == start) {
        size_t old = strlen(prev->text);
        char *t = realloc(prev->text, old + n + 1);
        if (!t) return -1;
        memcpy(t + old, p, n);
        t[old + n] = 0;
        prev->text = t;
        prev->len += (uint32_t)(end - start);
        return 0;
    }
    sgc_oseg *s = push(fmt, cap);
    if (!s) return -1;
    s->kind = SGC_OSEG_TEXT;
    s->off = (uint32_t)start;
    s->len = (uint32_t)(end - start);
    s->text = dup_n(p, n);
    return 0;
}

int sgc_output_fmt_parse(const char *text, size_t len, sgc_output_fmt *fmt, uint32_t *err_off,
                         char **err)
{
    int cap = 0;
    fmt->segs = NULL;
    fmt->nsegs = 0;
    if (err) *err = NULL;
    size_t lit = 0; /* start of the pending literal */
    size_t i = 0;
    while (i < len) {
        if (text[i] != '%') {
            i++;
            continue;
        }
        if (i + 1 < len && text[i + 1] == '%') {
            /* "%%": a literal percent sign; keep one of the two. */
            if (add_text(fmt, &cap, text, lit, i + 1) < 0) return -1;
            i += 2;
            lit = i;
            continue;
        }
        if (add_text(fmt, &cap, text, lit, i) < 0) return -1;
        size_t pct = i;
        size_t name = i + 1, j = name;
        while (j < len && is_name_char(text[j])) j++;
        /* No field name ends with a dot: "by %user.name." ends a sentence. */
        while (j > name && text[j - 1] == '.') j--;
        if (j == name) {
            if (pct + 1 >= len)
                return error((uint32_t)pct, err_off, err, "output cannot end with a '%%'");
            return error((uint32_t)pct, err_off, err,
                         "invalid output token '%%%c': expected a field name after '%%' "
                         "(write %%%% for a literal percent sign)",
                         text[pct + 1]);
        }
        sgc_oseg *s = push(fmt, &cap);
        if (!s) return -1;
        s->off = (uint32_t)pct;
        s->name_off = (uint32_t)name;
        s->text = dup_n(text + name, j - name);
        if (j < len && text[j] == '(' && !memchr(text + name, '.', j - name)) {
            /* %fn(...): a transformer; keep the inside as written. */
            size_t depth = 1, k = j + 1;
            while (k < len && depth) {
                if (text[k] == '(')
                    depth++;
                else if (text[k] == ')')
                    depth--;
                k++;
            }
            if (depth)
                return error((uint32_t)pct, err_off, err, "unclosed '(' in output token '%%%s('",
                             s->text);
            s->kind = SGC_OSEG_TRANSFORM;
            s->arg = dup_n(text + j + 1, k - j - 2);
            s->arg_off = (uint32_t)(j + 1);
            j = k;
        } else {
            s->kind = SGC_OSEG_FIELD;
            if (j < len && text[j] == '[') {
                const char *close = memchr(text + j, ']', len - j);
                if (!close)
                    return error((uint32_t)pct, err_off, err,
                                 "missing ']' after the argument of output field '%%%s'", s->text);
                size_t k = (size_t)(close - text);
                s->arg = dup_n(text + j + 1, k - j - 1);
                s->arg_off = (uint32_t)(j + 1);
                j = k + 1;
            }
        }
        s->len = (uint32_t)(j - pct);
        if (s->kind == SGC_OSEG_FIELD && !s->arg && !strcmp(s->text, "container.info")) {
            /* Falco 0.41+: deprecated, replaced by nothing */
            s->kind = SGC_OSEG_TEXT;
            s->text[0] = '\0';
            s->dropped = true;
        }
        i = j;
        lit = j;
    }
    if (add_text(fmt, &cap, text, lit, len) < 0) return -1;
    return 0;
}

void sgc_output_fmt_free(sgc_output_fmt *fmt)
{
    if (!fmt) return;
    for (int i = 0; i < fmt->nsegs; i++) {
        free(fmt->segs[i].text);
        free(fmt->segs[i].arg);
    }
    free(fmt->segs);
    fmt->segs = NULL;
    fmt->nsegs = 0;
}
