/* Loads bench/empty_tp.bpf.o (the empty raw-tracepoint programs on sys_enter
 * and sys_exit), attaches them, prints the readiness line
 *
 *   empty_tp: attached 2 programs
 *
 * on stderr and keeps them attached until SIGINT/SIGTERM (or --duration).
 * Usage: sgc_empty_tp [OBJECT] [--duration SECONDS] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#ifndef SGC_EMPTY_TP_OBJ
#define SGC_EMPTY_TP_OBJ "empty_tp.bpf.o"
#endif

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

int main(int argc, char **argv)
{
    const char *path = SGC_EMPTY_TP_OBJ;
    double duration = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--duration") && i + 1 < argc)
            duration = atof(argv[++i]);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [OBJECT] [--duration SECONDS]\n", argv[0]);
            return 2;
        } else
            path = argv[i];
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct bpf_object *obj = bpf_object__open_file(path, NULL);
    if (!obj) {
        fprintf(stderr, "empty_tp: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (bpf_object__load(obj)) {
        fprintf(stderr, "empty_tp: cannot load %s: %s\n", path, strerror(errno));
        bpf_object__close(obj);
        return 1;
    }
    struct bpf_link *links[8];
    int n = 0;
    struct bpf_program *p;
    bpf_object__for_each_program(p, obj)
    {
        if (n == 8) break;
        links[n] = bpf_program__attach(p);
        if (!links[n]) {
            fprintf(stderr, "empty_tp: cannot attach %s: %s\n", bpf_program__name(p),
                    strerror(errno));
            while (n > 0) bpf_link__destroy(links[--n]);
            bpf_object__close(obj);
            return 1;
        }
        n++;
    }
    fprintf(stderr, "empty_tp: attached %d programs\n", n);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!g_stop) {
        usleep(50000);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (duration > 0 &&
            (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 >= duration)
            break;
    }
    while (n > 0) bpf_link__destroy(links[--n]);
    bpf_object__close(obj);
    fprintf(stderr, "empty_tp: detached\n");
    return 0;
}
