#include "container_id.h"

#include <stdbool.h>
#include <string.h>

static bool is_hex_id(const char *p, size_t len)
{
    if (len != SGC_CONTAINER_ID_LEN) return false;
    for (size_t i = 0; i < len; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f'))) return false;
    return true;
}

static bool has_prefix(const char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

/* One path component: the id it names, or NULL. */
static const char *id_in_component(const char *c, size_t len)
{
    static const char *const prefixes[] = {"docker-", "cri-containerd-", "crio-", "libpod-"};
    if (is_hex_id(c, len)) return c;
    /* containerd with the cgroupfs driver under systemd slices:
     * "kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>" */
    for (size_t i = 0; i + 1 < len; i++)
        if (c[i] == ':' && has_prefix(c + i, len - i, ":cri-containerd:")) {
            const char *id = c + i + strlen(":cri-containerd:");
            if (is_hex_id(id, len - (size_t)(id - c))) return id;
        }
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        if (!has_prefix(c, len, prefixes[k])) continue;
        const char *id = c + strlen(prefixes[k]);
        size_t rest = len - strlen(prefixes[k]);
        if (rest >= 6 && !memcmp(id + rest - 6, ".scope", 6)) rest -= 6;
        if (is_hex_id(id, rest)) return id;
    }
    return NULL;
}

/* The innermost id named by one cgroup path, or NULL. */
static const char *id_in_path(const char *p, size_t len)
{
    size_t end = len;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && p[start - 1] != '/') start--;
        const char *id = id_in_component(p + start, end - start);
        if (id) return id;
        if (start == 0) break;
        end = start - 1;
    }
    return NULL;
}

size_t sgc_container_id_from_cgroup(const char *cgroup, size_t len,
                                    char out[SGC_CONTAINER_ID_LEN + 1])
{
    const char *found = NULL;
    const char *line = cgroup;
    const char *end = cgroup + len;
    while (line < end && !found) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *lend = nl ? nl : end;
        /* "/proc/PID/cgroup" lines are "N:controllers:path"; the path is
         * after the second colon. A bare path starts with '/'. */
        const char *path = line;
        if (path < lend && *path != '/') {
            const char *c1 = memchr(path, ':', (size_t)(lend - path));
            const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(lend - c1 - 1)) : NULL;
            path = c2 ? c2 + 1 : line;
        }
        found = id_in_path(path, (size_t)(lend - path));
        line = lend + 1;
    }
    if (!found) {
        memcpy(out, "host", 5);
        return 4;
    }
    memcpy(out, found, SGC_CONTAINER_ID_LEN);
    out[SGC_CONTAINER_ID_LEN] = '\0';
    return SGC_CONTAINER_ID_LEN;
}
