/* Cached uid/gid -> name lookups, per container (see usercache.h). */
#include "usercache.h"

#include "hostroot.h"

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS   1024
#define SCOPE_ANY  "*"
#define SCOPE_HOST ""

typedef enum { K_USER, K_GROUP } kind;

typedef struct entry {
    struct entry *next;
    kind k;
    bool explicit_;
    char *scope; /* "" host, "*" any, or a container id */
    union {
        sgc_user u;
        sgc_group g;
    };
    char *strings; /* owns the names */
} entry;

struct sgc_usercache {
    unsigned sources;
    entry *buckets[NBUCKETS];
    /* Containers whose passwd/group files were already read (whole file
     * cached at once): scope strings, newline separated. */
    char *loaded_users, *loaded_groups;
};

static unsigned hash_key(kind k, const char *scope, uint32_t id)
{
    unsigned h = 2166136261u ^ (unsigned)k;
    for (const char *p = scope; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    h = (h ^ id) * 16777619u;
    return h % NBUCKETS;
}

static const char *norm_scope(const char *container_id)
{
    if (!container_id || !*container_id || !strcmp(container_id, "host")) return SCOPE_HOST;
    return container_id;
}

static entry *find(sgc_usercache *c, kind k, const char *scope, uint32_t id, int want_explicit)
{
    for (entry *e = c->buckets[hash_key(k, scope, id)]; e; e = e->next) {
        if (e->k != k || strcmp(e->scope, scope)) continue;
        if ((k == K_USER ? e->u.uid : e->g.gid) != id) continue;
        if (want_explicit >= 0 && e->explicit_ != (want_explicit != 0)) continue;
        return e;
    }
    return NULL;
}

/* Copy up to three strings into one allocation. */
static char *pack(const char *a, const char *b, const char *cc, const char **pa, const char **pb,
                  const char **pc)
{
    size_t la = a ? strlen(a) + 1 : 0, lb = b ? strlen(b) + 1 : 0, lc = cc ? strlen(cc) + 1 : 0;
    char *s = malloc(la + lb + lc + 1);
    if (!s) return NULL;
    char *w = s;
    *pa = a ? memcpy(w, a, la) : NULL;
    w += la;
    *pb = b ? memcpy(w, b, lb) : NULL;
    w += lb;
    *pc = cc ? memcpy(w, cc, lc) : NULL;
    return s;
}

static entry *add(sgc_usercache *c, kind k, const char *scope, uint32_t id, bool explicit_)
{
    entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->scope = strdup(scope);
    if (!e->scope) {
        free(e);
        return NULL;
    }
    e->k = k;
    e->explicit_ = explicit_;
    if (k == K_USER)
        e->u.uid = id;
    else
        e->g.gid = id;
    unsigned h = hash_key(k, scope, id);
    e->next = c->buckets[h];
    c->buckets[h] = e;
    return e;
}

static void set_user_strings(entry *e, uint32_t gid, const char *name, const char *home,
                             const char *shell)
{
    free(e->strings);
    e->u.gid = gid;
    e->strings = pack(name, home, shell, &e->u.name, &e->u.homedir, &e->u.shell);
    if (!e->strings) e->u.name = e->u.homedir = e->u.shell = NULL;
}

static void set_group_string(entry *e, const char *name)
{
    const char *unused1, *unused2;
    free(e->strings);
    e->strings = pack(name, NULL, NULL, &e->g.name, &unused1, &unused2);
    if (!e->strings) e->g.name = NULL;
}

sgc_usercache *sgc_usercache_new(unsigned sources)
{
    sgc_usercache *c = calloc(1, sizeof *c);
    if (c) c->sources = sources;
    return c;
}

/* Drop the entries (of scope `only`, or all when NULL), explicit ones too
 * unless keep_explicit. The lists of loaded scopes are the caller's. */
static void drop_entries(sgc_usercache *c, bool keep_explicit, const char *only)
{
    for (int i = 0; i < NBUCKETS; i++) {
        entry **link = &c->buckets[i];
        while (*link) {
            entry *e = *link;
            if ((keep_explicit && e->explicit_) || (only && strcmp(e->scope, only))) {
                link = &e->next;
                continue;
            }
            *link = e->next;
            free(e->strings);
            free(e->scope);
            free(e);
        }
    }
}

static void forget_loaded(sgc_usercache *c)
{
    free(c->loaded_users);
    free(c->loaded_groups);
    c->loaded_users = c->loaded_groups = NULL;
}

void sgc_usercache_free(sgc_usercache *c)
{
    if (!c) return;
    drop_entries(c, false, NULL);
    forget_loaded(c);
    free(c);
}

void sgc_usercache_flush(sgc_usercache *c)
{
    drop_entries(c, true, NULL);
    forget_loaded(c);
}

/* Remove `scope` from a newline-separated list of loaded scopes. */
static void unmark_loaded(char *list, const char *scope)
{
    size_t n = strlen(scope);
    for (char *p = list; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && !memcmp(p, scope, n)) {
            memmove(p, nl ? nl + 1 : p + len, strlen(nl ? nl + 1 : p + len) + 1);
            continue;
        }
        p = nl ? nl + 1 : p + len;
    }
}

void sgc_usercache_flush_host(sgc_usercache *c)
{
    drop_entries(c, true, SCOPE_HOST);
    unmark_loaded(c->loaded_users, SCOPE_HOST);
    unmark_loaded(c->loaded_groups, SCOPE_HOST);
}

void sgc_usercache_set_user(sgc_usercache *c, const char *container_id, uint32_t uid, uint32_t gid,
                            const char *name, const char *homedir, const char *shell)
{
    const char *scope = container_id ? norm_scope(container_id) : SCOPE_ANY;
    entry *e = find(c, K_USER, scope, uid, 1);
    if (!e) e = add(c, K_USER, scope, uid, true);
    if (e) set_user_strings(e, gid, name, homedir, shell);
}

void sgc_usercache_set_group(sgc_usercache *c, const char *container_id, uint32_t gid,
                             const char *name)
{
    const char *scope = container_id ? norm_scope(container_id) : SCOPE_ANY;
    entry *e = find(c, K_GROUP, scope, gid, 1);
    if (!e) e = add(c, K_GROUP, scope, gid, true);
    if (e) set_group_string(e, name);
}

static bool scope_loaded(char **list, const char *scope, bool mark)
{
    size_t n = strlen(scope);
    for (const char *p = *list; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && !memcmp(p, scope, n)) return true;
        p = nl ? nl + 1 : p + len;
    }
    if (mark) {
        size_t old = *list ? strlen(*list) : 0;
        char *nl = realloc(*list, old + n + 2);
        if (nl) {
            memcpy(nl + old, scope, n);
            nl[old + n] = '\n';
            nl[old + n + 1] = '\0';
            *list = nl;
        }
    }
    return false;
}

/* Cache every account of a container's /etc/passwd (read through the
 * process's root), as Falco does; the file is read once per container. */
static void load_container_users(sgc_usercache *c, const char *scope, uint32_t pid)
{
    if (scope_loaded(&c->loaded_users, scope, false)) return;
    char path[PATH_MAX], rel[64];
    if (pid)
        snprintf(rel, sizeof rel, "/proc/%u/root/etc/passwd", pid);
    else /* the host's own accounts, under HOST_ROOT */
        snprintf(rel, sizeof rel, "/etc/passwd");
    FILE *f = sgc_host_path(path, sizeof path, rel) ? fopen(path, "re") : NULL;
    if (!f) /* the process is gone: another of the container's may do */
        return;
    scope_loaded(&c->loaded_users, scope, true);
    struct passwd pw, *res;
    char buf[4096];
    while (fgetpwent_r(f, &pw, buf, sizeof buf, &res) == 0 && res) {
        entry *e = find(c, K_USER, scope, pw.pw_uid, 0);
        if (e && e->u.name) continue;
        if (!e) /* an entry remembered as unknown learns its name now */
            e = add(c, K_USER, scope, pw.pw_uid, false);
        if (e) set_user_strings(e, pw.pw_gid, pw.pw_name, pw.pw_dir, pw.pw_shell);
    }
    fclose(f);
}

static void load_container_groups(sgc_usercache *c, const char *scope, uint32_t pid)
{
    if (scope_loaded(&c->loaded_groups, scope, false)) return;
    char path[PATH_MAX], rel[64];
    if (pid)
        snprintf(rel, sizeof rel, "/proc/%u/root/etc/group", pid);
    else
        snprintf(rel, sizeof rel, "/etc/group");
    FILE *f = sgc_host_path(path, sizeof path, rel) ? fopen(path, "re") : NULL;
    if (!f) return;
    scope_loaded(&c->loaded_groups, scope, true);
    struct group gr, *res;
    char buf[8192];
    while (fgetgrent_r(f, &gr, buf, sizeof buf, &res) == 0 && res) {
        entry *e = find(c, K_GROUP, scope, gr.gr_gid, 0);
        if (e && e->g.name) continue;
        if (!e) e = add(c, K_GROUP, scope, gr.gr_gid, false);
        if (e) set_group_string(e, gr.gr_name);
    }
    fclose(f);
}

/* NSS enumeration of the host's accounts (no HOST_ROOT): an id keeps its
 * first entry, as getpwuid_r would return it. */
static void import_nss(sgc_usercache *c)
{
    struct passwd pw, *pres;
    char buf[4096];
    setpwent();
    while (getpwent_r(&pw, buf, sizeof buf, &pres) == 0 && pres)
        if (!find(c, K_USER, SCOPE_HOST, pw.pw_uid, 0)) {
            entry *e = add(c, K_USER, SCOPE_HOST, pw.pw_uid, false);
            if (e) set_user_strings(e, pw.pw_gid, pw.pw_name, pw.pw_dir, pw.pw_shell);
        }
    endpwent();
    struct group gr, *gres;
    char gbuf[8192];
    setgrent();
    while (getgrent_r(&gr, gbuf, sizeof gbuf, &gres) == 0 && gres)
        if (!find(c, K_GROUP, SCOPE_HOST, gr.gr_gid, 0)) {
            entry *e = add(c, K_GROUP, SCOPE_HOST, gr.gr_gid, false);
            if (e) set_group_string(e, gr.gr_name);
        }
    endgrent();
}

void sgc_usercache_import_host(sgc_usercache *c)
{
    if (!(c->sources & SGC_USERS_NSS)) return;
    if (*sgc_host_root()) { /* the lookups read these files too */
        load_container_users(c, SCOPE_HOST, 0);
        load_container_groups(c, SCOPE_HOST, 0);
    } else {
        import_nss(c);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

size_t sgc_usercache_host_ids(const sgc_usercache *c, bool groups, uint32_t **out)
{
    size_t n = 0, cap = 0;
    uint32_t *ids = NULL;
    kind k = groups ? K_GROUP : K_USER;
    for (int i = 0; i < NBUCKETS; i++)
        for (const entry *e = c->buckets[i]; e; e = e->next) {
            if (e->k != k || (strcmp(e->scope, SCOPE_HOST) && strcmp(e->scope, SCOPE_ANY)))
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                uint32_t *np = realloc(ids, cap * sizeof *np);
                if (!np) break;
                ids = np;
            }
            ids[n++] = k == K_USER ? e->u.uid : e->g.gid;
        }
    /* an id may have an explicit and a looked-up entry: once each */
    if (n) qsort(ids, n, sizeof *ids, cmp_u32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || ids[m - 1] != ids[i]) ids[m++] = ids[i];
    *out = ids;
    return m;
}

const sgc_user *sgc_usercache_user(sgc_usercache *c, const char *container_id, uint32_t pid,
                                   uint32_t uid)
{
    static sgc_user unknown;
    const char *scope = norm_scope(container_id);
    entry *e = find(c, K_USER, scope, uid, 1);
    if (!e) e = find(c, K_USER, SCOPE_ANY, uid, 1);
    if (!e) e = find(c, K_USER, scope, uid, 0);
    if ((!e || !e->u.name) && *scope && (c->sources & SGC_USERS_PROCROOT) && pid) {
        load_container_users(c, scope, pid);
        e = find(c, K_USER, scope, uid, 0);
    }
    if (!e && !*scope && (c->sources & SGC_USERS_NSS) && *sgc_host_root()) {
        /* the host's accounts: HOST_ROOT/etc/passwd, not this container's */
        load_container_users(c, scope, 0);
        e = find(c, K_USER, scope, uid, 0);
    }
    if (!e && *scope && uid == 0) {
        /* libsinsp: uid 0 is root even without a readable database */
        e = add(c, K_USER, scope, uid, false);
        if (e) set_user_strings(e, 0, "root", "/root", NULL);
    }
    if (!e) {
        e = add(c, K_USER, scope, uid, false);
        if (!e) {
            unknown.uid = uid;
            return &unknown;
        }
        struct passwd pw, *res = NULL;
        char buf[4096];
        if (!*scope && (c->sources & SGC_USERS_NSS) && !*sgc_host_root() &&
            getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
            set_user_strings(e, pw.pw_gid, pw.pw_name, pw.pw_dir, pw.pw_shell);
        /* else: remembered as unknown */
    }
    return &e->u;
}

const sgc_group *sgc_usercache_group(sgc_usercache *c, const char *container_id, uint32_t pid,
                                     uint32_t gid)
{
    static sgc_group unknown;
    const char *scope = norm_scope(container_id);
    entry *e = find(c, K_GROUP, scope, gid, 1);
    if (!e) e = find(c, K_GROUP, SCOPE_ANY, gid, 1);
    if (!e) e = find(c, K_GROUP, scope, gid, 0);
    if ((!e || !e->g.name) && *scope && (c->sources & SGC_USERS_PROCROOT) && pid) {
        load_container_groups(c, scope, pid);
        e = find(c, K_GROUP, scope, gid, 0);
    }
    if (!e && !*scope && (c->sources & SGC_USERS_NSS) && *sgc_host_root()) {
        load_container_groups(c, scope, 0);
        e = find(c, K_GROUP, scope, gid, 0);
    }
    if (!e && *scope && gid == 0) {
        e = add(c, K_GROUP, scope, gid, false);
        if (e) set_group_string(e, "root");
    }
    if (!e) {
        e = add(c, K_GROUP, scope, gid, false);
        if (!e) {
            unknown.gid = gid;
            return &unknown;
        }
        struct group gr, *res = NULL;
        char buf[8192];
        if (!*scope && (c->sources & SGC_USERS_NSS) && !*sgc_host_root() &&
            getgrgid_r(gid, &gr, buf, sizeof buf, &res) == 0 && res)
            set_group_string(e, gr.gr_name);
    }
    return &e->g;
}
