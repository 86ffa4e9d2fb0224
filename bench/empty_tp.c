/* Loads bench/empty_tp.bpf.o (empty BPF programs), attaches one set of them,
 * prints the readiness line
 *
 *   empty_tp: attached N programs
 *
 * on stderr and keeps them attached until SIGINT/SIGTERM (or --duration).
 * Usage: sgc_empty_tp [OBJECT] [--duration SECONDS] [--hooks KIND]
 *   --hooks enter-exit          raw tracepoints sys_enter + sys_exit (default)
 *   --hooks raw                 tp_btf/sys_exit (sgc's raw_syscalls hook)
 *   --hooks syscalls:A,B,...    syscalls/sys_exit_A, ... (sgc's per-syscall
 *                               hooks; names without a tracepoint are skipped) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
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
    const char *path = SGC_EMPTY_TP_OBJ, *hooks = "enter-exit";
    double duration = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--duration") && i + 1 < argc)
            duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--hooks") && i + 1 < argc)
            hooks = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [OBJECT] [--duration SECONDS] [--hooks KIND]\n", argv[0]);
            return 2;
        } else
            path = argv[i];
    }
    const char *syscalls = !strncmp(hooks, "syscalls:", 9) ? hooks + 9 : NULL;
    if (!syscalls && strcmp(hooks, "enter-exit") && strcmp(hooks, "raw")) {
        fprintf(stderr, "empty_tp: --hooks enter-exit|raw|syscalls:A,B,...\n");
        return 2;
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
    struct bpf_program *p;
    bpf_object__for_each_program(p, obj)
    {
        const char *name = bpf_program__name(p);
        bool want = syscalls ? !strcmp(name, "sgc_bench_empty_syscall")
                    : !strcmp(hooks, "raw")
                        ? !strcmp(name, "sgc_bench_empty_btf_exit")
                        : strstr(name, "_enter") || !strcmp(name, "sgc_bench_empty_exit");
        bpf_program__set_autoload(p, want);
    }
    if (bpf_object__load(obj)) {
        fprintf(stderr, "empty_tp: cannot load %s: %s\n", path, strerror(errno));
        bpf_object__close(obj);
        return 1;
    }
    struct bpf_link *links[512];
    int n = 0;
    bpf_object__for_each_program(p, obj)
    {
        if (!bpf_program__autoload(p)) continue;
        if (!syscalls) {
            links[n] = bpf_program__attach(p);
            if (!links[n]) {
                fprintf(stderr, "empty_tp: cannot attach %s: %s\n", bpf_program__name(p),
                        strerror(errno));
                goto fail;
            }
            n++;
            continue;
        }
        char list[4096], tp[160];
        snprintf(list, sizeof list, "%s", syscalls);
        for (char *save = NULL, *nm = strtok_r(list, ",", &save); nm && n < 512;
             nm = strtok_r(NULL, ",", &save)) {
            snprintf(tp, sizeof tp, "sys_exit_%s", nm);
            links[n] = bpf_program__attach_tracepoint(p, "syscalls", tp);
            if (links[n]) n++; /* no such tracepoint: as sgc, skip it */
        }
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
fail:
    while (n > 0) bpf_link__destroy(links[--n]);
    bpf_object__close(obj);
    return 1;
}
