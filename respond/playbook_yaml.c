/* YAML helpers for the respond/ loaders: parsing with positions, lookups,
 * typed scalars, conversion to JSON, positioned diagnostics. */
#include "playbook_yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *read_file(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        *err = ENOMEM;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

bool rp_ydoc_open(rp_ydoc *d, const char *file, const char *text, size_t len, sgc_diags *diags)
{
    memset(d, 0, sizeof *d);
    d->file = file;
    d->diags = diags;
    if (text) {
        d->buf = malloc(len + 1);
        if (!d->buf) return false;
        memcpy(d->buf, text, len);
        d->buf[len] = 0;
        d->len = len;
    } else {
        int err = 0;
        d->buf = read_file(file, &d->len, &err);
        if (!d->buf) {
            sgc_diag_add(diags, SGC_SEV_ERROR, "RESPOND_FILE", file, 0, 0, "cannot read: %s",
                         strerror(err));
            d->errors++;
            return false;
        }
    }
    sgc_yfile_init(&d->yf, file, d->buf, d->len);
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)d->buf, d->len);
    if (!yaml_parser_load(&p, &d->doc)) {
        int line = 0, col = 0;
        sgc_yfile_pos(&d->yf, sgc_yfile_mark_byte(&d->yf, p.problem_mark), &line, &col);
        sgc_diag_add(diags, SGC_SEV_ERROR, "RESPOND_YAML", file, line, col, "invalid YAML: %s%s%s",
                     p.problem ? p.problem : "parse error", p.context ? " " : "",
                     p.context ? p.context : "");
        d->errors++;
        yaml_parser_delete(&p);
        return false;
    }
    d->has_doc = true;
    /* a second document is not expected in these files */
    yaml_document_t extra;
    if (yaml_parser_load(&p, &extra)) {
        yaml_node_t *r = yaml_document_get_root_node(&extra);
        if (r) {
            int line = 0, col = 0;
            sgc_yfile_pos(&d->yf, sgc_yfile_mark_byte(&d->yf, r->start_mark), &line, &col);
            sgc_diag_add(diags, SGC_SEV_ERROR, "RESPOND_YAML", file, line, col,
                         "only one YAML document is allowed in the file");
            d->errors++;
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&p);
    return d->errors == 0;
}

void rp_ydoc_close(rp_ydoc *d)
{
    if (d->has_doc) yaml_document_delete(&d->doc);
    sgc_yfile_free(&d->yf);
    free(d->buf);
    memset(d, 0, sizeof *d);
}

yaml_node_t *rp_ydoc_root(rp_ydoc *d)
{
    return d->has_doc ? yaml_document_get_root_node(&d->doc) : NULL;
}

yaml_node_t *rp_ynode(rp_ydoc *d, int id) { return yaml_document_get_node(&d->doc, id); }

yaml_node_t *rp_yget(rp_ydoc *d, const yaml_node_t *map, const char *key, yaml_node_t **keynode)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    yaml_node_t *found = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = rp_ynode(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key)) {
            found = rp_ynode(d, p->value);
            if (keynode) *keynode = k;
        }
    }
    return found;
}

void rp_ypos(rp_ydoc *d, const yaml_node_t *n, int *line, int *col)
{
    *line = *col = 0;
    if (n) sgc_yfile_pos(&d->yf, sgc_yfile_mark_byte(&d->yf, n->start_mark), line, col);
}

void rp_ydiag(rp_ydoc *d, sgc_severity sev, const char *code, const yaml_node_t *at,
              const char *fmt, ...)
{
    int line, col;
    rp_ypos(d, at, &line, &col);
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    sgc_diag_add(d->diags, sev, code, d->file, line, col, "%s", msg ? msg : "?");
    free(msg);
    if (sev == SGC_SEV_ERROR) d->errors++;
}

bool rp_yis_scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE; }

const char *rp_ystr(const yaml_node_t *n)
{
    return rp_yis_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

int rp_ybool(const yaml_node_t *n)
{
    const char *s = rp_ystr(n);
    if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return -1;
    if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on")) return 1;
    if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off")) return 0;
    return -1;
}

static json_t *scalar_json(const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return json_string(s);
    int b = rp_ybool(n);
    if (b >= 0) return json_boolean(b);
    if (!*s || !strcmp(s, "~") || !strcmp(s, "null")) return json_null();
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*end && end != s && !errno) return json_integer(v);
    double dv = strtod(s, &end);
    if (!*end && end != s && strspn(s, "0123456789.-+eE") == strlen(s)) return json_real(dv);
    return json_string(s);
}

json_t *rp_yjson(rp_ydoc *d, const yaml_node_t *n)
{
    if (!n) return json_null();
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        json_t *j = scalar_json(n);
        return j ? j : json_null();
    }
    case YAML_SEQUENCE_NODE: {
        json_t *a = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++)
            json_array_append_new(a, rp_yjson(d, rp_ynode(d, *it)));
        return a;
    }
    case YAML_MAPPING_NODE: {
        json_t *o = json_object();
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            const char *k = rp_ystr(rp_ynode(d, p->key));
            if (k) json_object_set_new(o, k, rp_yjson(d, rp_ynode(d, p->value)));
        }
        return o;
    }
    default: return json_null();
    }
}
