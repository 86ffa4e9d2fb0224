/* Kernel tests: whether BPF can run here, the records a test's sgc_bpf
 * delivers, kept in arrival order (each copied), and lookups over them. Not
 * thread-safe: the test polls the ring buffer on its own thread. */
#ifndef SGC_TEST_BPF_RECORDS_H
#define SGC_TEST_BPF_RECORDS_H

#include "bpf_loader.h"
#include "sgc_event.h"
#include <stdbool.h>
#include <stddef.h>

/* Can the capture programs run here with this hook strategy? Off CI, prints
 * a SKIP line with the reason and returns false (the caller skips); with
 * CI=true a missing capability is a failure: prints it and exits 1. */
bool recs_bpf_usable(enum sgc_hook_strategy strategy);

struct recs {
    struct sgc_event_hdr **v;
    size_t n, cap;
};

/* sgc_record_fn: appends a copy of the record (ctx: struct recs *). */
int recs_collect(void *ctx, const void *rec, size_t size);
void recs_free(struct recs *rs);

/* The nth (0-based) syscall record of pid with this syscall number, or NULL. */
const struct sgc_event_hdr *recs_find_sys(const struct recs *rs, unsigned pid, unsigned nr,
                                          int nth);
/* The first record of pid of this kind (SGC_REC_*), or NULL. */
const struct sgc_event_hdr *recs_find_kind(const struct recs *rs, unsigned pid, unsigned kind);
/* Arrival position of the first record of pid of this kind, or -1. */
long recs_pos_kind(const struct recs *rs, unsigned pid, unsigned kind);

#endif
