/* The set of event types a condition can match, as a bitset over the event
 * ids of systables.h (sgc_event_id).
 *
 * Semantics are Falco's (libsinsp's event-code visitor): negation is pushed to
 * the leaves by De Morgan's laws, then
 *   evt.type = X / in (X, Y)  -> {X, Y}     (under negation: every other type)
 *   evt.type != X            -> every type but X   (under negation: {X})
 *   evt.type exists          -> all          (under negation: none)
 *   and -> intersection, or -> union
 *   any other check, a macro reference -> all, negated or not ("neutral")
 *   true -> all, false -> none (negation swaps them)
 * The result is a sound over-approximation: an event whose type is outside
 * the set can never satisfy the condition. Names that are not event types
 * contribute nothing (the type checker reports them). `syscall.type` counts
 * as `evt.type`, as in Falco. */
#ifndef SGC_EVTTYPES_H
#define SGC_EVTTYPES_H

#include "ast.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct sgc_evtset {
    int nbits; /* sgc_event_count() */
    uint64_t *w;
} sgc_evtset;

void sgc_evtset_init(sgc_evtset *s, bool all); /* empty, or every event type */
void sgc_evtset_free(sgc_evtset *s);
void sgc_evtset_copy(sgc_evtset *dst, const sgc_evtset *src); /* dst initialised */
void sgc_evtset_add(sgc_evtset *s, int id);
bool sgc_evtset_has(const sgc_evtset *s, int id);
int sgc_evtset_count(const sgc_evtset *s);
bool sgc_evtset_is_empty(const sgc_evtset *s);
bool sgc_evtset_is_all(const sgc_evtset *s);
bool sgc_evtset_equal(const sgc_evtset *a, const sgc_evtset *b);
void sgc_evtset_intersect(sgc_evtset *a, const sgc_evtset *b); /* a &= b */
void sgc_evtset_union(sgc_evtset *a, const sgc_evtset *b);     /* a |= b */
void sgc_evtset_complement(sgc_evtset *a);                     /* a = all - a */

/* Event types for which cond can be true; out is initialised here (free it).
 * cond is normally a resolved condition (macros expanded, lists spliced). */
void sgc_condition_evttypes(const sgc_node *cond, sgc_evtset *out);

/* If check is an event-type check (evt.type/syscall.type with = != in, or
 * exists), set *pos to the types where it can be true and return true;
 * otherwise return false and leave *pos untouched. *pos must be initialised. */
bool sgc_check_evttypes(const sgc_node *check, sgc_evtset *pos);

/* "open, openat, ..." (at most max names, then "... (N more)"); malloc'd. */
char *sgc_evtset_to_string(const sgc_evtset *s, int max);

#endif
