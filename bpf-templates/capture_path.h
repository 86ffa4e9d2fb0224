/* Absolute paths from the kernel's dentry/mount tree (struct path, the fd
 * table, the cwd) and cgroup paths from kernfs. bpf_d_path() is not allowed
 * in tracepoint programs, so the walk is done by hand, bounded. BPF side only. */
#ifndef SGC_CAPTURE_PATH_H
#define SGC_CAPTURE_PATH_H

#include "capture_record.h"

/* Deeper paths are cut at the root end and flagged truncated. */
#define SGC_PATH_MAX_COMPONENTS 32
#define SGC_NAME_MAX            255

/* Prepend "/name" in front of position *pos of buf (assembly runs from the
 * end towards the start). Returns 0, or -1 when the buffer is full. */
static __always_inline int sgc_path_prepend(__u8 *buf, __u32 *pos, const void *name, __u32 len)
{
    if (len > SGC_NAME_MAX) len = SGC_NAME_MAX;
    if (*pos < len + 1) return -1;
    __u32 p = (*pos - len) & SGC_PATH_MASK;
    bpf_probe_read_kernel(&buf[p], len & SGC_NAME_MAX, name);
    p = (p - 1) & SGC_PATH_MASK;
    buf[p] = '/';
    *pos = p;
    return 0;
}

/* Copy buf[pos..SGC_PATH_BUF-1) (a NUL at the end) as a blob. */
static __always_inline void sgc_path_emit(struct sgc_rec *r, __u8 tag, __u32 pos, __u8 flags)
{
    __u8 *buf = r->s->path;
    if (pos >= SGC_PATH_BUF - 1) { /* nothing prepended: the root itself */
        pos = SGC_PATH_BUF - 2;
        buf[pos] = '/';
    }
    pos &= SGC_PATH_MASK;
    sgc_blob_kernel_buf(r, tag, &buf[pos], SGC_PATH_BUF - pos, flags);
}

/* State of one path walk, shared with the bpf_loop() step callbacks: a
 * loop body verified once instead of once per iteration and call site
 * (unrolled walks exceed the verifier's 1M-instruction budget). */
struct sgc_walk {
    __u8 *buf; /* scratch path buffer */
    struct dentry *dentry;
    struct vfsmount *vfsmnt;
    struct mount *mnt;
    struct kernfs_node *kn;
    __u32 pos;
    __u8 truncated;
    __u8 done;
};

static long sgc_dentry_step(__u64 i, void *data)
{
    struct sgc_walk *w = data;
    /* locals: CO-RE reads must start from a kernel type, not from w */
    struct dentry *dentry = w->dentry;
    struct vfsmount *vfsmnt = w->vfsmnt;
    struct mount *mnt = w->mnt;
    struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
    struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
    if (dentry == mnt_root || dentry == parent) {
        struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
        if (dentry != mnt_root) {
            /* a pseudo file (memfd, pipe, socket): its own name is the path,
             * as d_path gives "/memfd:name (deleted)" */
            struct qstr name = BPF_CORE_READ(dentry, d_name);
            if (sgc_path_prepend(w->buf, &w->pos, name.name, name.len) < 0) w->truncated = 1;
            w->done = 1;
            return 1;
        }
        if (mnt == mnt_parent) {
            w->done = 1; /* the global root (or a detached tree) */
            return 1;
        }
        /* cross the mount point into the parent mount */
        w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
        w->mnt = mnt_parent;
        w->vfsmnt = &mnt_parent->mnt;
        return 0;
    }
    struct qstr name = BPF_CORE_READ(dentry, d_name);
    if (sgc_path_prepend(w->buf, &w->pos, name.name, name.len) < 0) {
        w->truncated = 1;
        return 1;
    }
    w->dentry = parent;
    return 0;
}

/* Emit the absolute path of `path` (from the root of the mount tree, like
 * d_path seen from the initial namespace) as blob `tag`. */
static __always_inline void sgc_blob_path(struct sgc_rec *r, __u8 tag, const struct path *path)
{
    struct sgc_walk w = {};
    w.buf = r->s->path;
    w.pos = SGC_PATH_BUF - 1;
    w.buf[SGC_PATH_BUF - 1] = 0;
    w.dentry = BPF_CORE_READ(path, dentry);
    w.vfsmnt = BPF_CORE_READ(path, mnt);
    w.mnt = sgc_container_of(w.vfsmnt, struct mount, mnt);
    if (!w.dentry || !w.vfsmnt) {
        sgc_blob_kernel_buf(r, tag, w.buf, 0, SGC_BLOBF_FAULT);
        return;
    }
    /* mount crossings take a step each, hence the extra steps */
    bpf_loop(SGC_PATH_MAX_COMPONENTS + 8, sgc_dentry_step, &w, 0);
    sgc_path_emit(r, tag, w.pos, (w.truncated || !w.done) ? SGC_BLOBF_TRUNCATED : 0);
}

/* The struct file behind fd number `fd` of task `t`, or NULL. */
static __always_inline struct file *sgc_task_fd_file(struct task_struct *t, __u64 fd)
{
    struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
    if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds)) return NULL;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *f = NULL;
    bpf_core_read(&f, sizeof(f), &fds[fd]);
    return f;
}

struct kernfs_node___old {
    struct kernfs_node *parent;
} __attribute__((preserve_access_index));
struct kernfs_node___new {
    struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *sgc_kn_parent(struct kernfs_node *kn)
{
    if (bpf_core_field_exists(struct kernfs_node___new, __parent))
        return BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
    return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

static long sgc_kernfs_step(__u64 i, void *data)
{
    struct sgc_walk *w = data;
    struct kernfs_node *kn = w->kn;
    struct kernfs_node *parent = sgc_kn_parent(kn);
    if (!parent) {
        w->done = 1; /* the root's name is not part of the path */
        return 1;
    }
    /* kernfs gives no length: copy the name to the spare half first */
    long n =
        bpf_probe_read_kernel_str(&w->buf[SGC_PATH_BUF], SGC_NAME_MAX + 1, BPF_CORE_READ(kn, name));
    if (n <= 1) {
        w->done = 1;
        return 1;
    }
    if (sgc_path_prepend(w->buf, &w->pos, &w->buf[SGC_PATH_BUF], n - 1) < 0) {
        w->truncated = 1;
        return 1;
    }
    w->kn = parent;
    return 0;
}

/* The cgroup v2 path of task `t` (e.g. /system.slice/foo.service). */
static __always_inline void sgc_blob_cgroup(struct sgc_rec *r, struct task_struct *t)
{
    struct sgc_walk w = {};
    w.buf = r->s->path;
    w.pos = SGC_PATH_BUF - 1;
    w.buf[SGC_PATH_BUF - 1] = 0;
    w.kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
    if (w.kn) bpf_loop(SGC_PATH_MAX_COMPONENTS, sgc_kernfs_step, &w, 0);
    sgc_path_emit(r, SGC_BLOB_CGROUP, w.pos, (w.truncated || !w.done) ? SGC_BLOBF_TRUNCATED : 0);
}

#endif
