/* The process context of an event, read from a task_struct with CO-RE.
 * BPF side only. */
#ifndef SGC_CAPTURE_TASK_H
#define SGC_CAPTURE_TASK_H

#include "capture_record.h"

#define SGC_PIDTYPE_PGID 2
#define SGC_PIDTYPE_SID  3

/* The number of `pid` as seen in the namespace at `level` (0 if not visible). */
static __always_inline __u32 sgc_pid_nr_at(struct pid *pid, unsigned int level)
{
    if (!pid) return 0;
    unsigned int pid_level = BPF_CORE_READ(pid, level);
    if (level > pid_level) return 0;
    struct upid up = {};
    bpf_core_read(&up, sizeof(up), &pid->numbers[level]);
    return up.nr;
}

/* Controlling tty as a device number, encoded like the kernel's
 * new_encode_dev(MKDEV(driver->major, driver->minor_start + index)). */
static __always_inline __u32 sgc_task_tty(struct task_struct *t)
{
    struct tty_struct *tty = t->signal->tty;
    if (!tty) return 0;
    __u32 major = tty->driver->major;
    __u32 minor = tty->driver->minor_start + tty->index;
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* Parts of the process context, so a caller can fill the fields a kernel
 * filter reads before it runs and the rest only for records that pass
 * (each field is read exactly once per record: the filter decides on the
 * values the record carries). */
#define SGC_TF_PID      (1u << 0) /* pid, tid */
#define SGC_TF_PARENT   (1u << 1) /* ppid, pcomm */
#define SGC_TF_CRED     (1u << 2) /* uid, gid, euid, egid */
#define SGC_TF_CAPS     (1u << 3) /* cap_effective, cap_permitted */
#define SGC_TF_LOGINUID (1u << 4)
#define SGC_TF_TTY      (1u << 5)
#define SGC_TF_PIDNS    (1u << 6) /* vpid, vpgid, sid, pid_ns */
#define SGC_TF_NS       (1u << 7) /* mnt_ns, net_ns */
#define SGC_TF_MISC     (1u << 8) /* cgroup_id, start_ns */
#define SGC_TF_COMM     (1u << 9)
#define SGC_TF_ALL      0x3ffu

/* Fill the parts `m` (SGC_TF_*) of the process part of the header from
 * task `t`: every field of those parts, on every path (a syscall record's
 * header is not cleared first, capture_record.h).
 * `t` is a BTF pointer (bpf_get_current_task_btf() or a tp_btf argument):
 * plain field loads compile to direct, fault-safe loads with CO-RE
 * relocations (vmlinux.h marks every type preserve_access_index), about
 * ten times cheaper than a bpf_probe_read_kernel() call each; variable
 * array indexing still goes through bpf_core_read(). */
static __always_inline void sgc_fill_task_parts(struct sgc_event_hdr *h, struct task_struct *t,
                                                const __u32 m)
{
    if (m & SGC_TF_PID) {
        h->pid = t->tgid;
        h->tid = t->pid;
    }
    if (m & SGC_TF_PARENT) {
        struct task_struct *parent = t->real_parent;
        h->ppid = parent->tgid;
        /* no parent comm when the parent is the idle task (init, kthreadd):
         * proc.pname is <NA> there, as in Falco (runtime/eval/fields_proc.c) */
        if (h->ppid)
            __builtin_memcpy(h->pcomm, parent->comm, SGC_COMM_LEN);
        else
            __builtin_memset(h->pcomm, 0, SGC_COMM_LEN);
    }
    if (m & (SGC_TF_CRED | SGC_TF_CAPS)) {
        const struct cred *cred = t->cred;
        if (m & SGC_TF_CRED) {
            h->uid = cred->uid.val;
            h->gid = cred->gid.val;
            h->euid = cred->euid.val;
            h->egid = cred->egid.val;
        }
        if (m & SGC_TF_CAPS) {
            h->cap_effective = cred->cap_effective.val;
            h->cap_permitted = cred->cap_permitted.val;
        }
    }
    if (m & SGC_TF_LOGINUID) h->loginuid = t->loginuid.val;
    if (m & SGC_TF_TTY) h->tty = sgc_task_tty(t);
    if (m & SGC_TF_PIDNS) {
        struct pid *tpid = t->thread_pid;
        unsigned int level = tpid->level;
        h->vpid = sgc_pid_nr_at(tpid, level);
        struct signal_struct *sig = t->signal;
        struct pid *pgrp = NULL, *sess = NULL;
        bpf_core_read(&pgrp, sizeof(pgrp), &sig->pids[SGC_PIDTYPE_PGID]);
        bpf_core_read(&sess, sizeof(sess), &sig->pids[SGC_PIDTYPE_SID]);
        h->vpgid = sgc_pid_nr_at(pgrp, level);
        h->sid = sgc_pid_nr_at(sess, level);
        struct upid up = {};
        bpf_core_read(&up, sizeof(up), &tpid->numbers[level]);
        h->pid_ns = BPF_CORE_READ(up.ns, ns.inum);
    }
    if (m & SGC_TF_NS) {
        struct nsproxy *nsp = t->nsproxy;
        h->mnt_ns = h->net_ns = 0;
        if (nsp) { /* NULL once an exiting task dropped its namespaces */
            h->mnt_ns = nsp->mnt_ns->ns.inum;
            h->net_ns = nsp->net_ns->ns.inum;
        }
    }
    if (m & SGC_TF_MISC) {
        h->cgroup_id = t->cgroups->dfl_cgrp->kn->id;
        h->start_ns = t->start_boottime;
    }
    if (m & SGC_TF_COMM) __builtin_memcpy(h->comm, t->comm, SGC_COMM_LEN);
}

/* The whole process part of the header. */
static __always_inline void sgc_fill_task(struct sgc_event_hdr *h, struct task_struct *t)
{
    sgc_fill_task_parts(h, t, SGC_TF_ALL);
}

#endif
