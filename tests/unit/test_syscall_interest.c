/* The syscalls a rule set needs captured: the union of its rules' event
 * types, as syscall numbers the capture knows; procexit comes from the
 * process events; other event types are listed as missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "frontend.h"
#include "syscall_interest.h"
#include "systables.h"

#include <string.h>

static bool has_nr(const sgc_interest *in, const char *name)
{
    int nr = sgc_syscall_nr(name);
    for (int i = 0; i < in->n; i++)
        if (in->nrs[i] == nr) return true;
    return false;
}

static bool has_missing(const sgc_interest *in, const char *name)
{
    for (int i = 0; i < in->nmissing; i++)
        if (!strcmp(in->missing[i], name)) return true;
    return false;
}

static void load(sgc_frontend *fe, const char *yaml)
{
    sgc_frontend_opts o = {0};
    o.embedded = yaml;
    o.embedded_len = strlen(yaml);
    o.embedded_name = "test.yaml";
    assert_int_equal(sgc_frontend_run(fe, NULL, 0, &o), 0);
}

static void test_union_of_rule_types(void **state)
{
    sgc_frontend fe = {0};
    load(&fe,
         "- rule: a\n  desc: d\n  condition: evt.type in (openat, open) and fd.name = /x\n"
         "  output: o\n  priority: INFO\n"
         "- rule: b\n  desc: d\n  condition: evt.type = connect\n  output: o\n  priority: INFO\n"
         "- rule: c\n  desc: d\n  condition: evt.type = procexit\n  output: o\n  priority: INFO\n"
         "- rule: d\n  desc: d\n  condition: evt.type = container\n  output: o\n  priority: INFO\n"
         "- rule: off\n  desc: d\n  condition: evt.type = bind\n  output: o\n  priority: INFO\n"
         "  enabled: false\n");
    sgc_interest in;
    assert_int_equal(sgc_interest_build(fe.rs, &in), 0);
    assert_int_equal(in.nrules, 4);
    assert_int_equal(in.nrules_any_type, 0);
    assert_int_equal(in.n, 3);
    assert_true(has_nr(&in, "openat") && has_nr(&in, "open") && has_nr(&in, "connect"));
    assert_false(has_nr(&in, "bind")); /* disabled rule */
    for (int i = 1; i < in.n; i++) assert_true(in.nrs[i - 1] < in.nrs[i]);
    assert_false(has_missing(&in, "procexit")); /* from the process events */
    assert_true(has_missing(&in, "container"));
    sgc_interest_free(&in);
    sgc_frontend_free(&fe);
}

static void test_rule_without_type_watches_everything(void **state)
{
    sgc_frontend fe = {0};
    load(&fe,
         "- rule: any\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: INFO\n");
    sgc_interest in;
    assert_int_equal(sgc_interest_build(fe.rs, &in), 0);
    assert_int_equal(in.nrules_any_type, 1);
    assert_true(in.n > 40);
    assert_true(has_nr(&in, "openat") && has_nr(&in, "ptrace") && has_nr(&in, "mmap"));
    sgc_interest_free(&in);
    sgc_frontend_free(&fe);
}

static bool has_data(const sgc_interest *in, const char *name)
{
    int nr = sgc_syscall_nr(name);
    for (int i = 0; i < in->ndata; i++)
        if (in->data_nrs[i] == nr) return true;
    return false;
}

/* What the capture must copy: the environment only when a rule reads
 * proc.env (condition or output), data buffers only for the syscalls of the
 * rules that read evt.buffer / evt.arg.data. */
static void test_env_and_data_needs(void **state)
{
    sgc_frontend fe = {0};
    load(&fe, "- rule: a\n  desc: d\n  condition: evt.type = openat and fd.name = /x\n"
              "  output: o %proc.name\n  priority: INFO\n");
    sgc_interest in;
    assert_int_equal(sgc_interest_build(fe.rs, &in), 0);
    assert_false(in.reads_env);
    assert_int_equal(in.ndata, 0);
    sgc_interest_free(&in);
    sgc_frontend_free(&fe);

    sgc_frontend fe2 = {0};
    load(&fe2, "- rule: env\n  desc: d\n  condition: evt.type = execve and proc.name = x\n"
               "  output: o %proc.env[HOME]\n  priority: INFO\n"
               "- rule: buf\n  desc: d\n  condition: evt.type in (recvfrom, connect) and "
               "evt.buffer bcontains cafebabe\n  output: o\n  priority: INFO\n"
               "- rule: off\n  desc: d\n  condition: evt.type = write and evt.arg.data contains x\n"
               "  output: o\n  priority: INFO\n  enabled: false\n");
    assert_int_equal(sgc_interest_build(fe2.rs, &in), 0);
    assert_true(in.reads_env);
    assert_int_equal(in.ndata, 1);
    assert_true(has_data(&in, "recvfrom"));
    assert_false(has_data(&in, "write"));   /* its rule is disabled */
    assert_false(has_data(&in, "connect")); /* no data buffer */
    sgc_interest_free(&in);
    sgc_frontend_free(&fe2);

    sgc_frontend fe3 = {0};
    load(&fe3, "- rule: c\n  desc: d\n  condition: evt.type = execve and proc.env contains \"X=\"\n"
               "  output: o\n  priority: INFO\n");
    assert_int_equal(sgc_interest_build(fe3.rs, &in), 0);
    assert_true(in.reads_env);
    sgc_interest_free(&in);
    sgc_frontend_free(&fe3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_and_data_needs),
        cmocka_unit_test(test_union_of_rule_types),
        cmocka_unit_test(test_rule_without_type_watches_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
