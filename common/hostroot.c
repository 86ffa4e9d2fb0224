/* See hostroot.h. */
#include "hostroot.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *sgc_host_root(void)
{
    static char root[PATH_MAX];
    static int done;
    if (!done) {
        const char *env = getenv("HOST_ROOT");
        snprintf(root, sizeof root, "%s", env ? env : "");
        size_t n = strlen(root);
        while (n > 0 && root[n - 1] == '/') root[--n] = '\0';
        done = 1;
    }
    return root;
}

char *sgc_host_path(char *out, size_t outlen, const char *path)
{
    int n = snprintf(out, outlen, "%s%s", sgc_host_root(), path);
    if (n < 0 || (size_t)n >= outlen) {
        if (outlen) out[0] = '\0';
        return NULL;
    }
    return out;
}

unsigned sgc_host_pid(void)
{
    char path[PATH_MAX], target[32];
    if (*sgc_host_root() && sgc_host_path(path, sizeof path, "/proc/self")) {
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            char *end;
            unsigned long pid = strtoul(target, &end, 10);
            if (*end == '\0' && pid > 0) return (unsigned)pid;
        }
    }
    return (unsigned)getpid();
}

int sgc_host_name(char *buf, size_t len)
{
    if (!len) return -1;
    const char *env = getenv("SGC_HOSTNAME");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return 0;
    }
    buf[len - 1] = '\0';
    if (gethostname(buf, len - 1) != 0) {
        snprintf(buf, len, "localhost");
        return -1;
    }
    return 0;
}
