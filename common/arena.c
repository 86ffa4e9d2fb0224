#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sgc_arena_chunk {
    sgc_arena_chunk *next;
    size_t cap, used;
    _Alignas(8) unsigned char data[];
};

void sgc_arena_init(sgc_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
}

void sgc_arena_free(sgc_arena *a)
{
    sgc_arena_chunk *c = a->head;
    while (c) {
        sgc_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void sgc_arena_reset(sgc_arena *a)
{
    /* Keep the largest chunk: after a burst of large values the arena
     * settles at the size the workload needs. */
    sgc_arena_chunk *keep = NULL, *c = a->head;
    while (c) {
        sgc_arena_chunk *next = c->next;
        if (!keep || c->cap > keep->cap) {
            if (keep) free(keep);
            keep = c;
        } else {
            free(c);
        }
        c = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
}

void *sgc_arena_alloc(sgc_arena *a, size_t n)
{
    n = (n + 7u) & ~(size_t)7u;
    sgc_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = a->chunk_size > n ? a->chunk_size : n;
        sgc_arena_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc) return NULL;
        nc->cap = cap;
        nc->used = 0;
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *sgc_arena_strndup(sgc_arena *a, const char *p, size_t len)
{
    char *s = sgc_arena_alloc(a, len + 1);
    if (!s) return NULL;
    if (len) memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

char *sgc_arena_vprintf(sgc_arena *a, size_t *len_out, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return NULL;
    char *s = sgc_arena_alloc(a, (size_t)n + 1);
    if (!s) return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    if (len_out) *len_out = (size_t)n;
    return s;
}

char *sgc_arena_printf(sgc_arena *a, size_t *len_out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sgc_arena_vprintf(a, len_out, fmt, ap);
    va_end(ap);
    return s;
}
