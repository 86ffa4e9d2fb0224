/* Per-event evaluation and the rule-set engine (type index, candidates,
 * first/all match). */
#include "eval_int.h"
#include "fields.h"
#include "evttypes.h"
#include "evtype.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- expressions ---- */

static bool ex_eval(sgc_prog *p, const ex_node *e, sgc_extract_ctx *cx, sgc_val *out);

static const sgc_val *slot_value(sgc_prog *p, int i, sgc_extract_ctx *cx)
{
    sgc_slot *s = &p->slots[i];
    if (s->stamp != p->gen) {
        s->stamp = p->gen;
        p->extractions++;
        s->ok = sgc_extract(cx, &s->ref, &s->val);
    }
    return &s->val;
}

static bool ex_eval(sgc_prog *p, const ex_node *e, sgc_extract_ctx *cx, sgc_val *out)
{
    switch (e->kind) {
    case EX_FIELD: *out = *slot_value(p, e->slot, cx); return out->kind != SGC_VAL_NA;
    case EX_LITERAL: sgc_val_set_str(out, e->lit, e->litlen); return true;
    case EX_LIST:
    case EX_TRANSFORM: {
        sgc_val local[8];
        sgc_val *args =
            e->nargs <= 8 ? local : sgc_arena_alloc(cx->scratch, sizeof *args * (size_t)e->nargs);
        if (!args) return false;
        int n = 0;
        for (int i = 0; i < e->nargs; i++) {
            if (!ex_eval(p, &e->args[i], cx, &args[n])) {
                if (e->kind == EX_TRANSFORM) {
                    out->kind = SGC_VAL_NA;
                    return false;
                }
                continue; /* a list skips missing items */
            }
            n++;
        }
        if (e->kind == EX_LIST) {
            sgc_val *items = sgc_arena_alloc(cx->scratch, sizeof *items * (size_t)(n ? n : 1));
            if (!items) return false;
            memcpy(items, args, sizeof *items * (size_t)n);
            out->kind = SGC_VAL_LIST;
            out->list.items = items;
            out->list.n = n;
            return true;
        }
        return sgc_transform_apply_sel(e->tf, args, n, e->lit, cx->scratch, out);
    }
    }
    return false;
}

/* ---- conditions ---- */

static void eval_check(sgc_prog *p, const cn_node *n, sgc_memo *m, sgc_extract_ctx *cx);

bool sgc_cn_eval(sgc_prog *p, const cn_node *n, sgc_extract_ctx *cx)
{
    switch (n->kind) {
    case CN_AND:
        for (int i = 0; i < n->nkids; i++)
            if (!sgc_cn_eval(p, n->kids[i], cx)) return false;
        return true;
    case CN_OR:
        for (int i = 0; i < n->nkids; i++)
            if (sgc_cn_eval(p, n->kids[i], cx)) return true;
        return false;
    case CN_NOT: return !sgc_cn_eval(p, n->kids[0], cx);
    case CN_CONST: return n->value;
    case CN_EVTTYPE: {
        int id = p->evtype;
        bool in = id >= 0 && id < n->nbits && ((n->bits[id / 64] >> (id % 64)) & 1u);
        return in != n->neg;
    }
    case CN_CHECK: {
        /* the memo holds the check's own value; a folded `not` applies after */
        sgc_memo *m = &p->memos[n->memo];
        if (m->stamp != p->gen) eval_check(p, n, m, cx);
        return m->val != n->neg;
    }
    }
    return false;
}

/* oneof: exactly one item holds; anyof: at least one; allof: all (true
 * for the empty list, as `and` of nothing). */
static bool eval_modifier(const cn_check *k, const sgc_val *lhs)
{
    int hits = 0;
    for (int i = 0; i < k->nmcmp; i++) {
        if (!sgc_cmp_eval(&k->mcmp[i], lhs)) {
            if (k->mod == SGC_MOD_ALLOF) return false;
            continue;
        }
        if (k->mod == SGC_MOD_ANYOF || (k->mod == SGC_MOD_ONEOF && hits == 1))
            return k->mod == SGC_MOD_ANYOF;
        hits++;
    }
    return k->mod == SGC_MOD_ALLOF || hits == 1;
}

static void eval_check(sgc_prog *p, const cn_node *n, sgc_memo *m, sgc_extract_ctx *cx)
{
    m->stamp = p->gen;
    m->val = false;
    const cn_check *k = n->chk;
    sgc_val lhs;
    if (k->lhs.kind == EX_FIELD)
        lhs = *slot_value(p, k->lhs.slot, cx);
    else if (!ex_eval(p, &k->lhs, cx, &lhs))
        lhs.kind = SGC_VAL_NA;
    if (k->rhs_dyn) {
        sgc_val rhs;
        if (ex_eval(p, k->rhs_dyn, cx, &rhs)) m->val = sgc_cmp_eval_dynamic(k->cmp.op, &lhs, &rhs);
        return;
    }
    if (k->mod != SGC_MOD_NONE) {
        m->val = eval_modifier(k, &lhs);
        return;
    }
    m->val = sgc_cmp_eval(&k->cmp, &lhs);
}

bool sgc_cn_run(sgc_prog *p, const cn_code *c, sgc_extract_ctx *cx)
{
    const cn_instr *ins = c->ins;
    int pc = 0;
    for (;;) {
        const cn_instr *in = &ins[pc];
        bool v;
        switch (in->kind) {
        case CN_CHECK: {
            sgc_memo *m = &p->memos[in->memo];
            if (m->stamp != p->gen) eval_check(p, in->node, m, cx);
            v = m->val != in->neg;
            break;
        }
        case CN_EVTTYPE: {
            int id = p->evtype;
            v = (id >= 0 && id < in->nbits && ((in->bits[id / 64] >> (id % 64)) & 1u)) != in->neg;
            break;
        }
        default: v = in->value; break;
        }
        int next = v ? in->on_true : in->on_false;
        if (next < 0) return next == CI_ACCEPT;
        pc = next;
    }
}

/* ---- single filters ---- */

struct sgc_filter {
    sgc_prog prog;
    cn_node *root;
    cn_code code;
};

sgc_filter *sgc_filter_compile(const sgc_node *cond, char *err, size_t errlen)
{
    sgc_evtype_init();
    sgc_filter *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    sgc_prog_init(&f->prog);
    f->root = sgc_cn_compile(&f->prog, cond, err, errlen);
    if (f->root && !sgc_cn_linearize(f->root, &f->code)) {
        snprintf(err, errlen, "out of memory");
        sgc_cn_free(f->root);
        f->root = NULL;
    }
    if (!f->root) {
        sgc_prog_free(&f->prog);
        free(f);
        return NULL;
    }
    return f;
}

bool sgc_filter_eval(sgc_filter *f, sgc_extract_ctx *cx)
{
    sgc_prog_begin(&f->prog, cx->ev ? sgc_evt_type_id(cx->ev) : -1);
    return sgc_cn_run(&f->prog, &f->code, cx);
}

void sgc_filter_free(sgc_filter *f)
{
    if (!f) return;
    sgc_cn_code_free(&f->code);
    sgc_cn_free(f->root);
    sgc_prog_free(&f->prog);
    free(f);
}

/* ---- engine ---- */

typedef struct eng_rule {
    const sgc_rule *rule;
    cn_node *root;
    cn_code code;
    uint32_t bit; /* candidate bitmap bit: ordinal among enabled rules */
} eng_rule;

typedef struct rule_list {
    int *idx; /* into eng->rules, definition order */
    int n;
} rule_list;

struct sgc_engine {
    sgc_engine_opts opts;
    sgc_prog prog;
    eng_rule *rules;
    int nrules;
    rule_list *by_type; /* [nevtypes] */
    int nevtypes;
    rule_list untyped; /* rules that match any type, for events without one */
    sgc_engine_stats stats;
};

sgc_engine_opts sgc_engine_default_opts(void)
{
    sgc_engine_opts o = {.mode = SGC_MATCH_FIRST,
                         .min_priority = SGC_PRI_DEBUG,
                         .ignore_candidates = false,
                         .source = SGC_SRC_SYSCALL};
    return o;
}

static void list_push(rule_list *l, int i)
{
    int *n = realloc(l->idx, sizeof *n * (size_t)(l->n + 1));
    if (!n) abort();
    l->idx = n;
    l->idx[l->n++] = i;
}

static int rule_source(const sgc_rule *r)
{
    int s = r->source ? sgc_evsource_parse(r->source) : SGC_SRC_SYSCALL;
    return s < 0 ? -1 : s;
}

sgc_engine *sgc_engine_build(const sgc_ruleset *rs, const sgc_engine_opts *opts, sgc_diags *diags)
{
    sgc_evtype_init();
    sgc_engine *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->opts = opts ? *opts : sgc_engine_default_opts();
    sgc_prog_init(&e->prog);
    e->nevtypes = sgc_event_count();
    e->by_type = calloc((size_t)e->nevtypes, sizeof *e->by_type);
    e->rules = calloc((size_t)(rs->nrules ? rs->nrules : 1), sizeof *e->rules);
    if (!e->by_type || !e->rules) {
        sgc_engine_free(e);
        return NULL;
    }
    int ordinal = -1; /* the rule's bit, as compiler/pushdown/pushdown.h numbers them */
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!r->enabled) continue;
        ordinal++;
        if (!r->resolved) continue;
        if (r->unknown_source || rule_source(r) != e->opts.source) continue;
        if (r->priority > e->opts.min_priority) continue;
        char err[256];
        cn_node *root = sgc_cn_compile(&e->prog, r->resolved, err, sizeof err);
        if (!root) {
            if (diags)
                sgc_diag_add(diags, SGC_SEV_ERROR, "SGC_EVAL_COMPILE", r->pos.file, r->pos.line,
                             r->pos.col, "rule '%s' cannot be evaluated: %s", r->name, err);
            continue;
        }
        cn_code code;
        if (!sgc_cn_linearize(root, &code)) {
            sgc_cn_free(root);
            sgc_engine_free(e);
            return NULL;
        }
        int k = e->nrules++;
        e->rules[k].rule = r;
        e->rules[k].root = root;
        e->rules[k].code = code;
        e->rules[k].bit = (uint32_t)ordinal;

        if (e->opts.source != SGC_SRC_SYSCALL) {
            list_push(&e->untyped, k); /* no event types: every event */
            continue;
        }
        sgc_evtset types;
        sgc_condition_evttypes(r->resolved, &types);
        for (int t = 0; t < e->nevtypes; t++)
            if (sgc_evtset_has(&types, t)) list_push(&e->by_type[t], k);
        if (sgc_evtset_is_all(&types)) list_push(&e->untyped, k);
        sgc_evtset_free(&types);
    }
    return e;
}

void sgc_engine_free(sgc_engine *e)
{
    if (!e) return;
    for (int i = 0; i < e->nrules; i++) {
        sgc_cn_code_free(&e->rules[i].code);
        sgc_cn_free(e->rules[i].root);
    }
    free(e->rules);
    if (e->by_type)
        for (int t = 0; t < e->nevtypes; t++) free(e->by_type[t].idx);
    free(e->by_type);
    free(e->untyped.idx);
    sgc_prog_free(&e->prog);
    free(e);
}

int sgc_engine_nrules(const sgc_engine *e) { return e->nrules; }

const sgc_rule *sgc_engine_rule(const sgc_engine *e, int i)
{
    return i >= 0 && i < e->nrules ? e->rules[i].rule : NULL;
}

int sgc_engine_match(sgc_engine *e, sgc_extract_ctx *cx, sgc_match_cb cb, void *ud)
{
    const sgc_evt *ev = cx->ev;
    e->stats.events++;
    if (!ev || ev->hdr->kind == SGC_REC_DROP) return 0;
    bool syscall = e->opts.source == SGC_SRC_SYSCALL;
    int id = syscall ? sgc_evt_type_id(ev) : -1;
    const rule_list *l = (id >= 0 && id < e->nevtypes) ? &e->by_type[id] : &e->untyped;
    if (l->n == 0) return 0;
    sgc_prog_begin(&e->prog, id);
    bool use_cand =
        syscall && !e->opts.ignore_candidates && ev->cand && (ev->hdr->flags & SGC_EVF_CANDIDATES);
    int matched = 0;
    for (int i = 0; i < l->n; i++) {
        const eng_rule *r = &e->rules[l->idx[i]];
        if (use_cand && !sgc_evt_is_candidate(ev, r->bit)) continue;
        e->stats.rules_evaluated++;
        if (!sgc_cn_run(&e->prog, &r->code, cx)) continue;
        matched++;
        if (cb) cb(r->rule, cx, ud);
        if (e->opts.mode == SGC_MATCH_FIRST) break;
    }
    e->stats.matches += (uint64_t)matched;
    return matched;
}

void sgc_engine_get_stats(const sgc_engine *e, sgc_engine_stats *st)
{
    *st = e->stats;
    st->extractions = e->prog.extractions;
}
