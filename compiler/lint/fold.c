#include "fold.h"
#include "evttypes.h"

#include <string.h>

static bool str_equal(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return !strcmp(a, b);
}

bool sgc_value_equal(const sgc_value *a, const sgc_value *b)
{
    if (!a || !b) return a == b;
    if (a->kind != b->kind || !str_equal(a->str, b->str) || !str_equal(a->field, b->field) ||
        !str_equal(a->arg, b->arg) || a->nitems != b->nitems)
        return false;
    for (int i = 0; i < a->nitems; i++)
        if (!sgc_value_equal(a->items[i], b->items[i])) return false;
    return true;
}

bool sgc_node_equal(const sgc_node *a, const sgc_node *b)
{
    if (!a || !b) return a == b;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case SGC_N_CONST: return a->const_value == b->const_value;
    case SGC_N_MACRO: return str_equal(a->name, b->name);
    case SGC_N_CHECK:
        return a->op == b->op && a->mod == b->mod && sgc_value_equal(a->lhs, b->lhs) &&
               sgc_value_equal(a->rhs, b->rhs);
    case SGC_N_AND:
    case SGC_N_OR:
    case SGC_N_NOT:
        if (a->nkids != b->nkids) return false;
        for (int i = 0; i < a->nkids; i++)
            if (!sgc_node_equal(a->kids[i], b->kids[i])) return false;
        return true;
    }
    return false;
}

/* `x in ()`: an empty set contains nothing, intersects nothing, is a prefix
 * of nothing. */
static bool is_empty_list_check(const sgc_node *n)
{
    return n->kind == SGC_N_CHECK &&
           (n->op == SGC_OP_IN || n->op == SGC_OP_INTERSECTS || n->op == SGC_OP_PMATCH) && n->rhs &&
           n->rhs->kind == SGC_V_LIST && n->rhs->nitems == 0;
}

/* Two children of one and/or where one is the negation of the other. */
static bool has_complement_pair(const sgc_node *n)
{
    for (int i = 0; i < n->nkids; i++) {
        const sgc_node *k = n->kids[i];
        if (k->kind != SGC_N_NOT) continue;
        for (int j = 0; j < n->nkids; j++)
            if (j != i && sgc_node_equal(k->kids[0], n->kids[j])) return true;
    }
    return false;
}

/* pos: event types for which n can be true; neg: for which it can be false.
 * Both are sound over-approximations; an empty pos means n is never true,
 * an empty neg that it is never false. */
static void analyze(const sgc_node *n, sgc_evtset *pos, sgc_evtset *neg)
{
    switch (n->kind) {
    case SGC_N_CONST:
        sgc_evtset_init(pos, n->const_value);
        sgc_evtset_init(neg, !n->const_value);
        return;
    case SGC_N_CHECK:
        if (is_empty_list_check(n)) {
            sgc_evtset_init(pos, false);
            sgc_evtset_init(neg, true);
            return;
        }
        sgc_evtset_init(pos, true);
        sgc_evtset_init(neg, true);
        /* evt.type has exactly one value per event: where the check is not
         * true it is false */
        if (sgc_check_evttypes(n, pos)) {
            sgc_evtset_copy(neg, pos);
            sgc_evtset_complement(neg);
        }
        return;
    case SGC_N_MACRO:
        sgc_evtset_init(pos, true);
        sgc_evtset_init(neg, true);
        return;
    case SGC_N_NOT: analyze(n->kids[0], neg, pos); return;
    case SGC_N_AND:
    case SGC_N_OR: {
        bool is_and = n->kind == SGC_N_AND;
        sgc_evtset_init(pos, is_and);
        sgc_evtset_init(neg, !is_and);
        for (int i = 0; i < n->nkids; i++) {
            sgc_evtset kp, kn;
            analyze(n->kids[i], &kp, &kn);
            if (is_and) {
                sgc_evtset_intersect(pos, &kp);
                sgc_evtset_union(neg, &kn);
            } else {
                sgc_evtset_union(pos, &kp);
                sgc_evtset_intersect(neg, &kn);
            }
            sgc_evtset_free(&kp);
            sgc_evtset_free(&kn);
        }
        if (has_complement_pair(n)) {
            /* x and not x is never true; x or not x never false */
            sgc_evtset empty;
            sgc_evtset_init(&empty, false);
            sgc_evtset_copy(is_and ? pos : neg, &empty);
            sgc_evtset_free(&empty);
        }
        return;
    }
    }
    sgc_evtset_init(pos, true);
    sgc_evtset_init(neg, true);
}

static sgc_fold_value fold_value(const sgc_node *n)
{
    sgc_evtset pos, neg;
    analyze(n, &pos, &neg);
    sgc_fold_value v = sgc_evtset_is_empty(&pos)   ? SGC_FOLD_FALSE
                       : sgc_evtset_is_empty(&neg) ? SGC_FOLD_TRUE
                                                   : SGC_FOLD_UNKNOWN;
    sgc_evtset_free(&pos);
    sgc_evtset_free(&neg);
    return v;
}

/* Walk down to the smallest sub-expression that carries the constant. */
static sgc_fold_result explain(const sgc_node *n, sgc_fold_value want)
{
    sgc_fold_result r = {want, n, want, NULL};
    switch (n->kind) {
    case SGC_N_CONST: r.reason = n->const_value ? "constant true" : "constant false"; return r;
    case SGC_N_CHECK:
        if (is_empty_list_check(n))
            r.reason = "the list is empty";
        else if (want == SGC_FOLD_FALSE)
            r.reason = "no event type satisfies it";
        else
            r.reason = "every event type satisfies it";
        return r;
    case SGC_N_NOT:
        /* the result carries the culprit's own value */
        return explain(n->kids[0], want == SGC_FOLD_TRUE ? SGC_FOLD_FALSE : SGC_FOLD_TRUE);
    case SGC_N_AND:
    case SGC_N_OR: {
        /* the constant a single child forces: false for and, true for or */
        sgc_fold_value forcing = n->kind == SGC_N_AND ? SGC_FOLD_FALSE : SGC_FOLD_TRUE;
        if (want == forcing) {
            for (int i = 0; i < n->nkids; i++)
                if (fold_value(n->kids[i]) == want) return explain(n->kids[i], want);
            r.reason = has_complement_pair(n) ? "it contains a check and its negation"
                       : want == SGC_FOLD_FALSE
                           ? "its evt.type constraints contradict each other"
                           : "its evt.type alternatives cover every event type";
        } else {
            r.reason = "every part of it is constant";
        }
        return r;
    }
    case SGC_N_MACRO: break;
    }
    r.reason = "constant";
    return r;
}

sgc_fold_result sgc_fold_condition(const sgc_node *cond)
{
    sgc_fold_result r = {SGC_FOLD_UNKNOWN, NULL, SGC_FOLD_UNKNOWN, NULL};
    if (!cond) return r;
    sgc_fold_value v = fold_value(cond);
    if (v == SGC_FOLD_UNKNOWN) return r;
    r = explain(cond, v);
    r.culprit_value = r.value;
    r.value = v;
    return r;
}
