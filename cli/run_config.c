/* See run_config.h. */
#include "run_config.h"

#include "diag_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void run_cli_free(run_cli *r)
{
    sgc_strlist_free(&r->overrides);
    sgc_strlist_free(&r->rules);
    free(r->static_keys);
    free(r->static_values);
}

void run_cli_set(run_cli *r, const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    char *s = malloc(n);
    if (!s) return;
    snprintf(s, n, "%s=%s", key, value);
    sgc_strlist_push(&r->overrides, s);
    free(s);
}

void run_cli_set_string(run_cli *r, const char *key, const char *value)
{
    /* a YAML single-quoted scalar: ' doubled */
    size_t n = strlen(value);
    char *q = malloc(2 * n + 3), *p = q;
    if (!q) return;
    *p++ = '\'';
    for (const char *s = value; *s; s++) {
        if (*s == '\'') *p++ = '\'';
        *p++ = *s;
    }
    *p++ = '\'';
    *p = 0;
    run_cli_set(r, key, q);
    free(q);
}

int run_config_load(const run_cli *r, sgc_conf *c, const char *prog)
{
    sgc_config_args a = {0};
    a.file = r->config_file;
    if (!a.file && !r->no_default_config && access(SGC_DEFAULT_CONFIG, F_OK) == 0)
        a.file = SGC_DEFAULT_CONFIG;
    a.overrides = (const char *const *)r->overrides.v;
    a.noverrides = r->overrides.n;
    a.rules = (const char *const *)r->rules.v;
    a.nrules = r->rules.n;
    sgc_diags d;
    sgc_diags_init(&d);
    int rc = sgc_config_load(c, &a, &d);
    if (d.n) sgc_diags_print_text(stderr, &d);
    if (rc != 0)
        fprintf(stderr, "%s: %d error%s in the configuration%s%s; nothing started\n", prog,
                d.nerrors, d.nerrors == 1 ? "" : "s", a.file ? " " : "", a.file ? a.file : "");
    else if (r->verbose && a.file)
        fprintf(stderr, "%s: configuration %s (%d file%s)\n", prog, a.file, c->loaded_files.n,
                c->loaded_files.n == 1 ? "" : "s");
    sgc_diags_free(&d);
    return rc ? 1 : 0;
}

void run_config_pipeline_opts(run_cli *r, const sgc_conf *c, sgc_pipeline_opts *po)
{
    sgc_output_config *o = &po->out;
    o->json = c->json_output;
    o->time_iso8601 = c->time_format_iso_8601;
    o->min_priority = c->priority;
    o->to_stdout = c->stdout_enabled;
    o->file = c->file_output.enabled ? c->file_output.filename : NULL;
    o->file_keep_alive = c->file_output.keep_alive;
    o->json_include_output = c->json_include_output_property;
    o->json_include_tags = c->json_include_tags_property;
    o->json_include_output_fields = c->json_include_output_fields_property;
    o->json_include_message = c->json_include_message_property;
    if (c->nstatic_fields) {
        r->static_keys = calloc((size_t)c->nstatic_fields, sizeof *r->static_keys);
        r->static_values = calloc((size_t)c->nstatic_fields, sizeof *r->static_values);
        for (int i = 0; r->static_keys && r->static_values && i < c->nstatic_fields; i++) {
            r->static_keys[i] = c->static_fields[i].key;
            r->static_values[i] = c->static_fields[i].value;
            o->nstatic = i + 1;
        }
        o->static_keys = r->static_keys;
        o->static_values = r->static_values;
    }
    run_config_engine_opts(c, &po->engine);
}

void run_config_engine_opts(const sgc_conf *c, sgc_engine_opts *eo)
{
    eo->min_priority = (sgc_priority)c->priority;
    eo->mode = c->rule_matching_all ? SGC_MATCH_ALL : SGC_MATCH_FIRST;
}
