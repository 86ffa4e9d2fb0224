/* The field catalog: table integrity, lookups, argument forms, and coverage
 * of every field the Falco corpus files use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "loader.h"

static void test_table_integrity(void **state)
{
    (void)state;
    int n;
    const sgc_field_def *all = sgc_fields_all(&n);
    assert_true(n > 200);
    for (int i = 0; i < n; i++) {
        const sgc_field_def *f = &all[i];
        assert_int_equal((int)f->id, i);
        assert_ptr_equal(sgc_field_by_id(i), f);
        assert_non_null(strchr(f->name, '.'));
        assert_true(strlen(f->desc) >= 10);
        assert_true(f->type < SGC_FT__COUNT);
        assert_string_not_equal(sgc_ftype_name(f->type), "?");
        assert_ptr_equal(sgc_field_lookup(f->name), f); /* names are unique */
        if (f->arg & SGC_ARG_NUMERIC) assert_true(f->arg & SGC_ARG_BRACKET);
    }
    assert_null(sgc_field_by_id(n));
    assert_null(sgc_field_by_id(-1));
}

static void test_lookup_types(void **state)
{
    (void)state;
    const sgc_field_def *f = sgc_field_lookup("proc.name");
    assert_non_null(f);
    assert_int_equal(f->id, SGC_F_PROC_NAME);
    assert_int_equal(f->type, SGC_FT_STRING);
    assert_int_equal(sgc_field_lookup("evt.rawres")->type, SGC_FT_INT64);
    assert_int_equal(sgc_field_lookup("evt.res")->type, SGC_FT_ERRNO);
    assert_int_equal(sgc_ftype_class(SGC_FT_ERRNO), SGC_FCLASS_STRING);
    assert_int_equal(sgc_field_lookup("fd.sport")->type, SGC_FT_PORT);
    assert_int_equal(sgc_field_lookup("fd.sip")->type, SGC_FT_IPADDR);
    assert_true(sgc_field_lookup("fd.net")->flags & SGC_FF_FILTER_ONLY);
    assert_true(sgc_field_lookup("fd.types")->flags & SGC_FF_LIST);
    assert_true(sgc_field_lookup("evt.dir")->flags & SGC_FF_DEPRECATED);
    /* Falco fields sgc cannot extract are not in the catalog at all */
    assert_null(sgc_field_lookup("evt.latency"));
    assert_null(sgc_field_lookup("evt.cpu"));
    assert_int_equal(sgc_field_lookup("thread.cap_effective")->type, SGC_FT_FLAGS);
    assert_int_equal(sgc_field_lookup("user.uid")->type, SGC_FT_UINT32);
    assert_int_equal(sgc_field_lookup("user.loginuid")->type, SGC_FT_INT64);
    assert_int_equal(sgc_field_lookup("container.privileged")->type, SGC_FT_BOOL);
    assert_null(sgc_field_lookup("proc.nme"));
    assert_null(sgc_field_lookup("proc"));
    assert_null(sgc_field_lookup(""));
    assert_null(sgc_field_lookup(NULL));
    assert_string_equal(sgc_field_arg_desc(sgc_field_lookup("proc.aname")), "index, optional");
    assert_string_equal(sgc_field_arg_desc(sgc_field_lookup("proc.name")), "none");
    assert_string_equal(sgc_field_arg_desc(sgc_field_lookup("container.mount.dest")),
                        "key, required");
    char buf[32];
    assert_string_equal(sgc_field_class(sgc_field_lookup("fs.path.name"), buf, sizeof buf),
                        "fs.path");
    assert_string_equal(sgc_field_class(sgc_field_lookup("proc.name"), buf, sizeof buf), "proc");
}

/* Resolves and returns the field name, the dotted argument in *dotted. */
static const char *resolve_ok(const char *name, const char *arg, const char **dotted)
{
    char *err = NULL;
    const sgc_field_def *f = sgc_field_resolve(name, arg, dotted, &err);
    if (!f) fail_msg("%s%s%s%s: %s", name, arg ? "[" : "", arg ? arg : "", arg ? "]" : "", err);
    assert_null(err);
    return f->name;
}

static char *resolve_err(const char *name, const char *arg)
{
    char *err = NULL;
    const sgc_field_def *f = sgc_field_resolve(name, arg, NULL, &err);
    if (f)
        fail_msg("%s%s%s%s resolved to %s", name, arg ? "[" : "", arg ? arg : "", arg ? "]" : "",
                 f->name);
    assert_non_null(err);
    return err;
}

static void test_resolve(void **state)
{
    (void)state;
    const char *dotted = NULL;
    assert_string_equal(resolve_ok("evt.arg.flags", NULL, &dotted), "evt.arg");
    assert_string_equal(dotted, "flags");
    assert_string_equal(resolve_ok("evt.arg", "1", &dotted), "evt.arg");
    assert_null(dotted);
    assert_string_equal(resolve_ok("evt.rawarg.res", NULL, &dotted), "evt.rawarg");
    assert_string_equal(dotted, "res");
    assert_string_equal(resolve_ok("proc.aname", "2", NULL), "proc.aname");
    assert_string_equal(resolve_ok("proc.aname", NULL, NULL), "proc.aname");
    assert_string_equal(resolve_ok("proc.env", "HOME", NULL), "proc.env");
    assert_string_equal(resolve_ok("proc.env", NULL, NULL), "proc.env");
    assert_string_equal(resolve_ok("container.mount.dest", "/var/run/docker.sock", NULL),
                        "container.mount.dest");
    assert_string_equal(resolve_ok("k8s.pod.label.app", NULL, &dotted), "k8s.pod.label");
    assert_string_equal(dotted, "app");
    assert_string_equal(resolve_ok("k8s.pod.label", "app.kubernetes.io/name", NULL),
                        "k8s.pod.label");
    assert_string_equal(resolve_ok("thread.cgroup.cpuacct", NULL, &dotted), "thread.cgroup");
    assert_string_equal(resolve_ok("evt.type.is.open", NULL, &dotted), "evt.type.is");
    assert_null(sgc_field_resolve("evt.abspath.src", NULL, NULL, NULL));
    assert_string_equal(resolve_ok("fd.types", "0", NULL), "fd.types");
    /* Exact names win over dotted arguments. */
    assert_string_equal(resolve_ok("proc.exe_ino.ctime", NULL, NULL), "proc.exe_ino.ctime");

    char *e = resolve_err("proc.nme", NULL);
    assert_non_null(strstr(e, "filter_check called with nonexistent field proc.nme"));
    assert_non_null(strstr(e, "did you mean proc.name"));
    free(e);
    e = resolve_err("foo.bar", NULL);
    assert_null(strstr(e, "did you mean"));
    free(e);
    free(resolve_err("proc.aname", "x"));            /* index must be a number */
    free(resolve_err("proc.name", "1"));             /* no argument taken */
    free(resolve_err("container.mount.dest", NULL)); /* argument required */
    free(resolve_err("evt.arg", NULL));
    free(resolve_err("evt.arg", "flags"));    /* brackets take an index */
    free(resolve_err("evt.arg.flags", "1"));  /* both forms */
    free(resolve_err("proc.name.foo", NULL)); /* proc.name takes no dotted argument */
    free(resolve_err("evt.type.foo", NULL));
    free(resolve_err("", NULL));
    assert_string_equal(sgc_field_suggest("fd.nmae"), "fd.name");
    assert_null(sgc_field_suggest("completely.different"));
}

/* ---- the corpus: every field named in a condition or output resolves ---- */

static int check_text(const char *text, regex_t *re, int *nfields)
{
    int bad = 0;
    const char *p = text;
    regmatch_t m[6];
    while (regexec(re, p, 6, m, p == text ? 0 : REG_NOTBOL) == 0) {
        char name[256] = {0}, arg[256] = {0};
        int nlen = (int)(m[2].rm_eo - m[2].rm_so);
        if (nlen > 255) nlen = 255;
        memcpy(name, p + m[2].rm_so, (size_t)nlen);
        bool has_arg = m[5].rm_so >= 0;
        if (has_arg) {
            int alen = (int)(m[5].rm_eo - m[5].rm_so);
            if (alen > 255) alen = 255;
            memcpy(arg, p + m[5].rm_so, (size_t)alen);
        }
        char *err = NULL;
        if (!sgc_field_resolve(name, has_arg ? arg : NULL, NULL, &err)) {
            print_error("corpus field %s%s%s%s does not resolve: %s\n", name, has_arg ? "[" : "",
                        has_arg ? arg : "", has_arg ? "]" : "", err);
            bad++;
        }
        free(err);
        (*nfields)++;
        p += m[0].rm_eo;
    }
    return bad;
}

static void test_corpus_fields(void **state)
{
    (void)state;
    const char *files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                           "falco-sandbox_rules.yaml"};
    regex_t re;
    /* A field: a known class prefix, dotted name, optional [arg]; not part of
     * a longer dotted word (registry.k8s.io) or a path. */
    int rc = regcomp(&re,
                     "(^|[^A-Za-z0-9_./-])((evt|syscall|proc|thread|fd|fs|user|group|container|k8s)"
                     "\\.[A-Za-z0-9_.]*[A-Za-z0-9_])(\\[([^]]*)\\])?",
                     REG_EXTENDED);
    assert_int_equal(rc, 0);
    int bad = 0, nfields = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SGC_CORPUS_DIR, files[i]);
        sgc_ruleset *rs = sgc_ruleset_new();
        assert_int_equal(sgc_ruleset_load_file(rs, path), 0);
        for (int r = 0; r < rs->nrules; r++) {
            if (rs->rules[r]->cond_src)
                bad += check_text(rs->rules[r]->cond_src->text, &re, &nfields);
            if (rs->rules[r]->output_src)
                bad += check_text(rs->rules[r]->output_src->text, &re, &nfields);
        }
        for (int m = 0; m < rs->nmacros; m++)
            if (rs->macros[m]->cond_src)
                bad += check_text(rs->macros[m]->cond_src->text, &re, &nfields);
        sgc_ruleset_free(rs);
    }
    regfree(&re);
    assert_true(nfields > 1000); /* the regex really found the corpus's fields */
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_integrity),
        cmocka_unit_test(test_lookup_types),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_corpus_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
