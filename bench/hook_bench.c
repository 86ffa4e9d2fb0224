/* Compares the two syscall hook strategies of the capture programs on an
 * open/read/close loop (bench/workloads/wl_open.c, the suite's workload 1),
 * alternating configurations
 * (none, raw_syscalls, per-syscall, none, ...) and reporting medians.
 *
 * Usage: sgc_hook_bench OPEN_LOOP [ITERATIONS] [ROUNDS]
 *
 * Two interest sets, both "the syscalls of Falco's rules":
 *   capture: includes open/openat, so every open of the loop is recorded
 *            and read by this process from the ring buffer (no pushdown);
 *   idle:    the same set without open/openat, so the loop's syscalls are
 *            of no interest and only the hook's own cost remains.
 * Kernel-side cost per program run comes from BPF run-time statistics
 * (BPF_ENABLE_STATS, enabled for the duration). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpf_loader.h"
#include "bpf_syscalls.h"

static const char *const rule_syscalls[] = {
    "accept",    "accept4",  "bpf",    "chmod",    "chown",     "chroot",      "clone",
    "connect",   "creat",    "dup",    "dup2",     "dup3",      "execve",      "execveat",
    "fchmod",    "fchmodat", "kill",   "link",     "linkat",    "listen",      "memfd_create",
    "mkdir",     "mkdirat",  "mount",  "open",     "openat",    "openat2",     "ptrace",
    "recvfrom",  "recvmsg",  "rename", "renameat", "renameat2", "rmdir",       "seccomp",
    "sendmsg",   "sendto",   "setgid", "setns",    "setuid",    "socket",      "symlink",
    "symlinkat", "truncate", "unlink", "unlinkat", "unshare",   "userfaultfd",
};
#define NRULE (sizeof rule_syscalls / sizeof rule_syscalls[0])

struct config {
    const char *name;
    bool bpf;
    enum sgc_hook_strategy strategy;
};

static const struct config configs[] = {
    {"none", false, 0},
    {"raw_syscalls", true, SGC_HOOK_RAW_SYSCALLS},
    {"per-syscall", true, SGC_HOOK_PER_SYSCALL},
};
#define NCONF (sizeof configs / sizeof configs[0])

static unsigned long long g_records;
/* SGC_BENCH_OBJ=file: benchmark another build of capture.bpf.c */
static uint32_t g_wakeup_bytes = UINT32_MAX; /* SGC_BENCH_WAKEUP=bytes (0 = every record) */
static void *g_obj;
static size_t g_obj_size;

static void load_obj_override(void)
{
    const char *path = getenv("SGC_BENCH_OBJ");
    if (!path) return;
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END)) {
        perror(path);
        exit(1);
    }
    g_obj_size = (size_t)ftell(f);
    rewind(f);
    g_obj = malloc(g_obj_size);
    if (!g_obj || fread(g_obj, 1, g_obj_size, f) != g_obj_size) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

static int count_record(void *ctx, const void *rec, size_t size)
{
    (void)ctx, (void)rec, (void)size;
    g_records++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Run the loop in a child while consuming the ring buffer; wall ns, and
 * the child's CPU time (user + system) in *cpu_ns: less sensitive than
 * wall time to other load on the machine. */
static double run_loop(const char *loop, const char *iters, struct sgc_bpf *b, double *cpu_ns)
{
    int pfd[2];
    if (pipe(pfd)) exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        execl(loop, loop, "-n", iters, "/etc/hostname", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, WNOHANG, &ru) == 0)
        if (b)
            sgc_bpf_poll(b, 10);
        else
            usleep(10000);
    if (b) sgc_bpf_drain(b);
    *cpu_ns = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
              (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
    char out[256] = "";
    ssize_t n = read(pfd[0], out, sizeof out - 1);
    close(pfd[0]);
    /* wl_open prints "ops=N elapsed_s=S ops_per_s=R cpu_s=C" */
    const char *el = n > 0 ? strstr(out, "elapsed_s=") : NULL;
    if (!el || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "%s failed\n", loop);
        exit(1);
    }
    return atof(el + strlen("elapsed_s=")) * 1e9;
}

static void bench(const char *title, const int *nrs, size_t nnrs, const char *loop,
                  const char *iters, int rounds)
{
    double wall[NCONF][64], cpu[NCONF][64], prog_ns[NCONF][64], runs[NCONF][64];
    for (int r = 0; r < rounds; r++) {
        for (size_t c = 0; c < NCONF; c++) {
            struct sgc_bpf *b = NULL;
            if (configs[c].bpf) {
                struct sgc_bpf_options o = sgc_bpf_default_options();
                o.strategy = configs[c].strategy;
                o.obj_data = g_obj;
                o.obj_size = g_obj_size;
                o.syscalls = nrs;
                o.nsyscalls = nnrs;
                o.nopushdown = true;
                o.proc_events = false; /* identical in both strategies */
                if (g_wakeup_bytes != UINT32_MAX) o.wakeup_bytes = g_wakeup_bytes;
                char err[512];
                b = sgc_bpf_open(&o, count_record, NULL, err, sizeof err);
                if (!b) {
                    fprintf(stderr, "%s: %s\n", configs[c].name, err);
                    exit(1);
                }
            }
            g_records = 0;
            wall[c][r] = run_loop(loop, iters, b, &cpu[c][r]);
            uint64_t ns = 0, cnt = 0;
            if (b) /* the syscall hooks only (proc events are off) */
                sgc_bpf_prog_stats(
                    b, configs[c].strategy == SGC_HOOK_RAW_SYSCALLS ? "sgc_sys_exit" : "sgc_exit_",
                    &ns, &cnt);
            prog_ns[c][r] = cnt ? (double)ns / (double)cnt : 0;
            runs[c][r] = (double)cnt;
            sgc_bpf_close(b);
        }
    }
    printf("\n%s (%s iterations, %d alternating rounds, medians)\n", title, iters, rounds);
    printf("  %-13s %10s %7s %10s %7s %12s %9s\n", "hook", "wall ms", "ratio", "cpu ms", "ratio",
           "hook runs", "ns/run");
    double base = 0, cbase = 0;
    for (size_t c = 0; c < NCONF; c++) {
        double w = median(wall[c], rounds) / 1e6, u = median(cpu[c], rounds) / 1e6;
        if (c == 0) base = w, cbase = u;
        printf("  %-13s %10.1f %6.2fx %10.1f %6.2fx %12.0f %9.1f\n", configs[c].name, w, w / base,
               u, u / cbase, median(runs[c], rounds), median(prog_ns[c], rounds));
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s WL_OPEN [ITERATIONS] [ROUNDS]\n", argv[0]);
        return 2;
    }
    const char *iters = argc > 2 ? argv[2] : "200000";
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    if (rounds < 1 || rounds > 64) rounds = 5;
    load_obj_override();
    if (getenv("SGC_BENCH_WAKEUP")) g_wakeup_bytes = (uint32_t)atol(getenv("SGC_BENCH_WAKEUP"));
    int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (stats_fd < 0)
        fprintf(stderr, "warning: cannot enable BPF run-time stats: %s\n", strerror(errno));

    int capture[NRULE], idle[NRULE];
    size_t ncap = 0, nidle = 0;
    for (size_t i = 0; i < NRULE; i++) {
        const struct sgc_syscall_info *info = sgc_syscall_by_name(rule_syscalls[i]);
        if (!info) continue;
        capture[ncap++] = info->nr;
        if (info->nr != SYS_open && info->nr != SYS_openat) idle[nidle++] = info->nr;
    }
    bench("idle: rule syscalls without open/openat (pure hook cost)", idle, nidle, argv[1], iters,
          rounds);
    bench("capture: rule syscalls incl. openat, every open sent to userspace", capture, ncap,
          argv[1], iters, rounds);
    return 0;
}
