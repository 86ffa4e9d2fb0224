/* Shared by the benchmark workloads (bench/workloads/wl_*.c).
 *
 * Every workload runs a loop of one operation either for a number of
 * iterations (-n N) or for a wall-clock duration (-d SECONDS, checked every
 * few iterations), then prints one line on stdout:
 *
 *   ops=N elapsed_s=S ops_per_s=R cpu_s=C
 *
 * (C: the workload's own user + system CPU time, children included). The
 * driver (bench/bench.py) parses that line. Exit status 0 on success. */
#ifndef SGC_BENCH_WL_COMMON_H
#define SGC_BENCH_WL_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

typedef struct wl_args {
    long iterations; /* > 0: run exactly this many */
    double duration; /* > 0: run this long (default 1 s) */
    const char *arg; /* optional positional argument */
} wl_args;

static inline double wl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void wl_usage(const char *prog, const char *extra)
{
    fprintf(stderr, "usage: %s [-n ITERATIONS | -d SECONDS] %s\n", prog, extra ? extra : "");
    exit(2);
}

static inline wl_args wl_parse(int argc, char **argv, const char *extra)
{
    wl_args a = {0, 1.0, NULL};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) {
            a.iterations = atol(argv[++i]);
            a.duration = 0;
            if (a.iterations <= 0) wl_usage(argv[0], extra);
        } else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
            a.duration = atof(argv[++i]);
            a.iterations = 0;
            if (a.duration <= 0) wl_usage(argv[0], extra);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            wl_usage(argv[0], extra);
        } else {
            a.arg = argv[i];
        }
    }
    return a;
}

/* Loop control: call wl_more(&st) before each operation. */
typedef struct wl_state {
    wl_args a;
    long done;
    double t0, deadline;
} wl_state;

static inline wl_state wl_start(wl_args a)
{
    wl_state s = {a, 0, wl_now(), 0};
    s.deadline = a.duration > 0 ? s.t0 + a.duration : 0;
    return s;
}

/* check_every: how many operations between clock reads in duration mode */
static inline int wl_more(wl_state *s, long check_every)
{
    if (s->a.iterations > 0) return s->done < s->a.iterations;
    if (s->done % check_every) return 1;
    return wl_now() < s->deadline;
}

static inline int wl_report(const wl_state *s)
{
    double el = wl_now() - s->t0;
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    double cpu = (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
                          kids.ru_stime.tv_sec) +
                 (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
                          kids.ru_stime.tv_usec) /
                     1e6;
    printf("ops=%ld elapsed_s=%.6f ops_per_s=%.1f cpu_s=%.6f\n", s->done, el,
           el > 0 ? (double)s->done / el : 0.0, cpu);
    return fflush(stdout) == 0 ? 0 : 1;
}

#endif
