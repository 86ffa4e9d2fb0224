// SPDX-License-Identifier: GPL-2.0
/* sgc kernel capture: syscall exits, process exec/fork/exit.
 *
 * Two hook strategies share one handler (sgc_on_syscall_exit), and the loader
 * loads only one of them:
 *  - "raw":  one tp_btf/sys_exit stub sees every syscall and tail-calls
 *            the handler, which looks the number up in the interest map
 *            (sgc_syscalls);
 *  - "per-syscall": one syscalls/sys_exit_<name> tracepoint stub per
 *            syscall of interest, tail-calling one handler; syscalls nobody
 *            asked for cost nothing (the default: docs/kernel.md).
 * Arguments come from the task's saved user registers at exit (pt_regs):
 * the syscall entry saved them and they are unchanged at exit, so no
 * sys_enter hook or per-thread map is needed (execve, which replaces them,
 * is captured on success by sched_process_exec instead). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "capture_task.h"
#include "capture_path.h"
#include "capture_sock.h"
#include "capture_container.h"
#include "capture_lazyfork.h"
#include "capture_filter.h"
#include "capture_anc.h"

char LICENSE[] SEC("license") = "GPL";

#define SGC_OVERLAYFS_SUPER_MAGIC 0x794c7630
/* x86 thread_info.status: the task is in a 32-bit (ia32) syscall, whose
 * numbers differ from x86_64's (5 is open there, fstat here). */
#define SGC_TS_COMPAT             0x0002

/* x86_64 syscall argument registers, in order. `regs` is a BTF pointer
 * (tp_btf argument or bpf_task_pt_regs()): direct loads, no helper calls. */
static __always_inline void sgc_regs_args(const struct pt_regs *regs, __u64 args[SGC_NARGS])
{
    args[0] = regs->di;
    args[1] = regs->si;
    args[2] = regs->dx;
    args[3] = regs->r10;
    args[4] = regs->r8;
    args[5] = regs->r9;
}

/* The value of an SGC_SRC_* source: an argument or the return value. */
static __always_inline int sgc_src_fd(const struct sgc_event_hdr *h, __u8 src, __u64 *fd)
{
    __s64 v;
    if (src == SGC_SRC_RET)
        v = h->ret;
    else if (src < SGC_NARGS)
        v = (__s32)h->args[src & 7];
    else
        return -1;
    if (v < 0) return -1;
    *fd = (__u64)v;
    return 0;
}

static __always_inline int sgc_is_relative_user_path(__u64 uptr)
{
    char c = 0;
    if (bpf_probe_read_user(&c, 1, (const void *)uptr) < 0) return 0;
    return c != '/';
}

#include "capture_sockfilter.h"

/* The record of one syscall exit in scratch s, built in two phases.
 * Cheapest first: the filter decides with the syscall number, return
 * value, raw arguments, the process fields it reads for that syscall
 * (sgc_f_task_fields_nr)
 * and the string arguments its atoms read (copied from user memory by the
 * filter itself, when first needed); the rest of the process
 * context and the other blobs (structs, socket addresses and tuples, fd
 * paths, which no kernel atom reads) are built only for events that pass.
 * Every field and blob is written once, so the filter sees exactly the
 * values the record carries.
 *
 * Phase two is a function of its own, called after phase one returns: the
 * verifier counts the frames of the deepest call chain against 512 bytes
 * of stack (and 8 frames), and the filter's chain (group, chunk,
 * conjunction, atom and loader functions, a bpf_loop callback) then starts
 * from a small frame, without phase two's locals (paths, socket tuples)
 * below it. Phase one is inlined into sgc_on_syscall_exit: a frame of its
 * own would make that chain 9 frames deep. */

/* Phase one: the header's arguments (openat2: the fields of its struct
 * open_how {flags, mode, resolve} take the place of the pointer and size,
 * args[2..4], where openat has its flags and mode: the filter and the
 * runtime read them there, schema/syscall_args.c; unreadable (EFAULT): 0),
 * the process fields and socket values the filter reads, and its verdict:
 * 1 when the record passes. *struct_ptr: the struct's user pointer, for
 * phase two (0: none); *parts: the process fields filled (SGC_TF_*). */
static __always_inline int sgc_syscall_decide(struct sgc_rec *r,
                                              const struct sgc_syscall_spec *spec,
                                              const struct sgc_config *cfg, __u64 *struct_ptr,
                                              __u32 *parts)
{
    struct task_struct *task = bpf_get_current_task_btf();
    struct sgc_event_hdr *h = r->hdr;
    struct sgc_scratch *s = r->s;
    *struct_ptr = 0;
    if (spec->struct_arg == 2) {
        __u64 how[3] = {0, 0, 0};
        *struct_ptr = h->args[2];
        if (bpf_probe_read_user(how, sizeof how, (const void *)*struct_ptr) < 0)
            how[0] = how[1] = how[2] = 0;
        h->args[2] = how[0];
        h->args[3] = how[1];
        h->args[4] = how[2];
    }
    *parts = sgc_f_task_fields_nr(h->nr);
    sgc_fill_task_parts(h, task, *parts);
    if (SGC_F_SOCK) /* socket atoms read them (capture_sockfilter.h) */
        sgc_sock_prefill(s, spec, task);
    sgc_anc_begin(s); /* proc.aname atoms walk the ancestors when needed */
    if (cfg->nopushdown) {
        h->flags |= SGC_EVF_NOPUSHDOWN;
        return 1;
    }
    /* the early pass only where in-kernel enforcement needs it; the final
     * pass copies the string arguments its atoms read, and the record
     * carries those very bytes */
    int early = sgc_f_two_pass();
    if (early && sgc_filter_early(r) == SGC_DROP) {
        sgc_count(SGC_CNT_FILTERED);
        return 0;
    }
    sgc_f_live_begin(s, h->args, spec->str_args, early);
    if (sgc_filter(r) == SGC_DROP) {
        sgc_count(SGC_CNT_FILTERED);
        return 0;
    }
    return 1;
}

/* Phase two, for a record that passed: the blobs the filter did not
 * copy, the rest of the process context (all but `parts`), and the
 * submission. */
static __noinline void sgc_syscall_finish(struct sgc_rec *r, const struct sgc_syscall_spec *spec,
                                          const struct sgc_config *cfg, __u64 struct_ptr,
                                          __u32 parts)
{
    struct task_struct *task = bpf_get_current_task_btf();
    struct sgc_event_hdr *h = r->hdr;
    __u8 str_args = spec->str_args;
    int filtered = !cfg->nopushdown;
    for (int i = 0; i < SGC_NARGS; i++) {
        if ((str_args & (1u << i)) && !(filtered && sgc_f_str_blob(r, i)))
            sgc_blob_user_str(r, SGC_BLOB_ARG0 + i, (const void *)h->args[i]);
    }

    h->ts_ns = bpf_ktime_get_boot_ns();
    h->gen = spec->gen;
    sgc_fill_task_parts(h, task, SGC_TF_ALL & ~parts);
    sgc_anc_blob(r); /* reads ppid and pcomm; before the larger blobs */
    __u8 sa = spec->struct_arg;
    if (struct_ptr)
        sgc_blob_user_buf(r, SGC_BLOB_ARG0 + sa, (const void *)struct_ptr, spec->struct_len);
    sgc_sock_blobs(r, spec, task);
    __u64 fd;
    if (spec->path_fd != SGC_SRC_NONE && sgc_src_fd(h, spec->path_fd, &fd) == 0) {
        __u8 rel = spec->rel_path_arg;
        /* for *at()/open: only when the name argument does not say it all */
        if (rel >= SGC_NARGS || sgc_is_relative_user_path(h->args[rel & 7])) {
            struct file *f = sgc_task_fd_file(task, fd);
            /* a socket is named by its tuple (dup2 of a connection onto
             * stdout, read/write on it), as libsinsp's fd table does */
            if (f && sgc_file_is_sock(f))
                sgc_blob_socktuple(r, f);
            else if (f)
                sgc_blob_path(r, SGC_BLOB_FDPATH, &f->f_path);
        }
    }
    /* a prefix of the data buffer (evt.buffer), only where a rule reads it */
    if (spec->data_capture && cfg->snaplen && spec->data_arg < SGC_NARGS) {
        __u8 ls = spec->data_len;
        __s64 n = ls == SGC_SRC_RET ? h->ret : ls < SGC_NARGS ? (__s64)h->args[ls & 7] : 0;
        if (n > (__s64)cfg->snaplen) n = cfg->snaplen;
        if (n > 0)
            sgc_blob_user_buf(r, SGC_BLOB_ARG0 + (spec->data_arg & 7),
                              (const void *)h->args[spec->data_arg & 7], (__u64)n);
    }
    sgc_lazy_flush(h->pid, cfg); /* the process's fork record goes first */
    sgc_rec_submit(r, cfg);
}

static __noinline int sgc_on_syscall_exit(__u32 nr, __s64 ret, __u64 *args)
{
    if (nr >= SGC_MAX_SYSCALLS) return 0;
    const struct sgc_syscall_spec *spec = bpf_map_lookup_elem(&sgc_syscalls, &nr);
    if (!spec || !spec->capture) return 0;
    if (spec->only_failures && ret >= 0) return 0;
    const struct sgc_config *cfg = sgc_get_config();
    if (!cfg || (bpf_get_current_pid_tgid() >> 32) == cfg->self_tgid) return 0;
    sgc_count(SGC_CNT_SEEN);

    struct sgc_scratch_ref ref;
    if (sgc_scratch_get(&ref)) return 0;
    struct sgc_rec r;
    sgc_rec_begin_syscall(&r, ref.s, nr);
    r.hdr->ret = ret;
    for (int i = 0; i < SGC_NARGS; i++) r.hdr->args[i] = args[i];
    __u64 struct_ptr;
    __u32 parts;
    if (sgc_syscall_decide(&r, spec, cfg, &struct_ptr, &parts))
        sgc_syscall_finish(&r, spec, cfg, struct_ptr, parts);
    sgc_scratch_put(&ref);
    return 0;
}

/* ---- strategy "raw": one program for every syscall ----------------------
 * The attached program is a stub that tail-calls the handler in slot 0 of
 * sgc_raw_tail, as the per-syscall stubs do below: sgc run's reload puts a
 * new rule set's handler in the slot, one atomic update, so each event runs
 * exactly one handler, the old or the new (docs/running.md, "Reload"). */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} sgc_raw_tail SEC(".maps");

SEC("tp_btf/sys_exit")
int BPF_PROG(sgc_sys_exit, struct pt_regs *regs, long ret)
{
    bpf_tail_call(ctx, &sgc_raw_tail, 0);
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sgc_sys_exit_handler, struct pt_regs *regs, long ret)
{
    __u64 args[SGC_NARGS];
    __u32 nr = regs->orig_ax;
    if (nr >= SGC_MAX_SYSCALLS) return 0;
    /* cheap reject before touching the registers */
    const struct sgc_syscall_spec *spec = bpf_map_lookup_elem(&sgc_syscalls, &nr);
    if (!spec || !spec->capture) return 0;
    /* ia32 syscalls are not captured (the per-syscall tracepoints do not
     * fire for them either) */
    struct task_struct *task = bpf_get_current_task_btf();
    if (task->thread_info.status & SGC_TS_COMPAT) return 0;
    sgc_regs_args(regs, args);
    return sgc_on_syscall_exit(nr, ret, args);
}

/* ---- strategy "per-syscall": one tracepoint program each ----------------
 * Each syscall's program is a two-instruction stub that tail-calls the one
 * shared handler (every sys_exit_* tracepoint has the same context layout:
 * nr, ret). The verifier checks the handler once instead of once per
 * syscall: loading 48 syscalls went from ~15 s to under a second. The
 * loader puts sgc_exit_handler in slot 0 of sgc_exit_tail, and a reload
 * replaces it there (the stubs stay attached). */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} sgc_exit_tail SEC(".maps");

SEC("tracepoint")
int sgc_exit_handler(struct syscall_trace_exit *ctx)
{
    __u64 args[SGC_NARGS];
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
    sgc_regs_args(regs, args);
    return sgc_on_syscall_exit(ctx->nr, ctx->ret, args);
}

#define SGC_EXIT_TP(name)                                                                          \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                                     \
    int sgc_exit_##name(void *ctx)                                                                 \
    {                                                                                              \
        bpf_tail_call(ctx, &sgc_exit_tail, 0);                                                     \
        return 0;                                                                                  \
    }
#include "capture_syscalls.def"
#undef SGC_EXIT_TP

/* ---- process lifecycle: always on, keeps the process table current ----- */

static __always_inline __u32 sgc_exe_flags(struct file *exe, struct task_struct *t)
{
    __u32 flags = 0;
    struct inode *inode = BPF_CORE_READ(exe, f_inode);
    char name[8] = {};
    bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
    if (__builtin_memcmp(name, "memfd:", 6) == 0) flags |= SGC_EXE_FROM_MEMFD;
    if (BPF_CORE_READ(inode, i_sb, s_magic) == SGC_OVERLAYFS_SUPER_MAGIC &&
        bpf_core_type_exists(struct ovl_inode)) {
        struct ovl_inode *oi = sgc_container_of(inode, struct ovl_inode, vfs_inode);
        if (BPF_CORE_READ(oi, __upperdentry)) flags |= SGC_EXE_UPPER_LAYER;
    }
    /* writable by the user that runs it, from the mode bits (ACLs and
     * read-only mounts are not considered) */
    umode_t mode = BPF_CORE_READ(inode, i_mode);
    __u32 euid = BPF_CORE_READ(t, cred, euid.val);
    __u32 egid = BPF_CORE_READ(t, cred, egid.val);
    if (euid == 0 || (mode & 0002) || ((mode & 0200) && BPF_CORE_READ(inode, i_uid.val) == euid) ||
        ((mode & 0020) && BPF_CORE_READ(inode, i_gid.val) == egid))
        flags |= SGC_EXE_WRITABLE;
    return flags;
}

/* The execve rules' filter on an exec record, whose process fields and
 * blobs are all written: 1 when a rule may match it (it then carries the
 * candidates, and the ancestors the filter read, as a syscall record does),
 * 0 when none can (it still goes up, for the process table, with an empty
 * candidate bitmap and no hurry). The filter reads the strings from the
 * record's blobs, as sgc_filter_test does: the record is what the evaluator
 * judges. The record's generation is the running handler's (its execve spec
 * carries it), so the runtime reads the bitmap with the rules that made it. */
static __always_inline int sgc_exec_decide(struct sgc_rec *r, const struct sgc_config *cfg)
{
#ifdef SGC_FILTER_IS_PASSTHROUGH
    return 1;
#else
    struct sgc_event_hdr *h = r->hdr;
    struct sgc_scratch *s = r->s;
    __u32 nr = SGC_NR_EXECVE;
    const struct sgc_syscall_spec *spec = bpf_map_lookup_elem(&sgc_syscalls, &nr);
    if (spec) h->gen = spec->gen;
    /* a record missing a blob keeps the process's older values in the
     * runtime: judged there. A successful execveat (rare: fexecve, a memfd)
     * is typed execveat, whose rules are not the execve group's: every rule
     * judges it there. */
    if (cfg->nopushdown || r->full || h->nr != SGC_NR_EXECVE) return 1;
    sgc_f_fs(s)->live = 0;
    sgc_f_fs(s)->memo = 0;
#if SGC_F_SOCK
    sgc_f_sock_from_blobs(s, r->nblobs); /* none: socket atoms are UNKNOWN */
#endif
    sgc_anc_begin(s);
    if (sgc_filter_nr(r, SGC_NR_EXECVE) == SGC_DROP) return 0;
    sgc_anc_blob(r);
    if (r->full) h->flags &= ~SGC_EVF_CANDIDATES; /* no room for them: every rule judges */
    return 1;
#endif
}

static __always_inline void sgc_exec_record(struct sgc_scratch *s, const struct sgc_config *cfg,
                                            struct task_struct *p, pid_t old_pid,
                                            struct linux_binprm *bprm)
{
    struct sgc_rec r;
    sgc_rec_begin(&r, s, SGC_REC_PROC_EXEC, 0);
    sgc_fill_task(r.hdr, p);
    r.hdr->args[0] = old_pid;
    /* the syscall that exec'd, as the event is typed (schema/evtype.c). The
     * saved syscall number reads execve here even for an execveat (seen on
     * 6.18), so: an execveat of a file descriptor (fexecve, "" or a name
     * relative to it) is the only exec whose binprm has an fdpath. An
     * execveat of an absolute name or from AT_FDCWD is typed execve. */
    r.hdr->nr = BPF_CORE_READ(bprm, fdpath) ? SGC_NR_EXECVEAT : SGC_NR_EXECVE;

    struct file *exe = BPF_CORE_READ(bprm, file);
    /* ARG0: the name given to execve; EXE: the file actually run */
    struct sgc_blob_hdr *bh = sgc_blob_start(&r);
    if (bh) {
        long n = bpf_probe_read_kernel_str(bh + 1, SGC_BLOB_MAX, BPF_CORE_READ(bprm, filename));
        sgc_blob_finish(&r, bh, SGC_BLOB_ARG0, n, n == SGC_BLOB_MAX ? SGC_BLOBF_TRUNCATED : 0);
    }
    sgc_blob_path(&r, SGC_BLOB_EXE, &exe->f_path);

    struct mm_struct *mm = BPF_CORE_READ(p, mm);
    unsigned long arg_start = BPF_CORE_READ(mm, arg_start);
    unsigned long arg_end = BPF_CORE_READ(mm, arg_end);
    sgc_blob_user_buf(&r, SGC_BLOB_ARGV, (const void *)arg_start, arg_end - arg_start);
    if (cfg->env_max) {
        unsigned long env_start = BPF_CORE_READ(mm, env_start);
        __u64 env_len = BPF_CORE_READ(mm, env_end) - env_start;
        __u8 flags = 0;
        if (env_len > cfg->env_max) {
            env_len = cfg->env_max;
            flags = SGC_BLOBF_TRUNCATED;
        }
        struct sgc_blob_hdr *eh = sgc_blob_start(&r);
        if (eh) {
            if (env_len > SGC_BLOB_MAX) {
                env_len = SGC_BLOB_MAX;
                flags = SGC_BLOBF_TRUNCATED;
            }
            long err = bpf_probe_read_user(eh + 1, env_len, (const void *)env_start);
            sgc_blob_finish(&r, eh, SGC_BLOB_ENV, err < 0 ? err : (long)env_len, flags);
        }
    }
    struct fs_struct *fs = BPF_CORE_READ(p, fs);
    sgc_blob_path(&r, SGC_BLOB_CWD, &fs->pwd);
    sgc_blob_cgroup(&r, p);
    __u32 exe_flags = sgc_exe_flags(exe, p);
    sgc_blob_kernel_buf(&r, SGC_BLOB_EXE_FLAGS, &exe_flags, sizeof(exe_flags), 0);
    /* before the filter, which reads it for container.id = host */
    int on_host = sgc_cid_on_exec(p, r.full); /* capture_container.h */
    if (!sgc_exec_decide(&r, cfg)) {
        sgc_count(SGC_CNT_EXEC_NO_RULE);
        /* a container's exec goes up at once all the same: from it the
         * runtime starts the container's metadata lookup, which alerts of
         * short-lived containers wait for, and reads its accounts while the
         * process lives */
        if (on_host) r.hdr->flags |= SGC_EVF_NO_HURRY;
    }
    if (sgc_rec_submit(&r, cfg)) sgc_cid_on_exec(p, 1); /* lost: the runtime keeps the older id */
}

/* The exec handler of the running rule set in slot 0, as for the syscall
 * exits: the attached program stays, a reload switches the handler, whose
 * filter is the new rule set's (sgc_exec_decide). */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} sgc_exec_tail SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sgc_proc_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    bpf_tail_call(ctx, &sgc_exec_tail, 0);
    return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sgc_exec_handler, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    const struct sgc_config *cfg = sgc_get_config();
    struct sgc_scratch_ref ref;
    if (!cfg) return 0;
    sgc_count(SGC_CNT_LC_SEEN);
    __u32 tgid = BPF_CORE_READ(p, tgid);
    sgc_lazy_flush(tgid, cfg);
    sgc_lazy_flush_children(tgid, cfg); /* they copy the image before this exec */
    if (sgc_scratch_get(&ref)) {
        sgc_cid_on_exec(p, 1); /* no record: the runtime keeps the older id */
        return 0;
    }
    sgc_exec_record(ref.s, cfg, p, old_pid, bprm);
    sgc_scratch_put(&ref);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sgc_proc_fork, struct task_struct *parent, struct task_struct *child)
{
    const struct sgc_config *cfg = sgc_get_config();
    struct sgc_scratch_ref ref;
    if (!cfg) return 0;
    sgc_count(SGC_CNT_LC_SEEN);
    __u32 parent_tgid = BPF_CORE_READ(parent, tgid), child_tgid = BPF_CORE_READ(child, tgid);
    if (child_tgid != parent_tgid) sgc_cid_on_fork(parent_tgid, child_tgid);
    sgc_lazy_flush(parent_tgid, cfg); /* a parent is known before its children */
    if (sgc_scratch_get(&ref)) return 0;
    struct sgc_rec r;
    sgc_rec_begin(&r, ref.s, SGC_REC_PROC_FORK, 0);
    /* the record describes the child; args[1] is the creating thread */
    sgc_fill_task(r.hdr, child);
    r.hdr->args[0] = BPF_CORE_READ(child, pid);
    r.hdr->args[1] = BPF_CORE_READ(parent, pid);
    /* args[2]: the creating process, whose image the child starts with */
    r.hdr->args[2] = parent_tgid;
    if (cfg->lazy_fork) r.hdr->flags |= SGC_EVF_NO_HURRY; /* no rule reads it, parked or not */
    if (child_tgid == parent_tgid)
        r.hdr->flags |= SGC_EVF_IS_THREAD;
    else if (cfg->lazy_fork && sgc_lazy_park(child_tgid, r.hdr) == 0) {
        sgc_scratch_put(&ref);
        return 0;
    }
    sgc_rec_submit(&r, cfg);
    sgc_scratch_put(&ref);
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sgc_proc_exit, struct task_struct *p)
{
    const struct sgc_config *cfg = sgc_get_config();
    struct sgc_scratch_ref ref;
    if (!cfg) return 0;
    sgc_count(SGC_CNT_LC_SEEN);
    __u32 tgid = BPF_CORE_READ(p, tgid);
    if (BPF_CORE_READ(p, signal, live.counter) == 0) {
        sgc_cid_on_exit(tgid);
        if (sgc_lazy_exit(tgid, cfg)) return 0; /* the runtime never heard of it */
    }
    if (sgc_scratch_get(&ref)) return 0;
    struct sgc_rec r;
    sgc_rec_begin(&r, ref.s, SGC_REC_PROC_EXIT, 0);
    sgc_fill_task(r.hdr, p);
    /* args[0]: exit code (wait status); args[1]: 1 when the whole process
     * is gone (no live thread left), 0 when only this thread exited */
    r.hdr->args[0] = BPF_CORE_READ(p, exit_code);
    r.hdr->args[1] = BPF_CORE_READ(p, signal, live.counter) == 0;
    if (cfg->lazy_fork) r.hdr->flags |= SGC_EVF_NO_HURRY; /* no rule reads it */
    sgc_rec_submit(&r, cfg);
    sgc_scratch_put(&ref);
    return 0;
}

/* ---- BPF_PROG_TEST_RUN entry: the filter on a prepared record ----------
 * For the differential soundness test: userspace writes a complete record
 * (header, room for the bitmap, blobs) into sgc_test_input, runs this
 * program with BPF_PROG_TEST_RUN and reads the verdict (return value) and
 * the candidate bitmap written in place. Both ways the capture runs the
 * filter are checked: the final pass alone (no rule enforced in the
 * kernel) and the early pass then the final pass (sgc_f_two_pass()); the
 * verdict passes only when both pass, and the bitmap is the AND of both,
 * so a rule either way misses is a counterexample. Loaded only on request. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sgc_scratch);
} sgc_test_input SEC(".maps");

_Static_assert(SGC_CAND_WORDS <= SGC_CAND_WORDS_MAX, "the kept bitmap must fit the record's slack");

SEC("raw_tp")
int sgc_filter_test(void *ctx)
{
    __u32 zero = 0;
    struct sgc_scratch *s = bpf_map_lookup_elem(&sgc_test_input, &zero);
    if (!s) return -1;
    struct sgc_rec r = {};
    r.s = s;
    r.hdr = (void *)s->rec;
    r.off = r.hdr->size;
    r.nblobs = r.hdr->nblobs;
#ifndef SGC_FILTER_IS_PASSTHROUGH
    sgc_f_fs(s)->live = 0; /* the strings are the record's blobs */
#endif
#if SGC_F_SOCK
    sgc_f_sock_from_blobs(s, r.nblobs); /* what sgc_sock_prefill reads live */
#endif
#if SGC_F_ANC_DEPTH
    sgc_f_anc_from_blobs(s, r.nblobs); /* what the filter walks live */
#endif
    /* the final pass alone; its bitmap kept in the slack after the record */
    __u32 flags = r.hdr->flags;
    __u64 *c = sgc_rec_candidates(&r), *keep = (__u64 *)(s->rec + SGC_RECORD_MAX);
#ifndef SGC_FILTER_IS_PASSTHROUGH
    sgc_f_fs(s)->memo = 0;
#endif
    int single = sgc_filter(&r);
    for (int i = 0; i < SGC_CAND_WORDS; i++) keep[i] = c[i];
    r.hdr->flags = flags;
    if (sgc_filter_early(&r) == SGC_DROP) return SGC_TEST_DROP_EARLY;
    int two = sgc_filter(&r);
    for (int i = 0; i < SGC_CAND_WORDS; i++) c[i] &= keep[i];
    return single == SGC_DROP || two == SGC_DROP ? SGC_TEST_DROP : SGC_TEST_PASS;
}
