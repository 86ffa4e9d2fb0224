/* sgc run --enforce: time from the offending syscall to the process's death.
 * Run it under a name the benchmark's rules match (scripts: bench/enforce.sh
 * copies it to `enfbench`) while `sgc run --enforce` watches:
 *   kernel  the child calls mkdirat, which a rule decided completely in the
 *           kernel kills (SIGKILL from the BPF program at the syscall exit);
 *   user    the child calls unlinkat, which a partly kernel-decided rule
 *           kills from userspace after evaluation;
 *   chain   the child calls rmdir, which an ordinary rule reports; sgc run's
 *           JSON alert goes to `sgc respond` (stdin), whose playbook kills
 *           it with process:kill;
 *   base    the child calls mkdir (no rule) and exits by itself: the floor
 *           of the measurement (syscall, exit, the parent noticing).
 * t0 is taken in the child right before the syscall (shared memory), t1 when
 * the parent's pidfd says the child is gone.
 *
 *   enfbench MODE N DIR   prints "mode=M n=N killed=K p50_us=.. p99_us=.. max_us=.." */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The child: exec'd (so sgc sees a whole process: its executable path and
 * command line, which process:kill's identity check and the rules read),
 * it waits for sgc to see the exec, takes t0 and does the syscall. */
static int victim(char **argv)
{
    const char *mode = argv[2], *path = argv[3];
    int fd = atoi(argv[4]);
    volatile long long *t0 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (t0 == MAP_FAILED) return 3;
    usleep(20000);
    *t0 = now_ns();
    if (!strcmp(mode, "kernel"))
        syscall(SYS_mkdirat, AT_FDCWD, path, 0700);
    else if (!strcmp(mode, "user")) {
        syscall(SYS_unlinkat, AT_FDCWD, path, 0);
        sleep(5); /* waits for the userspace kill */
    } else if (!strcmp(mode, "chain")) {
        syscall(SYS_rmdir, path);
        sleep(5); /* waits for sgc respond */
    } else
        syscall(SYS_mkdir, path, 0700);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "victim")) return victim(argv);
    if (argc < 4) {
        fprintf(stderr, "usage: enfbench kernel|user|chain|base N DIR\n");
        return 2;
    }
    const char *mode = argv[1];
    int n = atoi(argv[2]);
    const char *dir = argv[3];
    int mfd = memfd_create("enfbench-t0", 0);
    if (mfd < 0 || ftruncate(mfd, 4096)) return 1;
    volatile long long *t0 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) return 1;
    self[sl] = 0; /* exec'd by path, so the child's comm is the binary's name */
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", mfd);
    long long *lat = calloc((size_t)n + 1, sizeof *lat);
    int killed = 0, m = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s-%d", dir, mode, i);
        if (!strcmp(mode, "user")) {
            int fd = open(path, O_CREAT | O_WRONLY, 0600);
            if (fd >= 0) close(fd);
        }
        pid_t pid = fork();
        if (pid == 0) {
            execl(self, argv[0], "victim", mode, path, fdarg, (char *)NULL);
            _exit(127);
        }
        int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
        struct pollfd p = {.fd = pfd, .events = POLLIN};
        poll(&p, 1, 10000);
        long long t1 = now_ns();
        close(pfd);
        int st;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) killed++;
        lat[m++] = t1 - *t0;
        usleep(2000);
    }
    qsort(lat, (size_t)m, sizeof *lat, cmp);
    printf("mode=%s n=%d killed=%d p50_us=%.1f p99_us=%.1f max_us=%.1f\n", mode, m, killed,
           lat[m / 2] / 1e3, lat[(m * 99) / 100 < m ? (m * 99) / 100 : m - 1] / 1e3,
           lat[m - 1] / 1e3);
    return 0;
}
