/* The process table from /proc (see procfs.h). */
#include "procfs.h"

#include "hostroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read at most cap-1 bytes of a file; returns the length (NUL-terminated) or
 * -1. Files in /proc report size 0, so read until EOF. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return (ssize_t)n;
}

static ssize_t read_link(const char *path, char *buf, size_t cap)
{
    ssize_t n = readlink(path, buf, cap - 1);
    if (n < 0) return -1;
    buf[n] = '\0';
    return n;
}

/* The last number of a "Key:\tA\tB\tC" line of /proc/PID/status (the value
 * in the innermost pid namespace), or the n-th (0-based) when n >= 0. */
static bool status_field(const char *status, const char *key, int n, unsigned long long *out,
                         int base)
{
    size_t klen = strlen(key);
    for (const char *line = status; line && *line;) {
        if (!strncmp(line, key, klen) && line[klen] == ':') {
            const char *p = line + klen + 1;
            const char *eol = strchr(p, '\n');
            unsigned long long v = 0;
            bool got = false;
            for (int i = 0; p < (eol ? eol : p + strlen(p)); i++) {
                char *end;
                unsigned long long x = strtoull(p, &end, base);
                if (end == p) break;
                v = x;
                got = true;
                if (i == n) break;
                p = end;
            }
            if (got) *out = v;
            return got;
        }
        line = strchr(line, '\n');
        if (line) line++;
    }
    return false;
}

static uint64_t ticks_to_ns(unsigned long long ticks)
{
    static long hz;
    if (!hz) {
        hz = sysconf(_SC_CLK_TCK);
        if (hz <= 0) hz = 100;
    }
    return (uint64_t)ticks * (1000000000ull / (uint64_t)hz);
}

/* /proc/PID/stat: "pid (comm) state ppid pgrp session tty_nr ... starttime"
 * comm may hold spaces and parentheses, so parse from the last ')'. */
static bool parse_stat(const char *stat, sgc_proc *p, unsigned long long *starttime)
{
    const char *lp = strchr(stat, '(');
    const char *rp = strrchr(stat, ')');
    if (!lp || !rp || rp < lp) return false;
    size_t clen = (size_t)(rp - lp - 1);
    if (clen >= SGC_PROC_COMM_MAX) clen = SGC_PROC_COMM_MAX - 1;
    memcpy(p->comm, lp + 1, clen);
    p->comm[clen] = '\0';
    /* fields after ')': 3 state, 4 ppid, 5 pgrp, 6 session, 7 tty_nr, ... 22 starttime */
    const char *s = rp + 1;
    unsigned long long f[23] = {0};
    int field = 3;
    while (*s && field <= 22) {
        while (*s == ' ') s++;
        if (!*s) break;
        if (field == 3) {
            s++; /* the state letter */
        } else {
            char *end;
            f[field] = strtoull(s, &end, 10);
            if (*s == '-') /* tpgid -1 */
                f[field] = 0;
            if (end == s) return false;
            s = end;
        }
        while (*s && *s != ' ') s++;
        field++;
    }
    if (field <= 22) return false;
    p->ppid = (uint32_t)f[4];
    p->vpgid = (uint32_t)f[5];
    p->sid = (uint32_t)f[6];
    p->tty = (uint32_t)f[7];
    *starttime = f[22];
    return true;
}

/* Credentials, namespace-local ids and capabilities from /proc/PID/status. */
static void apply_status(sgc_proc *p, const char *status)
{
    unsigned long long v;
    if (status_field(status, "Uid", 0, &v, 10)) p->uid = (uint32_t)v;
    if (status_field(status, "Uid", 1, &v, 10)) p->euid = (uint32_t)v;
    if (status_field(status, "Gid", 0, &v, 10)) p->gid = (uint32_t)v;
    if (status_field(status, "Gid", 1, &v, 10)) p->egid = (uint32_t)v;
    /* Inside a pid namespace, the ids the process itself sees are the last
     * ones of the NS* lines. */
    if (status_field(status, "NSpid", -1, &v, 10)) p->vpid = (uint32_t)v;
    if (status_field(status, "NSpgid", -1, &v, 10)) p->vpgid = (uint32_t)v;
    if (status_field(status, "NSsid", -1, &v, 10)) p->sid = (uint32_t)v;
    if (status_field(status, "CapEff", 0, &v, 16)) p->cap_effective = v;
    if (status_field(status, "CapPrm", 0, &v, 16)) p->cap_permitted = v;
    if (status_field(status, "CapInh", 0, &v, 16)) {
        p->cap_inheritable = v;
        p->has_cap_inheritable = true;
    }
}

/* /proc/PID/exe: the executable's path, and the facts Falco's proc.exe_*
 * fields want (memfd, inode, times, writable by the process's user). */
static void read_exe(const char *path, char *exe, const sgc_proc *p, sgc_proc_image_spec *spec)
{
    ssize_t n = read_link(path, exe, SGC_PROC_STR_MAX);
    if (n < 0) return;
    spec->exepath = exe;
    spec->exepath_len = (size_t)n;
    spec->has_exe_flags = true;
    /* An executable run from a memfd shows as "/memfd:NAME (deleted)". */
    if (!strncmp(exe, "/memfd:", 7)) spec->exe_flags |= SGC_EXE_FROM_MEMFD;
    struct stat st;
    if (stat(path, &st) != 0) return;
    spec->exe_ino = st.st_ino;
    spec->exe_ctime_ns = (uint64_t)st.st_ctim.tv_sec * 1000000000ull + (uint64_t)st.st_ctim.tv_nsec;
    spec->exe_mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec;
    /* Writable by the user that runs it (owner or group write bit, or
     * root, which may write any file). */
    if (p->euid == 0 || (st.st_uid == p->euid && (st.st_mode & S_IWUSR)) ||
        (st.st_gid == p->egid && (st.st_mode & S_IWGRP)) || (st.st_mode & S_IWOTH))
        spec->exe_flags |= SGC_EXE_WRITABLE;
}

sgc_proc *sgc_procfs_read_one(sgc_proctable *t, const char *procroot, uint32_t pid)
{
    char hostproc[256];
    if (!procroot)
        procroot = sgc_host_path(hostproc, sizeof hostproc, "/proc") ? hostproc : "/proc";
    char path[512], dir[300];
    snprintf(dir, sizeof dir, "%s/%u", procroot, pid);

    char statbuf[1024];
    snprintf(path, sizeof path, "%s/stat", dir);
    if (read_file(path, statbuf, sizeof statbuf) <= 0) return NULL;
    sgc_proc tmp = {0};
    unsigned long long starttime = 0;
    if (!parse_stat(statbuf, &tmp, &starttime)) return NULL;

    char *big = malloc(4 * SGC_PROC_STR_MAX + 8192);
    if (!big) return NULL;
    char *status = big, *cmdline = big + 4096, *environ = cmdline + SGC_PROC_STR_MAX,
         *cgroup = environ + SGC_PROC_STR_MAX, *exe = cgroup + SGC_PROC_STR_MAX,
         *cwd = exe + SGC_PROC_STR_MAX;
    /* cwd gets the last 4096 bytes of the block */

    snprintf(path, sizeof path, "%s/status", dir);
    if (read_file(path, status, 4096) < 0) status[0] = '\0';

    sgc_proc *p = sgc_proctable_get_or_create(t, pid, 0);
    if (!p) {
        free(big);
        return NULL;
    }
    memcpy(p->comm, tmp.comm, sizeof p->comm);
    p->ppid = tmp.ppid;
    p->sid = tmp.sid;
    p->vpgid = tmp.vpgid;
    p->tty = tmp.tty;
    p->start_ns = ticks_to_ns(starttime);
    p->vpid = pid;

    apply_status(p, status);

    char small[32];
    snprintf(path, sizeof path, "%s/loginuid", dir);
    p->loginuid = SGC_LOGINUID_UNSET;
    if (read_file(path, small, sizeof small) > 0) p->loginuid = (uint32_t)strtoul(small, NULL, 10);

    sgc_proc_image_spec spec = {0};
    snprintf(path, sizeof path, "%s/cmdline", dir);
    ssize_t n = read_file(path, cmdline, SGC_PROC_STR_MAX);
    if (n >= 0) sgc_proc_spec_set_argv(&spec, cmdline, (size_t)n);
    snprintf(path, sizeof path, "%s/environ", dir);
    n = read_file(path, environ, SGC_PROC_STR_MAX);
    if (n >= 0) {
        spec.env = environ;
        spec.env_len = (size_t)n;
    }
    snprintf(path, sizeof path, "%s/cgroup", dir);
    n = read_file(path, cgroup, SGC_PROC_STR_MAX);
    if (n >= 0) {
        spec.cgroup = cgroup;
        spec.cgroup_len = (size_t)n;
    }
    snprintf(path, sizeof path, "%s/exe", dir);
    read_exe(path, exe, p, &spec);
    /* Kernel threads have an empty cmdline and no exe: Falco shows their
     * comm as exe. */
    if (spec.exe && spec.exe_len == 0 && !spec.exepath) {
        spec.exe = p->comm;
        spec.exe_len = strlen(p->comm);
    }
    snprintf(path, sizeof path, "%s/cwd", dir);
    n = read_link(path, cwd, SGC_PROC_STR_MAX);
    if (n >= 0) {
        spec.cwd = cwd;
        spec.cwd_len = (size_t)n;
    }
    int rc = sgc_proc_set_image(t, p, &spec, false);
    free(big);
    return rc == 0 ? p : NULL;
}

int sgc_procfs_scan(sgc_proctable *t, const char *procroot)
{
    char hostproc[256];
    if (!procroot)
        procroot = sgc_host_path(hostproc, sizeof hostproc, "/proc") ? hostproc : "/proc";
    DIR *d = opendir(procroot);
    if (!d) return -1;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char *end;
        unsigned long pid = strtoul(de->d_name, &end, 10);
        if (*end || pid == 0 || pid > 0xffffffffu) continue;
        if (sgc_procfs_read_one(t, procroot, (uint32_t)pid)) count++;
    }
    closedir(d);
    return count;
}
