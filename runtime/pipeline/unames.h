/* user.name, group.name and user.loginname in the kernel: the runtime fills
 * the kernel filter's sgc_unames map (bpf-templates/filter_users.h) with the
 * names its user cache gives the host's ids, the cache the evaluator reads,
 * and keeps the two in step when the host's account files change.
 *
 * Refresh: the host's /etc/passwd and /etc/group (under HOST_ROOT) are
 * checked (sgc_unames_check, every second from the run loop); when either
 * changed (inode, size, mtime or ctime), the map is emptied (every name
 * UNKNOWN in the kernel), the cache's host entries flushed and the host's
 * accounts read again, then the map filled from the new cache. An event therefore meets
 * in the kernel either UNKNOWN or the name the evaluator's cache gave its
 * id since the last refresh. The window: an event of the time between a
 * change of the files and its check (up to a second) is decided with the
 * old names, which the evaluator also used until the check; one that
 * waits in the ring buffer across the check is evaluated with the new
 * names. Names from NSS sources other than the files (LDAP, sssd) that
 * change without a change of the files are not seen until a file changes. */
#ifndef SGC_UNAMES_H
#define SGC_UNAMES_H

#include "usercache.h"

#include <stdint.h>
#include <sys/types.h>

typedef struct sgc_unames_stamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    int64_t mtime_ns, ctime_ns;
    int err; /* errno of the stat, 0 when it succeeded */
} sgc_unames_stamp;

typedef struct sgc_unames {
    int fd;                    /* the map; -1: none (nothing is done) */
    sgc_usercache *uc;         /* the evaluator's cache */
    sgc_unames_stamp stamp[2]; /* passwd, group, at the last fill */
    size_t users, groups;      /* names written at the last fill */
    unsigned refreshes;        /* fills after the first */
} sgc_unames;

/* Import the host's accounts into uc (sgc_usercache_import_host) and write
 * the name uc gives each host id (sgc_usercache_user/group for "host") into
 * the map fd, emptied first; counts in u->users/groups. */
void sgc_unames_fill(sgc_unames *u);

/* Start: remember map fd and cache uc, stamp the files, fill. fd < 0 or
 * uc NULL: a no-op object (every later call does nothing). */
void sgc_unames_start(sgc_unames *u, int fd, sgc_usercache *uc);

/* If the host's /etc/passwd or /etc/group changed since the last fill:
 * empty the map, flush the cache's host entries, fill again. Returns true when it did. */
bool sgc_unames_check(sgc_unames *u);

#endif
