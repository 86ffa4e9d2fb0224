/* The event record the kernel side sends over the ring buffer and the
 * runtime decodes; one declaration for both sides (libbpf-bootstrap style:
 * included by *.bpf.c and by runtime/ C).
 *
 * A record is a fixed header, then `cand_words` 64-bit words of candidate-rule
 * bitmap, then `nblobs` variable-length blobs (string arguments, paths,
 * socket addresses, argv...). Every blob starts 8-byte aligned. `size` covers
 * the whole record; the decoder checks every length against it. */
#ifndef SGC_EVENT_H
#define SGC_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SGC_EVENT_VERSION  1
#define SGC_COMM_LEN       16
#define SGC_NARGS          6
/* Largest blob payload the kernel copies (longer strings are truncated and
 * flagged); keeps the per-CPU scratch buffer and verifier bounds small. */
#define SGC_BLOB_MAX       4096
/* The most candidate words a record carries (the kernel filter's bitmap is
 * kept in one blob): a kernel filter decides for at most 64 x this many
 * enabled rules (32,768). */
#define SGC_CAND_WORDS_MAX (SGC_BLOB_MAX / 8)
/* Largest record: header + bitmap + blobs. */
#define SGC_RECORD_MAX     (64 * 1024)

enum sgc_record_kind {
    SGC_REC_SYSCALL = 1,   /* a syscall exit (nr = syscall number) */
    SGC_REC_PROC_EXEC = 2, /* sched_process_exec: new image, carries exe/argv/cwd/env */
    SGC_REC_PROC_FORK = 3, /* sched_process_fork: child pid in args[0] */
    SGC_REC_PROC_EXIT = 4, /* sched_process_exit */
    SGC_REC_DROP = 5,      /* internal: args[0] = events lost since the last one */
    /* userspace only (never sent by the kernel): the runtime learned a new
     * container's metadata (evt.type = container); blob CONTAINER_ID */
    SGC_REC_CONTAINER = 6,
    /* userspace only: an event of another source (k8s_audit), header only;
     * never in a record file */
    SGC_REC_PLUGIN = 7,
};

/* Header flags */
#define SGC_EVF_CANDIDATES (1u << 0) /* bitmap present and meaningful */
#define SGC_EVF_NOPUSHDOWN (1u << 1) /* kernel filter was bypassed */
#define SGC_EVF_IS_THREAD  (1u << 2) /* PROC_FORK created a thread, not a process */
/* In-kernel enforcement (sgc run --enforce): an enforced rule the kernel
 * decides completely was TRUE at this syscall's exit, and the kernel */
#define SGC_EVF_KILLED     (1u << 3) /* sent SIGKILL to the process */
#define SGC_EVF_KILL_AUDIT (1u << 4) /* would have (the rule is in audit mode) */
#define SGC_EVF_KILL_SPARED                                                                        \
    (1u << 5) /* spared it: pid 1, sgc, a kernel thread,
                                         an allowlisted comm */
/* A lifecycle record no alert waits for (the kernel filter dropped the
 * exec, or no rule reads fork and exit records): it goes up for the process
 * table only, so it wakes the reader only when the ring buffer's batch is
 * full, never for its age (capture_record.h); the reader does not poll
 * again soon for it (runtime/pipeline/runloop.c). */
#define SGC_EVF_NO_HURRY (1u << 6)

struct sgc_event_hdr {
    __u32 size;    /* whole record, bytes */
    __u16 kind;    /* enum sgc_record_kind */
    __u16 version; /* SGC_EVENT_VERSION */
    __u32 nr;      /* syscall number (x86_64 numbering) */
    __u32 flags;   /* SGC_EVF_* */
    __u64 ts_ns;   /* bpf_ktime_get_boot_ns(): nanoseconds since boot */
    __u32 pid;     /* thread group id (what users call the pid) */
    __u32 tid;
    __u32 ppid; /* parent's thread group id */
    __u32 uid, gid, euid, egid;
    __u32 loginuid; /* 0xffffffff when unset */
    __u32 tty;      /* controlling tty device (new_encode_dev), 0 = none */
    __u32 sid;      /* session id (in the pid namespace of the task) */
    __u32 vpid;     /* pid as seen inside the task's pid namespace */
    __u32 vpgid;
    __u32 mnt_ns, pid_ns, net_ns; /* namespace inode numbers */
    __u64 cap_effective;
    __u64 cap_permitted;
    __s64 ret;             /* syscall return value (negative errno on failure) */
    __u64 args[SGC_NARGS]; /* raw integer arguments */
    __u64 cgroup_id;
    __u64 start_ns; /* task start time (boot-based ns) */
    char comm[SGC_COMM_LEN];
    char pcomm[SGC_COMM_LEN]; /* parent's comm */
    __u16 cand_words;         /* u64 words of candidate-rule bitmap after the header */
    __u16 nblobs;
    /* the rule set whose kernel filter passed a syscall record (sgc run
     * numbers them from 1 and renumbers at each reload, so records still in
     * the ring buffer are judged by the rules that passed them); 0 for
     * process lifecycle records, which no filter judges */
    __u32 gen;
};

enum sgc_blob_tag {
    SGC_BLOB_ARG0 = 0, /* string/buffer argument i: tag = SGC_BLOB_ARG0 + i */
    SGC_BLOB_ARG5 = 5,
    SGC_BLOB_EXE = 16,          /* executable path (exec) */
    SGC_BLOB_ARGV = 17,         /* argv, NUL-separated (exec) */
    SGC_BLOB_ENV = 18,          /* environment, NUL-separated (exec) */
    SGC_BLOB_CWD = 19,          /* current directory */
    SGC_BLOB_SOCKADDR = 20,     /* raw struct sockaddr from a syscall argument */
    SGC_BLOB_SOCKTUPLE = 21,    /* struct sgc_socktuple read from the socket */
    SGC_BLOB_FDPATH = 22,       /* path of the fd the syscall used (when known) */
    SGC_BLOB_CGROUP = 23,       /* cgroup path (for container id), exec only */
    SGC_BLOB_EXE_FLAGS = 24,    /* __u32 SGC_EXE_* flags (exec) */
    SGC_BLOB_CONTAINER_ID = 25, /* full container id, NUL-terminated (SGC_REC_CONTAINER;
                                 * userspace only) */
    SGC_BLOB_ANCESTORS = 26,    /* struct sgc_ancestors: the comms of the task's ancestors
                                 * 2.. (syscall records, when the rules read proc.aname) */
};

#define SGC_BLOBF_TRUNCATED (1u << 0)
#define SGC_BLOBF_FAULT     (1u << 1) /* the read faulted (bad pointer): payload empty */
/* String blobs (ARGn strings, EXE, CWD, FDPATH, CGROUP) carry the terminating
 * NUL in their payload; ARGV/ENV are NUL-separated lists as in user memory. */

struct sgc_blob_hdr {
    __u16 len;  /* payload bytes (not counting this header or padding) */
    __u8 tag;   /* enum sgc_blob_tag */
    __u8 flags; /* SGC_BLOBF_* */
    __u32 _pad;
};

/* Local and remote ends of a socket, as the kernel knows them. */
struct sgc_socktuple {
    __u16 family;       /* AF_INET, AF_INET6, AF_UNIX */
    __u16 proto;        /* IPPROTO_TCP/UDP, 0 unknown */
    __u16 lport, rport; /* host byte order */
    __u8 laddr[16];     /* IPv4 in the first 4 bytes */
    __u8 raddr[16];
};

/* Ancestors the kernel reads, at most: proc.aname[SGC_ANC_MAX]. */
#define SGC_ANC_MAX 8

/* SGC_BLOB_ANCESTORS payload: the kernel's real_parent chain at the event.
 * Ancestor 1 (the parent) is the header's pcomm; ancestors 2..n+1 follow
 * (only n of comm[] are sent: the payload is 8 + 16 n bytes). `end` is the
 * first ancestor level past the root (the idle task, the parent of init
 * and kthreadd), when the walk reached it: 1 for a task without a parent,
 * at most n + 2; 0 when the chain goes on beyond what is carried. */
struct sgc_ancestors {
    __u8 n;
    __u8 end;
    __u8 _pad[6];
    char comm[SGC_ANC_MAX][SGC_COMM_LEN]; /* comm[i]: ancestor i + 2 */
};

/* SGC_BLOB_EXE_FLAGS bits */
#define SGC_EXE_FROM_MEMFD  (1u << 0)
#define SGC_EXE_UPPER_LAYER (1u << 1) /* overlayfs upper layer: written in the container */
#define SGC_EXE_WRITABLE    (1u << 2)

#define SGC_ALIGN8(x) (((x) + 7u) & ~7u)

#endif
