/* YAML node helpers for the loader: lookups, typed decoding with Falco's
 * validation messages, mapped sources, positioned diagnostics. */
#include "loader_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *sgc_ld_strdup(const char *s) { return s ? strdup(s) : NULL; }

sgc_pos sgc_ld_pos(sgc_ld *ld, const yaml_node_t *n)
{
    sgc_pos p = {ld->file, 0, 0};
    if (n) sgc_yfile_pos(&ld->yf, sgc_yfile_mark_byte(&ld->yf, n->start_mark), &p.line, &p.col);
    return p;
}

void sgc_ld_diag(sgc_ld *ld, sgc_severity sev, const char *code, const yaml_node_t *at,
                 const char *fmt, ...)
{
    sgc_pos p = sgc_ld_pos(ld, at);
    va_list ap;
    va_start(ap, fmt);
    sgc_diag_vadd(&ld->rs->diags, sev, code, ld->file, p.line, p.col, fmt, ap);
    va_end(ap);
    if (sev == SGC_SEV_ERROR) ld->item_failed = true;
}

void sgc_ld_diag_item(sgc_ld *ld, const char *kind, const char *name)
{
    if (!name) return;
    char *s = NULL;
    if (asprintf(&s, "%s '%s'", kind, name) < 0) return;
    sgc_diag_set_item(&ld->rs->diags, s);
    free(s);
}

yaml_node_t *sgc_ld_node(sgc_ld *ld, int id) { return yaml_document_get_node(ld->doc, id); }

yaml_node_t *sgc_ld_get(sgc_ld *ld, const yaml_node_t *map, const char *key, yaml_node_t **keynode)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    yaml_node_t *found = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = sgc_ld_node(ld, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key)) {
            found = sgc_ld_node(ld, p->value); /* the last one wins, as in most YAML readers */
            if (keynode) *keynode = k;
        }
    }
    return found;
}

bool sgc_ld_is_null(const yaml_node_t *n)
{
    if (!n) return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

const char *sgc_ld_str(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int sgc_ld_seq_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (int)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

yaml_node_t *sgc_ld_seq_at(sgc_ld *ld, const yaml_node_t *n, int i)
{
    return sgc_ld_node(ld, n->data.sequence.items.start[i]);
}

/* Shared checks of a required/optional scalar key; returns the value node,
 * or NULL with *ok telling whether that is an error. */
static yaml_node_t *scalar_key(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional,
                               bool *ok)
{
    yaml_node_t *v = sgc_ld_get(ld, item, key, NULL);
    *ok = true;
    if (!v) {
        if (optional) return NULL;
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item,
                    "Item has no mapping for key '%s'", key);
        *ok = false;
        return NULL;
    }
    if (sgc_ld_is_null(v)) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v, "Mapping for key '%s' is empty",
                    key);
        *ok = false;
        return NULL;
    }
    if (v->type != YAML_SCALAR_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
                    "Value for key '%s' is not a scalar value", key);
        *ok = false;
        return NULL;
    }
    return v;
}

bool sgc_ld_string(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional,
                   const char **out, yaml_node_t **valnode)
{
    bool ok;
    yaml_node_t *v = scalar_key(ld, item, key, optional, &ok);
    if (valnode) *valnode = v;
    if (!v) return ok;
    *out = sgc_ld_str(v);
    return true;
}

bool sgc_ld_bool(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional, bool *out,
                 bool *present)
{
    bool ok;
    yaml_node_t *v = scalar_key(ld, item, key, optional, &ok);
    if (present) *present = v != NULL;
    if (!v) return ok;
    const char *s = sgc_ld_str(v);
    /* A quoted scalar is a string: Falco's rules schema wants a boolean
     * (`capture: "yes"` fails its validation) */
    if (v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        sgc_ld_diag(
            ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
            "Value for key '%s' must be a boolean, not the string \"%s\" (schema validation)", key,
            s);
        if (present) *present = false;
        return false;
    }
    /* YAML 1.1 booleans, as yaml-cpp (Falco's reader) accepts them */
    static const char *const yes[] = {"true", "yes", "on", "y"};
    static const char *const no[] = {"false", "no", "off", "n"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return true;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return true;
        }
    }
    sgc_ld_diag(
        ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
        "Can't decode YAML scalar value for key '%s': '%s' is not a boolean (true or false)", key,
        s);
    if (present) *present = false;
    return false;
}

bool sgc_ld_uint(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional, long *out,
                 bool *present)
{
    bool ok;
    yaml_node_t *v = scalar_key(ld, item, key, optional, &ok);
    if (present) *present = v != NULL;
    if (!v) return ok;
    const char *s = sgc_ld_str(v);
    char *end = NULL;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < 0 || *s == '-' || *s == '+') {
        sgc_ld_diag(
            ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
            "Can't decode YAML scalar value for key '%s': '%s' is not a non-negative integer", key,
            s);
        if (present) *present = false;
        return false;
    }
    *out = n;
    return true;
}

bool sgc_ld_strseq(sgc_ld *ld, const yaml_node_t *item, const char *key, bool optional,
                   yaml_node_t **seqnode, bool *present)
{
    yaml_node_t *v = sgc_ld_get(ld, item, key, NULL);
    *seqnode = NULL;
    if (present) *present = v != NULL;
    if (!v) {
        if (optional) return true;
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item,
                    "Item has no mapping for key '%s'", key);
        return false;
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
                    "Value for key '%s' is not a sequence", key);
        if (present) *present = false;
        return false;
    }
    for (int i = 0; i < sgc_ld_seq_len(v); i++) {
        yaml_node_t *e = sgc_ld_seq_at(ld, v, i);
        if (!e || e->type != YAML_SCALAR_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", e,
                        "Sequence value in '%s' is not scalar", key);
            if (present) *present = false;
            return false;
        }
    }
    *seqnode = v;
    return true;
}

void sgc_ld_own_source(sgc_ruleset *rs, sgc_source *s)
{
    s->next = rs->sources;
    rs->sources = s;
}

sgc_source *sgc_ld_scalar_source(sgc_ld *ld, const yaml_node_t *n, bool trim)
{
    size_t len = n->data.scalar.length;
    const char *v = (const char *)n->data.scalar.value;
    int *lines = malloc((len + 1) * sizeof *lines);
    int *cols = malloc((len + 1) * sizeof *cols);
    sgc_yfile_map_scalar(&ld->yf, n, lines, cols);
    size_t b = 0, e = len;
    if (trim) {
        while (b < e && strchr(" \t\r\n", v[b])) b++;
        while (e > b && strchr(" \t\r\n", v[e - 1])) e--;
    }
    sgc_source *s = sgc_source_new(ld->file, v + b, e - b);
    s->line_of = malloc((e - b + 1) * sizeof *s->line_of);
    s->col_of = malloc((e - b + 1) * sizeof *s->col_of);
    memcpy(s->line_of, lines + b, (e - b + 1) * sizeof *lines);
    memcpy(s->col_of, cols + b, (e - b + 1) * sizeof *cols);
    if (e < len) { /* the end position: just after the last kept byte */
        if (e > b) {
            s->line_of[e - b] = lines[e - 1];
            s->col_of[e - b] = cols[e - 1] + 1;
        } else {
            s->line_of[0] = lines[b];
            s->col_of[0] = cols[b];
        }
    }
    free(lines);
    free(cols);
    sgc_ld_own_source(ld->rs, s);
    return s;
}

/* Position of byte i of a source, with its file. */
static void byte_pos(const sgc_source *s, size_t i, const char **file, int *line, int *col)
{
    sgc_loc loc = {s, (uint32_t)i};
    sgc_loc_pos(loc, line, col);
    *file = sgc_loc_file(loc);
}

sgc_source *sgc_ld_join_sources(sgc_ruleset *rs, const sgc_source *a, const sgc_source *b)
{
    size_t len = a->len + 1 + b->len;
    char *text = malloc(len + 1);
    memcpy(text, a->text, a->len);
    text[a->len] = ' ';
    memcpy(text + a->len + 1, b->text, b->len);
    sgc_source *s = sgc_source_new(a->file, text, len);
    free(text);
    s->line_of = malloc((len + 1) * sizeof *s->line_of);
    s->col_of = malloc((len + 1) * sizeof *s->col_of);
    s->file_of = malloc((len + 1) * sizeof *s->file_of);
    for (size_t i = 0; i <= len; i++) {
        const sgc_source *from = i <= a->len ? a : b;
        size_t at = i < a->len ? i : i == a->len ? a->len : i - a->len - 1;
        byte_pos(from, at, &s->file_of[i], &s->line_of[i], &s->col_of[i]);
    }
    sgc_ld_own_source(rs, s);
    return s;
}

void sgc_ld_check_keys(sgc_ld *ld, const yaml_node_t *item, const char *kind,
                       const char *const *known)
{
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = sgc_ld_node(ld, p->key);
        const char *name = sgc_ld_str(k);
        bool ok = false;
        for (int i = 0; name && known[i]; i++)
            if (!strcmp(name, known[i])) ok = true;
        if (!ok)
            sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_UNKNOWN_KEY", k,
                        "Unknown key '%s' in %s item: ignored", name ? name : "(non-scalar)", kind);
    }
}
