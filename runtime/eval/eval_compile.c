/* Compiling a resolved condition AST into cn_node trees: fields resolved to
 * shared slots, literals parsed, evt.type checks turned into bitsets. */
#include "eval_int.h"
#include "util.h"
#include "evttypes.h"
#include "fields.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_prog_init(sgc_prog *p)
{
    memset(p, 0, sizeof *p);
    p->evtype = -1;
    sgc_arena_init(&p->pool, 16 * 1024);
}

void sgc_prog_free(sgc_prog *p)
{
    for (int i = 0; i < p->nslots; i++) {
        sgc_field_ref_release(&p->slots[i].ref);
        free(p->slots[i].key);
        free(p->slots[i].own_name);
        free(p->slots[i].own_arg);
    }
    free(p->slots);
    for (int i = 0; i < p->nmemos; i++) free(p->memos[i].key);
    free(p->memos);
    sgc_strindex_free(&p->memo_index);
    for (int i = 0; i < p->nshared; i++) sgc_cmp_free(&p->shared[i].cmp);
    free(p->shared);
    sgc_arena_free(&p->pool);
    memset(p, 0, sizeof *p);
}

/* The slot of a field, created on first use. */
static int slot_of(sgc_prog *p, const sgc_value *v, char *err, size_t errlen)
{
    char key[512];
    snprintf(key, sizeof key, v->arg ? "%s[%s]" : "%s", v->field, v->arg);
    for (int i = 0; i < p->nslots; i++)
        if (strcmp(p->slots[i].key, key) == 0) return i;
    if (p->nslots == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->slots = realloc(p->slots, sizeof *p->slots * (size_t)p->cap);
        if (!p->slots) abort();
    }
    sgc_slot *s = &p->slots[p->nslots];
    memset(s, 0, sizeof *s);
    /* The ref keeps its own copies: the AST may be freed before the engine. */
    char *name = sgc_xstrdup(v->field);
    char *arg = v->arg ? sgc_xstrdup(v->arg) : NULL;
    if (!sgc_field_ref_init(&s->ref, name, arg, v->fdef, err, errlen)) {
        free(name);
        free(arg);
        return -1;
    }
    s->own_name = name;
    s->own_arg = arg;
    s->key = sgc_xstrdup(key);
    return p->nslots++;
}

static void ex_free(ex_node *e)
{
    for (int i = 0; i < e->nargs; i++) ex_free(&e->args[i]);
    free(e->args);
    free(e->lit);
    memset(e, 0, sizeof *e);
}

/* Whether an operand gives a list: a literal list, a list field (fd.types),
 * getopt() without [option], a single-value transformer of a list. */
static bool value_is_list(const sgc_value *v)
{
    switch (v->kind) {
    case SGC_V_LIST: return true;
    case SGC_V_FIELD: {
        const sgc_field_def *fd = v->fdef ? v->fdef : sgc_field_lookup(v->field);
        return fd && (fd->flags & SGC_FF_LIST);
    }
    case SGC_V_TRANSFORM: {
        int tf = sgc_transform_lookup(v->str ? v->str : "");
        if (tf == SGC_TF_GETOPT) return v->arg == NULL;
        if (tf == SGC_TF_JOIN || tf == SGC_TF_CONCAT || tf == SGC_TF_LEN) return false;
        return v->nitems == 1 && value_is_list(v->items[0]);
    }
    default: return false;
    }
}

static bool ex_compile(sgc_prog *p, const sgc_value *v, ex_node *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    switch (v->kind) {
    case SGC_V_FIELD:
        out->kind = EX_FIELD;
        out->slot = slot_of(p, v, err, errlen);
        return out->slot >= 0;
    case SGC_V_VAL:
        if (v->nitems != 1) {
            snprintf(err, errlen, "val() takes one field");
            return false;
        }
        return ex_compile(p, v->items[0], out, err, errlen);
    case SGC_V_STRING:
        out->kind = EX_LITERAL;
        out->litlen = strlen(v->str ? v->str : "");
        out->lit = sgc_xstrdup(v->str ? v->str : "");
        return true;
    case SGC_V_LIST:
    case SGC_V_TRANSFORM: {
        bool is_tf = v->kind == SGC_V_TRANSFORM;
        if (is_tf) {
            int tf = sgc_transform_lookup(v->str);
            if (tf < 0) {
                snprintf(err, errlen, "unknown transformer '%s'", v->str);
                return false;
            }
            out->tf = (sgc_transform)tf;
            bool is_list[16] = {0};
            for (int i = 0; i < v->nitems && i < 16; i++) is_list[i] = value_is_list(v->items[i]);
            if (v->nitems > 16 || !sgc_transform_check(out->tf, v->nitems, is_list, err, errlen))
                return false;
        }
        out->kind = is_tf ? EX_TRANSFORM : EX_LIST;
        if (is_tf && v->arg) { /* getopt(...)[OPTION]: the selector */
            if (out->tf != SGC_TF_GETOPT || strlen(v->arg) != 1) {
                snprintf(err, errlen, "%s() does not take [%s]", v->str, v->arg);
                return false;
            }
            out->lit = sgc_xstrdup(v->arg);
            out->litlen = 1;
        }
        out->nargs = v->nitems;
        out->args = calloc((size_t)(v->nitems ? v->nitems : 1), sizeof *out->args);
        if (!out->args) abort();
        sgc_value tmp;
        for (int i = 0; i < v->nitems; i++)
            if (!ex_compile(p, sgc_list_item(v, i, &tmp), &out->args[i], err, errlen)) {
                ex_free(out);
                return false;
            }
        return true;
    }
    case SGC_V_LISTREF: snprintf(err, errlen, "unresolved list '%s'", v->str); return false;
    }
    return false;
}

/* Is the check an evt.type test the event-type bitset can decide exactly? */
static bool is_evttype_check(const sgc_node *n)
{
    const sgc_value *l = n->lhs;
    if (!l || l->kind != SGC_V_FIELD || l->arg) return false;
    if (strcmp(l->field, "evt.type") != 0 && strcmp(l->field, "syscall.type") != 0) return false;
    if (n->op != SGC_OP_EQ && n->op != SGC_OP_NE && n->op != SGC_OP_IN) return false;
    if (!n->rhs) return false;
    if (n->rhs->kind == SGC_V_STRING) return true;
    if (n->rhs->kind != SGC_V_LIST) return false;
    sgc_value tmp;
    for (int i = 0; i < n->rhs->nitems; i++)
        if (sgc_list_item(n->rhs, i, &tmp)->kind != SGC_V_STRING) return false;
    return true;
}

static cn_node *cn_new(sgc_prog *p, cn_kind k)
{
    cn_node *c = sgc_arena_alloc(&p->pool, sizeof *c);
    if (!c) abort();
    memset(c, 0, sizeof *c);
    c->kind = (uint8_t)k;
    c->memo = -1;
    if (k == CN_CHECK) {
        c->chk = sgc_arena_alloc(&p->pool, sizeof *c->chk);
        if (!c->chk) abort();
        memset(c->chk, 0, sizeof *c->chk);
    }
    return c;
}

/* The memo slot of a check key (takes ownership of key). */
static int memo_of_key(sgc_prog *p, char *key)
{
    int at = sgc_strindex_get(&p->memo_index, key, strlen(key));
    if (at >= 0) {
        free(key);
        return at;
    }
    if (p->nmemos == p->memocap) {
        p->memocap = p->memocap ? p->memocap * 2 : 64;
        p->memos = realloc(p->memos, sizeof *p->memos * (size_t)p->memocap);
        if (!p->memos) abort();
    }
    p->memos[p->nmemos].key = key;
    p->memos[p->nmemos].stamp = 0;
    p->memos[p->nmemos].val = false;
    sgc_strindex_put(&p->memo_index, key, strlen(key), p->nmemos);
    return p->nmemos++;
}

static int memo_of(sgc_prog *p, const sgc_node *n)
{
    /* a shared list stands for itself in the key (its identity): the key is
     * not the whole list printed again per check */
    char name[64];
    sgc_node tmp;
    sgc_value ref;
    if (n->kind == SGC_N_CHECK && n->rhs && n->rhs->kind == SGC_V_LIST && n->rhs->share) {
        snprintf(name, sizeof name, "\x01shared-list-%p", (void *)n->rhs->share);
        tmp = *n;
        memset(&ref, 0, sizeof ref);
        ref.kind = SGC_V_LISTREF;
        ref.str = name;
        tmp.rhs = &ref;
        n = &tmp;
    }
    char *key = sgc_node_to_sexpr(n);
    if (!key) abort();
    return memo_of_key(p, key);
}

/* `x op anyof (a, b, ...)`: one comparison per item (a list name was
 * resolved into the literal list before). */
static bool compile_modifier(cn_check *k, const sgc_node *n, bool either, char *err, size_t errlen)
{
    const sgc_value *r = n->rhs;
    if (!r || r->kind != SGC_V_LIST) {
        snprintf(err, errlen, "'%s %s' needs a list", sgc_op_name(n->op), sgc_listmod_name(n->mod));
        return false;
    }
    k->mod = n->mod;
    k->mcmp = calloc((size_t)(r->nitems ? r->nitems : 1), sizeof *k->mcmp);
    if (!k->mcmp) abort();
    for (int i = 0; i < r->nitems; i++) {
        sgc_value tmp;
        const sgc_value *it = sgc_list_item(r, i, &tmp);
        if (it->kind != SGC_V_STRING) {
            snprintf(err, errlen, "list items must be values");
            return false;
        }
        const char *s = it->str ? it->str : "";
        size_t len = strlen(s);
        if (!sgc_cmp_init(&k->mcmp[i], n->op, &s, &len, 1, false, either, err, errlen))
            return false;
        k->nmcmp++;
    }
    return true;
}

/* Keep c as the shared operand of (list, op, either); *out borrows it. */
static void add_shared(sgc_prog *p, const void *list, sgc_op op, bool either, const sgc_cmp *c,
                       sgc_cmp *out)
{
    p->shared = realloc(p->shared, sizeof *p->shared * (size_t)(p->nshared + 1));
    if (!p->shared) abort();
    p->shared[p->nshared++] = (struct sgc_shared_cmp){list, op, either, *c};
    *out = *c;
    out->borrowed = true;
}

/* A check against a shared list: the operand compiled once per (list,
 * operator) in p->shared, borrowed by every check. False when the list's
 * operand does not compile (err set); NULL cmp when it cannot be shared. */
static bool shared_cmp(sgc_prog *p, const sgc_value *r, sgc_op op, bool either, sgc_cmp *out,
                       char *err, size_t errlen)
{
    for (int i = 0; i < p->nshared; i++) {
        struct sgc_shared_cmp *s = &p->shared[i];
        if (s->list == r->share && s->op == op && s->either == either) {
            *out = s->cmp;
            out->borrowed = true;
            return true;
        }
    }
    if (r->pack) { /* the packed items read in place */
        sgc_cmp c;
        sgc_cmp_init_pack(&c, op, r->pack, either);
        add_shared(p, r->share, op, either, &c, out);
        return true;
    }
    int k = r->nitems;
    const char **items = calloc((size_t)(k ? k : 1), sizeof *items);
    size_t *lens = calloc((size_t)(k ? k : 1), sizeof *lens);
    if (!items || !lens) abort();
    bool ok = true;
    for (int i = 0; i < k && ok; i++) {
        sgc_value tmp;
        const sgc_value *it = sgc_list_item(r, i, &tmp);
        if (it->kind != SGC_V_STRING) {
            snprintf(err, errlen, "list items must be values");
            ok = false;
            break;
        }
        items[i] = it->str ? it->str : "";
        lens[i] = strlen(items[i]);
    }
    sgc_cmp c;
    memset(&c, 0, sizeof c);
    if (ok) ok = sgc_cmp_init(&c, op, items, lens, k, true, either, err, errlen);
    free(items);
    free(lens);
    if (!ok) return false;
    add_shared(p, r->share, op, either, &c, out);
    return true;
}

static cn_node *compile_check(sgc_prog *p, const sgc_node *n, char *err, size_t errlen)
{
    if (is_evttype_check(n)) {
        sgc_evtset set;
        sgc_evtset_init(&set, false);
        if (sgc_check_evttypes(n, &set)) {
            cn_node *c = cn_new(p, CN_EVTTYPE);
            c->nbits = set.nbits;
            size_t words = (size_t)(set.nbits + 63) / 64;
            c->bits = calloc(words ? words : 1, sizeof *c->bits);
            if (!c->bits) abort();
            memcpy(c->bits, set.w, words * sizeof *c->bits);
            sgc_evtset_free(&set);
            return c;
        }
        sgc_evtset_free(&set);
    }

    cn_node *c = cn_new(p, CN_CHECK);
    if (!n->lhs || !ex_compile(p, n->lhs, &c->chk->lhs, err, errlen)) {
        if (!n->lhs) snprintf(err, errlen, "check without a left operand");
        return NULL;
    }
    bool either =
        c->chk->lhs.kind == EX_FIELD && (p->slots[c->chk->lhs.slot].ref.ex->flags & SGC_EXF_EITHER);
    bool any = false;
    if (c->chk->lhs.kind == EX_FIELD && !p->slots[c->chk->lhs.slot].ref.arg) {
        const sgc_field_def *fd = p->slots[c->chk->lhs.slot].ref.fdef;
        any = fd && (fd->flags & SGC_FF_ANY_ANCESTOR);
    }
    const sgc_value *r = n->rhs;
    bool ok;
    if (n->mod != SGC_MOD_NONE) {
        ok = compile_modifier(c->chk, n, either, err, errlen);
        c->chk->cmp.op = n->op;
    } else if (n->op == SGC_OP_EXISTS) {
        ok = sgc_cmp_init(&c->chk->cmp, n->op, NULL, NULL, 0, false, either, err, errlen);
    } else if (!r) {
        snprintf(err, errlen, "operator '%s' needs a right operand", sgc_op_name(n->op));
        ok = false;
    } else if (r->kind == SGC_V_VAL || r->kind == SGC_V_FIELD || r->kind == SGC_V_TRANSFORM) {
        c->chk->rhs_dyn = calloc(1, sizeof *c->chk->rhs_dyn);
        if (!c->chk->rhs_dyn) abort();
        ok = ex_compile(p, r, c->chk->rhs_dyn, err, errlen);
        c->chk->cmp.op = n->op;
        c->chk->cmp.either = either;
    } else if (r->kind == SGC_V_LIST && r->share && sgc_op_is_list(n->op)) {
        ok = shared_cmp(p, r, n->op, either, &c->chk->cmp, err, errlen);
    } else if (r->kind == SGC_V_LIST) {
        int k = r->nitems;
        const char **items = calloc((size_t)(k ? k : 1), sizeof *items);
        size_t *lens = calloc((size_t)(k ? k : 1), sizeof *lens);
        if (!items || !lens) abort();
        ok = true;
        for (int i = 0; i < k && ok; i++) {
            sgc_value tmp;
            const sgc_value *it = sgc_list_item(r, i, &tmp);
            if (it->kind != SGC_V_STRING) {
                snprintf(err, errlen, "list items must be values");
                ok = false;
                break;
            }
            items[i] = it->str ? it->str : "";
            lens[i] = strlen(items[i]);
        }
        if (ok && !sgc_op_is_list(n->op) && k != 1) {
            snprintf(err, errlen, "operator '%s' does not take a list", sgc_op_name(n->op));
            ok = false;
        }
        if (ok)
            ok = sgc_cmp_init(&c->chk->cmp, n->op, items, lens, k, sgc_op_is_list(n->op), either,
                              err, errlen);
        free(items);
        free(lens);
    } else if (r->kind == SGC_V_STRING) {
        const char *s = r->str ? r->str : "";
        size_t len = strlen(s);
        ok = sgc_cmp_init(&c->chk->cmp, n->op, &s, &len, 1, sgc_op_is_list(n->op), either, err,
                          errlen);
    } else {
        snprintf(err, errlen, "unresolved list '%s'", r->str ? r->str : "?");
        ok = false;
    }
    if (!ok) {
        sgc_cn_free(c);
        return NULL;
    }
    c->chk->cmp.any = any;
    for (int i = 0; i < c->chk->nmcmp; i++) c->chk->mcmp[i].any = any;
    c->memo = memo_of(p, n);
    return c;
}

/* A rough cost of evaluating a node, to run cheap tests first in and/or
 * (the result does not depend on the order: checks have no side effects).
 * Event-type bits and header fields are cheapest, process-table fields
 * next, then container/user lookups; sets, globs and regexes cost more. */
static int field_cost(const sgc_prog *p, int slot)
{
    const char *n = p->slots[slot].ref.fdef->name;
    if (!strncmp(n, "evt.", 4) || !strncmp(n, "fd.", 3) || !strncmp(n, "thread.", 7)) return 2;
    if (!strncmp(n, "proc.", 5))
        return (strstr(n, ".a") || strstr(n, ".p")) ? 6 : 3; /* ancestors walk the table */
    return 8;                                                /* user., group., container., k8s. */
}

static int cn_cost(const sgc_prog *p, const cn_node *c)
{
    switch (c->kind) {
    case CN_CONST:
    case CN_EVTTYPE: return 1;
    case CN_NOT: return cn_cost(p, c->kids[0]);
    case CN_AND:
    case CN_OR: {
        int sum = 0;
        for (int i = 0; i < c->nkids; i++) sum += cn_cost(p, c->kids[i]);
        return sum;
    }
    case CN_CHECK: {
        int cost = c->chk->lhs.kind == EX_FIELD ? field_cost(p, c->chk->lhs.slot) : 12;
        if (c->chk->rhs_dyn) cost += 12;
        switch (c->chk->cmp.op) {
        case SGC_OP_REGEX: cost += 20; break;
        case SGC_OP_GLOB:
        case SGC_OP_IGLOB: cost += 8; break;
        case SGC_OP_ICONTAINS:
        case SGC_OP_CONTAINS:
        case SGC_OP_PMATCH: cost += 4; break;
        case SGC_OP_IN:
        case SGC_OP_INTERSECTS:
            cost += c->chk->cmp.set.slots ? 3 : 1 + c->chk->cmp.set.n / 4;
            break;
        default: cost += 1; break;
        }
        return cost;
    }
    }
    return 10;
}

static void sort_kids_by_cost(const sgc_prog *p, cn_node *c)
{
    int n = c->nkids;
    int *cost = malloc(sizeof *cost * (size_t)(n ? n : 1));
    if (!cost) abort();
    for (int i = 0; i < n; i++) cost[i] = cn_cost(p, c->kids[i]);
    for (int i = 1; i < n; i++) { /* stable insertion sort */
        cn_node *k = c->kids[i];
        int kc = cost[i], j = i - 1;
        while (j >= 0 && cost[j] > kc) {
            c->kids[j + 1] = c->kids[j];
            cost[j + 1] = cost[j];
            j--;
        }
        c->kids[j + 1] = k;
        cost[j + 1] = kc;
    }
    free(cost);
}

/* ---- merging `or`ed checks of one field ---------------------------------
 * `proc.name = a or proc.name in (b, c)` becomes `proc.name in (a, b, c)`, and
 * `fd.name startswith /x or fd.name startswith /y` one check over both
 * prefixes (same for endswith, contains): macros expand to long chains of
 * these, and one set test costs less than visiting each node. Only for
 * fields whose value is one scalar: for list-valued, either and
 * any-ancestor fields `=` and `in` do not mean the same thing. */

enum { MERGE_NONE, MERGE_MEMBER, MERGE_PREFIX, MERGE_SUFFIX, MERGE_CONTAINS };

static int merge_class(const sgc_prog *p, const cn_node *k)
{
    if (k->kind != CN_CHECK || k->neg || k->chk->lhs.kind != EX_FIELD || k->chk->rhs_dyn ||
        k->chk->cmp.either || k->chk->cmp.any || k->chk->mod != SGC_MOD_NONE)
        return MERGE_NONE;
    const sgc_field_ref *ref = &p->slots[k->chk->lhs.slot].ref;
    const sgc_field_def *fd = ref->fdef;
    if (!fd || (fd->flags & (SGC_FF_LIST | SGC_FF_ANY_ANCESTOR))) return MERGE_NONE;
    switch (k->chk->cmp.op) {
    case SGC_OP_EQ: return MERGE_MEMBER;
    case SGC_OP_IN: return MERGE_MEMBER;
    case SGC_OP_STARTSWITH: return MERGE_PREFIX;
    case SGC_OP_ENDSWITH: return MERGE_SUFFIX;
    case SGC_OP_CONTAINS: return MERGE_CONTAINS;
    default: return MERGE_NONE;
    }
}

/* The operands of a mergeable check, appended to items/lens. */
static void collect_operands(const cn_node *k, const char ***items, size_t **lens, int *n, int *cap)
{
    const sgc_cmp *c = &k->chk->cmp;
    int add = c->is_set ? c->set.n : 1;
    if (*n + add > *cap) {
        *cap = (*n + add) * 2;
        *items = realloc(*items, sizeof **items * (size_t)*cap);
        *lens = realloc(*lens, sizeof **lens * (size_t)*cap);
        if (!*items || !*lens) abort();
    }
    if (c->is_set) {
        for (int i = 0; i < c->set.n; i++) {
            (*items)[*n] = sgc_litset_item(&c->set, i, &(*lens)[*n]);
            (*n)++;
        }
    } else {
        (*items)[*n] = c->lit.s;
        (*lens)[(*n)++] = c->lit.len;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void merge_or_kids(sgc_prog *p, cn_node *c)
{
    for (int i = 0; i < c->nkids; i++) {
        int cls = merge_class(p, c->kids[i]);
        if (cls == MERGE_NONE) continue;
        int slot = c->kids[i]->chk->lhs.slot;
        int group = 0;
        for (int j = i + 1; j < c->nkids; j++)
            if (merge_class(p, c->kids[j]) == cls && c->kids[j]->chk->lhs.slot == slot) group++;
        if (!group) continue;

        const char **items = NULL;
        size_t *lens = NULL;
        int n = 0, cap = 0, nkeys = 0;
        const char **keys = calloc((size_t)group + 1, sizeof *keys);
        cn_node **merged = calloc((size_t)group + 1, sizeof *merged);
        int nmerged = 0;
        if (!keys || !merged) abort();
        merged[nmerged++] = c->kids[i];
        int w = i + 1;
        collect_operands(c->kids[i], &items, &lens, &n, &cap);
        keys[nkeys++] = p->memos[c->kids[i]->memo].key;
        for (int j = i + 1; j < c->nkids; j++) {
            cn_node *k = c->kids[j];
            if (merge_class(p, k) == cls && k->chk->lhs.slot == slot) {
                collect_operands(k, &items, &lens, &n, &cap);
                keys[nkeys++] = p->memos[k->memo].key;
                merged[nmerged++] = k;
                continue;
            }
            c->kids[w++] = k;
        }
        sgc_op op = cls == MERGE_MEMBER   ? SGC_OP_IN
                    : cls == MERGE_PREFIX ? SGC_OP_STARTSWITH
                    : cls == MERGE_SUFFIX ? SGC_OP_ENDSWITH
                                          : SGC_OP_CONTAINS;
        cn_node *m = cn_new(p, CN_CHECK);
        m->chk->lhs.kind = EX_FIELD;
        m->chk->lhs.slot = slot;
        char err[64];
        if (!sgc_cmp_init(&m->chk->cmp, op, items, lens, n, true, false, err, sizeof err))
            abort(); /* cannot fail: plain operands */
        /* The merged check's memo key: its parts, in a canonical order. */
        qsort(keys, (size_t)nkeys, sizeof *keys, cmp_str);
        size_t klen = 16;
        for (int k = 0; k < nkeys; k++) klen += strlen(keys[k]) + 1;
        char *key = malloc(klen);
        if (!key) abort();
        strcpy(key, "(or-merged");
        for (int k = 0; k < nkeys; k++) {
            strcat(key, " ");
            strcat(key, keys[k]);
        }
        strcat(key, ")");
        m->memo = memo_of_key(p, key);
        c->nkids = w;
        c->kids[i] = m;
        /* the operands were copied into m: free the checks merged into it
         * (after the copy: items pointed into them) */
        for (int k = 0; k < nmerged; k++) sgc_cn_free(merged[k]);
        free(merged);
        free(items);
        free(lens);
        free(keys);
    }
}

cn_node *sgc_cn_compile(sgc_prog *p, const sgc_node *n, char *err, size_t errlen)
{
    switch (n->kind) {
    case SGC_N_NOT:
        if (n->nkids == 1) {
            /* not(check) is the check with its result inverted: one node less
             * to visit per event (the memo keeps the plain result) */
            cn_node *k = sgc_cn_compile(p, n->kids[0], err, errlen);
            if (k && (k->kind == CN_CHECK || k->kind == CN_EVTTYPE)) {
                k->neg = !k->neg;
                return k;
            }
            if (k && k->kind == CN_CONST) {
                k->value = !k->value;
                return k;
            }
            if (!k) return NULL;
            cn_node *c = cn_new(p, CN_NOT);
            c->kids = calloc(1, sizeof *c->kids);
            if (!c->kids) abort();
            c->kids[0] = k;
            c->nkids = 1;
            return c;
        }
        /* fall through */
    case SGC_N_AND:
    case SGC_N_OR: {
        cn_node *c = cn_new(p, n->kind == SGC_N_AND  ? CN_AND
                               : n->kind == SGC_N_OR ? CN_OR
                                                     : CN_NOT);
        c->kids = calloc((size_t)(n->nkids ? n->nkids : 1), sizeof *c->kids);
        if (!c->kids) abort();
        int cap = n->nkids ? n->nkids : 1;
        for (int i = 0; i < n->nkids; i++) {
            cn_node *k = sgc_cn_compile(p, n->kids[i], err, errlen);
            if (!k) {
                sgc_cn_free(c);
                return NULL;
            }
            if (c->kind != CN_NOT && k->kind == c->kind) {
                /* (a and (b and c)) -> (a and b and c): macros nest a lot,
                 * and a flat list lets the cheapest test run first. */
                cap += k->nkids;
                cn_node **nk = realloc(c->kids, sizeof *nk * (size_t)cap);
                if (!nk) abort();
                c->kids = nk;
                for (int j = 0; j < k->nkids; j++) c->kids[c->nkids++] = k->kids[j];
                k->nkids = 0;
                sgc_cn_free(k);
                continue;
            }
            c->kids[c->nkids++] = k;
        }
        if (c->kind == CN_OR) merge_or_kids(p, c);
        if (c->kind != CN_NOT) sort_kids_by_cost(p, c);
        return c;
    }
    case SGC_N_CONST: {
        cn_node *c = cn_new(p, CN_CONST);
        c->value = n->const_value;
        return c;
    }
    case SGC_N_CHECK: return compile_check(p, n, err, errlen);
    case SGC_N_MACRO:
        snprintf(err, errlen, "undefined macro '%s'", n->name ? n->name : "?");
        return NULL;
    }
    snprintf(err, errlen, "unknown condition node");
    return NULL;
}

/* Nodes live in the program's pool; this frees what they own outside it. */
void sgc_cn_free(cn_node *c)
{
    if (!c) return;
    for (int i = 0; i < c->nkids; i++) sgc_cn_free(c->kids[i]);
    free(c->kids);
    c->kids = NULL;
    c->nkids = 0;
    if (c->chk) {
        ex_free(&c->chk->lhs);
        if (c->chk->rhs_dyn) {
            ex_free(c->chk->rhs_dyn);
            free(c->chk->rhs_dyn);
        }
        sgc_cmp_free(&c->chk->cmp);
        for (int i = 0; i < c->chk->nmcmp; i++) sgc_cmp_free(&c->chk->mcmp[i]);
        free(c->chk->mcmp);
        c->chk = NULL;
    }
    free(c->bits);
    c->bits = NULL;
}

/* ---- flattening into a branch program ----------------------------------
 * emit(node, T, F): leaves become instructions jumping to T on true, F on
 * false; and(k1..kn) chains k_i's true exits to k_{i+1}; or chains false
 * exits; not swaps T and F. Targets not yet known are labels, patched once
 * the program is complete. */

typedef struct lin {
    cn_instr *ins;
    int n, cap;
    int *label_pc; /* label id -> instruction index */
    int nlabels, labcap;
    bool oom;
} lin;

/* Targets are encoded as: CI_ACCEPT/CI_REJECT, or label ids >= 0. */
static int new_label(lin *l)
{
    if (l->nlabels == l->labcap) {
        l->labcap = l->labcap ? l->labcap * 2 : 64;
        int *nl = realloc(l->label_pc, sizeof *nl * (size_t)l->labcap);
        if (!nl) {
            l->oom = true;
            return CI_REJECT;
        }
        l->label_pc = nl;
    }
    l->label_pc[l->nlabels] = -1;
    return l->nlabels++;
}

static void emit(lin *l, const cn_node *n, int t, int f)
{
    switch (n->kind) {
    case CN_AND:
    case CN_OR:
        for (int i = 0; i < n->nkids; i++) {
            if (i == n->nkids - 1) {
                emit(l, n->kids[i], t, f);
                break;
            }
            int next = new_label(l);
            if (n->kind == CN_AND)
                emit(l, n->kids[i], next, f);
            else
                emit(l, n->kids[i], t, next);
            if (next >= 0) l->label_pc[next] = l->n;
        }
        if (n->nkids == 0) {
            /* empty and is true, empty or is false: a constant */
            cn_node c = {.kind = CN_CONST, .value = n->kind == CN_AND};
            emit(l, &c, t, f);
        }
        return;
    case CN_NOT: emit(l, n->kids[0], f, t); return;
    default: break;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        cn_instr *ni = realloc(l->ins, sizeof *ni * (size_t)l->cap);
        if (!ni) {
            l->oom = true;
            return;
        }
        l->ins = ni;
    }
    cn_instr *in = &l->ins[l->n++];
    memset(in, 0, sizeof *in);
    in->kind = n->kind;
    in->neg = n->neg;
    in->value = n->value;
    in->memo = n->memo;
    in->nbits = n->nbits;
    in->bits = n->bits;
    in->node = n;
    in->on_true = t;
    in->on_false = f;
}

bool sgc_cn_linearize(const cn_node *root, cn_code *out)
{
    lin l = {0};
    /* While emitting, a target is CI_ACCEPT, CI_REJECT or a label id. */
    emit(&l, root, CI_ACCEPT, CI_REJECT);
    if (l.oom) {
        free(l.ins);
        free(l.label_pc);
        return false;
    }
    for (int i = 0; i < l.n; i++) {
        if (l.ins[i].on_true >= 0) l.ins[i].on_true = l.label_pc[l.ins[i].on_true];
        if (l.ins[i].on_false >= 0) l.ins[i].on_false = l.label_pc[l.ins[i].on_false];
    }
    free(l.label_pc);
    /* kept for the engine's life: no doubling slack (10,000 rules) */
    cn_instr *fit = l.n ? realloc(l.ins, sizeof *fit * (size_t)l.n) : NULL;
    out->ins = fit ? fit : l.ins;
    out->n = l.n;
    return true;
}

void sgc_cn_code_free(cn_code *c)
{
    free(c->ins);
    c->ins = NULL;
    c->n = 0;
}
