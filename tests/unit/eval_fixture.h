/* Helpers for evaluator tests and the benchmark: build raw records the way
 * the kernel side does, decode them, and evaluate conditions written in
 * Falco syntax. Header-only so each test stays one file. */
#ifndef SGC_EVAL_FIXTURE_H
#define SGC_EVAL_FIXTURE_H

#include "decode.h"
#include "eval.h"
#include "extract.h"
#include "parse.h"
#include "proctable.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx_event {
    _Alignas(8) uint8_t buf[8192];
    sgc_record_builder b;
    sgc_evt ev;
} fx_event;

static inline struct sgc_event_hdr *fx_begin(fx_event *e, enum sgc_record_kind kind, uint32_t nr,
                                             int64_t ret)
{
    sgc_record_begin(&e->b, e->buf, sizeof e->buf, kind, nr, 0);
    e->b.hdr->ret = ret;
    e->b.hdr->pid = e->b.hdr->tid = 1000;
    e->b.hdr->ppid = 1;
    e->b.hdr->ts_ns = 1000000000ull;
    memcpy(e->b.hdr->comm, "cat", 4);
    return e->b.hdr;
}

static inline void fx_str(fx_event *e, unsigned tag, const char *s)
{
    sgc_record_add_str(&e->b, tag, s);
}

static inline void fx_tuple(fx_event *e, int family, int proto, const char *lip, uint16_t lport,
                            const char *rip, uint16_t rport)
{
    struct sgc_socktuple t;
    memset(&t, 0, sizeof t);
    t.family = (uint16_t)family;
    t.proto = (uint16_t)proto;
    t.lport = lport;
    t.rport = rport;
    inet_pton(family, lip, t.laddr);
    inet_pton(family, rip, t.raddr);
    sgc_record_add_blob(&e->b, SGC_BLOB_SOCKTUPLE, &t, sizeof t, 0);
}

/* Finish and decode; aborts the test on failure. */
static inline const sgc_evt *fx_done(fx_event *e)
{
    size_t n = sgc_record_finish(&e->b);
    if (!n || sgc_decode(e->buf, n, &e->ev) != SGC_DECODE_OK) {
        fprintf(stderr, "fixture: bad record\n");
        abort();
    }
    return &e->ev;
}

/* Parse a condition (no macros: lists written inline). The AST points into
 * *src: free it (sgc_source_free) after the AST. */
static inline sgc_node *fx_parse(const char *text, sgc_source **src_out)
{
    sgc_source *src = sgc_source_new(NULL, text, strlen(text));
    *src_out = src;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    if (!n) {
        fprintf(stderr, "parse error in: %s\n", text);
        for (int i = 0; i < d.n; i++) fprintf(stderr, "  %s\n", d.v[i].msg);
    }
    sgc_diags_free(&d);
    return n;
}

#endif
