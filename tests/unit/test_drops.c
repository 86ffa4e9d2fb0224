/* Drop accounting: new losses are found between two counter reads, and the
 * internal alert renders as Falco's text line and JSON object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "drop_policy.h"
#include "drops.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_losses_between_reads(void **state)
{
    sgc_loss_totals t0 = {.seen = 100, .rb_fail = 5, .decode_errors = 1, .ts_ns = 1000000000};
    sgc_drops d;
    sgc_drops_init(&d, &t0);
    sgc_drop_report r;
    /* losses before start are not reported again */
    sgc_loss_totals t1 = t0;
    t1.seen = 200;
    t1.ts_ns = 3000000000;
    assert_false(sgc_drops_check(&d, &t1, &r));
    assert_int_equal(r.seen, 100);
    /* new ring-buffer failures */
    sgc_loss_totals t2 = t1;
    t2.rb_fail = 12;
    t2.ts_ns = 4000000000;
    assert_true(sgc_drops_check(&d, &t2, &r));
    assert_int_equal(r.rb_fail, 7);
    assert_int_equal(r.decode_errors, 0);
    assert_int_equal(r.total.rb_fail, 12);
    assert_true(r.interval_s > 0.99 && r.interval_s < 1.01);
    /* decode errors alone are losses too */
    sgc_loss_totals t3 = t2;
    t3.decode_errors = 3;
    assert_true(sgc_drops_check(&d, &t3, &r));
    assert_int_equal(r.decode_errors, 2);
    assert_int_equal(r.rb_fail, 0);
    /* records the kernel could not build (no scratch buffer) are lost */
    sgc_loss_totals t35 = t3;
    t35.no_scratch = 4;
    assert_true(sgc_drops_check(&d, &t35, &r));
    assert_int_equal(r.no_scratch, 4);
    assert_int_equal(SGC_DROP_LOST(&r), 4);
    t3 = t35;
    /* truncated records are not lost */
    sgc_loss_totals t4 = t3;
    t4.too_big = 9;
    assert_false(sgc_drops_check(&d, &t4, &r));
    assert_int_equal(r.too_big, 9);
    assert_int_equal(d.reports, 3);
}

static void test_alert_rendering(void **state)
{
    sgc_drop_report r = {.rb_fail = 7, .decode_errors = 2, .seen = 1000, .interval_s = 10};
    r.total.rb_fail = 70;
    r.total.decode_errors = 2;
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    sgc_strbuf b = {0};
    /* 2024-05-01T12:00:00.5Z */
    int64_t ns = 1714564800LL * 1000000000 + 500000000;
    cfg.time_iso8601 = true;
    sgc_drop_alert_render(&cfg, "h1", &r, ns, &b);
    assert_string_equal(b.p, "2024-05-01T12:00:00.500000000Z: Critical sgc internal: event drop. "
                             "9 events lost in the last 10.0 s (ring buffer full: 7, undecodable "
                             "records: 2; since start: 72 lost)");
    b.len = 0;
    cfg.json = true;
    sgc_drop_alert_render(&cfg, "h1", &r, ns, &b);
    sgc_strbuf_put(&b, "", 1);
    assert_non_null(strstr(b.p, "{\"hostname\":\"h1\",\"output\":\"2024-05-01T12:00:00.500000000Z: "
                                "Critical sgc internal: event drop. 9 events lost"));
    assert_non_null(strstr(b.p, "\"output_fields\":{\"evt.time\":1714564800500000000,"
                                "\"interval_s\":10.000,\"n_decode_errors\":2,\"n_drops\":9,"
                                "\"n_drops_buffer\":7,\"n_drops_buffer_total\":70,"
                                "\"n_drops_scratch\":0,\"n_evts\":1000,\"n_truncated\":0}"));
    assert_non_null(strstr(b.p, ",\"priority\":\"Critical\",\"rule\":\"sgc internal: event drop\","
                                "\"source\":\"internal\",\"tags\":[],"
                                "\"time\":\"2024-05-01T12:00:00.500000000Z\"}"));
    /* a loss for want of a scratch buffer is named and counted */
    r.no_scratch = 3;
    b.len = 0;
    cfg.json = false;
    sgc_drop_alert_render(&cfg, "h1", &r, ns, &b);
    sgc_strbuf_put(&b, "", 1);
    assert_non_null(strstr(b.p,
                           "12 events lost in the last 10.0 s (ring buffer full: 7, "
                           "undecodable records: 2, no scratch buffer: 3; since start: 72 lost)"));
    sgc_strbuf_free(&b);
}

static void test_min_priority_suppresses(void **state)
{
    sgc_drop_report r = {.rb_fail = 1};
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    cfg.to_stdout = false;
    cfg.min_priority = SGC_PRI_ALERT; /* Critical is below Alert */
    char path[] = "/tmp/sgc-test-drops-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    cfg.file = path;
    assert_int_equal(sgc_drop_alert_emit(&cfg, &r), 0);
    FILE *f = fopen(path, "r");
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
    cfg.min_priority = SGC_PRI_CRITICAL;
    assert_int_equal(sgc_drop_alert_emit(&cfg, &r), 0);
    f = fopen(path, "r");
    char line[1024] = "";
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(strstr(line, "Critical sgc internal: event drop. 1 events lost"));
    fclose(f);
    unlink(path);
}

/* syscall_event_drops: the threshold on lost / seen, the token bucket
 * (starts with max_burst tokens, gains rate a second), the actions. */
static void test_drop_policy(void **state)
{
    (void)state;
    const uint64_t S = 1000000000ull;
    sgc_drop_policy p;
    sgc_drop_policy_init(&p, .1, SGC_DROP_ACT_LOG | SGC_DROP_ACT_ALERT, .5, 2);
    sgc_drop_report r = {.rb_fail = 10, .seen = 100}; /* 10%: not above .1 */
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 1 * S), 0);
    assert_int_equal(p.over_threshold, 0);
    r.rb_fail = 11; /* 11% */
    unsigned want = SGC_DROP_ACT_LOG | SGC_DROP_ACT_ALERT;
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 1 * S), want); /* burst of 2 */
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 1 * S), want);
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 1 * S), 0); /* no token left */
    assert_int_equal(p.suppressed, 1);
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 2 * S), 0);    /* half a token */
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 3 * S), want); /* one token */
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 3 * S), 0);
    /* at most max_burst tokens however long the wait */
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 100 * S), want);
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 100 * S), want);
    assert_int_equal(sgc_drop_policy_decide(&p, &r, 100 * S), 0);
    assert_int_equal(p.acted, 5);
    /* decode errors count, nothing seen counts as all lost */
    sgc_drop_policy_init(&p, .9, SGC_DROP_ACT_EXIT | SGC_DROP_ACT_IGNORE, 1, 1);
    sgc_drop_report d = {.decode_errors = 1};
    assert_int_equal(sgc_drop_policy_decide(&p, &d, 0), SGC_DROP_ACT_EXIT);
    /* ignore alone: nothing done, the report still counted */
    sgc_drop_policy_init(&p, 0, SGC_DROP_ACT_IGNORE, 1, 1);
    assert_int_equal(sgc_drop_policy_decide(&p, &d, 0), 0);
    assert_int_equal(p.over_threshold, 1);
    /* no loss: never */
    sgc_drop_report none = {.seen = 5};
    assert_int_equal(sgc_drop_policy_decide(&p, &none, 0), 0);
    assert_int_equal(p.over_threshold, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_losses_between_reads),
        cmocka_unit_test(test_alert_rendering),
        cmocka_unit_test(test_min_priority_suppresses),
        cmocka_unit_test(test_drop_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
