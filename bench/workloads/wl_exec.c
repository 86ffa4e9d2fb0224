/* Workload 2: fork + exec of /bin/true in a loop, waiting for each child.
 * Usage: wl_exec [-n N | -d S] [PROGRAM] (default /bin/true) */
#include "wl_common.h"

#include <sys/wait.h>

int main(int argc, char **argv)
{
    wl_args a = wl_parse(argc, argv, "[PROGRAM]");
    const char *prog = a.arg ? a.arg : "/bin/true";
    wl_state s = wl_start(a);
    while (wl_more(&s, 1)) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            execl(prog, prog, (char *)NULL);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr, "wl_exec: %s failed\n", prog);
            return 1;
        }
        s.done++;
    }
    return wl_report(&s);
}
