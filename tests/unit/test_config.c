/* sgc.yaml loading: Falco's falco.yaml loads with warnings only and gives
 * Falco's values; config_files merging (append, override, add-only, a
 * directory in name order); -o overrides (dotted paths, list[i], YAML
 * values, winning over config_files); defaults without a file; the
 * k8s_audit and enforce sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cnode.h"
#include "config.h"
#include "ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sgc-i12-cfg-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int load(sgc_conf *c, sgc_diags *d, const char *file, const char *const *ov, int nov)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, file);
    sgc_config_args a = {.file = p, .overrides = ov, .noverrides = nov};
    sgc_diags_init(d);
    return sgc_config_load(c, &a, d);
}

static void test_falco_yaml(void **state)
{
    (void)state;
    sgc_conf c;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_config_args a = {.file = SGC_SRC_DIR "/../shared/corpus/falco-config/falco.yaml"};
    assert_int_equal(sgc_config_load(&c, &a, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_true(d.nwarnings >= 5);
    int falco_only = 0;
    for (int i = 0; i < d.n; i++) {
        falco_only += !strcmp(d.v[i].code, "SGC_CONFIG_FALCO_ONLY");
        /* no key of falco.yaml is unknown to sgc */
        assert_null(strstr(d.v[i].msg, "unknown key"));
    }
    assert_true(falco_only >= 5);
    assert_int_equal(c.rules_files.n, 3);
    assert_string_equal(c.rules_files.v[0], "/etc/falco/falco_rules.yaml");
    assert_false(c.json_output);
    assert_true(c.json_include_output_property);
    assert_false(c.json_include_message_property);
    assert_true(c.stdout_enabled);
    assert_true(c.syslog_enabled);
    assert_false(c.file_output.enabled);
    assert_string_equal(c.file_output.filename, "./events.txt");
    assert_string_equal(c.http_output.user_agent, "falcosecurity/falco");
    assert_int_equal(c.http_output.max_consecutive_timeouts, 5);
    assert_int_equal(c.output_timeout_ms, 2000);
    assert_int_equal(c.priority, SGC_PRI_DEBUG);
    assert_int_equal(c.webserver.listen_port, 8765);
    assert_true(c.webserver.enabled);
    assert_int_equal(c.metrics.interval_ms, 3600000);
    assert_int_equal(c.syscall_event_drops.actions, SGC_DROP_ACT_LOG | SGC_DROP_ACT_ALERT);
    assert_true(c.syscall_event_drops.threshold > 0.099 && c.syscall_event_drops.threshold < 0.101);
    assert_int_equal(c.log_level, SGC_PRI_INFORMATIONAL);
    sgc_config_free(&c);
    sgc_diags_free(&d);
}

static void test_config_files_merge(void **state)
{
    (void)state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/config.d", tmpdir);
    mkdir(dir, 0700);
    write_file("main.yaml", "config_files:\n"
                            "  - config.d\n"
                            "  - {path: over.yaml, strategy: override}\n"
                            "  - {path: addonly.yaml, strategy: add-only}\n"
                            "rules_files: [/r/a.yaml]\n"
                            "json_output: false\n"
                            "priority: debug\n");
    /* name order: 10 before 20; .txt ignored */
    write_file("config.d/20-b.yaml", "rules_files: [/r/c.yaml]\n"
                                     "file_output: {enabled: true, filename: /tmp/b.json}\n");
    write_file("config.d/10-a.yaml", "rules_files: [/r/b.yaml]\njson_output: true\n");
    write_file("config.d/30-c.txt", "json_output: [broken\n");
    write_file("over.yaml", "rules_files: [/r/only.yaml, /r/only2.yaml]\n");
    write_file("addonly.yaml", "priority: error\nstatic_fields: {cluster: prod}\n");
    sgc_conf c;
    sgc_diags d;
    assert_int_equal(load(&c, &d, "main.yaml", NULL, 0), 0);
    assert_int_equal(d.nwarnings, 0);
    assert_true(c.json_output); /* 10-a replaced it */
    assert_true(c.file_output.enabled);
    assert_string_equal(c.file_output.filename, "/tmp/b.json");
    assert_int_equal(c.rules_files.n, 2); /* override replaced the appended list */
    assert_string_equal(c.rules_files.v[0], "/r/only.yaml");
    assert_int_equal(c.priority, SGC_PRI_DEBUG); /* add-only kept the existing key */
    assert_int_equal(c.nstatic_fields, 1);       /* and added the new one */
    assert_string_equal(c.static_fields[0].value, "prod");
    assert_int_equal(c.loaded_files.n, 5);
    sgc_config_free(&c);
    sgc_diags_free(&d);

    /* append: lists appended in order */
    write_file("main2.yaml", "config_files: [config.d]\nrules_files: [/r/a.yaml]\n");
    assert_int_equal(load(&c, &d, "main2.yaml", NULL, 0), 0);
    assert_int_equal(c.rules_files.n, 3);
    assert_string_equal(c.rules_files.v[1], "/r/b.yaml");
    assert_string_equal(c.rules_files.v[2], "/r/c.yaml");
    sgc_config_free(&c);
    sgc_diags_free(&d);

    /* an error in an included file is reported at its position */
    write_file("config.d/40-bad.yaml", "\nfile_output:\n  keep_alive: sometimes\n");
    assert_int_equal(load(&c, &d, "main2.yaml", NULL, 0), -1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.v[0].file, "40-bad.yaml"));
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 15);
    sgc_config_free(&c);
    sgc_diags_free(&d);
    unlink("config.d/40-bad.yaml");
}

static void test_overrides(void **state)
{
    (void)state;
    char inc[256];
    snprintf(inc, sizeof inc, "%s/inc.yaml", tmpdir);
    write_file("inc.yaml", "json_output: false\n");
    char main[512];
    snprintf(main, sizeof main, "config_files: [%s]\nrules_files: [/a.yaml, /b.yaml]\n", inc);
    write_file("o.yaml", main);
    const char *ov[] = {
        "json_output=true", /* wins over config_files */
        "file_output.enabled=true",
        "file_output.filename=/tmp/x y.json",
        "rules_files[1]=/c.yaml", /* replace */
        "rules_files[2]=/d.yaml", /* append */
        "http_output={enabled: true, url: 'https://127.0.0.1:1/x', insecure: true}",
        "nats_output.servers=[tls://127.0.0.1:4222, tls://127.0.0.1:4223]",
        "enforce[0]={rule: Shell, action: audit}",
        "k8s_audit.tls.cert=/c.pem",
    };
    sgc_conf c;
    sgc_diags d;
    assert_int_equal(load(&c, &d, "o.yaml", ov, (int)(sizeof ov / sizeof *ov)), 0);
    assert_true(c.json_output);
    assert_true(c.file_output.enabled);
    assert_string_equal(c.file_output.filename, "/tmp/x y.json");
    assert_int_equal(c.rules_files.n, 3);
    assert_string_equal(c.rules_files.v[1], "/c.yaml");
    assert_string_equal(c.rules_files.v[2], "/d.yaml");
    assert_true(c.http_output.enabled);
    assert_true(c.http_output.insecure);
    assert_string_equal(c.http_output.url, "https://127.0.0.1:1/x");
    assert_int_equal(c.nats_output.servers.n, 2);
    assert_int_equal(c.nenforce, 1);
    assert_int_equal(c.enforce[0].action, SGC_ENFORCE_AUDIT);
    assert_string_equal(c.k8s_audit.tls_cert, "/c.pem");
    sgc_config_free(&c);
    sgc_diags_free(&d);

    const char *bad[] = {"a..b=1", "file_output.enabled"};
    assert_int_equal(load(&c, &d, "o.yaml", bad, 2), -1);
    assert_int_equal(d.nerrors, 2);
    sgc_config_free(&c);
    sgc_diags_free(&d);
}

static void test_defaults_and_sections(void **state)
{
    (void)state;
    sgc_conf c;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_config_args none = {0};
    assert_int_equal(sgc_config_load(&c, &none, &d), 0);
    assert_false(c.syslog_enabled); /* today's sgc run: stdout only */
    assert_true(c.stdout_enabled);
    assert_false(c.webserver.enabled);
    assert_string_equal(c.webserver.listen_address, "127.0.0.1");
    assert_int_equal(c.k8s_audit.listen_port, 9765);
    assert_string_equal(c.k8s_audit.path, "/k8s-audit");
    assert_string_equal(c.nats_output.subject, "falco.<priority>.<rule>");
    sgc_config_free(&c);

    const char *text = "k8s_audit:\n  enabled: true\n  listen_port: 9443\n"
                       "  tls: {cert: /c, key: /k, client_ca: /ca}\n"
                       "  max_event_bytes: 65536\n  files: [/var/log/audit.log]\n"
                       "enforce:\n  - {rule: A, action: kill}\n  - {rule: B, action: audit}\n"
                       "rules:\n  - disable: {rule: '*'}\n  - enable: {tag: network}\n";
    assert_int_equal(sgc_config_load_text(&c, "t.yaml", text, strlen(text), &d), 0);
    assert_true(c.k8s_audit.enabled);
    assert_int_equal(c.k8s_audit.listen_port, 9443);
    assert_string_equal(c.k8s_audit.tls_client_ca, "/ca");
    assert_int_equal(c.k8s_audit.max_event_bytes, 65536);
    assert_int_equal(c.k8s_audit.files.n, 1);
    assert_int_equal(c.nenforce, 2);
    assert_int_equal(c.enforce[0].action, SGC_ENFORCE_KILL);
    assert_int_equal(c.nrules, 2);
    assert_false(c.rules[0].enable);
    assert_string_equal(c.rules[0].rule, "*");
    assert_string_equal(c.rules[1].tag, "network");
    sgc_config_free(&c);
    sgc_diags_free(&d);
}

/* etc/sgc.yaml documents every key sgc reads, and loads cleanly */
static void test_example_documents_every_key(void **state)
{
    (void)state;
    FILE *f = fopen(SGC_SRC_DIR "/etc/sgc.yaml", "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_cnode *root = sgc_cnode_parse("etc/sgc.yaml", buf, n, &d);
    assert_non_null(root);
    int nkeys = 0;
    for (const char *k; (k = sgc_config_key(nkeys)); nkeys++) {
        char path[256];
        snprintf(path, sizeof path, "%s", k);
        const sgc_cnode *cur = root;
        for (char *save = NULL, *seg = strtok_r(path, ".", &save); seg;
             seg = strtok_r(NULL, ".", &save)) {
            cur = cur && cur->kind == SGC_CN_MAP ? sgc_cnode_get(cur, seg) : NULL;
        }
        if (!cur) fail_msg("etc/sgc.yaml does not show the key %s", k);
    }
    assert_true(nkeys > 100);
    sgc_cnode_free(root);
    sgc_conf c;
    assert_int_equal(sgc_config_load_text(&c, "etc/sgc.yaml", buf, n, &d), 0);
    for (int i = 0; i < d.n; i++) assert_null(strstr(d.v[i].msg, "unknown key"));
    sgc_config_free(&c);
    sgc_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_falco_yaml),
        cmocka_unit_test(test_config_files_merge),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_defaults_and_sections),
        cmocka_unit_test(test_example_documents_every_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
