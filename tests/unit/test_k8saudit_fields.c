/* k8s_audit field extraction, table-driven from tests/k8saudit/field_cases.txt
 * (format in that file), plus the audit payload parser's contract: Event,
 * EventList, arrays, stageTimestamp, the size limit, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "extract.h"
#include "fields.h"
#include "ka_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct collected {
    sgc_ka_event ev[16];
    int n;
} collected;

static void collect(sgc_ka_event *ev, void *ud)
{
    collected *c = ud;
    if (c->n < 16)
        c->ev[c->n++] = *ev;
    else
        sgc_ka_event_clear(ev);
}

static void collected_free(collected *c)
{
    for (int i = 0; i < c->n; i++) sgc_ka_event_clear(&c->ev[i]);
    c->n = 0;
}

static sgc_ka_payload_status parse(const char *s, size_t max, collected *c, sgc_ka_parse_stats *st)
{
    memset(st, 0, sizeof *st);
    return sgc_ka_parse_payload(s, strlen(s), max, collect, c, st, NULL, 0);
}

/* One "FIELD => EXPECTED" line against EV. Returns 0 when it holds. */
static int check_field(const sgc_ka_event *ev, const char *cluster, const char *spec, int line)
{
    const char *arrow = strstr(spec, " => ");
    if (!arrow) {
        fprintf(stderr, "field_cases.txt:%d: no ' => '\n", line);
        return 1;
    }
    char name[256], arg[256];
    size_t n = (size_t)(arrow - spec);
    snprintf(name, sizeof name, "%.*s", (int)n, spec);
    const char *want = arrow + 4;
    char *lb = strchr(name, '[');
    const char *argp = NULL;
    if (lb && name[strlen(name) - 1] == ']') {
        name[strlen(name) - 1] = '\0';
        snprintf(arg, sizeof arg, "%s", lb + 1);
        *lb = '\0';
        argp = arg;
    }
    const sgc_field_def *fdef = sgc_field_lookup(name);
    if (!sgc_field_in_source(fdef, SGC_SRC_K8S_AUDIT)) {
        fprintf(stderr, "field_cases.txt:%d: %s is not a k8s_audit field\n", line, name);
        return 1;
    }
    sgc_field_ref ref;
    char err[256];
    if (!sgc_field_ref_init(&ref, name, argp, fdef, err, sizeof err)) {
        fprintf(stderr, "field_cases.txt:%d: %s\n", line, err);
        return 1;
    }
    struct sgc_event_hdr hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.kind = SGC_REC_PLUGIN;
    hdr.ts_ns = (uint64_t)ev->ts_ns;
    sgc_evt rec;
    memset(&rec, 0, sizeof rec);
    rec.hdr = &hdr;
    rec.evtnum = 1;
    sgc_arena scratch;
    sgc_arena_init(&scratch, 0);
    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &scratch;
    cx.ka = ev;
    cx.ka_cluster = cluster;
    sgc_extract_ctx_reset(&cx, &rec, NULL);
    sgc_val v;
    sgc_extract(&cx, &ref, &v);
    size_t len;
    const char *got = sgc_val_render(&v, &scratch, &len);
    int bad = !(len == strlen(want) && !memcmp(got, want, len));
    if (bad)
        fprintf(stderr, "field_cases.txt:%d: %s%s%s%s: got '%.*s', want '%s'\n", line, name,
                argp ? "[" : "", argp ? argp : "", argp ? "]" : "", (int)len, got, want);
    sgc_field_ref_release(&ref);
    sgc_arena_free(&scratch);
    return bad;
}

static void test_field_cases(void **state)
{
    (void)state;
    FILE *f = fopen(SGC_SRC_DIR "/tests/k8saudit/field_cases.txt", "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0, failures = 0, checks = 0;
    collected c = {.n = 0};
    char cluster[128] = "";
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0 || line[0] == '#') continue;
        if (!strncmp(line, "cluster: ", 9)) {
            snprintf(cluster, sizeof cluster, "%s", line + 9);
        } else if (!strncmp(line, "event: ", 7)) {
            collected_free(&c);
            sgc_ka_parse_stats st;
            if (parse(line + 7, 0, &c, &st) != SGC_KA_PAYLOAD_OK || c.n != 1) {
                fprintf(stderr, "field_cases.txt:%d: the event does not parse\n", lineno);
                failures++;
            }
        } else if (c.n == 1) {
            checks++;
            failures += check_field(&c.ev[0], cluster[0] ? cluster : NULL, line, lineno);
        }
    }
    free(line);
    fclose(f);
    collected_free(&c);
    printf("%d field cases, %d failures\n", checks, failures);
    assert_true(checks >= 100);
    assert_int_equal(failures, 0);
}

#define EV(id, ts) "{\"kind\":\"Event\",\"auditID\":\"" id "\",\"stageTimestamp\":\"" ts "\"}"

static void test_payload_shapes(void **state)
{
    (void)state;
    collected c = {.n = 0};
    sgc_ka_parse_stats st;
    assert_int_equal(parse(EV("1", "2024-05-01T12:00:00Z"), 0, &c, &st), SGC_KA_PAYLOAD_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.ev[0].ts_ns, 1714564800000000000LL);
    collected_free(&c);
    const char *list = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" EV(
        "1", "2024-05-01T12:00:00.000000001Z") "," EV("2", "2024-05-01T12:00:01Z") "]}";
    assert_int_equal(parse(list, 0, &c, &st), SGC_KA_PAYLOAD_OK);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.ev[0].ts_ns, 1714564800000000001LL);
    collected_free(&c);
    const char *arr = "[" EV("1", "2024-05-01T12:00:00Z") "," EV("2", "2024-05-01T12:00:00Z") "]";
    assert_int_equal(parse(arr, 0, &c, &st), SGC_KA_PAYLOAD_OK);
    assert_int_equal(c.n, 2);
    assert_int_equal(st.events, 2);
    collected_free(&c);
}

static void test_payload_rejects(void **state)
{
    (void)state;
    collected c = {.n = 0};
    sgc_ka_parse_stats st;
    /* not JSON */
    assert_int_equal(parse("{\"kind\":", 0, &c, &st), SGC_KA_PAYLOAD_BAD_JSON);
    assert_int_equal(st.bad_json, 1);
    assert_int_equal(c.n, 0);
    /* JSON, not audit events */
    assert_int_equal(parse("{\"kind\":\"Pod\"}", 0, &c, &st), SGC_KA_PAYLOAD_NOT_AUDIT);
    assert_int_equal(parse("42", 0, &c, &st), SGC_KA_PAYLOAD_NOT_AUDIT);
    /* an array with an unrecognized element delivers nothing, as the plugin */
    assert_int_equal(parse("[" EV("1", "2024-05-01T12:00:00Z") ",{}]", 0, &c, &st),
                     SGC_KA_PAYLOAD_NOT_AUDIT);
    assert_int_equal(c.n, 0);
    /* an item without stageTimestamp is dropped, the others stay */
    const char *list =
        "{\"kind\":\"EventList\",\"items\":[{\"kind\":\"Event\",\"auditID\":\"x\"}," EV(
            "2", "2024-05-01T12:00:00Z") "," EV("3", "yesterday") "]}";
    assert_int_equal(parse(list, 0, &c, &st), SGC_KA_PAYLOAD_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(st.no_timestamp, 1);
    assert_int_equal(st.bad_timestamp, 1);
    collected_free(&c);
    /* the size limit is per event (compact JSON) */
    char big[2048];
    snprintf(big, sizeof big,
             "{\"kind\":\"EventList\",\"items\":[" EV(
                 "s", "2024-05-01T12:00:00Z") ",{\"kind\":\"Event\",\"auditID\":\"b\","
                                              "\"stageTimestamp\":\"2024-05-01T12:00:00Z\","
                                              "\"pad\":\"%0400d\"}]}",
             0);
    assert_int_equal(parse(big, 200, &c, &st), SGC_KA_PAYLOAD_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(st.too_large, 1);
    collected_free(&c);
}

static void test_time(void **state)
{
    (void)state;
    int64_t ns;
    assert_int_equal(sgc_ka_parse_time("2024-05-01T12:00:00.123456789Z", &ns), 0);
    assert_int_equal(ns, 1714564800123456789LL);
    assert_int_equal(sgc_ka_parse_time("2024-05-01T14:00:00.5+02:00", &ns), 0);
    assert_int_equal(ns, 1714564800500000000LL);
    assert_int_equal(sgc_ka_parse_time("2024-05-01 12:00:00Z", &ns), -1);
    assert_int_equal(sgc_ka_parse_time("2024-05-01T12:00:00", &ns), -1);
    assert_int_equal(sgc_ka_parse_time("2024-05-01T12:00:00.Z", &ns), -1);
    assert_int_equal(sgc_ka_parse_time(NULL, &ns), -1);
    /* beyond what 64-bit nanoseconds hold (found by fuzz_k8saudit) */
    assert_int_equal(sgc_ka_parse_time("7270-05-01T12:00:00Z", &ns), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_cases),
        cmocka_unit_test(test_payload_shapes),
        cmocka_unit_test(test_payload_rejects),
        cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
