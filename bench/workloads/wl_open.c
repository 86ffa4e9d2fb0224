/* Workload 1: open/read/close of a small file in a loop, a host's dominant
 * benign pattern. Usage: wl_open [-n N | -d S] [FILE]
 * FILE defaults to a 100-byte file this program creates in /tmp. */
#include "wl_common.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
    wl_args a = wl_parse(argc, argv, "[FILE]");
    char tmpl[] = "/tmp/sgc-bench-open.XXXXXX";
    const char *file = a.arg;
    if (!file) {
        int fd = mkstemp(tmpl);
        if (fd < 0 || write(fd,
                            "0123456789012345678901234567890123456789012345678901234567890"
                            "123456789012345678901234567890123456789\n",
                            100) != 100) {
            perror("wl_open: temporary file");
            return 1;
        }
        close(fd);
        file = tmpl;
    }
    char buf[256];
    wl_state s = wl_start(a);
    while (wl_more(&s, 256)) {
        int fd = open(file, O_RDONLY);
        if (fd < 0) {
            perror(file);
            return 1;
        }
        if (read(fd, buf, sizeof buf) < 0) {
            perror("read");
            return 1;
        }
        close(fd);
        s.done++;
    }
    int rc = wl_report(&s);
    if (!a.arg) unlink(tmpl);
    return rc;
}
