// SPDX-License-Identifier: GPL-2.0
/* Test harness for a generated kernel filter (tests/unit/test_codegen.c):
 * a raw tracepoint program that BPF_PROG_TEST_RUN runs with one argument, the
 * address of a complete record (header, bitmap words, blobs) in the test
 * process (test runs execute synchronously in its context). It copies the record
 * into a map of its own, runs sgc_filter_early() and sgc_filter() as
 * capture.bpf.c does, and stores the verdict and the candidate bitmap for the
 * test to compare with the reference evaluator. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "capture_record.h"
#include "capture_filter.h"

char LICENSE[] SEC("license") = "GPL";

#define SGC_HARNESS_CTX 4096

struct sgc_harness_out {
    __s32 verdict;
    __u32 flags;
    __u64 cand[SGC_CAND_WORDS];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sgc_harness_out);
} sgc_harness_out SEC(".maps");

/* Never attached: the name only satisfies the section syntax. (A
 * BPF_PROG_TYPE_SYSCALL program is sleepable and may not use LPM tries.) */
/* The record under test lives in a map of its own, not in capture's
 * scratch: the filter must read the record its caller hands it (r->s). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sgc_scratch);
} sgc_harness_in SEC(".maps");

/* Load the record at user address src into sgc_harness_in. */
static __always_inline struct sgc_harness_out *harness_begin(struct sgc_rec *r, __u64 src)
{
    __u32 zero = 0;
    struct sgc_harness_out *out = bpf_map_lookup_elem(&sgc_harness_out, &zero);
    struct sgc_scratch *s = bpf_map_lookup_elem(&sgc_harness_in, &zero);
    if (!out || !s) return 0;
    if (bpf_probe_read_user(s->rec, SGC_HARNESS_CTX, (const void *)src) < 0) return 0;
    r->s = s;
    r->hdr = (struct sgc_event_hdr *)s->rec;
    r->off = r->hdr->size;
    r->nblobs = r->hdr->nblobs;
    return out;
}

static __always_inline int harness_end(struct sgc_harness_out *out, struct sgc_rec *r, int verdict)
{
    out->verdict = verdict;
    out->flags = r->hdr->flags;
    __u64 *c = sgc_rec_candidates(r);
    for (int i = 0; i < SGC_CAND_WORDS; i++) out->cand[i] = verdict == SGC_PASS ? c[i] : 0;
    return 0;
}

/* Both hooks in the order capture.bpf.c calls them: the early verdict on
 * the header, then the final one on the whole record. */
SEC("raw_tp/sys_exit")
int sgc_harness(struct bpf_raw_tracepoint_args *ctx)
{
    struct sgc_rec r;
    struct sgc_harness_out *out = harness_begin(&r, ctx->args[0]);
    if (!out) return 1;
    int v = sgc_filter_early(&r);
    if (v == SGC_PASS) v = sgc_filter(&r);
    return harness_end(out, &r, v);
}

/* A program of one syscall (openat = 257 on x86_64): only its group is
 * linked in. Loaded (verified) by the test; run on openat records. */
SEC("raw_tp/sys_exit")
int sgc_harness_openat(struct bpf_raw_tracepoint_args *ctx)
{
    struct sgc_rec r;
    struct sgc_harness_out *out = harness_begin(&r, ctx->args[0]);
    if (!out) return 1;
    int v = sgc_filter_early_nr(&r, 257);
    if (v == SGC_PASS) v = sgc_filter_nr(&r, 257);
    return harness_end(out, &r, v);
}
