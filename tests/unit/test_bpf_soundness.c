/* The product's promise, tested on the REAL kernel filter: for generated
 * rule sets and generated events, whenever the BPF program drops an event
 * (or leaves a rule out of the candidate bitmap), the exact userspace
 * evaluator (runtime/eval/eval.h, the reference semantics) does not match that
 * rule on that event.
 *
 * Per rule set:
 *   1. conditions: random and/or/not nestings of atoms over every field the
 *      kernel can decide (evt.type, evt.rawres, evt.res, user.uid/gid/
 *      loginuid, proc.pid/tid/sid/vpgid/tty, proc.name, capabilities, open
 *      flags, evt.is_open_*, ptrace requests, socket families, path arguments
 *      and fd.name/num/typechar of opens, the socket fields of socket
 *      syscalls: fd.typechar/type/l4proto/sockfamily/connected/name_changed,
 *      ports, addresses and networks of every end) mixed with userspace-only
 *      atoms; or
 *      the three corpus files' rules themselves (and the sandbox rules they
 *      ship disabled);
 *   2. the pushdown split and the generated filter (compiler/), compiled
 *      into bpf-templates/capture.bpf.c by the product's builder and loaded
 *      with its BPF_PROG_TEST_RUN entry (tests/support/filter_prog.h);
 *   3. events shaped like the capture program's records (the string blobs,
 *      fd paths and socket tuples bpf_syscalls.c asks for; tuples of every
 *      family, protocol, IPv4-mapped and server-socket shape), with values
 *      drawn from the rule set's own constants and their near misses
 *      (prefixes, extensions, unclean, relative, truncated and over-long
 *      paths, 15-char comms, signed/unsigned edges); and successful execs'
 *      records (SGC_REC_PROC_EXEC, nr execve: the kernel runs the execve
 *      group's filter on them) with the blobs sgc_exec_record writes, each
 *      present or missing, truncated or faulted, argv[0], exe paths and
 *      cwds from Falco's constants ("/dev/shm/", "./", memfd names), exe
 *      flags, cgroups of the host and of containers, argument lists and
 *      environments (cut, faulted, empty, long, items with spaces, case
 *      variants); the exec rule sets (build_exec_set) read the exec fields
 *      (proc.exe, proc.exepath, proc.cwd, proc.cmdline, proc.args,
 *      proc.env, proc.is_exe_*) besides the process atoms;
 *   4. each record run through the BPF program: verdict + candidate bitmap;
 *   5. each rule evaluated exactly on the decoded record, with a process
 *      table whose entries agree with the record headers (an exec record
 *      applied to it first, over an older image of the process: a missing
 *      blob keeps the older value, as in the runtime);
 *   6. a rule the evaluator matches must have been passed with its bit set;
 *      anything else is a counterexample, printed, and fails the test.
 * Live variants: real syscalls of a child through two attached capture
 * instances (test_live_syscalls), and real execs (copies of /bin/true run
 * from a directory, /dev/shm, a memfd, by a relative name) through the
 * capture's exec hook, whose filter judges each exec record
 * (test_live_execs).
 * The reference kernel evaluator (sgc_pushdown_eval) is run too; its
 * disagreements with the BPF program are reported (test_codegen.c owns that
 * comparison) and fail the test as well.
 *
 * Deterministic: SGC_SOUND_SEED (default 20261128) picks everything;
 * SGC_SOUND_SETS / SGC_SOUND_RULES / SGC_SOUND_EVENTS / SGC_SOUND_EXEC_RULES /
 * SGC_SOUND_EXEC_EVENTS / SGC_SOUND_LIVE_ACTIONS / SGC_SOUND_LIVE_EXECS scale
 * it (SGC_SOUND_PRINT_RULES=1 prints the exec sets' rules). Needs root,
 * BTF, clang and BPF: skipped with the reason otherwise, failed when CI=true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <asm/unistd_64.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pushdown_eval.h"
#include "syscall_args.h"

#include "../support/filter_prog.h"

#include "arena.h"
#include "bpf_syscalls.h"
#include "codegen_bpf.h"
#include "decode.h"
#include "eval.h"
#include "frontend.h"
#include "parse.h"
#include "proctable.h"
#include "pushdown.h"
#include "pushdown_split.h"
#include "bpf_loader.h"
#include "unames.h"
#include "usercache.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

/* ---- deterministic randomness --------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
#define PICK(n)     ((int)(rnd() % (uint64_t)(n)))
#define CHANCE(pct) (PICK(100) < (pct))
#define ANY(arr)    (arr)[PICK(sizeof(arr) / sizeof((arr)[0]))]

static long env_long(const char *name, long def)
{
    const char *s = getenv(name);
    if (!s || !*s) return def;
    char *end;
    long v = strtol(s, &end, 0);
    return *end ? def : v;
}

/* ---- growable string helpers ---------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sb_putn(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_putn(b, big, (size_t)n);
    free(big);
}

/* A pool of strings (owned). */
typedef struct pool {
    char **v;
    int n, cap;
} pool;

static void pool_add(pool *p, const char *s)
{
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->v[i], s)) return;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, (size_t)p->cap * sizeof *p->v);
        if (!p->v) abort();
    }
    p->v[p->n++] = strdup(s);
}
static void pool_free(pool *p)
{
    for (int i = 0; i < p->n; i++) free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}
static const char *pool_pick(const pool *p) { return p->n ? p->v[PICK(p->n)] : ""; }

/* ---- constants shared by rule and event generators -------------------------- */

/* A long component: paths around the kernel's 250-byte limit come from it. */
static char longbase[600];
static void init_long(void)
{
    strcpy(longbase, "/long/");
    size_t n = strlen(longbase);
    for (size_t i = n; i < sizeof longbase - 1; i++)
        longbase[i] = (char)('a' + (i % 7 == 0 ? 1 : 0));
    longbase[sizeof longbase - 1] = 0;
}
static const char *long_prefix(size_t len, char *buf)
{
    memcpy(buf, longbase, len);
    buf[len] = 0;
    return buf;
}

static const char *const rule_paths[] = {
    "/etc/shadow",
    "/etc/passwd",
    "/etc",
    "/etc/",
    "/etc/sudoers.d",
    "/usr/bin/ls",
    "/usr/bin",
    "/usr/bin/",
    "/usr/binx",
    "/bin/sh",
    "/tmp/x.log",
    "/tmp/.log",
    "/var/log/syslog",
    "/dev/shm",
    "/dev/shm/x",
    "/proc/1/mem",
    "/",
    "/root/.ssh/authorized_keys",
    "/home/u/.bash_history",
    "/etc/shadowx",
    "/etc/shado",
    "/tmp",
    "/tmp/",
    "/var/run/docker.sock",
    "/ETC/shadow",
    "'/tmp/x y.log'",
    "/tmp/\xc3\xa4.log",
    "/tmp/\xff\x80",
    "'/tmp/a,b'",
};
static const char *const rule_suffixes[] = {
    ".log", "shadow", "/shadow", "ls", "sh", ".ssh/authorized_keys", "", "x", "/", "history", "a"};
static const char *const comm_consts[] = {
    "bash",
    "cat",
    "sshd",
    "dpkg-preconfigure",
    "dpkg-preconfigu",
    "dpkg-preconfig",
    "dpkg",
    "python3",
    "sh",
    "runc:[2:INIT]",
    "systemd-journald",
    "systemd-journal",
    "aaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaa",
    "b",
    "",
    "Bash",
};
static const char *const num_consts[] = {
    "0",     "1",     "3",          "4",  "100",        "101",        "1000", "1001", "4321",
    "65534", "34816", "4294967295", "-1", "2147483648", "4294967296", "-2",   "0x10"};
static const char *const ret_consts[] = {"-13", "-2",  "-1",         "0",     "3",
                                         "4",   "-11", "4294967296", "-4095", "1"};
static const char *const errnos[] = {"ENOENT", "EACCES",      "EPERM",  "SUCCESS",
                                     "EAGAIN", "EWOULDBLOCK", "EINTR",  "ENOTDIR",
                                     "E2BIG",  "EDEADLOCK",   "EDEADLK"};
static const char *const cap_frags[] = {
    "CAP_SYS_ADMIN",       "sys_admin", "CAP_SYS",        "CAP_NET_RAW",   "CAP_SETUID",
    "CAP_DAC_READ_SEARCH", "CAP_",      "ADMIN",          "CAP_CHOWN",     "CAP_BPF",
    "CAP_PERFMON",         "CAP_50",    "CAP_SYS_MODULE", "cap_sys_ptrace"};
static const char *const flag_frags[] = {
    "O_TRUNC",     "O_WR",      "O_RDONLY",   "O_RDWR",      "O_WRONLY", "O_CREAT",
    "O_DIRECTORY", "O_TMPFILE", "O_SYNC",     "O_DSYNC",     "O_APPEND", "O_CLOEXEC",
    "TRUNC",       "O_",        "RDONLY",     "O_LARGEFILE", "O_PATH",   "O_NONBLOCK",
    "O_NDELAY",    "O_EXCL",    "O_NOFOLLOW", "O_F_CREAT"};
static const char *const ptrace_consts[] = {"PTRACE_ATTACH",   "ATTACH",          "PTRACE_SEIZE",
                                            "PTRACE_POKE",     "POKETEXT",        "PTRACE_TRACEME",
                                            "PTRACE_POKEDATA", "PTRACE_PEEKDATA", "16"};
static const char *const family_consts[] = {"AF_PACKET", "AF_INET", "INET",     "PACKET",
                                            "AF_INET6",  "AF_UNIX", "AF_LOCAL", "AF_NETLINK",
                                            "17",        "AF_"};

/* Userspace-only atoms: the kernel must say UNKNOWN for all of them. */
static const char *const user_atoms[] = {
    "proc.cmdline contains x",
    "proc.exepath startswith /usr/bin",
    "proc.aexe[2] endswith sh",
    "proc.aname != bash",
    "proc.ppid = 1",
    "proc.vpid = 1",
    "fd.directory = /etc",
    "fd.filename startswith shadow",
    "proc.exe endswith sh",
    "evt.arg.flags = O_RDONLY",
    "fd.name contains shadow",
    "proc.name contains sh",
    "fd.name exists",
    "proc.args contains -c",
    "fd.name glob '/etc/*'",
    "proc.name glob 'dpkg*'",
    "fd.name icontains SHADOW",
    "proc.is_exe_writable = true",
    "evt.arg.flags contains 'O_RDONLY|O_CLOEXEC'",
    "thread.cap_effective = CAP_SYS_ADMIN",
    "evt.res = 0",
    "evt.res != SUCCESS",
    "evt.rawres in (-2, 3)",
    "fd.nameraw startswith /etc",
};

/* container.id: decided in the kernel for processes its sgc_cid map says
 * are on the host (seed_proctable fills it), UNKNOWN otherwise. */
static const char *const container_atoms[] = {
    "container.id = host",
    "container.id != host",
    "container.id in (host, 0123456789ab)",
    "container.id in (0123456789ab, abc)",
    "container.id = 0123456789ab",
    "container.id != 0123456789ab",
    "container.id = HOST",
    "container.id startswith host",
};

/* user.name, group.name, user.loginname: decided in the kernel for processes
 * on the host whose id the sgc_unames map names (seed_users fills the
 * cache and the map), UNKNOWN otherwise. The names: the test's host and
 * container databases, prefixes, near misses, names too long for the map
 * (31 bytes fit, 32 do not). */
#define NAME31 "abcdefghijklmnopqrstuvwxyz01234"
#define NAME32 "abcdefghijklmnopqrstuvwxyz012345"
static const char *const uname_consts[] = {
    "root", "alice", "bob", "nobody", "app", "lp", "adm", "shadow", NAME31, NAME32,
};
static const char *const uname_misses[] = {
    "al", "ro", "Root", "alic", "", "ap", "abcd", "\"\"", "sh", "lpx",
};

static const char *uname_const(void) { return CHANCE(70) ? ANY(uname_consts) : ANY(uname_misses); }
static const char *const uname_fields[] = {"user.name", "group.name", "user.loginname"};

static void uname_atom(sbuf *b)
{
    const char *f = ANY(uname_fields);
    switch (PICK(6)) {
    case 0:
    case 1: sb_printf(b, "%s = '%s'", f, uname_const()); return;
    case 2: sb_printf(b, "%s != '%s'", f, uname_const()); return;
    case 3: sb_printf(b, "%s in ('%s', '%s')", f, uname_const(), uname_const()); return;
    case 4: sb_printf(b, "%s startswith '%s'", f, uname_const()); return;
    default: /* operators left to userspace */
        sb_printf(b, "%s %s '%s'", f, CHANCE(50) ? "contains" : "endswith", uname_const());
        return;
    }
}

/* ---- the syscalls and rule themes -------------------------------------------- */

typedef enum {
    TH_OPEN,
    TH_PATHS,
    TH_PTRACE,
    TH_SOCKET,
    TH_CREDS,
    TH_FD,
    TH_EXEC, /* execve rules: the exec record's fields (exec_atom) */
    TH_ANY,
    TH__N
} theme;

static const char *const open_types[] = {"open", "openat", "openat2", "creat"};
static const char *const path_types[] = {
    "unlink",    "unlinkat", "rename", "renameat",     "renameat2", "symlink",
    "symlinkat", "link",     "linkat", "chmod",        "fchmodat",  "mkdir",
    "mkdirat",   "rmdir",    "chdir",  "execve",       "execveat",  "truncate",
    "chown",     "fchownat", "mount",  "memfd_create", "chroot"};
static const char *const cred_types[] = {
    "setuid", "setgid", "setresuid",   "setreuid",     "capset", "unshare",  "setns",      "prctl",
    "bpf",    "kill",   "init_module", "finit_module", "clone",  "mprotect", "userfaultfd"};
static const char *const fd_types[] = {"read",  "write",   "close",     "dup",
                                       "dup2",  "fchmod",  "ftruncate", "fchdir",
                                       "pread", "pread64", "sendto",    "recvfrom"};
static const char *const sock_types[] = {"socket", "connect", "bind",   "listen",
                                         "accept", "accept4", "sendmsg"};

/* Path argument names (Falco's), from the argument table (syscall_args.h). */
static const char *path_args[64];
static int npath_args;

static void init_path_args(void)
{
    int n;
    const sgc_syscall_desc *d = sgc_syscall_descs(&n);
    npath_args = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d[i].nargs; j++) {
            const sgc_argdesc *a = &d[i].args[j];
            if (a->src != SGC_ARGSRC_BLOB || a->type != SGC_AT_PATH) continue;
            bool dup = false;
            for (int k = 0; k < npath_args; k++) dup |= !strcmp(path_args[k], a->name);
            if (!dup && npath_args < 64) path_args[npath_args++] = a->name;
        }
}

static const char *random_type(theme th)
{
    switch (th) {
    case TH_OPEN: return ANY(open_types);
    case TH_PATHS: return ANY(path_types);
    case TH_PTRACE: return CHANCE(80) ? "ptrace" : ANY(cred_types);
    case TH_SOCKET: return ANY(sock_types);
    case TH_CREDS: return ANY(cred_types);
    case TH_FD: return ANY(fd_types);
    case TH_EXEC: return CHANCE(75) ? "execve" : "execveat";
    default: break;
    }
    switch (PICK(6)) {
    case 0: return ANY(open_types);
    case 1: return ANY(path_types);
    case 2: return ANY(cred_types);
    case 3: return ANY(fd_types);
    case 4: return ANY(sock_types);
    default: return "ptrace";
    }
}

/* ---- atoms ------------------------------------------------------------------- */

static const char *num_op(void)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    return ANY(ops);
}

/* The live variant's directory: its files are rule constants too. */
static char live_dir[128];
static const char *const live_names[] = {"/a.log",   "/b", "/sub", "/sub/c.log",
                                         "/x y.log", "",   "/sub/"};

static void rule_path_const(sbuf *b)
{
    char tmp[600];
    int k = PICK(10);
    if (live_dir[0] && k >= 5) {
        const char *n = ANY(live_names);
        sb_printf(b, strchr(n, ' ') ? "'%s%s'" : "%s%s", live_dir, n);
    } else if (k == 0) {
        static const size_t lens[] = {100, 240, 249, 250, 251, 252, 300};
        sb_puts(b, long_prefix(ANY(lens), tmp));
    } else {
        sb_puts(b, ANY(rule_paths));
    }
}

/* `OP MOD (a, b, ...)`: a list modifier after a string operator. */
static void modifier_tail(sbuf *b, bool path)
{
    static const char *const ops[] = {"=", "!=", "startswith", "endswith", "contains"};
    static const char *const mods[] = {"anyof", "allof", "oneof"};
    sb_printf(b, " %s %s (", ANY(ops), ANY(mods));
    int n = PICK(4);
    for (int i = 0; i < n; i++) {
        if (i) sb_puts(b, ", ");
        if (path) {
            rule_path_const(b);
        } else {
            const char *x = ANY(comm_consts);
            sb_printf(b, (!*x || strpbrk(x, ":[]")) ? "'%s'" : "%s", x);
        }
    }
    sb_puts(b, ")");
}

static void path_atom(sbuf *b, const char *field)
{
    switch (PICK(12)) {
    case 10:
    case 11:
        sb_puts(b, field);
        modifier_tail(b, true);
        break;
    case 0:
    case 1:
        sb_printf(b, "%s %s ", field, CHANCE(75) ? "=" : "!=");
        rule_path_const(b);
        break;
    case 2: {
        sb_printf(b, "%s in (", field);
        int n = 1 + PICK(4);
        for (int i = 0; i < n; i++) {
            if (i) sb_puts(b, ", ");
            rule_path_const(b);
        }
        sb_puts(b, ")");
        break;
    }
    case 3:
    case 4:
        sb_printf(b, "%s startswith ", field);
        rule_path_const(b);
        break;
    case 5:
        sb_printf(b, "%s endswith %s", field, CHANCE(80) ? ANY(rule_suffixes) : ANY(rule_paths));
        if (b->s[b->n - 1] == ' ') sb_puts(b, "x");
        break;
    case 6:
    case 7: {
        sb_printf(b, "%s pmatch (", field);
        static const char *const items[] = {"/etc",        "/usr/bin", "/",     "/tmp/",
                                            "/etc/shadow", "/dev/shm", "/proc", "/usr",
                                            "etc",         "/etc/*",   "/long", "/etc/s?adow",
                                            "/*/bin",      "/e[t]c",   "//etc", "/usr//bin/"};
        int n = 1 + PICK(3);
        for (int i = 0; i < n; i++) sb_printf(b, "%s%s", i ? ", " : "", ANY(items));
        sb_puts(b, ")");
        break;
    }
    case 8: sb_printf(b, "%s contains %s", field, CHANCE(50) ? "shadow" : "/etc"); break;
    default:
        sb_printf(b, "%s %s ", field, CHANCE(50) ? "=" : "startswith");
        rule_path_const(b);
        break;
    }
}

/* fd.filename =, != and in, with names the generated paths end with, names
 * they do not, and names the kernel leaves to userspace (empty, with '/'). */
static void filename_atom(sbuf *b)
{
    static const char *const names[] = {"shadow", "passwd", "syslog", "ls",     "sh",
                                        "etc",    "x.log",  ".log",   "c.log",  "sudoers.d",
                                        "shm",    "a.log",  "b",      "sub",    "'x y.log'",
                                        "''",     "etc/",   "mem",    "shadowx"};
    switch (PICK(3)) {
    case 0: sb_printf(b, "fd.filename = %s", ANY(names)); break;
    case 1: sb_printf(b, "fd.filename != %s", ANY(names)); break;
    default: sb_printf(b, "fd.filename in (%s, %s, %s)", ANY(names), ANY(names), ANY(names));
    }
}

/* The open-only string atoms: fd.nameraw (the name as given), fd.directory,
 * fd.filename, and contains / glob over them and fd.name. */
static void open_string_atom(sbuf *b)
{
    static const char *const needles[] = {"../", "/.ssh/", "sh",     "etc/", "log", ".d",
                                          "/",   "sub/c",  "id_rsa", "a.l",  "..",  "x y"};
    static const char *const globs[] = {
        "*../*../*", "/etc/*", "*shadow", "/home/*/.ssh/*", "/proc/*/environ", "*/sub/*", "*",
        "*.log",     "../*",   "*/*/*",   "/etc/*s*d*",     "/tmp/**/x",       "*..",     "/*"};
    static const char *const fields[] = {"fd.name", "fd.nameraw", "fd.directory"};
    const char *f = ANY(fields);
    switch (PICK(6)) {
    case 0:
    case 1: sb_printf(b, "%s contains '%s'", f, ANY(needles)); break;
    case 2:
    case 3:
        if (live_dir[0] && CHANCE(30))
            sb_printf(b, "%s glob '%s/*'", f, live_dir);
        else
            sb_printf(b, "%s glob '%s'", f, ANY(globs));
        break;
    case 4:
        if (CHANCE(50)) {
            sb_puts(b, "fd.directory in (");
            rule_path_const(b);
            sb_puts(b, ", /etc, /tmp)");
        } else {
            sb_printf(b, "fd.directory %s ", CHANCE(60) ? "=" : CHANCE(50) ? "!=" : "startswith");
            rule_path_const(b);
        }
        break;
    case 5:
        if (CHANCE(50)) {
            filename_atom(b);
            break;
        }
        /* fall through */
    default: path_atom(b, CHANCE(50) ? "fd.nameraw" : "fd.directory"); break;
    }
}

static void comm_atom(sbuf *b)
{
    /* proc.pname reads the record's pcomm on both sides (x_pname), proc.aname
     * its ancestors (aname[1] is pname, [9] and [10] are beyond the kernel's
     * walk, no index: any ancestor) */
    char fb[24];
    const char *f = "proc.name";
    int fk = PICK(10);
    if (fk >= 5 && fk < 7) f = "proc.pname";
    if (fk >= 7 && fk < 9) snprintf(fb, sizeof fb, "proc.aname[%d]", PICK(11)), f = fb;
    if (fk == 9) f = "proc.aname";
    const char *c = ANY(comm_consts);
    char q[64];
    /* quote constants with special characters or empty */
    if (!*c || strpbrk(c, ":[]"))
        snprintf(q, sizeof q, "'%s'", c);
    else
        snprintf(q, sizeof q, "%s", c);
    switch (PICK(8)) {
    case 7:
        sb_puts(b, f);
        modifier_tail(b, false);
        break;
    case 0:
    case 1: sb_printf(b, "%s = %s", f, q); break;
    case 2: sb_printf(b, "%s != %s", f, q); break;
    case 3: {
        sb_printf(b, "%s in (", f);
        int n = 1 + PICK(4);
        for (int i = 0; i < n; i++) {
            const char *x = ANY(comm_consts);
            if (!*x || strpbrk(x, ":[]"))
                sb_printf(b, "%s'%s'", i ? ", " : "", x);
            else
                sb_printf(b, "%s%s", i ? ", " : "", x);
        }
        sb_puts(b, ")");
        break;
    }
    case 4:
    case 5: sb_printf(b, "%s startswith %s", f, *c ? q : "dpkg"); break;
    default: sb_printf(b, "%s endswith %s", f, *c ? q : "sh"); break;
    }
}

static void num_atom(sbuf *b, const char *field, const char *const *consts, int nconsts)
{
    if (CHANCE(15)) {
        sb_printf(b, "%s in (%s, %s)", field, consts[PICK(nconsts)], consts[PICK(nconsts)]);
        return;
    }
    sb_printf(b, "%s %s %s", field, num_op(), consts[PICK(nconsts)]);
}

static const char *path_field_for(theme th)
{
    if (th == TH_OPEN) return CHANCE(70) ? "fd.name" : CHANCE(60) ? "evt.arg.name" : "evt.arg[1]";
    if (th == TH_PATHS || th == TH_ANY) {
        static char f[64];
        if (CHANCE(20)) return "fd.name";
        snprintf(f, sizeof f, "evt.arg.%s", path_args[PICK(npath_args)]);
        return f;
    }
    return "fd.name";
}

/* Socket field atoms (compiler/pushdown/pushdown_sock.c), with the
 * constants the events' tuples are drawn from (pick_tuple) and near misses. */
static const char *const sock_ports[] = {"0", "22", "80", "443", "1023", "1024", "40000", "6379"};
static const char *const sock_ips[] = {"10.0.0.1",   "0.0.0.0", "127.0.0.1", "192.168.1.5",
                                       "::1",        "fe80::1", "::",        "::ffff:10.0.0.1",
                                       "172.16.3.4", "10.0.0.2"};
static const char *const sock_nets[] = {
    "127.0.0.0/8", "10.0.0.0/8",  "192.168.0.0/16", "172.16.0.0/12", "0.0.0.0/0",     "fe80::/10",
    "::/0",        "10.0.0.0/31", "::ffff:0:0/96",  "127.0.0.1/32",  "192.168.1.4/31"};

/* Socket names as the evaluator renders them (fd.name: client->server or
 * a server socket's own end; evt.arg.tuple: local->remote), which
 * pick_tuple also builds tuples from, and near misses: other port and
 * address spellings, paths, unix and kernel names. */
static const char *const sock_names[] = {"127.0.0.1:40000->127.0.0.1:6379",
                                         "127.0.0.1:6379->127.0.0.1:40000",
                                         "10.0.0.1:1024->192.168.1.5:22",
                                         "192.168.1.5:22->10.0.0.1:1024",
                                         "0.0.0.0:80",
                                         "127.0.0.1:6379",
                                         "::1:40000->::1:443",
                                         "::1:443->::1:40000",
                                         ":::80",
                                         "::1:22",
                                         "::ffff:10.0.0.1:1024->::1:22",
                                         "::ffff:10.0.0.1:40000->::ffff:127.0.0.1:6379",
                                         "fe80::1:0->fe80::1:0",
                                         "10.0.0.2:0->0.0.0.0:0"};
static const char *const sock_name_misses[] = {"127.0.0.1:40000->127.0.0.1:637",
                                               "127.0.0.1:040000->127.0.0.1:6379",
                                               "127.0.0.01:80",
                                               "[::1]:443",
                                               "::1:443->",
                                               "->",
                                               "",
                                               "0:0:0:0:0:0:0:1:22",
                                               "::FFFF:10.0.0.1:1024->::1:22",
                                               "10.0.0.1:99999",
                                               "127.0.0.1:40000->::1:443",
                                               "/var/run/docker.sock",
                                               "@abstract",
                                               "socket:[99]",
                                               "1.2.3.4:5->6.7.8.9:10->1.1.1.1:1"};

/* Address arguments (evt.arg.addr), which make_event also builds
 * sockaddrs from, and near misses. */
static const char *const sock_addrs[] = {"10.0.0.1:8080", "10.0.0.2:8080", "127.0.0.1:80",
                                         "::1:22",        "fe80::1:8080",  "::ffff:10.0.0.1:80",
                                         "0.0.0.0:0"};
static const char *const sock_addr_misses[] = {
    "10.0.0.1:08080", "10.0.0.1",        "[::1]:22", "/run/x.sock",
    "@abstract",      "::FFFF:a00:1:80", "",         "10.0.0.1:80->10.0.0.2:8080"};

/* One of sock_names, the first four more often (matches are rare else). */
static const char *sock_name(void)
{
    return sock_names[CHANCE(50) ? PICK(4) : PICK((int)(sizeof sock_names / sizeof *sock_names))];
}

static const char *sock_name_const(void)
{
    return CHANCE(75) ? sock_name() : ANY(sock_name_misses);
}

/* fd.name / fd.nameraw of socket syscalls and evt.arg.tuple
 * (compiler/pushdown/pushdown_sockname.c): equality with renderings, and
 * the other string operators with constants in and out of a rendering's
 * characters. */
static const char *sock_name_const_of(const char *field)
{
    if (strstr(field, "addr")) return CHANCE(75) ? ANY(sock_addrs) : ANY(sock_addr_misses);
    return sock_name_const();
}

static void sock_name_atom(sbuf *b)
{
    static const char *const fields[] = {"fd.name",       "fd.name",        "fd.nameraw",
                                         "evt.arg.tuple", "evt.arg[tuple]", "evt.arg.addr",
                                         "evt.arg[addr]"};
    static const char *const frags[] = {"/", "/var/run",  "docker", "127.0.0.1", "->",
                                        ":", "",          "ABC",    "sock",      "::1",
                                        "@", "1.2.3.4:5", "0:0",    "F"};
    static const char *const strops[] = {"startswith", "endswith", "contains", "icontains"};
    static const char *const globs[] = {"*",    "/var/*", "*->*",   "127.0.0.1:*", "*sock*",
                                        "*:80", "/*",     "[a-z]*", "?",           "*X*"};
    static const char *const pm[] = {"/",   "/var/run", "127.0.0.1:6379", "/*",
                                     "etc", "a/b",      "::1:22"};
    const char *f = ANY(fields);
    switch (PICK(8)) {
    case 0:
    case 1: sb_printf(b, "%s = \"%s\"", f, sock_name_const_of(f)); return;
    case 2: sb_printf(b, "%s != \"%s\"", f, sock_name_const_of(f)); return;
    case 3:
        sb_printf(b, "%s in (\"%s\", \"%s\"", f, sock_name_const_of(f), sock_name_const_of(f));
        if (CHANCE(30)) sb_printf(b, ", \"%s\"", sock_name_const_of(f));
        sb_printf(b, ")");
        return;
    case 4:
    case 5:
        sb_printf(b, "%s %s \"%s\"", f, ANY(strops),
                  CHANCE(70) ? ANY(frags) : sock_name_const_of(f));
        return;
    case 6: sb_printf(b, "%s %s \"%s\"", f, CHANCE(70) ? "glob" : "iglob", ANY(globs)); return;
    default: sb_printf(b, "%s pmatch (\"%s\", \"%s\")", f, ANY(pm), ANY(pm)); return;
    }
}

static void sock_atom(sbuf *b)
{
    static const char *const ends[] = {"c", "s", "l", "r"};
    static const char *const eq3[] = {"=", "!=", "in"};
    const char *op = ANY(eq3);
    switch (PICK(12)) {
    case 9:
    case 10:
    case 11: sock_name_atom(b); return;
    case 0: {
        char f[16];
        snprintf(f, sizeof f, "fd.%sport", ANY(ends));
        num_atom(b, f, sock_ports, (int)(sizeof sock_ports / sizeof *sock_ports));
        return;
    }
    case 1:
    case 2: {
        const char *f = CHANCE(20) ? (CHANCE(50) ? "fd.ip" : "fd.net") : NULL;
        char fb[16];
        bool net = CHANCE(50);
        if (!f) {
            snprintf(fb, sizeof fb, "fd.%s%s", ANY(ends), net ? "net" : "ip");
            f = fb;
        }
        const char *c1 = net ? ANY(sock_nets) : ANY(sock_ips);
        const char *c2 = CHANCE(50) ? ANY(sock_nets) : ANY(sock_ips);
        if (!strcmp(op, "in") && CHANCE(30)) {
            /* a long list: looked up in the kernel's address map
             * (SGC_KSOCK_MAX_ITEMS), fillers and the constants mixed */
            sb_printf(b, "%s in (\"%s\", \"%s\"", f, c1, c2);
            for (int i = 0, n = 15 + PICK(10); i < n; i++) {
                if (CHANCE(30))
                    sb_printf(b, ", \"%s\"", CHANCE(50) ? ANY(sock_nets) : ANY(sock_ips));
                else
                    sb_printf(b, ", \"203.0.%d.%d\"", PICK(4), PICK(256));
            }
            sb_printf(b, ")");
        } else if (!strcmp(op, "in"))
            sb_printf(b, "%s in (\"%s\", \"%s\")", f, c1, c2);
        else
            sb_printf(b, "%s %s \"%s\"", f, op, c1);
        return;
    }
    case 3: {
        static const char *const tc[] = {"4", "6", "u", "f", "o", "n", "x", "46"};
        if (!strcmp(op, "in"))
            sb_printf(b, "fd.typechar in (%s, %s)", ANY(tc), ANY(tc));
        else
            sb_printf(b, "fd.typechar %s %s", op, ANY(tc));
        return;
    }
    case 4: {
        static const char *const ty[] = {"ipv4", "ipv6", "unix", "file", "netlink", "unknown"};
        sb_printf(b, "fd.type %s %s", strcmp(op, "in") ? op : "=", ANY(ty));
        return;
    }
    case 5: {
        static const char *const l4[] = {"tcp", "udp", "icmp", "raw", "<NA>", "TCP"};
        if (!strcmp(op, "in"))
            sb_printf(b, "fd.l4proto in (%s, %s)", ANY(l4), ANY(l4));
        else
            sb_printf(b, "fd.l4proto %s \"%s\"", op, ANY(l4));
        return;
    }
    case 6: {
        static const char *const fam[] = {"ip", "unix", "inet"};
        sb_printf(b, "fd.sockfamily %s %s", strcmp(op, "in") ? op : "=", ANY(fam));
        return;
    }
    default:
        sb_printf(b, "fd.%s %s %s", CHANCE(50) ? "connected" : "name_changed",
                  CHANCE(70) ? "=" : "!=", CHANCE(50) ? "true" : "false");
        return;
    }
}

/* ---- the exec record's fields ----------------------------------------------
 * A successful exec is an SGC_REC_PROC_EXEC record (bpf-templates/
 * capture.bpf.c sgc_exec_record) that the kernel runs the execve group's
 * filter on; the evaluator reads it through the process table
 * (sgc_proctable_apply: a missing blob keeps the old image's value):
 *   proc.exe      argv[0] (SGC_BLOB_ARGV up to its first NUL);
 *   proc.exepath  the file run (SGC_BLOB_EXE, a d_path);
 *   proc.cwd      SGC_BLOB_CWD, with a '/' appended when it has none;
 *   proc.is_exe_* the SGC_EXE_* bits of SGC_BLOB_EXE_FLAGS (false without).
 * Their constants: Falco's ("/dev/shm/", "./", memfd names), the test's
 * paths, near misses (no trailing '/', one character more or less). */
static const char *const exec_argv0s[] = {"/dev/shm/x",
                                          "/dev/shm/",
                                          "/dev/shm",
                                          "/dev/shmx/y",
                                          "./x",
                                          "./",
                                          ".",
                                          "x",
                                          "./dev/shm/x",
                                          "memfd:runc_cloned:/proc/self/exe",
                                          "memfd:",
                                          "memfd:x",
                                          "memfd",
                                          "/memfd:x",
                                          "-bash",
                                          "bash",
                                          "sh",
                                          "/bin/sh",
                                          "/usr/bin/ls",
                                          "/tmp/x.log",
                                          "",
                                          "java",
                                          "/usr/lib/jvm/bin/java",
                                          "runc:[2:INIT]",
                                          "/DEV/SHM/x",
                                          ".//x",
                                          "../x"};
static const char *const exec_paths[] = {"/dev/shm/x",
                                         "/dev/shm",
                                         "/dev/shm/",
                                         "/dev/shmx",
                                         "/dev/shm/sub/y",
                                         "/memfd:x",
                                         "/memfd:runc_cloned:/proc/self/exe",
                                         "memfd:runc_cloned:/proc/self/exe",
                                         "/usr/bin/ls",
                                         "/usr/bin",
                                         "/bin/sh",
                                         "/tmp",
                                         "/tmp/",
                                         "/",
                                         "/etc",
                                         "/root",
                                         "/home/u",
                                         "/var/lib/docker/overlay2/abc/merged/bin/sh",
                                         "//dev/shm/x",
                                         "/dev/./shm/x",
                                         "/x (deleted)",
                                         "",
                                         "/usr/bin/ls (deleted)"};
static const char *const exec_flag_fields[] = {"proc.is_exe_from_memfd", "proc.is_exe_writable",
                                               "proc.is_exe_upper_layer"};

/* A constant for an exec field, double-quoted. */
/* The live exec test's paths (its copies of /bin/true, its directory), also
 * constants of its rules: what its execs run from and in. */
static char live_exec_consts[6][160];
static int nlive_exec_consts;

static void exec_const(sbuf *b, bool exe)
{
    char tmp[600];
    int k = PICK(20);
    if (nlive_exec_consts && CHANCE(35)) {
        sb_printf(b, "\"%s\"", live_exec_consts[PICK(nlive_exec_consts)]);
    } else if (k == 0) { /* around the kernel's string limits; a cwd as rendered, with its '/' */
        static const size_t lens[] = {100, 240, 248, 249, 250, 251, 252, 300, 599};
        sb_printf(b, "\"%s%s\"", long_prefix(ANY(lens), tmp), CHANCE(50) ? "/" : "");
    } else if (k < 12) {
        sb_printf(b, "\"%s\"", exe ? ANY(exec_argv0s) : ANY(exec_paths));
    } else if (k < 15) {
        sb_printf(b, "\"%s\"", exe ? ANY(exec_paths) : ANY(exec_argv0s));
    } else {
        const char *p = ANY(rule_paths);
        size_t n = strlen(p);
        if (n >= 2 && p[0] == '\'')
            sb_printf(b, "\"%.*s\"", (int)n - 2, p + 1);
        else
            sb_printf(b, "\"%s\"", p);
    }
}

/* proc.cmdline, proc.args and proc.env (the comm, then argv[1..] joined by
 * spaces; the environment's items joined by spaces): the words the exec
 * records' arguments and environments are made of, and the constants of
 * the rules, with spaces across items, case variants, the corpus's
 * (Stratum miners, reverse shells, GLIBC_TUNABLES), longer than the
 * kernel's 16-byte needles, near misses. */
static const char *const exec_words[] = {"-c",
                                         "-o",
                                         "x y",
                                         "",
                                         "-i",
                                         "stratum+tcp://pool:3333",
                                         "STRATUM+TCP://P",
                                         "/dev/tcp/1.2.3.4/80",
                                         "python -c 'import socket'",
                                         "-e",
                                         "ls",
                                         "GLIBC_TUNABLES=glibc.malloc",
                                         "a  b",
                                         "--output"};
static const char *const cmdline_consts[] = {"-c",
                                             " -o ",
                                             "x y",
                                             "bash -c",
                                             "bash -c x y",
                                             "bash",
                                             "bash ",
                                             "sh -c -i",
                                             "cat -o stratum+tcp://pool:3333",
                                             "stratum+tcp",
                                             "Stratum+TCP",
                                             "stratum+tcp://pool:3333",
                                             "/dev/tcp/",
                                             "python -c 'import socket",
                                             "python -c 'import sockets",
                                             "c 'import socket'",
                                             "-c x y -i",
                                             "y -i",
                                             "a  b",
                                             "-e ls",
                                             "",
                                             " ",
                                             "-C X Y",
                                             "glibc_tunables",
                                             "aaaaaaaaaaaaaaaaaaaa"};
static const char *const env_consts[] = {"GLIBC_TUNABLES",
                                         "glibc_tunables",
                                         "Glibc_Tunables=",
                                         "HOME=/root",
                                         "PATH=/bin HOME",
                                         "/bin HOME=/root LD",
                                         "x.so",
                                         "x.so ",
                                         "LD_PRELOAD=/dev/shm/x.so",
                                         "LD_PRELOAD=/dev/shm/y.so",
                                         "HTTP_PROXY",
                                         "=",
                                         " ",
                                         "HOME",
                                         "gggggggggggggggggg"};

static void cmdline_env_atom(sbuf *b)
{
    if (CHANCE(30)) { /* the environment: contains, icontains; others in userspace */
        static const char *const ops[] = {"contains",  "contains",   "icontains",
                                          "icontains", "startswith", "="};
        if (CHANCE(8))
            sb_printf(b, "proc.env[HOME] %s \"%s\"", CHANCE(50) ? "=" : "contains",
                      CHANCE(50) ? "/root" : "x");
        else
            sb_printf(b, "proc.env %s \"%s\"", ANY(ops), ANY(env_consts));
        return;
    }
    const char *f = CHANCE(65) ? "proc.cmdline" : "proc.args";
    static const char *const ops[] = {"contains",   "contains", "icontains", "icontains",
                                      "startswith", "=",        "!=",        "endswith",
                                      "glob",       "pmatch",   "intersects"};
    const char *op = ANY(ops);
    if (!strcmp(op, "glob")) {
        static const char *const globs[] = {"bash -c *", "*stratum*", "* -o *", "*", "sh*-i"};
        sb_printf(b, "%s glob \"%s\"", f, ANY(globs));
    } else if (!strcmp(op, "pmatch") || !strcmp(op, "intersects")) {
        sb_printf(b, "%s %s (\"%s\", \"%s\")", f, op, ANY(exec_words), ANY(cmdline_consts));
    } else if (CHANCE(15)) {
        sb_printf(b, "%s in (\"%s\", \"%s\")", f, ANY(cmdline_consts), ANY(exec_words));
    } else {
        sb_printf(b, "%s %s \"%s\"", f, op, CHANCE(80) ? ANY(cmdline_consts) : ANY(exec_words));
    }
}

/* Rule sets without the exec fields (decided in the kernel on exec records
 * only: compiler/pushdown/pushdown_exec.c), and how often TH_EXEC uses them. */
static bool no_exec_fields;
static int exec_fields_pct = 60;

static void exec_atom(sbuf *b)
{
    if (CHANCE(35)) {
        cmdline_env_atom(b);
        return;
    }
    if (CHANCE(25)) {
        sb_printf(b, "%s %s %s", ANY(exec_flag_fields),
                  CHANCE(75) ? "=" : "!=", CHANCE(70) ? "true" : "false");
        return;
    }
    static const char *const fields[] = {"proc.exe", "proc.exe", "proc.exepath", "proc.cwd",
                                         "proc.cwd"};
    const char *f = ANY(fields);
    bool exe = !strcmp(f, "proc.exe");
    static const char *const ops[] = {"=",        "!=",       "startswith", "startswith",
                                      "endswith", "contains", "icontains",  "glob"};
    switch (PICK(10)) {
    case 0: {
        sb_printf(b, "%s in (", f);
        for (int i = 0, n = 1 + PICK(4); i < n; i++) {
            if (i) sb_puts(b, ", ");
            exec_const(b, exe);
        }
        sb_puts(b, ")");
        return;
    }
    case 1: {
        static const char *const items[] = {"/dev/shm", "/tmp", "/",     "/usr/bin",
                                            "/memfd:x", "/etc", "/root", "/dev"};
        sb_printf(b, "%s pmatch (", f);
        for (int i = 0, n = 1 + PICK(3); i < n; i++)
            sb_printf(b, "%s\"%s\"", i ? ", " : "", ANY(items));
        sb_puts(b, ")");
        return;
    }
    case 2: {
        static const char *const globs[] = {"/dev/shm/*", "./*",  "memfd:*", "*sh",
                                            "/tmp/*",     "*/x*", "*",       "/*/shm/*"};
        sb_printf(b, "%s glob \"%s\"", f, ANY(globs));
        return;
    }
    default: {
        const char *op = ANY(ops);
        if (!strcmp(op, "glob")) op = "=";
        sb_printf(b, "%s %s ", f, op);
        exec_const(b, exe);
        return;
    }
    }
}

/* Selective sets (few rules, each restricted to its event types, few
 * userspace-only atoms) let the kernel drop most events. */
static bool selective;

static void atom(sbuf *b, theme th)
{
    int k = PICK(100);
    if (selective && k < 10 && PICK(4)) k = 10 + PICK(90);
    if (k < 10) {
        if (CHANCE(35)) {
            uname_atom(b);
            return;
        }
        if (CHANCE(15) && !no_exec_fields) { /* decided on exec records only */
            exec_atom(b);
            return;
        }
        sb_puts(b, CHANCE(30) ? ANY(container_atoms) : ANY(user_atoms));
        return;
    }
    if (k < 16) {
        /* evt.type, inside the body too */
        switch (PICK(3)) {
        case 0: sb_printf(b, "evt.type = %s", random_type(th)); break;
        case 1: sb_printf(b, "evt.type != %s", random_type(th)); break;
        default: sb_printf(b, "evt.type in (%s, %s)", random_type(th), random_type(TH_ANY)); break;
        }
        return;
    }
    if (k < 30) {
        /* header numbers */
        static const char *const hf[] = {"user.uid",   "group.gid", "user.loginuid", "proc.pid",
                                         "thread.tid", "proc.sid",  "proc.vpgid",    "proc.tty"};
        num_atom(b, ANY(hf), num_consts, (int)(sizeof num_consts / sizeof *num_consts));
        return;
    }
    if (k < 36) {
        if (CHANCE(50)) {
            num_atom(b, "evt.rawres", ret_consts, (int)(sizeof ret_consts / sizeof *ret_consts));
        } else if (CHANCE(70)) {
            sb_printf(b, "evt.res %s %s", CHANCE(70) ? "=" : "!=", ANY(errnos));
        } else {
            sb_printf(b, "evt.res in (%s, %s)", ANY(errnos), ANY(errnos));
        }
        return;
    }
    if (k < 46) {
        comm_atom(b);
        return;
    }
    if (k < 52) {
        sb_printf(b, "thread.cap_%s %s %s", CHANCE(60) ? "effective" : "permitted",
                  CHANCE(75) ? "contains" : "icontains", ANY(cap_frags));
        return;
    }
    /* theme-specific */
    switch (th) {
    case TH_OPEN:
    case TH_ANY:
        switch (PICK(9)) {
        case 0:
        case 1:
            sb_printf(b, "evt.arg.flags %s %s", CHANCE(85) ? "contains" : "icontains",
                      ANY(flag_frags));
            return;
        case 2: {
            static const char *const kinds[] = {"read", "write", "create", "exec"};
            sb_printf(b, "evt.is_open_%s %s %s", ANY(kinds),
                      CHANCE(80) ? "=" : "!=", CHANCE(50) ? "true" : "false");
            return;
        }
        case 3:
            if (CHANCE(50))
                num_atom(b, "fd.num", ret_consts, (int)(sizeof ret_consts / sizeof *ret_consts));
            else
                sb_printf(b, "fd.typechar %s %s", CHANCE(70) ? "=" : "!=", CHANCE(50) ? "f" : "d");
            return;
        case 7:
        case 8: open_string_atom(b); return;
        default: path_atom(b, path_field_for(th)); return;
        }
    case TH_PATHS: path_atom(b, path_field_for(th)); return;
    case TH_PTRACE:
        sb_printf(b, "evt.arg.request %s %s",
                  CHANCE(60)   ? "contains"
                  : CHANCE(50) ? "="
                               : "!=",
                  ANY(ptrace_consts));
        if (CHANCE(10)) {
            b->n = 0;
            sb_printf(b, "evt.arg.request in (%s, %s)", ANY(ptrace_consts), ANY(ptrace_consts));
        }
        return;
    case TH_SOCKET:
        if (CHANCE(70)) {
            sock_atom(b);
            return;
        }
        sb_printf(b, "evt.arg.domain %s %s",
                  CHANCE(60)   ? "contains"
                  : CHANCE(50) ? "="
                               : "!=",
                  ANY(family_consts));
        if (CHANCE(10)) {
            b->n = 0;
            sb_printf(b, "evt.arg.domain in (%s, %s)", ANY(family_consts), ANY(family_consts));
        }
        return;
    case TH_CREDS:
        if (CHANCE(40)) {
            uname_atom(b);
            return;
        }
        num_atom(b, CHANCE(50) ? "user.uid" : "user.loginuid", num_consts,
                 (int)(sizeof num_consts / sizeof *num_consts));
        return;
    case TH_FD:
        if (CHANCE(40)) {
            sock_atom(b);
            return;
        }
        path_atom(b, "fd.name");
        return;
    case TH_EXEC: {
        /* the exec record's own fields, its filename, and fields the
         * evaluator reads from the table or the record's other blobs */
        static const char *const exec_user[] = {"proc.args startswith \"-c /dev/shm\"",
                                                "proc.args startswith \"./\"",
                                                "proc.cmdline contains x",
                                                "proc.pexe endswith sh",
                                                "proc.aexepath[2] = /bin/sh",
                                                "proc.env contains HOME",
                                                "proc.exeline contains x",
                                                "evt.arg.exe startswith /dev/shm",
                                                "evt.arg.cwd = /tmp",
                                                "evt.arg.args contains -c",
                                                "proc.pexepath = /usr/bin/ls"};
        int k2 = PICK(100);
        if (!no_exec_fields && k2 < exec_fields_pct)
            exec_atom(b);
        else if (no_exec_fields && k2 < 40)
            comm_atom(b);
        else if (k2 < 80 || selective)
            path_atom(b, CHANCE(85) ? "evt.arg.filename" : "evt.arg.pathname");
        else
            sb_puts(b, ANY(exec_user));
        return;
    }
    default: sb_puts(b, ANY(user_atoms)); return;
    }
}

static void gen_body(sbuf *b, theme th, int depth)
{
    int k = depth <= 0 ? 0 : PICK(10);
    if (k < 3) {
        sbuf a = {0};
        atom(&a, th);
        sb_puts(b, a.s);
        free(a.s);
        return;
    }
    if (k < 5) {
        sb_puts(b, "not (");
        gen_body(b, th, depth - 1);
        sb_puts(b, ")");
        return;
    }
    int n = 2 + (CHANCE(30) ? PICK(3) : 0);
    const char *op = CHANCE(50) ? " and " : " or ";
    for (int i = 0; i < n; i++) {
        if (i) sb_puts(b, op);
        sb_puts(b, "(");
        gen_body(b, th, depth - 1);
        sb_puts(b, ")");
    }
}

static char *gen_condition_of(theme th);

static char *gen_condition(void)
{
    theme th = (theme)PICK(TH__N);
    if (CHANCE(30)) th = TH_OPEN;
    return gen_condition_of(th);
}

static char *gen_condition_of(theme th)
{
    sbuf b = {0};
    if (selective || CHANCE(80)) {
        int n = 1 + PICK(3);
        sb_puts(&b, "evt.type in (");
        for (int i = 0; i < n; i++) sb_printf(&b, "%s%s", i ? ", " : "", random_type(th));
        sb_puts(&b, ") and ");
    }
    sb_puts(&b, "(");
    gen_body(&b, th, 1 + PICK(4));
    sb_puts(&b, ")");
    return b.s;
}

/* ---- a rule set under test ------------------------------------------------------ */

typedef struct rule_set {
    const char *label;
    int nrules;  /* bits 0..nrules-1 */
    char **text; /* condition text per rule (for counterexamples) */
    const char **name;
    sgc_filter **exact; /* NULL: not evaluated in userspace (skipped) */
    /* owned parse state for generated sets */
    sgc_source **src;
    sgc_node **cond;
    sgc_frontend fe;
    bool have_fe;
    sgc_pushdown *pd;
    /* event value pools derived from the set's atoms */
    pool paths, comms, nums;
    int *nrs; /* syscalls the rules name (weighted by repetition) */
    int nnrs;
} rule_set;

static void rs_free(rule_set *s)
{
    for (int i = 0; i < s->nrules; i++) {
        free(s->text[i]);
        if (s->exact[i]) sgc_filter_free(s->exact[i]);
        if (s->cond) {
            sgc_node_free(s->cond[i]);
            sgc_source_free(s->src[i]);
        }
    }
    free(s->text);
    free(s->name);
    free(s->exact);
    free(s->src);
    free(s->cond);
    if (s->pd) sgc_pushdown_free(s->pd);
    if (s->have_fe) sgc_frontend_free(&s->fe);
    pool_free(&s->paths);
    pool_free(&s->comms);
    pool_free(&s->nums);
    free(s->nrs);
}

static bool is_path_field(const char *f)
{
    return !strncmp(f, "fd.", 3) || !strncmp(f, "evt.arg", 7) || !strncmp(f, "fs.path", 7) ||
           !strcmp(f, "proc.exepath") || !strcmp(f, "proc.cwd") || !strcmp(f, "proc.exe");
}

/* Event values from the set's own constants and their near misses. */
static void derive_pools(rule_set *s)
{
    const sgc_pushdown *pd = s->pd;
    char tmp[4200];
    for (int i = 0; i < pd->atoms.n; i++) {
        const sgc_ir_atom *a = pd->atoms.v[i];
        if (!a->field) continue;
        /* a large list (scale set): a sample of its items is enough */
        int step = a->nvals > 64 ? a->nvals / 32 : 1;
        for (int j = 0; j < a->nvals; j += step) {
            const char *v = a->vals[j];
            size_t vl = strlen(v);
            if (vl > 1000) continue;
            if (!strcmp(a->field, "proc.name") || !strcmp(a->field, "proc.pname") ||
                !strncmp(a->field, "proc.aname", 10)) {
                pool_add(&s->comms, v);
                continue;
            }
            char *end;
            strtoll(v, &end, 0);
            if (vl && !*end) {
                pool_add(&s->nums, v);
                continue;
            }
            if (!is_path_field(a->field)) continue;
            pool_add(&s->paths, v);
            switch (a->op) {
            case SGC_OP_STARTSWITH:
                snprintf(tmp, sizeof tmp, "%sx", v);
                pool_add(&s->paths, tmp);
                snprintf(tmp, sizeof tmp, "%s/y", v);
                pool_add(&s->paths, tmp);
                break;
            case SGC_OP_ENDSWITH:
                snprintf(tmp, sizeof tmp, "/tmp/a%s", v);
                pool_add(&s->paths, tmp);
                snprintf(tmp, sizeof tmp, "/%s", v);
                pool_add(&s->paths, tmp);
                break;
            case SGC_OP_PMATCH:
                snprintf(tmp, sizeof tmp, "%s/z", v);
                pool_add(&s->paths, tmp);
                snprintf(tmp, sizeof tmp, "%sz", v);
                pool_add(&s->paths, tmp);
                break;
            case SGC_OP_CONTAINS:
            case SGC_OP_ICONTAINS:
            case SGC_OP_GLOB:
                snprintf(tmp, sizeof tmp, "/tmp/%s/q", v);
                pool_add(&s->paths, tmp);
                break;
            default: break;
            }
        }
    }
    for (size_t i = 0; i < sizeof rule_paths / sizeof *rule_paths; i++) {
        const char *v = rule_paths[i];
        size_t n = strlen(v);
        if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
            snprintf(tmp, sizeof tmp, "%.*s", (int)n - 2, v + 1);
            v = tmp;
        }
        pool_add(&s->paths, v);
    }
    for (size_t i = 0; i < sizeof comm_consts / sizeof *comm_consts; i++)
        pool_add(&s->comms, comm_consts[i]);
    for (size_t i = 0; i < sizeof num_consts / sizeof *num_consts; i++)
        pool_add(&s->nums, num_consts[i]);
    /* the syscalls the rules can match (one entry per rule naming it) */
    int cap = 64;
    s->nrs = malloc((size_t)cap * sizeof *s->nrs);
    for (size_t t = 0; t < sgc_syscall_table_len; t++) {
        int nr = sgc_syscall_table[t].nr;
        int hits = 0;
        for (int r = 0; r < pd->nrules && hits < 8; r++)
            if (sgc_pushdown_rule_has_nr(pd, r, nr)) hits++;
        for (int h = 0; h < 1 + hits; h++) {
            if (s->nnrs == cap) {
                cap *= 2;
                s->nrs = realloc(s->nrs, (size_t)cap * sizeof *s->nrs);
            }
            s->nrs[s->nnrs++] = nr;
        }
    }
}

static bool build_generated(rule_set *s, int nrules, const char *const *given)
{
    memset(s, 0, sizeof *s);
    s->label = "generated";
    s->nrules = nrules;
    s->text = calloc((size_t)nrules, sizeof *s->text);
    s->name = calloc((size_t)nrules, sizeof *s->name);
    s->exact = calloc((size_t)nrules, sizeof *s->exact);
    s->src = calloc((size_t)nrules, sizeof *s->src);
    s->cond = calloc((size_t)nrules, sizeof *s->cond);
    for (int i = 0; i < nrules; i++) {
        s->text[i] = given ? strdup(given[i]) : gen_condition();
        s->src[i] = sgc_source_new(NULL, s->text[i], strlen(s->text[i]));
        sgc_diags d;
        sgc_diags_init(&d);
        s->cond[i] = sgc_parse_condition(s->src[i], NULL, &d);
        sgc_diags_free(&d);
        if (!s->cond[i]) {
            fprintf(stderr, "generated condition does not parse: %s\n", s->text[i]);
            return false;
        }
        char err[256];
        s->exact[i] = sgc_filter_compile(s->cond[i], err, sizeof err);
        if (!s->exact[i]) {
            fprintf(stderr, "evaluator rejects %s: %s\n", s->text[i], err);
            return false;
        }
    }
    s->pd = sgc_pushdown_build_conditions((const sgc_node *const *)s->cond, NULL, nrules);
    derive_pools(s);
    return true;
}

/* Rules over socket names and tuples (pushdown_sockname.c) with a few
 * other socket atoms, on the syscalls that carry a tuple: in the mixed sets
 * above their matches are too rare to count on. */
static bool build_sockname_set(rule_set *s, int nrules)
{
    char **texts = calloc((size_t)nrules, sizeof *texts);
    if (!texts) abort();
    for (int i = 0; i < nrules; i++) {
        sbuf b = {0};
        sb_puts(&b, "evt.type in (connect, accept, accept4, bind, listen, sendto, sendmsg, "
                    "recvfrom) and (");
        const char *op = CHANCE(50) ? " and " : " or ";
        for (int j = 0, n = 1 + PICK(3); j < n; j++) {
            sb_printf(&b, "%s%s(", j ? op : "", CHANCE(25) ? "not " : "");
            if (CHANCE(80))
                sock_name_atom(&b);
            else
                sock_atom(&b);
            sb_puts(&b, ")");
        }
        sb_puts(&b, ")");
        texts[i] = b.s;
    }
    bool ok = build_generated(s, nrules, (const char *const *)texts);
    s->label = "socket names";
    for (int i = 0; i < nrules; i++) free(texts[i]);
    free(texts);
    return ok;
}

/* Rules of successful execs (TH_EXEC): the exec record's fields, the
 * filename, the process atoms the kernel decides (names, ids, tty,
 * container.id, user names, ancestors), restricted to execve / execveat or
 * to nothing (every syscall's group has them then); and falco_rules.yaml's
 * exec rules over the exec fields, their macros expanded. */
typedef enum {
    EXEC_WIDE,   /* many rules, some on every syscall, Falco's */
    EXEC_KERNEL, /* few rules, without the exec fields: most records dropped */
    EXEC_FIELDS, /* few rules, mostly the exec fields */
} exec_variant;

static bool build_exec_set(rule_set *s, int nrules, exec_variant var)
{
    /* the small ones: each rule restricted to execve/execveat, few atoms
     * left to userspace (selective) */
    bool small = var != EXEC_WIDE;
    int untyped_pct = small ? 0 : 15, falco_pct = small ? 0 : 10;
    no_exec_fields = var == EXEC_KERNEL;
    exec_fields_pct = var == EXEC_FIELDS ? 80 : 60;
    static const char *const falco[] = {
        "evt.type in (execve, execveat) and (proc.exe startswith \"/dev/shm/\" or "
        "(proc.cwd startswith \"/dev/shm/\" and proc.exe startswith \"./\" ) or "
        "(proc.name in (ash, bash, csh, ksh, sh, tcsh, zsh, dash) and proc.args startswith "
        "\"-c /dev/shm\") or (proc.cwd startswith \"/dev/shm/\" and proc.args startswith \"./\" "
        "))",
        "evt.type in (execve, execveat) and proc.is_exe_from_memfd=true and not "
        "((proc.name in (runc)) or (proc.pname in (runc)) or (proc.exepath = "
        "\"memfd:runc_cloned:/proc/self/exe\") or (proc.exe = "
        "\"memfd:runc_cloned:/proc/self/exe\"))",
        ("evt.type in (execve, execveat) and container.id != host and "
         "proc.is_exe_upper_layer=true and not container.image.repository in (x)"),
        "evt.type = execve and proc.is_exe_writable = true and user.uid != 0 and proc.tty != 0",
    };
    char **texts = calloc((size_t)nrules, sizeof *texts);
    if (!texts) abort();
    selective = small;
    for (int i = 0; i < nrules; i++) {
        int k = PICK(100);
        if (k < falco_pct)
            texts[i] = strdup(ANY(falco));
        else if (k < 100 - untyped_pct)
            texts[i] = gen_condition_of(TH_EXEC);
        else { /* no event type */
            sbuf b = {0};
            gen_body(&b, TH_EXEC, 1 + PICK(3));
            texts[i] = b.s;
        }
    }
    selective = false;
    no_exec_fields = false;
    exec_fields_pct = 60;
    bool ok = build_generated(s, nrules, (const char *const *)texts);
    s->label = var == EXEC_WIDE     ? "exec (wide)"
               : var == EXEC_FIELDS ? "exec (fields)"
                                    : "exec (kernel)";
    if (getenv("SGC_SOUND_PRINT_RULES"))
        for (int i = 0; i < nrules; i++) fprintf(stderr, "    exec rule %d: %s\n", i, texts[i]);
    for (int i = 0; i < nrules; i++) free(texts[i]);
    free(texts);
    return ok;
}

static int corpus_skipped;

/* A rule set from rules files, through the whole front end. */
static bool build_from_files(rule_set *s, const char *label, const char *const *files, int nfiles)
{
    memset(s, 0, sizeof *s);
    s->label = label;
    sgc_frontend_opts opts = {0};
    int nerr = sgc_frontend_run(&s->fe, files, nfiles, &opts);
    s->have_fe = true;
    if (nerr) {
        fprintf(stderr, "the %s files do not load: %d errors\n", label, nerr);
        return false;
    }
    s->pd = sgc_pushdown_build(s->fe.rs);
    s->nrules = s->pd->nrules;
    s->text = calloc((size_t)s->nrules, sizeof *s->text);
    s->name = calloc((size_t)s->nrules, sizeof *s->name);
    s->exact = calloc((size_t)s->nrules, sizeof *s->exact);
    int bit = 0;
    for (int i = 0; i < s->fe.rs->nrules; i++) {
        const sgc_rule *r = s->fe.rs->rules[i];
        if (!r->enabled) continue;
        s->name[bit] = r->name;
        s->text[bit] = r->resolved ? sgc_node_to_condition(r->resolved) : strdup("(unresolved)");
        char err[256];
        if (r->resolved && (!r->source || !strcmp(r->source, "syscall")))
            s->exact[bit] = sgc_filter_compile(r->resolved, err, sizeof err);
        if (!s->exact[bit]) corpus_skipped++;
        bit++;
    }
    assert_int_equal(bit, s->nrules);
    derive_pools(s);
    return true;
}

static bool build_corpus(rule_set *s)
{
    const char *files[] = {SGC_CORPUS_DIR "/falco_rules.yaml",
                           SGC_CORPUS_DIR "/falco-incubating_rules.yaml",
                           SGC_CORPUS_DIR "/falco-sandbox_rules.yaml",
                           SGC_SRC_DIR "/tests/corpus-cases/enable_disabled_rules.yaml"};
    return build_from_files(s, "corpus", files, 4);
}

/* The scale set (issue 18): nrules rules of bench/gen_rules.py's shapes
 * over lists of nitems items each (named lists, shared by the rules), so
 * the filter is split into chunks and the sets are large. */
static bool build_scale(rule_set *s, int nrules, int nitems, char *path, size_t pathcap)
{
    snprintf(path, pathcap, "/tmp/sgc-i18-scale-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) return false;
    const char *lists[] = {"big_dirs",     "/var/lib/bench/d%d", "bad_paths",
                           "/opt/bad/f%d", "big_names",          "evil%d"};
    for (int l = 0; l < 3; l++) {
        fprintf(f, "- list: %s\n  items: [", lists[2 * l]);
        for (int i = 0; i < nitems; i++) {
            fputs(i ? ", " : "", f);
            fprintf(f, lists[2 * l + 1], i);
        }
        fputs("]\n", f);
    }
    static const char *const shapes[] = {
        "evt.type = openat and evt.is_open_write = true and fd.name startswith /srv/x%d/ and not "
        "proc.name in "
        "(p%d, q%d) and not fd.directory in (big_dirs)",
        "evt.type in (open, openat) and fd.name in (bad_paths) and not proc.name in (big_names) "
        "and proc.pname != "
        "p%d",
        "evt.type = openat and fd.directory in (big_dirs) and proc.name = p%d",
        "evt.type = open and proc.name in (big_names) and fd.name startswith /srv/y%d/",
    };
    for (int i = 0; i < nrules; i++) {
        fprintf(f, "- rule: scale %d\n  desc: d\n  condition: ", i);
        fprintf(f, shapes[i % 4], i, i, i);
        fputs("\n  output: o\n  priority: WARNING\n", f);
    }
    fclose(f);
    const char *files[] = {path};
    return build_from_files(s, "scale", files, 1);
}

/* ---- events ---------------------------------------------------------------------- */

static const uint32_t pids[] = {100, 101, 4321, 1};
#define TEST_CGROUP_ID 7777 /* the cgroup of most generated events */
static const char *const cwds[] = {"/etc", "/tmp", "/", "/usr/bin", "/long"};

static uint32_t pick_u32(const rule_set *s)
{
    static const uint32_t edge[] = {0,     1,           3,           4,          100,   101,
                                    999,   1000,        1001,        4321,       34816, 34817,
                                    65534, 0xffffffffu, 0x7fffffffu, 0x80000000u};
    if (CHANCE(60)) return ANY(edge);
    const char *v = pool_pick(&s->nums);
    long long x = strtoll(v, NULL, 0);
    switch (PICK(3)) {
    case 0: return (uint32_t)x;
    case 1: return (uint32_t)(x + 1);
    default: return (uint32_t)(x - 1);
    }
}

/* The ids of the test's user databases (seed_users), or pick_u32's. */
static const uint32_t named_ids[] = {0, 4, 7, 42, 1000, 1001, 1002, 1003, 2000, 3000, 65534};

static uint32_t pick_id(const rule_set *s) { return CHANCE(70) ? ANY(named_ids) : pick_u32(s); }

static uint64_t pick_caps(void)
{
    static const int bits[] = {0, 1, 2, 3, 6, 7, 12, 13, 16, 17, 19, 21, 38, 39, 40, 41, 50, 63};
    if (CHANCE(10)) return CHANCE(50) ? ~0ull : 0;
    uint64_t c = 0;
    int n = PICK(4);
    for (int i = 0; i < n; i++) c |= 1ull << ANY(bits);
    return c;
}

static uint64_t pick_open_flags(void)
{
    static const uint64_t bits[] = {
        O_CREAT,   O_TRUNC,    O_APPEND,    O_DIRECTORY, __O_TMPFILE | O_DIRECTORY,
        O_CLOEXEC, O_NOFOLLOW, O_PATH,      O_EXCL,      O_SYNC,
        O_DSYNC,   O_NONBLOCK, O_LARGEFILE, O_NOCTTY,    040000000 /* __O_TMPFILE alone */};
    uint64_t f = (uint64_t)PICK(4); /* access mode 3 too */
    int n = PICK(4);
    for (int i = 0; i < n; i++) f |= ANY(bits);
    if (CHANCE(3)) f = rnd();
    return f;
}

/* A path argument as a program could pass it. */
static void pick_path(const rule_set *s, char *out, size_t cap, bool *truncated, bool *fault)
{
    *truncated = *fault = false;
    char tmp[4200];
    int k = PICK(100);
    if (k < 55) {
        snprintf(tmp, sizeof tmp, "%s", pool_pick(&s->paths));
    } else if (k < 65) {
        static const size_t lens[] = {100, 200, 240, 248, 249, 250, 251, 252, 253, 300, 599};
        char lp[600];
        snprintf(tmp, sizeof tmp, "%s", long_prefix(ANY(lens), lp));
    } else if (k < 72) {
        static const char *const rel[] = {"shadow", "etc/shadow", "./shadow", "../etc/shadow",
                                          "x.log",  "bin/ls",     "",         ".",
                                          "..",     "sudoers.d",  "ls"};
        snprintf(tmp, sizeof tmp, "%s", ANY(rel));
    } else if (k < 76) {
        /* 4095 chars: the capture flags it truncated */
        memset(tmp, 'z', 4095);
        tmp[0] = '/';
        tmp[4095] = 0;
        *truncated = true;
    } else {
        snprintf(tmp, sizeof tmp, "%s", pool_pick(&s->paths));
        /* make it unclean, relative or longer */
        char base[4000];
        snprintf(base, sizeof base, "%.3990s", tmp);
        switch (PICK(9)) {
        case 0: snprintf(tmp, sizeof tmp, "/%s", base); break; /* "//etc" */
        case 1: snprintf(tmp, sizeof tmp, "%s/", base); break; /* trailing / */
        case 2: snprintf(tmp, sizeof tmp, "%s", base[0] == '/' ? base + 1 : base); break;
        case 3: snprintf(tmp, sizeof tmp, "/etc/..%s", base); break;
        case 4: snprintf(tmp, sizeof tmp, "/.%s", base); break;
        case 5: snprintf(tmp, sizeof tmp, "%s/.", base); break;
        case 6: snprintf(tmp, sizeof tmp, "%s/..", base); break;
        case 7: snprintf(tmp, sizeof tmp, "%sx", base); break;
        default:
            snprintf(tmp, sizeof tmp, "%s",
                     base + (strlen(base) > 1 ? 1 + PICK((int)strlen(base) - 1) : 0));
            break;
        }
    }
    if (CHANCE(3)) *truncated = true; /* the capture may flag any copy that filled its buffer */
    if (CHANCE(2)) {
        *fault = true;
        tmp[0] = 0;
    }
    snprintf(out, cap, "%s", tmp);
}

static void pick_comm(const rule_set *s, char comm[16])
{
    memset(comm, 0, 16);
    const char *c = pool_pick(&s->comms);
    if (CHANCE(5)) c = "";
    strncpy(comm, c, 15); /* the kernel's comm: 15 chars + NUL */
    if (CHANCE(5) && comm[0]) comm[PICK((int)strlen(comm))] ^= 0x20; /* case near miss */
}

static int pid_index(uint32_t pid)
{
    for (size_t i = 0; i < sizeof pids / sizeof *pids; i++)
        if (pids[i] == pid) return (int)i;
    return -1;
}

/* The parent of a test process, as the table and the headers have it:
 * 100 -> 101 -> 4321 -> 1 -> none. */
static uint32_t parent_of(uint32_t pid)
{
    for (size_t i = 0; i + 1 < sizeof pids / sizeof *pids; i++)
        if (pids[i] == pid) return pids[i + 1];
    return 0;
}

/* The ancestors' blob (SGC_BLOB_ANCESTORS) as the capture sends it when a
 * rule reads proc.aname: 0 to 7 comms from the rules' names, the chain's
 * end (none, right after them, at the parent for a process without one),
 * sometimes missing; and records the capture never sends: an end inside
 * or beyond the comms, a blob shorter than its count. */
static void add_ancestors(const rule_set *s, sgc_record_builder *b, const struct sgc_event_hdr *h)
{
    if (CHANCE(10)) return;
    struct sgc_ancestors a = {0};
    /* few comms half of the time: the table's ancestors (0 to 3 deep) then
     * follow them in the evaluator */
    a.n = (uint8_t)(CHANCE(50) ? PICK(2) : PICK(SGC_ANC_MAX));
    for (int i = 0; i < a.n; i++) pick_comm(s, a.comm[i]);
    if (!h->ppid && CHANCE(80)) {
        a.n = 0;
        a.end = 1;
    } else {
        int k = PICK(10);
        a.end = k < 4 ? 0 : k < 8 ? (uint8_t)(a.n + 2) : (uint8_t)PICK(SGC_ANC_MAX + 3);
    }
    size_t len = 8 + SGC_COMM_LEN * (size_t)a.n;
    if (a.n && CHANCE(3)) len -= SGC_COMM_LEN; /* malformed: both sides ignore it */
    sgc_record_add_blob(b, SGC_BLOB_ANCESTORS, &a, len, 0);
}

typedef struct event_info {
    int nr;
    const char *paths[SGC_NARGS]; /* for printing */
    bool exec;                    /* an exec record (make_exec_event) */
    int pidx;                     /* exec: the index of its pid in pids */
    uint64_t cid_after;           /* exec: the sgc_cid entry its exec writes */
} event_info;

/* Build a syscall record the capture program could send for a syscall of
 * this set; returns its size. */
/* One end's address: the socket atoms' constants and their neighbours. */
static void pick_addr(uint8_t a[16], int family)
{
    static const char *const v4[] = {"10.0.0.1",   "10.0.0.2",    "127.0.0.1",   "127.1.2.3",
                                     "0.0.0.0",    "192.168.1.5", "192.168.1.4", "172.16.3.4",
                                     "172.32.0.1", "8.8.8.8",     "203.0.1.7"};
    static const char *const v6[] = {
        "::1",           "fe80::1", "::", "2001:db8::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
        "::ffff:8.8.8.8"};
    memset(a, 0, 16);
    if (family == AF_INET6)
        inet_pton(AF_INET6, ANY(v6), a);
    else if (family == AF_INET)
        inet_pton(AF_INET, ANY(v4), a);
    else if (CHANCE(30))
        a[0] = (uint8_t)PICK(256);
}

/* "address:port" at s[0..n) into a tuple end; its family (AF_INET or
 * AF_INET6), 0 when it is not one. */
static int parse_tuple_end(const char *s, size_t n, uint8_t a[16], uint16_t *port)
{
    char buf[64];
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':') colon = s + i;
    if (!colon || (size_t)(colon - s) >= sizeof buf) return 0;
    memcpy(buf, s, (size_t)(colon - s));
    buf[colon - s] = '\0';
    *port = (uint16_t)atoi(colon + 1);
    memset(a, 0, 16);
    return inet_pton(AF_INET, buf, a) == 1    ? AF_INET
           : inet_pton(AF_INET6, buf, a) == 1 ? AF_INET6
                                              : 0;
}

/* The tuple of one of sock_names (the local end first, or the remote; an
 * IPv4 one sometimes as IPv4-mapped IPv6), so that name atoms match. */
static bool tuple_of_name(struct sgc_socktuple *t)
{
    const char *n = sock_name();
    const char *arrow = strstr(n, "->");
    uint8_t a1[16], a2[16] = {0};
    uint16_t p1, p2 = 0;
    int f1 = parse_tuple_end(n, arrow ? (size_t)(arrow - n) : strlen(n), a1, &p1);
    int f2 = arrow ? parse_tuple_end(arrow + 2, strlen(arrow + 2), a2, &p2) : f1;
    if (!f1 || f1 != f2) return false;
    bool swap = arrow && CHANCE(50);
    t->family = (uint16_t)f1;
    memcpy(t->laddr, swap ? a2 : a1, 16);
    memcpy(t->raddr, swap ? a1 : a2, 16);
    t->lport = swap ? p2 : p1;
    t->rport = swap ? p1 : p2;
    if (f1 == AF_INET && CHANCE(25)) {
        t->family = AF_INET6;
        for (int e = 0; e < 2; e++) {
            uint8_t *a = e ? t->raddr : t->laddr;
            memmove(a + 12, a, 4);
            memset(a, 0, 10);
            a[10] = a[11] = 0xff;
        }
    }
    return true;
}

/* A socket tuple as the capture reads it from struct sock: families,
 * protocols, IPv4-mapped ends (both or one), server sockets (no peer),
 * ports around 1024 (the sendto role heuristic), the tuples of the name
 * atoms' renderings. */
static void pick_tuple(struct sgc_socktuple *t)
{
    static const uint16_t fams[] = {AF_INET, AF_INET, AF_INET6, AF_INET6, AF_UNIX, 16, 0};
    static const uint16_t protos[] = {6, 6, 17, 1, 58, 255, 0, 262};
    static const uint16_t ports[] = {0, 22, 80, 443, 1023, 1024, 40000, 6379};
    memset(t, 0, sizeof *t);
    t->proto = ANY(protos);
    if (CHANCE(50) && tuple_of_name(t)) return;
    t->family = ANY(fams);
    pick_addr(t->laddr, t->family);
    pick_addr(t->raddr, t->family);
    if (CHANCE(25)) memset(t->raddr, 0, 16); /* no peer */
    if (t->family == AF_INET || t->family == AF_INET6 || CHANCE(20)) {
        t->lport = ANY(ports);
        t->rport = CHANCE(25) ? 0 : ANY(ports);
    }
}

/* The process fields of a record's header, as sgc_fill_task gives them. */
static void fill_task(const rule_set *s, struct sgc_event_hdr *h, uint64_t ts)
{
    h->ts_ns = ts;
    h->pid = ANY(pids);
    /* else moved since its exec; 0 never names a cgroup, but must not match
     * the map's "not known to be on the host" entries either */
    h->cgroup_id = CHANCE(85) ? TEST_CGROUP_ID : CHANCE(50) ? 8888 : 0;
    h->tid = CHANCE(70) ? h->pid : h->pid + 7;
    h->ppid = parent_of(h->pid);
    h->uid = pick_id(s);
    h->euid = CHANCE(80) ? h->uid : pick_id(s);
    h->gid = pick_id(s);
    h->egid = CHANCE(80) ? h->gid : pick_id(s);
    h->loginuid = CHANCE(40) ? 0xffffffffu : pick_id(s);
    h->tty = CHANCE(50) ? 0 : CHANCE(50) ? 34816 : pick_u32(s);
    h->sid = CHANCE(50) ? h->pid : pick_u32(s);
    h->vpid = CHANCE(50) ? h->pid : CHANCE(50) ? 1 : 0;
    h->vpgid = CHANCE(50) ? h->pid : pick_u32(s);
    h->mnt_ns = 4026531841u;
    h->pid_ns = 4026531836u;
    h->net_ns = 4026531840u;
    h->cap_effective = pick_caps();
    h->cap_permitted = CHANCE(50) ? h->cap_effective : pick_caps();
    h->start_ns = 1000;
    pick_comm(s, h->comm);
    if (!h->ppid && CHANCE(80))
        ; /* no parent (init), no parent comm */
    else if (CHANCE(50))
        strncpy(h->pcomm, "systemd", 15);
    else
        pick_comm(s, h->pcomm); /* the rules' names, near misses, empty */
}

static size_t make_exec_event(const rule_set *s, unsigned char *buf, size_t cap, uint64_t ts,
                              event_info *ei);

static size_t make_event(const rule_set *s, unsigned char *buf, size_t cap, uint64_t ts,
                         event_info *ei)
{
    static char pathbuf[SGC_NARGS][4200];
    int nr;
    if (CHANCE(85) && s->nnrs)
        nr = s->nrs[PICK(s->nnrs)];
    else
        nr = sgc_syscall_table[PICK((int)sgc_syscall_table_len)].nr;
    /* an execve that succeeds: the exec record, filtered as an execve */
    if ((nr == __NR_execve || nr == __NR_execveat) && CHANCE(50))
        return make_exec_event(s, buf, cap, ts, ei);
    const struct sgc_syscall_info *info = sgc_syscall_by_nr(nr);
    memset(ei, 0, sizeof *ei);
    ei->nr = nr;

    sgc_record_builder b;
    sgc_record_begin(&b, buf, cap, SGC_REC_SYSCALL, (uint32_t)nr, (uint16_t)s->pd->cand_words);
    struct sgc_event_hdr *h = b.hdr;
    fill_task(s, h, ts);
    add_ancestors(s, &b, h);

    /* return value */
    static const int64_t rets[] = {0,   3,   4,     1,   -2,   -13,         -1,
                                   -11, -20, -4095, 100, -115, 4294967296ll};
    h->ret = ANY(rets);
    if (CHANCE(10)) h->ret = (int64_t)rnd();
    if (info && info->spec.only_failures && h->ret >= 0)
        h->ret = -2; /* execve success is an exec record, not a syscall exit */

    /* integer arguments: edges for the decoded ones, random otherwise */
    for (int i = 0; i < SGC_NARGS; i++) h->args[i] = CHANCE(50) ? (uint64_t)PICK(5) : rnd();
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    for (int i = 0; d && i < d->nargs; i++) {
        const sgc_argdesc *ad = &d->args[i];
        if (ad->src != SGC_ARGSRC_REG || ad->idx >= SGC_NARGS) continue;
        __u64 *v = &h->args[ad->idx];
        switch (ad->type) {
        case SGC_AT_OPEN_FLAGS: *v = pick_open_flags(); break;
        case SGC_AT_FD:
            *v = CHANCE(50)   ? (uint64_t)(int64_t)AT_FDCWD
                 : CHANCE(50) ? 3
                              : (uint64_t)(uint32_t)AT_FDCWD;
            break;
        case SGC_AT_PTRACE_REQ: {
            static const uint64_t req[] = {0,      4,      5,  16,     17,
                                           0x4206, 0x4207, 12, 0xdead, 1ull << 32 | 16};
            *v = ANY(req);
            break;
        }
        case SGC_AT_SOCK_FAMILY: {
            static const uint64_t fam[] = {0, 1, 2, 10, 16, 17, 44, 46, 9999, 1ull << 32 | 17};
            *v = ANY(fam);
            break;
        }
        case SGC_AT_UID:
        case SGC_AT_GID: *v = pick_u32(s); break;
        default: break;
        }
    }

    /* blobs, as the capture spec of this syscall asks for them */
    if (info) {
        const struct sgc_syscall_spec *sp = &info->spec;
        bool rel_arg = false;
        for (int i = 0; i < SGC_NARGS; i++) {
            if (!(sp->str_args & (1u << i))) continue;
            if (CHANCE(2)) continue; /* record full: the blob is missing */
            bool trunc, fault;
            pick_path(s, pathbuf[i], sizeof pathbuf[i], &trunc, &fault);
            ei->paths[i] = pathbuf[i];
            size_t len = fault ? 0 : strlen(pathbuf[i]) + 1;
            if (len > SGC_BLOB_MAX)
                len = SGC_BLOB_MAX, pathbuf[i][SGC_BLOB_MAX - 1] = 0, trunc = true;
            uint8_t fl = (trunc ? SGC_BLOBF_TRUNCATED : 0) | (fault ? SGC_BLOBF_FAULT : 0);
            sgc_record_add_blob(&b, SGC_BLOB_ARG0 + (unsigned)i, pathbuf[i], len, fl);
            if (i == sp->rel_path_arg && (fault || pathbuf[i][0] != '/')) rel_arg = true;
        }
        if (sp->struct_arg < SGC_NARGS) {
            uint64_t how[3] = {h->args[2], h->args[3], 0};
            sgc_record_add_blob(&b, SGC_BLOB_ARG0 + sp->struct_arg, how,
                                sp->struct_len > 24 ? 24 : sp->struct_len, 0);
        }
        if (sp->sockaddr_arg < SGC_NARGS && CHANCE(80)) {
            unsigned char sa[28] = {0};
            size_t salen = 16;
            uint8_t a[16];
            uint16_t port;
            const char *pick = ANY(sock_addrs);
            int fam = parse_tuple_end(pick, strlen(pick), a, &port);
            int kind = PICK(10);
            if (kind < 7 && fam) { /* struct sockaddr_in / sockaddr_in6 */
                sa[0] = (unsigned char)fam;
                sa[2] = (unsigned char)(port >> 8);
                sa[3] = (unsigned char)port;
                memcpy(fam == AF_INET6 ? sa + 8 : sa + 4, a, fam == AF_INET6 ? 16 : 4);
                salen = fam == AF_INET6 ? 28 : 16;
                if (CHANCE(10)) salen = (size_t)PICK((int)salen); /* too short */
            } else if (kind < 9) {                                /* a unix path */
                sa[0] = AF_UNIX;
                strcpy((char *)sa + 2, CHANCE(50) ? "/run/x.sock" : "10.0.0.1:8080");
            } else {
                sa[0] = (unsigned char)PICK(50);
                sa[2] = 0x1f;
                sa[3] = 0x90;
                sa[4] = 10;
            }
            sgc_record_add_blob(&b, SGC_BLOB_SOCKADDR, sa, salen, CHANCE(3) ? SGC_BLOBF_FAULT : 0);
        }
        if (sp->sock_fd != SGC_SRC_NONE && CHANCE(80)) {
            struct sgc_socktuple t;
            pick_tuple(&t);
            sgc_record_add_blob(&b, SGC_BLOB_SOCKTUPLE, &t, sizeof t,
                                CHANCE(3) ? SGC_BLOBF_FAULT : 0);
        }
        bool fd_ok = sp->path_fd == SGC_SRC_RET ? h->ret >= 0 : sp->path_fd < SGC_NARGS;
        if (sp->path_fd != SGC_SRC_NONE && fd_ok && (sp->rel_path_arg >= SGC_NARGS || rel_arg) &&
            CHANCE(90)) {
            bool trunc, fault;
            char fp[4200];
            pick_path(s, fp, sizeof fp, &trunc, &fault);
            if (fp[0] != '/' && CHANCE(50))
                snprintf(fp, sizeof fp, "%s", CHANCE(50) ? "pipe:[1234]" : "socket:[99]");
            sgc_record_add_str(&b, SGC_BLOB_FDPATH, fp);
        }
    }
    size_t size = sgc_record_finish(&b);
    return size;
}

/* The kernel's sgc_cid map (bpf-templates/capture_container.h) as the
 * test keeps it, per pid index: whether it has an entry, and its value (0:
 * "not known to be on the host"; else the cgroup the process was in at its
 * last exec, whose path names the host). seed_proctable gives the first
 * entries, only for processes whose table image is the host, as the
 * capture's lifecycle hooks keep them; each exec record the next one, as
 * sgc_cid_on_exec writes it before the exec's filter (exec_cid_update). */
static bool cid_has[sizeof pids / sizeof *pids];
static uint64_t cid_val[sizeof pids / sizeof *pids];

static bool test_on_host(const struct sgc_event_hdr *h)
{
    int i = pid_index(h->pid);
    return i >= 0 && cid_val[i] && h->cgroup_id == cid_val[i];
}

/* The same in the loaded program's map. */
static void fill_cid_map(struct bpf_object *obj)
{
    struct bpf_map *m = bpf_object__find_map_by_name(obj, "sgc_cid");
    assert_non_null(m);
    for (size_t i = 0; i < sizeof pids / sizeof *pids; i++)
        if (cid_has[i])
            assert_int_equal(bpf_map__update_elem(m, &pids[i], 4, &cid_val[i], 8, BPF_ANY), 0);
}

/* The entry an exec record's exec writes (sgc_exec_record calls
 * sgc_cid_on_exec before its filter, which reads it). */
static void exec_cid_update(struct bpf_object *obj, const event_info *ei)
{
    struct bpf_map *m = bpf_object__find_map_by_name(obj, "sgc_cid");
    assert_non_null(m);
    cid_has[ei->pidx] = true;
    cid_val[ei->pidx] = ei->cid_after;
    assert_int_equal(bpf_map__update_elem(m, &pids[ei->pidx], 4, &cid_val[ei->pidx], 8, BPF_ANY),
                     0);
}

/* ---- exec records ------------------------------------------------------------- */

/* cgroup v2 paths: the host's (every component shorter than 64 bytes, so
 * sgc_cid_on_exec vouches for them) and containers' (a 64-hex component;
 * podman's conmon is the host to the evaluator, not to the kernel). */
#define CID64               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CONTAINER_CGROUP_ID 9999 /* the cgroup of a container path */
static const char *const host_cgroups[] = {"/", "/user.slice/user-1000.slice/session-3.scope",
                                           "/system.slice/sshd.service", "/init.scope",
                                           "/system.slice/docker.service"};
static const char *const container_cgroups[] = {
    "/system.slice/docker-" CID64 ".scope", "/docker/" CID64, "/kubepods/besteffort/pod1234/" CID64,
    "/system.slice/libpod-conmon-" CID64 ".scope",
    "/machine.slice/libpod-" CID64 ".scope/container"};

/* A value of an exec string (exe: argv[0]; else a path: the exe path, the
 * cwd): the exec constants, the set's paths, values around the kernel's
 * string limits and the 4096-byte blob, near misses. */
static void pick_exec_str(const rule_set *s, bool exe, char *out, size_t cap)
{
    char tmp[4200], lp[600];
    int k = PICK(100);
    if (k < 35)
        snprintf(tmp, sizeof tmp, "%s", exe ? ANY(exec_argv0s) : ANY(exec_paths));
    else if (k < 42)
        snprintf(tmp, sizeof tmp, "%s", exe ? ANY(exec_paths) : ANY(exec_argv0s));
    else if (k < 70)
        snprintf(tmp, sizeof tmp, "%s", pool_pick(&s->paths));
    else if (k < 80) {
        static const size_t lens[] = {100, 240, 247, 248, 249, 250, 251, 252, 300, 599};
        snprintf(tmp, sizeof tmp, "%s", long_prefix(ANY(lens), lp));
    } else if (k < 84) {
        /* about the blob's size: cut, unterminated, clipped by the table */
        static const size_t lens[] = {4094, 4095, 4096, 4097, 4150};
        size_t n = ANY(lens);
        memset(tmp, 'q', n);
        memcpy(tmp, "/dev/shm/", 9);
        tmp[n] = 0;
    } else {
        char base[4000];
        snprintf(base, sizeof base, "%.3990s",
                 CHANCE(50) ? pool_pick(&s->paths)
                 : exe      ? ANY(exec_argv0s)
                            : ANY(exec_paths));
        size_t n = strlen(base);
        switch (PICK(6)) {
        case 0: snprintf(tmp, sizeof tmp, "%s/", base); break;
        case 1:
            snprintf(tmp, sizeof tmp, "%.*s", (int)(n && base[n - 1] == '/' ? n - 1 : n), base);
            break;
        case 2: snprintf(tmp, sizeof tmp, "%sx", base); break;
        case 3: snprintf(tmp, sizeof tmp, "%s", n ? base + 1 : base); break;
        case 4: snprintf(tmp, sizeof tmp, "./%s", base); break;
        default: snprintf(tmp, sizeof tmp, "%.*s", (int)(n ? n - 1 : 0), base); break;
        }
    }
    snprintf(out, cap, "%s", tmp);
}

/* A path blob as sgc_blob_path writes it: NUL-terminated, a path longer
 * than the buffer keeps its end and is flagged truncated; faulted: empty. */
static void add_path_blob(sgc_record_builder *b, unsigned tag, const char *v)
{
    size_t n = strlen(v);
    uint8_t fl = 0;
    if (CHANCE(3)) {
        sgc_record_add_blob(b, tag, "", 0, SGC_BLOBF_FAULT);
        return;
    }
    if (n + 1 > SGC_BLOB_MAX) {
        v += n + 1 - SGC_BLOB_MAX;
        n = SGC_BLOB_MAX - 1;
        fl = SGC_BLOBF_TRUNCATED;
    }
    if (CHANCE(3)) fl = SGC_BLOBF_TRUNCATED; /* a deep path: its end only */
    sgc_record_add_blob(b, tag, v, n + 1, fl);
}

/* A successful exec's record as sgc_exec_record (bpf-templates/
 * capture.bpf.c) builds it: kind SGC_REC_PROC_EXEC, nr execve, ret 0,
 * args[0] the pid before the exec (another thread's when one of them
 * exec'd), the blobs in its order (ARG0 the filename given, EXE the file
 * run, ARGV, ENV, CWD, CGROUP, EXE_FLAGS) then the ancestors the exec path
 * adds when the filter reads them. Any blob can be missing (a full record
 * loses its last ones; the evaluator then keeps the process's older value),
 * faulted or truncated. Its cgroup agrees with the sgc_cid entry of the
 * pid: a process still in the cgroup its entry vouches for is on the host. */
static size_t make_exec_event(const rule_set *s, unsigned char *buf, size_t cap, uint64_t ts,
                              event_info *ei)
{
    static char v[4200], argv[SGC_BLOB_MAX + 1200];
    memset(ei, 0, sizeof *ei);
    ei->nr = __NR_execve;
    ei->exec = true;
    sgc_record_builder b;
    sgc_record_begin(&b, buf, cap, SGC_REC_PROC_EXEC, __NR_execve, (uint16_t)s->pd->cand_words);
    struct sgc_event_hdr *h = b.hdr;
    fill_task(s, h, ts);
    h->tid = h->pid; /* the exec'ing thread is the leader now */
    h->ret = 0;
    h->args[0] = CHANCE(80) ? h->pid : h->pid + 7;
    ei->pidx = pid_index(h->pid);

    /* the cgroup: still the one of the older entry, another host one, a
     * container's */
    uint64_t entry = cid_val[ei->pidx];
    int kc = PICK(10);
    h->cgroup_id = kc < 6   ? (entry ? entry : TEST_CGROUP_ID)
                   : kc < 8 ? 8888
                   : kc < 9 ? CONTAINER_CGROUP_ID
                            : 0;
    bool host_path = h->cgroup_id != CONTAINER_CGROUP_ID && (h->cgroup_id || CHANCE(50));

    bool full = CHANCE(4);
    int last = full ? PICK(7) : 7; /* blobs 0..last-1 fit */
#define SEND(i) ((i) < last && !CHANCE(5))
    if (SEND(0)) { /* ARG0: the filename as given */
        bool trunc, fault;
        if (CHANCE(50)) {
            pick_path(s, v, sizeof v, &trunc, &fault);
        } else {
            pick_exec_str(s, true, v, sizeof v);
            trunc = CHANCE(3);
            fault = CHANCE(2);
        }
        size_t len = fault ? 0 : strlen(v) + 1;
        if (len > SGC_BLOB_MAX) len = SGC_BLOB_MAX, trunc = true;
        sgc_record_add_blob(&b, SGC_BLOB_ARG0, v, len,
                            (trunc ? SGC_BLOBF_TRUNCATED : 0) | (fault ? SGC_BLOBF_FAULT : 0));
        ei->paths[0] = v;
    }
    if (SEND(1)) { /* EXE: the file run */
        pick_exec_str(s, false, v, sizeof v);
        add_path_blob(&b, SGC_BLOB_EXE, v);
    }
    if (SEND(2)) { /* ARGV: argv[0], then the arguments, NUL-separated */
        pick_exec_str(s, true, v, sizeof v);
        size_t n = strlen(v) + 1;
        memcpy(argv, v, n);
        static const char *const args[] = {"-c", "/dev/shm/x", "./x", "x y", "-i", ""};
        for (int i = 0, na = PICK(5); i < na; i++) {
            const char *a = CHANCE(50) ? ANY(args) : ANY(exec_words);
            size_t al = strlen(a) + 1;
            if (n + al > sizeof argv) break;
            memcpy(argv + n, a, al);
            n += al;
        }
        if (CHANCE(4)) { /* about a slot's 250 bytes */
            size_t al = 200 + (size_t)PICK(60);
            memset(argv + n, 'a', al);
            n += al;
            argv[n++] = '\0';
        }
        if (CHANCE(8)) { /* a long command line: cut after a complete argv[0] */
            size_t al = 3000 + (size_t)PICK(2200);
            if (n + al > sizeof argv) al = sizeof argv - n;
            memset(argv + n, 'a', al);
            n += al;
        }
        uint8_t fl = 0;
        if (n > SGC_BLOB_MAX) n = SGC_BLOB_MAX, fl = SGC_BLOBF_TRUNCATED;
        if (CHANCE(3)) fl = SGC_BLOBF_TRUNCATED; /* cut right after an item */
        if (CHANCE(5) && n > 1) n--;             /* no final NUL: an argument cut short */
        if (CHANCE(3)) n = 0;                    /* argc 0 */
        if (CHANCE(2)) n = 0, fl = SGC_BLOBF_FAULT;
        sgc_record_add_blob(&b, SGC_BLOB_ARGV, argv, n, fl);
    }
    if (SEND(3) && CHANCE(70)) { /* ENV, when the configuration asks for it */
        static const char env[] = "PATH=/bin\0HOME=/root\0LD_PRELOAD=/dev/shm/x.so";
        static char big[SGC_BLOB_MAX];
        int k = PICK(10);
        if (k < 4) {
            sgc_record_add_blob(&b, SGC_BLOB_ENV, env, sizeof env - (CHANCE(20) ? 5 : 0),
                                CHANCE(10) ? SGC_BLOBF_TRUNCATED : 0);
        } else if (k < 8) { /* items of the words and constants, up to 4 KiB */
            size_t n = 0, want = CHANCE(50) ? (size_t)PICK(300) : (size_t)PICK(SGC_BLOB_MAX + 1);
            while (n < want) {
                const char *w = CHANCE(10)   ? ANY(env_consts)
                                : CHANCE(50) ? "gGgGgGgG_TUNABLES=1"
                                             : "LANG=C.UTF-8";
                size_t wl = strlen(w) + 1;
                if (n + wl > sizeof big) break;
                memcpy(big + n, w, wl);
                n += wl;
            }
            if (CHANCE(30)) { /* filled to the end, the last item cut */
                memset(big + n, 'g', sizeof big - n);
                n = sizeof big;
            }
            if (CHANCE(20) && n) n--; /* no final NUL */
            sgc_record_add_blob(&b, SGC_BLOB_ENV, big, n,
                                n == sizeof big || CHANCE(10) ? SGC_BLOBF_TRUNCATED : 0);
        } else if (k < 9) { /* empty, or a lone NUL */
            sgc_record_add_blob(&b, SGC_BLOB_ENV, "", CHANCE(50) ? 0 : 1, 0);
        } else {
            sgc_record_add_blob(&b, SGC_BLOB_ENV, "", 0, SGC_BLOBF_FAULT);
        }
    }
    if (SEND(4)) { /* CWD: d_path, no trailing '/' but at the root; others too */
        pick_exec_str(s, false, v, sizeof v);
        add_path_blob(&b, SGC_BLOB_CWD, v);
    }
    bool cgroup_sent = SEND(5);
    if (cgroup_sent) {
        const char *cg = host_path ? ANY(host_cgroups) : ANY(container_cgroups);
        /* a truncated path cannot be the cgroup an entry vouches for */
        bool trunc = !(entry && h->cgroup_id == entry) && CHANCE(5);
        sgc_record_add_blob(&b, SGC_BLOB_CGROUP, cg, strlen(cg) + 1,
                            trunc ? SGC_BLOBF_TRUNCATED : 0);
        if (trunc) host_path = false; /* too deep for sgc_cid_on_exec's walk too */
    }
    if (SEND(6)) { /* EXE_FLAGS: the SGC_EXE_* bits */
        uint32_t fl = (uint32_t)PICK(8);
        if (CHANCE(5)) fl |= 1u << (3 + PICK(29));
        int k = PICK(40);
        if (k == 0)
            sgc_record_add_blob(&b, SGC_BLOB_EXE_FLAGS, &fl, 2, 0); /* short: ignored */
        else if (k == 1)
            sgc_record_add_blob(&b, SGC_BLOB_EXE_FLAGS, &fl, 0, SGC_BLOBF_FAULT);
        else
            sgc_record_add_blob(&b, SGC_BLOB_EXE_FLAGS, &fl, sizeof fl, 0);
    }
#undef SEND
    add_ancestors(s, &b, h);
    /* sgc_cid_on_exec: the new cgroup when its path names the host; 0 for
     * a record that ran out of room (the runtime may keep the older id) */
    ei->cid_after = cgroup_sent && host_path && !full ? h->cgroup_id : 0;
    return sgc_record_finish(&b);
}

/* The process table: every pid has an image (exe, args, cwd, container)
 * before its first syscall, as the exec records or /proc give it. */
static void seed_proctable(const rule_set *s, sgc_proctable *pt)
{
    for (size_t i = 0; i < sizeof pids / sizeof *pids; i++) {
        sgc_proc_image_spec spec = {0};
        const char *name = pool_pick(&s->comms);
        char exepath[64], args[64];
        snprintf(exepath, sizeof exepath, "/usr/bin/%s", *name ? name : "x");
        snprintf(args, sizeof args, "-c%cx", 0);
        spec.exe = name;
        spec.exe_len = strlen(name);
        spec.exepath = exepath;
        spec.exepath_len = strlen(exepath);
        spec.args = args;
        spec.args_len = 5;
        const char *cwd = ANY(cwds);
        spec.cwd = cwd;
        spec.cwd_len = strlen(cwd);
        bool host = CHANCE(50);
        spec.container_id = host ? "host" : "0123456789abcdef0123";
        /* the kernel knows most host processes from their exec; the others
         * have no entry or 0 */
        bool on_host = host && CHANCE(80);
        cid_has[i] = on_host || CHANCE(50);
        cid_val[i] = on_host ? TEST_CGROUP_ID : 0;
        /* an image the exec records replace: exec fields that match the
         * rules' constants too (a missing blob keeps them) */
        if (CHANCE(50)) {
            spec.exe = ANY(exec_argv0s);
            spec.exe_len = strlen(spec.exe);
            spec.exepath = ANY(exec_paths);
            spec.exepath_len = strlen(spec.exepath);
            spec.cwd = CHANCE(50) ? ANY(exec_paths) : ANY(cwds);
            spec.cwd_len = strlen(spec.cwd);
        }
        spec.has_exe_flags = CHANCE(70);
        spec.exe_flags = (uint32_t)PICK(8);
        sgc_proc *p = sgc_proctable_exec(pt, pids[i], &spec, 10);
        assert_non_null(p);
        snprintf(p->comm, sizeof p->comm, "%.15s", name);
        p->ppid = parent_of(pids[i]);
    }
}

/* The user databases the evaluator's cache holds (explicit entries, as an
 * event file gives them): the host's, a container's (other names for some
 * of the same ids) and names for any container and the host. */
static void seed_users(sgc_usercache *uc, sgc_proctable *pt)
{
    const char *cid = "0123456789abcdef0123"; /* as seed_proctable gives it */
    for (size_t i = 0; i < sizeof pids / sizeof *pids; i++) {
        const sgc_proc *p = sgc_proctable_find(pt, pids[i]);
        if (p && strcmp(sgc_proc_container_id(p), "host")) cid = sgc_proc_container_id(p);
    }
    static const struct {
        uint32_t id;
        const char *host, *container;
    } users[] =
        {
            {0, "root", "root"},         {1000, "alice", "app"}, {1001, "bob", "alice"},
            {1002, NAME31, NULL},        {1003, NAME32, NAME31}, {2000, NULL, "app"},
            {65534, "nobody", "nobody"},
        },
      groups[] = {
          {0, "root", "root"},    {4, "adm", NULL},      {42, "shadow", "adm"},
          {1000, "alice", "app"}, {1003, NAME32, "app"}, {2000, NULL, "shadow"},
      };
    for (size_t i = 0; i < sizeof users / sizeof *users; i++) {
        if (users[i].host)
            sgc_usercache_set_user(uc, "host", users[i].id, users[i].id, users[i].host, NULL, NULL);
        if (users[i].container)
            sgc_usercache_set_user(uc, cid, users[i].id, users[i].id, users[i].container, NULL,
                                   NULL);
    }
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        if (groups[i].host) sgc_usercache_set_group(uc, "host", groups[i].id, groups[i].host);
        if (groups[i].container)
            sgc_usercache_set_group(uc, cid, groups[i].id, groups[i].container);
    }
    sgc_usercache_set_user(uc, NULL, 7, 7, "lp", NULL, NULL); /* any container and the host */
    sgc_usercache_set_group(uc, NULL, 7, "lp");
}

/* The kernel's sgc_unames map, filled by the runtime's own code from that
 * cache; then some entries removed (a full map, a refresh under way: the
 * evaluator has a name the kernel lacks). */
static int unames_fd = -1;

static void fill_unames_map(struct bpf_object *obj, sgc_usercache *uc)
{
    struct bpf_map *m = bpf_object__find_map_by_name(obj, "sgc_unames");
    assert_non_null(m);
    sgc_unames u = {.fd = bpf_map__fd(m), .uc = uc};
    sgc_unames_fill(&u);
    assert_true(u.users >= 6 && u.groups >= 4); /* NAME32 has no entry */
    unames_fd = u.fd;
    for (size_t i = 0; i < sizeof named_ids / sizeof *named_ids; i++)
        for (unsigned kind = 0; kind < 2; kind++)
            if (CHANCE(15)) {
                uint64_t key = SGC_UNAME_KEY(kind, named_ids[i]);
                bpf_map_delete_elem(u.fd, &key);
            }
}

/* The reference kernel evaluator reads the same map. */
static const char *test_uname(unsigned kind, uint32_t id)
{
    static struct sgc_uname v;
    uint64_t key = SGC_UNAME_KEY(kind, id);
    if (unames_fd < 0 || bpf_map_lookup_elem(unames_fd, &key, &v)) return NULL;
    v.name[SGC_UNAME_MAX - 1] = 0;
    return v.name;
}

/* ---- the differential run -------------------------------------------------------------- */

typedef struct totals {
    long pairs, events, kernel_drops, early_drops, kernel_false, matches, counterexamples,
        ref_disagree;
    long path_decided, path_undecided;             /* path atoms of the event's group, per event */
    long sock_true, sock_false, sock_undecided;    /* socket atoms of the event's group */
    long name_true, name_false, name_undecided;    /* user and group name atoms, the same */
    long sname_true, sname_false, sname_undecided; /* socket names, tuples, addresses */
    long anc_true, anc_false, anc_undecided;       /* proc.aname atoms of the event's group */
    /* exec records: how many, dropped, matched, counterexamples among them;
     * the execve group's kernel atoms on them, decided or not */
    long exec_events, exec_drops, exec_kernel_false, exec_matches, exec_counterexamples;
    long exec_decided, exec_undecided;
    long xf_true, xf_false, xf_undecided;    /* the exec fields' atoms on exec records */
    long cl_true, cl_false, cl_undecided;    /* of them proc.cmdline and proc.args */
    long env_true, env_false, env_undecided; /* proc.env's on exec records */
    double compile_s, load_s, run_s;
    int sets;
} totals;

/* Count one atom value: TRUE, FALSE or UNKNOWN. */
static void tally(sgc_kleene v, long *t, long *f, long *u)
{
    ++*(v == SGC_K_TRUE ? t : v == SGC_K_FALSE ? f : u);
}

static void print_counterexample(const rule_set *s, int r, const event_info *ei, const sgc_evt *ev,
                                 int verdict, bool bit, bool ref_bit)
{
    const struct sgc_event_hdr *h = ev->hdr;
    fprintf(
        stderr,
        "COUNTEREXAMPLE (%s set): the kernel %s the event but the userspace evaluator matches\n"
        "  rule %d%s%s%s: %s\n"
        "  event: %snr=%d ret=%" PRId64
        " comm='%.16s' pcomm='%.16s' pid=%u tid=%u uid=%u euid=%u gid=%u "
        "egid=%u loginuid=%u tty=%u sid=%u vpgid=%u caps_eff=%#" PRIx64 " caps_perm=%#" PRIx64 "\n"
        "  args: %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
        s->label, verdict == SGC_TEST_PASS ? "left this rule out of the candidates of" : "dropped",
        r, s->name[r] ? " (" : "", s->name[r] ? s->name[r] : "", s->name[r] ? ")" : "", s->text[r],
        h->kind == SGC_REC_PROC_EXEC ? "EXEC RECORD " : "", ei->nr, (int64_t)h->ret, h->comm,
        h->pcomm, h->pid, h->tid, h->uid, h->euid, h->gid, h->egid, h->loginuid, h->tty, h->sid,
        h->vpgid, (uint64_t)h->cap_effective, (uint64_t)h->cap_permitted, (uint64_t)h->args[0],
        (uint64_t)h->args[1], (uint64_t)h->args[2], (uint64_t)h->args[3], (uint64_t)h->args[4],
        (uint64_t)h->args[5]);
    for (unsigned t = 0; t < SGC_MAX_BLOB_TAGS; t++) {
        const sgc_blob *b = sgc_evt_blob(ev, t);
        if (!b) continue;
        bool str = t < SGC_NARGS || t == SGC_BLOB_FDPATH || t == SGC_BLOB_CWD ||
                   t == SGC_BLOB_EXE || t == SGC_BLOB_CGROUP;
        const struct sgc_ancestors *a = t == SGC_BLOB_ANCESTORS ? sgc_evt_ancestors(ev) : NULL;
        if (t == SGC_BLOB_ARGV || t == SGC_BLOB_ENV) { /* NUL-separated: shown as '|' */
            fprintf(stderr, "  blob %u (flags %u, %u bytes): '", t, b->flags, b->len);
            for (unsigned i = 0; i < b->len && i < 300; i++)
                fputc(((const char *)b->p)[i] ? ((const char *)b->p)[i] : '|', stderr);
            fputs("'\n", stderr);
        } else if (t == SGC_BLOB_EXE_FLAGS && b->len >= 4) {
            uint32_t fl;
            memcpy(&fl, b->p, 4);
            fprintf(stderr, "  blob %u (flags %u): exe flags %#x\n", t, b->flags, fl);
        } else if (a) {
            fprintf(stderr, "  ancestors: n=%d end=%d:", a->n, a->end);
            for (int i = 0; i < a->n; i++) fprintf(stderr, " '%.16s'", a->comm[i]);
            fputc('\n', stderr);
        } else if (str)
            fprintf(stderr, "  blob %u (flags %u, %u bytes): '%.*s'\n", t, b->flags, b->len,
                    (int)(b->len > 300 ? 300 : b->len), (const char *)b->p);
        else
            fprintf(stderr, "  blob %u (flags %u, %u bytes)\n", t, b->flags, b->len);
    }
    fprintf(stderr,
            "  kernel verdict: %s, candidate bit: %d; reference kernel evaluator bit: %d; exact: "
            "match\n",
            verdict == SGC_TEST_PASS         ? "pass"
            : verdict == SGC_TEST_DROP_EARLY ? "drop (early)"
                                             : "drop",
            bit, ref_bit);
}

/* The process entry the runtime judges record ev with (ev applied to the
 * table pt first), and an extraction context over the table. */
static sgc_proc *judge_with(sgc_proctable *pt, const sgc_evt *ev, sgc_arena *arena,
                            sgc_extract_ctx *cx)
{
    sgc_proc *p = sgc_proctable_apply(pt, ev);
    memset(cx, 0, sizeof *cx);
    cx->scratch = arena;
    cx->pt = pt;
    cx->hostname = "testhost";
    return p;
}

/* One rule set loaded into the BPF program, records checked one by one. */
typedef struct runner {
    rule_set *s;
    sgc_bpf_gen g;
    sgc_tfilter tf;
    sgc_proctable *pt;
    sgc_usercache *users;
    sgc_arena arena;
    uint64_t *ref;
    bool *matched; /* per rule, for the last record */
    totals *tot;
    long pairs, drops, matches, bad;
    long execs, exec_drops, exec_matches; /* exec records */
} runner;

static void runner_open(runner *rn, rule_set *s, totals *tot)
{
    char err[512];
    memset(rn, 0, sizeof *rn);
    rn->s = s;
    rn->tot = tot;
    assert_int_equal(sgc_codegen_bpf(s->pd, &rn->g), 0);
    if (sgc_tfilter_open(&rn->tf, &rn->g, err, sizeof err)) fail_msg("%s set: %s", s->label, err);
    tot->compile_s += rn->tf.compile_s;
    tot->load_s += rn->tf.load_s;
    tot->sets++;
    rn->pt = sgc_proctable_new(NULL);
    seed_proctable(s, rn->pt);
    fill_cid_map(rn->tf.obj);
    sgc_pushdown_eval_on_host = test_on_host;
    rn->users = sgc_usercache_new(0); /* explicit entries only */
    assert_non_null(rn->users);
    seed_users(rn->users, rn->pt);
    sgc_proctable_attach(rn->pt, rn->users, NULL);
    fill_unames_map(rn->tf.obj, rn->users);
    sgc_pushdown_eval_uname = test_uname;
    sgc_arena_init(&rn->arena, 0);
    rn->ref = calloc((size_t)s->pd->cand_words, sizeof *rn->ref);
    rn->matched = calloc((size_t)s->nrules + 1, sizeof *rn->matched);
}

static void runner_close(runner *rn)
{
    sgc_pushdown_eval_on_host = NULL;
    sgc_pushdown_eval_uname = NULL;
    unames_fd = -1;
    free(rn->ref);
    free(rn->matched);
    sgc_arena_free(&rn->arena);
    sgc_proctable_free(rn->pt);
    sgc_usercache_free(rn->users);
    sgc_tfilter_close(&rn->tf);
    sgc_bpf_gen_free(&rn->g);
}

/* Run one record (buf, size bytes) through the BPF filter and check every
 * rule against the exact evaluator. */
static void runner_check(runner *rn, unsigned char *buf, size_t size, const event_info *ei)
{
    static _Alignas(8) unsigned char orig[SGC_RECORD_MAX];
    rule_set *s = rn->s;
    totals *tot = rn->tot;
    memcpy(orig, buf, size);
    int verdict = sgc_tfilter_run(&rn->tf, buf, size);
    if (verdict < 0) fail_msg("BPF_PROG_TEST_RUN: %s", strerror(-verdict));
    assert_true(verdict == SGC_TEST_PASS || verdict == SGC_TEST_DROP ||
                verdict == SGC_TEST_DROP_EARLY);
    tot->events++;
    if (verdict != SGC_TEST_PASS) {
        tot->kernel_drops++;
        rn->drops++;
    }
    bool is_exec = ((const struct sgc_event_hdr *)orig)->kind == SGC_REC_PROC_EXEC;
    if (is_exec) {
        tot->exec_events++;
        rn->execs++;
        if (verdict != SGC_TEST_PASS) tot->exec_drops++, rn->exec_drops++;
    }
    if (verdict == SGC_TEST_DROP_EARLY) tot->early_drops++;
    /* decode what the kernel returned (bitmap filled in) */
    sgc_evt ev;
    assert_int_equal(sgc_decode(buf, size, &ev), SGC_DECODE_OK);
    if (verdict == SGC_TEST_PASS) assert_true(ev.hdr->flags & SGC_EVF_CANDIDATES);

    /* the reference kernel evaluator, on the original record */
    sgc_evt oev;
    assert_int_equal(sgc_decode(orig, size, &oev), SGC_DECODE_OK);
    bool ref_pass = sgc_pushdown_eval(s->pd, &oev, rn->ref);
    bool disagree = ref_pass != (verdict == SGC_TEST_PASS);
    for (int w = 0; w < s->pd->cand_words && !disagree && ref_pass; w++)
        disagree = rn->ref[w] != ev.cand[w];
    int grp = ei->nr <= s->pd->max_nr ? s->pd->group_of_nr[ei->nr] : -1;
    for (int k = 0; grp >= 0 && k < s->pd->groups[grp].nkatoms; k++) {
        int ka = s->pd->groups[grp].katoms[k];
        if (is_exec && sgc_katom_eval(s->pd, ka, &oev) == SGC_K_UNKNOWN)
            tot->exec_undecided++;
        else if (is_exec)
            tot->exec_decided++;
        if (s->pd->katoms[ka]->src == SGC_KV_SOCK)
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->sock_true, &tot->sock_false,
                  &tot->sock_undecided);
        if (s->pd->katoms[ka]->kop == SGC_KOP_SOCKNAME)
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->sname_true, &tot->sname_false,
                  &tot->sname_undecided);
        if (s->pd->katoms[ka]->src == SGC_KV_UNAME)
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->name_true, &tot->name_false,
                  &tot->name_undecided);
        if (s->pd->katoms[ka]->src == SGC_KV_ANC)
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->anc_true, &tot->anc_false,
                  &tot->anc_undecided);
        if (is_exec &&
            (s->pd->katoms[ka]->src == SGC_KV_EXEC || s->pd->katoms[ka]->src == SGC_KV_XFLAG))
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->xf_true, &tot->xf_false,
                  &tot->xf_undecided);
        if (is_exec && s->pd->katoms[ka]->src == SGC_KV_EXEC &&
            (s->pd->katoms[ka]->idx == SGC_KEX_SLOT_CMDLINE ||
             s->pd->katoms[ka]->idx == SGC_KEX_SLOT_ARGS))
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->cl_true, &tot->cl_false,
                  &tot->cl_undecided);
        if (is_exec && s->pd->katoms[ka]->src == SGC_KV_ENV)
            tally(sgc_katom_eval(s->pd, ka, &oev), &tot->env_true, &tot->env_false,
                  &tot->env_undecided);
        if (s->pd->katoms[ka]->src != SGC_KV_PATH) continue;
        if (sgc_katom_eval(s->pd, ka, &oev) == SGC_K_UNKNOWN)
            tot->path_undecided++;
        else
            tot->path_decided++;
    }
    if (disagree && tot->ref_disagree++ < 5)
        fprintf(stderr, "BPF/reference disagreement (%s set): nr=%d bpf verdict %d, reference %s\n",
                s->label, ei->nr, verdict, ref_pass ? "pass" : "drop");

    /* the exact evaluator, with the process table the runtime would have */
    sgc_extract_ctx cx;
    sgc_proc *p = judge_with(rn->pt, &ev, &rn->arena, &cx);
    for (int r = 0; r < s->nrules; r++) {
        bool bit = verdict == SGC_TEST_PASS && ((ev.cand[r / 64] >> (r % 64)) & 1);
        tot->pairs++;
        rn->pairs++;
        if (!bit) tot->kernel_false++;
        if (!bit && is_exec) tot->exec_kernel_false++;
        rn->matched[r] = false;
        if (!s->exact[r]) continue;
        sgc_arena_reset(&rn->arena);
        sgc_extract_ctx_reset(&cx, &ev, p);
        if (!sgc_filter_eval(s->exact[r], &cx)) continue;
        rn->matched[r] = true;
        tot->matches++;
        rn->matches++;
        if (is_exec) tot->exec_matches++, rn->exec_matches++;
        if (!bit) {
            tot->counterexamples++;
            if (is_exec) tot->exec_counterexamples++;
            if (rn->bad++ < 10) {
                print_counterexample(s, r, ei, &ev, verdict, bit,
                                     ref_pass && ((rn->ref[r / 64] >> (r % 64)) & 1));
                if (is_exec && p) /* what the evaluator read: the image after the exec */
                    fprintf(stderr,
                            "  process after the exec: exe '%.200s' exepath '%.200s' cwd "
                            "'%.200s' exe flags %s%#x container '%s'\n",
                            p->img->exe, p->img->exepath, p->img->cwd,
                            p->img->has_exe_flags ? "" : "(none) ", p->img->exe_flags,
                            sgc_proc_container_id(p));
            }
        }
    }
}

/* Which kernel-readable values the set's kernel atoms use: the test is only
 * as good as this coverage. */
static void print_katom_census(const rule_set *s)
{
    int hdr = 0, ret = 0, reg = 0, path = 0, comm = 0, sock = 0, names = 0, anc = 0, xf = 0;
    int fails = 0;
    char members[512] = "";
    for (int i = 0; i < s->pd->nkatoms; i++) {
        const sgc_katom *k = s->pd->katoms[i];
        switch (k->src) {
        case SGC_KV_HDR:
            hdr++;
            if (!strstr(members, k->hdr_name) &&
                strlen(members) + strlen(k->hdr_name) + 2 < sizeof members) {
                strcat(members, " ");
                strcat(members, k->hdr_name);
            }
            break;
        case SGC_KV_RET: ret++; break;
        case SGC_KV_REG: reg++; break;
        case SGC_KV_PATH: path++; break;
        case SGC_KV_SOCK: sock++; break;
        case SGC_KV_UNAME: names++; break;
        case SGC_KV_ANC: anc++; break;
        case SGC_KV_EXEC:
        case SGC_KV_XFLAG: xf++; break;
        default: comm++; break;
        }
        fails += k->ret_guard;
    }
    fprintf(stderr,
            "  %s set: %d kernel atoms (header %d:%s; return value %d; registers %d; paths %d; "
            "comm %d; ancestors %d; sockets %d; user/group names %d; exec fields %d; "
            "%d with a failed-open value), %d string sets\n",
            s->label, s->pd->nkatoms, hdr, members, ret, reg, path, comm, anc, sock, names, xf,
            fails, s->pd->nsets);
}

/* The share (percent) of a set's events that are exec records, beyond the
 * execve events make_event turns into one. */
static int exec_share;

static void run_set(rule_set *s, int nevents, totals *tot)
{
    print_katom_census(s);
    runner rn;
    runner_open(&rn, s, tot);
    static _Alignas(8) unsigned char buf[SGC_RECORD_MAX];
    double t0 = sgc_tfilter_now();
    for (int e = 0; e < nevents; e++) {
        event_info ei;
        uint64_t ts = 1000000 + (uint64_t)e * 1000;
        size_t size = CHANCE(exec_share) ? make_exec_event(s, buf, sizeof buf, ts, &ei)
                                         : make_event(s, buf, sizeof buf, ts, &ei);
        assert_true(size > 0);
        /* the exec hook writes the process's sgc_cid entry before the filter */
        if (ei.exec) exec_cid_update(rn.tf.obj, &ei);
        runner_check(&rn, buf, size, &ei);
    }
    tot->run_s += sgc_tfilter_now() - t0;
    fprintf(stderr,
            "  %s set: %d rules, %d events, %ld pairs, %ld events dropped, %ld matches, %ld "
            "counterexamples; %ld exec records, %ld dropped, %ld matches "
            "(clang %.2fs, load %.2fs, %zu-byte object)\n",
            s->label, s->nrules, nevents, rn.pairs, rn.drops, rn.matches, rn.bad, rn.execs,
            rn.exec_drops, rn.exec_matches, rn.tf.compile_s, rn.tf.load_s, rn.tf.obj_size);
    runner_close(&rn);
}

static const char *bpf_unavailable_or_skip(void)
{
    static char why[256];
    const char *missing = sgc_tfilter_unavailable(why, sizeof why);
    if (missing) {
        const char *ci = getenv("CI");
        if (ci && !strcmp(ci, "true")) fail_msg("BPF soundness test cannot run on CI: %s", missing);
        fprintf(stderr, "SKIP: BPF soundness test needs BPF here: %s\n", missing);
    }
    return missing;
}

static void test_kernel_drop_implies_no_match(void **state)
{
    (void)state;
    if (bpf_unavailable_or_skip()) skip();
    uint64_t seed = (uint64_t)env_long("SGC_SOUND_SEED", 20261128);
    int nsets = (int)env_long("SGC_SOUND_SETS", 6);
    int nrules = (int)env_long("SGC_SOUND_RULES", 500);      /* even sets */
    int nsmall = (int)env_long("SGC_SOUND_SMALL_RULES", 40); /* odd sets: most events dropped */
    int nevents = (int)env_long("SGC_SOUND_EVENTS", 5000);
    int corpus_events = (int)env_long("SGC_SOUND_CORPUS_EVENTS", 20000);
    int exec_rules = (int)env_long("SGC_SOUND_EXEC_RULES", 80);
    int exec_events = (int)env_long("SGC_SOUND_EXEC_EVENTS", 8000);
    fprintf(stderr,
            "BPF soundness: seed %" PRIu64
            " (SGC_SOUND_SEED), %d generated sets of %d/%d rules x %d events, "
            "corpus set x %d events\n",
            seed, nsets, nrules, nsmall, nevents, corpus_events);
    init_long();
    init_path_args();
    totals tot = {0};
    double t0 = sgc_tfilter_now();
    for (int i = 0; i < nsets; i++) {
        rng_state = seed * 1000003u + (uint64_t)i;
        rule_set s;
        selective = i % 2;
        if (!build_generated(&s, i % 2 ? nsmall : nrules, NULL)) fail_msg("rule generation failed");
        run_set(&s, nevents, &tot);
        rs_free(&s);
    }
    if (nsets > 0) {
        rng_state = seed * 1000003u + 998;
        rule_set s;
        selective = false;
        if (!build_sockname_set(&s, 60)) fail_msg("socket name rule generation failed");
        run_set(&s, nevents, &tot);
        rs_free(&s);
    }
    /* exec records: a wide set, then small ones (few rules: the kernel
     * drops exec records) with and without the exec fields */
    for (int i = 0; exec_rules > 0 && i < 9; i++) {
        rng_state = seed * 1000003u + 980 + (uint64_t)i;
        exec_variant var = i == 0 ? EXEC_WIDE : i < 5 ? EXEC_KERNEL : EXEC_FIELDS;
        rule_set s;
        if (!build_exec_set(&s, i ? 1 + exec_rules / 80 : exec_rules, var))
            fail_msg("exec rule generation failed");
        exec_share = 60;
        run_set(&s, i ? exec_events / 12 : exec_events / 3, &tot);
        exec_share = 0;
        rs_free(&s);
    }
    if (corpus_events > 0) {
        rng_state = seed * 1000003u + 999;
        rule_set s;
        if (!build_corpus(&s)) fail_msg("corpus rule set failed to load");
        exec_share = 10; /* its spawned_process rules */
        run_set(&s, corpus_events, &tot);
        exec_share = 0;
        rs_free(&s);
    }
    fprintf(stderr,
            "BPF soundness summary: %ld (condition, event) pairs checked over %ld events in %d "
            "rule sets; "
            "kernel dropped %ld events (%ld early), %ld pairs kernel-FALSE, %ld exact matches, "
            "%ld counterexamples, %ld BPF/reference disagreements; path atoms decided %ld times, "
            "undecided %ld; socket atoms true %ld, false %ld, undecided %ld (names, tuples and "
            "addresses true %ld, false %ld, undecided %ld); user/group name "
            "atoms true %ld, false %ld, undecided %ld; "
            "ancestor atoms true %ld, false %ld, undecided %ld; "
            "exec records %ld (dropped %ld, %ld pairs kernel-FALSE, exact matches %ld, "
            "counterexamples %ld; execve group's kernel atoms on them decided %ld times, "
            "undecided %ld; exec field atoms true %ld, false %ld, undecided %ld; of them "
            "cmdline and args true %ld, false %ld, undecided %ld; env atoms true %ld, false "
            "%ld, undecided %ld); "
            "%d corpus rules not evaluable in userspace; "
            "clang %.1fs, load %.1fs, run %.1fs, total %.1fs\n",
            tot.pairs, tot.events, tot.sets, tot.kernel_drops, tot.early_drops, tot.kernel_false,
            tot.matches, tot.counterexamples, tot.ref_disagree, tot.path_decided,
            tot.path_undecided, tot.sock_true, tot.sock_false, tot.sock_undecided, tot.sname_true,
            tot.sname_false, tot.sname_undecided, tot.name_true, tot.name_false, tot.name_undecided,
            tot.anc_true, tot.anc_false, tot.anc_undecided, tot.exec_events, tot.exec_drops,
            tot.exec_kernel_false, tot.exec_matches, tot.exec_counterexamples, tot.exec_decided,
            tot.exec_undecided, tot.xf_true, tot.xf_false, tot.xf_undecided, tot.cl_true,
            tot.cl_false, tot.cl_undecided, tot.env_true, tot.env_false, tot.env_undecided,
            corpus_skipped, tot.compile_s, tot.load_s, tot.run_s, sgc_tfilter_now() - t0);
    assert_int_equal(tot.counterexamples, 0);
    assert_int_equal(tot.ref_disagree, 0);
    assert_true(tot.pairs >= 10000);
    /* the comparison means something only if both sides were exercised */
    assert_true(tot.kernel_drops > tot.events / 20);
    assert_true(tot.matches > 100);
    assert_true(tot.path_decided > tot.events / 20 && tot.path_undecided > tot.events / 20);
    /* socket atoms: decided both ways, and undecided (no tuple, failed accept, bind) */
    assert_true(tot.sock_true > 100 && tot.sock_false > 100 && tot.sock_undecided > 10);
    /* user and group names: decided both ways, and undecided (containers, no entry) */
    assert_true(tot.name_true > 50 && tot.name_false > 50 && tot.name_undecided > 50);
    /* socket names, tuples and addresses: matched, not matched, and left to
     * userspace (unix sockets named by their address, binds, no tuple) */
    assert_true(tot.sname_true > 10 && tot.sname_false > 100 && tot.sname_undecided > 10);
    /* proc.aname: matched, not matched or past the root, and undecided */
    assert_true(tot.anc_true > 100 && tot.anc_false > 100 && tot.anc_undecided > 10);
    /* exec records: the kernel dropped some, the evaluator matched some; the
     * exec fields decided both ways, and left undecided (missing, flagged,
     * long blobs) */
    assert_true(exec_rules <= 0 ||
                (tot.exec_events > 1000 && tot.exec_drops > 100 && tot.exec_matches > 100));
    assert_true(exec_rules <= 0 ||
                (tot.xf_true > 100 && tot.xf_false > 100 && tot.xf_undecided > 100));
    /* proc.cmdline, proc.args and proc.env the same (cut, faulted, missing,
     * long, an empty comm) */
    assert_true(exec_rules <= 0 ||
                (tot.cl_true > 100 && tot.cl_false > 100 && tot.cl_undecided > 100));
    assert_true(exec_rules <= 0 ||
                (tot.env_true > 50 && tot.env_false > 50 && tot.env_undecided > 50));
}

/* Issue 18: 2,000+ rules over lists of thousands of items, the filter split
 * into chunks: still no event a rule matches is dropped. */
static void test_scale_drop_implies_no_match(void **state)
{
    (void)state;
    if (bpf_unavailable_or_skip()) skip();
    int nrules = (int)env_long("SGC_SOUND_SCALE_RULES", 2000);
    int nitems = (int)env_long("SGC_SOUND_SCALE_ITEMS", 10000);
    int nevents = (int)env_long("SGC_SOUND_SCALE_EVENTS", 4000);
    init_long();
    init_path_args();
    rng_state = (uint64_t)env_long("SGC_SOUND_SEED", 20261128) * 1000003u + 18;
    totals tot = {0};
    rule_set s;
    char path[64];
    bool ok = build_scale(&s, nrules, nitems, path, sizeof path);
    unlink(path);
    if (!ok) fail_msg("the scale rule set failed to build");
    int chunks = 0, guarded = 0, unions = 0;
    for (int g = 0; g < s.pd->ngroups; g++) {
        sgc_pd_split sp;
        sgc_pd_split_group(s.pd, g, 0, 0, &sp);
        chunks += sp.nchunks;
        for (int c = 0; c < sp.nchunks; c++) guarded += sp.chunks[c].guard != NULL;
        sgc_pd_split_free(&sp);
    }
    for (int i = 0; i < s.pd->nsets; i++) unions += s.pd->sets[i]->guard;
    fprintf(stderr,
            "scale set: %d rules, lists of %d items, %d sets, %d groups in %d chunks, %d with an "
            "index guard, %d guard sets\n",
            s.nrules, nitems, s.pd->nsets, s.pd->ngroups, chunks, guarded, unions);
    int ngroups = s.pd->ngroups;
    run_set(&s, nevents, &tot);
    rs_free(&s);
    fprintf(stderr,
            "scale summary: %ld pairs, %ld events dropped, %ld matches, %ld counterexamples, %ld "
            "disagreements\n",
            tot.pairs, tot.kernel_drops, tot.matches, tot.counterexamples, tot.ref_disagree);
    assert_true(chunks > ngroups || nrules < 512); /* the split was exercised */
    /* and the index (pushdown_index.h): chunk guards, union sets among them */
    assert_true((guarded > 0 && unions > 0) || nrules < 512);
    assert_int_equal(tot.counterexamples, 0);
    assert_int_equal(tot.ref_disagree, 0);
    assert_true(tot.kernel_drops > 0);
    assert_true(tot.matches > 0);
}

/* ---- live: real syscalls through the attached capture programs -------------
 * Two capture instances on the same hooks: an oracle with the kernel filter
 * bypassed (--no-pushdown: every event of the watched syscalls reaches
 * userspace) and one with the generated filter. A child process performs
 * real opens, creats, unlinks, renames, socket and ptrace calls... on files
 * of a private directory and on read-only system paths. Every oracle record
 * of the child is evaluated exactly; a rule it matches must come with the
 * pushdown instance's record of the same syscall, its bit set. */

typedef struct live_log {
    uint32_t pid;
    bool execs;
    unsigned char **v;
    size_t *size;
    int n, cap;
} live_log;

static void live_log_add(live_log *l, const void *rec, size_t size)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        l->size = realloc(l->size, (size_t)l->cap * sizeof *l->size);
        if (!l->v || !l->size) abort();
    }
    unsigned char *copy = aligned_alloc(8, (size + 7) & ~(size_t)7);
    if (!copy) abort();
    memcpy(copy, rec, size);
    l->v[l->n] = copy;
    l->size[l->n++] = size;
}

/* The child's syscall records, or (l->execs) the exec records of its
 * processes (live_exec_child). */
static int live_on_record(void *ctx, const void *rec, size_t size)
{
    live_log *l = ctx;
    const struct sgc_event_hdr *h = rec;
    if (size < sizeof *h) return 0;
    if (l->execs ? h->kind == SGC_REC_PROC_EXEC && h->ppid == l->pid
                 : h->kind == SGC_REC_SYSCALL && h->pid == l->pid)
        live_log_add(l, rec, size);
    return 0;
}

static void live_log_free(live_log *l)
{
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    free(l->size);
    memset(l, 0, sizeof *l);
}

static const int live_nrs[] = {
    __NR_open,    __NR_openat,  __NR_creat,  __NR_unlinkat, __NR_unlink, __NR_mkdir,  __NR_rmdir,
    __NR_rename,  __NR_symlink, __NR_chmod,  __NR_socket,   __NR_ptrace, __NR_setuid, __NR_setgid,
    __NR_connect, __NR_bind,    __NR_listen, __NR_accept4,  __NR_accept, __NR_sendto, __NR_sendmsg};

static const char *live_path(char *buf, size_t cap, bool writable)
{
    static const char *const sys_paths[] = {
        "/etc/shadow",   "/etc/passwd",        "/etc",           "/etc/",       "/etc//passwd",
        "/etc/./passwd", "/etc/../etc/passwd", "/nonexistent/x", "/usr/bin/ls", "/dev/shm",
        "/proc/1/mem"};
    static const char *const rel[] = {"a.log", "sub/c.log", "./b", "sub", "../x", "x y.log"};
    int k = PICK(10);
    if (!writable && k < 3)
        snprintf(buf, cap, "%s", ANY(sys_paths));
    else if (k < 5)
        snprintf(buf, cap, "%s", ANY(rel));
    else if (k < 6)
        snprintf(buf, cap, "%s%s", live_dir, CHANCE(50) ? "//a.log" : "/sub/../a.log");
    else
        snprintf(buf, cap, "%s%s", live_dir, ANY(live_names));
    if (writable && !strcmp(buf, "../x")) snprintf(buf, cap, "%s/b", live_dir);
    return buf;
}

/* Defence in depth for a test that makes random writes as root: in a private
 * mount namespace, the root is made read-only and only dir stays writable, so
 * no bug in the action generator can damage the host. */
static int confine_writes_to(const char *dir)
{
    if (unshare(CLONE_NEWNS)) return -1;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) return -1;
    /* dir becomes a mount of its own, so it keeps its own (writable) flags */
    if (mount(dir, dir, NULL, MS_BIND, NULL)) return -1;
    /* per-mount flags of this namespace's copy of the root mount only */
    return mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}

/* The child's actions; syscall() so each is exactly the syscall named. */
/* Loopback traffic for the socket atoms: TCP and UDP, IPv4, IPv6 and
 * IPv4-mapped IPv6, bound to an ephemeral or a privileged port, connected or
 * not, accept/accept4, sendto with and without an address, sendmsg. */
static void live_net(void)
{
    int fam = CHANCE(60) ? AF_INET : AF_INET6;
    bool mapped = fam == AF_INET6 && CHANCE(40);
    int type = CHANCE(60) ? SOCK_STREAM : SOCK_DGRAM;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    static const uint16_t ports[] = {0, 0, 0, 443, 1022, 6379};
    uint16_t port = ANY(ports);
    if (fam == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        inet_pton(AF_INET, CHANCE(80) ? "127.0.0.1" : "127.0.0.2", &a->sin_addr);
        sl = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        inet_pton(AF_INET6, mapped ? "::" : "::1", &a->sin6_addr);
        sl = sizeof *a;
    }
    int srv = socket(fam, type | SOCK_NONBLOCK, 0); /* accept never waits */
    if (srv < 0) return;
    int one = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (CHANCE(90)) syscall(SYS_bind, srv, &ss, sl);
    if (type == SOCK_STREAM && CHANCE(90)) syscall(SYS_listen, srv, 4);
    /* the server's address, as a client reaches it */
    struct sockaddr_storage to;
    socklen_t tl = sizeof to;
    if (getsockname(srv, (struct sockaddr *)&to, &tl) < 0) tl = 0;
    if (mapped && tl) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;
        inet_pton(AF_INET6, "::ffff:127.0.0.1", &a->sin6_addr);
    }
    int cli = socket(fam, type, 0); /* loopback: connect completes at once */
    if (cli >= 0 && tl) {
        bool conn = CHANCE(70) && syscall(SYS_connect, cli, &to, tl) == 0;
        if (type == SOCK_STREAM && conn) {
            int acc = (int)syscall(CHANCE(50) ? SYS_accept4 : SYS_accept, srv, NULL, NULL, 0);
            if (acc >= 0) {
                syscall(SYS_sendto, acc, "y", 1, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
                close(acc);
            }
        }
        syscall(SYS_sendto, cli, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL,
                CHANCE(50) ? (void *)&to : NULL, CHANCE(50) ? tl : 0);
        struct iovec iov = {"z", 1};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (CHANCE(50)) {
            mh.msg_name = &to;
            mh.msg_namelen = tl;
        }
        syscall(SYS_sendmsg, cli, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    if (cli >= 0) close(cli);
    close(srv);
}

static void live_child(int nactions)
{
    static const char *const comms[] = {"bash",    "cat", "sshd", "dpkg-preconfigure",
                                        "python3", "sh"};
    if (confine_writes_to(live_dir)) _exit(3);
    if (chdir(live_dir)) _exit(2);
    char p[512], q[512];
    for (int i = 0; i < nactions; i++) {
        if (i % 8 == 0) prctl(PR_SET_NAME, ANY(comms), 0, 0, 0);
        static const int fl[] = {O_RDONLY,
                                 O_WRONLY | O_CREAT,
                                 O_RDWR | O_TRUNC,
                                 O_RDONLY | O_DIRECTORY,
                                 O_RDONLY | O_CLOEXEC,
                                 O_WRONLY | O_APPEND,
                                 O_RDWR | O_CREAT | O_EXCL};
        int flags = ANY(fl);
        bool writes = flags != O_RDONLY && flags != (O_RDONLY | O_DIRECTORY) &&
                      flags != (O_RDONLY | O_CLOEXEC);
        long r = -1;
        switch (PICK(15)) {
        case 0:
        case 1:
        case 2:
            r = syscall(SYS_openat, AT_FDCWD, live_path(p, sizeof p, writes), flags, 0644);
            break;
        case 3: r = syscall(SYS_open, live_path(p, sizeof p, writes), flags, 0644); break;
        case 4:
            r = syscall(SYS_creat, live_path(p, sizeof p, true), CHANCE(50) ? 0644 : 0755);
            break;
        case 5: syscall(SYS_unlinkat, AT_FDCWD, live_path(p, sizeof p, true), 0); break;
        case 6: syscall(SYS_mkdir, live_path(p, sizeof p, true), 0755); break;
        case 7: syscall(CHANCE(50) ? SYS_rmdir : SYS_unlink, live_path(p, sizeof p, true)); break;
        case 8:
            syscall(SYS_rename, live_path(p, sizeof p, true), live_path(q, sizeof q, true));
            break;
        case 9:
            /* The link gets a name no other action uses: a link named like a
             * working file would let later writes go through it to its
             * (system) target. */
            snprintf(q, sizeof q, "%s/lnk%d", live_dir, PICK(4));
            syscall(SYS_symlink, live_path(p, sizeof p, false), q);
            break;
        case 10: syscall(SYS_chmod, live_path(p, sizeof p, true), CHANCE(50) ? 0600 : 0755); break;
        case 11: {
            static const int dom[] = {AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK};
            r = syscall(SYS_socket, ANY(dom), SOCK_DGRAM, 0);
            break;
        }
        case 13:
        case 14: live_net(); break;
        default: {
            static const long req[] = {PTRACE_ATTACH, PTRACE_SEIZE, PTRACE_PEEKDATA,
                                       PTRACE_POKETEXT};
            if (CHANCE(70))
                syscall(SYS_ptrace, ANY(req), 999999, 0, 0);
            else
                syscall(CHANCE(50) ? SYS_setuid : SYS_setgid, 0);
            break;
        }
        }
        if (r >= 0) close((int)r);
    }
    _exit(0);
}

static int live_fill_maps(void *ud, struct bpf_object *obj, char *err, size_t errlen)
{
    return sgc_bpf_gen_populate(ud, obj, err, errlen);
}

/* The same call: also the same credentials and comm, which the child changes
 * between calls with identical arguments (two mkdir of one path, one as
 * 'aaaaaaaaaaaaaaa' that the kernel drops, one as 'cat' that it passes, must
 * not pair the oracle's first with the pushdown's second). */
static bool same_syscall(const struct sgc_event_hdr *a, const struct sgc_event_hdr *b)
{
    return a->nr == b->nr && a->tid == b->tid && a->ret == b->ret &&
           !memcmp(a->args, b->args, sizeof a->args) && !memcmp(a->comm, b->comm, sizeof a->comm) &&
           a->uid == b->uid && a->euid == b->euid && a->loginuid == b->loginuid;
}

/* Runs after the live test, failed or not: its directory goes. */
static int live_teardown(void **state)
{
    (void)state;
    if (live_dir[0]) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", live_dir);
        if (system(cmd)) {}
        live_dir[0] = 0;
    }
    return 0;
}

/* The live tests' start: the seed's randomness (salted), a private
 * directory (live_dir). Returns the seed. */
static uint64_t live_begin(uint64_t salt)
{
    uint64_t seed = (uint64_t)env_long("SGC_SOUND_SEED", 20261128);
    rng_state = seed * 1000003u + salt;
    init_long();
    init_path_args();
    snprintf(live_dir, sizeof live_dir, "/tmp/sgc-live-XXXXXX");
    assert_non_null(mkdtemp(live_dir));
    return seed;
}

/* Capture options with the object of rule set s's filter (g: its generated
 * source; the caller frees obj_data), the reader woken for each record. */
static struct sgc_bpf_options live_object(const rule_set *s, sgc_bpf_gen *g)
{
    char err[512];
    assert_int_equal(sgc_codegen_bpf(s->pd, g), 0);
    sgc_bpf_build_opts bo = {.lpm_entries = g->lpm_entries,
                             .comm_entries = g->comm_entries,
                             .addr_entries = g->addr_entries};
    uint8_t *obj = NULL;
    size_t objlen = 0;
    if (sgc_bpf_build(g->source, g->source_len, g->cand_words, &bo, &obj, &objlen, err, sizeof err))
        fail_msg("%s: %s", s->label, err);
    struct sgc_bpf_options o = sgc_bpf_default_options();
    o.obj_data = obj;
    o.obj_size = objlen;
    o.wakeup_bytes = 0;
    return o;
}

/* A child that runs body(n) once the parent writes to *go_w. */
static pid_t live_fork(void (*body)(int), int n, int *go_w)
{
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1) _exit(3);
        body(n);
    }
    close(go[0]);
    *go_w = go[1];
    return child;
}

/* Start the child, deliver the instances' records until it exited and
 * 0.2 s more, then every pending one; its exit status. */
static int live_run(struct sgc_bpf *const *b, int nb, pid_t child, int go_w)
{
    double t0 = sgc_tfilter_now();
    assert_int_equal(write(go_w, "g", 1), 1);
    close(go_w);
    int status = 0;
    bool done = false;
    while (!done || sgc_tfilter_now() - t0 < 0.2) {
        for (int i = 0; i < nb; i++) sgc_bpf_poll(b[i], 10);
        if (!done && waitpid(child, &status, WNOHANG) == child) done = true, t0 = sgc_tfilter_now();
    }
    for (int i = 0; i < nb; i++) sgc_bpf_drain(b[i]);
    return status;
}

static void test_live_syscalls(void **state)
{
    (void)state;
    if (bpf_unavailable_or_skip()) skip();
    int nactions = (int)env_long("SGC_SOUND_LIVE_ACTIONS", 3000);
    int nrules = (int)env_long("SGC_SOUND_LIVE_RULES", 60);
    if (nactions <= 0) skip();
    uint64_t seed = live_begin(777);

    rule_set s;
    selective = true; /* rules restricted to their event types: the kernel drops most events */
    assert_true(build_generated(&s, nrules, NULL));
    selective = false;
    s.label = "live";
    char err[512];
    sgc_bpf_gen g;
    struct sgc_bpf_options oo = live_object(&s, &g);
    void *obj = (void *)oo.obj_data;
    live_log olog = {0}, plog = {0};
    oo.syscalls = live_nrs;
    oo.nsyscalls = sizeof live_nrs / sizeof *live_nrs;
    oo.proc_events = false;
    if (getenv("SGC_SOUND_LIVE_RAW")) oo.strategy = SGC_HOOK_RAW_SYSCALLS;
    struct sgc_bpf_options po = oo;
    oo.nopushdown = true;
    po.before_attach = live_fill_maps;
    po.before_attach_ud = &g;

    int go_w;
    pid_t child = live_fork(live_child, nactions, &go_w);
    olog.pid = plog.pid = (uint32_t)child;
    struct sgc_bpf *ob = sgc_bpf_open(&oo, live_on_record, &olog, err, sizeof err);
    struct sgc_bpf *pb = ob ? sgc_bpf_open(&po, live_on_record, &plog, err, sizeof err) : NULL;
    if (!ob || !pb) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        sgc_bpf_close(ob);
        fail_msg(
            "live: the capture programs with this rule set's filter do not load or attach (a rule "
            "set sgc cannot run, not a soundness counterexample; SGC_SOUND_SEED=%" PRIu64 "): %s",
            seed, err);
    }
    struct sgc_bpf *both[] = {ob, pb};
    int status = live_run(both, 2, child, go_w);
    struct sgc_bpf_counters oc = {0}, pc = {0};
    sgc_bpf_read_counters(ob, &oc);
    sgc_bpf_read_counters(pb, &pc);
    sgc_bpf_close(ob);
    sgc_bpf_close(pb);
    free(obj);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* exact evaluation of every oracle record; the pushdown instance's
     * records are a subsequence of the oracle's (one thread, same order) */
    totals tot = {0};
    sgc_proctable *pt = sgc_proctable_new(NULL);
    sgc_proc_image_spec spec = {0};
    spec.exe = "test_bpf_soundness";
    spec.exe_len = strlen(spec.exe);
    spec.cwd = live_dir;
    spec.cwd_len = strlen(live_dir);
    sgc_proctable_exec(pt, (uint32_t)child, &spec, 1);
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    int j = 0;
    for (int i = 0; i < olog.n; i++) {
        sgc_evt ev, pev;
        assert_int_equal(sgc_decode(olog.v[i], olog.size[i], &ev), SGC_DECODE_OK);
        bool present = j < plog.n && same_syscall((const struct sgc_event_hdr *)plog.v[j], ev.hdr);
        if (present) {
            assert_int_equal(sgc_decode(plog.v[j], plog.size[j], &pev), SGC_DECODE_OK);
            j++;
        } else {
            tot.kernel_drops++;
        }
        tot.events++;
        /* the socket atoms' values on this live record (the reference) */
        int grp = ev.hdr->nr <= (uint32_t)s.pd->max_nr ? s.pd->group_of_nr[ev.hdr->nr] : -1;
        for (int k = 0; grp >= 0 && k < s.pd->groups[grp].nkatoms; k++) {
            int ka = s.pd->groups[grp].katoms[k];
            if (s.pd->katoms[ka]->src == SGC_KV_ANC) /* the real chain of the child */
                tally(sgc_katom_eval(s.pd, ka, &ev), &tot.anc_true, &tot.anc_false,
                      &tot.anc_undecided);
            if (s.pd->katoms[ka]->src != SGC_KV_SOCK) continue;
            tally(sgc_katom_eval(s.pd, ka, &ev), &tot.sock_true, &tot.sock_false,
                  &tot.sock_undecided);
        }
        sgc_extract_ctx cx;
        sgc_proc *p = judge_with(pt, &ev, &arena, &cx);
        for (int r = 0; r < s.nrules; r++) {
            bool bit = present && sgc_evt_is_candidate(&pev, (unsigned)r);
            tot.pairs++;
            if (!bit) tot.kernel_false++;
            sgc_arena_reset(&arena);
            sgc_extract_ctx_reset(&cx, &ev, p);
            if (!sgc_filter_eval(s.exact[r], &cx)) continue;
            tot.matches++;
            if (!bit && tot.counterexamples++ < 10) {
                event_info ei = {.nr = (int)ev.hdr->nr};
                print_counterexample(&s, r, &ei, &ev, present ? SGC_TEST_PASS : SGC_TEST_DROP, bit,
                                     false);
            }
        }
    }
    bool lost = oc.rb_fail || pc.rb_fail || oc.no_scratch || pc.no_scratch;
    int unmatched = plog.n - j, nrecords = olog.n;
    fprintf(
        stderr,
        "BPF soundness (live): %d rules, %d child actions: %d oracle records, %d pushdown records, "
        "%ld (condition, event) pairs, %ld events dropped by the kernel, %ld exact matches, "
        "%ld counterexamples, %d pushdown records unmatched; socket atoms true %ld, false %ld, "
        "undecided %ld; ancestor atoms true %ld, false %ld, undecided %ld%s\n",
        s.nrules, nactions, olog.n, plog.n, tot.pairs, tot.kernel_drops, tot.matches,
        tot.counterexamples, unmatched, tot.sock_true, tot.sock_false, tot.sock_undecided,
        tot.anc_true, tot.anc_false, tot.anc_undecided,
        lost ? " (records were lost: not conclusive)" : "");
    if (lost)
        fprintf(stderr,
                "  lost: oracle ring buffer %" PRIu64 ", no scratch %" PRIu64
                "; pushdown ring buffer %" PRIu64 ", no scratch %" PRIu64 "\n",
                oc.rb_fail, oc.no_scratch, pc.rb_fail, pc.no_scratch);
    sgc_arena_free(&arena);
    sgc_proctable_free(pt);
    live_log_free(&olog);
    live_log_free(&plog);
    sgc_bpf_gen_free(&g);
    rs_free(&s);
    if (lost) return;
    assert_int_equal(tot.counterexamples, 0);
    assert_int_equal(unmatched, 0); /* every pushdown record is one of the oracle's */
    /* both sides exercised (with many rules the kernel rarely drops: not required then) */
    assert_true(nrecords >= nactions / 2 && tot.matches > 0);
    assert_true(nrules > 100 || tot.kernel_drops > 0);
    /* the loopback traffic's tuples decided socket atoms (which way depends on
     * the seed's rules: the generated sets above check both ways) */
    assert_true(nrules < 40 || tot.sock_true + tot.sock_false > 0);
}

/* ---- live execs: real exec records through the capture's exec hook ---------
 * One capture instance with an exec rule set's filter (sgc_exec_record runs
 * the execve group's filter on each exec record, sent either way, dropped
 * ones with an empty candidate bitmap) and a child whose processes exec
 * copies of /bin/true: from the live directory, /dev/shm, a memfd
 * (fexecve), by a relative name; with argv[0] from the exec constants, in
 * the cwds the rules name. Each exec record of the child's processes is
 * evaluated exactly, through a process table as the runtime does: a rule it
 * matches must be among the record's candidates. */

static char shm_exe[64]; /* the copy of /bin/true in /dev/shm */

static bool copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    bool ok = in >= 0 && out >= 0;
    char buf[65536];
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof buf)) > 0) ok = write(out, buf, (size_t)n) == n;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return ok;
}

static void live_exec_child(int nexecs)
{
    if (confine_writes_to(live_dir)) _exit(3);
    static char img[8 << 20];
    int bf = open("/bin/true", O_RDONLY);
    ssize_t imglen = bf >= 0 ? read(bf, img, sizeof img) : -1;
    if (bf >= 0) close(bf);
    char xpath[192], sub[192];
    snprintf(xpath, sizeof xpath, "%s/x", live_dir);
    snprintf(sub, sizeof sub, "%s/sub", live_dir);
    const char *const dirs[] = {live_dir, sub, "/dev/shm", "/", "/tmp", "/etc"};
    for (int i = 0; i < nexecs; i++) {
        int kind = PICK(5);
        const char *path = kind == 0   ? xpath
                           : kind == 1 ? shm_exe
                           : kind == 2 ? "/bin/true"
                           : kind == 3 ? "./x"
                                       : NULL; /* a memfd */
        const char *cwd = kind == 3 ? live_dir : ANY(dirs);
        char *argv[] = {(char *)(CHANCE(60) ? ANY(exec_argv0s)
                                 : path     ? path
                                            : "memfd:x"),
                        "-c", "x", NULL, NULL};
        if (CHANCE(20)) argv[1] = NULL;
        if (argv[1] && CHANCE(40)) { /* the command-line atoms' words */
            argv[1] = (char *)ANY(exec_words);
            argv[2] = (char *)ANY(exec_words);
            argv[3] = CHANCE(50) ? (char *)ANY(cmdline_consts) : NULL;
        }
        /* the environment, cut at the capture's env_max (256) at times */
        static char big[400];
        snprintf(big, sizeof big, "X=%0300d", 0);
        char *envp[] = {"PATH=/bin", "HOME=/root", NULL, NULL};
        if (CHANCE(30)) envp[2] = CHANCE(50) ? (char *)ANY(env_consts) : "glibc_Tunables=x";
        if (CHANCE(15)) envp[0] = big;
        const char *mname = CHANCE(50) ? "x" : "runc_cloned:/proc/self/exe";
        pid_t g = fork();
        if (g == 0) {
            if (chdir(cwd)) _exit(2);
            if (!path) {
                int fd = (int)syscall(SYS_memfd_create, mname, 0);
                if (fd < 0 || imglen <= 0 || write(fd, img, (size_t)imglen) != imglen) _exit(4);
                syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
            } else {
                syscall(SYS_execve, path, argv, envp);
            }
            _exit(127);
        }
        if (g > 0) waitpid(g, NULL, 0);
    }
    _exit(0);
}

static int live_exec_teardown(void **state)
{
    if (shm_exe[0]) unlink(shm_exe);
    shm_exe[0] = 0;
    nlive_exec_consts = 0;
    return live_teardown(state);
}

/* One round: a rule set of nrules exec rules, nexecs execs. */
static void live_exec_round(int nrules, int nexecs, totals *tot, bool *lost)
{
    rule_set s;
    assert_true(build_exec_set(&s, nrules, EXEC_FIELDS));
    s.label = "live exec";
    char err[512];
    sgc_bpf_gen g;
    static const int nrs[] = {__NR_execve, __NR_execveat};
    struct sgc_bpf_options po = live_object(&s, &g);
    void *obj = (void *)po.obj_data;
    po.syscalls = nrs;
    po.nsyscalls = 2;
    po.proc_events = true;
    po.env_max = 256;
    po.before_attach = live_fill_maps;
    po.before_attach_ud = &g;

    live_log log = {.execs = true};
    int go_w;
    pid_t child = live_fork(live_exec_child, nexecs, &go_w);
    log.pid = (uint32_t)child;
    struct sgc_bpf *pb = sgc_bpf_open(&po, live_on_record, &log, err, sizeof err);
    if (!pb) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        fail_msg("live exec: the capture programs with this rule set's filter do not load or "
                 "attach: %s",
                 err);
    }
    int status = live_run(&pb, 1, child, go_w);
    struct sgc_bpf_counters pc = {0};
    sgc_bpf_read_counters(pb, &pc);
    sgc_bpf_close(pb);
    free(obj);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    *lost |= pc.rb_fail || pc.no_scratch;

    sgc_proctable *pt = sgc_proctable_new(NULL);
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    long bad = 0, drops = 0, matches = 0;
    for (int i = 0; i < log.n; i++) {
        sgc_evt ev;
        assert_int_equal(sgc_decode(log.v[i], log.size[i], &ev), SGC_DECODE_OK);
        bool judged = ev.hdr->flags & SGC_EVF_CANDIDATES, any = !judged;
        for (int r = 0; r < s.nrules && !any; r++) any = sgc_evt_is_candidate(&ev, (unsigned)r);
        drops += !any;
        tot->exec_events++;
        tot->exec_drops += !any;
        sgc_extract_ctx cx;
        sgc_proc *p = judge_with(pt, &ev, &arena, &cx);
        for (int r = 0; r < s.nrules; r++) {
            bool bit = sgc_evt_is_candidate(&ev, (unsigned)r);
            tot->pairs++;
            if (!bit) tot->exec_kernel_false++;
            sgc_arena_reset(&arena);
            sgc_extract_ctx_reset(&cx, &ev, p);
            if (!sgc_filter_eval(s.exact[r], &cx)) continue;
            matches++;
            tot->exec_matches++;
            if (bit) continue;
            tot->exec_counterexamples++;
            if (bad++ < 10) {
                event_info ei = {.nr = (int)ev.hdr->nr};
                print_counterexample(&s, r, &ei, &ev, any ? SGC_TEST_PASS : SGC_TEST_DROP, bit,
                                     false);
            }
        }
    }
    fprintf(stderr,
            "  live exec set: %d rules, %d execs: %d exec records, %ld dropped, %ld exact "
            "matches, %ld counterexamples (exec_no_rule counter, every process: %" PRIu64 ")\n",
            s.nrules, nexecs, log.n, drops, matches, bad, pc.exec_no_rule);
    tot->counterexamples += bad;
    tot->events += log.n;
    sgc_arena_free(&arena);
    sgc_proctable_free(pt);
    live_log_free(&log);
    sgc_bpf_gen_free(&g);
    rs_free(&s);
}

static void test_live_execs(void **state)
{
    (void)state;
    if (bpf_unavailable_or_skip()) skip();
    int nexecs = (int)env_long("SGC_SOUND_LIVE_EXECS", 300);
    if (nexecs <= 0) skip();
    live_begin(555);
    char p[192];
    snprintf(p, sizeof p, "%s/sub", live_dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/x", live_dir);
    assert_true(copy_file("/bin/true", p));
    snprintf(shm_exe, sizeof shm_exe, "/dev/shm/sgc-sound-%d", (int)getpid());
    if (!copy_file("/bin/true", shm_exe)) shm_exe[0] = 0;
    const char *consts[] = {p, shm_exe[0] ? shm_exe : "/usr/bin/true", "/usr/bin/true", live_dir};
    nlive_exec_consts = 0;
    for (size_t i = 0; i < sizeof consts / sizeof *consts; i++)
        snprintf(live_exec_consts[nlive_exec_consts++], sizeof live_exec_consts[0], "%s",
                 consts[i]);
    snprintf(live_exec_consts[nlive_exec_consts++], sizeof live_exec_consts[0], "%s/", live_dir);
    snprintf(live_exec_consts[nlive_exec_consts++], sizeof live_exec_consts[0], "%s/sub/",
             live_dir);

    totals tot = {0};
    bool lost = false;
    /* rule sets of a rule or a few (the kernel drops execs), then more */
    static const int sizes[] = {1, 1, 1, 2, 3, 12};
    int nsizes = (int)(sizeof sizes / sizeof *sizes);
    for (int i = 0; i < nsizes; i++) live_exec_round(sizes[i], nexecs / nsizes, &tot, &lost);
    fprintf(stderr,
            "BPF soundness (live execs): %ld exec records, %ld dropped by the kernel, %ld (rule, "
            "exec) pairs kernel-FALSE, %ld exact matches, %ld counterexamples%s\n",
            tot.exec_events, tot.exec_drops, tot.exec_kernel_false, tot.exec_matches,
            tot.exec_counterexamples, lost ? " (records were lost: not conclusive)" : "");
    if (lost) return;
    assert_int_equal(tot.exec_counterexamples, 0);
    /* most execs ran (a /dev/shm mounted noexec refuses some) and both
     * sides were exercised: rules matched, rules left out of the candidates */
    assert_true(tot.exec_events >= nexecs / 2 && tot.exec_matches > 0 &&
                tot.exec_kernel_false > nexecs / 4);
}

/* ---- regressions: counterexamples this test found, kept as cases ------------ */

typedef struct reg_case {
    const char *cond;
    int nr;
    int64_t ret;
    uint32_t euid, loginuid;
    uint64_t args[SGC_NARGS];
    const char *path; /* string argument blob, or NULL */
    int path_arg;
    bool match; /* the exact evaluator matches (so the kernel must pass it) */
} reg_case;

static const reg_case regressions[] = {
    /* user.loginuid is -1 when unset, else the unsigned value: the kernel
     * compared it as a signed 32-bit number (0x80000000.. negative) */
    {"evt.type = setuid and user.loginuid >= 0",
     __NR_setuid,
     0,
     0,
     0x80000000u,
     {0},
     NULL,
     0,
     true},
    {"evt.type = setuid and user.loginuid >= 65534",
     __NR_setuid,
     0,
     0,
     0xfffffffdu,
     {0},
     NULL,
     0,
     true},
    {"evt.type = setuid and user.loginuid = -1",
     __NR_setuid,
     0,
     0,
     0xffffffffu,
     {0},
     NULL,
     0,
     true},
    {"evt.type = setuid and user.loginuid in (-1, 5)",
     __NR_setuid,
     0,
     0,
     0xffffffffu,
     {0},
     NULL,
     0,
     true},
    {"evt.type = setuid and not user.loginuid = 4294967295",
     __NR_setuid,
     0,
     0,
     0xffffffffu,
     {0},
     NULL,
     0,
     true},
    {"evt.type = setuid and user.loginuid < 1000",
     __NR_setuid,
     0,
     0,
     0xffffffffu,
     {0},
     NULL,
     0,
     true},
    /* numeric constants are decimal in the evaluator: 0x10 is not 16, 010 not 8 */
    {"evt.type = setuid and not user.uid <= 0x10", __NR_setuid, 0, 15, 0, {0}, NULL, 0, true},
    {"evt.type = setuid and not user.uid = 010", __NR_setuid, 0, 8, 0, {0}, NULL, 0, true},
    /* a failed open: fd.num is -1 and fd.typechar f (libsinsp), not <NA> */
    {"evt.type = openat and fd.num != -11",
     __NR_openat,
     -11,
     0,
     0,
     {(uint64_t)-100, 0, 0},
     "/etc/x",
     1,
     true},
    {"evt.type = openat and fd.num = -1",
     __NR_openat,
     -2,
     0,
     0,
     {(uint64_t)-100, 0, 0},
     "/etc/x",
     1,
     true},
    {"evt.type in (openat, open) and fd.typechar = f",
     __NR_openat,
     -13,
     0,
     0,
     {(uint64_t)-100, 0, O_DIRECTORY},
     "/etc/x",
     1,
     true},
    {"evt.type = openat and not fd.typechar = d",
     __NR_openat,
     -2,
     0,
     0,
     {(uint64_t)-100, 0, O_DIRECTORY},
     "/etc",
     1,
     true},
    /* creat: is_open_exec depends on the mode, it is not always true */
    {"evt.type = creat and evt.is_open_exec = false",
     __NR_creat,
     3,
     0,
     0,
     {0, 0644},
     "/tmp/x",
     0,
     true},
};

static void test_regressions(void **state)
{
    (void)state;
    if (bpf_unavailable_or_skip()) skip();
    int n = (int)(sizeof regressions / sizeof *regressions);
    const char *texts[64];
    for (int i = 0; i < n; i++) texts[i] = regressions[i].cond;
    rng_state = 1;
    init_long();
    rule_set s;
    assert_true(build_generated(&s, n, texts));
    s.label = "regression";
    totals tot = {0};
    runner rn;
    runner_open(&rn, &s, &tot);
    static _Alignas(8) unsigned char buf[SGC_RECORD_MAX];
    for (int i = 0; i < n; i++) {
        const reg_case *c = &regressions[i];
        sgc_record_builder b;
        sgc_record_begin(&b, buf, sizeof buf, SGC_REC_SYSCALL, (uint32_t)c->nr,
                         (uint16_t)s.pd->cand_words);
        b.hdr->ts_ns = 1000000 + (uint64_t)i;
        b.hdr->pid = b.hdr->tid = 100;
        b.hdr->ppid = 1;
        b.hdr->uid = b.hdr->euid = c->euid;
        b.hdr->loginuid = c->loginuid;
        b.hdr->ret = c->ret;
        memcpy(b.hdr->args, c->args, sizeof c->args);
        strcpy(b.hdr->comm, "bash");
        if (c->path) sgc_record_add_str(&b, SGC_BLOB_ARG0 + (unsigned)c->path_arg, c->path);
        size_t size = sgc_record_finish(&b);
        assert_true(size > 0);
        event_info ei = {.nr = c->nr};
        runner_check(&rn, buf, size, &ei);
        if (rn.matched[i] != c->match)
            fail_msg(
                "regression case %d (%s): the evaluator %s; the case no longer tests what it did",
                i, c->cond, rn.matched[i] ? "matches" : "does not match");
    }
    fprintf(stderr, "%d regression cases: %ld counterexamples\n", n, tot.counterexamples);
    runner_close(&rn);
    rs_free(&s);
    assert_int_equal(tot.counterexamples, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_kernel_drop_implies_no_match),
        cmocka_unit_test(test_scale_drop_implies_no_match),
        cmocka_unit_test_teardown(test_live_syscalls, live_teardown),
        cmocka_unit_test_teardown(test_live_execs, live_exec_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
