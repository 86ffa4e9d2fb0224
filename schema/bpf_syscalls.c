/* Capture specs per syscall: which arguments are user strings, where the
 * sockaddr is, which fd to read a socket tuple or a path from. The numbers
 * come from the system's <sys/syscall.h>. */
#include "bpf_syscalls.h"

#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#define NO   SGC_SRC_NONE
#define RET  SGC_SRC_RET
#define A(i) (1u << (i))

/* S(strings, sockaddr arg, its length arg, socket fd, path fd, raw struct
 *   arg, struct size, relative-name arg, failures only) */
#define S(str, sa, sal, sockfd, pathfd, st, stlen, rel, fail)                                      \
    {1, (str), (sa), (sal), (sockfd), (pathfd), (st), (stlen), (rel), (fail), 0, 0, 0, 0, 0}
#define PLAIN       S(0, NO, NO, NO, NO, NO, 0, NO, 0)
#define STR(m)      S(m, NO, NO, NO, NO, NO, 0, NO, 0)
#define FDPATH(src) S(0, NO, NO, NO, src, NO, 0, NO, 0)
#define SOCK(src)   S(0, NO, NO, src, NO, NO, 0, NO, 0)

const struct sgc_syscall_info sgc_syscall_table[] = {
    /* files: the path of a returned fd only when the name was relative */
    {"open", SYS_open, "open", S(A(0), NO, NO, NO, RET, NO, 0, 0, 0)},
    {"openat", SYS_openat, "openat", S(A(1), NO, NO, NO, RET, NO, 0, 1, 0)},
    {"openat2", SYS_openat2, "openat2", S(A(1), NO, NO, NO, RET, 2, 24, 1, 0)},
    {"creat", SYS_creat, "creat", S(A(0), NO, NO, NO, RET, NO, 0, 0, 0)},
    {"execve", SYS_execve, "execve", S(A(0), NO, NO, NO, NO, NO, 0, NO, 1)},
    {"execveat", SYS_execveat, "execveat", S(A(1), NO, NO, NO, NO, NO, 0, NO, 1)},
    {"unlink", SYS_unlink, "unlink", STR(A(0))},
    {"unlinkat", SYS_unlinkat, "unlinkat", STR(A(1))},
    {"rename", SYS_rename, "rename", STR(A(0) | A(1))},
    {"renameat", SYS_renameat, "renameat", STR(A(1) | A(3))},
    {"renameat2", SYS_renameat2, "renameat2", STR(A(1) | A(3))},
    {"symlink", SYS_symlink, "symlink", STR(A(0) | A(1))},
    {"symlinkat", SYS_symlinkat, "symlinkat", STR(A(0) | A(2))},
    {"link", SYS_link, "link", STR(A(0) | A(1))},
    {"linkat", SYS_linkat, "linkat", STR(A(1) | A(3))},
    {"chmod", SYS_chmod, "chmod", STR(A(0))},
    {"fchmod", SYS_fchmod, "fchmod", FDPATH(0)},
    {"fchmodat", SYS_fchmodat, "fchmodat", STR(A(1))},
    {"chown", SYS_chown, "chown", STR(A(0))},
    {"lchown", SYS_lchown, "lchown", STR(A(0))},
    {"fchown", SYS_fchown, "fchown", FDPATH(0)},
    {"fchownat", SYS_fchownat, "fchownat", STR(A(1))},
    {"mkdir", SYS_mkdir, "mkdir", STR(A(0))},
    {"mkdirat", SYS_mkdirat, "mkdirat", STR(A(1))},
    {"rmdir", SYS_rmdir, "rmdir", STR(A(0))},
    {"truncate", SYS_truncate, "truncate", STR(A(0))},
    {"ftruncate", SYS_ftruncate, "ftruncate", FDPATH(0)},
    {"chdir", SYS_chdir, "chdir", STR(A(0))},
    {"fchdir", SYS_fchdir, "fchdir", FDPATH(0)},
    {"chroot", SYS_chroot, "chroot", STR(A(0))},
    {"pivot_root", SYS_pivot_root, "pivot_root", STR(A(0) | A(1))},
    {"mount", SYS_mount, "mount", STR(A(0) | A(1) | A(2))},
    {"umount2", SYS_umount2, "umount", STR(A(0))},
    {"memfd_create", SYS_memfd_create, "memfd_create", STR(A(0))},
    {"dup", SYS_dup, "dup", FDPATH(RET)},
    {"dup2", SYS_dup2, "dup2", FDPATH(RET)},
    {"dup3", SYS_dup3, "dup3", FDPATH(RET)},
    {"read", SYS_read, "read", FDPATH(0)},
    {"write", SYS_write, "write", FDPATH(0)},
    {"fcntl", SYS_fcntl, "fcntl", FDPATH(0)},
    {"close", SYS_close, "close", PLAIN}, /* at exit the fd is gone */
    {"pipe", SYS_pipe, "pipe", PLAIN},
    {"pipe2", SYS_pipe2, "pipe2", PLAIN},
    {"init_module", SYS_init_module, "init_module", PLAIN},
    {"finit_module", SYS_finit_module, "finit_module", FDPATH(0)},
    /* network: sockaddr argument and the tuple of the socket itself */
    {"socket", SYS_socket, "socket", SOCK(RET)},
    {"socketpair", SYS_socketpair, "socketpair", PLAIN},
    {"connect", SYS_connect, "connect", S(0, 1, 2, 0, NO, NO, 0, NO, 0)},
    {"bind", SYS_bind, "bind", S(0, 1, 2, 0, NO, NO, 0, NO, 0)},
    {"listen", SYS_listen, "listen", SOCK(0)},
    {"accept", SYS_accept, "accept", SOCK(RET)},
    {"accept4", SYS_accept4, "accept4", SOCK(RET)},
    {"sendto", SYS_sendto, "sendto", S(0, 4, 5, 0, NO, NO, 0, NO, 0)},
    {"sendmsg", SYS_sendmsg, "sendmsg", SOCK(0)},
    {"recvfrom", SYS_recvfrom, "recvfrom", SOCK(0)},
    {"recvmsg", SYS_recvmsg, "recvmsg", SOCK(0)},
    /* identity, namespaces, processes: integer arguments only */
    {"setuid", SYS_setuid, "setuid", PLAIN},
    {"setgid", SYS_setgid, "setgid", PLAIN},
    {"setreuid", SYS_setreuid, "setreuid", PLAIN},
    {"setregid", SYS_setregid, "setregid", PLAIN},
    {"setresuid", SYS_setresuid, "setresuid", PLAIN},
    {"setresgid", SYS_setresgid, "setresgid", PLAIN},
    {"capset", SYS_capset, "capset", PLAIN},
    {"setns", SYS_setns, "setns", FDPATH(0)},
    {"unshare", SYS_unshare, "unshare", PLAIN},
    {"ptrace", SYS_ptrace, "ptrace", PLAIN},
    {"prctl", SYS_prctl, "prctl", PLAIN},
    {"seccomp", SYS_seccomp, "seccomp", PLAIN},
    {"bpf", SYS_bpf, "bpf", PLAIN},
    {"userfaultfd", SYS_userfaultfd, "userfaultfd", PLAIN},
    {"kill", SYS_kill, "kill", PLAIN},
    {"tkill", SYS_tkill, "tkill", PLAIN},
    {"tgkill", SYS_tgkill, "tgkill", PLAIN},
    {"clone", SYS_clone, "clone", PLAIN},
    {"clone3", SYS_clone3, "clone3", PLAIN},
    {"fork", SYS_fork, "fork", PLAIN},
    {"vfork", SYS_vfork, "vfork", PLAIN},
    {"mmap", SYS_mmap, "mmap", PLAIN},
    {"mprotect", SYS_mprotect, "mprotect", PLAIN},
    {"io_uring_setup", SYS_io_uring_setup, "io_uring_setup", PLAIN},
    {"process_vm_readv", SYS_process_vm_readv, "process_vm_readv", PLAIN},
    {"process_vm_writev", SYS_process_vm_writev, "process_vm_writev", PLAIN},
};

const size_t sgc_syscall_table_len = sizeof(sgc_syscall_table) / sizeof(sgc_syscall_table[0]);

const struct sgc_syscall_info *sgc_syscall_by_name(const char *name)
{
    for (size_t i = 0; i < sgc_syscall_table_len; i++)
        if (strcmp(sgc_syscall_table[i].name, name) == 0) return &sgc_syscall_table[i];
    return NULL;
}

/* Data buffers (evt.buffer / evt.arg.data): the pointer argument and where
 * the byte count is (the result for reads, the size argument for writes). */
static const struct {
    int nr;
    uint8_t arg, len;
} data_specs[] = {
    {SYS_read, 1, RET},   {SYS_write, 1, 2},      {SYS_pread64, 1, RET},
    {SYS_pwrite64, 1, 2}, {SYS_recvfrom, 1, RET}, {SYS_sendto, 1, 2},
};

bool sgc_syscall_data_spec(int nr, struct sgc_syscall_spec *spec)
{
    for (size_t i = 0; i < sizeof data_specs / sizeof data_specs[0]; i++) {
        if (data_specs[i].nr == nr) {
            spec->data_capture = 1;
            spec->data_arg = data_specs[i].arg;
            spec->data_len = data_specs[i].len;
            return true;
        }
    }
    return false;
}

const struct sgc_syscall_info *sgc_syscall_by_nr(int nr)
{
    for (size_t i = 0; i < sgc_syscall_table_len; i++)
        if (sgc_syscall_table[i].nr == nr) return &sgc_syscall_table[i];
    return NULL;
}
