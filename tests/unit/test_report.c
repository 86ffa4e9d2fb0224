/* sgc report's library: times and durations, the string map, the alert
 * scanner's decoding, and the aggregation's bounds (time buckets widen past
 * SGC_REPORT_MAX_BUCKETS, views past SGC_REPORT_MAX_POINTS, the recent
 * alerts of a rule are the newest whatever the input order). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "alert.h"
#include "report.h"
#include "report_time.h"
#include "strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t iso(const char *s)
{
    int64_t ns = -1;
    assert_true(sgc_rtime_parse_iso(s, strlen(s), &ns));
    return ns;
}

static bool iso_ok(const char *s)
{
    int64_t ns;
    return sgc_rtime_parse_iso(s, strlen(s), &ns);
}

static void test_times(void **state)
{
    assert_int_equal(iso("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(iso("2024-05-01T12:00:00.123456789Z"), INT64_C(1714564800123456789));
    assert_int_equal(iso("2024-05-01T14:00:00+02:00"), INT64_C(1714564800000000000));
    assert_int_equal(iso("2024-05-01T11:30:00-0030"), INT64_C(1714564800000000000));
    assert_int_equal(iso("2024-05-01 12:00"), INT64_C(1714564800000000000));
    assert_int_equal(iso("2024-05-01"), INT64_C(1714521600000000000));
    assert_int_equal(iso("2024-05-01T12:00:00.5z"), INT64_C(1714564800500000000));
    assert_int_equal(iso("2024-02-29T00:00:00.1234567891234Z") % 1000000000,
                     123456789); /* cut at ns */
    assert_int_equal(iso("1969-12-31T23:59:59Z"), -1000000000);
    assert_false(iso_ok("2023-02-29"));
    assert_false(iso_ok("2024-13-01"));
    assert_false(iso_ok("2024-05-01T24:00:00Z"));
    assert_false(iso_ok("2024-05-01T12:00:00"
                        "Zjunk"));
    assert_false(iso_ok("2024-05-01T12:00:00."));
    assert_false(iso_ok("2024-5-1"));
    assert_false(iso_ok("9999-01-01"));
    assert_false(iso_ok(""));

    char buf[48];
    sgc_rtime_format(INT64_C(1714564800123456789), true, buf, sizeof buf);
    assert_string_equal(buf, "2024-05-01T12:00:00.123456789Z");
    sgc_rtime_format(INT64_C(1714564800123456789), false, buf, sizeof buf);
    assert_string_equal(buf, "2024-05-01T12:00:00Z");
    sgc_rtime_format(-1, true, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999999999Z");
    assert_int_equal(sgc_rtime_floor_div(-1, 60), -1);
    assert_int_equal(sgc_rtime_floor_div(-60, 60), -1);
    assert_int_equal(sgc_rtime_floor_div(59, 60), 0);
}

static void test_durations(void **state)
{
    int64_t ns;
    assert_true(sgc_rtime_parse_duration("1m", &ns));
    assert_int_equal(ns, 60 * SGC_NS_PER_S);
    assert_true(sgc_rtime_parse_duration("1h30m", &ns));
    assert_int_equal(ns, 5400 * SGC_NS_PER_S);
    assert_true(sgc_rtime_parse_duration("250ms", &ns));
    assert_int_equal(ns, 250000000);
    assert_false(sgc_rtime_parse_duration("5", &ns));
    assert_false(sgc_rtime_parse_duration("0s", &ns));
    assert_false(sgc_rtime_parse_duration("1x", &ns));
    assert_false(sgc_rtime_parse_duration("-1m", &ns));
    assert_false(sgc_rtime_parse_duration("99999999999999999999d", &ns));
    char buf[48];
    sgc_rtime_format_duration(5400 * SGC_NS_PER_S, buf, sizeof buf);
    assert_string_equal(buf, "1h 30m");
    sgc_rtime_format_duration(60 * SGC_NS_PER_S, buf, sizeof buf);
    assert_string_equal(buf, "1m");

    char err[256];
    int64_t now = iso("2024-05-01T12:00:00Z");
    assert_true(sgc_rtime_parse_point("-2h", now, &ns, err, sizeof err));
    assert_int_equal(ns, iso("2024-05-01T10:00:00Z"));
    assert_true(sgc_rtime_parse_point("@1714564800", now, &ns, err, sizeof err));
    assert_int_equal(ns, now);
    assert_true(sgc_rtime_parse_point("now", now, &ns, err, sizeof err));
    assert_int_equal(ns, now);
    assert_false(sgc_rtime_parse_point("yesterday", now, &ns, err, sizeof err));
    assert_non_null(strstr(err, "bad time 'yesterday'"));
    assert_false(sgc_rtime_parse_point("@", now, &ns, err, sizeof err));
    assert_false(sgc_rtime_parse_point("@12x", now, &ns, err, sizeof err));
}

static void test_strmap(void **state)
{
    sgc_strmap m;
    sgc_strmap_init(&m, sizeof(uint64_t));
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int created;
        int n = snprintf(key, sizeof key, "k%d", i % 2500);
        uint64_t *v = sgc_strmap_upsert(&m, key, (size_t)n, &created);
        assert_non_null(v);
        assert_int_equal(created, i < 2500);
        ++*v;
    }
    assert_int_equal(m.n, 2500);
    for (int i = 0; i < 2500; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        uint64_t *v = sgc_strmap_find(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(*v, 2);
        assert_string_equal(m.ent[i].key, key); /* insertion order */
    }
    /* keys are bytes: NUL inside, and a prefix is another key */
    int created;
    assert_non_null(sgc_strmap_upsert(&m, "a\0b", 3, &created));
    assert_true(created);
    assert_null(sgc_strmap_find(&m, "a", 1));
    assert_non_null(sgc_strmap_find(&m, "a\0b", 3));
    sgc_strmap_free(&m);
}

static void test_alert_decoding(void **state)
{
    sgc_alert a;
    sgc_alert_init(&a);
    char err[256];
    const char *line =
        "{\"rule\":\"caf\\u00e9 \\ud83d\\udd25\\n\",\"time\":\"2024-05-01T12:00:00Z\","
        "\"priority\":\"ERROR\",\"hostname\":\"h\\/1\",\"output_fields\":{"
        "\"container.id\":\"abc\",\"container.name\":\"web\",\"container.image.repository\":"
        "\"nginx\","
        "\"container.image.tag\":\"1.25\",\"k8s.ns.name\":\"frontend\"}}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_OK);
    assert_int_equal(a.rule.n, strlen("caf\xc3\xa9 \xf0\x9f\x94\xa5\n"));
    assert_memory_equal(a.rule.p, "caf\xc3\xa9 \xf0\x9f\x94\xa5\n", a.rule.n);
    assert_memory_equal(a.hostname.p, "h/1", 3);
    assert_int_equal(a.prio, SGC_RPRIO_ERROR);
    assert_memory_equal(a.image.p, "nginx:1.25", a.image.n);
    assert_memory_equal(a.container.p, "web", 3);
    assert_memory_equal(a.k8s_ns.p, "frontend", 8);

    /* host processes are not containers, even with a namespace */
    line =
        "{\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\",\"output_fields\":{\"container.id\":"
        "\"host\","
        "\"container.name\":\"host\",\"container.image.repository\":\"x\",\"k8s.ns.name\":\"n\"}}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_OK);
    assert_null(a.image.p);
    assert_null(a.container.p);
    assert_null(a.k8s_ns.p);

    /* a repository:tag longer than the buffer is cut between UTF-8 sequences */
    char big[1400];
    int n = snprintf(big, sizeof big,
                     "{\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\",\"output_fields\":"
                     "{\"container.image.repository\":\"");
    for (int i = 0; i < 300; i++) n += snprintf(big + n, sizeof big - (size_t)n, "\xc3\xa9");
    n += snprintf(big + n, sizeof big - (size_t)n, "\"}}");
    assert_int_equal(sgc_alert_parse(&a, big, (size_t)n, err, sizeof err), SGC_ALERT_OK);
    assert_true(a.image.n < sizeof a.image_buf && a.image.n % 2 == 0);

    /* syntax vs not an alert */
    line = "{\"rule\":\"r\"}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_NOT_ALERT);
    line = "{\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\",}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_SYNTAX);
    line = "{\"a\\u0000\":1,\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\"}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_SYNTAX);
    assert_non_null(strstr(err, "NUL in a member name"));
    line = "{\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\",\"x\":1e999}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_SYNTAX);
    line = "{\"rule\":\"r\",\"time\":\"2024-05-01T12:00:00Z\",\"x\":\"\\udc00\"}";
    assert_int_equal(sgc_alert_parse(&a, line, strlen(line), err, sizeof err), SGC_ALERT_SYNTAX);
    sgc_alert_free(&a);
}

static void add(sgc_report *r, int64_t t_s, const char *rule, const char *host)
{
    char line[256];
    char ts[48];
    sgc_rtime_format(t_s * SGC_NS_PER_S, false, ts, sizeof ts);
    int n =
        snprintf(line, sizeof line,
                 "{\"rule\":\"%s\",\"time\":\"%s\",\"priority\":\"Warning\",\"hostname\":\"%s\"}",
                 rule, ts, host);
    sgc_report_add_line(r, 0, 1, line, (size_t)n);
}

static void test_bounds(void **state)
{
    sgc_report_opts o = {.interval_ns = 60 * SGC_NS_PER_S};
    sgc_report r;
    sgc_report_init(&r, &o);
    assert_int_equal(sgc_report_add_input(&r, "t"), 0);
    /* one alert per minute for 100,000 minutes: more buckets than the cap */
    int64_t t0 = 1714564800;
    for (int i = 0; i < 100000; i++) add(&r, t0 + 60 * (int64_t)i, i % 2 ? "odd" : "even", "h");
    assert_int_equal(r.total.total, 100000);
    assert_true(r.buckets.n <= SGC_REPORT_MAX_BUCKETS);
    assert_int_equal(r.bucket_ns, 2 * 60 * SGC_NS_PER_S);
    uint64_t sum = 0;
    for (size_t i = 0; i < r.buckets.n; i++)
        sum += ((const sgc_rcounts *)r.buckets.ent[i].val)->total;
    assert_int_equal(sum, 100000);
    sgc_report_view v;
    assert_int_equal(sgc_report_view_build(&r, &v), 0);
    assert_true(v.widened);
    assert_true(v.npoints <= SGC_REPORT_MAX_POINTS);
    sum = 0;
    for (size_t i = 0; i < v.npoints; i++) {
        sum += v.points[i].total;
        if (i) assert_int_equal(v.points[i].start_ns - v.points[i - 1].start_ns, v.interval_ns);
    }
    assert_int_equal(sum, 100000);
    /* the newest three of "even", though they were added first-to-last */
    const sgc_rrule *even = sgc_strmap_find(&r.rules, "even", 4);
    assert_non_null(even);
    assert_int_equal(even->nrecent, SGC_REPORT_RECENT);
    for (int k = 0; k < even->nrecent; k++)
        assert_true(even->recent[k].time_ns >= (t0 + 60 * INT64_C(99994)) * SGC_NS_PER_S);
    sgc_report_view_free(&v);
    sgc_report_free(&r);

    /* newest kept when the input runs backwards too */
    sgc_report_init(&r, &o);
    sgc_report_add_input(&r, "t");
    for (int i = 9; i >= 0; i--) add(&r, t0 + i, "r", i == 7 ? "seven" : "h");
    const sgc_rrule *ru = sgc_strmap_find(&r.rules, "r", 1);
    int64_t min = INT64_MAX;
    for (int k = 0; k < ru->nrecent; k++)
        min = ru->recent[k].time_ns < min ? ru->recent[k].time_ns : min;
    assert_int_equal(min, (t0 + 7) * SGC_NS_PER_S);
    sgc_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times),  cmocka_unit_test(test_durations),
        cmocka_unit_test(test_strmap), cmocka_unit_test(test_alert_decoding),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
