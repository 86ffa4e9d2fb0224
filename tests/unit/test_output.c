/* Alert rendering: Falco's text line and JSON object, escaping, <NA>,
 * minimum priority, file output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "output.h"
#include "proctable.h"
#include "usercache.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    sgc_proctable *pt;
    sgc_usercache *uc;
    sgc_arena arena;
    _Alignas(8) uint8_t rec[1024];
    sgc_evt ev;
    sgc_extract_ctx cx;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->pt = sgc_proctable_new(NULL);
    fx->uc = sgc_usercache_new(0);
    sgc_usercache_set_user(fx->uc, NULL, 0, 0, "root", "/root", "/bin/bash");
    sgc_proctable_attach(fx->pt, fx->uc, NULL);
    sgc_arena_init(&fx->arena, 0);
    sgc_proc *p = sgc_proctable_get_or_create(fx->pt, 42, 0);
    strcpy(p->comm, "ca\"t");
    sgc_proc_image_spec spec = {.exe = "cat", .exe_len = 3, .args = "a\tb\0\xff\0", .args_len = 6};
    sgc_proc_set_image(fx->pt, p, &spec, false);

    sgc_record_builder b;
    sgc_record_begin(&b, fx->rec, sizeof fx->rec, SGC_REC_SYSCALL, 257, 0);
    b.hdr->pid = b.hdr->tid = 42;
    b.hdr->ts_ns = 1714564800123456789ull; /* 2024-05-01T12:00:00.123456789Z */
    b.hdr->ret = 3;
    sgc_record_finish(&b);
    assert_int_equal(sgc_decode(fx->rec, sizeof fx->rec, &fx->ev), SGC_DECODE_OK);
    fx->cx.scratch = &fx->arena;
    fx->cx.pt = fx->pt;
    sgc_extract_ctx_reset(&fx->cx, &fx->ev, p);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    sgc_arena_free(&fx->arena);
    sgc_usercache_free(fx->uc);
    sgc_proctable_free(fx->pt);
    free(fx);
    return 0;
}

static char *render(fixture *fx, bool json, const char *tmpl, sgc_priority pri,
                    const char *const *tags, int ntags)
{
    char err[256];
    sgc_output_format *f = sgc_output_format_compile(tmpl, err, sizeof err);
    assert_non_null(f);
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    cfg.json = json;
    sgc_alert a = {.rule = "Test \"rule\"",
                   .priority = pri,
                   .source = "syscall",
                   .tags = tags,
                   .ntags = ntags,
                   .fmt = f};
    sgc_strbuf out = {0};
    sgc_alert_render(&cfg, "host-1", &a, &fx->cx, &out);
    sgc_output_format_free(f);
    return out.p;
}

static void test_text_line(void **state)
{
    fixture *fx = *state;
    setenv("TZ", "UTC", 1);
    char *s =
        render(fx, false, "File opened by %user.name (cmd=%proc.cmdline gp=%proc.aname[2] 100%%)",
               SGC_PRI_WARNING, NULL, 0);
    /* control characters are dropped from field values in the text line */
    assert_string_equal(s, "12:00:00.123456789: Warning File opened by root "
                           "(cmd=ca\"t ab \xff gp=<NA> 100%)");
    free(s);
}

static void test_json_object(void **state)
{
    fixture *fx = *state;
    setenv("TZ", "UTC", 1);
    const char *tags[] = {"mitre", "filesystem", "mitre"};
    char *s = render(fx, true, "x=%proc.name pid=%proc.pid gp=%proc.aname[2] n=%proc.cmdline",
                     SGC_PRI_CRITICAL, tags, 3);
    assert_string_equal(
        s,
        "{\"hostname\":\"host-1\","
        "\"output\":\"12:00:00.123456789: Critical x=ca\\\"t pid=42 gp=<NA> n=ca\\\"t ab "
        "\xef\xbf\xbd\","
        "\"output_fields\":{\"evt.time\":1714564800123456789,\"proc.aname[2]\":null,"
        "\"proc.cmdline\":\"ca\\\"t a\\tb \xef\xbf\xbd\",\"proc.name\":\"ca\\\"t\",\"proc.pid\":42,"
        "\"sgc.alert.id\":\"7c1c08119e90a110dbbcfc9745e18478\"},"
        "\"priority\":\"Critical\",\"rule\":\"Test \\\"rule\\\"\",\"source\":\"syscall\","
        "\"tags\":[\"filesystem\",\"mitre\"],\"time\":\"2024-05-01T12:00:00.123456789Z\"}");
    free(s);
}

/* json_include_message_property and static_fields (sgc.yaml) */
static void test_json_message_and_static_fields(void **state)
{
    fixture *fx = *state;
    setenv("TZ", "UTC", 1);
    char err[256];
    sgc_output_format *f = sgc_output_format_compile("pid=%proc.pid", err, sizeof err);
    assert_non_null(f);
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    cfg.json = true;
    cfg.json_include_message = true;
    cfg.json_include_tags = false;
    const char *keys[] = {"cluster", "a.env"}, *vals[] = {"prod \"eu\"", "1"};
    cfg.static_keys = keys;
    cfg.static_values = vals;
    cfg.nstatic = 2;
    sgc_alert a = {.rule = "R", .priority = SGC_PRI_NOTICE, .source = "syscall", .fmt = f};
    sgc_strbuf out = {0};
    sgc_alert_render(&cfg, "h", &a, &fx->cx, &out);
    assert_string_equal(out.p, "{\"hostname\":\"h\",\"message\":\"pid=42\","
                               "\"output\":\"12:00:00.123456789: Notice pid=42\","
                               "\"output_fields\":{\"a.env\":\"1\",\"cluster\":\"prod \\\"eu\\\"\","
                               "\"evt.time\":1714564800123456789,\"proc.pid\":42,"
                               "\"sgc.alert.id\":\"4c9ccf974bc64b71e59c424f4f7dee2a\"},"
                               "\"priority\":\"Notice\",\"rule\":\"R\",\"source\":\"syscall\","
                               "\"time\":\"2024-05-01T12:00:00.123456789Z\"}");
    sgc_strbuf_free(&out);
    sgc_output_format_free(f);
}

/* append_output (Falco 0.44): extra_output after the output, its fields in
 * output_fields; extra_fields as rendered strings or typed raw fields; an
 * entry applies only when source, every tag and the rule name match. */
static void test_append_output(void **state)
{
    fixture *fx = *state;
    setenv("TZ", "UTC", 1);
    char err[256];
    sgc_output_format *f = sgc_output_format_compile("pid=%proc.pid", err, sizeof err);
    sgc_output_format *extra = sgc_output_format_compile("exe=%proc.exe", err, sizeof err);
    sgc_output_format *fmt = sgc_output_format_compile("u:%user.name", err, sizeof err);
    sgc_output_format *raw = sgc_output_format_compile("%proc.pid", err, sizeof err);
    sgc_output_format *never = sgc_output_format_compile("NEVER", err, sizeof err);
    assert_true(f && extra && fmt && raw && never);
    const char *need[] = {"b", "a"}, *missing[] = {"a", "zzz"};
    sgc_output_extra_field fields[] = {{"who", fmt, NULL}, {"proc.pid", NULL, raw}};
    sgc_output_append ap[] = {
        {.source = "syscall", .tags = need, .ntags = 2, .extra_output = extra},
        {.rule = "R", .fields = fields, .nfields = 2},
        {.source = "k8s_audit", .extra_output = never},
        {.rule = "other", .extra_output = never},
        {.tags = missing, .ntags = 2, .extra_output = never},
    };
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    cfg.append = ap;
    cfg.nappend = 5;
    cfg.json_include_tags = false;
    const char *tags[] = {"a", "b", "c"};
    sgc_alert a = {.rule = "R",
                   .priority = SGC_PRI_NOTICE,
                   .source = "syscall",
                   .tags = tags,
                   .ntags = 3,
                   .fmt = f};
    sgc_strbuf out = {0};
    sgc_alert_render(&cfg, "h", &a, &fx->cx, &out);
    assert_string_equal(out.p, "12:00:00.123456789: Notice pid=42 exe=cat");
    sgc_strbuf_free(&out);
    cfg.json = true;
    sgc_alert_render(&cfg, "h", &a, &fx->cx, &out);
    assert_string_equal(out.p, "{\"hostname\":\"h\","
                               "\"output\":\"12:00:00.123456789: Notice pid=42 exe=cat\","
                               "\"output_fields\":{\"evt.time\":1714564800123456789,"
                               "\"proc.exe\":\"cat\",\"proc.pid\":42,"
                               "\"sgc.alert.id\":\"4c9ccf974bc64b71e59c424f4f7dee2a\","
                               "\"who\":\"u:root\"},"
                               "\"priority\":\"Notice\",\"rule\":\"R\",\"source\":\"syscall\","
                               "\"time\":\"2024-05-01T12:00:00.123456789Z\"}");
    sgc_strbuf_free(&out);
    /* without the tag b the first entry does not apply */
    a.ntags = 1;
    cfg.json = false;
    sgc_alert_render(&cfg, "h", &a, &fx->cx, &out);
    assert_string_equal(out.p, "12:00:00.123456789: Notice pid=42");
    sgc_strbuf_free(&out);
    sgc_output_format_free(f);
    sgc_output_format_free(extra);
    sgc_output_format_free(fmt);
    sgc_output_format_free(raw);
    sgc_output_format_free(never);
}

static void test_bad_templates(void **state)
{
    char err[256];
    assert_null(sgc_output_format_compile("x=%no.such_field", err, sizeof err));
    assert_non_null(strstr(err, "no.such_field"));
    assert_null(sgc_output_format_compile("trailing %", err, sizeof err));
}

static void test_min_priority_and_file(void **state)
{
    fixture *fx = *state;
    char path[] = "/tmp/sgc_test_output_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sgc_output_config cfg;
    sgc_output_config_defaults(&cfg);
    cfg.min_priority = SGC_PRI_WARNING;
    cfg.to_stdout = false;
    cfg.file = path;
    cfg.file_keep_alive = false;
    cfg.hostname = "h";
    char err[256];
    sgc_outputs *o = sgc_outputs_open(&cfg, err, sizeof err);
    assert_non_null(o);
    sgc_output_format *f = sgc_output_format_compile("p=%proc.pid", err, sizeof err);
    sgc_alert a = {.rule = "r", .priority = SGC_PRI_NOTICE, .fmt = f};
    assert_int_equal(sgc_outputs_emit(o, &a, &fx->cx), 0); /* below the minimum */
    a.priority = SGC_PRI_ERROR;
    assert_int_equal(sgc_outputs_emit(o, &a, &fx->cx), 0);
    a.priority = SGC_PRI_WARNING;
    assert_int_equal(sgc_outputs_emit(o, &a, &fx->cx), 0);
    sgc_output_stats st;
    sgc_outputs_get_stats(o, &st);
    assert_int_equal(st.emitted, 2);
    assert_int_equal(st.filtered, 1);
    sgc_outputs_close(o);
    sgc_output_format_free(f);
    FILE *fp = fopen(path, "r");
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        assert_non_null(strstr(line, n == 0 ? ": Error p=42\n" : ": Warning p=42\n"));
        n++;
    }
    fclose(fp);
    unlink(path);
    assert_int_equal(n, 2);
    cfg.file = "/nonexistent-dir/x.log";
    assert_null(sgc_outputs_open(&cfg, err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_message_and_static_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_output, setup, teardown),
        cmocka_unit_test(test_bad_templates),
        cmocka_unit_test_setup_teardown(test_min_priority_and_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
