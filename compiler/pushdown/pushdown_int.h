/* Internals shared by the pushdown phases (pushdown*.c): interning of kernel
 * atoms and constant sets. Not a module boundary. */
#ifndef SGC_PUSHDOWN_INT_H
#define SGC_PUSHDOWN_INT_H

#include "pushdown.h"

/* Intern a kernel atom (copied; k->nums is taken over). Returns its index. */
int sgc_pd_intern_katom(sgc_pushdown *pd, sgc_katom *k);
/* Intern a constant string set. Returns its index in pd->sets. */
int sgc_pd_intern_set(sgc_pushdown *pd, sgc_set_kind kind, bool comm, const char *const *items,
                      int nitems);

void sgc_pd_free_sets_and_katoms(sgc_pushdown *pd);

/* The verdict of an atom left to userspace, with why (a static string). */
sgc_pd_verdict sgc_pd_userspace(const char *why);

/* The constant set of a name atom (a comm, an ancestor's comm, a user or
 * group name) with `=`, `!=`, `in` or `startswith` (one constant for all but
 * `in`): its kind in *kind and whether the atom is negated in *negate.
 * Returns NULL, or why the atom stays in userspace: "bad constant", or
 * op_why for another operator (pushdown_classify.c). */
const char *sgc_pd_name_set(const sgc_ir_atom *a, sgc_set_kind *kind, bool *negate,
                            const char *op_why);

/* A string atom (=, !=, in, startswith, endswith, pmatch, contains, glob)
 * over a kernel string: a path argument in register reg (src PATH, RAW or
 * DIR; flags_idx: DIR's open flags register or -1) or an exec string (src
 * EXEC, reg its slot SGC_KEX_SLOT_*) (pushdown_classify.c). */
sgc_pd_verdict sgc_pd_string_atom(sgc_pushdown *pd, const sgc_ir_atom *a, int reg, sgc_kv_src src,
                                  int flags_idx);

/* A decimal integer, exactly as the evaluator reads a numeric constant
 * (runtime/eval/ops.c): "0x10" and "010" are not 16 and 8 there
 * (pushdown_classify.c). */
bool sgc_pd_parse_int(const char *s, int64_t *out);

/* container.id atoms (pushdown_container.c): decided for processes the
 * kernel knows to be on the host, UNKNOWN otherwise. `a` is an atom on
 * container.id without an argument. */
sgc_pd_verdict sgc_pd_classify_container_id(sgc_pushdown *pd, const sgc_ir_atom *a);

/* user.name, group.name and user.loginname atoms (pushdown_users.c):
 * decided for processes on the host whose id the kernel's map names,
 * UNKNOWN otherwise. `a` is an atom on one of them without an argument. */
sgc_pd_verdict sgc_pd_classify_uname(sgc_pushdown *pd, const sgc_ir_atom *a);
/* proc.aname[N] for N >= 2 and proc.aname without an index
 * (pushdown_anc.c); `a` is an atom on proc.aname. */
sgc_pd_verdict sgc_pd_classify_anc(sgc_pushdown *pd, const sgc_ir_atom *a);

/* proc.exe, proc.exepath, proc.cwd and proc.is_exe_* at execve and
 * execveat (pushdown_exec.c): false when the atom is not one of them or nr
 * is another syscall, else its verdict in *out. */
bool sgc_pd_classify_exec(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out);

/* Socket atoms at syscall nr (pushdown_sock.c): false when the atom is not
 * one of the socket fields it decides, else its verdict in *out. */
bool sgc_pd_classify_sock(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out);
/* The syscalls whose record carries the socket tuple of the fd the
 * evaluator describes, with a role it derives from the syscall alone
 * (connect, accept, accept4, bind, listen, sendto, sendmsg). */
bool sgc_pd_is_sock_syscall(int nr);
/* fd.name / fd.nameraw of the socket syscalls and evt.arg.tuple
 * (pushdown_sockname.c): false when the atom is not one of them, else its
 * verdict in *out. */
bool sgc_pd_classify_sockname(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out);

#endif
