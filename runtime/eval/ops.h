/* Comparison operators with Falco's semantics, compiled once per check:
 * the right-hand side is parsed into every form the operator may need
 * (string, number, bool, IP or CIDR, hex bytes), sets become hash sets,
 * regexes are compiled (PCRE2, anchored at both ends as Falco's RE2 match).
 *
 * Semantics (libsinsp's):
 *  - a missing left value (<NA>) makes every operator false, `exists` too;
 *  - `=`/`!=`: strings byte-wise, numbers numerically, bools, IPs; an IP
 *    compared with a CIDR ("10.0.0.0/8") means containment;
 *  - `<`..`>=`: numbers numerically, text byte-wise (strcmp);
 *  - contains/icontains/startswith/endswith on the string form (numbers are
 *    rendered); bcontains/bstartswith take hex bytes ("2f6574");
 *  - glob/iglob: `*` (any run, '/' included), `?`, `[a-z]`, `[!x]`/`[^x]`,
 *    `\x` escapes;
 *  - `in`: membership; on a list-valued field every item must be in the set;
 *    `intersects`: some item is in the set; `pmatch`: the value equals one of
 *    the paths or lies below it (/etc matches /etc and /etc/x, not /etcx),
 *    compared component by component ('/'-separated, empty ones skipped),
 *    an item component with * ? [ matched as a glob (an item /opt/STAR matches
 *    /opt/a/b; /opt/x/subdir matches /opt/x/subdir/y);
 *  - "either" fields (fd.ip, fd.port, fd.net): `=`/`in` true when one end
 *    matches, `!=` when neither does;
 *  - any-ancestor fields (proc.aname, proc.aexe... without an index): true
 *    when the operator holds for some ancestor, `!=` and `in` included. */
#ifndef SGC_OPS_H
#define SGC_OPS_H

#include "ast.h"
#include "value.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Members ordered for packing: one per item of a list operand. */
typedef struct sgc_lit {
    char *s; /* NUL-terminated copy */
    size_t len;
    char *lower; /* lowercase copy (icontains/iglob): s itself when s has no uppercase byte */
    int64_t num;
    uint64_t unum; /* values above INT64_MAX */
    uint8_t *bytes;
    size_t nbytes; /* bcontains/bstartswith */
    uint8_t addr[16];
    int prefix;     /* CIDR length, -1 for a plain address */
    uint8_t family; /* 4 or 6 */
    bool has_num;
    bool has_unum;
    bool has_bool;
    bool b;
    bool has_ip;
} sgc_lit;

/* A set operand, compact (issue 18: lists of 100,000 items): the items'
 * bytes in one pool, and beside it only the forms the operators read from a
 * set: a string hash, the numbers, the IP addresses and networks. */
typedef struct sgc_setip {
    uint8_t addr[16];
    int16_t prefix; /* CIDR length, -1 for a plain address */
    uint8_t family; /* 4 or 6 */
} sgc_setip;

typedef struct sgc_litset {
    char *pool;        /* every item's bytes, each followed by a NUL */
    uint32_t *off;     /* n + 1 offsets: item i is pool[off[i]] .. pool[off[i + 1] - 2] */
    sgc_strpack *pack; /* pool and off are this named list's (a reference), or NULL */
    int n;
    /* string hash set (open addressing, indices+1 into off; 0 = empty) */
    uint32_t *slots;
    uint32_t mask;
    size_t minlen, maxlen;
    int64_t *nums;   /* items that are signed 64-bit numbers, ascending */
    uint64_t *unums; /* items that are unsigned 64-bit numbers, ascending */
    int nnums, nunums;
    sgc_setip *ips; /* items that are IP addresses or networks, in order */
    int nips;
    bool has_true, has_false; /* items "true" / "false" */
} sgc_litset;

/* Item i of a set and its length. */
static inline const char *sgc_litset_item(const sgc_litset *s, int i, size_t *len)
{
    *len = s->off[i + 1] - s->off[i] - 1;
    return s->pool + s->off[i];
}

struct pcre2_real_code_8;
struct pcre2_real_match_data_8;

typedef struct sgc_cmp {
    sgc_op op;
    bool either; /* SGC_EXF_EITHER semantics */
    bool any;    /* any-ancestor fields (proc.aname without index): the
                                check holds when it holds for some item, whatever
                                the operator (Falco's ancestor loop) */
    bool is_set; /* rhs is a list (in/intersects/pmatch; contains/
                                startswith/endswith: any operand, from merging) */
    sgc_lit lit;
    sgc_litset set;
    struct pcre2_real_code_8 *re;
    struct pcre2_real_match_data_8 *md; /* per check: one engine is used by one thread */
    bool borrowed;                      /* a shallow copy of another's compiled operand (a
                                shared list, issue 18): sgc_cmp_free frees nothing */
} sgc_cmp;

/* Compile a check's right side. `items` are the literal strings (one for a
 * scalar operand). Returns false with a message on a bad operand (invalid
 * regex, odd hex...). */
bool sgc_cmp_init(sgc_cmp *c, sgc_op op, const char *const *items, const size_t *lens, int n,
                  bool is_set, bool either, char *err, size_t errlen);
/* A set operand over a named list's packed items, read in place (the list
 * is stored once, issue 18): c holds a reference to pack. Operators of
 * sets only (in, intersects, pmatch). */
void sgc_cmp_init_pack(sgc_cmp *c, sgc_op op, sgc_strpack *pack, bool either);
void sgc_cmp_free(sgc_cmp *c);

/* Evaluate against an extracted value (NA -> false; exists -> not NA). */
bool sgc_cmp_eval(const sgc_cmp *c, const sgc_val *lhs);

/* Evaluate with a right side known only per event (val(field)): the rhs
 * value is converted to a literal on the fly. */
bool sgc_cmp_eval_dynamic(sgc_op op, const sgc_val *lhs, const sgc_val *rhs);

/* Building blocks, exposed for tests and transformers. */
void sgc_lit_parse(sgc_lit *l, const char *s, size_t len);
void sgc_lit_free(sgc_lit *l);
bool sgc_glob_match(const char *pat, size_t plen, const char *s, size_t slen, bool icase);
bool sgc_ip_in_cidr(uint8_t family, const uint8_t *addr, const sgc_lit *cidr);
bool sgc_pmatch_one(const char *prefix, size_t plen, const char *s, size_t slen);
const char *sgc_memmem_icase(const char *h, size_t hl, const char *n, size_t nl);

#endif
