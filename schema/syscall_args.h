/* Falco's per-event argument names (evt.arg.NAME, evt.arg[N], evt.args),
 * mapped to where our record carries each argument.
 *
 * Names and order follow Falco's exit events (libs event table: the exit
 * event's parameters, including the enter parameters newer libs copy into
 * the exit event), for the syscalls the corpus rules name plus the common
 * fd syscalls. Where an argument lives in the record:
 *   SGC_ARGSRC_RET      the return value (res / fd)
 *   SGC_ARGSRC_REG i    the raw integer argument i (hdr.args[i])
 *   SGC_ARGSRC_BLOB i   the string blob of argument i (SGC_BLOB_ARG0 + i)
 *   SGC_ARGSRC_TUPLE    the SGC_BLOB_SOCKTUPLE blob
 *   SGC_ARGSRC_SOCKADDR the SGC_BLOB_SOCKADDR blob
 *   SGC_ARGSRC_EXE / SGC_ARGSRC_ARGV / SGC_ARGSRC_CWD  exec blobs
 * openat2's `struct open_how` is read by the kernel side into
 * args[2] (flags), args[3] (mode), args[4] (resolve). */
#ifndef SGC_SYSCALL_ARGS_H
#define SGC_SYSCALL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SGC_ARGSRC_RET,
    SGC_ARGSRC_REG,
    SGC_ARGSRC_BLOB,
    SGC_ARGSRC_TUPLE,
    SGC_ARGSRC_SOCKADDR,
    SGC_ARGSRC_EXE,
    SGC_ARGSRC_ARGV0,
    SGC_ARGSRC_ARGS,
    SGC_ARGSRC_CWD
} sgc_arg_src;

typedef enum {
    SGC_AT_ERRNO, /* res: number; errno name when negative */
    SGC_AT_FD,    /* signed decimal */
    SGC_AT_INT,   /* signed decimal */
    SGC_AT_UINT,  /* unsigned decimal */
    SGC_AT_HEX,   /* 0x... */
    SGC_AT_OCT,   /* 0644 */
    SGC_AT_PATH,  /* string */
    SGC_AT_STR,   /* string */
    SGC_AT_BYTES, /* buffer (data) */
    SGC_AT_UID,   /* decimal; rendered as user name when resolvable */
    SGC_AT_GID,
    SGC_AT_OPEN_FLAGS,  /* O_RDWR|O_CREAT... */
    SGC_AT_MODE,        /* S_IRUSR|S_ISUID... */
    SGC_AT_SOCK_FAMILY, /* AF_INET */
    SGC_AT_SOCK_TYPE,   /* SOCK_STREAM */
    SGC_AT_PTRACE_REQ,  /* PTRACE_ATTACH */
    SGC_AT_CLONE_FLAGS, /* CLONE_NEWNS|... (unshare, setns) */
    SGC_AT_BPF_CMD,     /* BPF_PROG_LOAD */
    SGC_AT_AT_FLAGS,    /* AT_REMOVEDIR, AT_SYMLINK_FOLLOW, ... */
    SGC_AT_MOUNT_FLAGS, /* MS_RDONLY|... */
    SGC_AT_MEMFD_FLAGS, /* MFD_CLOEXEC|... */
    SGC_AT_SOCKTUPLE,   /* 1.2.3.4:5->6.7.8.9:10 */
    SGC_AT_SOCKADDR,    /* 1.2.3.4:5 or a unix path */
} sgc_arg_type;

typedef struct sgc_argdesc {
    const char *name;
    uint8_t src;  /* sgc_arg_src */
    uint8_t idx;  /* register / blob index */
    uint8_t type; /* sgc_arg_type */
} sgc_argdesc;

#define SGC_MAX_EVT_ARGS 8

typedef struct sgc_syscall_desc {
    const char *name; /* Falco event name, e.g. "openat" */
    int nr;           /* x86_64 syscall number */
    int nargs;
    sgc_argdesc args[SGC_MAX_EVT_ARGS];
} sgc_syscall_desc;

/* The description of a syscall, or NULL when we name no arguments for it. */
const sgc_syscall_desc *sgc_syscall_desc_of(int nr);
/* Is `name` an argument name of any described syscall? (compile-time check) */
bool sgc_syscall_argname_known(const char *name);
/* Index of argument `name` in d, or -1. */
int sgc_syscall_desc_arg(const sgc_syscall_desc *d, const char *name);
/* All descriptions (for documentation / list-fields). */
const sgc_syscall_desc *sgc_syscall_descs(int *n);

#endif
