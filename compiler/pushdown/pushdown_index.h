/* The rule index of a split group (issue 18): an event evaluates only the
 * chunks whose rules can match it.
 *
 * A large group's rules are ordered by an index key before they are cut
 * into chunks (pushdown_split.h), so rules with the same shape share a
 * chunk, and every chunk gets a guard: a conjunction of literals every rule
 * of the chunk has as a top-level conjunct, plus, when every rule has a
 * positive constant-set conjunct over the same string (same argument,
 * comm, set kind), one atom over the union of those sets. The chunk's
 * function returns before evaluating any rule when its guard is FALSE.
 * Sound: a FALSE conjunct makes each rule FALSE, and a string in none of
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
 * indices), or NULL: an NNF conjunction over kernel atoms. union_atom is
 * the union atom interned for that chunk (sgc_pd_index_build), or -1. */
sgc_ir *sgc_pd_index_guard(const sgc_pushdown *pd, int gi, const int *rules, int nrules);

/* Intern the union sets and atoms of every indexed chunk (called once the
 * groups are built). */
void sgc_pd_index_build(sgc_pushdown *pd);
void sgc_pd_index_free(sgc_pushdown *pd);

#endif
