/* The argument table of syscall_args.h. Syscall numbers come from the
 * kernel's <asm/unistd_64.h>, not from literals. */
#include "syscall_args.h"

#include <asm/unistd_64.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#define RET(n, t)     {n, SGC_ARGSRC_RET, 0, t}
#define REG(n, i, t)  {n, SGC_ARGSRC_REG, i, t}
#define BLOB(n, i, t) {n, SGC_ARGSRC_BLOB, i, t}
#define TUPLE(n)      {n, SGC_ARGSRC_TUPLE, 0, SGC_AT_SOCKTUPLE}
#define SADDR(n)      {n, SGC_ARGSRC_SOCKADDR, 0, SGC_AT_SOCKADDR}
#define RES           RET("res", SGC_AT_ERRNO)
#define FDRET         RET("fd", SGC_AT_FD)

#define EXEC_ARGS                                                                                  \
    RES, {"exe", SGC_ARGSRC_ARGV0, 0, SGC_AT_STR}, {"args", SGC_ARGSRC_ARGS, 0, SGC_AT_STR},       \
    {                                                                                              \
        "cwd", SGC_ARGSRC_CWD, 0, SGC_AT_PATH                                                      \
    }

static const sgc_syscall_desc descs[] = {
    {"open",
     __NR_open,
     4,
     {FDRET, BLOB("name", 0, SGC_AT_PATH), REG("flags", 1, SGC_AT_OPEN_FLAGS),
      REG("mode", 2, SGC_AT_OCT)}},
    {"openat",
     __NR_openat,
     5,
     {FDRET, REG("dirfd", 0, SGC_AT_FD), BLOB("name", 1, SGC_AT_PATH),
      REG("flags", 2, SGC_AT_OPEN_FLAGS), REG("mode", 3, SGC_AT_OCT)}},
    {"openat2",
     __NR_openat2,
     6,
     {FDRET, REG("dirfd", 0, SGC_AT_FD), BLOB("name", 1, SGC_AT_PATH),
      REG("flags", 2, SGC_AT_OPEN_FLAGS), REG("mode", 3, SGC_AT_OCT),
      REG("resolve", 4, SGC_AT_HEX)}},
    {"creat", __NR_creat, 3, {FDRET, BLOB("name", 0, SGC_AT_PATH), REG("mode", 1, SGC_AT_OCT)}},
    {"execve", __NR_execve, 5, {EXEC_ARGS, BLOB("filename", 0, SGC_AT_PATH)}},
    {"execveat",
     __NR_execveat,
     7,
     {EXEC_ARGS, REG("dirfd", 0, SGC_AT_FD), BLOB("pathname", 1, SGC_AT_PATH),
      REG("flags", 4, SGC_AT_AT_FLAGS)}},
    {"connect", __NR_connect, 4, {RES, TUPLE("tuple"), REG("fd", 0, SGC_AT_FD), SADDR("addr")}},
    {"accept", __NR_accept, 2, {FDRET, TUPLE("tuple")}},
    {"accept4", __NR_accept4, 3, {FDRET, TUPLE("tuple"), REG("flags", 3, SGC_AT_INT)}},
    {"bind", __NR_bind, 3, {RES, SADDR("addr"), REG("fd", 0, SGC_AT_FD)}},
    {"listen", __NR_listen, 3, {RES, REG("fd", 0, SGC_AT_FD), REG("backlog", 1, SGC_AT_INT)}},
    {"socket",
     __NR_socket,
     4,
     {FDRET, REG("domain", 0, SGC_AT_SOCK_FAMILY), REG("type", 1, SGC_AT_SOCK_TYPE),
      REG("proto", 2, SGC_AT_UINT)}},
    {"setuid", __NR_setuid, 2, {RES, REG("uid", 0, SGC_AT_UID)}},
    {"setgid", __NR_setgid, 2, {RES, REG("gid", 0, SGC_AT_GID)}},
    {"setreuid", __NR_setreuid, 3, {RES, REG("ruid", 0, SGC_AT_UID), REG("euid", 1, SGC_AT_UID)}},
    {"setresuid",
     __NR_setresuid,
     4,
     {RES, REG("ruid", 0, SGC_AT_UID), REG("euid", 1, SGC_AT_UID), REG("suid", 2, SGC_AT_UID)}},
    {"ptrace",
     __NR_ptrace,
     5,
     {RES, REG("addr", 2, SGC_AT_HEX), REG("data", 3, SGC_AT_HEX),
      REG("request", 0, SGC_AT_PTRACE_REQ), REG("pid", 1, SGC_AT_INT)}},
    {"mount",
     __NR_mount,
     5,
     {RES, BLOB("dev", 0, SGC_AT_PATH), BLOB("dir", 1, SGC_AT_PATH), BLOB("type", 2, SGC_AT_STR),
      REG("flags", 3, SGC_AT_MOUNT_FLAGS)}},
    {"umount2", __NR_umount2, 3, {RES, BLOB("name", 0, SGC_AT_PATH), REG("flags", 1, SGC_AT_INT)}},
    {"unlink", __NR_unlink, 2, {RES, BLOB("path", 0, SGC_AT_PATH)}},
    {"unlinkat",
     __NR_unlinkat,
     4,
     {RES, REG("dirfd", 0, SGC_AT_FD), BLOB("name", 1, SGC_AT_PATH),
      REG("flags", 2, SGC_AT_AT_FLAGS)}},
    {"rename",
     __NR_rename,
     3,
     {RES, BLOB("oldpath", 0, SGC_AT_PATH), BLOB("newpath", 1, SGC_AT_PATH)}},
    {"renameat",
     __NR_renameat,
     5,
     {RES, REG("olddirfd", 0, SGC_AT_FD), BLOB("oldpath", 1, SGC_AT_PATH),
      REG("newdirfd", 2, SGC_AT_FD), BLOB("newpath", 3, SGC_AT_PATH)}},
    {"renameat2",
     __NR_renameat2,
     6,
     {RES, REG("olddirfd", 0, SGC_AT_FD), BLOB("oldpath", 1, SGC_AT_PATH),
      REG("newdirfd", 2, SGC_AT_FD), BLOB("newpath", 3, SGC_AT_PATH),
      REG("flags", 4, SGC_AT_UINT)}},
    {"symlink",
     __NR_symlink,
     3,
     {RES, BLOB("target", 0, SGC_AT_PATH), BLOB("linkpath", 1, SGC_AT_PATH)}},
    {"symlinkat",
     __NR_symlinkat,
     4,
     {RES, BLOB("target", 0, SGC_AT_PATH), REG("linkdirfd", 1, SGC_AT_FD),
      BLOB("linkpath", 2, SGC_AT_PATH)}},
    {"link", __NR_link, 3, {RES, BLOB("oldpath", 0, SGC_AT_PATH), BLOB("newpath", 1, SGC_AT_PATH)}},
    {"linkat",
     __NR_linkat,
     6,
     {RES, REG("olddir", 0, SGC_AT_FD), BLOB("oldpath", 1, SGC_AT_PATH),
      REG("newdir", 2, SGC_AT_FD), BLOB("newpath", 3, SGC_AT_PATH),
      REG("flags", 4, SGC_AT_AT_FLAGS)}},
    {"mkdir", __NR_mkdir, 3, {RES, BLOB("path", 0, SGC_AT_PATH), REG("mode", 1, SGC_AT_OCT)}},
    {"mkdirat",
     __NR_mkdirat,
     4,
     {RES, REG("dirfd", 0, SGC_AT_FD), BLOB("path", 1, SGC_AT_PATH), REG("mode", 2, SGC_AT_OCT)}},
    {"rmdir", __NR_rmdir, 2, {RES, BLOB("path", 0, SGC_AT_PATH)}},
    {"chmod", __NR_chmod, 3, {RES, BLOB("filename", 0, SGC_AT_PATH), REG("mode", 1, SGC_AT_MODE)}},
    {"fchmod", __NR_fchmod, 3, {RES, REG("fd", 0, SGC_AT_FD), REG("mode", 1, SGC_AT_MODE)}},
    {"fchmodat",
     __NR_fchmodat,
     4,
     {RES, REG("dirfd", 0, SGC_AT_FD), BLOB("filename", 1, SGC_AT_PATH),
      REG("mode", 2, SGC_AT_MODE)}},
    {"memfd_create",
     __NR_memfd_create,
     3,
     {FDRET, BLOB("name", 0, SGC_AT_STR), REG("flags", 1, SGC_AT_MEMFD_FLAGS)}},
    {"bpf", __NR_bpf, 2, {RET("res_or_fd", SGC_AT_ERRNO), REG("cmd", 0, SGC_AT_BPF_CMD)}},
    {"setns", __NR_setns, 3, {RES, REG("fd", 0, SGC_AT_FD), REG("nstype", 1, SGC_AT_CLONE_FLAGS)}},
    {"unshare", __NR_unshare, 2, {RES, REG("flags", 0, SGC_AT_CLONE_FLAGS)}},
    {"init_module",
     __NR_init_module,
     3,
     {RES, REG("length", 1, SGC_AT_UINT), BLOB("uargs", 2, SGC_AT_STR)}},
    {"finit_module",
     __NR_finit_module,
     4,
     {RES, REG("fd", 0, SGC_AT_FD), BLOB("uargs", 1, SGC_AT_STR), REG("flags", 2, SGC_AT_HEX)}},
    {"dup", __NR_dup, 2, {RES, REG("oldfd", 0, SGC_AT_FD)}},
    {"dup2", __NR_dup2, 3, {RES, REG("oldfd", 0, SGC_AT_FD), REG("newfd", 1, SGC_AT_FD)}},
    {"dup3",
     __NR_dup3,
     4,
     {RES, REG("oldfd", 0, SGC_AT_FD), REG("newfd", 1, SGC_AT_FD),
      REG("flags", 2, SGC_AT_OPEN_FLAGS)}},
    {"userfaultfd", __NR_userfaultfd, 2, {RES, REG("flags", 0, SGC_AT_OPEN_FLAGS)}},
    {"sendto",
     __NR_sendto,
     5,
     {RES, BLOB("data", 1, SGC_AT_BYTES), REG("fd", 0, SGC_AT_FD), REG("size", 2, SGC_AT_UINT),
      TUPLE("tuple")}},
    {"recvfrom",
     __NR_recvfrom,
     5,
     {RES, BLOB("data", 1, SGC_AT_BYTES), TUPLE("tuple"), REG("fd", 0, SGC_AT_FD),
      REG("size", 2, SGC_AT_UINT)}},
    {"sendmsg",
     __NR_sendmsg,
     4,
     {RES, BLOB("data", 1, SGC_AT_BYTES), TUPLE("tuple"), REG("fd", 0, SGC_AT_FD)}},
    {"recvmsg",
     __NR_recvmsg,
     4,
     {RES, BLOB("data", 1, SGC_AT_BYTES), TUPLE("tuple"), REG("fd", 0, SGC_AT_FD)}},
    {"read",
     __NR_read,
     4,
     {RES, BLOB("data", 1, SGC_AT_BYTES), REG("fd", 0, SGC_AT_FD), REG("size", 2, SGC_AT_UINT)}},
    {"write",
     __NR_write,
     4,
     {RES, BLOB("data", 1, SGC_AT_BYTES), REG("fd", 0, SGC_AT_FD), REG("size", 2, SGC_AT_UINT)}},
    {"pread64",
     __NR_pread64,
     5,
     {RES, BLOB("data", 1, SGC_AT_BYTES), REG("fd", 0, SGC_AT_FD), REG("size", 2, SGC_AT_UINT),
      REG("pos", 3, SGC_AT_UINT)}},
    {"pwrite64",
     __NR_pwrite64,
     5,
     {RES, BLOB("data", 1, SGC_AT_BYTES), REG("fd", 0, SGC_AT_FD), REG("size", 2, SGC_AT_UINT),
      REG("pos", 3, SGC_AT_UINT)}},
    {"close", __NR_close, 2, {RES, REG("fd", 0, SGC_AT_FD)}},
    {"chdir", __NR_chdir, 2, {RES, BLOB("path", 0, SGC_AT_PATH)}},
    {"fchdir", __NR_fchdir, 2, {RES, REG("fd", 0, SGC_AT_FD)}},
    {"kill", __NR_kill, 3, {RES, REG("pid", 0, SGC_AT_INT), REG("sig", 1, SGC_AT_INT)}},
    {"tgkill",
     __NR_tgkill,
     4,
     {RES, REG("pid", 0, SGC_AT_INT), REG("tid", 1, SGC_AT_INT), REG("sig", 2, SGC_AT_INT)}},
    {"prctl",
     __NR_prctl,
     4,
     {RES, REG("option", 0, SGC_AT_INT), BLOB("arg2_str", 1, SGC_AT_STR),
      REG("arg2_int", 1, SGC_AT_INT)}},
    {"truncate",
     __NR_truncate,
     3,
     {RES, BLOB("path", 0, SGC_AT_PATH), REG("length", 1, SGC_AT_UINT)}},
    {"ftruncate", __NR_ftruncate, 3, {RES, REG("fd", 0, SGC_AT_FD), REG("length", 1, SGC_AT_UINT)}},
    {"fchown",
     __NR_fchown,
     4,
     {RES, REG("fd", 0, SGC_AT_FD), REG("uid", 1, SGC_AT_UID), REG("gid", 2, SGC_AT_GID)}},
    {"chown",
     __NR_chown,
     4,
     {RES, BLOB("path", 0, SGC_AT_PATH), REG("uid", 1, SGC_AT_UID), REG("gid", 2, SGC_AT_GID)}},
};

enum { NDESCS = (int)(sizeof descs / sizeof descs[0]) };

/* Dense nr -> desc index, built on first use (syscall numbers are < 512). */
#define NR_INDEX_MAX 512
static int16_t nr_index[NR_INDEX_MAX];
static pthread_once_t nr_index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
    for (int i = 0; i < NR_INDEX_MAX; i++) nr_index[i] = -1;
    for (int i = 0; i < NDESCS; i++)
        if (descs[i].nr >= 0 && descs[i].nr < NR_INDEX_MAX) nr_index[descs[i].nr] = (int16_t)i;
}

const sgc_syscall_desc *sgc_syscall_desc_of(int nr)
{
    pthread_once(&nr_index_once, build_index);
    if (nr < 0 || nr >= NR_INDEX_MAX || nr_index[nr] < 0) return NULL;
    return &descs[nr_index[nr]];
}

int sgc_syscall_desc_arg(const sgc_syscall_desc *d, const char *name)
{
    for (int i = 0; i < d->nargs; i++)
        if (strcmp(d->args[i].name, name) == 0) return i;
    return -1;
}

bool sgc_syscall_argname_known(const char *name)
{
    for (int i = 0; i < NDESCS; i++)
        if (sgc_syscall_desc_arg(&descs[i], name) >= 0) return true;
    return false;
}

const sgc_syscall_desc *sgc_syscall_descs(int *n)
{
    *n = NDESCS;
    return descs;
}
