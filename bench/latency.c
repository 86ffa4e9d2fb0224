/* Alert latency and burst driver (bench/bench.py runs it with sgc).
 *
 *   sgc_bench_latency --alerts FIFO --dir DIR --rate R --duration S
 *   sgc_bench_latency --alerts FIFO --dir DIR --burst [--threads T] --duration S
 *
 * sgc runs with bench/rules/bench.yaml, whose rule alerts on every open for
 * reading under /tmp/sgc-bench-lat/ with %fd.name in the output, and writes
 * its alerts (-o) into FIFO, which this program reads.
 *
 * Latency mode: R times a second (paced with absolute sleeps) the trigger
 * reads CLOCK_REALTIME and opens DIR/lat-<that time in ns> (O_CREAT, then
 * closes and unlinks it). The reader thread stamps each chunk it reads from
 * the FIFO with CLOCK_REALTIME and, for each alert line, takes the time
 * written into the path name: latency = time the alert was read - time of
 * the syscall, an upper bound of syscall-to-alert-written.
 *
 * Burst mode: T threads open and close DIR/burst as fast as they can (each
 * open matches the rule); the reader counts the alert lines naming it.
 *
 * Protocol on stdin/stdout, so the driver can start sgc in between:
 *   1. opens the FIFO (read-write, so it never blocks or sees EOF), prints
 *      "ready";
 *   2. waits for a line on stdin, triggers for S seconds, prints
 *      "triggered N";
 *   3. waits for a line on stdin (sent once sgc has exited, every alert
 *      written), drains the FIFO and prints one result line:
 *      triggers=N trigger_s=S rate=R alerts=M lat_n=K p50_us=.. p90_us=..
 *      p99_us=.. max_us=.. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *g_dir;
static int g_fifo = -1;
static atomic_int g_reader_stop;
static uint64_t g_alerts; /* alert lines naming a trigger path */
static uint64_t *g_lat;   /* latencies, ns */
static size_t g_nlat, g_caplat;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t now_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* one complete alert line, read at time t */
static void on_line(const char *l, size_t n, uint64_t t)
{
    const char *m = memmem(l, n, "sgc-bench-lat/", 14);
    if (!m) return;
    pthread_mutex_lock(&g_mu);
    g_alerts++;
    const char *p = memmem(l, n, "/lat-", 5);
    if (p) {
        uint64_t sent = strtoull(p + 5, NULL, 10);
        if (sent && sent <= t && g_nlat < g_caplat) g_lat[g_nlat++] = t - sent;
    }
    pthread_mutex_unlock(&g_mu);
}

static void *reader(void *arg)
{
    (void)arg;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        struct pollfd pfd = {g_fifo, POLLIN, 0};
        int pr = poll(&pfd, 1, 50);
        if (pr == 0) {
            if (atomic_load(&g_reader_stop)) break;
            continue;
        }
        if (pr < 0 && errno == EINTR) continue;
        ssize_t r = read(g_fifo, buf + len, cap - len);
        uint64_t t = now_ns(CLOCK_REALTIME);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (r <= 0) break;
        len += (size_t)r;
        size_t start = 0;
        for (size_t i = 0; i < len; i++)
            if (buf[i] == '\n') {
                on_line(buf + start, i - start, t);
                start = i + 1;
            }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap) /* a line longer than 1 MiB: drop it */
            len = 0;
    }
    free(buf);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(const uint64_t *v, size_t n, double p)
{
    if (!n) return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)v[i] / 1e3;
}

typedef struct burst_arg {
    double deadline;
    uint64_t done, failed;
} burst_arg;

static void *burst_thread(void *arg)
{
    burst_arg *b = arg;
    char path[4096];
    snprintf(path, sizeof path, "%s/burst", g_dir);
    for (;;) {
        for (int i = 0; i < 256; i++) {
            int fd = open(path, O_RDONLY);
            if (fd < 0)
                b->failed++;
            else {
                close(fd);
                b->done++;
            }
        }
        if ((double)now_ns(CLOCK_MONOTONIC) / 1e9 >= b->deadline) break;
    }
    return NULL;
}

static void wait_line(void)
{
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return; /* EOF: go on */
}

int main(int argc, char **argv)
{
    const char *fifo = NULL;
    double rate = 1000, duration = 5;
    int burst = 0, threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--alerts") && v)
            fifo = v, i++;
        else if (!strcmp(argv[i], "--dir") && v)
            g_dir = v, i++;
        else if (!strcmp(argv[i], "--rate") && v)
            rate = atof(v), i++;
        else if (!strcmp(argv[i], "--duration") && v)
            duration = atof(v), i++;
        else if (!strcmp(argv[i], "--threads") && v)
            threads = atoi(v), i++;
        else if (!strcmp(argv[i], "--burst"))
            burst = 1;
        else {
            fprintf(stderr,
                    "usage: %s --alerts FIFO --dir DIR (--rate R | --burst [--threads T]) "
                    "--duration S\n",
                    argv[0]);
            return 2;
        }
    }
    if (!fifo || !g_dir || rate <= 0 || duration <= 0 || threads < 1 || threads > 16) {
        fprintf(stderr, "%s: --alerts and --dir are required\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    g_fifo = open(fifo, O_RDWR | O_CLOEXEC);
    if (g_fifo < 0) {
        perror(fifo);
        return 1;
    }
    fcntl(g_fifo, F_SETPIPE_SZ, 1 << 20);
    g_caplat = burst ? 0 : (size_t)(rate * duration) + 16;
    g_lat = calloc(g_caplat + 1, sizeof *g_lat);
    char path[4096];
    if (burst) {
        snprintf(path, sizeof path, "%s/burst", g_dir);
        int fd = open(path, O_CREAT | O_WRONLY, 0600);
        if (fd < 0) {
            perror(path);
            return 1;
        }
        close(fd);
    }
    pthread_t rt;
    if (!g_lat || pthread_create(&rt, NULL, reader, NULL)) {
        fprintf(stderr, "%s: cannot start the reader\n", argv[0]);
        return 1;
    }
    printf("ready\n");
    wait_line();

    uint64_t triggers = 0, failed = 0;
    double t0 = (double)now_ns(CLOCK_MONOTONIC) / 1e9, t1;
    if (burst) {
        pthread_t th[16];
        burst_arg ba[16];
        for (int i = 0; i < threads; i++) {
            ba[i] = (burst_arg){t0 + duration, 0, 0};
            pthread_create(&th[i], NULL, burst_thread, &ba[i]);
        }
        for (int i = 0; i < threads; i++) {
            pthread_join(th[i], NULL);
            triggers += ba[i].done;
            failed += ba[i].failed;
        }
    } else {
        uint64_t period = (uint64_t)(1e9 / rate);
        uint64_t next = now_ns(CLOCK_MONOTONIC), end = next + (uint64_t)(duration * 1e9);
        while (next < end) {
            struct timespec ts = {(time_t)(next / 1000000000ull), (long)(next % 1000000000ull)};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
            snprintf(path, sizeof path, "%s/lat-%" PRIu64, g_dir, now_ns(CLOCK_REALTIME));
            int fd = open(path, O_RDONLY | O_CREAT, 0600);
            if (fd < 0) {
                failed++;
            } else {
                close(fd);
                unlink(path);
                triggers++;
            }
            next += period;
        }
    }
    t1 = (double)now_ns(CLOCK_MONOTONIC) / 1e9;
    printf("triggered %" PRIu64 "\n", triggers);
    wait_line();
    atomic_store(&g_reader_stop, 1);
    pthread_join(rt, NULL);
    if (burst) {
        snprintf(path, sizeof path, "%s/burst", g_dir);
        unlink(path);
    }
    qsort(g_lat, g_nlat, sizeof *g_lat, cmp_u64);
    printf("triggers=%" PRIu64 " failed=%" PRIu64 " trigger_s=%.3f rate=%.1f alerts=%" PRIu64
           " lat_n=%zu p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f\n",
           triggers, failed, t1 - t0, (double)triggers / (t1 - t0), g_alerts, g_nlat,
           pct(g_lat, g_nlat, 0.5), pct(g_lat, g_nlat, 0.9), pct(g_lat, g_nlat, 0.99),
           g_nlat ? (double)g_lat[g_nlat - 1] / 1e3 : 0.0);
    return 0;
}
