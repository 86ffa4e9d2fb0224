/* Shared between the type checker's files (not a public interface). */
#ifndef SGC_TYPECHECK_INT_H
#define SGC_TYPECHECK_INT_H

#include "typecheck.h"

/* malloc'd printf. */
char *sgc_tc_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* Checks a literal compared with operator OP against type T. WHAT names the
 * left side in messages ("field proc.pid"). NULL if fine, else a malloc'd
 * message. */
char *sgc_tc_check_literal(sgc_ftype t, sgc_op op, const char *lit, const char *what);

/* Transformer signatures. */
typedef struct sgc_transformer_sig {
    const char *name;
    int min_args, max_args; /* max -1: unbounded */
    bool bracket_arg;       /* takes [ARG] after the call (getopt) */
} sgc_transformer_sig;
const sgc_transformer_sig *sgc_tc_transformer(const char *name);

#endif
