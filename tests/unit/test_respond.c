/* sgc respond's pure parts: Talon's match semantics (rules, priority
 * comparisons, tags, output_fields = / !=, source), priority and condition
 * parsing, override merging, alert parsing (ids, dedup keys, refusals), the
 * id set's bound, and the responder's exactly-once and dedup decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "rp_alert.h"
#include "idset.h"
#include "match.h"
#include "playbook.h"
#include "respond_config.h"
#include "responder.h"
#include "ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rp_playbook *load(const char *text)
{
    rp_playbook *pb = calloc(1, sizeof *pb);
    rp_playbook_init(pb);
    assert_int_equal(rp_playbook_load(pb, "t.yaml", text, strlen(text)), 0);
    assert_int_equal(rp_playbook_finish(pb), 0);
    return pb;
}

static void unload(rp_playbook *pb)
{
    rp_playbook_free(pb);
    free(pb);
}

static bool matches(const rp_playbook *pb, int rule, const char *json)
{
    rp_alert a;
    char err[256];
    assert_true(rp_alert_parse(json, strlen(json), &a, err, sizeof err));
    bool m = rp_rule_matches(&pb->rules[rule], &a);
    rp_alert_free(&a);
    return m;
}

#define ALERT(prio, fields, tags)                                                                  \
    "{\"rule\":\"R1\",\"priority\":\"" prio "\",\"output_fields\":{" fields "},\"tags\":[" tags "]}"

static void test_priority_parse(void **state)
{
    (void)state;
    rp_cmp c;
    int p;
    assert_true(rp_parse_priority(">=Warning", &c, &p));
    assert_int_equal(c, RP_CMP_GE);
    assert_int_equal(p, SGC_PRI_WARNING);
    assert_true(rp_parse_priority("critical", &c, &p));
    assert_int_equal(c, RP_CMP_EQ);
    assert_true(rp_parse_priority("< Error", &c, &p));
    assert_int_equal(c, RP_CMP_LT);
    assert_false(rp_parse_priority(">=Severe", &c, &p));
    assert_false(rp_parse_priority(">=", &c, &p));
}

static void test_fitem_parse(void **state)
{
    (void)state;
    rp_fitem it;
    size_t off;
    const char *err;
    assert_true(rp_parse_fitem("k8s.ns.name!=kube-system, proc.name = sh", &it, &off, &err));
    assert_int_equal(it.n, 2);
    assert_string_equal(it.v[0].field, "k8s.ns.name");
    assert_true(it.v[0].neq);
    assert_string_equal(it.v[1].value, "sh");
    assert_false(it.v[1].neq);
    for (int i = 0; i < it.n; i++) {
        free(it.v[i].field);
        free(it.v[i].value);
    }
    free(it.v);
    assert_false(rp_parse_fitem("a=b, c", &it, &off, &err));
    assert_int_equal(off, 5);
    assert_false(rp_parse_fitem("=x", &it, &off, &err));
}

static void test_match_semantics(void **state)
{
    (void)state;
    rp_playbook *pb =
        load("- action: K\n  actionner: process:kill\n"
             "- rule: r\n  match:\n    rules: [R0, R1]\n    priority: '>=Warning'\n"
             "    tags: ['a, b', c]\n"
             "    output_fields: ['container.id!=host, proc.name=sh', 'fd.name=/etc/shadow']\n"
             "  actions: [{action: K}]\n");
    /* all criteria hold */
    assert_true(matches(
        pb, 0, ALERT("Critical", "\"container.id\":\"abc\",\"proc.name\":\"sh\"", "\"a\",\"b\"")));
    /* priority below Warning */
    assert_false(
        matches(pb, 0, ALERT("Notice", "\"container.id\":\"abc\",\"proc.name\":\"sh\"", "\"c\"")));
    /* Warning itself */
    assert_true(matches(pb, 0, ALERT("Warning", "\"fd.name\":\"/etc/shadow\"", "\"c\"")));
    /* a tag item needs all its tags */
    assert_false(matches(pb, 0, ALERT("Critical", "\"fd.name\":\"/etc/shadow\"", "\"a\"")));
    /* != holds when the field is absent; = needs it present */
    assert_true(matches(pb, 0, ALERT("Critical", "\"proc.name\":\"sh\"", "\"c\"")));
    assert_false(matches(
        pb, 0, ALERT("Critical", "\"container.id\":\"host\",\"proc.name\":\"sh\"", "\"c\"")));
    assert_false(matches(pb, 0, ALERT("Critical", "\"container.id\":\"x\"", "\"c\"")));
    /* numbers compare as text */
    unload(pb);
    pb = load("- rule: n\n  match: {output_fields: ['proc.pid=42'], source: syscall}\n"
              "  actions: [{action: X, actionner: exec:script, parameters: {command: 'true'}}]\n");
    assert_true(matches(pb, 0, ALERT("Debug", "\"proc.pid\":42", "")));
    assert_false(matches(pb, 0, ALERT("Debug", "\"proc.pid\":43", "")));
    assert_false(matches(pb, 0,
                         "{\"rule\":\"x\",\"priority\":\"Debug\",\"source\":\"k8s_audit\","
                         "\"output_fields\":{\"proc.pid\":42}}"));
    unload(pb);
}

static void test_override_merges(void **state)
{
    (void)state;
    rp_playbook pb;
    rp_playbook_init(&pb);
    const char *a = "- action: Stop\n  actionner: container:stop\n  parameters: {timeout: 5}\n"
                    "- rule: r\n  match: {rules: [X]}\n  actions: [{action: Stop}]\n";
    const char *b = "- action: Stop\n  parameters: {timeout: 1}\n"
                    "- rule: r\n  continue: false\n";
    assert_int_equal(rp_playbook_load(&pb, "a.yaml", a, strlen(a)), 0);
    assert_int_equal(rp_playbook_load(&pb, "b.yaml", b, strlen(b)), 0);
    assert_int_equal(rp_playbook_finish(&pb), 0);
    assert_int_equal(pb.ndefs, 1);
    assert_int_equal(pb.nrules, 1);
    assert_false(pb.rules[0].cont);
    assert_int_equal(pb.rules[0].nmatch_rules, 1);
    assert_string_equal(pb.rules[0].actions[0].actionner, "container:stop");
    assert_int_equal(json_integer_value(json_object_get(pb.rules[0].actions[0].params, "timeout")),
                     1);
    rp_playbook_free(&pb);
}

static void test_alert_parse(void **state)
{
    (void)state;
    rp_alert a;
    char err[256];
    const char *sgc =
        "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":{\"sgc.alert.id\":\"abc\","
        "\"evt.time\":1,\"proc.pid\":7}}";
    assert_true(rp_alert_parse(sgc, strlen(sgc), &a, err, sizeof err));
    assert_string_equal(a.id, "abc");
    char key1[65];
    strcpy(key1, a.dedup_key);
    long long pid;
    assert_true(rp_alert_field_int(&a, "proc.pid", &pid));
    assert_int_equal(pid, 7);
    rp_alert_free(&a);
    /* another time and id, same content: the same dedup key */
    const char *sgc2 =
        "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":{\"sgc.alert.id\":\"def\","
        "\"evt.time\":2,\"proc.pid\":7}}";
    assert_true(rp_alert_parse(sgc2, strlen(sgc2), &a, err, sizeof err));
    assert_string_equal(a.dedup_key, key1);
    rp_alert_free(&a);
    const char *sk = "{\"uuid\":\"u-1\",\"rule\":\"R\",\"priority\":\"info\"}";
    assert_true(rp_alert_parse(sk, strlen(sk), &a, err, sizeof err));
    assert_string_equal(a.id, "u-1");
    rp_alert_free(&a);
    const char *plain = "{\"rule\":\"R\",\"priority\":\"Debug\"}";
    assert_true(rp_alert_parse(plain, strlen(plain), &a, err, sizeof err));
    assert_memory_equal(a.id, "sha256:", 7);
    rp_alert_free(&a);
    static const char *const bad[] = {
        "",
        "[]",
        "{\"priority\":\"Warning\"}",
        "{\"rule\":\"R\"}",
        "{\"rule\":\"R\",\"priority\":\"Loud\"}",
        "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":[]}",
        "{\"rule\":\"R\",\"priority\":\"Warning\",\"tags\":\"x\"}",
        "{\"rule\":1,\"priority\":\"Warning\"}",
        "{\"rule\":\"R\",\"rule\":\"S\",\"priority\":\"Warning\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(rp_alert_parse(bad[i], strlen(bad[i]), &a, err, sizeof err));
}

static void test_idset_bound(void **state)
{
    (void)state;
    rp_idset *s = rp_idset_new(3);
    rp_idset_put(s, "a", 1);
    rp_idset_put(s, "b", 2);
    rp_idset_put(s, "c", 3);
    rp_idset_put(s, "a", 4); /* update, not a new entry */
    assert_int_equal(rp_idset_size(s), 3);
    rp_idset_put(s, "d", 5); /* evicts the oldest insertion: a */
    assert_int_equal(rp_idset_size(s), 3);
    assert_false(rp_idset_get(s, "a", NULL));
    double t;
    assert_true(rp_idset_get(s, "d", &t));
    assert_true(t == 5);
    rp_idset_free(s);
}

static void test_responder_once_and_dedup(void **state)
{
    (void)state;
    rp_playbook *pb =
        load("- rule: r\n  match: {rules: [R]}\n"
             "  actions: [{action: X, actionner: exec:script, parameters: {command: 'true'}}]\n");
    rp_config cfg;
    rp_config_defaults(&cfg);
    cfg.dry_run = true;
    cfg.dedup_window = 60;
    char err[256];
    rp_responder *r = rp_responder_new(&cfg, pb, NULL, err, sizeof err);
    assert_non_null(r);
    const char *a1 = "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":{\"sgc.alert.id\":"
                     "\"1\",\"x\":1}}";
    const char *a2 = "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":{\"sgc.alert.id\":"
                     "\"2\",\"x\":1}}";
    const char *a3 = "{\"rule\":\"R\",\"priority\":\"Warning\",\"output_fields\":{\"sgc.alert.id\":"
                     "\"3\",\"x\":2}}";
    assert_int_equal(rp_responder_handle(r, a1, strlen(a1), "t", err, sizeof err), RP_HANDLED);
    assert_int_equal(rp_responder_handle(r, a1, strlen(a1), "t", err, sizeof err), RP_DUPLICATE);
    assert_int_equal(rp_responder_handle(r, a2, strlen(a2), "t", err, sizeof err), RP_HANDLED);
    assert_int_equal(rp_responder_handle(r, a3, strlen(a3), "t", err, sizeof err), RP_HANDLED);
    assert_int_equal(rp_responder_handle(r, "{", 1, "t", err, sizeof err), RP_MALFORMED);
    rp_stats st;
    rp_responder_stats(r, &st);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.deduplicated, 1);
    assert_int_equal(st.matched, 2);
    assert_int_equal(st.actions_dry_run, 2);
    assert_int_equal(st.malformed, 1);
    rp_responder_free(r);
    rp_config_free(&cfg);
    unload(pb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priority_parse),
        cmocka_unit_test(test_fitem_parse),
        cmocka_unit_test(test_match_semantics),
        cmocka_unit_test(test_override_merges),
        cmocka_unit_test(test_alert_parse),
        cmocka_unit_test(test_idset_bound),
        cmocka_unit_test(test_responder_once_and_dedup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
