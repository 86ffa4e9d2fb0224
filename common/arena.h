/* A bump allocator for per-event scratch memory: field renderings, resolved
 * paths, joined strings. Reset (not freed) after each event, so extraction
 * never calls malloc in the steady state. */
#ifndef SGC_ARENA_H
#define SGC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sgc_arena_chunk sgc_arena_chunk;

typedef struct sgc_arena {
    sgc_arena_chunk *head; /* current chunk (newest first) */
    size_t chunk_size;     /* default size of new chunks */
} sgc_arena;

void sgc_arena_init(sgc_arena *a, size_t chunk_size); /* 0 = 64 KiB */
void sgc_arena_free(sgc_arena *a);
/* Forget every allocation; keeps the largest chunk for reuse. */
void sgc_arena_reset(sgc_arena *a);
/* 8-byte aligned; NULL only when malloc fails. */
void *sgc_arena_alloc(sgc_arena *a, size_t n);
/* NUL-terminated copy of p[0..len). */
char *sgc_arena_strndup(sgc_arena *a, const char *p, size_t len);
__attribute__((format(printf, 3, 4))) char *sgc_arena_printf(sgc_arena *a, size_t *len_out,
                                                             const char *fmt, ...);
char *sgc_arena_vprintf(sgc_arena *a, size_t *len_out, const char *fmt, va_list ap);

#endif
