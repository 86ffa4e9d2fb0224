/* The pushdown split: which part of each rule the kernel decides.
 *
 * Every IR atom is classified, per syscall (the hook is the syscall exit),
 * into a kernel atom the BPF filter evaluates, or UNKNOWN:
 *   kernel-exact    the kernel value is the value the userspace evaluator
 *                   extracts (header fields, integer arguments, flags, comm);
 *   kernel-partial  the kernel decides only some events and says UNKNOWN for
 *                   the rest (a path argument: decided when it was copied
 *                   whole and is absolute and clean);
 *   userspace-only  needs the process table, fd table, container runtime...
 * Each rule's formula is then specialized per syscall (evt.type folds to a
 * constant, undecidable atoms become UNKNOWN) and evaluated in Kleene logic:
 * the kernel drops an event only when every rule of its syscall is FALSE,
 * and otherwise passes it with a bitmap of the rules that are TRUE or
 * UNKNOWN. Syscalls whose specialized rule sets are identical share one
 * group (one generated function).
 *
 * Kernel atoms are interned across rules and syscalls: an atom shared by
 * several rules is evaluated once per event. Constant string sets are
 * interned too; they become BPF map entries (codegen_bpf.h). */
#ifndef SGC_PUSHDOWN_H
#define SGC_PUSHDOWN_H

#include "evttypes.h"
#include "ir.h"
#include "ruleset.h"
#include "sgc_event.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SGC_PD_EXACT,    /* always TRUE or FALSE in the kernel */
    SGC_PD_PARTIAL,  /* TRUE/FALSE for some events, UNKNOWN for others */
    SGC_PD_USERSPACE /* always UNKNOWN in the kernel */
} sgc_pd_class;

const char *sgc_pd_class_name(sgc_pd_class c); /* "kernel-exact", ... */

/* Where the kernel reads a value at the syscall exit. */
typedef enum {
    SGC_KV_HDR,   /* a header field (hdr_name, hdr_off, hdr_size bytes) */
    SGC_KV_RET,   /* the return value, signed */
    SGC_KV_REG,   /* raw integer argument hdr.args[idx] */
    SGC_KV_PATH,  /* user string at hdr.args[idx]: decided only when copied
                        whole, absolute and clean (no //, /./, /../) */
    SGC_KV_RAW,   /* fd.nameraw of an open: the user string at hdr.args[idx]
                        as given; decided when copied whole (any form) */
    SGC_KV_DIR,   /* fd.directory of an open: the dirname of the path at
                        hdr.args[idx] (decided as SGC_KV_PATH), or the path
                        itself when the open succeeded with O_DIRECTORY in
                        hdr.args[flags_idx] (flags_idx -1: never) */
    SGC_KV_COMM,  /* hdr.comm: proc.name */
    SGC_KV_PCOMM, /* hdr.pcomm: proc.pname */
    SGC_KV_HOST,  /* the process is on the host as of its last exec (the
                        sgc_cid map, keyed by hdr.pid): container.id is "host";
                        otherwise UNKNOWN (bpf-templates/capture_container.h) */
    SGC_KV_UNAME, /* the name of a header id (idx = SGC_KUN_*) in the
                        kernel's copy of the host's user database: decided
                        for processes on the host as SGC_KV_HOST says, and
                        ids the map names; otherwise UNKNOWN (pushdown_users.c,
                        bpf-templates/filter_users.h) */
    SGC_KV_ANC,   /* proc.aname: the comms of the kernel's real_parent chain
                        (filter_anc.h, the record's SGC_BLOB_ANCESTORS): idx =
                        the level N of proc.aname[N] (2..SGC_ANC_MAX), or 0 for
                        any ancestor; a level past the root is absent (every
                        comparison FALSE, after `negate`) */
    SGC_KV_SOCK,  /* a socket field of a socket syscall (pushdown_sock.c):
                        idx = SGC_KS_* field, sock_end = SGC_KSE_* end
                        (bpf-templates/shared/sgc_sockview.h); decided when
                        the record carries the socket tuple */
    SGC_KV_EXEC,  /* a string of the new image on an exec record: proc.exe
                        (argv[0]), proc.exepath or proc.cwd (with the
                        evaluator's trailing '/'); idx = the filter's string
                        slot SGC_KEX_SLOT_*. Decided, as a name taken whole
                        (SGC_KV_RAW), on SGC_REC_PROC_EXEC records whose blob
                        is whole; UNKNOWN on any other record, where the
                        evaluator reads the process table (pushdown_exec.c,
                        bpf-templates/filter_exec.h) */
    SGC_KV_XFLAG, /* proc.is_exe_*: the SGC_EXE_* bit masks[0] of the exec
                        record's SGC_BLOB_EXE_FLAGS (kop BITS); decided as
                        SGC_KV_EXEC */
    SGC_KV_ENV    /* proc.env of the new image (kop STR_SCAN only): the exec
                        record's SGC_BLOB_ENV, items joined by spaces, scanned
                        in the record; decided as SGC_KV_EXEC */
} sgc_kv_src;

/* The filter's string slots (bpf-templates/filter_helpers.h struct
 * sgc_fscratch path[8]) of the SGC_KV_EXEC strings: slots 0-3 hold the
 * syscall string arguments (none is at index 4 or above:
 * schema/syscall_args.c, a unit test checks it), and no group that decides
 * an exec string (execve, execveat) has an argument string there: their
 * string arguments are at 0 and 1 (pushdown_exec.c checks it). Slots 3 and
 * 4 are exec strings only on exec records (filter_exec.h). */
#define SGC_KEX_SLOT_CMDLINE 3 /* comm, then " " and argv[1..] joined by spaces */
#define SGC_KEX_SLOT_ARGS    4 /* argv[1..] joined by spaces */
#define SGC_KEX_SLOT_EXE     5 /* argv[0]: SGC_BLOB_ARGV up to its first NUL */
#define SGC_KEX_SLOT_EXEPATH 6 /* SGC_BLOB_EXE */
#define SGC_KEX_SLOT_CWD     7 /* SGC_BLOB_CWD, '/' appended when it has none */

/* Which id a SGC_KV_UNAME atom names: user.name (euid), group.name (egid),
 * user.loginname (loginuid: no name, every comparison FALSE, when unset). */
typedef enum { SGC_KUN_EUID, SGC_KUN_EGID, SGC_KUN_LOGINUID } sgc_kun_id;

typedef enum {
    SGC_KOP_NUM_CMP,  /* value <cmp> num */
    SGC_KOP_NUM_IN,   /* value in (nums) */
    SGC_KOP_BITS,     /* (accmode in accset) or any (value & mask) == mask */
    SGC_KOP_STR_SET,  /* string in constant set `set` (eq/prefix/suffix/pmatch) */
    SGC_KOP_STR_GLOB, /* string matches segs[0]*segs[1]*...*segs[nsegs-1]
                            (nsegs >= 2; `contains X` is "*X*") */
    SGC_KOP_HOST,     /* HOST: `num` (1 TRUE, 0 FALSE) when the source holds,
                            else UNKNOWN (before `negate`) */
    SGC_KOP_CIDR,     /* SOCK IP: the address is in one of the networks in
                            nums, 3 per network: family << 8 | prefix bits,
                            the address's bytes 0-7 and 8-15 (big endian);
                            `negate`: in none of them */
    SGC_KOP_STR_SCAN, /* EXEC (cmdline, args) or ENV: the string contains
                            the needle segs[0] then segs[1] (1 to 16 bytes),
                            ASCII case folded when num is 1 (icontains;
                            the needle is lowercase then); nsegs 1: the
                            needle is the first 16 bytes of a longer
                            constant, so a match is UNKNOWN (no match
                            still FALSE) */
    SGC_KOP_SOCKNAME  /* SOCK NAME/TUPLE: the rendered string is one of the
                            constants in nums, 6 per constant: shape
                            (SGC_KSN_*) << 8 | family (4 or 6), the first
                            end's address bytes 0-7 and 8-15, the second's,
                            first port << 16 | second port (pushdown_sockname.c);
                            `negate`: none of them (none at all: FALSE, a
                            constant no IPv4/IPv6 rendering can match) */
} sgc_kop;

typedef enum { SGC_SET_EQ, SGC_SET_PREFIX, SGC_SET_SUFFIX, SGC_SET_PMATCH } sgc_set_kind;

const char *sgc_set_kind_name(sgc_set_kind k);

/* Longest string the kernel compares (bytes, without the NUL): the LPM key
 * holds a 4-byte set id and the string with its NUL in 256 bytes. */
#define SGC_KSTR_MAX 250

typedef struct sgc_kset {
    int id; /* set id in map keys (unique across all sets) */
    sgc_set_kind kind;
    bool comm; /* over a comm (char[16], hash map for EQ) */
    char **items;
    int nitems;
    bool guard;       /* an index guard reads it (pushdown_index.h): its comm
                               slot comes first */
    uint8_t *verdict; /* per item: 1 = a match is TRUE, 2 = UNKNOWN
                               (a comm equal to the first 15 chars of a longer name) */
    uint64_t hash;    /* of kind, comm, items and verdicts (interning key) */
} sgc_kset;

#define SGC_KATOM_MAX_MASKS 8
/* Items of a socket address, network or port list the kernel tests inline,
 * at most. A longer address or network list (threat intelligence: 100,000
 * addresses) is looked up in an LPM trie (codegen_bpf_sock.c); a longer
 * port list is UNKNOWN in the kernel and decided in userspace, instead of a
 * generated test too large for clang and the verifier (issue 18). */
#define SGC_KSOCK_MAX_ITEMS 16
/* Globs (and `contains`) the kernel decides: literal segments of at most
 * SGC_KSEG_MAX bytes between '*', at most SGC_KGLOB_MAX_SEGS segments. */
#define SGC_KSEG_MAX        8
#define SGC_KGLOB_MAX_SEGS  6

typedef struct sgc_katom {
    int id;
    sgc_kv_src src;
    int idx;               /* REG/PATH: argument register */
    const char *hdr_name;  /* HDR: member name ("euid") */
    int hdr_off, hdr_size; /* HDR: offset and size in sgc_event_hdr */
    bool is_signed;        /* compare as signed (ret, loginuid) */
    int width;             /* REG/HDR: 32 or 64 bits compared */
    sgc_kop kop;
    bool negate;      /* the result is negated (`!=`, `not in` forms) */
    bool ret_guard;   /* when the syscall failed (ret < 0) the atom is
                               ret_fail instead (applied after `negate`) */
    uint8_t ret_fail; /* sgc_kleene: the evaluator's value of the check
                               on a failed open (fd.num = -1, fd.typechar = f) */
    sgc_op cmp;       /* NUM_CMP: EQ, NE, LT, LE, GT, GE */
    int64_t num;
    int64_t *nums; /* NUM_IN */
    int nnums;
    uint8_t accset; /* BITS: bit a set = access mode a (0..3) matches */
    uint64_t masks[SGC_KATOM_MAX_MASKS];
    int nmasks;
    int set;   /* STR_SET: index into pd->sets */
    int nsegs; /* STR_GLOB: segments (first anchored at the start,
                               last at the end, the others found in order) */
    char segs[SGC_KGLOB_MAX_SEGS][SGC_KSEG_MAX + 1];
    int flags_idx;    /* DIR, dir_false: register of the open flags, -1 for none */
    bool dir_false;   /* FALSE when the open succeeded with O_DIRECTORY in
                               args[flags_idx] (fd.filename: a directory has
                               none); applied with ret_guard, before `negate` */
    int sock_end;     /* SOCK: SGC_KSE_* */
    sgc_pd_class cls; /* EXACT or PARTIAL */
    char *text;       /* canonical description, the interning key */
} sgc_katom;

/* A classification of one IR atom at one syscall. */
typedef struct sgc_pd_verdict {
    sgc_pd_class cls;
    int katom;       /* kernel atom index, or -1 */
    int constant;    /* -1, or SGC_K_TRUE/FALSE/UNKNOWN when the atom folds */
    const char *why; /* static explanation (userspace-only, partial) */
    bool over_limit; /* userspace-only because its list is longer than the
                        kernel tests (SGC_KSOCK_MAX_ITEMS): lint warns */
} sgc_pd_verdict;

typedef struct sgc_pd_rule {
    const char *name;
    int bit;            /* index in the candidate bitmap */
    sgc_ir *cond;       /* folded IR of the resolved condition */
    sgc_evtset types;   /* event types the rule can match */
    bool never;         /* folds to FALSE or matches no type */
    const char *source; /* NULL for syscall rules; else the rule's source
                               ("k8s_audit"): no kernel part, never a syscall
                               candidate (never is set) */
} sgc_pd_rule;

/* Rules evaluated for one group of syscalls, each as an NNF formula over
 * kernel atoms (sgc_ir whose atom ids are katom indices). */
typedef struct sgc_pd_group_rule {
    int rule;  /* index into pd->rules (== its bit) */
    sgc_ir *f; /* never the constant FALSE */
} sgc_pd_group_rule;

typedef struct sgc_pd_group {
    int *nrs; /* syscall numbers in this group */
    int nnrs;
    sgc_pd_group_rule *rules;
    int nrules;
    int *katoms; /* kernel atoms the group evaluates, each once */
    int nkatoms;
    char *signature; /* for grouping */
} sgc_pd_group;

/* The most enabled rules a kernel filter decides for: its candidate bitmap
 * is kept in one blob of the record. A rule set with more is compiled
 * without a kernel filter (sgc_artifact_build), and sgc lint says so. */
#define SGC_PD_MAX_RULES (SGC_CAND_WORDS_MAX * 64)

typedef struct sgc_pushdown {
    sgc_ir_atoms atoms;
    sgc_pd_rule *rules;
    int nrules;
    int cand_words; /* u64 words of candidate bitmap (>= 1) */
    sgc_katom **katoms;
    int nkatoms;
    sgc_kset **sets;
    int nsets;
    sgc_pd_group *groups;
    int ngroups;
    int max_nr;                 /* syscalls 0..max_nr */
    int *group_of_nr;           /* [max_nr+1]: group index, -1 = no rule: drop */
    int default_group;          /* the group most syscalls share (-1 = none) */
    struct sgc_pd_cache *cache; /* internal: classification cache */
    uint8_t *rule_nrs;          /* internal: [nrule_nrs][max_nr+1], rule covers syscall */
    int nrule_nrs;
    struct sgc_pd_index *index; /* internal: union atoms of chunk guards (pushdown_index.h) */
    sgc_strindex katom_index;   /* internal: katom text -> index (pushdown_intern.c) */
    sgc_strindex set_index;     /* internal: set hash -> index of the first set with it */
} sgc_pushdown;

/* Build the split for the enabled rules of a resolved rule set (rules whose
 * `resolved` is NULL count as UNKNOWN everywhere: always candidates).
 * Rule bits follow the order of rs->rules, skipping disabled rules. */
sgc_pushdown *sgc_pushdown_build(const sgc_ruleset *rs);
/* Same from bare conditions (tests): names[i] may be NULL. */
sgc_pushdown *sgc_pushdown_build_conditions(const sgc_node *const *conds, const char *const *names,
                                            int n);
void sgc_pushdown_free(sgc_pushdown *pd);

/* Classify IR atom `atom` at syscall nr, interning its kernel atom. */
sgc_pd_verdict sgc_pushdown_classify(sgc_pushdown *pd, int atom, int nr);

/* The rule's formula at syscall nr over kernel atoms (NNF, folded); NULL
 * when the rule is not evaluated at nr (type outside its set). */
sgc_ir *sgc_pushdown_specialize(sgc_pushdown *pd, int rule, int nr);

/* How much of a rule the kernel decides. */
typedef enum {
    SGC_PD_RULE_COMPLETE,   /* TRUE or FALSE in the kernel for every event of its syscalls */
    SGC_PD_RULE_PARTIAL,    /* the kernel drops some events, passes the rest as candidates */
    SGC_PD_RULE_USERSPACE,  /* the kernel never drops an event for this rule */
    SGC_PD_RULE_NO_SYSCALL, /* matches only events without a syscall hook (procexit, container...) */
    SGC_PD_RULE_NEVER       /* its condition folds to false: it never matches */
} sgc_pd_rule_status;

const char *sgc_pd_rule_status_name(sgc_pd_rule_status s); /* "complete", ... */
sgc_pd_rule_status sgc_pushdown_rule_status(sgc_pushdown *pd, int rule);
/* Does the rule's event-type set cover syscall nr? */
bool sgc_pushdown_rule_has_nr(const sgc_pushdown *pd, int rule, int nr);

/* The checks the build found left to userspace only by a size limit
 * (sgc_pd_verdict.over_limit), as pairs (*out)[2i] = IR atom, (*out)[2i+1] =
 * syscall, ordered by atom then syscall; *out is malloc'd (NULL when none).
 * Returns the number of pairs. */
int sgc_pushdown_over_limit(const sgc_pushdown *pd, int **out);

/* The deepest ancestor level the kernel atoms of pd read (0: none): the
 * filter walks the real_parent chain that far (SGC_F_ANC_DEPTH,
 * pushdown_anc.c). */
int sgc_pd_anc_depth(const sgc_pushdown *pd);

/* A string against a set, with the maps' semantics (longest match decides). */
sgc_kleene sgc_kset_match(const sgc_kset *set, const char *s, size_t len);

#endif
