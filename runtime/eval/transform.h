/* Field transformers (Falco's): tolower, toupper, b64 (decode), basename,
 * len, and the multi-value ones join(sep, (list)), concat(a, b, ...),
 * getopt((args), "optstring"). Results live in the per-event arena. */
#ifndef SGC_TRANSFORM_H
#define SGC_TRANSFORM_H

#include "arena.h"
#include "value.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    SGC_TF_TOLOWER,
    SGC_TF_TOUPPER,
    SGC_TF_B64,
    SGC_TF_BASENAME,
    SGC_TF_LEN,
    SGC_TF_JOIN,
    SGC_TF_CONCAT,
    SGC_TF_GETOPT,
    SGC_TF__COUNT
} sgc_transform;

/* -1 when unknown. */
int sgc_transform_lookup(const char *name);
const char *sgc_transform_name(sgc_transform tf);

/* Compile-time shape check: number of arguments and which must be lists
 * (arg_is_list[i] says whether argument i is a list operand). */
bool sgc_transform_check(sgc_transform tf, int nargs, const bool *arg_is_list, char *err,
                         size_t errlen);

/* Apply to evaluated arguments. A <NA> argument gives <NA> (false), as does a
 * string that is not valid base64 for b64. */
bool sgc_transform_apply(sgc_transform tf, const sgc_val *args, int nargs, sgc_arena *a,
                         sgc_val *out);

/* getopt(args, optstring)[sel]: the value of option `sel` (one character),
 * the last one given when repeated: its argument for an option that takes
 * one ("" when the argument is missing), else the option letter itself.
 * <NA> (false) when the option is absent. sel NULL: sgc_transform_apply. */
bool sgc_transform_apply_sel(sgc_transform tf, const sgc_val *args, int nargs, const char *sel,
                             sgc_arena *a, sgc_val *out);

/* Building blocks, for tests. */
bool sgc_b64_decode(const char *in, size_t n, sgc_arena *a, const char **out, size_t *out_len);

#endif
