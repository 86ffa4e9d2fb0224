/* User and group names for uids/gids (user.name, user.homedir, user.shell,
 * user.loginname, group.name), looked up once and cached.
 *
 * Container-aware: a uid means what the process's own /etc/passwd says, so
 * for a process in a container the names come from the container's files
 * (read through /proc/PID/root/etc/passwd), cached per container id; for the
 * host, from NSS (getpwuid_r/getgrgid_r). Entries set explicitly (an event
 * file's "user" object) win over lookups. A uid nobody knows is remembered
 * as unknown (the fields render <NA>, as in Falco) until sgc_usercache_flush.
 *
 * Caveat: names are those at lookup time; an account renamed later keeps its
 * old name until the next flush. */
#ifndef SGC_USERCACHE_H
#define SGC_USERCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_user {
    uint32_t uid, gid;
    const char *name, *homedir, *shell; /* NULL = unknown */
} sgc_user;

typedef struct sgc_group {
    uint32_t gid;
    const char *name; /* NULL = unknown */
} sgc_group;

enum {
    SGC_USERS_NSS = 1u << 0,      /* host processes: getpwuid_r / getgrgid_r */
    SGC_USERS_PROCROOT = 1u << 1, /* container processes: /proc/PID/root/etc/{passwd,group} */
};

typedef struct sgc_usercache sgc_usercache;

sgc_usercache *sgc_usercache_new(unsigned sources); /* SGC_USERS_* bits; 0 = explicit only */
void sgc_usercache_free(sgc_usercache *c);
/* Forget looked-up entries (explicit ones stay). */
void sgc_usercache_flush(sgc_usercache *c);
/* The same for the host's entries only: a container's names, read while
 * its processes were alive, stay. */
void sgc_usercache_flush_host(sgc_usercache *c);

/* The user with uid `uid` as seen by process `pid` in `container_id`
 * ("host", "" or NULL for the host). Never NULL: unknown names are NULL. */
const sgc_user *sgc_usercache_user(sgc_usercache *c, const char *container_id, uint32_t pid,
                                   uint32_t uid);
const sgc_group *sgc_usercache_group(sgc_usercache *c, const char *container_id, uint32_t pid,
                                     uint32_t gid);

/* The host's accounts, as Falco imports them at start: every user and
 * group the host's database enumerates (NSS getpwent/getgrent, or
 * HOST_ROOT's /etc/passwd and /etc/group) is cached now, the first entry of
 * an id winning as in a lookup; ids already cached keep their entry. Only
 * with SGC_USERS_NSS. */
void sgc_usercache_import_host(sgc_usercache *c);

/* The ids of the host's cached users (groups: true, groups) and of the
 * explicit entries for any container, each once, in *out (malloc'd, NULL
 * when none). Their names are what sgc_usercache_user/group(c, "host", ...)
 * return. Returns the count. */
size_t sgc_usercache_host_ids(const sgc_usercache *c, bool groups, uint32_t **out);

/* Explicit entries; container_id NULL = any container and the host. Strings
 * are copied; NULL members stay unknown. */
void sgc_usercache_set_user(sgc_usercache *c, const char *container_id, uint32_t uid, uint32_t gid,
                            const char *name, const char *homedir, const char *shell);
void sgc_usercache_set_group(sgc_usercache *c, const char *container_id, uint32_t gid,
                             const char *name);

#endif
