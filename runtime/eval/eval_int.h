/* Internals of the evaluator shared by eval_compile.c and eval.c. */
#ifndef SGC_EVAL_INT_H
#define SGC_EVAL_INT_H

#include "strindex.h"
#include "eval.h"
#include "ops.h"
#include "transform.h"

/* Distinct fields of a program, each extracted at most once per event. */
typedef struct sgc_slot {
    sgc_field_ref ref;
    char *key;                /* "name" or "name[arg]" */
    char *own_name, *own_arg; /* the ref's strings (the AST may go first) */
    uint32_t stamp;           /* event generation of `val` */
    bool ok;
    sgc_val val;
} sgc_slot;

/* A check's result for the current event, shared by every identical check
 * of the rule set (the same `proc.name in (...)` in twenty rules is
 * evaluated once per event). */
typedef struct sgc_memo {
    char *key; /* the check as an s-expression */
    uint32_t stamp;
    bool val;
} sgc_memo;

typedef struct sgc_prog {
    sgc_arena pool; /* compiled nodes, contiguous for cache locality */
    sgc_slot *slots;
    int nslots, cap;
    sgc_memo *memos;
    int nmemos, memocap;
    uint32_t gen; /* current event generation */
    int evtype;   /* event id of the current event (-1 none) */
    uint64_t extractions;
    /* compiled operands of shared lists (sgc_value.share): one hash set per
     * (list, operator), every check of it borrowing (sgc_cmp.borrowed) */
    struct sgc_shared_cmp {
        const void *list;
        sgc_op op;
        bool either;
        sgc_cmp cmp;
    } *shared;
    int nshared;
    sgc_strindex memo_index; /* memos[].key -> index */
} sgc_prog;

typedef enum { EX_FIELD, EX_TRANSFORM, EX_LITERAL, EX_LIST } ex_kind;

typedef struct ex_node {
    ex_kind kind;
    int slot;             /* EX_FIELD */
    sgc_transform tf;     /* EX_TRANSFORM */
    struct ex_node *args; /* EX_TRANSFORM args / EX_LIST items */
    int nargs;
    char *lit; /* EX_LITERAL */
    size_t litlen;
} ex_node;

typedef enum { CN_AND, CN_OR, CN_NOT, CN_CONST, CN_CHECK, CN_EVTTYPE } cn_kind;

/* What a CN_CHECK compares (kept out of cn_node so the nodes the evaluator
 * walks stay small and close together). */
typedef struct cn_check {
    ex_node lhs;
    ex_node *rhs_dyn; /* val(field): evaluated per event */
    sgc_cmp cmp;
    /* a list modifier (oneof/anyof/allof): the operator compiled once per
     * item; the check counts the items it holds for */
    sgc_listmod mod;
    sgc_cmp *mcmp;
    int nmcmp;
} cn_check;

typedef struct cn_node {
    uint8_t kind; /* cn_kind */
    bool value;   /* CN_CONST */
    bool neg;     /* CN_CHECK, CN_EVTTYPE: a `not` folded in */
    int nkids;
    int memo;  /* CN_CHECK: index in prog->memos */
    int nbits; /* CN_EVTTYPE */
    struct cn_node **kids;
    cn_check *chk;  /* CN_CHECK */
    uint64_t *bits; /* CN_EVTTYPE: event ids where the check holds */
} cn_node;

/* A compiled condition as a flat branch program: each instruction is a
 * leaf test (check, event-type bits, constant) with where to go next on true
 * and on false; and/or/not are only jumps. Evaluation is a loop over one
 * contiguous array, without recursion. */
enum { CI_ACCEPT = -1, CI_REJECT = -2 };

typedef struct cn_instr {
    uint8_t kind; /* CN_CHECK, CN_EVTTYPE or CN_CONST */
    bool neg;
    bool value;                 /* CN_CONST */
    int memo;                   /* CN_CHECK */
    int on_true, on_false;      /* next instruction, or CI_ACCEPT / CI_REJECT */
    int nbits;                  /* CN_EVTTYPE */
    const uint64_t *bits;       /* CN_EVTTYPE */
    const struct cn_node *node; /* CN_CHECK: the check's node */
} cn_instr;

typedef struct cn_code {
    cn_instr *ins;
    int n;
} cn_code;

/* Flatten a compiled tree (which must outlive the code: checks point into
 * it). Returns false on allocation failure. */
bool sgc_cn_linearize(const cn_node *root, cn_code *out);
void sgc_cn_code_free(cn_code *c);
bool sgc_cn_run(sgc_prog *p, const cn_code *c, sgc_extract_ctx *cx);

void sgc_prog_init(sgc_prog *p);
void sgc_prog_free(sgc_prog *p);
/* Start a new event. */
static inline void sgc_prog_begin(sgc_prog *p, int evtype)
{
    if (++p->gen == 0) { /* wrapped: invalidate every stamp */
        for (int i = 0; i < p->nslots; i++) p->slots[i].stamp = 0;
        for (int i = 0; i < p->nmemos; i++) p->memos[i].stamp = 0;
        p->gen = 1;
    }
    p->evtype = evtype;
}

cn_node *sgc_cn_compile(sgc_prog *p, const sgc_node *n, char *err, size_t errlen);
void sgc_cn_free(cn_node *n);
bool sgc_cn_eval(sgc_prog *p, const cn_node *n, sgc_extract_ctx *cx);

#endif
