/* See cnode.h. Built on libyaml's document API; positions are byte columns
 * (compiler/yamlmap.h converts libyaml's character marks). */
#include "cnode.h"

#include "yamlmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Aliases can make a document a graph (even a cycle): the tree copy stops
 * at this depth and this many nodes. */
#define MAX_DEPTH 64
#define MAX_NODES 200000

sgc_cnode *sgc_cnode_new(sgc_cn_kind kind, const char *file, int line, int col)
{
    sgc_cnode *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->file = file;
    n->line = line;
    n->col = col;
    return n;
}

void sgc_cnode_free(sgc_cnode *n)
{
    if (!n) return;
    for (int i = 0; i < n->n; i++) {
        if (n->keys) sgc_cnode_free(n->keys[i]);
        sgc_cnode_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->str);
    free(n);
}

static int grow(sgc_cnode *n)
{
    if (n->n < n->cap) return 0;
    int cap = n->cap ? n->cap * 2 : 8;
    sgc_cnode **v = realloc(n->vals, (size_t)cap * sizeof *v);
    if (!v) return -1;
    n->vals = v;
    if (n->kind == SGC_CN_MAP) {
        sgc_cnode **k = realloc(n->keys, (size_t)cap * sizeof *k);
        if (!k) return -1;
        n->keys = k;
    }
    n->cap = cap;
    return 0;
}

int sgc_cnode_seq_push(sgc_cnode *seq, sgc_cnode *item)
{
    if (grow(seq) != 0) return -1;
    seq->vals[seq->n++] = item;
    return 0;
}

static int find(const sgc_cnode *map, const char *key)
{
    if (!map || map->kind != SGC_CN_MAP) return -1;
    for (int i = map->n - 1; i >= 0; i--)
        if (!strcmp(map->keys[i]->str, key)) return i;
    return -1;
}

sgc_cnode *sgc_cnode_get(const sgc_cnode *map, const char *key)
{
    int i = find(map, key);
    return i < 0 ? NULL : map->vals[i];
}

int sgc_cnode_map_set(sgc_cnode *map, const char *key, sgc_cnode *val)
{
    int i = find(map, key);
    if (i >= 0) {
        sgc_cnode_free(map->vals[i]);
        map->vals[i] = val;
        return 0;
    }
    sgc_cnode *k = sgc_cnode_new(SGC_CN_SCALAR, val->file, val->line, val->col);
    if (!k || !(k->str = strdup(key)) || grow(map) != 0) {
        sgc_cnode_free(k);
        return -1;
    }
    map->keys[map->n] = k;
    map->vals[map->n++] = val;
    return 0;
}

void sgc_cnode_map_del(sgc_cnode *map, const char *key)
{
    int i = find(map, key);
    if (i < 0) return;
    sgc_cnode_free(map->keys[i]);
    sgc_cnode_free(map->vals[i]);
    memmove(map->keys + i, map->keys + i + 1, (size_t)(map->n - i - 1) * sizeof *map->keys);
    memmove(map->vals + i, map->vals + i + 1, (size_t)(map->n - i - 1) * sizeof *map->vals);
    map->n--;
}

sgc_cnode *sgc_cnode_dup(const sgc_cnode *n)
{
    if (!n) return NULL;
    sgc_cnode *c = sgc_cnode_new(n->kind, n->file, n->line, n->col);
    if (!c) return NULL;
    c->quoted = n->quoted;
    if (n->str && !(c->str = strdup(n->str))) goto oom;
    for (int i = 0; i < n->n; i++) {
        if (grow(c) != 0) goto oom;
        c->vals[c->n] = sgc_cnode_dup(n->vals[i]);
        if (n->kind == SGC_CN_MAP) c->keys[c->n] = sgc_cnode_dup(n->keys[i]);
        c->n++;
        if (!c->vals[c->n - 1] || (n->kind == SGC_CN_MAP && !c->keys[c->n - 1])) goto oom;
    }
    return c;
oom:
    sgc_cnode_free(c);
    return NULL;
}

bool sgc_cnode_is_null(const sgc_cnode *n)
{
    if (!n || n->kind == SGC_CN_NULL) return true;
    if (n->kind != SGC_CN_SCALAR || n->quoted) return false;
    return !n->str[0] || !strcmp(n->str, "~") || !strcasecmp(n->str, "null");
}

typedef struct conv {
    yaml_document_t *doc;
    const sgc_yfile *yf;
    const char *name;
    int line0, col0; /* offsets for -o values */
    int nodes;
    sgc_diags *d;
    bool failed;
} conv;

static void pos(const conv *cv, yaml_mark_t m, int *line, int *col)
{
    sgc_yfile_pos(cv->yf, sgc_yfile_mark_byte(cv->yf, m), line, col);
    *line += cv->line0;
    *col += cv->col0;
}

static sgc_cnode *convert(conv *cv, yaml_node_t *yn, int depth)
{
    int line, col;
    pos(cv, yn->start_mark, &line, &col);
    if (depth > MAX_DEPTH || ++cv->nodes > MAX_NODES) {
        if (!cv->failed)
            sgc_diag_add(cv->d, SGC_SEV_ERROR, "SGC_CONFIG_YAML", cv->name, line, col,
                         "the document nests or repeats (aliases) too deeply");
        cv->failed = true;
        return NULL;
    }
    sgc_cn_kind kind = yn->type == YAML_MAPPING_NODE    ? SGC_CN_MAP
                       : yn->type == YAML_SEQUENCE_NODE ? SGC_CN_SEQ
                                                        : SGC_CN_SCALAR;
    sgc_cnode *n = sgc_cnode_new(kind, cv->name, line, col);
    if (!n) return NULL;
    if (kind == SGC_CN_SCALAR) {
        n->str = strndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
        n->quoted = yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        if (!n->str) goto fail;
    } else if (kind == SGC_CN_SEQ) {
        for (yaml_node_item_t *it = yn->data.sequence.items.start; it < yn->data.sequence.items.top;
             it++) {
            sgc_cnode *c = convert(cv, yaml_document_get_node(cv->doc, *it), depth + 1);
            if (!c || sgc_cnode_seq_push(n, c) != 0) {
                sgc_cnode_free(c);
                goto fail;
            }
        }
    } else {
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; p < yn->data.mapping.pairs.top;
             p++) {
            sgc_cnode *k = convert(cv, yaml_document_get_node(cv->doc, p->key), depth + 1);
            sgc_cnode *v = convert(cv, yaml_document_get_node(cv->doc, p->value), depth + 1);
            if (!k || !v) {
                sgc_cnode_free(k);
                sgc_cnode_free(v);
                goto fail;
            }
            if (k->kind != SGC_CN_SCALAR) {
                sgc_diag_add(cv->d, SGC_SEV_ERROR, "SGC_CONFIG_YAML", cv->name, k->line, k->col,
                             "a key must be a plain name, not a %s",
                             k->kind == SGC_CN_MAP ? "map" : "list");
                cv->failed = true;
                sgc_cnode_free(k);
                sgc_cnode_free(v);
                goto fail;
            }
            int i = find(n, k->str);
            if (i >= 0) { /* written twice: the later one wins */
                sgc_cnode_free(n->keys[i]);
                sgc_cnode_free(n->vals[i]);
                n->keys[i] = k;
                n->vals[i] = v;
            } else if (grow(n) != 0) {
                sgc_cnode_free(k);
                sgc_cnode_free(v);
                goto fail;
            } else {
                n->keys[n->n] = k;
                n->vals[n->n++] = v;
            }
        }
    }
    return n;
fail:
    sgc_cnode_free(n);
    return NULL;
}

static sgc_cnode *parse(const char *name, const char *buf, size_t len, int line0, int col0,
                        bool empty_is_map, sgc_diags *d)
{
    sgc_yfile yf;
    sgc_yfile_init(&yf, name, buf, len);
    yaml_parser_t p;
    yaml_document_t doc;
    sgc_cnode *root = NULL;
    if (!yaml_parser_initialize(&p)) {
        sgc_yfile_free(&yf);
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    conv cv = {.doc = &doc, .yf = &yf, .name = name, .line0 = line0, .col0 = col0, .d = d};
    if (!yaml_parser_load(&p, &doc)) {
        int line, col;
        pos(&cv, p.problem_mark, &line, &col);
        sgc_diag_add(d, SGC_SEV_ERROR, "SGC_CONFIG_YAML", name, line, col, "invalid YAML: %s%s%s",
                     p.problem ? p.problem : "syntax error", p.context ? " " : "",
                     p.context ? p.context : "");
        yaml_parser_delete(&p);
        sgc_yfile_free(&yf);
        return NULL;
    }
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (!top) {
        /* nothing: an empty map (a file) or an empty plain scalar (a value) */
        root = sgc_cnode_new(empty_is_map ? SGC_CN_MAP : SGC_CN_SCALAR, name, line0 + 1, col0 + 1);
        if (root && !empty_is_map && !(root->str = strdup(""))) {
            sgc_cnode_free(root);
            root = NULL;
        }
    } else {
        root = convert(&cv, top, 0);
        if (!root && !cv.failed)
            sgc_diag_add(d, SGC_SEV_ERROR, "SGC_CONFIG_YAML", name, 1, 1, "out of memory");
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    sgc_yfile_free(&yf);
    return root;
}

sgc_cnode *sgc_cnode_parse(const char *name, const char *buf, size_t len, sgc_diags *d)
{
    return parse(name, buf, len, 0, 0, true, d);
}

sgc_cnode *sgc_cnode_parse_value(const char *name, const char *text, int col0, sgc_diags *d)
{
    return parse(name, text, strlen(text), 0, col0, false, d);
}
