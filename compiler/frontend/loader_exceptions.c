/* Rule exceptions: reading `exceptions:`, Falco's shape checks, and the
 * condition text they stand for:
 *   fields: [f1, f2], comps: [c1, c2], values: [[a, b], ...]
 *     -> not ((f1 c1 a and f2 c2 b) or ...)
 *   fields: f, comps: in, values: [a, b]   -> not (f in (a, b))        */
#include "loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ex_diag(sgc_ruleset *rs, sgc_pos p, const char *fmt, const char *arg)
{
    sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_VALIDATE", p.file, p.line, p.col, fmt, arg);
}

/* A scalar-or-sequence-of-scalars value (one entry of a tuple). */
static bool read_value(sgc_ld *ld, yaml_node_t *n, struct sgc_exc_value *out)
{
    memset(out, 0, sizeof *out);
    out->pos = sgc_ld_value_pos(ld, n);
    if (n->type == YAML_SCALAR_NODE) {
        out->items = malloc(sizeof(char *));
        out->item_pos = malloc(sizeof(sgc_pos));
        out->items[0] = strdup(sgc_ld_str(n));
        out->item_pos[0] = out->pos;
        out->nitems = 1;
        return true;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", n,
                    "Exception value must be a string or a list of strings");
        return false;
    }
    out->is_list = true;
    int k = sgc_ld_seq_len(n);
    out->items = calloc((size_t)k + 1, sizeof(char *));
    out->item_pos = calloc((size_t)k + 1, sizeof(sgc_pos));
    for (int i = 0; i < k; i++) {
        yaml_node_t *e = sgc_ld_seq_at(ld, n, i);
        if (e->type != YAML_SCALAR_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", e,
                        "Exception value list items must be strings");
            return false;
        }
        out->items[i] = strdup(sgc_ld_str(e));
        out->item_pos[i] = sgc_ld_value_pos(ld, e);
        out->nitems++;
    }
    return true;
}

/* fields/comps: a non-empty scalar, or a sequence of them. */
static bool read_names(sgc_ld *ld, yaml_node_t *n, const char *key, char ***out, sgc_pos **pos,
                       int *count, bool *is_list)
{
    if (n->type == YAML_SCALAR_NODE) {
        if (!*sgc_ld_str(n)) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", n,
                        "Value for key '%s' must be non-empty", key);
            return false;
        }
        *out = malloc(sizeof(char *));
        *pos = malloc(sizeof(sgc_pos));
        (*out)[0] = strdup(sgc_ld_str(n));
        (*pos)[0] = sgc_ld_value_pos(ld, n);
        *count = 1;
        *is_list = false;
        return true;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", n,
                    "Value for key '%s' must be a string or a sequence of strings", key);
        return false;
    }
    int k = sgc_ld_seq_len(n);
    *out = calloc((size_t)k + 1, sizeof(char *));
    *pos = calloc((size_t)k + 1, sizeof(sgc_pos));
    *is_list = true;
    for (int i = 0; i < k; i++) {
        yaml_node_t *e = sgc_ld_seq_at(ld, n, i);
        if (e->type != YAML_SCALAR_NODE || !*sgc_ld_str(e)) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", e,
                        "Items of '%s' must be non-empty strings", key);
            return false;
        }
        (*out)[i] = strdup(sgc_ld_str(e));
        (*pos)[i] = sgc_ld_value_pos(ld, e);
        (*count)++;
    }
    return true;
}

static bool read_one(sgc_ld *ld, yaml_node_t *exn, bool append, sgc_exception *ex)
{
    static const char *const keys[] = {"name", "fields", "comps", "values", NULL};
    ex->pos = sgc_ld_pos(ld, exn);
    const char *name = NULL;
    if (!sgc_ld_string(ld, exn, "name", false, &name, NULL)) return false;
    ex->name = strdup(name);
    sgc_ld_check_keys(ld, exn, "exception", keys);

    yaml_node_t *f = sgc_ld_get(ld, exn, "fields", NULL);
    if (!f && !append) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", exn,
                    "Item has no mapping for key 'fields'");
        return false;
    }
    if (f && !read_names(ld, f, "fields", &ex->fields, &ex->field_pos, &ex->nfields,
                         &ex->fields_is_list))
        return false;

    yaml_node_t *c = sgc_ld_get(ld, exn, "comps", NULL);
    if (c) {
        ex->comps_given = true;
        ex->comps_pos = sgc_ld_value_pos(ld, c);
        if (!read_names(ld, c, "comps", &ex->comps, &ex->comp_pos, &ex->ncomps, &ex->comps_is_list))
            return false;
    }

    yaml_node_t *v = sgc_ld_get(ld, exn, "values", NULL);
    if (!v) {
        if (append)
            sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_APPEND_NO_VALUES", exn,
                        "Overriding/appending exception with no values");
        return true;
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", v,
                    "Rule exception values must be a sequence");
        return false;
    }
    int n = sgc_ld_seq_len(v);
    ex->values = calloc((size_t)n + 1, sizeof *ex->values);
    ex->nvalues_per_tuple = calloc((size_t)n + 1, sizeof *ex->nvalues_per_tuple);
    ex->tuple_is_list = calloc((size_t)n + 1, sizeof *ex->tuple_is_list);
    ex->tuple_pos = calloc((size_t)n + 1, sizeof *ex->tuple_pos);
    for (int i = 0; i < n; i++) {
        yaml_node_t *t = sgc_ld_seq_at(ld, v, i);
        ex->tuple_pos[i] = sgc_ld_pos(ld, t);
        ex->nvalues++;
        if (t->type == YAML_SEQUENCE_NODE) {
            int k = sgc_ld_seq_len(t);
            ex->tuple_is_list[i] = true;
            ex->values[i] = calloc((size_t)k + 1, sizeof **ex->values);
            for (int j = 0; j < k; j++) {
                if (!read_value(ld, sgc_ld_seq_at(ld, t, j), &ex->values[i][j])) return false;
                ex->nvalues_per_tuple[i]++;
            }
        } else if (t->type == YAML_SCALAR_NODE) {
            ex->values[i] = calloc(1, sizeof **ex->values);
            read_value(ld, t, &ex->values[i][0]);
            ex->nvalues_per_tuple[i] = 1;
        } else {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", t,
                        "Rule exception values must be strings or sequences");
            return false;
        }
    }
    return true;
}

bool sgc_ld_read_exceptions(sgc_ld *ld, const yaml_node_t *item, bool append, sgc_exception **out,
                            int *nout)
{
    *out = NULL;
    *nout = 0;
    yaml_node_t *exs = sgc_ld_get(ld, item, "exceptions", NULL);
    if (!exs || sgc_ld_is_null(exs)) return true;
    if (exs->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", exs,
                    "Rule exceptions must be a sequence");
        return false;
    }
    int n = sgc_ld_seq_len(exs);
    sgc_exception *v = calloc((size_t)n + 1, sizeof *v);
    int k = 0;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        yaml_node_t *e = sgc_ld_seq_at(ld, exs, i);
        if (e->type != YAML_MAPPING_NODE) {
            sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", e,
                        "Rule exception must be a mapping");
            ok = false;
            break;
        }
        ok = read_one(ld, e, append, &v[k]);
        k++;
        if (ok)
            for (int j = 0; j < k - 1; j++)
                if (!strcmp(v[j].name, v[k - 1].name)) {
                    sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", e,
                                "Multiple definitions of exception '%s' in the same rule",
                                v[j].name);
                    break;
                }
    }
    if (!ok) {
        for (int i = 0; i < k; i++) sgc_exception_clear(&v[i]);
        free(v);
        return false;
    }
    *out = v;
    *nout = k;
    return true;
}

static bool is_list_op(const char *op)
{
    return !strcmp(op, "in") || !strcmp(op, "intersects") || !strcmp(op, "pmatch");
}

/* A comp with a list modifier: "startswith oneof" (normalized). */
static bool has_modifier(const char *comp)
{
    const char *sp = strchr(comp, ' ');
    return sp && sgc_listmod_lookup(sp + 1) >= 0;
}

/* The string operators a list modifier may follow (parser.y's STROP). */
static bool modifiable_op(int op)
{
    return op >= 0 && !sgc_op_is_list((sgc_op)op) && !sgc_op_is_numeric((sgc_op)op) &&
           op != SGC_OP_EXISTS;
}

/* Falco trims a comp (" = " is "="); a comp is an operator, optionally
 * followed by a list modifier after a string operator ("startswith oneof").
 * Rewrites *comp to its normal form (one blank before the modifier) and
 * moves *pos to its first character. False when it is not such a comp. */
static bool normalize_comp(char **comp, sgc_pos *pos)
{
    char *s = *comp;
    size_t lead = strspn(s, " \t\r\n");
    size_t len = strlen(s + lead);
    while (len && strchr(" \t\r\n", s[lead + len - 1])) len--;
    char *t = strndup(s + lead, len);
    if (!t) abort();
    if (pos && lead) pos->col += (int)lead;
    free(s);
    *comp = t;
    size_t oplen = strcspn(t, " \t\r\n");
    char op[16];
    if (oplen >= sizeof op) return false;
    memcpy(op, t, oplen);
    op[oplen] = '\0';
    int o = sgc_op_lookup(op);
    if (o < 0) return false;
    if (oplen == len) return true;
    const char *m = t + oplen + strspn(t + oplen, " \t\r\n");
    if (sgc_listmod_lookup(m) < 0 || !modifiable_op(o)) return false;
    char norm[32];
    snprintf(norm, sizeof norm, "%s %s", op, m);
    free(t);
    *comp = strdup(norm);
    if (!*comp) abort();
    return true;
}

bool sgc_ld_validate_exception(sgc_ld *ld, sgc_exception *ex)
{
    sgc_ruleset *rs = ld->rs;
    if (!ex->comps_given && !ex->comps) { /* defaults */
        ex->ncomps = ex->fields_is_list ? ex->nfields : 1;
        ex->comps = calloc((size_t)ex->ncomps + 1, sizeof(char *));
        ex->comp_pos = calloc((size_t)ex->ncomps + 1, sizeof(sgc_pos));
        for (int i = 0; i < ex->ncomps; i++) {
            ex->comps[i] = strdup(ex->fields_is_list ? "=" : "in");
            ex->comp_pos[i] = i < ex->nfields ? ex->field_pos[i] : ex->pos;
        }
        ex->comps_is_list = ex->fields_is_list;
    }
    sgc_pos cpos = ex->comps_given ? ex->comps_pos : ex->pos;
    if (ex->fields_is_list) {
        if (!ex->comps_is_list || ex->ncomps != ex->nfields) {
            ex_diag(rs, cpos, "Fields and comps lists must have equal length (exception '%s')",
                    ex->name);
            return false;
        }
        for (int i = 0; i < ex->ncomps; i++)
            if (!normalize_comp(&ex->comps[i], ex->comp_pos ? &ex->comp_pos[i] : NULL)) {
                ex_diag(rs, ex->comp_pos[i], "'%s' is not a supported comparison operator",
                        ex->comps[i]);
                return false;
            }
        for (int i = 0; i < ex->nvalues; i++)
            if (!ex->tuple_is_list[i] || ex->nvalues_per_tuple[i] != ex->nfields) {
                ex_diag(rs, ex->tuple_pos[i],
                        "Fields and values lists must have equal length (exception '%s')",
                        ex->name);
                return false;
            }
    } else {
        if (ex->comps_is_list) {
            ex_diag(rs, cpos, "Fields and comps must both be strings (exception '%s')", ex->name);
            return false;
        }
        normalize_comp(&ex->comps[0], ex->comp_pos ? &ex->comp_pos[0] : NULL);
        if (!is_list_op(ex->comps[0])) {
            ex_diag(rs, ex->comp_pos[0],
                    "When fields is a single value, comps must be one of (in, pmatch, intersects), "
                    "not '%s'",
                    ex->comps[0]);
            return false;
        }
        for (int i = 0; i < ex->nvalues; i++)
            if (ex->tuple_is_list[i]) {
                ex_diag(rs, ex->tuple_pos[i],
                        "Expected values array to contain a list of strings (exception '%s' has a "
                        "single field)",
                        ex->name);
                return false;
            }
    }
    return true;
}

/* ---- the condition text, with each byte mapped to the YAML it came from ---- */

typedef struct {
    char *t;
    int *l, *c;
    const char **f;
    size_t n, cap;
} tbuf;

static void put(tbuf *b, const char *s, size_t n, sgc_pos p, bool advance)
{
    while (b->n + n + 1 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->t = realloc(b->t, b->cap);
        b->l = realloc(b->l, b->cap * sizeof *b->l);
        b->c = realloc(b->c, b->cap * sizeof *b->c);
        b->f = realloc(b->f, b->cap * sizeof *b->f);
    }
    for (size_t i = 0; i < n; i++) {
        b->t[b->n] = s[i];
        b->l[b->n] = p.line;
        b->c[b->n] = p.col + (advance ? (int)i : 0);
        b->f[b->n] = p.file;
        b->n++;
    }
}

static void puts_(tbuf *b, const char *s, sgc_pos p) { put(b, s, strlen(s), p, false); }

/* Falco pastes values into the condition text, quoting those with spaces. */
static void put_value(tbuf *b, const char *v, sgc_pos p)
{
    if (strchr(v, ' ') && v[0] != '"' && v[0] != '\'') {
        puts_(b, "\"", p);
        for (size_t i = 0; v[i]; i++) {
            sgc_pos q = p;
            q.col += (int)i;
            if (v[i] == '"' || v[i] == '\\') put(b, "\\", 1, q, false);
            put(b, v + i, 1, q, false);
        }
        puts_(b, "\"", p);
    } else {
        put(b, v, strlen(v), p, true);
    }
}

static void put_list(tbuf *b, const struct sgc_exc_value *v)
{
    puts_(b, "(", v->pos);
    for (int i = 0; i < v->nitems; i++) {
        if (i) puts_(b, ", ", v->item_pos[i]);
        put_value(b, v->items[i], v->item_pos[i]);
    }
    puts_(b, ")", v->pos);
}

static void put_exception(tbuf *b, const sgc_exception *ex)
{
    if (ex->nvalues == 0 || ex->nfields == 0 || ex->ncomps < (ex->fields_is_list ? ex->nfields : 1))
        return;
    if (b->n) puts_(b, " and ", ex->pos);
    puts_(b, "not (", ex->pos);
    if (!ex->fields_is_list) {
        put(b, ex->fields[0], strlen(ex->fields[0]), ex->field_pos[0], true);
        puts_(b, " ", ex->pos);
        put(b, ex->comps[0], strlen(ex->comps[0]), ex->comp_pos[0], true);
        puts_(b, " (", ex->pos);
        for (int i = 0; i < ex->nvalues; i++) {
            if (i) puts_(b, ", ", ex->tuple_pos[i]);
            put_value(b, ex->values[i][0].items[0], ex->values[i][0].pos);
        }
        puts_(b, "))", ex->pos);
        return;
    }
    for (int i = 0; i < ex->nvalues; i++) {
        if (i) puts_(b, " or ", ex->tuple_pos[i]);
        puts_(b, "(", ex->tuple_pos[i]);
        for (int k = 0; k < ex->nfields && k < ex->nvalues_per_tuple[i]; k++) {
            const struct sgc_exc_value *v = &ex->values[i][k];
            if (k) puts_(b, " and ", v->pos);
            put(b, ex->fields[k], strlen(ex->fields[k]), ex->field_pos[k], true);
            puts_(b, " ", v->pos);
            put(b, ex->comps[k], strlen(ex->comps[k]), ex->comp_pos[k], true);
            puts_(b, " ", v->pos);
            if (v->is_list)
                put_list(b, v);
            else if ((is_list_op(ex->comps[k]) || has_modifier(ex->comps[k])) &&
                     v->items[0][0] != '(') {
                puts_(b, "(", v->pos);
                put(b, v->items[0], strlen(v->items[0]), v->pos, true);
                puts_(b, ")", v->pos);
            } else
                put_value(b, v->items[0], v->pos);
        }
        puts_(b, ")", ex->tuple_pos[i]);
    }
    puts_(b, ")", ex->pos);
}

sgc_source *sgc_ld_exceptions_source(sgc_ruleset *rs, const sgc_rule *r)
{
    tbuf b = {0};
    for (int i = 0; i < r->nexceptions; i++) put_exception(&b, &r->exceptions[i]);
    if (!b.n) return NULL;
    sgc_pos endp = {b.f[b.n - 1], b.l[b.n - 1], b.c[b.n - 1] + 1};
    put(&b, "", 1, endp, false); /* room for the end entry */
    b.n--;
    sgc_source *s = sgc_source_new(r->pos.file, b.t, b.n);
    s->line_of = b.l;
    s->col_of = b.c;
    s->file_of = b.f;
    free(b.t);
    sgc_ld_own_source(rs, s);
    return s;
}
