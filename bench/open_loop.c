/* The workload of the hook benchmark: N iterations of open/read/close of a
 * small file. Prints the elapsed nanoseconds. Usage: open_loop N [FILE] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    const char *file = argc > 2 ? argv[2] : "/etc/hostname";
    char buf[256];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
        int fd = open(file, O_RDONLY);
        if (fd < 0) {
            perror(file);
            return 1;
        }
        if (read(fd, buf, sizeof buf) < 0)
            return 1;
        close(fd);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
    return 0;
}
