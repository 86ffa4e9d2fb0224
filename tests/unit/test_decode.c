/* Record decoding: round trip through the builder, and every truncation
 * and corruption is an error, never a crash (run under ASan in CI). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "decode.h"

static _Alignas(8) uint8_t buf[SGC_RECORD_MAX];

static size_t build_sample(void)
{
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_SYSCALL, 257, 2);
    b.hdr->pid = 42;
    b.hdr->ret = 3;
    b.hdr->args[0] = (uint64_t)-100;
    b.hdr->args[2] = 0101;
    sgc_record_bitmap(&b)[1] = 1u << 3;
    sgc_record_add_str(&b, SGC_BLOB_ARG0 + 1, "/etc/shadow");
    sgc_record_add_str(&b, SGC_BLOB_CWD, "/root");
    sgc_record_add_blob(&b, SGC_BLOB_ARG5, "", 0, SGC_BLOBF_TRUNCATED);
    b.hdr->flags |= SGC_EVF_CANDIDATES;
    return sgc_record_finish(&b);
}

static void test_roundtrip(void **state)
{
    size_t n = build_sample();
    assert_true(n > sizeof(struct sgc_event_hdr));
    assert_int_equal(n % 8, 0);
    sgc_evt ev;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_OK);
    assert_int_equal(ev.hdr->nr, 257);
    assert_int_equal(ev.hdr->pid, 42);
    assert_int_equal(ev.ncand_words, 2);
    assert_true(sgc_evt_is_candidate(&ev, 67));
    assert_false(sgc_evt_is_candidate(&ev, 66));
    assert_false(sgc_evt_is_candidate(&ev, 500));
    const sgc_blob *p = sgc_evt_blob(&ev, SGC_BLOB_ARG0 + 1);
    assert_non_null(p);
    assert_int_equal(p->len, 11);
    assert_memory_equal(p->p, "/etc/shadow", 11);
    assert_non_null(sgc_evt_blob(&ev, SGC_BLOB_CWD));
    const sgc_blob *e = sgc_evt_blob(&ev, SGC_BLOB_ARG5);
    assert_non_null(e); /* empty but present */
    assert_int_equal(e->len, 0);
    assert_int_equal(e->flags, SGC_BLOBF_TRUNCATED);
    assert_null(sgc_evt_blob(&ev, SGC_BLOB_EXE));
    assert_null(sgc_evt_blob(&ev, 99));
}

static void test_no_bitmap_means_all(void **state)
{
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_SYSCALL, 0, 0);
    size_t n = sgc_record_finish(&b);
    sgc_evt ev;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_OK);
    assert_true(sgc_evt_is_candidate(&ev, 7));
    assert_null(ev.cand);
}

static void test_truncations(void **state)
{
    size_t n = build_sample();
    sgc_evt ev;
    /* Every shorter length is refused. The copy into a heap buffer of exactly
     * that size lets ASan catch any read past it. */
    for (size_t len = 0; len < n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, buf, len);
        assert_int_not_equal(sgc_decode(len ? copy : NULL, len, &ev), SGC_DECODE_OK);
        assert_null(ev.hdr);
        free(copy);
    }
    /* A record whose size field claims less than its blobs need. */
    for (size_t claim = sizeof(struct sgc_event_hdr); claim < n; claim += 4) {
        build_sample();
        ((struct sgc_event_hdr *)buf)->size = (uint32_t)claim;
        sgc_decode_status st = sgc_decode(buf, n, &ev);
        assert_int_not_equal(st, SGC_DECODE_OK);
    }
}

static void test_corruptions(void **state)
{
    size_t n = build_sample();
    sgc_evt ev;
    struct sgc_event_hdr *h = (struct sgc_event_hdr *)buf;

    h->version = 99;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_VERSION);
    build_sample();
    h->kind = 0;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_KIND);
    build_sample();
    h->size = SGC_RECORD_MAX + 8;
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_BAD_SIZE);
    build_sample();
    h->size = 3;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_SIZE);
    build_sample();
    h->cand_words = 60000;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_BITMAP);
    build_sample();
    h->nblobs = 200;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_BLOB);
    /* a blob length past the end */
    build_sample();
    struct sgc_blob_hdr *bh = (void *)(buf + sizeof *h + 16);
    bh->len = 0xffff;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_BLOB);
    /* unknown and duplicate tags */
    build_sample();
    bh->tag = 200;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_TAG);
    build_sample();
    bh->tag = SGC_BLOB_CWD;
    assert_int_equal(sgc_decode(buf, n, &ev), SGC_DECODE_BAD_TAG);
    for (int s = 0; s < SGC_DECODE__COUNT; s++)
        assert_non_null(sgc_decode_strerror((sgc_decode_status)s));
}

static void test_random_bytes(void **state)
{
    /* Random garbage and random bit flips of a valid record: the decoder
     * answers, and an OK answer only points inside the record. */
    srand(12345);
    sgc_evt ev;
    size_t n = build_sample();
    _Alignas(8) uint8_t copy[512];
    for (int iter = 0; iter < 200000; iter++) {
        memcpy(copy, buf, n);
        int flips = 1 + rand() % 4;
        for (int f = 0; f < flips; f++) copy[rand() % n] ^= (uint8_t)(1u << (rand() % 8));
        size_t len = (iter % 3 == 0) ? (size_t)(rand() % (int)n) : n;
        if (sgc_decode(copy, len, &ev) == SGC_DECODE_OK) {
            assert_true(ev.hdr->size <= len);
            for (int t = 0; t < SGC_MAX_BLOB_TAGS; t++)
                if (sgc_evt_blob(&ev, (unsigned)t)) {
                    assert_true(ev.blobs[t].p >= copy);
                    assert_true(ev.blobs[t].p + ev.blobs[t].len <= copy + ev.hdr->size);
                }
        }
    }
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = (size_t)(rand() % (int)sizeof copy);
        for (size_t i = 0; i < len; i++) copy[i] = (uint8_t)rand();
        (void)sgc_decode(copy, len, &ev);
    }
}

static void test_builder_overflow(void **state)
{
    _Alignas(8) uint8_t small[128];
    sgc_record_builder b;
    sgc_record_begin(&b, small, sizeof small, SGC_REC_SYSCALL, 0, 0);
    char big[200];
    memset(big, 'x', sizeof big);
    sgc_record_add_blob(&b, SGC_BLOB_ARG0, big, sizeof big, 0);
    assert_int_equal(sgc_record_finish(&b), 0);
    sgc_record_begin(&b, small, 8, SGC_REC_SYSCALL, 0, 0);
    assert_int_equal(sgc_record_finish(&b), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),    cmocka_unit_test(test_no_bitmap_means_all),
        cmocka_unit_test(test_truncations),  cmocka_unit_test(test_corruptions),
        cmocka_unit_test(test_random_bytes), cmocka_unit_test(test_builder_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
