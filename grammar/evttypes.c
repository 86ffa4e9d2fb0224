#include "evttypes.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nwords(int nbits) { return (nbits + 63) / 64; }

/* Bits at or past nbits in the last word stay zero, so counting and
 * comparing need no masks. */
static void clear_tail(sgc_evtset *s)
{
    int rem = s->nbits % 64;
    if (rem) s->w[nwords(s->nbits) - 1] &= (UINT64_C(1) << rem) - 1;
}

void sgc_evtset_init(sgc_evtset *s, bool all)
{
    s->nbits = sgc_event_count();
    s->w = calloc((size_t)nwords(s->nbits) + 1, sizeof *s->w);
    if (all) {
        memset(s->w, 0xff, (size_t)nwords(s->nbits) * sizeof *s->w);
        clear_tail(s);
    }
}

void sgc_evtset_free(sgc_evtset *s)
{
    free(s->w);
    s->w = NULL;
    s->nbits = 0;
}

void sgc_evtset_copy(sgc_evtset *dst, const sgc_evtset *src)
{
    memcpy(dst->w, src->w, (size_t)nwords(src->nbits) * sizeof *src->w);
}

void sgc_evtset_add(sgc_evtset *s, int id)
{
    if (id >= 0 && id < s->nbits) s->w[id / 64] |= UINT64_C(1) << (id % 64);
}

bool sgc_evtset_has(const sgc_evtset *s, int id)
{
    return id >= 0 && id < s->nbits && (s->w[id / 64] >> (id % 64)) & 1;
}

int sgc_evtset_count(const sgc_evtset *s)
{
    int n = 0;
    for (int i = 0; i < nwords(s->nbits); i++) n += __builtin_popcountll(s->w[i]);
    return n;
}

bool sgc_evtset_is_empty(const sgc_evtset *s)
{
    for (int i = 0; i < nwords(s->nbits); i++)
        if (s->w[i]) return false;
    return true;
}

bool sgc_evtset_is_all(const sgc_evtset *s) { return sgc_evtset_count(s) == s->nbits; }

bool sgc_evtset_equal(const sgc_evtset *a, const sgc_evtset *b)
{
    return a->nbits == b->nbits && !memcmp(a->w, b->w, (size_t)nwords(a->nbits) * sizeof *a->w);
}

void sgc_evtset_intersect(sgc_evtset *a, const sgc_evtset *b)
{
    for (int i = 0; i < nwords(a->nbits); i++) a->w[i] &= b->w[i];
}

void sgc_evtset_union(sgc_evtset *a, const sgc_evtset *b)
{
    for (int i = 0; i < nwords(a->nbits); i++) a->w[i] |= b->w[i];
}

void sgc_evtset_complement(sgc_evtset *a)
{
    for (int i = 0; i < nwords(a->nbits); i++) a->w[i] = ~a->w[i];
    clear_tail(a);
}

/* ---- conditions -------------------------------------------------------------- */

static bool is_evttype_field(const sgc_value *v)
{
    return v && v->kind == SGC_V_FIELD && !v->arg &&
           (!strcmp(v->field, "evt.type") || !strcmp(v->field, "syscall.type"));
}

/* Names on the right of = != in: a string, or a list of strings. Anything
 * else (a field, val(), an unresolved list reference) cannot be known here. */
static bool add_names(const sgc_value *rhs, sgc_evtset *s)
{
    if (!rhs) return false;
    if (rhs->kind == SGC_V_STRING) {
        sgc_evtset_add(s, sgc_event_id(rhs->str));
        return true;
    }
    if (rhs->kind != SGC_V_LIST) return false;
    for (int i = 0; i < rhs->nitems; i++) {
        sgc_value tmp;
        const sgc_value *it = sgc_list_item(rhs, i, &tmp);
        if (it->kind == SGC_V_STRING)
            sgc_evtset_add(s, sgc_event_id(it->str));
        else if (it->kind == SGC_V_LIST) {
            if (!add_names(it, s)) return false;
        } else
            return false;
    }
    return true;
}

bool sgc_check_evttypes(const sgc_node *check, sgc_evtset *pos)
{
    if (check->kind != SGC_N_CHECK || !is_evttype_field(check->lhs)) return false;
    if (check->op == SGC_OP_EXISTS) {
        /* every event has a type: true for all, and its negation for none */
        sgc_evtset all;
        sgc_evtset_init(&all, true);
        sgc_evtset_copy(pos, &all);
        sgc_evtset_free(&all);
        return true;
    }
    if (check->op != SGC_OP_EQ && check->op != SGC_OP_NE && check->op != SGC_OP_IN) return false;
    /* with a list modifier only the forms that are exactly `in` / `not in`
     * are decided: `= anyof (a, b)` and `!= allof (a, b)`; the others
     * (oneof, = allof, != anyof) are left undecided (every type) */
    if (check->mod != SGC_MOD_NONE && !(check->mod == SGC_MOD_ANYOF && check->op == SGC_OP_EQ) &&
        !(check->mod == SGC_MOD_ALLOF && check->op == SGC_OP_NE))
        return false;
    sgc_evtset names;
    sgc_evtset_init(&names, false);
    bool known = add_names(check->rhs, &names);
    if (known) {
        if (check->op == SGC_OP_NE) sgc_evtset_complement(&names);
        sgc_evtset_copy(pos, &names);
    }
    sgc_evtset_free(&names);
    return known;
}

/* Types where n can be true (negated=false) or false (negated=true). */
static void walk(const sgc_node *n, bool negated, sgc_evtset *out)
{
    switch (n->kind) {
    case SGC_N_AND:
    case SGC_N_OR: {
        /* De Morgan: a negated `and` is an `or` of negated children */
        bool intersect = (n->kind == SGC_N_AND) != negated;
        sgc_evtset kid;
        sgc_evtset_init(&kid, false);
        sgc_evtset_init(out, intersect);
        for (int i = 0; i < n->nkids; i++) {
            sgc_evtset_free(&kid);
            walk(n->kids[i], negated, &kid);
            if (intersect)
                sgc_evtset_intersect(out, &kid);
            else
                sgc_evtset_union(out, &kid);
        }
        sgc_evtset_free(&kid);
        return;
    }
    case SGC_N_NOT: walk(n->kids[0], !negated, out); return;
    case SGC_N_CONST: sgc_evtset_init(out, n->const_value != negated); return;
    case SGC_N_CHECK:
        sgc_evtset_init(out, true);
        if (sgc_check_evttypes(n, out) && negated) sgc_evtset_complement(out);
        return;
    case SGC_N_MACRO: sgc_evtset_init(out, true); return;
    }
    sgc_evtset_init(out, true);
}

void sgc_condition_evttypes(const sgc_node *cond, sgc_evtset *out)
{
    if (!cond) {
        sgc_evtset_init(out, true);
        return;
    }
    walk(cond, false, out);
}

char *sgc_evtset_to_string(const sgc_evtset *s, int max)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int shown = 0, total = sgc_evtset_count(s);
    for (int id = 0; id < s->nbits; id++) {
        if (!sgc_evtset_has(s, id)) continue;
        if (shown == max) {
            fprintf(f, "%s... (%d more)", shown ? ", " : "", total - shown);
            break;
        }
        fprintf(f, "%s%s", shown ? ", " : "", sgc_event_name(id));
        shown++;
    }
    fclose(f);
    return buf;
}
