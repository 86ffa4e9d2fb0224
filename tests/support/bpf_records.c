/* Kernel tests: collecting ring-buffer records (bpf_records.h). */
#include "bpf_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool recs_bpf_usable(enum sgc_hook_strategy strategy)
{
    char err[512];
    if (sgc_bpf_preflight(strategy, err, sizeof err) == 0) return true;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0) {
        fprintf(stderr, "FAIL: BPF unavailable on CI: %s\n", err);
        exit(1);
    }
    printf("SKIP: BPF unavailable: %s\n", err);
    return false;
}

int recs_collect(void *ctx, const void *rec, size_t size)
{
    struct recs *rs = ctx;
    if (size < sizeof(struct sgc_event_hdr)) return 0;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? 2 * rs->cap : 256;
        struct sgc_event_hdr **v = realloc(rs->v, cap * sizeof *v);
        if (!v) abort();
        rs->v = v;
        rs->cap = cap;
    }
    struct sgc_event_hdr *copy = malloc(size);
    if (!copy) abort();
    memcpy(copy, rec, size);
    rs->v[rs->n++] = copy;
    return 0;
}

void recs_free(struct recs *rs)
{
    for (size_t i = 0; i < rs->n; i++) free(rs->v[i]);
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

const struct sgc_event_hdr *recs_find_sys(const struct recs *rs, unsigned pid, unsigned nr, int nth)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct sgc_event_hdr *h = rs->v[i];
        if (h->kind == SGC_REC_SYSCALL && h->pid == pid && h->nr == nr && nth-- == 0) return h;
    }
    return NULL;
}

long recs_pos_kind(const struct recs *rs, unsigned pid, unsigned kind)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i]->kind == kind && rs->v[i]->pid == pid) return (long)i;
    return -1;
}

const struct sgc_event_hdr *recs_find_kind(const struct recs *rs, unsigned pid, unsigned kind)
{
    long i = recs_pos_kind(rs, pid, kind);
    return i < 0 ? NULL : rs->v[i];
}
