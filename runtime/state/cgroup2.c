/* cgroup v2 ids from userspace (cgroup2.h). */
#include "cgroup2.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The mount point of the cgroup2 hierarchy's root in this mount namespace
 * (mountinfo: field 4 is the mounted root, field 5 the mount point, the
 * file system type follows " - "), or false. Octal escapes in the mount
 * point are not decoded: such a mount is not used. */
static bool cgroup2_mount(char *out, size_t outlen)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f) return false;
    char line[1024];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        const char *sep = strstr(line, " - cgroup2 ");
        char root[512], point[512];
        if (!sep || sscanf(line, "%*s %*s %*s %511s %511s", root, point) != 2) continue;
        if (strcmp(root, "/") || strchr(point, '\\') || strlen(point) >= outlen) continue;
        strcpy(out, point);
        found = true;
    }
    fclose(f);
    return found;
}

/* The path of the "0::" line, NUL-terminated into out, or false. */
static bool v2_path(const char *cgroup, size_t len, char *out, size_t outlen)
{
    const char *end = cgroup + len;
    for (const char *l = cgroup; l < end;) {
        const char *nl = memchr(l, '\n', (size_t)(end - l));
        const char *lend = nl ? nl : end;
        if (lend - l >= 3 && !memcmp(l, "0::", 3)) {
            size_t n = (size_t)(lend - l - 3);
            if (n == 0 || n >= outlen || l[3] != '/') return false;
            memcpy(out, l + 3, n);
            out[n] = '\0';
            return true;
        }
        l = lend + 1;
    }
    return false;
}

uint64_t sgc_cgroup2_id(const char *cgroup, size_t len)
{
    char path[4096], mnt[512], full[4608];
    if (!v2_path(cgroup, len, path, sizeof path)) return 0;
    /* outside this cgroup namespace ("/../x"), or a removed cgroup */
    if (strstr(path, "/..") || strstr(path, " (deleted)") || memchr(path, '\\', strlen(path)))
        return 0;
    if (!cgroup2_mount(mnt, sizeof mnt)) return 0;
    if (snprintf(full, sizeof full, "%s%s", mnt, strcmp(path, "/") ? path : "") >= (int)sizeof full)
        return 0;
    struct file_handle *fh = calloc(1, sizeof *fh + sizeof(uint64_t));
    if (!fh) return 0;
    fh->handle_bytes = sizeof(uint64_t);
    int mount_id;
    uint64_t id = 0;
    if (name_to_handle_at(AT_FDCWD, full, fh, &mount_id, 0) == 0 &&
        fh->handle_bytes == sizeof(uint64_t))
        memcpy(&id, fh->f_handle, sizeof id);
    free(fh);
    return id;
}
