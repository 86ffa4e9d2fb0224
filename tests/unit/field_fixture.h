/* Test helper shared by the process-table and container tests: extract one
 * field for a process, through the runtime's own extractor lookup, on a
 * minimal openat record of that process. Include after cmocka.h. */
#ifndef SGC_TEST_FIELD_FIXTURE_H
#define SGC_TEST_FIELD_FIXTURE_H

#include "arena.h"
#include "decode.h"
#include "extract.h"
#include "proctable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline sgc_val fx_extract_field(sgc_proctable *t, sgc_proc *p, sgc_arena *a,
                                       const char *field, const char *arg)
{
    static _Alignas(8) uint8_t buf[512];
    static sgc_evt ev;
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_SYSCALL, 257, 0);
    b.hdr->pid = b.hdr->tid = p->pid;
    b.hdr->ts_ns = 5000;
    sgc_record_finish(&b);
    sgc_decode(buf, sizeof buf, &ev);
    const sgc_extractor *ex = sgc_extractor_find(field);
    assert_non_null(ex);
    sgc_field_ref ref = {.ex = ex, .name = field, .arg = arg, .argnum = -1};
    if (arg && *arg >= '0' && *arg <= '9') ref.argnum = atol(arg);
    sgc_extract_ctx cx = {.ev = &ev, .proc = p, .pt = t, .scratch = a};
    sgc_val v = {0};
    if (!ex->fn(&cx, &ref, &v)) v.kind = SGC_VAL_NA;
    return v;
}

static inline void fx_assert_str(sgc_val v, const char *want)
{
    assert_int_equal(v.kind, SGC_VAL_STR);
    assert_int_equal(v.str.len, strlen(want));
    assert_memory_equal(v.str.p, want, v.str.len);
}

#endif
