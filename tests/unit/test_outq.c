/* The output queue's contract: every alert reaches every output in order;
 * a stalled output loses its oldest alerts (counted dropped) without
 * delaying the producer or the other outputs; failed sends are retried then
 * counted failed; at stop what cannot be delivered in time is counted;
 * min_priority skips; the NATS subject template slugs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "outq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct rec_sink {
    sgc_sink base;
    pthread_mutex_t mu;
    int n;
    char seen[4096][16];
    int fail_first;     /* fail this many sends (retryable) */
    volatile int stall; /* block while set */
} rec_sink;

static int rec_send(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen)
{
    rec_sink *r = (rec_sink *)s;
    while (r->stall) {
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
    pthread_mutex_lock(&r->mu);
    if (r->fail_first > 0) {
        r->fail_first--;
        pthread_mutex_unlock(&r->mu);
        snprintf(err, errlen, "planned failure");
        return -1;
    }
    if (r->n < 4096) snprintf(r->seen[r->n], sizeof r->seen[0], "%.*s", (int)m->len, m->line);
    r->n++;
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static void rec_close(sgc_sink *s) { (void)s; /* owned by the test */ }

static void rec_init(rec_sink *r, const char *name)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    r->base.name = name;
    r->base.min_priority = 7;
    r->base.send = rec_send;
    r->base.close = rec_close;
}

static void push_n(sgc_outq *q, int from, int n)
{
    for (int i = from; i < from + n; i++) {
        char line[16];
        int len = snprintf(line, sizeof line, "a%d", i);
        sgc_outq_push(q, 4, "R", line, (size_t)len, line, (size_t)len);
    }
}

static void test_order_and_counts(void **state)
{
    (void)state;
    static rec_sink a, b;
    rec_init(&a, "a");
    rec_init(&b, "b");
    sgc_outq *q = sgc_outq_new(128);
    sgc_outq_add(q, &a.base);
    sgc_outq_add(q, &b.base);
    assert_int_equal(sgc_outq_start(q), 0);
    push_n(q, 0, 100);
    sgc_outq_stop(q, 5000);
    assert_int_equal(a.n, 100);
    assert_int_equal(b.n, 100);
    for (int i = 0; i < 100; i++) {
        char want[16];
        snprintf(want, sizeof want, "a%d", i);
        assert_string_equal(a.seen[i], want);
    }
    sgc_outq_stats st;
    sgc_outq_get_stats(q, 0, &st);
    assert_int_equal(st.sent, 100);
    assert_int_equal(st.dropped + st.failed, 0);
    sgc_outq_free(q);
}

static void test_stalled_output_drops_only_itself(void **state)
{
    (void)state;
    static rec_sink fast, slow;
    rec_init(&fast, "fast");
    rec_init(&slow, "slow");
    slow.stall = 1;
    sgc_outq *q = sgc_outq_new(64);
    sgc_outq_add(q, &fast.base);
    sgc_outq_add(q, &slow.base);
    sgc_outq_start(q);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < 10; k++) {
        push_n(q, k * 100, 100);
        struct timespec t = {0, 2000000};
        nanosleep(&t, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* the producer never waited on the stalled output */
    assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 2000);
    slow.stall = 0;
    sgc_outq_stop(q, 5000);
    sgc_outq_stats sf, ss;
    sgc_outq_get_stats(q, 0, &sf);
    sgc_outq_get_stats(q, 1, &ss);
    assert_int_equal(sf.sent + sf.dropped, 1000);
    assert_int_equal(ss.sent + ss.dropped + ss.failed, 1000);
    assert_true(ss.dropped >= 1000 - 64 - 1); /* the queue held at most 64 for it */
    assert_true(sf.dropped < ss.dropped);
    assert_int_equal(sgc_outq_lost(q), sf.dropped + ss.dropped);
    sgc_outq_free(q);
}

static void test_retry_then_fail(void **state)
{
    (void)state;
    static rec_sink r;
    rec_init(&r, "r");
    r.fail_first = 2; /* first alert: 2 failures, then delivered */
    sgc_outq *q = sgc_outq_new(16);
    sgc_outq_add(q, &r.base);
    sgc_outq_start(q);
    push_n(q, 0, 1);
    sgc_outq_stop(q, 5000);
    sgc_outq_stats st;
    sgc_outq_get_stats(q, 0, &st);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.retried, 2);
    assert_int_equal(st.failed, 0);
    sgc_outq_free(q);

    rec_init(&r, "r");
    r.fail_first = 1000;
    q = sgc_outq_new(16);
    sgc_outq_add(q, &r.base);
    sgc_outq_start(q);
    push_n(q, 0, 2);
    sgc_outq_stop(q, 10000);
    sgc_outq_get_stats(q, 0, &st);
    assert_int_equal(st.sent, 0);
    assert_int_equal(st.failed, 2);
    assert_int_equal(st.retried, 2 * (SGC_OUTQ_MAX_ATTEMPTS - 1));
    assert_string_equal(st.last_error, "planned failure");
    sgc_outq_free(q);
}

static void test_stop_budget(void **state)
{
    (void)state;
    static rec_sink r;
    rec_init(&r, "r");
    r.stall = 1;
    sgc_outq *q = sgc_outq_new(1000);
    sgc_outq_add(q, &r.base);
    sgc_outq_start(q);
    push_n(q, 0, 50);
    struct timespec t = {0, 50000000};
    nanosleep(&t, NULL);
    r.stall = 0; /* the worker delivers the one it holds, then time is up */
    sgc_outq_stop(q, 0);
    sgc_outq_stats st;
    sgc_outq_get_stats(q, 0, &st);
    assert_int_equal(st.sent + st.dropped + st.failed, 50);
    assert_true(st.dropped >= 1);
    sgc_outq_free(q);
}

static void test_min_priority(void **state)
{
    (void)state;
    static rec_sink r;
    rec_init(&r, "r");
    r.base.min_priority = 3; /* error and more severe */
    sgc_outq *q = sgc_outq_new(16);
    sgc_outq_add(q, &r.base);
    sgc_outq_start(q);
    sgc_outq_push(q, 2, "R", "crit", 4, "crit", 4);
    sgc_outq_push(q, 4, "R", "warn", 4, "warn", 4);
    sgc_outq_stop(q, 1000);
    sgc_outq_stats st;
    sgc_outq_get_stats(q, 0, &st);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.skipped, 1);
    assert_string_equal(r.seen[0], "crit");
    sgc_outq_free(q);
}

static void test_subject(void **state)
{
    (void)state;
    char s[256];
    sgc_nats_subject("falco.<priority>.<rule>", 4, "Read sensitive file untrusted", s, sizeof s);
    assert_string_equal(s, "falco.warning.read_sensitive_file_untrusted");
    sgc_nats_subject("falco.<priority>.<rule>", 2, "  Terminal shell (in) container!! ", s,
                     sizeof s);
    assert_string_equal(s, "falco.critical.terminal_shell_in_container");
    sgc_nats_subject("alerts.<rule>", 7, "sgc internal: output loss", s, sizeof s);
    assert_string_equal(s, "alerts.sgc_internal_output_loss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_counts),
        cmocka_unit_test(test_stalled_output_drops_only_itself),
        cmocka_unit_test(test_retry_then_fail),
        cmocka_unit_test(test_stop_budget),
        cmocka_unit_test(test_min_priority),
        cmocka_unit_test(test_subject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
