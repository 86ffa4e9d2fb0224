/* The kernel filter's copy of the host's user and group names (map
 * sgc_unames, bpf-templates/filter_users.h; bpf_loader.h). */
#include "bpf_loader.h"
#include "bpf_loader_int.h"

#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

int sgc_bpf_unames_fd(const struct sgc_bpf *b) { return b ? b->unames_fd : -1; }

int sgc_bpf_unames_clear(int fd)
{
    if (fd < 0) return -EBADF;
    uint64_t key;
    /* the first key, deleted, until there is none */
    while (bpf_map_get_next_key(fd, NULL, &key) == 0)
        if (bpf_map_delete_elem(fd, &key) && errno != ENOENT) return -errno;
    return 0;
}

int sgc_bpf_unames_put(int fd, unsigned kind, uint32_t id, const char *name)
{
    if (fd < 0) return -EBADF;
    size_t len = name ? strlen(name) : SGC_UNAME_MAX;
    if (len >= SGC_UNAME_MAX) return 1; /* no entry: UNKNOWN in the kernel */
    struct sgc_uname v;
    memset(&v, 0, sizeof v);
    v.len = (uint32_t)len;
    memcpy(v.name, name, len);
    uint64_t key = SGC_UNAME_KEY(kind, id);
    return bpf_map_update_elem(fd, &key, &v, BPF_ANY) ? -errno : 0;
}
