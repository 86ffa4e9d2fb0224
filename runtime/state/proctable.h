/* The process table: what the runtime knows about every process, so that an
 * event carrying only pid/tid can be given its full context (proc.*,
 * thread.*, user.*, container.*).
 *
 * Entries are keyed by the thread-group id (what users call the pid); the
 * threads of a process share its entry (thread-level fields come from the
 * event header). The table is bootstrapped from /proc (procfs.h) and kept
 * current by the kernel's exec/fork/exit records, or by the event file in
 * replay.
 *
 * Memory is bounded (docs/performance.md, docs/event-format.md):
 *  - the strings of an executable image (exe, exepath, argv, env, cwd,
 *    container id) live in one refcounted block shared by every process that
 *    forked from the same exec, so a fork storm costs one fixed-size entry
 *    per child; every string is capped (SGC_PROC_STR_MAX);
 *  - entries of exited processes stay for `exited_linger_ns` of event time
 *    (their last events may still be in flight on other CPUs) and at most
 *    `max_exited` of them are kept;
 *  - at `max_entries` the oldest exited entry is reclaimed first, then the
 *    least recently seen live one; the same happens when the images together
 *    exceed `max_image_bytes` (an exec storm with huge argv/env).
 *
 * Timestamps are in the event clock (whatever the caller's events carry:
 * boot-based ns live, the file's epoch ns in replay); the table only compares
 * them with each other. */
#ifndef SGC_PROCTABLE_H
#define SGC_PROCTABLE_H

#include "decode.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest kept exe, exepath, cwd, argv (all args) and env (all vars). */
#define SGC_PROC_STR_MAX     4096
#define SGC_PROC_COMM_MAX    16 /* 15 chars + NUL, as the kernel's comm */
#define SGC_CONTAINER_ID_MAX 64 /* full id; container.id is its first 12 */
#define SGC_LOGINUID_UNSET   0xffffffffu

/* An executable image and what goes with it, shared by fork. Immutable once
 * built (changing cwd makes a copy). Strings are NUL-terminated inside
 * `data`; argv and env are NUL-separated lists of `nargs`/`nenv` items. */
typedef struct sgc_proc_image {
    uint32_t refs;
    uint32_t exe_flags; /* SGC_EXE_* (sgc_event.h) */
    uint16_t exe_len, exepath_len, cwd_len, args_len, env_len;
    uint16_t nargs, nenv;
    uint8_t has_exe_flags; /* exe_flags is known (else the is_exe_* fields are <NA>) */
    uint8_t cid_len;       /* 0: unknown; 4: "host" */
    char container_id[SGC_CONTAINER_ID_MAX + 1];
    uint64_t exe_ino, exe_ctime_ns, exe_mtime_ns; /* 0 = unknown */
    const char *exe, *exepath, *cwd, *args, *env; /* point into data */
    char data[];
} sgc_proc_image;

/* What an exec (or a /proc read, or an event file's "proc" object) tells us.
 * A NULL string means "unknown": when updating, the previous value is kept;
 * when creating, an empty string is stored. A non-NULL empty string is a
 * known empty value (a process without arguments). */
typedef struct sgc_proc_image_spec {
    const char *exe;
    size_t exe_len; /* argv[0] */
    const char *args;
    size_t args_len; /* argv[1..], NUL-separated */
    const char *exepath;
    size_t exepath_len; /* full path of the executable */
    const char *cwd;
    size_t cwd_len;
    const char *env;
    size_t env_len; /* NUL-separated NAME=value */
    const char *cgroup;
    size_t cgroup_len;        /* a cgroup path (container id derived) */
    const char *container_id; /* explicit id ("host" ok), wins over cgroup */
    bool has_exe_flags;
    uint32_t exe_flags;
    uint64_t exe_ino, exe_ctime_ns, exe_mtime_ns; /* 0 = unknown */
} sgc_proc_image_spec;

typedef struct sgc_proc {
    uint32_t pid;
    uint32_t ppid; /* parent's tgid, as last seen */
    uint32_t vpid, sid, vpgid;
    uint32_t uid, gid, euid, egid;
    uint32_t loginuid; /* SGC_LOGINUID_UNSET when unset */
    uint32_t tty;      /* 0 = no controlling terminal */
    uint64_t cap_effective, cap_permitted, cap_inheritable;
    uint64_t start_ns; /* clone time, event clock; 0 = unknown */
    uint64_t exit_ns;  /* when exited */
    uint64_t last_seen_ns;
    char comm[SGC_PROC_COMM_MAX];
    bool exited;
    bool has_cap_inheritable; /* only /proc and event files know it */
    sgc_proc_image *img;      /* never NULL for an entry in the table */
    /* table bookkeeping */
    int32_t slot;         /* own index in the table */
    int32_t hnext;        /* hash chain */
    int32_t lprev, lnext; /* live LRU list or exited FIFO */
} sgc_proc;

typedef struct sgc_proctable_config {
    uint32_t max_entries;      /* hard cap; default 131072 */
    uint32_t max_exited;       /* exited entries kept at most; default 4096 */
    uint64_t exited_linger_ns; /* keep an exited entry this long; default 5 s */
    uint32_t max_depth;        /* ancestor walks stop here; default 64 */
    uint64_t max_image_bytes;  /* strings of all images; default 256 MiB, then the
                                    oldest exited, then least recently seen, entries go */
} sgc_proctable_config;

typedef struct sgc_proctable_stats {
    uint32_t entries, live, exited, images;
    uint64_t image_bytes; /* bytes held by images (headers + strings) */
    uint64_t table_bytes; /* entries array + hash buckets */
    uint64_t evicted_live, evicted_exited, reaped;
    uint64_t forks, execs, exits, created_unknown;
} sgc_proctable_stats;

typedef struct sgc_proctable sgc_proctable;

sgc_proctable *sgc_proctable_new(const sgc_proctable_config *cfg); /* NULL = defaults */
void sgc_proctable_free(sgc_proctable *t);
const sgc_proctable_config *sgc_proctable_get_config(const sgc_proctable *t);

/* The entry of a pid (live or exited, not yet reclaimed), or NULL. */
sgc_proc *sgc_proctable_find(sgc_proctable *t, uint32_t pid);
/* Get the entry of pid, creating a blank one (empty image, host) when absent.
 * NULL only when out of memory. */
sgc_proc *sgc_proctable_get_or_create(sgc_proctable *t, uint32_t pid, uint64_t now_ns);
void sgc_proctable_remove(sgc_proctable *t, uint32_t pid);

/* The parent entry, or NULL when unknown. A parent that started after the
 * child is a reused pid, not the parent, and is not returned. */
sgc_proc *sgc_proctable_parent(sgc_proctable *t, const sgc_proc *p);
/* Ancestor n (0 = p itself, 1 = parent...), NULL past the known lineage or
 * beyond max_depth; cycles end the walk. */
sgc_proc *sgc_proctable_ancestor(sgc_proctable *t, const sgc_proc *p, int n);
/* Visit the strict ancestors of p, nearest first, until fn returns false.
 * Bounded by max_depth, so a pid cycle cannot loop. */
void sgc_proctable_walk_ancestors(sgc_proctable *t, const sgc_proc *p,
                                  bool (*fn)(const sgc_proc *anc, void *ud), void *ud);

/* Replace (or with `update`, merge into) p's image. Returns 0, -1 on OOM. */
int sgc_proc_set_image(sgc_proctable *t, sgc_proc *p, const sgc_proc_image_spec *spec, bool update);

/* Lifecycle, as the kernel reports it. */
sgc_proc *sgc_proctable_fork(sgc_proctable *t, uint32_t parent_pid, uint32_t child_pid,
                             uint64_t ts_ns);
sgc_proc *sgc_proctable_exec(sgc_proctable *t, uint32_t pid, const sgc_proc_image_spec *spec,
                             uint64_t ts_ns);
void sgc_proctable_exit(sgc_proctable *t, uint32_t pid, uint64_t ts_ns);

/* Refresh an entry from a record header (credentials, caps, comm, ppid, tty,
 * sid, vpgid...). Creates the entry when the pid is unknown. */
sgc_proc *sgc_proctable_touch_hdr(sgc_proctable *t, const struct sgc_event_hdr *h);

/* Bring a syscall record's credentials to what the call left the thread
 * with, as Falco's parser does before rules see the exit event: a successful
 * setuid/setreuid/setresuid (and the gid family) sets the new ids (-1 leaves
 * one unchanged), a successful unshare/setns into a new user namespace gives
 * every capability. The kernel reads credentials at exit, so live headers
 * already have them (idempotent there); replay builds headers from the state
 * before the call and needs it (proctable_creds.c). */
void sgc_creds_after_syscall(struct sgc_event_hdr *h);

/* Apply one decoded record: EXEC/FORK/EXIT update the table, SYSCALL touches
 * its process. Returns the entry the event belongs to (NULL for DROP). */
sgc_proc *sgc_proctable_apply(sgc_proctable *t, const sgc_evt *ev);

/* Reclaim exited entries older than the linger time at event time now_ns. */
void sgc_proctable_reap(sgc_proctable *t, uint64_t now_ns);

void sgc_proctable_get_stats(const sgc_proctable *t, sgc_proctable_stats *st);

/* The user-name cache and container metadata the proc/user/container field
 * extractors consult (they reach them through the table, the one context
 * object an extractor is given). Not owned by the table. */
struct sgc_usercache;
struct sgc_containers;
void sgc_proctable_attach(sgc_proctable *t, struct sgc_usercache *users,
                          struct sgc_containers *containers);
struct sgc_usercache *sgc_proctable_users(const sgc_proctable *t);
struct sgc_containers *sgc_proctable_containers(const sgc_proctable *t);
/* The name -> address knowledge of fd.*ip.name (dnsnames.h); NULL: none. */
struct sgc_dnsnames;
void sgc_proctable_attach_dns(sgc_proctable *t, struct sgc_dnsnames *dns);
struct sgc_dnsnames *sgc_proctable_dns(const sgc_proctable *t);

/* Iterate over entries (order unspecified): fn returns false to stop. */
void sgc_proctable_foreach(sgc_proctable *t, bool (*fn)(sgc_proc *p, void *ud), void *ud);

/* ---- image accessors ------------------------------------------------------ */

/* Split a kernel/procfs argv (NUL-separated, argv[0] first) into spec->exe
 * and spec->args. */
void sgc_proc_spec_set_argv(sgc_proc_image_spec *spec, const char *argv, size_t len);

/* argv[i] of the image (i = 0 is argv[0] == proc.exe), NULL when out of range. */
const char *sgc_proc_image_arg(const sgc_proc_image *img, int i, size_t *len);
/* Value of environment variable `name` (NULL when not set). */
const char *sgc_proc_image_getenv(const sgc_proc_image *img, const char *name, size_t name_len,
                                  size_t *len);
/* "host" or the full container id ("" when unknown). */
static inline const char *sgc_proc_container_id(const sgc_proc *p) { return p->img->container_id; }

#endif
