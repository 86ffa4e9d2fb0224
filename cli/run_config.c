/* See run_config.h. */
#include "run_config.h"

#include "diag_format.h"
#include "sgclog.h"

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
    for (int i = 0; i < r->nappend; i++) free((void *)r->append[i].fields);
    free(r->append);
    for (int i = 0; i < r->nformats; i++) sgc_output_format_free(r->formats[i]);
    free(r->formats);
    r->append = NULL;
    r->formats = NULL;
    r->nappend = r->nformats = 0;
}

/* one template, kept in r->formats; NULL with the message on stderr */
static const sgc_output_format *compile(run_cli *r, const char *prog, const char *key,
                                        const char *tmpl)
{
    char err[256];
    sgc_output_format **v = realloc(r->formats, ((size_t)r->nformats + 1) * sizeof *v);
    if (!v) return NULL;
    r->formats = v;
    sgc_output_format *f = sgc_output_format_compile(tmpl, err, sizeof err);
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, key, err);
        return NULL;
    }
    return r->formats[r->nformats++] = f;
}

/* append_output entries with their templates compiled; 0, or 1 */
static int build_append(run_cli *r, const sgc_conf *c, sgc_output_config *o, const char *prog)
{
    if (!c->nappend_output) return 0;
    r->append = calloc((size_t)c->nappend_output, sizeof *r->append);
    if (!r->append) return 1;
    for (int i = 0; i < c->nappend_output; i++) {
        const sgc_cfg_append *ca = &c->append_output[i];
        sgc_output_append *ap = &r->append[r->nappend++];
        char key[96];
        ap->source = ca->match_source;
        ap->rule = ca->match_rule;
        ap->tags = (const char *const *)ca->match_tags.v;
        ap->ntags = ca->match_tags.n;
        if (ca->extra_output && *ca->extra_output) {
            snprintf(key, sizeof key, "append_output[%d].extra_output", i);
            if (!(ap->extra_output = compile(r, prog, key, ca->extra_output))) return 1;
        }
        sgc_output_extra_field *fv = calloc((size_t)ca->nextra_fields + 1, sizeof *fv);
        if (!fv) return 1;
        ap->fields = fv;
        for (int j = 0; j < ca->nextra_fields; j++) {
            const sgc_cfg_kv *kv = &ca->extra_fields[j];
            snprintf(key, sizeof key, "append_output[%d].extra_fields[%d]", i, j);
            fv[j].key = kv->key;
            if (*kv->value) {
                /* name: format, a string */
                if (!(fv[j].format = compile(r, prog, key, kv->value))) return 1;
            } else {
                /* a field name: its value, typed */
                size_t n = strlen(kv->key) + 2;
                char *t = malloc(n);
                if (!t) return 1;
                snprintf(t, n, "%%%s", kv->key);
                fv[j].raw = compile(r, prog, key, t);
                free(t);
                if (!fv[j].raw) return 1;
            }
            ap->nfields = j + 1;
        }
    }
    o->append = r->append;
    o->nappend = r->nappend;
    return 0;
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

int run_config_pipeline_opts(run_cli *r, const sgc_conf *c, sgc_pipeline_opts *po, const char *prog)
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
    /* sgc's own log lines: log_stderr, log_syslog, log_level */
    sgc_log_setup(c->log_stderr, c->log_syslog, c->log_level);
    return build_append(r, c, o, prog);
}

void run_config_engine_opts(const sgc_conf *c, sgc_engine_opts *eo)
{
    eo->min_priority = (sgc_priority)c->priority;
    eo->mode = c->rule_matching_all ? SGC_MATCH_ALL : SGC_MATCH_FIRST;
}
