/* See unames.h. */
#include "unames.h"

#include "bpf_loader.h"
#include "hostroot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void stamp_of(const char *rel, sgc_unames_stamp *st)
{
    char path[4096];
    struct stat sb;
    memset(st, 0, sizeof *st);
    if (!sgc_host_path(path, sizeof path, rel) || stat(path, &sb)) {
        st->err = errno ? errno : ENAMETOOLONG;
        return;
    }
    st->dev = sb.st_dev;
    st->ino = sb.st_ino;
    st->size = sb.st_size;
    st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    st->ctime_ns = (int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
}

static void stamp_files(sgc_unames_stamp st[2])
{
    stamp_of("/etc/passwd", &st[0]);
    stamp_of("/etc/group", &st[1]);
}

/* Write the names of the host's ids of one kind; returns how many. */
static size_t fill_kind(sgc_unames *u, bool groups)
{
    uint32_t *ids;
    size_t n = sgc_usercache_host_ids(u->uc, groups, &ids), written = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = groups ? sgc_usercache_group(u->uc, "host", 0, ids[i])->name
                                  : sgc_usercache_user(u->uc, "host", 0, ids[i])->name;
        if (sgc_bpf_unames_put(u->fd, groups ? SGC_UNAME_GROUP : SGC_UNAME_USER, ids[i], name) == 0)
            written++;
    }
    free(ids);
    return written;
}

void sgc_unames_fill(sgc_unames *u)
{
    if (u->fd < 0 || !u->uc) return;
    sgc_bpf_unames_clear(u->fd);
    sgc_usercache_import_host(u->uc);
    u->users = fill_kind(u, false);
    u->groups = fill_kind(u, true);
}

void sgc_unames_start(sgc_unames *u, int fd, sgc_usercache *uc)
{
    memset(u, 0, sizeof *u);
    u->fd = fd;
    u->uc = uc;
    if (fd < 0 || !uc) return;
    stamp_files(u->stamp);
    sgc_unames_fill(u);
}

bool sgc_unames_check(sgc_unames *u)
{
    if (u->fd < 0 || !u->uc) return false;
    sgc_unames_stamp now[2];
    stamp_files(now);
    if (!memcmp(now, u->stamp, sizeof now)) return false;
    memcpy(u->stamp, now, sizeof now);
    /* never a name the cache no longer gives: the map empty first */
    sgc_bpf_unames_clear(u->fd);
    sgc_usercache_flush_host(u->uc); /* containers keep their own databases' names */
    sgc_unames_fill(u);
    u->refreshes++;
    return true;
}
