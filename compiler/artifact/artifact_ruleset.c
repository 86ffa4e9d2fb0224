/* Rebuilding a rule set from an artifact's manifest, so the userspace
 * engine and the outputs run unchanged on a machine without the YAML: each
 * stored resolved condition is parsed again with the grammar and type
 * checked, as the front end would have left it. */
#include "artifact.h"
#include "loader.h"
#include "parse.h"
#include "typecheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A text owned by rs. Its positions are offsets inside the text, not in a
 * rules file (the artifact keeps no YAML), hence no file name. */
static sgc_source *own_source(sgc_ruleset *rs, const char *text)
{
    sgc_source *s = sgc_source_new(NULL, text, strlen(text));
    if (s) {
        s->next = rs->sources;
        rs->sources = s;
    }
    return s;
}

static const char *intern_file(sgc_ruleset *rs, const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < rs->nfiles; i++)
        if (!strcmp(rs->files[i], name)) return rs->files[i];
    char **v = realloc(rs->files, sizeof *v * (size_t)(rs->nfiles + 1));
    if (!v) return NULL;
    rs->files = v;
    rs->files[rs->nfiles] = strdup(name);
    return rs->files[rs->nfiles] ? rs->files[rs->nfiles++] : NULL;
}

/* The artifact's named lists, each one shared value (built on first use). */
typedef struct lists_ctx {
    const sgc_artifact *a;
    sgc_value **holders; /* per a->lists[i] */
} lists_ctx;

/* A list's items packed: one pool, offsets, quoted bits (NULL when out of
 * memory); a list read from a file is packed already. */
static sgc_strpack *pack_list(const sgc_artifact_list *l)
{
    if (l->pack) return sgc_strpack_ref(l->pack); /* read from a file: shared */
    size_t total = 0;
    for (int k = 0; k < l->nitems; k++) total += strlen(l->items[k]) + 1;
    sgc_strpack *pk = calloc(1, sizeof *pk);
    if (!pk || total > UINT32_MAX) {
        free(pk);
        return NULL;
    }
    pk->pool = malloc(total ? total : 1);
    pk->off = malloc(sizeof *pk->off * ((size_t)l->nitems + 1));
    pk->quoted = calloc((size_t)l->nitems / 8 + 1, 1);
    if (!pk->pool || !pk->off || !pk->quoted) {
        sgc_strpack_free(pk);
        return NULL;
    }
    uint32_t at = 0;
    for (int k = 0; k < l->nitems; k++) {
        size_t n = strlen(l->items[k]) + 1;
        pk->off[k] = at;
        memcpy(pk->pool + at, l->items[k], n);
        at += (uint32_t)n;
        if (l->quoted && l->quoted[k]) pk->quoted[k / 8] |= (uint8_t)(1u << (k % 8));
    }
    pk->off[l->nitems] = at;
    pk->n = l->nitems;
    return pk;
}

static sgc_value *list_holder(lists_ctx *lc, const char *name)
{
    for (int i = 0; i < lc->a->nlists; i++) {
        const sgc_artifact_list *l = &lc->a->lists[i];
        if (!l->name || strcmp(l->name, name)) continue;
        if (!lc->holders[i]) {
            sgc_strpack *pk = pack_list(l);
            if (!pk) return NULL;
            lc->holders[i] = sgc_value_new_packed((sgc_loc){0}, pk);
            lc->holders[i]->str = strdup(l->name);
        }
        return lc->holders[i];
    }
    return NULL;
}

/* A resolved condition prints the constants true/false as bare words, which
 * the grammar reads back as macro references; after resolution no real
 * macro is left, so any other one means a damaged file. A list reference
 * names one of the artifact's lists (stored once, shared by the rules). */
static int restore_constants(sgc_node *n, lists_ctx *lc, char *err, size_t errlen)
{
    if (n->kind == SGC_N_MACRO) {
        if (strcmp(n->name, "true") && strcmp(n->name, "false")) {
            snprintf(err, errlen, "unexpanded macro '%s'", n->name);
            return -1;
        }
        n->kind = SGC_N_CONST;
        n->const_value = !strcmp(n->name, "true");
        free(n->name);
        n->name = NULL;
        return 0;
    }
    if (n->kind == SGC_N_CHECK && n->rhs && n->rhs->kind == SGC_V_LISTREF) {
        sgc_value *h = list_holder(lc, n->rhs->str);
        if (!h) {
            snprintf(err, errlen, "unexpanded list '%s'", n->rhs->str);
            return -1;
        }
        free(n->rhs->str);
        n->rhs->str = NULL;
        n->rhs->kind = SGC_V_LIST;
        sgc_value_share_items(n->rhs, h);
        return 0;
    }
    for (int i = 0; i < n->nkids; i++)
        if (restore_constants(n->kids[i], lc, err, errlen)) return -1;
    return 0;
}

static sgc_evsource source_of(const sgc_artifact_rule *ar)
{
    int s = sgc_evsource_parse(ar->source);
    return s < 0 ? SGC_SRC_SYSCALL : (sgc_evsource)s;
}

static sgc_node *parse_resolved(sgc_ruleset *rs, const sgc_artifact_rule *ar, lists_ctx *lc,
                                char *err, size_t errlen)
{
    sgc_source *src = own_source(rs, ar->condition);
    if (!src) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_node *n = sgc_parse_condition(src, NULL, &d);
    char why[256] = "";
    if (!n)
        snprintf(why, sizeof why, "%s", d.n ? d.v[0].msg : "syntax error");
    else if (restore_constants(n, lc, why, sizeof why) == 0 &&
             sgc_typecheck_condition_src(n, &d, source_of(ar)) > 0) {
        for (int i = 0; i < d.n; i++)
            if (d.v[i].sev == SGC_SEV_ERROR) {
                snprintf(why, sizeof why, "%s", d.v[i].msg);
                break;
            }
    }
    sgc_diags_free(&d);
    if (why[0]) {
        sgc_node_free(n);
        snprintf(err, errlen, "artifact rule '%s': stored condition does not load: %s", ar->name,
                 why);
        return NULL;
    }
    return n;
}

/* Fills r, already owned by rs (so freeing rs frees whatever was built). */
static int build_rule(sgc_ruleset *rs, sgc_rule *r, const sgc_artifact_rule *ar, int index,
                      char *err, size_t errlen)
{
    r->index = index;
    r->name = strdup(ar->name);
    r->desc = ar->desc ? strdup(ar->desc) : NULL;
    r->source = strdup(ar->source);
    r->priority = ar->priority;
    r->enabled = ar->enabled;
    r->pos.file = intern_file(rs, ar->file);
    r->pos.line = ar->line;
    r->pos.col = 1;
    if (ar->ntags) {
        r->tags = calloc((size_t)ar->ntags, sizeof *r->tags);
        for (int i = 0; r->tags && i < ar->ntags; i++) r->tags[r->ntags++] = strdup(ar->tags[i]);
    }
    if (ar->output) r->output_src = own_source(rs, ar->output);
    bool oom = !r->name || !r->source || (ar->desc && !r->desc) || r->ntags != ar->ntags ||
               (ar->output && !r->output_src) || (ar->file && !r->pos.file);
    for (int i = 0; i < r->ntags; i++) oom = oom || !r->tags[i];
    if (oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* The rule's condition: parsed after every rule's other fields, so the
 * trees lie together in the heap and their pages go back when a run drops
 * them (sgc_artifact_ruleset_drop_conditions). */
static int build_condition(sgc_ruleset *rs, sgc_rule *r, const sgc_artifact_rule *ar, lists_ctx *lc,
                           char *err, size_t errlen)
{
    if (!ar->condition) return 0;
    r->resolved = parse_resolved(rs, ar, lc, err, errlen);
    if (!r->resolved) return -1;
    r->cond_src = rs->sources; /* the source parse_resolved added */
    return 0;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;
    return x < y ? -1 : x > y;
}

void sgc_artifact_ruleset_drop_conditions(sgc_ruleset *rs)
{
    sgc_ruleset_drop_conditions(rs);
    /* each condition has its own source (own_source): unlinked and freed in
     * one walk of the list (10,000 rules: not one walk per rule) */
    const sgc_source **conds = calloc((size_t)rs->nrules + 1, sizeof *conds);
    if (!conds) return; /* they stay until the rule set goes */
    int n = 0;
    for (int i = 0; i < rs->nrules; i++) {
        if (rs->rules[i]->cond_src) conds[n++] = rs->rules[i]->cond_src;
        rs->rules[i]->cond_src = NULL;
    }
    qsort(conds, (size_t)n, sizeof *conds, cmp_ptr);
    for (sgc_source **at = &rs->sources; *at;) {
        sgc_source *s = *at;
        if (bsearch(&s, conds, (size_t)n, sizeof *conds, cmp_ptr)) {
            *at = s->next;
            sgc_source_free(s);
        } else {
            at = &s->next;
        }
    }
    free(conds);
}

sgc_ruleset *sgc_artifact_ruleset(const sgc_artifact *a, char *err, size_t errlen)
{
    sgc_ruleset *rs = sgc_ruleset_new();
    if (!rs) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rs->rules = calloc((size_t)a->nrules + 1, sizeof *rs->rules);
    if (!rs->rules) {
        snprintf(err, errlen, "out of memory");
        sgc_ruleset_free(rs);
        return NULL;
    }
    lists_ctx lc = {a, calloc((size_t)a->nlists + 1, sizeof *lc.holders)};
    bool ok = lc.holders != NULL;
    if (!ok) snprintf(err, errlen, "out of memory");
    for (int i = 0; i < a->nrules && ok; i++) {
        sgc_rule *r = calloc(1, sizeof *r);
        if (r) rs->rules[rs->nrules++] = r;
        ok = r && build_rule(rs, r, &a->rules[i], i, err, errlen) == 0;
        if (!r) snprintf(err, errlen, "out of memory");
    }
    /* the conditions after every rule's other fields (build_condition) */
    for (int i = 0; i < a->nrules && ok; i++)
        ok = build_condition(rs, rs->rules[i], &a->rules[i], &lc, err, errlen) == 0;
    for (int k = 0; lc.holders && k < a->nlists; k++) /* the rules keep their references */
        sgc_value_free(lc.holders[k]);
    free(lc.holders);
    if (!ok) {
        sgc_ruleset_free(rs);
        return NULL;
    }
    rs->next_index = rs->nrules;
    if (a->required_engine_version)
        rs->required_engine_version = strdup(a->required_engine_version);
    return rs;
}
