/* The rules-file loader: schema keys, append/override, enabled toggles,
 * documents and files in order, diagnostics with positions, and the mapping
 * of condition bytes to file line:column for every YAML scalar style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "resolve.h"
#include "yamlmap.h"

static sgc_ruleset *load(const char *yaml)
{
    sgc_ruleset *rs = sgc_ruleset_new();
    sgc_ruleset_load_buffer(rs, "t.yaml", yaml, strlen(yaml));
    return rs;
}

/* The first diagnostic with this code, or NULL. */
static const sgc_diag *find_diag(const sgc_ruleset *rs, const char *code)
{
    for (int i = 0; i < rs->diags.n; i++)
        if (!strcmp(rs->diags.v[i].code, code)) return &rs->diags.v[i];
    return NULL;
}

static void assert_diag_at(const sgc_ruleset *rs, const char *code, int line, int col)
{
    const sgc_diag *d = find_diag(rs, code);
    if (!d) {
        for (int i = 0; i < rs->diags.n; i++)
            fprintf(stderr, "  have %s %d:%d %s\n", rs->diags.v[i].code, rs->diags.v[i].line,
                    rs->diags.v[i].col, rs->diags.v[i].msg);
        fail_msg("no %s diagnostic", code);
    }
    assert_int_equal(d->line, line);
    assert_int_equal(d->col, col);
}

/* File position of byte `off` of a source. */
static void pos_of(const sgc_source *s, size_t off, int *line, int *col)
{
    sgc_loc loc = {s, (uint32_t)off};
    sgc_loc_pos(loc, line, col);
}

/* Position of the first occurrence of `needle` in a source's text. */
static void pos_of_text(const sgc_source *s, const char *needle, int *line, int *col)
{
    const char *p = strstr(s->text, needle);
    assert_non_null(p);
    pos_of(s, (size_t)(p - s->text), line, col);
}

#define RULE(name, cond)                                                                           \
    "- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: INFO\n"

/* ---- priorities ---------------------------------------------------------- */

/* sgc_yfile_scalar_start (where a list item is, without mapping it) is the
 * first entry of sgc_yfile_map_scalar for every scalar style, after
 * non-ASCII text too. */
static void test_scalar_start_matches_map(void **state)
{
    (void)state;
    const char *y = "# \xc3\xa9t\xc3\xa9\n"
                    "a: plain value\n"
                    "b: 'single ''quoted'''\n"
                    "c: '''lead'\n"
                    "d: ''\n"
                    "e: \"\\tdouble\"\n"
                    "f: |\n  literal\n  block\n"
                    "g: >\n  folded\n  block\n"
                    "h: [x, 'y', \"z\", multi\n    line, '']\n"
                    "i: plain\n  continued\n";
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)y, strlen(y));
    assert_true(yaml_parser_load(&p, &doc));
    sgc_yfile f;
    sgc_yfile_init(&f, "t.yaml", y, strlen(y));
    int n = 0;
    for (yaml_node_t *node = doc.nodes.start; node < doc.nodes.top; node++) {
        if (node->type != YAML_SCALAR_NODE) continue;
        size_t len = node->data.scalar.length;
        int *l = malloc((len + 1) * sizeof *l), *c = malloc((len + 1) * sizeof *c), line, col;
        assert_non_null(l);
        assert_non_null(c);
        sgc_yfile_map_scalar(&f, node, l, c);
        sgc_yfile_scalar_start(&f, node, &line, &col);
        if (line != l[0] || col != c[0])
            fail_msg("scalar '%s': start %d:%d, map %d:%d", node->data.scalar.value, line, col,
                     l[0], c[0]);
        free(l);
        free(c);
        n++;
    }
    assert_int_equal(n, 22); /* 9 keys, 8 scalar values and the 5 items of h */
    sgc_yfile_free(&f);
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
}

static void test_priorities(void **state)
{
    (void)state;
    const char *names[] = {"emergency", "ALERT",  "Critical",      "error",
                           "WARNING",   "notice", "informational", "debug"};
    for (int i = 0; i < 8; i++) assert_int_equal(sgc_priority_parse(names[i]), i);
    assert_int_equal(sgc_priority_parse("info"), SGC_PRI_INFORMATIONAL);
    assert_int_equal(sgc_priority_parse("INFO"), SGC_PRI_INFORMATIONAL);
    assert_int_equal(sgc_priority_parse("severe"), -1);
    assert_int_equal(sgc_priority_parse(""), -1);
    assert_string_equal(sgc_priority_name(SGC_PRI_WARNING), "Warning");
    assert_string_equal(sgc_priority_name(SGC_PRI_INFORMATIONAL), "Informational");
}

/* ---- the corpus ------------------------------------------------------------ */

static void test_corpus_alone(void **state)
{
    (void)state;
    sgc_ruleset *rs = sgc_ruleset_new();
    assert_int_equal(sgc_ruleset_load_file(rs, SGC_CORPUS_DIR "/falco_rules.yaml"), 0);
    assert_int_equal(sgc_ruleset_resolve(rs), 0);
    assert_int_equal(rs->diags.nerrors, 0);
    assert_true(rs->nrules >= 20);
    assert_true(rs->nmacros >= 50);
    assert_non_null(rs->required_engine_version);
    assert_true(rs->nrequired_plugins >= 1);
    for (int i = 0; i < rs->nrules; i++) assert_non_null(rs->rules[i]->resolved);
    sgc_ruleset_free(rs);
}

static void test_corpus_all(void **state)
{
    (void)state;
    const char *files[] = {SGC_CORPUS_DIR "/falco_rules.yaml",
                           SGC_CORPUS_DIR "/falco-incubating_rules.yaml",
                           SGC_CORPUS_DIR "/falco-sandbox_rules.yaml"};
    sgc_ruleset *rs = sgc_ruleset_new();
    for (int i = 0; i < 3; i++) assert_int_equal(sgc_ruleset_load_file(rs, files[i]), 0);
    assert_int_equal(sgc_ruleset_resolve(rs), 0);
    assert_int_equal(rs->diags.nerrors, 0);
    assert_true(rs->nrules >= 80);
    /* the item that gives `condition` before `macro` still reads as a macro */
    assert_non_null(sgc_ruleset_find_macro(rs, "recon_binaries_procs"));
    sgc_ruleset_free(rs);
}

static void test_file_read_error(void **state)
{
    (void)state;
    sgc_ruleset *rs = sgc_ruleset_new();
    assert_int_equal(sgc_ruleset_load_file(rs, "/nonexistent/rules.yaml"), -1);
    assert_non_null(find_diag(rs, "LOAD_ERR_FILE_READ"));
    sgc_ruleset_free(rs);
}

/* ---- schema ------------------------------------------------------------- */

static void test_all_rule_keys(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- rule: Full\n"
                           "  desc: every key\n"
                           "  condition: evt.type = open\n"
                           "  output: \"  fd=%fd.name  \"\n"
                           "  priority: warning\n"
                           "  source: syscall\n"
                           "  enabled: false\n"
                           "  tags: [a, b, a]\n"
                           "  capture: true\n"
                           "  capture_duration: 2000\n"
                           "  warn_evttypes: false\n"
                           "  skip-if-unknown-filter: true\n"
                           "  exceptions:\n"
                           "    - name: e\n"
                           "      fields: [proc.name]\n"
                           "      values: [[bash]]\n");
    assert_int_equal(rs->diags.n, 0);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "Full");
    assert_non_null(r);
    assert_string_equal(r->desc, "every key");
    assert_string_equal(r->cond_src->text, "evt.type = open");
    assert_string_equal(r->output_src->text, "fd=%fd.name"); /* trimmed, as Falco does */
    assert_int_equal(r->priority, SGC_PRI_WARNING);
    assert_string_equal(r->source, "syscall");
    assert_false(r->enabled);
    assert_int_equal(r->ntags, 2); /* a set */
    assert_true(r->capture);
    assert_int_equal(r->capture_duration, 2000);
    assert_false(r->warn_evttypes);
    assert_true(r->skip_if_unknown_filter);
    assert_int_equal(r->nexceptions, 1);
    assert_non_null(r->ast);
    assert_non_null(r->exc_ast);
    assert_int_equal(r->pos.line, 1);
    assert_int_equal(r->pos.col, 3);
    sgc_ruleset_free(rs);
}

static void test_defaults(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("r", "evt.type = open"));
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    assert_true(r->enabled);
    assert_true(r->warn_evttypes);
    assert_false(r->skip_if_unknown_filter);
    assert_string_equal(r->source, "syscall");
    assert_int_equal(r->priority, SGC_PRI_INFORMATIONAL);
    sgc_ruleset_free(rs);
}

static void test_unknown_key_and_item(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n"
             "  colour: blue\n"
             "- widget: x\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_UNKNOWN_KEY", 6, 3);
    assert_diag_at(rs, "LOAD_UNKNOWN_ITEM", 7, 3);
    assert_non_null(sgc_ruleset_find_rule(rs, "r"));
    sgc_ruleset_free(rs);
}

static void test_unknown_source(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("r", "ct.name = x") "  source: aws_cloudtrail\n");
    assert_diag_at(rs, "LOAD_UNKNOWN_SOURCE", 6, 11);
    assert_true(sgc_ruleset_find_rule(rs, "r")->unknown_source);
    sgc_ruleset_free(rs);
}

/* k8s_audit is a known source: its rules load (the type checker, not the
 * loader, applies its catalog: tests/lint/cases/k8s_audit_catalog.yaml). */
static void test_k8s_audit_source(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE(
        "r", "ka.verb = create and ka.req.pod.containers.image[0] = x") "  source: k8s_audit\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_null(find_diag(rs, "LOAD_UNKNOWN_SOURCE"));
    assert_false(sgc_ruleset_find_rule(rs, "r")->unknown_source);
    assert_string_equal(sgc_ruleset_find_rule(rs, "r")->source, "k8s_audit");
    sgc_ruleset_free(rs);
}

static void test_invalid_names_warn(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- macro: bad-name\n  condition: evt.type = open\n"
                           "- list: \"bad list\"\n  items: []\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_INVALID_MACRO_NAME", 1, 10);
    assert_diag_at(rs, "LOAD_INVALID_LIST_NAME", 3, 9);
    sgc_ruleset_free(rs);
}

static void test_wrong_types(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("r", "evt.type = open") "  enabled: sometimes\n"
                                                        "- list: l\n  items: {a: b}\n"
                                                        "- macro: [m]\n  condition: x\n");
    assert_int_equal(rs->diags.nerrors, 3);
    assert_diag_at(rs, "LOAD_ERR_YAML_VALIDATE", 6, 12);
    assert_int_equal(rs->diags.v[1].line, 8);
    assert_int_equal(rs->diags.v[1].col, 10);
    assert_int_equal(rs->diags.v[2].line, 9);
    assert_int_equal(rs->diags.v[2].col, 10);
    /* a rejected item is not kept */
    assert_null(sgc_ruleset_find_rule(rs, "r"));
    assert_null(sgc_ruleset_find_list(rs, "l"));
    sgc_ruleset_free(rs);
}

static void test_bool_spellings(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("a", "evt.type = open") "  enabled: False\n" RULE(
        "b", "evt.type = open") "  enabled: no\n" RULE("c", "evt.type = open") "  enabled: yes\n");
    assert_int_equal(rs->diags.n, 0);
    assert_false(sgc_ruleset_find_rule(rs, "a")->enabled);
    assert_false(sgc_ruleset_find_rule(rs, "b")->enabled);
    assert_true(sgc_ruleset_find_rule(rs, "c")->enabled);
    sgc_ruleset_free(rs);
}

static void test_versions(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("- required_engine_version: 12\n"
             "- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n"
             "      alternatives:\n        - name: docker\n          version: 1.0.0\n");
    assert_int_equal(rs->diags.n, 0);
    assert_string_equal(rs->required_engine_version, "0.12.0");
    assert_int_equal(rs->nrequired_plugins, 1);
    assert_string_equal(rs->required_plugins[0], "container 0.4.0");
    sgc_ruleset_free(rs);
}

/* ---- documents, files, order ------------------------------------------------ */

static void test_multi_document(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("- list: a\n  items: [x]\n---\n- list: b\n  items: [y]\n---\n# empty\n---\n"
             "- macro: m\n  condition: proc.name in (a, b)\n");
    assert_int_equal(rs->diags.n, 0);
    assert_int_equal(rs->nlists, 2);
    assert_int_equal(rs->nmacros, 1);
    assert_int_equal(rs->macros[0]->pos.line, 9);
    sgc_ruleset_free(rs);
}

static void test_yaml_error_keeps_nothing(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- list: a\n  items: [x]\n---\n- list: b\n  items: [y\n");
    assert_int_equal(rs->nlists, 0);
    assert_non_null(find_diag(rs, "LOAD_ERR_YAML_PARSE"));
    assert_int_equal(sgc_ruleset_load_buffer(rs, "bad.yaml", "- [", 3), -1);
    sgc_ruleset_free(rs);
}

static void test_redefinition_replaces(void **state)
{
    (void)state;
    sgc_ruleset *rs = sgc_ruleset_new();
    const char *f1 = RULE("first", "evt.type = open")
        RULE("second", "evt.type = close") "- list: l\n  items: [a, b]\n- macro: m\n  condition: "
                                           "evt.type = open\n";
    const char *f2 = RULE("first", "evt.type = execve") "  priority: ERROR\n"
                                                        "- list: l\n  items: [c]\n- macro: m\n  "
                                                        "condition: evt.type = connect\n";
    /* the duplicate priority key: the last one wins */
    assert_int_equal(sgc_ruleset_load_buffer(rs, "one.yaml", f1, strlen(f1)), 0);
    assert_int_equal(sgc_ruleset_load_buffer(rs, "two.yaml", f2, strlen(f2)), 0);
    assert_int_equal(rs->diags.nerrors, 0);
    assert_int_equal(rs->nrules, 2);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "first");
    assert_ptr_equal(rs->rules[0], r); /* keeps its place */
    assert_int_equal(r->index, 0);
    assert_string_equal(r->cond_src->text, "evt.type = execve");
    assert_int_equal(r->priority, SGC_PRI_ERROR);
    assert_string_equal(r->pos.file, "two.yaml");
    sgc_list *l = sgc_ruleset_find_list(rs, "l");
    assert_int_equal(l->nitems, 1);
    assert_string_equal(l->items[0], "c");
    assert_string_equal(sgc_ruleset_find_macro(rs, "m")->cond_src->text, "evt.type = connect");
    /* each replacement is recorded for lint */
    assert_int_equal(rs->nshadowed, 3);
    assert_string_equal(rs->shadowed[0].kind, "rule");
    assert_string_equal(rs->shadowed[0].old_pos.file, "one.yaml");
    assert_int_equal(rs->shadowed[0].old_pos.line, 1);
    assert_string_equal(rs->shadowed[0].new_pos.file, "two.yaml");
    sgc_ruleset_free(rs);
}

/* ---- append / override / enabled --------------------------------------------- */

static void test_append_deprecated(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("- list: l\n  items: [a]\n- list: l\n  items: [b]\n  append: true\n"
             "- macro: m\n  condition: evt.type = open\n"
             "- macro: m\n  condition: or evt.type = openat\n  append: true\n" RULE(
                 "r", "m") "- rule: r\n  condition: and proc.name in (l)\n  append: true\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_DEPRECATED_ITEM", 3, 3);
    sgc_list *l = sgc_ruleset_find_list(rs, "l");
    assert_int_equal(l->nitems, 2);
    assert_string_equal(l->items[1], "b");
    assert_string_equal(sgc_ruleset_find_macro(rs, "m")->cond_src->text,
                        "evt.type = open or evt.type = openat");
    assert_string_equal(sgc_ruleset_find_rule(rs, "r")->cond_src->text, "m and proc.name in (l)");
    assert_int_equal(rs->nshadowed, 0);
    sgc_ruleset_free(rs);
}

static void test_override_append_and_replace(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load(RULE("r", "evt.type = open") "  tags: [t1]\n"
                                          "- rule: r\n"
                                          "  condition: and proc.name = bash\n"
                                          "  output: more\n"
                                          "  desc: longer\n"
                                          "  tags: [t2]\n"
                                          "  priority: CRITICAL\n"
                                          "  enabled: false\n"
                                          "  override:\n"
                                          "    condition: append\n"
                                          "    output: append\n"
                                          "    desc: replace\n"
                                          "    tags: append\n"
                                          "    priority: replace\n"
                                          "    enabled: replace\n"
                                          "- list: l\n  items: [a]\n- list: l\n  items: [b]\n  "
                                          "override:\n    items: append\n"
                                          "- list: l2\n  items: [a]\n- list: l2\n  items: [b]\n  "
                                          "override:\n    items: replace\n");
    assert_int_equal(rs->diags.n, 0);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    assert_string_equal(r->cond_src->text, "evt.type = open and proc.name = bash");
    assert_string_equal(r->output_src->text, "o more");
    assert_string_equal(r->desc, "longer");
    assert_int_equal(r->ntags, 2);
    assert_int_equal(r->priority, SGC_PRI_CRITICAL);
    assert_false(r->enabled);
    assert_int_equal(sgc_ruleset_find_list(rs, "l")->nitems, 2);
    assert_int_equal(sgc_ruleset_find_list(rs, "l2")->nitems, 1);
    assert_string_equal(sgc_ruleset_find_list(rs, "l2")->items[0], "b");
    assert_int_equal(rs->nshadowed, 0); /* explicit overrides are not shadowing */
    sgc_ruleset_free(rs);
}

static void test_override_errors(void **state)
{
    (void)state;
    struct {
        const char *yaml;
        const char *code;
        int line, col;
    } cases[] = {
        {RULE("r", "a") "- rule: r\n  priority: INFO\n  override:\n    priority: append\n",
         "LOAD_ERR_YAML_VALIDATE", 9, 5},
        {RULE("r", "a") "- rule: r\n  source: x\n  override:\n    source: replace\n",
         "LOAD_ERR_YAML_VALIDATE", 9, 5},
        {RULE("r", "a") "- rule: r\n  desc: x\n  override:\n    desc: merge\n",
         "LOAD_ERR_YAML_VALIDATE", 9, 11},
        {RULE("r", "a") "- rule: r\n  override:\n    desc: replace\n", "LOAD_ERR_YAML_VALIDATE", 8,
         5},
        {RULE("r", "a") "- rule: r\n  desc: x\n  output: y\n  override:\n    desc: replace\n",
         "LOAD_ERR_YAML_VALIDATE", 8, 3},
        {RULE("r", "a") "- rule: r\n  desc: x\n  append: true\n  override:\n    desc: replace\n",
         "LOAD_ERR_YAML_VALIDATE", 6, 3},
        {RULE("r", "a") "- rule: r\n  desc: x\n  override: replace\n", "LOAD_ERR_YAML_VALIDATE", 8,
         13},
        {"- rule: r\n  desc: x\n  override:\n    desc: replace\n", "LOAD_ERR_VALIDATE", 1, 3},
        {"- macro: m\n  condition: x\n  override:\n    condition: append\n", "LOAD_ERR_VALIDATE", 1,
         3},
        {"- list: m\n  items: [x]\n  override:\n    items: prepend\n", "LOAD_ERR_YAML_VALIDATE", 4,
         12},
        {RULE("r", "a") "- rule: r\n  append: true\n", "LOAD_ERR_VALIDATE", 6, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sgc_ruleset *rs = load(cases[i].yaml);
        assert_int_equal(rs->diags.nerrors, 1);
        assert_diag_at(rs, cases[i].code, cases[i].line, cases[i].col);
        sgc_ruleset_free(rs);
    }
}

static void test_enabled_toggle(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("r", "evt.type = open") "- rule: r\n  enabled: false\n" RULE(
        "s", "evt.type = open") "  enabled: false\n"
                                "- rule: s\n  enabled: true\n  override:\n    enabled: replace\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_DEPRECATED_ITEM", 6, 3);
    assert_false(sgc_ruleset_find_rule(rs, "r")->enabled);
    assert_true(sgc_ruleset_find_rule(rs, "s")->enabled);
    assert_string_equal(sgc_ruleset_find_rule(rs, "r")->cond_src->text, "evt.type = open");
    sgc_ruleset_free(rs);
}

/* An appended condition from a second file: its bytes map to that file. */
static void test_append_across_files_positions(void **state)
{
    (void)state;
    sgc_ruleset *rs = sgc_ruleset_new();
    const char *f1 = RULE("r", "evt.type = open");
    const char *f2 = "# local rules\n- rule: r\n  condition: and proc.name ==== bash\n  "
                     "override:\n    condition: append\n";
    sgc_ruleset_load_buffer(rs, "default.yaml", f1, strlen(f1));
    sgc_ruleset_load_buffer(rs, "local.yaml", f2, strlen(f2));
    const sgc_diag *d = find_diag(rs, "LOAD_ERR_COMPILE_CONDITION");
    assert_non_null(d);
    assert_string_equal(d->file, "local.yaml");
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 30); /* the third '=' */
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    int line, col;
    pos_of_text(r->cond_src, "evt.type", &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 14);
    sgc_loc loc = {r->cond_src, 0};
    assert_string_equal(sgc_loc_file(loc), "default.yaml");
    sgc_ruleset_free(rs);
}

/* ---- exceptions ------------------------------------------------------------- */

static void test_exception_shapes(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE("r", "evt.type = open") "  exceptions:\n"
                                                        "    - name: pairs\n"
                                                        "      fields: [proc.name, fd.name]\n"
                                                        "      comps: [=, in]\n"
                                                        "      values:\n"
                                                        "        - [nginx, /etc/nginx]\n"
                                                        "        - [apache, [/etc/a, /etc/b]]\n"
                                                        "    - name: single\n"
                                                        "      fields: proc.name\n"
                                                        "      values: [sshd, \"my proc\"]\n"
                                                        "    - name: comps\n"
                                                        "      fields: [proc.name, fd.name]\n"
                                                        "      comps: [startswith, in]\n"
                                                        "      values:\n"
                                                        "        - [py, my_list]\n"
                                                        "    - name: empty\n"
                                                        "      fields: [proc.name]\n");
    assert_int_equal(rs->diags.n, 0);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    assert_int_equal(r->nexceptions, 4);
    assert_string_equal(r->exceptions[0].comps[0], "=");
    assert_string_equal(r->exceptions[1].comps[0], "in");
    assert_string_equal(r->exc_src->text,
                        "not ((proc.name = nginx and fd.name in (/etc/nginx)) or "
                        "(proc.name = apache and fd.name in (/etc/a, /etc/b)))"
                        " and not (proc.name in (sshd, \"my proc\"))"
                        " and not ((proc.name startswith py and fd.name in (my_list)))");
    /* each piece of the text maps to where it was written */
    int line, col;
    pos_of_text(r->exc_src, "/etc/nginx", &line, &col);
    assert_int_equal(line, 11);
    assert_int_equal(col, 19);
    pos_of_text(r->exc_src, "startswith", &line, &col);
    assert_int_equal(line, 18);
    assert_int_equal(col, 15);
    pos_of_text(r->exc_src, "sshd", &line, &col);
    assert_int_equal(line, 15);
    assert_int_equal(col, 16);
    sgc_ruleset_free(rs);
}

static void test_exception_append_values(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE(
        "r", "evt.type = open") "  exceptions:\n    - name: e\n      fields: [proc.name]\n      "
                                "values: [[a]]\n"
                                "- rule: r\n  exceptions:\n    - name: e\n      values: [[b]]\n"
                                "    - name: new\n      fields: fd.name\n      values: [/tmp]\n"
                                "  override:\n    exceptions: append\n");
    assert_int_equal(rs->diags.nerrors, 0);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    assert_int_equal(r->nexceptions, 2);
    assert_int_equal(r->exceptions[0].nvalues, 2);
    assert_string_equal(r->exc_src->text,
                        "not ((proc.name = a) or (proc.name = b)) and not (fd.name in (/tmp))");
    sgc_ruleset_free(rs);
}

static void test_exception_errors(void **state)
{
    (void)state;
    struct {
        const char *ex;
        const char *code;
        int line, col;
    } cases[] = {
        {"    - name: e\n      fields: [a, b]\n      values: [[x]]\n", "LOAD_ERR_VALIDATE", 9, 16},
        {"    - name: e\n      fields: [a, b]\n      comps: [=]\n      values: [[x, y]]\n",
         "LOAD_ERR_VALIDATE", 9, 14},
        {"    - name: e\n      fields: [a]\n      comps: [like]\n      values: [[x]]\n",
         "LOAD_ERR_VALIDATE", 9, 15},
        {"    - name: e\n      fields: a\n      comps: [in]\n      values: [x]\n",
         "LOAD_ERR_VALIDATE", 9, 14},
        {"    - name: e\n      fields: a\n      comps: =\n      values: [x]\n", "LOAD_ERR_VALIDATE",
         9, 14},
        {"    - name: e\n      fields: a\n      values: [[x]]\n", "LOAD_ERR_VALIDATE", 9, 16},
        {"    - fields: a\n      values: [x]\n", "LOAD_ERR_YAML_VALIDATE", 7, 7},
        {"    - name: e\n      values: [x]\n", "LOAD_ERR_YAML_VALIDATE", 7, 7},
        {"    - name: e\n      fields: [a]\n      values: x\n", "LOAD_ERR_YAML_VALIDATE", 9, 15},
        {"    - just a string\n", "LOAD_ERR_YAML_VALIDATE", 7, 7},
        {"    - name: e\n      fields: {a: b}\n      values: [x]\n", "LOAD_ERR_YAML_VALIDATE", 8,
         15},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *yaml = NULL;
        assert_true(asprintf(&yaml, RULE("r", "evt.type = open") "  exceptions:\n%s", cases[i].ex) >
                    0);
        sgc_ruleset *rs = load(yaml);
        if (rs->diags.nerrors != 1 || rs->diags.v[rs->diags.n - 1].line != cases[i].line)
            fprintf(stderr, "case %zu: %s\n", i,
                    rs->diags.n ? rs->diags.v[rs->diags.n - 1].msg : "-");
        assert_int_equal(rs->diags.nerrors, 1);
        assert_diag_at(rs, cases[i].code, cases[i].line, cases[i].col);
        assert_null(sgc_ruleset_find_rule(rs, "r"));
        sgc_ruleset_free(rs);
        free(yaml);
    }
}

static void test_exception_name_not_unique(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(RULE(
        "r", "evt.type = open") "  exceptions:\n    - name: e\n      fields: [proc.name]\n      "
                                "values: [[x]]\n"
                                "    - name: e\n      fields: [fd.name]\n      values: [[y]]\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", 10, 7);
    sgc_ruleset_free(rs);
}

static void test_append_exception_no_values_warns(void **state)
{
    (void)state;
    sgc_ruleset *rs = load(
        RULE("r", "evt.type = open") "  exceptions:\n    - name: e\n      fields: [proc.name]\n    "
                                     "  values: [[x]]\n"
                                     "- rule: r\n  exceptions:\n    - name: e\n  append: true\n");
    assert_int_equal(rs->diags.nerrors, 0);
    assert_diag_at(rs, "LOAD_APPEND_NO_VALUES", 12, 7);
    sgc_ruleset_free(rs);
}

/* ---- positions for every scalar style ---------------------------------------- */

static void test_positions_plain_multiline(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- macro: m\n  condition: evt.type = open\n    and proc.name = bash\n   "
                           "   and fd.name = x\n");
    sgc_macro *m = sgc_ruleset_find_macro(rs, "m");
    assert_string_equal(m->cond_src->text, "evt.type = open and proc.name = bash and fd.name = x");
    int line, col;
    pos_of_text(m->cond_src, "proc.name", &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 9);
    pos_of_text(m->cond_src, "fd.name", &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 11);
    sgc_ruleset_free(rs);
}

static void test_positions_folded(void **state)
{
    (void)state;
    /* the brief's acceptance case: an error in the 3rd line of a folded condition */
    const char *y = "- rule: r\n"
                    "  desc: d\n"
                    "  condition: >\n"
                    "    evt.type in (open, openat)\n"
                    "    and fd.name startswith /etc/\n"
                    "    and proc.name === bash\n"
                    "  output: o\n"
                    "  priority: INFO\n";
    sgc_ruleset *rs = load(y);
    assert_diag_at(rs, "LOAD_ERR_COMPILE_CONDITION", 6, 21);
    sgc_rule *r = sgc_ruleset_find_rule(rs, "r");
    int line, col;
    pos_of_text(r->cond_src, "fd.name", &line, &col);
    assert_int_equal(line, 5);
    assert_int_equal(col, 9);
    sgc_ruleset_free(rs);
}

static void test_positions_literal(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- macro: m\n  condition: |-\n    evt.type = open and\n      (proc.name "
                           "= bash or\n       proc.name = sh)\n");
    sgc_macro *m = sgc_ruleset_find_macro(rs, "m");
    assert_string_equal(m->cond_src->text,
                        "evt.type = open and\n  (proc.name = bash or\n   proc.name = sh)");
    int line, col;
    pos_of_text(m->cond_src, "(proc", &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 7);
    pos_of_text(m->cond_src, "sh)", &line, &col);
    assert_int_equal(line, 5);
    assert_int_equal(col, 20);
    sgc_ruleset_free(rs);
}

static void test_positions_double_quoted(void **state)
{
    (void)state;
    sgc_ruleset *rs = load("- macro: m\n  condition: \"proc.name = \\\"a b\\\" and\\tfd.name = "
                           "\\u00e9x and\n    evt.type = open\"\n");
    sgc_macro *m = sgc_ruleset_find_macro(rs, "m");
    assert_string_equal(m->cond_src->text,
                        "proc.name = \"a b\" and\tfd.name = \xc3\xa9x and evt.type = open");
    int line, col;
    pos_of_text(m->cond_src, "a b", &line, &col); /* after the \" escape (cols 27-28) */
    assert_int_equal(line, 2);
    assert_int_equal(col, 29);
    pos_of_text(m->cond_src, "fd.name", &line, &col); /* after \t (cols 38-39) */
    assert_int_equal(col, 40);
    pos_of_text(m->cond_src, "x and", &line, &col); /* after \u00e9 (6 bytes, cols 50-55) */
    assert_int_equal(col, 56);
    pos_of_text(m->cond_src, "evt.type", &line, &col); /* next line */
    assert_int_equal(line, 3);
    assert_int_equal(col, 5);
    sgc_ruleset_free(rs);
}

static void test_positions_single_quoted(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("- macro: m\n  condition: 'proc.name = ''it s'' and\n\n    fd.name = x'\n");
    sgc_macro *m = sgc_ruleset_find_macro(rs, "m");
    assert_string_equal(m->cond_src->text, "proc.name = 'it s' and\nfd.name = x");
    assert_int_equal(rs->diags.n, 0);
    int line, col;
    pos_of_text(m->cond_src, "s' and", &line, &col); /* after the doubled quote */
    assert_int_equal(line, 2);
    assert_int_equal(col, 32);
    pos_of_text(m->cond_src, "fd.name", &line, &col); /* after a folded blank line */
    assert_int_equal(line, 4);
    assert_int_equal(col, 5);
    sgc_ruleset_free(rs);
}

static void test_positions_utf8_before(void **state)
{
    (void)state;
    /* non-ASCII text earlier in the file: libyaml counts characters, we map bytes */
    sgc_ruleset *rs = load("# caf\xc3\xa9 \xe2\x82\xac\n- macro: m\n  desc: \xc3\xa9\xc3\xa9\n  "
                           "condition: evt.type ==== open\n");
    assert_diag_at(rs, "LOAD_ERR_COMPILE_CONDITION", 4, 25); /* the third '=' */
    sgc_ruleset_free(rs);
}

static void test_positions_bom_crlf(void **state)
{
    (void)state;
    sgc_ruleset *rs =
        load("\xef\xbb\xbf- rule: r\r\n  desc: d\r\n  condition: >\r\n    evt.type = open\r\n"
             "    and proc.name ==== x\r\n  output: o\r\n  priority: INFO\r\n");
    assert_int_equal(rs->diags.n, 1);
    assert_diag_at(rs, "LOAD_ERR_COMPILE_CONDITION", 5, 21);
    sgc_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priorities),
        cmocka_unit_test(test_corpus_alone),
        cmocka_unit_test(test_corpus_all),
        cmocka_unit_test(test_file_read_error),
        cmocka_unit_test(test_all_rule_keys),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_unknown_key_and_item),
        cmocka_unit_test(test_unknown_source),
        cmocka_unit_test(test_k8s_audit_source),
        cmocka_unit_test(test_invalid_names_warn),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_bool_spellings),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_yaml_error_keeps_nothing),
        cmocka_unit_test(test_redefinition_replaces),
        cmocka_unit_test(test_append_deprecated),
        cmocka_unit_test(test_override_append_and_replace),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_enabled_toggle),
        cmocka_unit_test(test_append_across_files_positions),
        cmocka_unit_test(test_exception_shapes),
        cmocka_unit_test(test_exception_append_values),
        cmocka_unit_test(test_exception_errors),
        cmocka_unit_test(test_exception_name_not_unique),
        cmocka_unit_test(test_append_exception_no_values_warns),
        cmocka_unit_test(test_positions_plain_multiline),
        cmocka_unit_test(test_positions_folded),
        cmocka_unit_test(test_positions_literal),
        cmocka_unit_test(test_positions_double_quoted),
        cmocka_unit_test(test_positions_single_quoted),
        cmocka_unit_test(test_positions_utf8_before),
        cmocka_unit_test(test_positions_bom_crlf),
        cmocka_unit_test(test_scalar_start_matches_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
