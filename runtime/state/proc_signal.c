/* The process safety checks and the pidfd signal (proc_signal.h). */
#include "proc_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char *sgc_signal_name(int sig)
{
    switch (sig) {
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    case SIGSTOP: return "SIGSTOP";
    case SIGCONT: return "SIGCONT";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGABRT: return "SIGABRT";
    default: return "SIG?";
    }
}

#define PF_KTHREAD 0x00200000u

/* Fields of /proc/pid/stat after the comm: state is field 3. */
static bool read_stat(int pid, char *comm, size_t commlen, unsigned long *flags,
                      unsigned long long *start_ticks)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = 0;
    char *l = strchr(buf, '('), *r = strrchr(buf, ')');
    if (!l || !r || r < l) return false;
    size_t cl = (size_t)(r - l - 1);
    if (cl >= commlen) cl = commlen - 1;
    memcpy(comm, l + 1, cl);
    comm[cl] = 0;
    /* after ") ": field 3 state ... field 9 flags ... field 22 starttime */
    char *p = r + 2;
    int field = 3;
    unsigned long fl = 0;
    unsigned long long st = 0;
    for (char *save = NULL, *tok = strtok_r(p, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save), field++) {
        if (field == 9) fl = strtoul(tok, NULL, 10);
        if (field == 22) {
            st = strtoull(tok, NULL, 10);
            break;
        }
    }
    *flags = fl;
    *start_ticks = st;
    return field == 22;
}

static bool read_exe(int pid, char *out, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t l = readlink(path, out, n - 1);
    if (l < 0) return false;
    out[l] = 0;
    /* a deleted or replaced executable reads "PATH (deleted)" */
    size_t sl = strlen(out);
    if (sl > 10 && !strcmp(out + sl - 10, " (deleted)")) out[sl - 10] = 0;
    return true;
}

static bool is_sgc_exe(const char *exe)
{
    const char *base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    if (!strcmp(base, "sgc")) return true;
    char self[PATH_MAX];
    return read_exe(getpid(), self, sizeof self) && !strcmp(self, exe);
}

const char *sgc_proc_forbidden(int pid, const char *const *allow_names, int nallow)
{
    if (pid <= 1) return "pid 1 and below are never signalled";
    if (pid == getpid()) return "the responder itself is never signalled";
    char comm[64];
    unsigned long flags;
    unsigned long long st;
    if (!read_stat(pid, comm, sizeof comm, &flags, &st)) return "the process is gone";
    if (flags & PF_KTHREAD) return "kernel threads are never signalled";
    char exe[PATH_MAX];
    if (read_exe(pid, exe, sizeof exe) && is_sgc_exe(exe))
        return "sgc processes are never signalled";
    for (int i = 0; i < nallow; i++)
        if (!strcmp(allow_names[i], comm)) return "the process name is on the allowlist";
    return NULL;
}

/* Wall-clock ns of boot: realtime - boottime, as sgc computes evt times. */
static long long boot_wall_ns(void)
{
    struct timespec rt, bt;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_BOOTTIME, &bt);
    return ((long long)rt.tv_sec - bt.tv_sec) * 1000000000ll + (rt.tv_nsec - bt.tv_nsec);
}

const char *sgc_proc_identity(int pid, const char *exepath, unsigned long long start_ns, char *why,
                              size_t n)
{
    if (exepath && *exepath && strcmp(exepath, "<NA>")) {
        char exe[PATH_MAX];
        if (!read_exe(pid, exe, sizeof exe)) {
            snprintf(why, n, "cannot read the executable of pid %d", pid);
            return why;
        }
        if (strcmp(exe, exepath)) {
            snprintf(why, n, "pid %d now runs %s, not %s", pid, exe, exepath);
            return why;
        }
    }
    if (start_ns) {
        char comm[64];
        unsigned long flags;
        unsigned long long ticks;
        if (!read_stat(pid, comm, sizeof comm, &flags, &ticks)) {
            snprintf(why, n, "pid %d is gone", pid);
            return why;
        }
        long hz = sysconf(_SC_CLK_TCK);
        long long started =
            boot_wall_ns() + (long long)(ticks * (1000000000ull / (unsigned long long)hz));
        long long diff = started - (long long)start_ns;
        if (diff < 0) diff = -diff;
        /* ticks are 10 ms; allow for the tick and clock adjustments */
        if (diff > 100000000ll) {
            snprintf(why, n, "pid %d started at another time than the alert's process", pid);
            return why;
        }
    }
    return NULL;
}

sgc_signal_result sgc_proc_signal(int pid, int sig, const char *exepath,
                                  unsigned long long start_ns, const char *const *allow_names,
                                  int nallow, bool dry_run, char *detail, size_t n)
{
    /* the pidfd pins the process: checks and signal are about the same one */
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0) {
        snprintf(detail, n, "pid %d: %s", pid,
                 errno == ESRCH ? "no such process" : strerror(errno));
        return errno == ESRCH ? SGC_SIG_OK : SGC_SIG_ERROR;
    }
    const char *no = sgc_proc_forbidden(pid, allow_names, nallow);
    char why[256];
    if (!no) no = sgc_proc_identity(pid, exepath, start_ns, why, sizeof why);
    if (no) {
        snprintf(detail, n, "pid %d not signalled: %s", pid, no);
        close(pfd);
        return SGC_SIG_REFUSED;
    }
    if (dry_run) {
        snprintf(detail, n, "would send %s to pid %d (%s)", sgc_signal_name(sig), pid,
                 exepath && *exepath ? exepath : "identity by start time");
        close(pfd);
        return SGC_SIG_DRY_RUN;
    }
    long rc = syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
    int e = errno;
    close(pfd);
    if (rc < 0) {
        snprintf(detail, n, "pid %d: %s", pid,
                 e == ESRCH ? "exited before the signal" : strerror(e));
        return e == ESRCH ? SGC_SIG_OK : SGC_SIG_ERROR;
    }
    snprintf(detail, n, "sent %s to pid %d (%s)", sgc_signal_name(sig), pid,
             exepath && *exepath ? exepath : "identity by start time");
    return SGC_SIG_OK;
}
