/* Reading Talon-format playbook files into rp_playbook: items, keys, types,
 * with a positioned diagnostic for each problem. Overrides (an item named like
 * an earlier one) merge into the earlier item. Semantic checks of actionners
 * and parameters are in playbook_finish.c. */
#include "playbook.h"
#include "playbook_yaml.h"

#include <stdlib.h>
#include <string.h>

#define CODE "RESPOND_PLAYBOOK"

void rp_playbook_init(rp_playbook *pb)
{
    memset(pb, 0, sizeof *pb);
    sgc_diags_init(&pb->diags);
}

static void free_strv(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void action_free(rp_action *a)
{
    free(a->name);
    free(a->actionner);
    json_decref(a->params);
}

static void rule_free(rp_rule *r)
{
    free(r->name);
    free_strv(r->match_rules, r->nmatch_rules);
    free(r->match_rules_pos);
    for (int i = 0; i < r->ntags; i++) free_strv(r->tags[i].v, r->tags[i].n);
    free(r->tags);
    for (int i = 0; i < r->nfields; i++) {
        for (int j = 0; j < r->fields[i].n; j++) {
            free(r->fields[i].v[j].field);
            free(r->fields[i].v[j].value);
        }
        free(r->fields[i].v);
    }
    free(r->fields);
    free(r->source);
    for (int i = 0; i < r->nactions; i++) action_free(&r->actions[i]);
    free(r->actions);
    free_strv(r->notifiers, r->nnotifiers);
}

void rp_playbook_free(rp_playbook *pb)
{
    for (int i = 0; i < pb->ndefs; i++) action_free(&pb->defs[i]);
    free(pb->defs);
    for (int i = 0; i < pb->nrules; i++) rule_free(&pb->rules[i]);
    free(pb->rules);
    free_strv(pb->files, pb->nfiles);
    sgc_diags_free(&pb->diags);
    memset(pb, 0, sizeof *pb);
}

static const char *intern_file(rp_playbook *pb, const char *path)
{
    for (int i = 0; i < pb->nfiles; i++)
        if (!strcmp(pb->files[i], path)) return pb->files[i];
    char **nv = realloc(pb->files, (size_t)(pb->nfiles + 1) * sizeof *nv);
    if (!nv) return path;
    pb->files = nv;
    pb->files[pb->nfiles] = strdup(path);
    return pb->files[pb->nfiles++];
}

static rp_pos pos_of(rp_ydoc *d, const yaml_node_t *n)
{
    rp_pos p = {d->file, 0, 0};
    rp_ypos(d, n, &p.line, &p.col);
    return p;
}

/* A key's value must be a boolean: 1/0, -1 absent; -2 after an error. */
static int bool_key(rp_ydoc *d, const yaml_node_t *map, const char *key)
{
    yaml_node_t *v = rp_yget(d, map, key, NULL);
    if (!v) return -1;
    int b = rp_ybool(v);
    if (b < 0) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, v, "'%s' must be true or false", key);
        return -2;
    }
    return b;
}

static bool check_keys(rp_ydoc *d, const yaml_node_t *map, const char *const *known,
                       const char *what, const char *name)
{
    bool ok = true;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = rp_ynode(d, p->key);
        const char *ks = rp_ystr(k);
        bool found = false;
        for (int i = 0; ks && known[i]; i++) found |= !strcmp(ks, known[i]);
        if (!found) {
            rp_ydiag(d, SGC_SEV_ERROR, CODE, k, "unknown key '%s' in %s '%s'", ks ? ks : "?", what,
                     name);
            ok = false;
        }
    }
    return ok;
}

/* Fields of an action item (a definition or a rule's use), into a. */
static bool read_action_body(rp_ydoc *d, const yaml_node_t *m, rp_action *a, const char *name)
{
    int before = d->errors;
    yaml_node_t *an = rp_yget(d, m, "actionner", NULL);
    if (an) {
        const char *s = rp_ystr(an);
        if (!s || !*s)
            rp_ydiag(d, SGC_SEV_ERROR, CODE, an, "'actionner' must be a non-empty string");
        else {
            a->actionner = strdup(s);
            a->actionner_pos = pos_of(d, an);
        }
    }
    yaml_node_t *pn = rp_yget(d, m, "parameters", NULL);
    if (pn && pn->type != YAML_MAPPING_NODE && !(rp_yis_scalar(pn) && !*rp_ystr(pn)))
        rp_ydiag(d, SGC_SEV_ERROR, CODE, pn, "'parameters' of action '%s' must be a mapping", name);
    else if (pn && pn->type == YAML_MAPPING_NODE) {
        json_t *j = rp_yjson(d, pn);
        json_object_update(a->params, j);
        json_decref(j);
    }
    int c = bool_key(d, m, "continue");
    if (c >= 0) a->cont = c;
    int ie = bool_key(d, m, "ignore_errors");
    if (ie >= 0) a->ignore_errors = ie;
    yaml_node_t *desc = rp_yget(d, m, "description", NULL);
    if (desc && !rp_yis_scalar(desc))
        rp_ydiag(d, SGC_SEV_ERROR, CODE, desc, "'description' must be a string");
    return d->errors == before;
}

static const char *const action_keys[] = {
    "action",      "actionner",           "parameters", "continue", "ignore_errors",
    "description", "additional_contexts", "output",     NULL};

static rp_action *find_def(rp_playbook *pb, const char *name)
{
    for (int i = 0; i < pb->ndefs; i++)
        if (!strcmp(pb->defs[i].name, name)) return &pb->defs[i];
    return NULL;
}

static rp_rule *find_rule(rp_playbook *pb, const char *name)
{
    for (int i = 0; i < pb->nrules; i++)
        if (!strcmp(pb->rules[i].name, name)) return &pb->rules[i];
    return NULL;
}

static void action_init(rp_action *a, const char *name, rp_pos pos)
{
    memset(a, 0, sizeof *a);
    a->name = strdup(name);
    a->pos = pos;
    a->params = json_object();
    a->cont = -1;
    a->ignore_errors = -1;
}

/* Merge src's given keys over dst (an override). */
static void action_merge(rp_action *dst, rp_action *src)
{
    if (src->actionner) {
        free(dst->actionner);
        dst->actionner = src->actionner;
        dst->actionner_pos = src->actionner_pos;
        src->actionner = NULL;
    }
    json_object_update(dst->params, src->params);
    if (src->cont >= 0) dst->cont = src->cont;
    if (src->ignore_errors >= 0) dst->ignore_errors = src->ignore_errors;
}

static void load_action_def(rp_playbook *pb, rp_ydoc *d, const yaml_node_t *m,
                            const yaml_node_t *nn)
{
    const char *name = rp_ystr(nn);
    if (!name || !*name) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, nn, "'action' must be a non-empty string");
        return;
    }
    check_keys(d, m, action_keys, "action", name);
    rp_action a;
    action_init(&a, name, pos_of(d, nn));
    if (!read_action_body(d, m, &a, name)) {
        action_free(&a);
        return;
    }
    rp_action *old = find_def(pb, name);
    if (old) {
        action_merge(old, &a);
        action_free(&a);
        return;
    }
    rp_action *nv = realloc(pb->defs, (size_t)(pb->ndefs + 1) * sizeof *nv);
    if (!nv) {
        action_free(&a);
        return;
    }
    pb->defs = nv;
    pb->defs[pb->ndefs++] = a;
}

/* A list of strings into v and cnt; false after a diagnostic. */
static bool str_list(rp_ydoc *d, const yaml_node_t *n, const char *key, char ***v, int *cnt,
                     rp_pos **posv)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, n, "'%s' must be a list of strings", key);
        return false;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = rp_ynode(d, *it);
        const char *s = rp_ystr(e);
        if (!s || !*s) {
            rp_ydiag(d, SGC_SEV_ERROR, CODE, e, "'%s' must be a list of strings", key);
            return false;
        }
        char **nv = realloc(*v, (size_t)(*cnt + 1) * sizeof *nv);
        if (!nv) return false;
        *v = nv;
        if (posv) {
            rp_pos *np = realloc(*posv, (size_t)(*cnt + 1) * sizeof *np);
            if (!np) return false;
            *posv = np;
            (*posv)[*cnt] = pos_of(d, e);
        }
        (*v)[(*cnt)++] = strdup(s);
    }
    return true;
}

static void split_tags(const char *s, rp_titem *t)
{
    char *copy = strdup(s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t') tok++;
        size_t l = strlen(tok);
        while (l && (tok[l - 1] == ' ' || tok[l - 1] == '\t')) tok[--l] = 0;
        if (!l) continue;
        char **nv = realloc(t->v, (size_t)(t->n + 1) * sizeof *nv);
        if (!nv) break;
        t->v = nv;
        t->v[t->n++] = strdup(tok);
    }
    free(copy);
}

static const char *const match_keys[] = {"rules",         "priority", "tags",
                                         "output_fields", "source",   NULL};

static bool load_match(rp_ydoc *d, const yaml_node_t *m, rp_rule *r)
{
    int before = d->errors;
    if (m->type != YAML_MAPPING_NODE) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, m, "'match' of rule '%s' must be a mapping", r->name);
        return false;
    }
    check_keys(d, m, match_keys, "match of rule", r->name);
    yaml_node_t *n = rp_yget(d, m, "rules", NULL);
    if (n) str_list(d, n, "rules", &r->match_rules, &r->nmatch_rules, &r->match_rules_pos);
    if ((n = rp_yget(d, m, "priority", NULL))) {
        const char *s = rp_ystr(n);
        if (!s || !rp_parse_priority(s, &r->prio_cmp, &r->prio))
            rp_ydiag(
                d, SGC_SEV_ERROR, CODE, n,
                "invalid priority '%s' (a Falco priority, optionally after ==, !=, <, <=, >, >=)",
                s ? s : "?");
    }
    if ((n = rp_yget(d, m, "tags", NULL))) {
        char **v = NULL;
        int cnt = 0;
        if (str_list(d, n, "tags", &v, &cnt, NULL)) {
            r->tags = calloc((size_t)cnt + 1, sizeof *r->tags);
            for (int i = 0; i < cnt && r->tags; i++) split_tags(v[i], &r->tags[r->ntags++]);
        }
        free_strv(v, cnt);
    }
    if ((n = rp_yget(d, m, "output_fields", NULL))) {
        if (n->type != YAML_SEQUENCE_NODE) {
            rp_ydiag(d, SGC_SEV_ERROR, CODE, n, "'output_fields' must be a list of strings");
        } else {
            int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
            r->fields = calloc((size_t)cnt + 1, sizeof *r->fields);
            for (yaml_node_item_t *it = n->data.sequence.items.start;
                 r->fields && it < n->data.sequence.items.top; it++) {
                yaml_node_t *e = rp_ynode(d, *it);
                const char *s = rp_ystr(e);
                size_t off = 0;
                const char *err = "expected a string";
                rp_fitem *fi = &r->fields[r->nfields];
                if (!s || !rp_parse_fitem(s, fi, &off, &err)) {
                    int line, col;
                    rp_ypos(d, e, &line, &col);
                    /* plain scalars map byte for byte onto the line */
                    if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && s) col += (int)off;
                    sgc_diag_add(d->diags, SGC_SEV_ERROR, CODE, d->file, line, col,
                                 "invalid output_fields condition '%s': %s", s ? s : "?", err);
                    d->errors++;
                    continue;
                }
                fi->pos = pos_of(d, e);
                r->nfields++;
            }
        }
    }
    if ((n = rp_yget(d, m, "source", NULL))) {
        const char *s = rp_ystr(n);
        if (!s || !*s)
            rp_ydiag(d, SGC_SEV_ERROR, CODE, n, "'source' must be a non-empty string");
        else
            r->source = strdup(s);
    }
    return d->errors == before;
}

static const char *const rule_keys[] = {"rule",     "description", "match",     "actions",
                                        "continue", "dry_run",     "notifiers", NULL};

static void load_rule_actions(rp_ydoc *d, const yaml_node_t *n, rp_rule *r)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, n, "'actions' of rule '%s' must be a list", r->name);
        return;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = rp_ynode(d, *it);
        yaml_node_t *nn = e && e->type == YAML_MAPPING_NODE ? rp_yget(d, e, "action", NULL) : NULL;
        const char *name = rp_ystr(nn);
        if (!name || !*name) {
            rp_ydiag(d, SGC_SEV_ERROR, CODE, nn ? nn : e,
                     "each entry of 'actions' must be a mapping with a non-empty 'action'");
            continue;
        }
        check_keys(d, e, action_keys, "action", name);
        rp_action a;
        action_init(&a, name, pos_of(d, nn));
        if (!read_action_body(d, e, &a, name)) {
            action_free(&a);
            continue;
        }
        rp_action *nv = realloc(r->actions, (size_t)(r->nactions + 1) * sizeof *nv);
        if (!nv) {
            action_free(&a);
            return;
        }
        r->actions = nv;
        r->actions[r->nactions++] = a;
    }
}

static void rule_merge(rp_rule *dst, rp_rule *src, const yaml_node_t *m, rp_ydoc *d)
{
    /* keys the override gives replace the earlier ones */
#define TAKE(field, cnt)                                                                           \
    do {                                                                                           \
        rp_rule tmp = *dst;                                                                        \
        dst->field = src->field;                                                                   \
        dst->cnt = src->cnt;                                                                       \
        src->field = tmp.field;                                                                    \
        src->cnt = tmp.cnt;                                                                        \
    } while (0)
    yaml_node_t *match = rp_yget(d, m, "match", NULL);
    if (match && rp_yget(d, match, "rules", NULL)) {
        TAKE(match_rules, nmatch_rules);
        rp_pos *tp = dst->match_rules_pos;
        dst->match_rules_pos = src->match_rules_pos;
        src->match_rules_pos = tp;
    }
    if (match && rp_yget(d, match, "priority", NULL)) {
        dst->prio_cmp = src->prio_cmp;
        dst->prio = src->prio;
    }
    if (match && rp_yget(d, match, "tags", NULL)) TAKE(tags, ntags);
    if (match && rp_yget(d, match, "output_fields", NULL)) TAKE(fields, nfields);
    if (match && rp_yget(d, match, "source", NULL)) {
        char *t = dst->source;
        dst->source = src->source;
        src->source = t;
    }
    if (rp_yget(d, m, "actions", NULL)) TAKE(actions, nactions);
    if (rp_yget(d, m, "notifiers", NULL)) TAKE(notifiers, nnotifiers);
    if (rp_yget(d, m, "continue", NULL)) dst->cont = src->cont;
    if (src->dry_run >= 0) dst->dry_run = src->dry_run;
#undef TAKE
}

static void load_rule(rp_playbook *pb, rp_ydoc *d, const yaml_node_t *m, const yaml_node_t *nn)
{
    const char *name = rp_ystr(nn);
    if (!name || !*name) {
        rp_ydiag(d, SGC_SEV_ERROR, CODE, nn, "'rule' must be a non-empty string");
        return;
    }
    int before = d->errors;
    check_keys(d, m, rule_keys, "rule", name);
    rp_rule r = {.name = strdup(name), .pos = pos_of(d, nn), .cont = true, .dry_run = -1};
    rp_rule *old = find_rule(pb, name);
    yaml_node_t *n = rp_yget(d, m, "match", NULL);
    if (n)
        load_match(d, n, &r);
    else if (!old)
        rp_ydiag(d, SGC_SEV_ERROR, CODE, nn, "rule '%s' has no 'match'", name);
    n = rp_yget(d, m, "actions", NULL);
    if (n) load_rule_actions(d, n, &r);
    if ((!n || (!r.nactions && n->type == YAML_SEQUENCE_NODE)) && !old)
        rp_ydiag(d, SGC_SEV_ERROR, CODE, n ? n : nn, "rule '%s' has no actions", name);
    int c = bool_key(d, m, "continue");
    if (c >= 0) r.cont = c;
    int dr = bool_key(d, m, "dry_run");
    if (dr >= 0) r.dry_run = dr;
    if ((n = rp_yget(d, m, "notifiers", NULL)))
        str_list(d, n, "notifiers", &r.notifiers, &r.nnotifiers, NULL);
    if ((n = rp_yget(d, m, "description", NULL)) && !rp_yis_scalar(n))
        rp_ydiag(d, SGC_SEV_ERROR, CODE, n, "'description' must be a string");
    if (d->errors != before) {
        rule_free(&r);
        return;
    }
    if (old) {
        rule_merge(old, &r, m, d);
        rule_free(&r);
        return;
    }
    rp_rule *nv = realloc(pb->rules, (size_t)(pb->nrules + 1) * sizeof *nv);
    if (!nv) {
        rule_free(&r);
        return;
    }
    pb->rules = nv;
    pb->rules[pb->nrules++] = r;
}

int rp_playbook_load(rp_playbook *pb, const char *path, const char *text, size_t len)
{
    rp_ydoc d;
    const char *file = intern_file(pb, path);
    if (!rp_ydoc_open(&d, file, text, len, &pb->diags)) {
        int e = d.errors;
        rp_ydoc_close(&d);
        return e;
    }
    yaml_node_t *root = rp_ydoc_root(&d);
    if (root && !(root->type == YAML_SCALAR_NODE && !*rp_ystr(root))) {
        if (root->type != YAML_SEQUENCE_NODE) {
            rp_ydiag(&d, SGC_SEV_ERROR, CODE, root,
                     "a playbook file is a list of actions and rules");
        } else {
            for (yaml_node_item_t *it = root->data.sequence.items.start;
                 it < root->data.sequence.items.top; it++) {
                yaml_node_t *m = rp_ynode(&d, *it);
                yaml_node_t *an = NULL, *rn = NULL;
                if (m && m->type == YAML_MAPPING_NODE) {
                    an = rp_yget(&d, m, "action", NULL);
                    rn = rp_yget(&d, m, "rule", NULL);
                }
                if (an && rn)
                    rp_ydiag(&d, SGC_SEV_ERROR, CODE, m,
                             "an item is either an action or a rule, not both");
                else if (an)
                    load_action_def(pb, &d, m, an);
                else if (rn)
                    load_rule(pb, &d, m, rn);
                else
                    rp_ydiag(&d, SGC_SEV_ERROR, CODE, m,
                             "each item must be a mapping with an 'action' or a 'rule' key");
            }
        }
    }
    int e = d.errors;
    rp_ydoc_close(&d);
    return e;
}
