/* The sections of sgc.yaml that are more than one scalar: rules
 * (enable/disable), append_output, static_fields,
 * syscall_event_drops.actions, enforce and the shape of config_files. */
#include "config_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a map item with exactly the keys allowed; unknown ones warned */
static bool known_keys(cfg_ctx *x, const char *key, const sgc_cnode *m, const char *const *allowed)
{
    for (int i = 0; i < m->n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++) ok |= !strcmp(*a, m->keys[i]->str);
        if (!ok) cfg_warn(x, m->keys[i], "unknown key '%s.%s' (ignored)", key, m->keys[i]->str);
    }
    return true;
}

static const sgc_cnode *need_map(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (n->kind == SGC_CN_MAP) return n;
    cfg_error(x, n, "%s: expected a map, got %s", key,
              n->kind == SGC_CN_SEQ  ? "a list"
              : sgc_cnode_is_null(n) ? "nothing"
                                     : "a value");
    return NULL;
}

static const sgc_cnode *need_list(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (n->kind == SGC_CN_SEQ) return n;
    if (sgc_cnode_is_null(n)) return n; /* empty */
    cfg_error(x, n, "%s: expected a list, got %s", key,
              n->kind == SGC_CN_MAP ? "a map" : "a value");
    return NULL;
}

/* rules:
 *   - disable: {rule: "*"}
 *   - enable: {tag: network} */
int cfg_rules(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (!need_list(x, key, n)) return -1;
    for (int i = 0; i < n->n; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s[%d]", key, i);
        const sgc_cnode *it = need_map(x, k, n->vals[i]);
        if (!it) return -1;
        const sgc_cnode *en = sgc_cnode_get(it, "enable"), *dis = sgc_cnode_get(it, "disable");
        if (it->n != 1 || (!en && !dis)) {
            cfg_error(x, it, "%s: expected one of enable or disable", k);
            return -1;
        }
        const sgc_cnode *sel = en ? en : dis;
        snprintf(k, sizeof k, "%s[%d].%s", key, i, en ? "enable" : "disable");
        if (!need_map(x, k, sel)) return -1;
        const sgc_cnode *rule = sgc_cnode_get(sel, "rule"), *tag = sgc_cnode_get(sel, "tag");
        if (!rule && !tag) {
            cfg_error(x, sel, "%s: expected a rule (name or glob) or a tag", k);
            return -1;
        }
        known_keys(x, k, sel, (const char *const[]){"rule", "tag", NULL});
        sgc_cfg_rule_sel s = {.enable = en != NULL};
        if ((rule && cfg_str(x, k, rule, &s.rule) != 0) ||
            (tag && cfg_str(x, k, tag, &s.tag) != 0)) {
            free(s.rule);
            free(s.tag);
            return -1;
        }
        sgc_cfg_rule_sel *v = realloc(x->c->rules, ((size_t)x->c->nrules + 1) * sizeof *v);
        if (!v) {
            free(s.rule);
            free(s.tag);
            return -1;
        }
        x->c->rules = v;
        v[x->c->nrules++] = s;
    }
    return 0;
}

static int kv_push(sgc_cfg_kv **v, int *n, const char *k, const char *val)
{
    sgc_cfg_kv *nv = realloc(*v, ((size_t)*n + 1) * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    nv[*n].key = strdup(k);
    nv[*n].value = strdup(val);
    (*n)++;
    return nv[*n - 1].key && nv[*n - 1].value ? 0 : -1;
}

/* a map of name: scalar */
static int kv_map(cfg_ctx *x, const char *key, const sgc_cnode *n, sgc_cfg_kv **v, int *nv)
{
    if (sgc_cnode_is_null(n)) return 0;
    if (!need_map(x, key, n)) return -1;
    for (int i = 0; i < n->n; i++) {
        const sgc_cnode *val = n->vals[i];
        if (val->kind != SGC_CN_SCALAR) {
            cfg_error(x, val, "%s.%s: expected a value, got %s", key, n->keys[i]->str,
                      cfg_kind_name(val));
            return -1;
        }
        if (kv_push(v, nv, n->keys[i]->str, val->str) != 0) return -1;
    }
    return 0;
}

int cfg_static_fields(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    return kv_map(x, key, n, &x->c->static_fields, &x->c->nstatic_fields);
}

/* append_output:
 *   - match: {source: syscall, tags: [T, ...], rule: R}
 *     extra_output: "..."
 *     extra_fields: [name, {name: value}]
 *     suggested_output: true */
int cfg_append_output(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (!need_list(x, key, n)) return -1;
    for (int i = 0; i < n->n; i++) {
        char k[96];
        snprintf(k, sizeof k, "%s[%d]", key, i);
        const sgc_cnode *it = need_map(x, k, n->vals[i]);
        if (!it) return -1;
        known_keys(x, k, it,
                   (const char *const[]){"match", "extra_output", "extra_fields",
                                         "suggested_output", NULL});
        sgc_cfg_append *v =
            realloc(x->c->append_output, ((size_t)x->c->nappend_output + 1) * sizeof *v);
        if (!v) return -1;
        x->c->append_output = v;
        sgc_cfg_append *a = &v[x->c->nappend_output++];
        memset(a, 0, sizeof *a);
        const sgc_cnode *m = sgc_cnode_get(it, "match");
        if (m && !sgc_cnode_is_null(m)) {
            char mk[112];
            snprintf(mk, sizeof mk, "%s.match", k);
            if (!need_map(x, mk, m)) return -1;
            known_keys(x, mk, m, (const char *const[]){"source", "tags", "rule", NULL});
            const sgc_cnode *s;
            char tk[128];
            snprintf(tk, sizeof tk, "%s.tags", mk);
            if (((s = sgc_cnode_get(m, "source")) && cfg_str(x, mk, s, &a->match_source)) ||
                ((s = sgc_cnode_get(m, "tags")) && cfg_strlist(x, tk, s, true, &a->match_tags)) ||
                ((s = sgc_cnode_get(m, "rule")) && cfg_str(x, mk, s, &a->match_rule)))
                return -1;
        }
        const sgc_cnode *s;
        char sk[128];
        snprintf(sk, sizeof sk, "%s.extra_output", k);
        if ((s = sgc_cnode_get(it, "extra_output")) && cfg_str(x, sk, s, &a->extra_output))
            return -1;
        snprintf(sk, sizeof sk, "%s.suggested_output", k);
        if ((s = sgc_cnode_get(it, "suggested_output")) && cfg_bool(x, sk, s, &a->suggested_output))
            return -1;
        if ((s = sgc_cnode_get(it, "extra_fields")) && !sgc_cnode_is_null(s)) {
            char fk[112];
            snprintf(fk, sizeof fk, "%s.extra_fields", k);
            if (!need_list(x, fk, s)) return -1;
            for (int j = 0; j < s->n; j++) {
                const sgc_cnode *f = s->vals[j];
                int rc;
                if (f->kind == SGC_CN_SCALAR && !sgc_cnode_is_null(f))
                    rc = kv_push(&a->extra_fields, &a->nextra_fields, f->str, "");
                else if (f->kind == SGC_CN_MAP)
                    rc = kv_map(x, fk, f, &a->extra_fields, &a->nextra_fields);
                else {
                    cfg_error(x, f, "%s[%d]: expected a field name or a map name: value", fk, j);
                    rc = -1;
                }
                if (rc) return -1;
            }
        }
    }
    return 0;
}

int cfg_drop_actions(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    sgc_strlist l = {0};
    if (cfg_strlist(x, key, n, true, &l) != 0) return -1;
    unsigned acts = 0;
    int rc = 0;
    for (int i = 0; i < l.n && !rc; i++) {
        const char *a = l.v[i];
        const sgc_cnode *at = n->kind == SGC_CN_SEQ ? n->vals[i] : n;
        if (!strcmp(a, "log"))
            acts |= SGC_DROP_ACT_LOG;
        else if (!strcmp(a, "alert"))
            acts |= SGC_DROP_ACT_ALERT;
        else if (!strcmp(a, "exit"))
            acts |= SGC_DROP_ACT_EXIT;
        else if (!strcmp(a, "ignore"))
            acts |= SGC_DROP_ACT_IGNORE;
        else {
            cfg_error(x, at, "%s: unknown action '%s' (log, alert, exit, ignore)", key, a);
            rc = -1;
        }
    }
    sgc_strlist_free(&l);
    if (!rc) x->c->syscall_event_drops.actions = acts;
    return rc;
}

/* enforce:
 *   - rule: Terminal shell in container
 *     action: kill          # or audit */
int cfg_enforce(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (!need_list(x, key, n)) return -1;
    for (int i = 0; i < n->n; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s[%d]", key, i);
        const sgc_cnode *it = need_map(x, k, n->vals[i]);
        if (!it) return -1;
        known_keys(x, k, it, (const char *const[]){"rule", "action", NULL});
        const sgc_cnode *r = sgc_cnode_get(it, "rule"), *a = sgc_cnode_get(it, "action");
        if (!r || !a) {
            cfg_error(x, it, "%s: needs both rule and action", k);
            return -1;
        }
        char *rule = NULL, *act = NULL;
        char rk[80], ak[80];
        snprintf(rk, sizeof rk, "%s.rule", k);
        snprintf(ak, sizeof ak, "%s.action", k);
        if (cfg_str(x, rk, r, &rule) || cfg_str(x, ak, a, &act)) {
            free(rule);
            free(act);
            return -1;
        }
        if (strcmp(act, "kill") && strcmp(act, "audit")) {
            cfg_error(x, a, "%s.action: expected kill or audit, got '%s'", k, act);
            free(rule);
            free(act);
            return -1;
        }
        sgc_cfg_enforce *v = realloc(x->c->enforce, ((size_t)x->c->nenforce + 1) * sizeof *v);
        if (!v) {
            free(rule);
            free(act);
            return -1;
        }
        x->c->enforce = v;
        v[x->c->nenforce].rule = rule;
        v[x->c->nenforce++].action = !strcmp(act, "kill") ? SGC_ENFORCE_KILL : SGC_ENFORCE_AUDIT;
        free(act);
    }
    return 0;
}

/* config_files: [path, {path: P, strategy: append|override|add-only}]
 * (read by the loader; only the shape is checked here) */
int cfg_config_files(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    if (!need_list(x, key, n)) return -1;
    for (int i = 0; i < n->n; i++) {
        const sgc_cnode *it = n->vals[i];
        char k[64];
        snprintf(k, sizeof k, "%s[%d]", key, i);
        if (it->kind == SGC_CN_SCALAR && !sgc_cnode_is_null(it)) continue;
        if (it->kind != SGC_CN_MAP || !sgc_cnode_get(it, "path")) {
            cfg_error(x, it, "%s: expected a path or a map with path and strategy", k);
            return -1;
        }
        known_keys(x, k, it, (const char *const[]){"path", "strategy", NULL});
        const sgc_cnode *s = sgc_cnode_get(it, "strategy");
        if (s &&
            (s->kind != SGC_CN_SCALAR || (strcmp(s->str, "append") && strcmp(s->str, "override") &&
                                          strcmp(s->str, "add-only")))) {
            cfg_error(x, s, "%s.strategy: expected append, override or add-only, got '%s'", k,
                      s->kind == SGC_CN_SCALAR ? s->str : "a collection");
            return -1;
        }
    }
    return 0;
}

void cfg_sections_free(sgc_conf *c)
{
    for (int i = 0; i < c->nrules; i++) {
        free(c->rules[i].rule);
        free(c->rules[i].tag);
    }
    free(c->rules);
    for (int i = 0; i < c->nstatic_fields; i++) {
        free(c->static_fields[i].key);
        free(c->static_fields[i].value);
    }
    free(c->static_fields);
    for (int i = 0; i < c->nappend_output; i++) {
        sgc_cfg_append *a = &c->append_output[i];
        free(a->match_source);
        sgc_strlist_free(&a->match_tags);
        free(a->match_rule);
        free(a->extra_output);
        for (int j = 0; j < a->nextra_fields; j++) {
            free(a->extra_fields[j].key);
            free(a->extra_fields[j].value);
        }
        free(a->extra_fields);
    }
    free(c->append_output);
    for (int i = 0; i < c->nenforce; i++) free(c->enforce[i].rule);
    free(c->enforce);
}
