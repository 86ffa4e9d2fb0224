/* Rule items: full definitions, `append: true`, `override:` (append and
 * replace per key, with Falco's allowed keys) and standalone `enabled:`. */
#include "fields.h"
#include "loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARNING_APPEND                                                                             \
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under "          \
    "'override' instead."
#define WARNING_ENABLED                                                                            \
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a "      \
    "'replace' entry under the 'override' key (i.e. 'enabled: replace')."
#define ERROR_OVERRIDE_APPEND                                                                      \
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. "     \
    "'condition: append') under 'override' instead."

static const char *const rule_keys[] = {"rule",
                                        "condition",
                                        "output",
                                        "desc",
                                        "priority",
                                        "source",
                                        "enabled",
                                        "tags",
                                        "exceptions",
                                        "capture",
                                        "capture_duration",
                                        "warn_evttypes",
                                        "skip-if-unknown-filter",
                                        "append",
                                        "override",
                                        NULL};
static const char *const can_append[] = {"condition", "output", "desc", "tags", "exceptions", NULL};
static const char *const can_replace[] = {"condition",
                                          "output",
                                          "desc",
                                          "priority",
                                          "tags",
                                          "exceptions",
                                          "enabled",
                                          "warn_evttypes",
                                          "skip-if-unknown-filter",
                                          "capture",
                                          "capture_duration",
                                          NULL};

/* The values an item gives, for the keys selected. */
typedef struct {
    yaml_node_t *cond, *output, *tags;
    const char *desc;
    int priority;
    bool enabled, warn_evttypes, skip, capture;
    long capture_duration;
    bool has_desc, has_priority, has_enabled, has_warn, has_skip, has_capture, has_capdur, has_tags,
        has_exc;
    sgc_exception *exc;
    int nexc;
} rule_values;

static void values_free(rule_values *v)
{
    for (int i = 0; i < v->nexc; i++) sgc_exception_clear(&v->exc[i]);
    free(v->exc);
}

static bool want(const char *const *keys, const char *k)
{
    if (!keys) return true;
    for (int i = 0; keys[i]; i++)
        if (!strcmp(keys[i], k)) return true;
    return false;
}

/* Decode the keys in `keys` (NULL: all) that the item has; `required`: the
 * four keys of a full definition must be there. */
static bool read_values(sgc_ld *ld, yaml_node_t *item, const char *const *keys, bool required,
                        bool exc_append, rule_values *v)
{
    memset(v, 0, sizeof *v);
    const char *s = NULL;
    yaml_node_t *n = NULL;
    if (want(keys, "condition")) {
        if (!sgc_ld_string(ld, item, "condition", !required, &s, &n)) return false;
        v->cond = n;
    }
    if (want(keys, "output")) {
        if (!sgc_ld_string(ld, item, "output", !required, &s, &n)) return false;
        v->output = n;
    }
    if (want(keys, "desc")) {
        if (!sgc_ld_string(ld, item, "desc", !required, &v->desc, &n)) return false;
        v->has_desc = n != NULL;
    }
    if (want(keys, "priority")) {
        const char *p = NULL;
        if (!sgc_ld_string(ld, item, "priority", !required, &p, &n)) return false;
        if (n) {
            v->priority = sgc_priority_parse(p);
            if (v->priority < 0) {
                sgc_ld_diag(
                    ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", n,
                    "Invalid priority '%s' (expected one of emergency, alert, critical, error, "
                    "warning, notice, informational, debug)",
                    p);
                return false;
            }
            v->has_priority = true;
        }
    }
    if (want(keys, "enabled") &&
        !sgc_ld_bool(ld, item, "enabled", true, &v->enabled, &v->has_enabled))
        return false;
    if (want(keys, "warn_evttypes") &&
        !sgc_ld_bool(ld, item, "warn_evttypes", true, &v->warn_evttypes, &v->has_warn))
        return false;
    if (want(keys, "skip-if-unknown-filter") &&
        !sgc_ld_bool(ld, item, "skip-if-unknown-filter", true, &v->skip, &v->has_skip))
        return false;
    if (want(keys, "capture") &&
        !sgc_ld_bool(ld, item, "capture", true, &v->capture, &v->has_capture))
        return false;
    if (want(keys, "capture_duration") &&
        !sgc_ld_uint(ld, item, "capture_duration", true, &v->capture_duration, &v->has_capdur))
        return false;
    if (want(keys, "tags")) {
        if (!sgc_ld_strseq(ld, item, "tags", true, &v->tags, &v->has_tags)) return false;
    }
    if (want(keys, "exceptions")) {
        v->has_exc = sgc_ld_get(ld, item, "exceptions", NULL) != NULL;
        if (!sgc_ld_read_exceptions(ld, item, exc_append, &v->exc, &v->nexc)) return false;
    }
    return true;
}

static void add_tag(sgc_rule *r, const char *t)
{
    for (int i = 0; i < r->ntags; i++)
        if (!strcmp(r->tags[i], t)) return; /* tags are a set in Falco */
    r->tags = realloc(r->tags, (size_t)(r->ntags + 1) * sizeof *r->tags);
    r->tags[r->ntags++] = strdup(t);
}

static void set_tags(sgc_ld *ld, sgc_rule *r, yaml_node_t *seq)
{
    for (int i = 0; i < r->ntags; i++) free(r->tags[i]);
    r->ntags = 0;
    for (int i = 0; i < sgc_ld_seq_len(seq); i++) add_tag(r, sgc_ld_str(sgc_ld_seq_at(ld, seq, i)));
}

static void set_exceptions(sgc_rule *r, rule_values *v)
{
    for (int i = 0; i < r->nexceptions; i++) sgc_exception_clear(&r->exceptions[i]);
    free(r->exceptions);
    r->exceptions = v->exc;
    r->nexceptions = v->nexc;
    v->exc = NULL;
    v->nexc = 0;
}

static char *join_text(const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, "%s %s", a ? a : "", b) < 0) return NULL;
    return s;
}

/* Scalar settings shared by definitions and replacements. */
static void apply_settings(sgc_rule *r, const rule_values *v)
{
    if (v->has_priority) r->priority = (sgc_priority)v->priority;
    if (v->has_enabled) r->enabled = v->enabled;
    if (v->has_warn) r->warn_evttypes = v->warn_evttypes;
    if (v->has_skip) r->skip_if_unknown_filter = v->skip;
    if (v->has_capture) r->capture = v->capture;
    if (v->has_capdur) r->capture_duration = (int)v->capture_duration;
}

/* Falco's collector.append: conditions/outputs/descs joined with a space,
 * tags added, exceptions merged by name (new ones complete, old ones only
 * get more values). */
static bool apply_append(sgc_ld *ld, yaml_node_t *item, sgc_rule *r, rule_values *v)
{
    sgc_ruleset *rs = ld->rs;
    /* exceptions first: they can fail, and then nothing is changed */
    for (int i = 0; i < v->nexc; i++) {
        sgc_exception *ex = &v->exc[i];
        sgc_exception *old = NULL;
        for (int j = 0; j < r->nexceptions; j++)
            if (!strcmp(r->exceptions[j].name, ex->name)) old = &r->exceptions[j];
        if (!old) {
            if (!ex->fields) {
                sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", ex->pos.file,
                             ex->pos.line, ex->pos.col,
                             "Rule exception must have fields property with a list of fields");
                return false;
            }
            if (!ex->nvalues) {
                sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", ex->pos.file,
                             ex->pos.line, ex->pos.col,
                             "Rule exception must have values property with a list of values");
                return false;
            }
            if (!sgc_ld_validate_exception(ld, ex)) return false;
        } else {
            if (ex->fields || ex->comps_given) {
                sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", ex->pos.file,
                             ex->pos.line, ex->pos.col,
                             "Can not append exception %s to existing exception, only values",
                             ex->fields ? "fields" : "comps");
                return false;
            }
            /* check the new tuples against the existing shape */
            sgc_exception probe = *old;
            probe.values = ex->values;
            probe.nvalues = ex->nvalues;
            probe.nvalues_per_tuple = ex->nvalues_per_tuple;
            probe.tuple_is_list = ex->tuple_is_list;
            probe.tuple_pos = ex->tuple_pos;
            probe.comps_given = true;
            if (!sgc_ld_validate_exception(ld, &probe)) return false;
        }
    }
    for (int i = 0; i < v->nexc; i++) {
        sgc_exception *ex = &v->exc[i];
        sgc_exception *old = NULL;
        for (int j = 0; j < r->nexceptions; j++)
            if (!strcmp(r->exceptions[j].name, ex->name)) old = &r->exceptions[j];
        if (!old) {
            r->exceptions =
                realloc(r->exceptions, (size_t)(r->nexceptions + 1) * sizeof *r->exceptions);
            r->exceptions[r->nexceptions++] = *ex;
            memset(ex, 0, sizeof *ex);
            continue;
        }
        int n = old->nvalues + ex->nvalues;
        old->values = realloc(old->values, (size_t)n * sizeof *old->values);
        old->nvalues_per_tuple =
            realloc(old->nvalues_per_tuple, (size_t)n * sizeof *old->nvalues_per_tuple);
        old->tuple_is_list = realloc(old->tuple_is_list, (size_t)n * sizeof *old->tuple_is_list);
        old->tuple_pos = realloc(old->tuple_pos, (size_t)n * sizeof *old->tuple_pos);
        for (int k = 0; k < ex->nvalues; k++) {
            old->values[old->nvalues + k] = ex->values[k];
            old->nvalues_per_tuple[old->nvalues + k] = ex->nvalues_per_tuple[k];
            old->tuple_is_list[old->nvalues + k] = ex->tuple_is_list[k];
            old->tuple_pos[old->nvalues + k] = ex->tuple_pos[k];
        }
        old->nvalues = n;
        ex->nvalues = 0; /* moved */
    }
    if (v->cond)
        r->cond_src =
            sgc_ld_join_sources(rs, r->cond_src, sgc_ld_scalar_source(ld, v->cond, false));
    if (v->output && *sgc_ld_str(v->output))
        r->output_src =
            sgc_ld_join_sources(rs, r->output_src, sgc_ld_scalar_source(ld, v->output, true));
    if (v->has_desc && *v->desc) {
        char *d = join_text(r->desc, v->desc);
        free(r->desc);
        r->desc = d;
    }
    if (v->tags)
        for (int i = 0; i < sgc_ld_seq_len(v->tags); i++)
            add_tag(r, sgc_ld_str(sgc_ld_seq_at(ld, v->tags, i)));
    r->dirty = true;
    (void)item;
    return true;
}

/* Falco's collector.selective_replace. */
static bool apply_replace(sgc_ld *ld, sgc_rule *r, rule_values *v)
{
    for (int i = 0; i < v->nexc; i++) {
        if (!v->exc[i].fields) {
            sgc_pos p = v->exc[i].pos;
            sgc_diag_add(&ld->rs->diags, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", p.file, p.line,
                         p.col,
                         "Rule exception item must have fields property with a list of fields");
            return false;
        }
        if (!sgc_ld_validate_exception(ld, &v->exc[i])) return false;
    }
    if (v->cond) r->cond_src = sgc_ld_scalar_source(ld, v->cond, false);
    if (v->output) r->output_src = sgc_ld_scalar_source(ld, v->output, true);
    if (v->has_desc) {
        free(r->desc);
        r->desc = strdup(v->desc);
    }
    if (v->has_tags) set_tags(ld, r, v->tags);
    if (v->has_exc) set_exceptions(r, v);
    apply_settings(r, v);
    r->dirty = true;
    return true;
}

static sgc_rule *need_prev(sgc_ld *ld, yaml_node_t *item, const char *name, const char *msg)
{
    sgc_rule *r = sgc_ruleset_find_rule(ld->rs, name);
    if (!r) sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item, "%s", msg);
    return r;
}

/* An append or override that names a source must name the rule's own. */
static bool same_source(sgc_ld *ld, yaml_node_t *item, const char *name)
{
    yaml_node_t *srcnode = NULL;
    const char *source = NULL;
    if (!sgc_ld_get(ld, item, "source", NULL)) return true;
    if (!sgc_ld_string(ld, item, "source", true, &source, &srcnode)) return false;
    sgc_rule *prev = sgc_ruleset_find_rule(ld->rs, name);
    if (prev && source && strcmp(prev->source, source)) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item,
                    "Rule has been re-defined with a different source");
        return false;
    }
    return true;
}

static void read_override(sgc_ld *ld, yaml_node_t *item, const char *name, sgc_overrides *ovr)
{
    /* every overridable key present needs an entry under override, and every
     * entry needs its key */
    for (int i = 0; i < ovr->n; i++)
        if (!sgc_ld_get(ld, item, ovr->v[i].key, NULL)) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", ovr->v[i].keynode,
                        "An %s override for '%s' was specified but '%s' is not defined",
                        ovr->v[i].op == SGC_OVR_APPEND ? "append" : "replace", ovr->v[i].key,
                        ovr->v[i].key);
            return;
        }
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = sgc_ld_node(ld, p->key);
        const char *key = sgc_ld_str(k);
        if (!key || !(want(can_append, key) || want(can_replace, key))) continue;
        if (sgc_ld_override_of(ovr, key) == SGC_OVR_NONE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", k,
                        "Unexpected key '%s': no corresponding entry under 'override' is defined.",
                        key);
            return;
        }
    }
    const char *app[16], *rep[16];
    int na = 0, nr = 0;
    for (int i = 0; i < ovr->n; i++) {
        if (ovr->v[i].op == SGC_OVR_APPEND)
            app[na++] = ovr->v[i].key;
        else
            rep[nr++] = ovr->v[i].key;
    }
    app[na] = rep[nr] = NULL;
    rule_values va = {0}, vr = {0};
    bool ok = read_values(ld, item, app, false, true, &va) &&
              read_values(ld, item, rep, false, true, &vr);
    if (ok && na) {
        sgc_rule *r = need_prev(ld, item, name,
                                "Rule uses 'append' or 'override.<key>: append' but no rule by "
                                "that name already exists");
        ok = r && apply_append(ld, item, r, &va);
    }
    if (ok && nr) {
        sgc_rule *r = need_prev(ld, item, name,
                                "An 'override.<key>: replace' to a rule was requested but no rule "
                                "by that name already exists");
        ok = r && apply_replace(ld, r, &vr);
    }
    values_free(&va);
    values_free(&vr);
}

static void define_rule(sgc_ld *ld, yaml_node_t *item, const char *name)
{
    sgc_ruleset *rs = ld->rs;
    rule_values v;
    const char *source = "syscall";
    yaml_node_t *srcnode = NULL;
    if (!read_values(ld, item, NULL, true, false, &v) ||
        !sgc_ld_string(ld, item, "source", true, &source, &srcnode)) {
        values_free(&v);
        return;
    }
    for (int i = 0; i < v.nexc; i++) {
        if (!v.exc[i].fields) { /* unreachable: read_one requires fields */
            values_free(&v);
            return;
        }
        if (!sgc_ld_validate_exception(ld, &v.exc[i])) {
            values_free(&v);
            return;
        }
    }
    sgc_rule *prev = sgc_ruleset_find_rule(rs, name);
    if (prev && strcmp(prev->source, source)) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item,
                    "Rule has been re-defined with a different source");
        values_free(&v);
        return;
    }
    sgc_pos pos = sgc_ld_pos(ld, item);
    sgc_rule *r = prev;
    if (prev) {
        sgc_ld_shadowed(rs, "rule", name, prev->pos, pos);
        int index = prev->index;
        char *keep_name = prev->name;
        prev->name = NULL;
        sgc_rule_free(prev); /* a redefinition replaces every key */
        r = calloc(1, sizeof *r);
        r->name = keep_name;
        r->index = index;
        for (int i = 0; i < rs->nrules; i++)
            if (rs->rules[i] == prev) rs->rules[i] = r;
    } else {
        r = calloc(1, sizeof *r);
        r->name = strdup(name);
        r->index = rs->nrules;
        rs->rules = realloc(rs->rules, (size_t)(rs->nrules + 1) * sizeof *rs->rules);
        rs->rules[rs->nrules++] = r;
    }
    r->pos = pos;
    r->source = strdup(source);
    r->enabled = true;
    r->warn_evttypes = true;
    r->desc = strdup(v.desc);
    r->cond_src = sgc_ld_scalar_source(ld, v.cond, false);
    r->output_src = sgc_ld_scalar_source(ld, v.output, true);
    apply_settings(r, &v);
    if (v.tags) set_tags(ld, r, v.tags);
    set_exceptions(r, &v);
    r->dirty = true;
    if (sgc_evsource_parse(source) < 0) {
        r->unknown_source = true;
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_UNKNOWN_SOURCE", srcnode,
                    "Unknown source %s, skipping (sgc knows the syscall and k8s_audit sources)",
                    source);
    }
    values_free(&v);
}

void sgc_ld_read_rule(sgc_ld *ld, yaml_node_t *item)
{
    const char *name = NULL;
    if (!sgc_ld_string(ld, item, "rule", false, &name, NULL)) return;
    int ndiag = ld->rs->diags.n;
    sgc_ld_check_keys(ld, item, "rule", rule_keys);

    bool has_append = false;
    sgc_overrides ovr;
    if (sgc_ld_bool(ld, item, "append", true, &has_append, NULL) &&
        sgc_ld_read_overrides(ld, item, can_append, can_replace, &ovr)) {
        if (has_append)
            sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_DEPRECATED_ITEM", item, WARNING_APPEND);
        if (has_append && ovr.n) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item, ERROR_OVERRIDE_APPEND);
        } else if ((has_append || ovr.n) && !same_source(ld, item, name)) {
            /* reported */
        } else if (ovr.n) {
            read_override(ld, item, name, &ovr);
        } else if (has_append) {
            static const char *const keys[] = {"condition", "exceptions", NULL};
            rule_values v;
            if (read_values(ld, item, keys, false, true, &v)) {
                sgc_rule *r = need_prev(ld, item, name,
                                        "Rule uses 'append' or 'override.<key>: append' but no "
                                        "rule by that name already exists");
                if (r && !v.cond && !v.has_exc)
                    sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item,
                                "Appended rule must have exceptions or condition property");
                else if (r)
                    apply_append(ld, item, r, &v);
            }
            values_free(&v);
        } else if (!sgc_ld_get(ld, item, "condition", NULL) &&
                   !sgc_ld_get(ld, item, "output", NULL) && !sgc_ld_get(ld, item, "desc", NULL) &&
                   !sgc_ld_get(ld, item, "priority", NULL)) {
            /* standalone `enabled:` toggles an earlier rule */
            bool en = true, present = false;
            if (sgc_ld_bool(ld, item, "enabled", false, &en, &present)) {
                sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_DEPRECATED_ITEM", item, WARNING_ENABLED);
                sgc_rule *r =
                    need_prev(ld, item, name,
                              "Rule has 'enabled' key but no rule by that name already exists");
                if (r) r->enabled = en;
            }
        } else {
            define_rule(ld, item, name);
        }
    }
    for (int i = ndiag; i < ld->rs->diags.n; i++) { /* name the rule in its findings */
        if (ld->rs->diags.v[i].item) continue;
        char *s = NULL;
        if (asprintf(&s, "rule '%s'", name) >= 0) ld->rs->diags.v[i].item = s;
    }
}
