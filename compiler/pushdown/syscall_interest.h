/* Which syscalls the kernel must capture for a rule set: the union of the
 * event types every enabled syscall rule can match (grammar/evttypes.h, the
 * same over-approximation Falco uses to index rules), turned into x86_64
 * syscall numbers and kept to what the capture programs can record
 * (schema/bpf_syscalls.h).
 *
 * Successful execve/execveat reach the runtime as exec records and process
 * exits as exit records (the loader's proc events, always on), so
 * `procexit` needs no syscall. Event types that are neither (Falco's
 * container, switch, plugin events, or a syscall the capture does not know)
 * are listed in `missing` so the caller can say that those rules will never
 * see that type live. */
#ifndef SGC_SYSCALL_INTEREST_H
#define SGC_SYSCALL_INTEREST_H

#include "ruleset.h"
#include <stdbool.h>

typedef struct sgc_interest {
    int *nrs; /* syscall numbers to capture, ascending */
    int n;
    const char **missing; /* event-type names rules name that cannot be captured */
    int nmissing;
    int nrules;           /* enabled syscall rules considered */
    int nrules_any_type;  /* of them, rules whose condition does not restrict
                            evt.type: they get every capturable syscall */
    bool reads_env;       /* a rule reads proc.env (condition or output): the
                            capture must copy the environment at exec */
    bool reads_lifecycle; /* a rule can match a fork or exit record (procexit,
                             clone, clone3, fork, vfork, or any event type):
                             every such record must reach the runtime */
    int *data_nrs;        /* syscalls whose data buffer a rule reads (evt.buffer,
                            evt.arg.data): the capture copies a prefix */
    int ndata;
} sgc_interest;

/* Fill `out` (free with sgc_interest_free). Returns 0, -1 on OOM. */
int sgc_interest_build(const sgc_ruleset *rs, sgc_interest *out);
void sgc_interest_free(sgc_interest *in);

/* Remove the syscalls that have no syscalls/sys_exit_<name> tracepoint on
 * this kernel (init_module without CONFIG_MODULES: the syscall does not
 * exist here either), for the per-syscall hook strategy. Their names are
 * appended to `missing`. Nothing is removed when tracefs is not mounted
 * (the loader's preflight mounts it and reports what is missing). */
void sgc_interest_drop_untraceable(sgc_interest *in);

/* Does a running rule read `field` (exact name, with or without an
 * argument) in its condition or its output? */
bool sgc_rule_reads_field(const sgc_rule *r, const char *field);

/* Can the capture programs record syscall nr? */
bool sgc_interest_capturable(int nr);

/* Is the rule one the userspace engine evaluates (enabled, resolved,
 * source "syscall")? */
bool sgc_interest_rule_runs(const sgc_rule *r);

#endif
