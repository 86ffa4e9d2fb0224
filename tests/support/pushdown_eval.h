/* The reference evaluator of the kernel filter (pushdown_eval.c): what the
 * generated BPF program computes, in C, over a decoded record. A test oracle:
 * the soundness tests compare it with the BPF program and with the exact
 * userspace evaluator. It is not part of the sgc binary. */
#ifndef SGC_TEST_PUSHDOWN_EVAL_H
#define SGC_TEST_PUSHDOWN_EVAL_H

#include "pushdown.h"

struct sgc_evt;

/* The kernel's per-process "on the host" map (bpf-templates/
 * capture_container.h sgc_cid) as a test filled it: true when h->pid has an
 * entry equal to h->cgroup_id. NULL: no entries (container.id UNKNOWN). */
extern bool (*sgc_pushdown_eval_on_host)(const struct sgc_event_hdr *h);

/* The kernel's sgc_unames map (bpf-templates/filter_users.h) as a test
 * filled it: the name of id (SGC_UNAME_USER or SGC_UNAME_GROUP), NULL when
 * it has no entry. NULL: no entries (user and group names UNKNOWN). */
extern const char *(*sgc_pushdown_eval_uname)(unsigned kind, uint32_t id);

/* Evaluate one kernel atom over a decoded SYSCALL record, as the BPF filter
 * does (string arguments from the ARG blobs the kernel copied). */
sgc_kleene sgc_katom_eval(const sgc_pushdown *pd, int katom, const struct sgc_evt *ev);

/* The kernel filter's decision for a record: returns true when it passes,
 * and fills cand (pd->cand_words words) with the candidate rules (TRUE or
 * UNKNOWN). Syscall exits and exec records (SGC_REC_PROC_EXEC) run their
 * nr's group, as sgc_filter_test does (the live exec hook filters only an
 * execve's record: an execveat's passes with every rule); other records
 * always pass with every rule. */
bool sgc_pushdown_eval(const sgc_pushdown *pd, const struct sgc_evt *ev, uint64_t *cand);

/* A socket atom (src SGC_KV_SOCK) over a decoded record, as
 * bpf-templates/filter_sock.h decides it (pushdown_eval_sock.c). */
sgc_kleene sgc_ksock_eval(const sgc_katom *k, const struct sgc_evt *ev);

/* A proc.aname atom (src SGC_KV_ANC) over a decoded record, as
 * bpf-templates/filter_anc.h decides it (pushdown_eval_anc.c). */
sgc_kleene sgc_kanc_eval(const sgc_pushdown *pd, const sgc_katom *k, const struct sgc_evt *ev);

/* An exec string (src SGC_KV_EXEC) of a decoded record, as
 * bpf-templates/filter_exec.h loads it: false when undecided (not an exec
 * record, blob missing, flagged, without a NUL, too long, an empty cwd),
 * else the string in buf (NUL-terminated) and its length in *len
 * (pushdown_eval_exec.c). */
bool sgc_kexec_string(const sgc_katom *k, const struct sgc_evt *ev, char buf[SGC_KSTR_MAX + 1],
                      size_t *len);
/* A scan (kop SGC_KOP_STR_SCAN, before `negate`) of an exec string
 * (cmdline, args) or the environment (src SGC_KV_ENV) of a decoded
 * record, as filter_exec.h sgc_f_scan decides it (pushdown_eval_exec.c). */
sgc_kleene sgc_kexec_scan(const sgc_katom *k, const struct sgc_evt *ev);
/* An exec flag (src SGC_KV_XFLAG, before `negate`) of a decoded record,
 * as filter_exec.h decides it. */
sgc_kleene sgc_kexec_flag(const sgc_katom *k, const struct sgc_evt *ev);

/* Is s[0..len) a path the kernel decides on: absolute, no empty, "." or ".."
 * component, no trailing '/' (so the raw argument is its own resolution)? */
bool sgc_kpath_is_clean(const char *s, size_t len);
/* s[0..len) against the literal segments of a glob (sgc_katom STR_GLOB),
 * as the BPF filter searches them. */
bool sgc_kglob_match(const sgc_katom *k, const char *s, size_t len);
/* The directory part of a clean path s[0..len) (runtime/path.c sgc_path_split). */
size_t sgc_kpath_dirlen(const char *s, size_t len);

/* A group rule's formula (sgc_pd_group_rule.f) over one record, its atoms
 * as sgc_katom_eval gives them, whatever the record's kind. */
sgc_kleene sgc_pushdown_eval_formula(const sgc_pushdown *pd, const sgc_ir *f,
                                     const struct sgc_evt *ev);

#endif
