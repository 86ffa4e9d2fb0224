/* Lists, macros, required_engine_version, required_plugin_versions; the
 * `override:` reader shared with rules. */
#include "loader_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARNING_APPEND                                                                             \
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under "          \
    "'override' instead."
#define ERROR_OVERRIDE_APPEND                                                                      \
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. "     \
    "'condition: append') under 'override' instead."

sgc_pos sgc_ld_value_pos(sgc_ld *ld, const yaml_node_t *n)
{
    sgc_pos p = sgc_ld_pos(ld, n);
    if (n && n->type == YAML_SCALAR_NODE) sgc_yfile_scalar_start(&ld->yf, n, &p.line, &p.col);
    return p;
}

void sgc_ld_shadowed(sgc_ruleset *rs, const char *kind, const char *name, sgc_pos old_pos,
                     sgc_pos new_pos)
{
    rs->shadowed = realloc(rs->shadowed, (size_t)(rs->nshadowed + 1) * sizeof *rs->shadowed);
    rs->shadowed[rs->nshadowed++] = (sgc_shadowed){kind, strdup(name), old_pos, new_pos};
}

static bool in_set(const char *const *set, const char *k)
{
    for (int i = 0; set[i]; i++)
        if (!strcmp(set[i], k)) return true;
    return false;
}

bool sgc_ld_read_overrides(sgc_ld *ld, const yaml_node_t *item, const char *const *can_append,
                           const char *const *can_replace, sgc_overrides *out)
{
    memset(out, 0, sizeof *out);
    yaml_node_t *o = sgc_ld_get(ld, item, "override", NULL);
    if (!o) return true;
    out->node = o;
    if (o->type != YAML_MAPPING_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", o,
                    "Value for key 'override' is not a mapping of keys to 'append' or 'replace'");
        return false;
    }
    for (yaml_node_pair_t *p = o->data.mapping.pairs.start; p < o->data.mapping.pairs.top; p++) {
        yaml_node_t *k = sgc_ld_node(ld, p->key), *v = sgc_ld_node(ld, p->value);
        const char *key = sgc_ld_str(k), *op = sgc_ld_str(v);
        if (!key || !op) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", key ? v : k,
                        "Entries under 'override' must be scalars: KEY: append|replace");
            return false;
        }
        bool a = in_set(can_append, key), r = in_set(can_replace, key);
        sgc_ovr_op what;
        if (!strcmp(op, "append")) {
            if (!a) {
                sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", k,
                            r ? "Key '%s' cannot be appended to, use 'replace' instead"
                              : "Key '%s' cannot be appended to",
                            key);
                return false;
            }
            what = SGC_OVR_APPEND;
        } else if (!strcmp(op, "replace")) {
            if (!r) {
                sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", k,
                            "Key '%s' cannot be replaced", key);
                return false;
            }
            what = SGC_OVR_REPLACE;
        } else {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
                        "Invalid override operation for key '%s': '%s'. Allowed values are:%s%s%s",
                        key, op, a ? " append" : "", r ? " replace" : "",
                        !a && !r ? " none (the key cannot be overridden)" : "");
            return false;
        }
        if (out->n == (int)(sizeof out->v / sizeof out->v[0])) continue;
        out->v[out->n].key = key;
        out->v[out->n].op = what;
        out->v[out->n].keynode = k;
        out->n++;
    }
    return true;
}

sgc_ovr_op sgc_ld_override_of(const sgc_overrides *o, const char *key)
{
    for (int i = 0; i < o->n; i++)
        if (!strcmp(o->v[i].key, key)) return o->v[i].op;
    return SGC_OVR_NONE;
}

/* Falco's name rules (warnings since Falco 0.37). */
static bool is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s)) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return false;
    return true;
}

static bool is_barestr(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (strchr("()\"'=,", *s) || isspace((unsigned char)*s)) return false;
    return true;
}

/* ---- lists ---------------------------------------------------------------- */

/* items_src: the items joined by ", ", mapped to where each item was written
 * (items may come from several files after appends): one segment per item,
 * its separator included (the separator's bytes are at the item's column). */
static void build_items_src(sgc_ruleset *rs, sgc_list *l)
{
    size_t len = 0;
    for (int i = 0; i < l->nitems; i++) len += strlen(l->items[i]) + (i ? 2 : 0);
    char *text = malloc(len + 1);
    free(l->items_off);
    l->items_off = malloc((size_t)(l->nitems + 1) * sizeof *l->items_off);
    struct sgc_source_seg *segs = malloc((size_t)(l->nitems + 1) * sizeof *segs);
    if (!text || !l->items_off || !segs) abort();
    size_t o = 0;
    for (int i = 0; i < l->nitems; i++) {
        sgc_pos p = l->item_pos[i];
        segs[i] = (struct sgc_source_seg){(uint32_t)o, (uint32_t)(o + (i ? 2 : 0)), p.line, p.col,
                                          p.file};
        if (i) {
            memcpy(text + o, ", ", 2);
            o += 2;
        }
        l->items_off[i] = (uint32_t)o;
        size_t n = strlen(l->items[i]);
        memcpy(text + o, l->items[i], n);
        o += n;
    }
    text[o] = 0;
    size_t nsegs = (size_t)l->nitems;
    if (!l->nitems)
        segs[nsegs++] = (struct sgc_source_seg){0, 0, l->pos.line, l->pos.col, l->pos.file};
    sgc_source *s = sgc_source_new(l->pos.file, text, len);
    free(text);
    s->segs = segs;
    s->nsegs = nsegs;
    sgc_ld_own_source(rs, s);
    l->items_src = s;
}

static void add_items(sgc_ld *ld, sgc_list *l, const yaml_node_t *seq)
{
    int n = sgc_ld_seq_len(seq);
    l->items = realloc(l->items, (size_t)(l->nitems + n + 1) * sizeof *l->items);
    l->item_pos = realloc(l->item_pos, (size_t)(l->nitems + n + 1) * sizeof *l->item_pos);
    for (int i = 0; i < n; i++) {
        yaml_node_t *e = sgc_ld_seq_at(ld, seq, i);
        l->items[l->nitems] = strdup(sgc_ld_str(e));
        l->item_pos[l->nitems] = sgc_ld_value_pos(ld, e);
        l->nitems++;
    }
}

void sgc_ld_read_list(sgc_ld *ld, yaml_node_t *item)
{
    static const char *const keys[] = {"list", "items", "append", "override", NULL};
    static const char *const ovr_keys[] = {"items", NULL};
    sgc_ruleset *rs = ld->rs;
    const char *name = NULL;
    yaml_node_t *namenode = NULL, *seq = NULL;
    if (!sgc_ld_string(ld, item, "list", false, &name, &namenode)) return;
    if (!is_barestr(name)) {
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_INVALID_LIST_NAME", namenode,
                    "List has an invalid name. List names must match a regular expression: "
                    "([^()\"'[:space:]=,]+)");
        sgc_ld_diag_item(ld, "list", name);
    }
    sgc_ld_check_keys(ld, item, "list", keys);
    bool append = false, has_append = false;
    sgc_overrides ovr;
    if (!sgc_ld_strseq(ld, item, "items", false, &seq, NULL) ||
        !sgc_ld_bool(ld, item, "append", true, &append, &has_append) ||
        !sgc_ld_read_overrides(ld, item, ovr_keys, ovr_keys, &ovr)) {
        sgc_ld_diag_item(ld, "list", name);
        return;
    }
    if (append) {
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_DEPRECATED_ITEM", item, WARNING_APPEND);
        sgc_ld_diag_item(ld, "list", name);
    }
    if (append && ovr.n) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item, ERROR_OVERRIDE_APPEND);
        sgc_ld_diag_item(ld, "list", name);
        return;
    }
    append = append || sgc_ld_override_of(&ovr, "items") == SGC_OVR_APPEND;
    sgc_list *prev = sgc_ruleset_find_list(rs, name);
    sgc_pos pos = sgc_ld_pos(ld, item);
    if (append) {
        if (!prev) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item,
                        "List uses 'append' or 'override.items: append' but no list by that name "
                        "already exists");
            sgc_ld_diag_item(ld, "list", name);
            return;
        }
        add_items(ld, prev, seq);
        prev->visibility = rs->next_index++;
        build_items_src(rs, prev);
        return;
    }
    sgc_list *l = prev;
    if (prev) {
        if (!ovr.n) sgc_ld_shadowed(rs, "list", name, prev->pos, pos);
        for (int i = 0; i < prev->nitems; i++) free(prev->items[i]);
        prev->nitems = 0;
    } else {
        l = calloc(1, sizeof *l);
        l->name = strdup(name);
        l->index = rs->next_index;
        rs->lists = realloc(rs->lists, (size_t)(rs->nlists + 1) * sizeof *rs->lists);
        rs->lists[rs->nlists++] = l;
    }
    l->pos = pos;
    l->visibility = rs->next_index++;
    add_items(ld, l, seq);
    build_items_src(rs, l);
}

/* ---- macros --------------------------------------------------------------- */

void sgc_ld_read_macro(sgc_ld *ld, yaml_node_t *item)
{
    static const char *const keys[] = {"macro", "condition", "append", "override", NULL};
    static const char *const ovr_keys[] = {"condition", NULL};
    sgc_ruleset *rs = ld->rs;
    const char *name = NULL, *cond = NULL;
    yaml_node_t *namenode = NULL, *condnode = NULL;
    if (!sgc_ld_string(ld, item, "macro", false, &name, &namenode)) return;
    if (!is_identifier(name)) {
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_INVALID_MACRO_NAME", namenode,
                    "Macro has an invalid name. Macro names must match a regular expression: "
                    "([a-zA-Z]+[a-zA-Z0-9_]*)");
        sgc_ld_diag_item(ld, "macro", name);
    }
    sgc_ld_check_keys(ld, item, "macro", keys);
    bool append = false;
    sgc_overrides ovr;
    if (!sgc_ld_string(ld, item, "condition", false, &cond, &condnode) ||
        !sgc_ld_bool(ld, item, "append", true, &append, NULL) ||
        !sgc_ld_read_overrides(ld, item, ovr_keys, ovr_keys, &ovr)) {
        sgc_ld_diag_item(ld, "macro", name);
        return;
    }
    if (append) {
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_DEPRECATED_ITEM", item, WARNING_APPEND);
        sgc_ld_diag_item(ld, "macro", name);
    }
    if (append && ovr.n) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item, ERROR_OVERRIDE_APPEND);
        sgc_ld_diag_item(ld, "macro", name);
        return;
    }
    append = append || sgc_ld_override_of(&ovr, "condition") == SGC_OVR_APPEND;
    sgc_macro *prev = sgc_ruleset_find_macro(rs, name);
    sgc_pos pos = sgc_ld_pos(ld, item);
    sgc_source *src = sgc_ld_scalar_source(ld, condnode, false);
    if (append) {
        if (!prev) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", item,
                        "Macro uses 'append' or 'override.condition: append' but no macro by that "
                        "name already exists");
            sgc_ld_diag_item(ld, "macro", name);
            return;
        }
        prev->cond_src = sgc_ld_join_sources(rs, prev->cond_src, src);
        prev->visibility = rs->next_index++;
        prev->dirty = true;
        return;
    }
    sgc_macro *m = prev;
    if (prev) {
        if (!ovr.n) sgc_ld_shadowed(rs, "macro", name, prev->pos, pos);
    } else {
        m = calloc(1, sizeof *m);
        m->name = strdup(name);
        m->index = rs->next_index;
        rs->macros = realloc(rs->macros, (size_t)(rs->nmacros + 1) * sizeof *rs->macros);
        rs->macros[rs->nmacros++] = m;
    }
    m->pos = pos;
    m->visibility = rs->next_index++;
    m->cond_src = src;
    m->dirty = true;
}

/* ---- versions ------------------------------------------------------------- */

/* "x.y.z" with numbers (a pre-release/build suffix is tolerated). */
static bool is_semver(const char *s)
{
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
        if (part < 2 && *s++ != '.') return false;
    }
    return !*s || *s == '-' || *s == '+';
}

void sgc_ld_read_engine_version(sgc_ld *ld, yaml_node_t *item)
{
    const char *v = NULL;
    yaml_node_t *vn = NULL;
    if (!sgc_ld_string(ld, item, "required_engine_version", false, &v, &vn)) return;
    bool integer = *v != 0;
    for (const char *p = v; *p; p++)
        if (!isdigit((unsigned char)*p)) integer = false;
    if (!integer && !is_semver(v)) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", vn,
                    "Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" "
                    "semver format.",
                    v);
        return;
    }
    /* an integer N means 0.N.0 (Falco's implicit engine version) */
    char *norm = NULL;
    if (integer) {
        if (asprintf(&norm, "0.%s.0", v) < 0) return;
    } else
        norm = strdup(v);
    free(ld->rs->required_engine_version);
    ld->rs->required_engine_version = norm;
}

/* The alternatives of one requirement: mappings with a name and an x.y.z
 * version; a plugin named twice (the requirement's own name included) is
 * Falco's "Defined multiple alternative version requirements" error, at the
 * requirement. */
static bool read_alternatives(sgc_ld *ld, yaml_node_t *pl, yaml_node_t *alt, const char *first)
{
    int n = sgc_ld_seq_len(alt);
    const char **names = calloc((size_t)n + 1, sizeof *names);
    if (!names) abort();
    names[0] = first;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        yaml_node_t *a = sgc_ld_seq_at(ld, alt, i);
        const char *name = NULL, *ver = NULL;
        yaml_node_t *vn = NULL;
        if (!a || a->type != YAML_MAPPING_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", a ? a : alt,
                        "Plugin version alternative must be a mapping");
            ok = false;
        } else if (!sgc_ld_string(ld, a, "name", false, &name, NULL) ||
                   !sgc_ld_string(ld, a, "version", false, &ver, &vn)) {
            ok = false;
        } else if (!is_semver(ver)) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", pl,
                        "Invalid required version '%s' for plugin '%s'", ver, name);
            ok = false;
        } else {
            for (int j = 0; j <= i && ok; j++)
                if (!strcmp(names[j], name)) {
                    sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", pl,
                                "Defined multiple alternative version requirements for plugin '%s'",
                                name);
                    ok = false;
                }
            names[i + 1] = name;
        }
    }
    free(names);
    return ok;
}

void sgc_ld_read_plugin_versions(sgc_ld *ld, yaml_node_t *item)
{
    yaml_node_t *seq = sgc_ld_get(ld, item, "required_plugin_versions", NULL);
    if (seq->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", seq,
                    "Value of required_plugin_versions must be a sequence");
        return;
    }
    for (int i = 0; i < sgc_ld_seq_len(seq); i++) {
        yaml_node_t *pl = sgc_ld_seq_at(ld, seq, i);
        if (!pl || pl->type != YAML_MAPPING_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", pl,
                        "Plugin version must be a mapping");
            return;
        }
        const char *name = NULL, *ver = NULL;
        yaml_node_t *vn = NULL;
        if (!sgc_ld_string(ld, pl, "name", false, &name, NULL) ||
            !sgc_ld_string(ld, pl, "version", false, &ver, &vn))
            return;
        if (!is_semver(ver)) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", vn,
                        "Invalid required version '%s' for plugin '%s'", ver, name);
            return;
        }
        yaml_node_t *alt = sgc_ld_get(ld, pl, "alternatives", NULL);
        if (alt && alt->type != YAML_SEQUENCE_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", alt,
                        "Value of plugin version alternatives must be a sequence");
            return;
        }
        if (alt && !read_alternatives(ld, pl, alt, name)) return;
        char *entry = NULL;
        if (asprintf(&entry, "%s %s", name, ver) < 0) return;
        sgc_ruleset *rs = ld->rs;
        rs->required_plugins =
            realloc(rs->required_plugins, (size_t)(rs->nrequired_plugins + 1) * sizeof(char *));
        rs->required_plugins[rs->nrequired_plugins++] = entry;
    }
}
