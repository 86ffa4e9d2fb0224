/* Splitting a syscall group's kernel filter into chunks one BPF function
 * can hold (issue 18: no workspace or program-size wall).
 *
 * A group's rules are cut, in order, into chunks of at most
 * SGC_PD_CHUNK_ATOMS distinct kernel atoms and SGC_PD_CHUNK_RULES rules;
 * codegen emits one global (separately verified) function per chunk whose
 * atom memo is the workspace's v[] (sized for one chunk, not the group).
 * A rule whose own formula has more atoms than a chunk holds is not
 * evaluated in the kernel: it is always a candidate (sound: the kernel
 * never drops an event for it) and lint names it. Groups of more than
 * SGC_PD_INDEX_MIN_RULES rules are indexed first (pushdown_index.h). */
#ifndef SGC_PUSHDOWN_SPLIT_H
#define SGC_PUSHDOWN_SPLIT_H

#include "pushdown.h"

#define SGC_PD_CHUNK_ATOMS   512
#define SGC_PD_CHUNK_RULES   128
/* Atoms per atom function of a split group (codegen_bpf.c). */
#define SGC_PD_ATOM_FN_CASES 512
/* BPF functions the generated filter may have: the verifier takes 256
 * subprograms per program, and the capture handler's own code has about a
 * dozen. A rule set whose filter needs more is compiled without one (sgc
 * lint warns, SGC_KERNEL_FILTER_USERSPACE). */
#define SGC_PD_MAX_FUNCTIONS 224

typedef struct sgc_pd_chunk {
    int *rules; /* indices into the group's rules[] */
    int nrules;
    int *katoms; /* kernel atoms (pd->katoms indices) the chunk evaluates,
                    the guard's first */
    int nkatoms;
    sgc_ir *guard;    /* NULL, or a conjunction that is FALSE only when every
                         rule of the chunk is (pushdown_index.h) */
    int nguard_atoms; /* katoms[0..nguard_atoms): the guard's atoms */
    int *lits;        /* the guard's literals (atom * 2 + negated), ascending */
    int nlits;
    int union_atom; /* the guard's union atom, or -1 */
} sgc_pd_chunk;

/* Consecutive chunks whose guards have the same literals (pushdown_index.h):
 * chunks[first..first+nchunks). Every chunk is in one class. */
typedef struct sgc_pd_chunk_class {
    int first, nchunks;
    sgc_ir *guard; /* NULL, or the chunks' literals and the union of their
                      union atoms: FALSE only when every chunk's guard is */
} sgc_pd_chunk_class;

typedef struct sgc_pd_split {
    sgc_pd_chunk *chunks;
    int nchunks;
    int *kept; /* group rule indices left to userspace (always candidates) */
    int nkept;
    sgc_pd_chunk_class *classes;
    int nclasses;
} sgc_pd_split;

/* Plan group gi with the given limits (<= 0: the defaults above). */
void sgc_pd_split_group(const sgc_pushdown *pd, int gi, int max_atoms, int max_rules,
                        sgc_pd_split *out);
void sgc_pd_split_free(sgc_pd_split *s);
/* Whether plan s keeps its group whole: one chunk, no rule left out
 * (codegen emits one function for it). */
bool sgc_pd_split_whole(const sgc_pd_split *s);
/* The BPF functions codegen emits for group gi planned as s: one for a
 * whole group; else its chunks, its atom
 * functions, its conjunction function and its own. */
int sgc_pd_split_functions(const sgc_pushdown *pd, const sgc_pd_split *s);
/* The BPF functions of pd's whole filter (each group planned with the
 * default limits, as codegen does). */
int sgc_pd_filter_functions(const sgc_pushdown *pd);
/* Distinct kernel atoms of a formula. */
int sgc_pd_formula_atoms(const sgc_pushdown *pd, const sgc_ir *f);

#endif
