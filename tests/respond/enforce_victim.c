/* The enforcement tests' victim: mkdirat(argv[1]) (the offending syscall),
 * sleep argv[3] seconds, then write the marker file argv[2]. Killed at the
 * mkdirat exit, the marker never appears. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc < 4) return 2;
    syscall(SYS_mkdirat, AT_FDCWD, argv[1], 0700);
    sleep((unsigned)atoi(argv[3]));
    int fd = open(argv[2], O_CREAT | O_WRONLY, 0600);
    if (fd < 0 || write(fd, "alive\n", 6) != 6) return 1;
    close(fd);
    return 0;
}
