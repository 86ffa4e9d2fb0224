/* Enforcement for `sgc run --enforce RULE=kill|audit` (opt-in per rule; the
 * default rules stay detect-only).
 *
 * For a rule the kernel filter decides exactly at a syscall, the BPF program
 * sends SIGKILL at that syscall's exit (bpf_send_signal), so the process runs
 * no further user instruction; the record says so (SGC_EVF_KILLED). For the
 * rest, sgc kills from userspace right after the rule matched, with the
 * checks of proc_signal.h. `audit` only reports what would have been
 * killed. Never pid 1, sgc, kernel threads; an allowlist by process name
 * (checked in the kernel too) or container (id or name; a rule with a
 * container allowlist is enforced from userspace only, since the kernel
 * does not know containers). Each alert of an enforced rule carries
 * output_fields["sgc.enforcement"]: what was done. */
#ifndef SGC_ENFORCE_H
#define SGC_ENFORCE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { SGC_ENF_NONE, SGC_ENF_KILL, SGC_ENF_AUDIT } sgc_enf_action;

typedef struct sgc_enforce_rule {
    char *rule;
    sgc_enf_action action;
} sgc_enforce_rule;

typedef struct sgc_enforce {
    sgc_enforce_rule *v;
    int n;
    char **allow_names;
    int nallow_names;
    char **allow_containers;
    int nallow_containers;
    bool kernel; /* the kernel's masks were written (in-kernel kill runs) */
} sgc_enforce;

/* "RULE=kill" / "RULE=audit" (the last '=' splits); -1 with err. */
int sgc_enforce_add(sgc_enforce *e, const char *arg, char *err, size_t errlen);
int sgc_enforce_allow(sgc_enforce *e, const char *name_or_container);
void sgc_enforce_free(sgc_enforce *e);
sgc_enf_action sgc_enforce_action(const sgc_enforce *e, const char *rule);
const char *sgc_enf_action_name(sgc_enf_action a);

struct bpf_object;
/* Write the kernel's masks: rule_bits[i] is the candidate bit of the rule
 * named names[i] (-1: none). Protects the calling process and writes the
 * name allowlist. Returns 0 (also when the object has no enforcement maps:
 * then e->kernel stays false), -1 with err. */
int sgc_enforce_populate(sgc_enforce *e, struct bpf_object *obj, const char *const *names,
                         const int *rule_bits, int n, char *err, size_t errlen);

/* After rule `rule` matched the event of process pid (record flags hflags):
 * act (userspace kill when the kernel did not) and describe what was done in
 * out. exepath/container_id/container_name may be NULL. */
void sgc_enforce_on_match(const sgc_enforce *e, const char *rule, unsigned hflags, int pid,
                          const char *exepath, const char *container_id, const char *container_name,
                          char *out, size_t n);

#endif
