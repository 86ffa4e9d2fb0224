/* The rule index of a split group (issue 18): an event evaluates only the
 * chunks whose rules can match it.
 *
 * A large group's rules are ordered by an index key before they are cut
 * into chunks (pushdown_split.h), so rules with the same shape share a
 * chunk, and every chunk gets a guard: a conjunction of literals every rule
 * of the chunk has as a top-level conjunct, plus, when every rule has a
 * positive constant-set conjunct over the same string (same argument,
 * comm, set kind), one atom over the union of those sets. Consecutive
 * chunks whose guards have the same literals form a class, whose guard is
 * those literals and, over two chunks or more with union atoms on one
 * string, the union of their unions. The group's function tests a class's
 * guard once, then each chunk's union atom, and calls only the chunks
 * whose guard is not FALSE, so a benign event costs a test per class, not
 * a call per chunk. Sound: a FALSE conjunct makes each rule FALSE, and a string in none of
 * the union's items is in none of the rules' sets; UNKNOWN (an undecided
 * string, the early pass) evaluates the chunk. Rules with no such conjunct
 * get a weaker guard or none: they are always evaluated. */
#ifndef SGC_PUSHDOWN_INDEX_H
#define SGC_PUSHDOWN_INDEX_H

#include "pushdown.h"

/* Groups with more rules than this are indexed (ordered, keyed chunks,
 * guards); smaller ones keep the plain split. */
#define SGC_PD_INDEX_MIN_RULES 128
/* A chunk ends where the index key changes once it has this many rules. */
#define SGC_PD_INDEX_MIN_CHUNK 8

/* The order in which group gi's rules are chunked (order[0..nrules)), and
 * each rule's key class (key[rule] equal for rules of the same shape).
 * Returns false (order untouched) for groups that are not indexed. */
bool sgc_pd_index_order(const sgc_pushdown *pd, int gi, int *order, int *key);

/* The guard of a chunk of group gi made of rules[0..nrules) (group rule
 * indices): lits[0..*nlits), ascending, the literals (atom * 2 + negated)
 * every rule of the chunk has as a top-level conjunct (lits holds
 * SGC_PD_INDEX_MAX_LITS), and the returned union atom interned for the
 * chunk (sgc_pd_index_build), or -1 (none, or one of the literals). */
int sgc_pd_index_guard(const sgc_pushdown *pd, int gi, const int *rules, int nrules, int *lits,
                       int *nlits);
#define SGC_PD_INDEX_MAX_LITS 64

/* The union atom of a class of chunks (pushdown_split.h) of group gi:
 * nchunks chunks, the first starting with group rule `first`; the union of
 * the chunks' union atoms, so FALSE only when all of them are. -1: none. */
int sgc_pd_index_class_atom(const sgc_pushdown *pd, int gi, int first, int nchunks);

/* A guard as a formula: the conjunction of lits[0..nlits) and atom (when
 * >= 0), or NULL when that is empty. */
sgc_ir *sgc_pd_index_guard_ir(const int *lits, int nlits, int atom);

/* A union set holds at most this many items; a larger one is not made. */
#define SGC_PD_INDEX_MAX_UNION 100000

/* Intern the union sets and atoms of every indexed chunk (called once the
 * groups are built). */
void sgc_pd_index_build(sgc_pushdown *pd);
void sgc_pd_index_free(sgc_pushdown *pd);

#endif
