/* The type checker: each case parses a condition (or output), checks it and
 * asserts the diagnostics: how many errors and warnings, the code, the column
 * and a piece of the message of the first one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "parse.h"
#include "resolve.h"
#include "typecheck.h"

typedef struct {
    const char *text;
    int errors, warnings;
    const char *code; /* of the first diagnostic, when any */
    int col;          /* of the first diagnostic */
    const char *msg;  /* substring of the first diagnostic's message */
} tc_case;

static void dump(const sgc_diags *d)
{
    for (int i = 0; i < d->n; i++)
        print_error("  %d:%d %s %s\n", d->v[i].line, d->v[i].col, d->v[i].code, d->v[i].msg);
}

static void expect_diags(const tc_case *c, const sgc_diags *d, int errors)
{
    int warnings = d->nwarnings;
    if (errors != c->errors || d->nerrors != c->errors || warnings != c->warnings) {
        print_error("case: %s\n", c->text);
        dump(d);
        fail_msg("expected %d errors/%d warnings, got %d (%d returned)/%d", c->errors, c->warnings,
                 d->nerrors, errors, warnings);
    }
    if (!c->code) return;
    if (d->n < 1) fail_msg("no diagnostic for: %s", c->text);
    const sgc_diag *first = &d->v[0];
    if (strcmp(first->code, c->code) || first->line != 1 || first->col != c->col ||
        !strstr(first->msg, c->msg)) {
        print_error("case: %s\n", c->text);
        dump(d);
        fail_msg("expected %s at 1:%d containing '%s'", c->code, c->col, c->msg);
    }
}

static void run_condition(const tc_case *c)
{
    sgc_source *src = sgc_source_new(NULL, c->text, strlen(c->text));
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *ast = sgc_parse_condition(src, NULL, &d);
    if (!ast) {
        dump(&d);
        fail_msg("does not parse: %s", c->text);
    }
    int errors = sgc_typecheck_condition(ast, &d);
    expect_diags(c, &d, errors);
    sgc_node_free(ast);
    sgc_diags_free(&d);
    sgc_source_free(src);
}

#define E       "LOAD_ERR_COMPILE_CONDITION"
#define W_DEP   "LOAD_DEPRECATED_ITEM"
#define W_CONST "SGC_UNKNOWN_CONSTANT"

static void test_valid_conditions(void **state)
{
    (void)state;
    static const tc_case ok[] = {
        {"evt.type in (open,openat) and fd.name startswith /etc/", 0, 0, 0, 0, 0},
        {"evt.type = procexit or evt.type = container or evt.type != switch", 0, 0, 0, 0, 0},
        {"evt.type = pread", 0, 0, 0, 0, 0},
        {"evt.rawres < 0 and fd.num>=0 and evt.rawres in (0, 1, 2)", 0, 0, 0, 0, 0},
        {"proc.pid = 0x1F or proc.pid = -1 or user.loginuid = -1", 0, 0, 0, 0, 0},
        {"user.uid = 0 and proc.tty != 0 and fd.sport in (80, 443)", 0, 0, 0, 0, 0},
        {"container.privileged = true and proc.is_exe_upper_layer = false", 0, 0, 0, 0, 0},
        {"fd.sip = 10.0.0.1 or fd.net = 10.0.0.0/8 or fd.sip in (::1, \"127.0.0.1\")", 0, 0, 0, 0,
         0},
        {"proc.aname[2] = bash and proc.aname = sshd and proc.apid[1] = 1", 0, 0, 0, 0, 0},
        {"container.mount.dest[/var/run/docker.sock] exists", 0, 0, 0, 0, 0},
        {"evt.res = ENOENT or evt.res startswith E or evt.res != SUCCESS or evt.res = EINPROGRESS",
         0, 0, 0, 0, 0},
        {"thread.cap_effective contains CAP_SYS_ADMIN and thread.cap_permitted contains CAP_BPF", 0,
         0, 0, 0, 0},
        {"evt.arg.flags contains O_TRUNC and evt.arg.request contains PTRACE_SEIZE", 0, 0, 0, 0, 0},
        {"evt.arg.mode contains S_IXUSR or evt.arg[0] = x or evt.arg.uid = www-data", 0, 0, 0, 0,
         0},
        {"evt.buffer bcontains cafebabe", 0, 0, 0, 0, 0},
        {"proc.name regex '^ba(sh|sh5)$' and proc.name glob 'ba*' and fd.name pmatch (/etc, /usr)",
         0, 0, 0, 0, 0},
        {"len(proc.name) > 3 and tolower(proc.name) = bash and basename(fd.name) = passwd", 0, 0, 0,
         0, 0},
        {"proc.name = val(proc.pname) and proc.pid != val(proc.ppid)", 0, 0, 0, 0, 0},
        {"fd.types intersects (ipv4, ipv6) and fd.types[0] in (file)", 0, 0, 0, 0, 0},
        {"k8s.pod.label.app = nginx and evt.type.is.open = 1", 0, 0, 0, 0, 0},
        {"fd.typechar = 4 and fd.typechar='f' and fd.l4proto != tcp", 0, 0, 0, 0, 0},
        {"proc.env[HOME] startswith /root and proc.env contains LD_PRELOAD", 0, 0, 0, 0, 0},
        {"some_macro and not proc.name in (shell_binaries)", 0, 0, 0, 0, 0},
        {"join(\",\", fd.types) = \"file,ipv4\" and concat(proc.name, \"-\", proc.exe) = bash-1", 0,
         0, 0, 0, 0},
        {"getopt((\"-b\", \"x\"), \"ab:\")[b] = x", 0, 0, 0, 0, 0},
        {"getopt(fd.types, \"ab:\") intersects (a, b) and join(proc.name, (proc.exe, \"x\")) = y",
         0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) run_condition(&ok[i]);
}

static void test_field_errors(void **state)
{
    (void)state;
    static const tc_case bad[] = {
        {"proc.nme = bash", 1, 0, E, 1, "filter_check called with nonexistent field proc.nme"},
        {"evt.type = open and proc.nmae = bash", 1, 0, E, 21, "did you mean proc.name?"},
        {"proc.aname[x] = bash", 1, 0, E, 12, "numeric index"},
        {"proc.name[1] = bash", 1, 0, E, 11, "does not take an argument"},
        {"container.mount.dest exists", 1, 0, E, 1, "requires an argument"},
        {"evt.type.is.opne = 1", 1, 0, E, 1, "unknown event type 'opne'"},
        {"evt.dir = '<'", 0, 1, W_DEP, 1, "deprecated"},
        {"evt.cpu = 1", 1, 0, E, 1, "nonexistent field evt.cpu"},
        {"evt.arg.flgs contains O_TRUNC", 0, 1, "SGC_UNKNOWN_EVT_ARG", 1, "'flgs'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) run_condition(&bad[i]);
}

static void test_operator_errors(void **state)
{
    (void)state;
    static const tc_case bad[] = {
        {"proc.pid startswith 12", 1, 0, E, 10,
         "operator 'startswith' cannot be used with field proc.pid"},
        {"user.uid contains 0", 1, 0, E, 10, "numeric"},
        {"evt.buffer > 5", 1, 0, E, 12, "byte buffer"},
        {"fd.name bcontains 2f", 1, 0, E, 9, "string"},
        {"container.privileged contains t", 1, 0, E, 22, "boolean"},
        {"fd.sip glob '10.*'", 1, 0, E, 8, "IP address"},
        {"fd.types = ipv4", 1, 0, E, 10, "use in, intersects or exists"},
        {"len(proc.name) startswith 1", 1, 0, E, 16, "len()"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) run_condition(&bad[i]);
}

static void test_literal_errors(void **state)
{
    (void)state;
    static const tc_case bad[] = {
        {"proc.pid = abc", 1, 0, E, 12, "'abc' is not a valid number for field proc.pid"},
        {"user.uid = -1", 1, 0, E, 12, "unsigned"},
        {"fd.sport = 70000", 1, 0, E, 12, "out of range"},
        {"evt.rawres in (0, x, 2)", 1, 0, E, 19, "'x' is not a valid number"},
        {"container.privileged = yes", 1, 0, E, 24, "true or false"},
        {"fd.sip = 10.0.0.300", 1, 0, E, 10, "not an IP address"},
        {"fd.net = 10.0.0.0/33", 1, 0, E, 10, "at most /32"},
        {"evt.buffer bcontains xyz", 1, 0, E, 22, "hex"},
        {"proc.name regex '[unclosed'", 1, 0, E, 17, "invalid regular expression"},
        {"evt.type = opne", 1, 0, E, 12, "unknown event type 'opne' (did you mean open?)"},
        {"evt.type in (open, openat, bogus_evt)", 1, 0, E, 28, "unknown event type 'bogus_evt'"},
        {"syscall.type = procexit", 1, 0, E, 16, "not a syscall"},
        {"evt.res = EACCESS", 0, 1, W_CONST, 11, "did you mean EACCES?"},
        {"evt.arg.flags contains O_TRUNCC", 0, 1, W_CONST, 24, "O_TRUNC"},
        {"thread.cap_effective contains CAP_SYS_ADMN", 0, 1, W_CONST, 31, "CAP_SYS_ADMIN"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) run_condition(&bad[i]);
}

static void test_transformer_errors(void **state)
{
    (void)state;
    static const tc_case bad[] = {
        {"tolower(proc.pid) = x", 1, 0, E, 9, "needs a string"},
        {"tolower(proc.name, fd.name) = x", 1, 0, E, 1, "takes 1 argument, got 2"},
        {"tolower(proc.aname) = x", 1, 0, E, 9, "needs an index"},
        {"proc.name = val(proc.pid)", 1, 0, E, 13,
         "cannot compare field proc.name (string) with field proc.pid"},
        {"len(proc.nme) > 1", 1, 0, E, 5, "nonexistent field proc.nme"},
        {"join(fd.types, (\"a\", \"b\")) = x", 1, 0, E, 6, "separator string"},
        {"concat(proc.name, proc.pid) = x", 1, 0, E, 19, "concat() takes strings"},
        {"join(\",\", proc.name) = x", 1, 0, E, 11, "takes a list"},
        {"getopt(proc.args, \"ab:\")[a] = x", 1, 0, E, 8, "takes a list of arguments"},
        {"getopt((\"-a\"), \"ab:\") = x", 1, 0, E, 23, "cannot be used with the list"},
        {"toupper(proc.name)[1] = x", 1, 0, E, 20, "does not take an argument in brackets"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) run_condition(&bad[i]);
}

static void test_fdef_filled(void **state)
{
    (void)state;
    const char *text = "proc.name = bash and evt.arg.flags contains O_TRUNC and len(fd.name) > 1";
    sgc_source *src = sgc_source_new(NULL, text, strlen(text));
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *ast = sgc_parse_condition(src, NULL, &d);
    assert_non_null(ast);
    assert_int_equal(sgc_typecheck_condition(ast, &d), 0);
    assert_int_equal(ast->kind, SGC_N_AND);
    assert_int_equal(ast->nkids, 3);
    assert_ptr_equal(ast->kids[0]->lhs->fdef, sgc_field_lookup("proc.name"));
    assert_ptr_equal(ast->kids[1]->lhs->fdef, sgc_field_lookup("evt.arg"));
    sgc_value *len = ast->kids[2]->lhs;
    assert_int_equal(len->kind, SGC_V_TRANSFORM);
    assert_ptr_equal(len->items[0]->fdef, sgc_field_lookup("fd.name"));
    sgc_operand_type t;
    assert_true(sgc_operand_type_of(len, &t));
    assert_int_equal(t.type, SGC_FT_UINT64);
    assert_true(sgc_operand_type_of(ast->kids[0]->lhs, &t));
    assert_int_equal(t.type, SGC_FT_STRING);
    sgc_node_free(ast);
    sgc_diags_free(&d);
    sgc_source_free(src);
}

/* ---- outputs ---- */

static void run_output(const tc_case *c)
{
    sgc_source *src = sgc_source_new(NULL, c->text, strlen(c->text));
    sgc_diags d;
    sgc_diags_init(&d);
    int errors = sgc_typecheck_output(src, &d);
    expect_diags(c, &d, errors);
    sgc_diags_free(&d);
    sgc_source_free(src);
}

#define EO "LOAD_ERR_COMPILE_OUTPUT"

static void test_outputs(void **state)
{
    (void)state;
    static const tc_case cases[] = {
        {"File opened (user=%user.name cmd=%proc.cmdline gp=%proc.aname[2] flags=%evt.arg.flags)",
         0, 0, 0, 0, 0},
        {"100%% sure: %proc.name. Done by %user.name.", 0, 0, 0, 0, 0},
        {"mount=%container.mount.dest[/var] up=%toupper(proc.name)", 0, 0, 0, 0, 0},
        {"x=%proc.nme y", 1, 0, EO, 4, "nonexistent field proc.nme"},
        {"net=%fd.net", 1, 0, EO, 6, "only be used in conditions"},
        {"anc=%proc.aname", 1, 0, EO, 6, "needs an index"},
        {"gp=%proc.aname[x]", 1, 0, EO, 5, "numeric index"},
        {"done 100% now", 1, 0, EO, 9, "invalid output token"},
        {"ends with %", 1, 0, EO, 11, "cannot end"},
        {"dir=%evt.dir", 0, 1, W_DEP, 6, "deprecated"},
        {"x=%frob(proc.name)", 1, 0, EO, 4, "unknown transformer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_output(&cases[i]);
}

/* ---- the corpus type-checks cleanly ---- */

static bool is_list(void *ctx, const char *name)
{
    return sgc_ruleset_find_list((const sgc_ruleset *)ctx, name) != NULL;
}

static void test_corpus(void **state)
{
    (void)state;
    const char *files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                           "falco-sandbox_rules.yaml"};
    sgc_ruleset *rs = sgc_ruleset_new();
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SGC_CORPUS_DIR, files[i]);
        assert_int_equal(sgc_ruleset_load_file(rs, path), 0);
    }
    sgc_ruleset_resolve(rs);
    sgc_diags d;
    sgc_diags_init(&d);
    int errors = 0, checked = 0;
    for (int i = 0; i < rs->nrules; i++) {
        sgc_rule *r = rs->rules[i];
        if (r->resolved) {
            errors += sgc_typecheck_condition(r->resolved, &d);
            checked++;
        }
        if (r->output_src) errors += sgc_typecheck_output(r->output_src, &d);
    }
    /* Macros as written: list names are not expanded yet. */
    sgc_typecheck_opts opts = {is_list, rs, SGC_SRC_SYSCALL};
    for (int i = 0; i < rs->nmacros; i++)
        if (rs->macros[i]->ast) errors += sgc_typecheck_condition_ex(rs->macros[i]->ast, &d, &opts);
    if (errors || d.nwarnings) dump(&d);
    assert_true(checked > 80);
    assert_int_equal(errors, 0);
    assert_int_equal(d.nwarnings, 0);
    sgc_diags_free(&d);
    sgc_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_conditions),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_operator_errors),
        cmocka_unit_test(test_literal_errors),
        cmocka_unit_test(test_transformer_errors),
        cmocka_unit_test(test_fdef_filled),
        cmocka_unit_test(test_outputs),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
