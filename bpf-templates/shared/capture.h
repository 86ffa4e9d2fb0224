/* Shared between the capture BPF programs (capture.bpf.c) and the userspace
 * loader (runtime/capture/bpf_loader.c): map layouts, counters and the per-syscall
 * capture specification. The event record itself is in sgc_event.h. */
#ifndef SGC_CAPTURE_H
#define SGC_CAPTURE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Syscall numbers index the interest map directly (x86_64 numbering). */
#define SGC_MAX_SYSCALLS 512

/* The two syscalls an exec record can come from (x86_64; the loader checks
 * them against <sys/syscall.h> at build time, as BPF code has no libc). */
#define SGC_NR_EXECVE   59
#define SGC_NR_EXECVEAT 322

/* Per-CPU counters (map "sgc_counters", one array slot per counter,
 * per-CPU values; userspace sums them). SEEN/FILTERED/PASSED count syscall
 * events only; the process lifecycle records (exec/fork/exit), which always
 * go up for the process table, are counted apart in LC_SEEN/LC_PASSED.
 * RB_FAIL/TOO_BIG/NO_SCRATCH count records of both kinds. */
enum sgc_counter {
    SGC_CNT_SEEN = 0,         /* syscall events of interest that reached a hook */
    SGC_CNT_FILTERED = 1,     /* dropped by sgc_filter() */
    SGC_CNT_PASSED = 2,       /* syscall records handed to the ring buffer */
    SGC_CNT_RB_FAIL = 3,      /* ring buffer full: record lost */
    SGC_CNT_TOO_BIG = 4,      /* a record hit SGC_RECORD_MAX; blobs were cut */
    SGC_CNT_NO_SCRATCH = 5,   /* every scratch slot of the CPU in use: record lost */
    SGC_CNT_LC_SEEN = 6,      /* exec/fork/exit lifecycle hooks that fired */
    SGC_CNT_LC_PASSED = 7,    /* lifecycle records handed to the ring buffer */
    SGC_CNT_EXEC_NO_RULE = 8, /* exec records the filter found no rule for (still
                                 sent, for the process table, without a wakeup) */
    SGC_CNT__COUNT
};

/* Record-building workspaces per CPU. Syscall tracepoints are faultable
 * since Linux 6.14: their BPF programs run with migration disabled but
 * preemptible, so a second task can enter the handler on the same CPU while
 * the first is mid-record. Each entry claims a slot atomically; the map
 * sgc_scratch has SGC_SCRATCH_SLOTS entries per possible CPU. */
#define SGC_SCRATCH_SLOTS 4 /* a power of two */
/* The last bytes of a workspace: what the kernel filter keeps between the
 * events of that workspace (filter_helpers.h struct sgc_fkeep). */
#define SGC_F_KEEP_BYTES  8192

/* Where an fd comes from: an argument index 0..5, the return value, or none. */
#define SGC_SRC_NONE 0xff
#define SGC_SRC_RET  6

/* How to capture one syscall's exit (map "sgc_syscalls", indexed by nr).
 * An all-zero entry (capture = 0) means the syscall is not of interest.
 * The table of specs lives in userspace (schema/bpf_syscalls.c) so the BPF
 * code is one generic loop, small for the verifier. */
struct sgc_syscall_spec {
    __u8 capture;          /* 1 = emit records for this syscall */
    __u8 str_args;         /* bit i: argument i is a user string (a path...) */
    __u8 sockaddr_arg;     /* user struct sockaddr pointer, or SGC_SRC_NONE */
    __u8 sockaddr_len_arg; /* argument holding its length */
    __u8 sock_fd;          /* fd of a socket to read the tuple from (SGC_SRC_*) */
    __u8 path_fd;          /* fd whose path to resolve (SGC_SRC_*) */
    __u8 struct_arg;       /* user struct copied raw as blob ARG0+i (2: openat2's
                             open_how, whose fields also become args[2..4]) */
    __u8 struct_len;       /* its size in bytes (<= 64) */
    __u8 rel_path_arg;     /* if this string arg is relative, also send the
                             path of the fd in path_fd (resolves *at() names) */
    __u8 only_failures;    /* execve/execveat: success is reported by exec */
    __u8 data_capture;     /* 1 = copy a prefix of the data buffer (evt.buffer),
                             set by the loader only for the syscalls whose
                             rules read it; at most sgc_config.snaplen bytes */
    __u8 data_arg;         /* argument holding the buffer pointer */
    __u8 data_len;         /* its length: an argument or SGC_SRC_RET */
    __u8 _pad;
    __u16 gen; /* the rule-set generation, copied into each record's header */
};

/* Return values of the sgc_filter_test program (BPF_PROG_TEST_RUN). */
enum sgc_test_verdict {
    SGC_TEST_PASS = 1,
    SGC_TEST_DROP = 2,       /* dropped by sgc_filter() */
    SGC_TEST_DROP_EARLY = 3, /* dropped by sgc_filter_early() */
};

/* Global configuration (map "sgc_config", one entry). */
struct sgc_config {
    __u32 self_tgid;    /* the runtime's own pid: its syscalls are ignored */
    __u32 nopushdown;   /* 1 = sgc_filter() bypassed (Falco's architecture) */
    __u32 env_max;      /* bytes of environment to copy at exec (0 = none) */
    __u32 wakeup_bytes; /* 0: wake the reader on every record it is waiting
                             for; n: only once n bytes are pending (batching;
                             the reader must poll with a timeout) */
    __u32 wakeup_ns;    /* with wakeup_bytes: also wake when the last wakeup
                             is this old, so a lone record does not wait for
                             the batch to fill (0 = no time bound) */
    __u64 last_wake_ns; /* BPF-written: boot time of the last forced wakeup */
    __u32 snaplen;      /* bytes of a data buffer copied for syscalls with
                             data_capture (Falco's snaplen, default 80) */
    __u32 lazy_fork;    /* 1: no rule can match a fork or exit record, so a
                             child's fork record waits until the runtime needs
                             it (capture_lazyfork.h) */
};

/* The host's user and group names, for user.name, group.name and
 * user.loginname in the kernel filter (map "sgc_unames", bpf-templates/
 * filter_users.h): key SGC_UNAME_KEY(kind, id), value struct sgc_uname.
 * The runtime writes the names its user cache gives the host's ids
 * (runtime/pipeline/unames.c); a name of SGC_UNAME_MAX bytes or more has
 * no entry (UNKNOWN in the kernel). */
#define SGC_UNAME_MAX           32
#define SGC_UNAME_USER          0
#define SGC_UNAME_GROUP         1
#define SGC_UNAMES_ENTRIES      16384
#define SGC_UNAME_KEY(kind, id) ((__u64)(kind) << 32 | (__u32)(id))

struct sgc_uname {
    __u32 len;                /* strlen(name), < SGC_UNAME_MAX */
    char name[SGC_UNAME_MAX]; /* zero-padded */
};

#endif
