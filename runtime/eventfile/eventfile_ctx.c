/* Event files: process, user, group and container objects into the process
 * table, user cache and container table. */
#include "eventfile_int.h"

#include "container_id.h"
#include "dnsnames.h"
#include "systables.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PARENT_DEPTH 64

bool sgc_ef_fail(sgc_eventfile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->errmsg, sizeof f->errmsg, fmt, ap);
    va_end(ap);
    return false;
}

bool sgc_ef_u64(sgc_eventfile *f, json_t *v, const char *what, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        unsigned long long x = strtoull(s, &end, 0);
        if (*s && *s != '-' && !*end) {
            *out = x;
            return true;
        }
    }
    return sgc_ef_fail(f, "\"%s\": expected a non-negative number", what);
}

bool sgc_ef_s64(sgc_eventfile *f, json_t *v, const char *what, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        long long x = strtoll(s, &end, 0);
        if (*s && !*end) {
            *out = x;
            return true;
        }
    }
    return sgc_ef_fail(f, "\"%s\": expected a number", what);
}

bool sgc_ef_time(sgc_eventfile *f, json_t *v, const char *what, uint64_t *out)
{
    if (!json_is_string(v)) return sgc_ef_u64(f, v, what, out);
    const char *s = json_string_value(v);
    struct tm tm = {0};
    const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return sgc_ef_fail(f,
                           "\"%s\": expected ns since the epoch or RFC 3339 time "
                           "(2024-05-01T12:00:00.123456789Z)",
                           what);
    uint64_t frac = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 9) frac = frac * 10 + (uint64_t)(*p - '0');
        for (; digits < 9; digits++) frac *= 10;
    }
    if (strcmp(p, "Z") && strcmp(p, "+00:00"))
        return sgc_ef_fail(f, "\"%s\": times must be UTC (end in Z)", what);
    time_t sec = timegm(&tm);
    if (sec < 0) return sgc_ef_fail(f, "\"%s\": time before 1970", what);
    *out = (uint64_t)sec * 1000000000ull + frac;
    return true;
}

/* ---- users and groups ------------------------------------------------------- */

static const char *opt_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool sgc_ef_check_keys(sgc_eventfile *f, json_t *obj, const char *what, const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (int i = 0; known[i] && !ok; i++) ok = !strcmp(key, known[i]);
        if (!ok) {
            char list[400] = "";
            for (int i = 0; known[i]; i++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", known[i]);
            }
            return what ? sgc_ef_fail(f, "%s: unknown key '%s' (known: %s)", what, key, list)
                        : sgc_ef_fail(f, "unknown key '%s' (known: %s)", key, list);
        }
        if (!json_is_string(v) && !json_is_integer(v) && !json_is_boolean(v) && !json_is_array(v) &&
            !json_is_object(v))
            return what ? sgc_ef_fail(f, "%s.%s: unsupported value", what, key)
                        : sgc_ef_fail(f, "%s: unsupported value", key);
    }
    return true;
}

bool sgc_ef_apply_user(sgc_eventfile *f, json_t *obj, sgc_proc *p)
{
    static const char *const known[] = {"uid",   "gid",      "name",      "homedir",
                                        "shell", "loginuid", "loginname", NULL};
    if (!json_is_object(obj)) return sgc_ef_fail(f, "\"user\" must be an object");
    if (!sgc_ef_check_keys(f, obj, "user", known)) return false;
    uint64_t uid = p->euid, gid = p->egid, luid;
    json_t *v;
    if ((v = json_object_get(obj, "uid")) && !sgc_ef_u64(f, v, "user.uid", &uid)) return false;
    if ((v = json_object_get(obj, "gid")) && !sgc_ef_u64(f, v, "user.gid", &gid)) return false;
    p->uid = p->euid = (uint32_t)uid;
    if (json_object_get(obj, "gid")) p->gid = p->egid = (uint32_t)gid;
    if ((v = json_object_get(obj, "loginuid"))) {
        int64_t l = 0;
        if (!sgc_ef_s64(f, v, "user.loginuid", &l)) return false;
        p->loginuid = l < 0 ? SGC_LOGINUID_UNSET : (uint32_t)l;
    }
    if (f->env.users) {
        const char *name = opt_str(obj, "name");
        if (name || opt_str(obj, "homedir") || opt_str(obj, "shell"))
            sgc_usercache_set_user(f->env.users, NULL, (uint32_t)uid, (uint32_t)gid, name,
                                   opt_str(obj, "homedir"), opt_str(obj, "shell"));
        const char *lname = opt_str(obj, "loginname");
        luid = p->loginuid;
        if (lname && p->loginuid != SGC_LOGINUID_UNSET)
            sgc_usercache_set_user(f->env.users, NULL, (uint32_t)luid, 0, lname, NULL, NULL);
    }
    return true;
}

bool sgc_ef_apply_group(sgc_eventfile *f, json_t *obj, sgc_proc *p)
{
    static const char *const known[] = {"gid", "name", NULL};
    if (!json_is_object(obj)) return sgc_ef_fail(f, "\"group\" must be an object");
    if (!sgc_ef_check_keys(f, obj, "group", known)) return false;
    uint64_t gid = p->egid;
    json_t *v = json_object_get(obj, "gid");
    if (v && !sgc_ef_u64(f, v, "group.gid", &gid)) return false;
    p->gid = p->egid = (uint32_t)gid;
    const char *name = opt_str(obj, "name");
    if (name && f->env.users) sgc_usercache_set_group(f->env.users, NULL, (uint32_t)gid, name);
    return true;
}

/* ---- containers ---------------------------------------------------------------- */

bool sgc_ef_apply_container(sgc_eventfile *f, json_t *obj, const char *known_id, char id_out[65])
{
    static const char *const known[] = {"id",         "name",   "type",   "image",      "image_id",
                                        "repository", "tag",    "digest", "privileged", "ip",
                                        "start_ts",   "mounts", "labels", "k8s",        NULL};
    if (!json_is_object(obj)) return sgc_ef_fail(f, "\"container\" must be an object");
    if (!sgc_ef_check_keys(f, obj, "container", known)) return false;
    const char *id = opt_str(obj, "id");
    if (!id) id = known_id;
    if (!id || !*id || !strcmp(id, "host"))
        return sgc_ef_fail(f, "container: give its \"id\" (or the process's \"cgroup\")");
    if (strlen(id) > SGC_CONTAINER_ID_LEN)
        return sgc_ef_fail(f, "container.id: longer than 64 characters");
    snprintf(id_out, 65, "%s", id);
    if (!f->env.containers) return true;
    sgc_container_info *ci = sgc_containers_upsert(f->env.containers, id);
    if (!ci) return sgc_ef_fail(f, "out of memory");
    struct {
        const char *key;
        char **member;
    } strs[] = {
        {"name", &ci->name},
        {"type", &ci->type},
        {"image", &ci->image},
        {"image_id", &ci->image_id},
        {"repository", &ci->image_repository},
        {"tag", &ci->image_tag},
        {"digest", &ci->image_digest},
        {"ip", &ci->ip},
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        json_t *v = json_object_get(obj, strs[i].key);
        if (!v) continue;
        if (!json_is_string(v)) return sgc_ef_fail(f, "container.%s must be a string", strs[i].key);
        sgc_container_set_str(strs[i].member, json_string_value(v));
    }
    json_t *v;
    if ((v = json_object_get(obj, "privileged"))) {
        if (!json_is_boolean(v))
            return sgc_ef_fail(f, "container.privileged must be true or false");
        ci->privileged = json_is_true(v);
    }
    if ((v = json_object_get(obj, "start_ts")) &&
        !sgc_ef_time(f, v, "container.start_ts", &ci->start_ts))
        return false;
    if ((v = json_object_get(obj, "mounts"))) {
        if (!json_is_array(v))
            return sgc_ef_fail(f, "container.mounts must be an array of objects");
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m)
        {
            static const char *const mk[] = {"source", "dest", "mode", "rw", "propagation", NULL};
            if (!json_is_object(m) || !sgc_ef_check_keys(f, m, "container.mounts[]", mk))
                return f->errmsg[0] ? false : sgc_ef_fail(f, "container.mounts[] must be objects");
            json_t *rw = json_object_get(m, "rw");
            sgc_container_add_mount(ci, opt_str(m, "source"), opt_str(m, "dest"),
                                    opt_str(m, "mode"), rw ? json_is_true(rw) : true,
                                    opt_str(m, "propagation"));
        }
    }
    if ((v = json_object_get(obj, "labels"))) {
        if (!json_is_object(v))
            return sgc_ef_fail(f, "container.labels must be an object of strings");
        const char *k;
        json_t *lv;
        json_object_foreach(v, k, lv)
        {
            if (!json_is_string(lv))
                return sgc_ef_fail(f, "container.labels.%s must be a string", k);
            sgc_container_set_label(ci, k, json_string_value(lv));
        }
    }
    if ((v = json_object_get(obj, "k8s"))) {
        /* Falco reads k8s.* from these CRI labels of the container */
        static const char *const kk[] = {"ns", "pod", "pod_uid", "sandbox_id", NULL};
        static const char *const labels[] = {"io.kubernetes.pod.namespace",
                                             "io.kubernetes.pod.name", "io.kubernetes.pod.uid",
                                             "io.kubernetes.sandbox.id"};
        if (!json_is_object(v) || !sgc_ef_check_keys(f, v, "container.k8s", kk))
            return f->errmsg[0] ? false : sgc_ef_fail(f, "container.k8s must be an object");
        for (int i = 0; kk[i]; i++)
            if (opt_str(v, kk[i])) sgc_container_set_label(ci, labels[i], opt_str(v, kk[i]));
    }
    return true;
}

/* ---- processes ------------------------------------------------------------------ */

/* Strings of an array (or one space-separated string) as a NUL-separated
 * list in a malloc'd buffer. */
static bool list_value(sgc_eventfile *f, json_t *v, const char *what, bool split_spaces, char **out,
                       size_t *len)
{
    size_t cap = 64, n = 0;
    char *buf = malloc(cap);
    if (!buf) return sgc_ef_fail(f, "out of memory");
#define APPEND(p, l)                                                                               \
    do {                                                                                           \
        while (n + (l) + 1 > cap) {                                                                \
            char *nb = realloc(buf, cap *= 2);                                                     \
            if (!nb) {                                                                             \
                free(buf);                                                                         \
                return sgc_ef_fail(f, "out of memory");                                            \
            }                                                                                      \
            buf = nb;                                                                              \
        }                                                                                          \
        memcpy(buf + n, p, l);                                                                     \
        n += (l);                                                                                  \
        buf[n++] = '\0';                                                                           \
    } while (0)
    if (json_is_string(v) && split_spaces) {
        const char *s = json_string_value(v);
        while (*s) {
            while (*s == ' ') s++;
            const char *e = s;
            while (*e && *e != ' ') e++;
            if (e > s) APPEND(s, (size_t)(e - s));
            s = e;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (!json_is_string(item)) {
                free(buf);
                return sgc_ef_fail(f, "%s: items must be strings", what);
            }
            APPEND(json_string_value(item), json_string_length(item));
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_t *item;
        json_object_foreach(v, k, item)
        {
            if (!json_is_string(item)) {
                free(buf);
                return sgc_ef_fail(f, "%s.%s must be a string", what, k);
            }
            size_t kl = strlen(k), vl = json_string_length(item);
            char *kv = malloc(kl + vl + 2);
            if (!kv) {
                free(buf);
                return sgc_ef_fail(f, "out of memory");
            }
            memcpy(kv, k, kl);
            kv[kl] = '=';
            memcpy(kv + kl + 1, json_string_value(item), vl);
            APPEND(kv, kl + vl + 1);
            free(kv);
        }
    } else {
        free(buf);
        return sgc_ef_fail(f, "%s: expected %s", what,
                           split_spaces ? "an array of strings or a string"
                                        : "an array of strings or an object");
    }
#undef APPEND
    *out = buf;
    *len = n;
    return true;
}

/* Capabilities: an array of names, a space-separated string of names, or a
 * number (hex string ok). */
static bool caps_value(sgc_eventfile *f, json_t *v, const char *what, uint64_t *out)
{
    if (json_is_integer(v)) return sgc_ef_u64(f, v, what, out);
    char *list = NULL;
    size_t len = 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strncmp(s, "0x", 2) || (*s >= '0' && *s <= '9')) return sgc_ef_u64(f, v, what, out);
    }
    if (!list_value(f, v, what, true, &list, &len)) return false;
    uint64_t caps = 0;
    for (const char *p = list; p < list + len; p += strlen(p) + 1) {
        int bit = sgc_cap_bit(p);
        if (bit < 0) {
            sgc_ef_fail(f, "%s: unknown capability '%s'", what, p);
            free(list);
            return false;
        }
        caps |= 1ull << bit;
    }
    free(list);
    *out = caps;
    return true;
}

static bool u32_field(sgc_eventfile *f, json_t *obj, const char *key, uint32_t *dst)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return true;
    uint64_t x = 0;
    if (!sgc_ef_u64(f, v, key, &x)) return false;
    *dst = (uint32_t)x;
    return true;
}

/* A "proc" object's ids, credentials, capabilities and start time. */
static bool apply_proc_creds(sgc_eventfile *f, json_t *obj, sgc_proc *p)
{
    json_t *v;
    if (!u32_field(f, obj, "ppid", &p->ppid) || !u32_field(f, obj, "vpid", &p->vpid) ||
        !u32_field(f, obj, "sid", &p->sid) || !u32_field(f, obj, "vpgid", &p->vpgid) ||
        !u32_field(f, obj, "tty", &p->tty))
        return false;
    /* "uid" is what rules call user.uid (the effective uid): set both. */
    uint32_t uid = p->euid, gid = p->egid;
    if (!u32_field(f, obj, "uid", &uid) || !u32_field(f, obj, "gid", &gid)) return false;
    if (json_object_get(obj, "uid")) p->uid = p->euid = uid;
    if (json_object_get(obj, "gid")) p->gid = p->egid = gid;
    if (!u32_field(f, obj, "euid", &p->euid) || !u32_field(f, obj, "egid", &p->egid)) return false;
    if ((v = json_object_get(obj, "loginuid"))) {
        int64_t l = 0;
        if (!sgc_ef_s64(f, v, "loginuid", &l)) return false;
        p->loginuid = l < 0 ? SGC_LOGINUID_UNSET : (uint32_t)l;
    }
    if ((v = json_object_get(obj, "cap_effective")) &&
        !caps_value(f, v, "cap_effective", &p->cap_effective))
        return false;
    if ((v = json_object_get(obj, "cap_permitted")) &&
        !caps_value(f, v, "cap_permitted", &p->cap_permitted))
        return false;
    if ((v = json_object_get(obj, "cap_inheritable"))) {
        if (!caps_value(f, v, "cap_inheritable", &p->cap_inheritable)) return false;
        p->has_cap_inheritable = true;
    }
    if ((v = json_object_get(obj, "start_ts")) && !sgc_ef_time(f, v, "start_ts", &p->start_ns))
        return false;
    return true;
}

/* The NUL-separated lists an image spec points into while it is applied. */
typedef struct image_lists {
    char *args, *env, *cmd;
} image_lists;

/* Name, argv[0], path, arguments, environment, cwd, cgroup of a "proc"
 * object, with the defaults of a hand-written process (argv[0] and the path
 * from each other, the name from the path). Only what the object gives
 * changes; `exec` describes a new program. */
static bool image_strings(sgc_eventfile *f, json_t *obj, const sgc_proc *p, bool exec,
                          sgc_proc_image_spec *spec, image_lists *l, const char **name)
{
    size_t args_len = 0, env_len = 0, cmd_len = 0;
    json_t *v;
    *name = opt_str(obj, "name");
    spec->exe = opt_str(obj, "exe");
    spec->exepath = opt_str(obj, "exepath");
    spec->cwd = opt_str(obj, "cwd");
    spec->cgroup = opt_str(obj, "cgroup");
    spec->container_id = opt_str(obj, "container_id");
    if ((v = json_object_get(obj, "cmdline"))) {
        /* "name arg1 arg2": a shorthand for name and args */
        if (!list_value(f, v, "cmdline", true, &l->cmd, &cmd_len)) return false;
        if (cmd_len) {
            if (!*name) *name = l->cmd;
            size_t first = strlen(l->cmd) + 1;
            if (!json_object_get(obj, "args")) {
                spec->args = l->cmd + first;
                spec->args_len = cmd_len - first;
            }
        }
    }
    if ((v = json_object_get(obj, "args"))) {
        if (!list_value(f, v, "args", true, &l->args, &args_len)) return false;
        spec->args = l->args;
        spec->args_len = args_len;
    }
    if ((v = json_object_get(obj, "env"))) {
        if (!list_value(f, v, "env", false, &l->env, &env_len)) return false;
        spec->env = l->env;
        spec->env_len = env_len;
    }
    if (!spec->exepath && spec->exe && spec->exe[0] == '/' && (exec || !p->img->exepath_len))
        spec->exepath = spec->exe;
    if (!spec->exe && (exec || !p->img->exe_len)) spec->exe = spec->exepath ? spec->exepath : *name;
    if (exec && !spec->args) spec->args = ""; /* a new program: no arguments unless given */
    if (spec->exe) spec->exe_len = strlen(spec->exe);
    if (spec->exepath) spec->exepath_len = strlen(spec->exepath);
    if (spec->cwd) spec->cwd_len = strlen(spec->cwd);
    if (spec->cgroup) spec->cgroup_len = strlen(spec->cgroup);
    return true;
}

/* The executable's facts: is_exe_* flags, inode and its times. */
static bool image_exe_facts(sgc_eventfile *f, json_t *obj, const sgc_proc *p,
                            sgc_proc_image_spec *spec)
{
    static const char *const flags[] = {"is_exe_writable", "is_exe_upper_layer",
                                        "is_exe_from_memfd"};
    static const uint32_t bits[] = {SGC_EXE_WRITABLE, SGC_EXE_UPPER_LAYER, SGC_EXE_FROM_MEMFD};
    json_t *v;
    for (int i = 0; i < 3; i++) {
        if (!(v = json_object_get(obj, flags[i]))) continue;
        if (!json_is_boolean(v)) return sgc_ef_fail(f, "proc.%s must be true or false", flags[i]);
        if (!spec->has_exe_flags) {
            spec->has_exe_flags = true;
            spec->exe_flags = p->img->has_exe_flags ? p->img->exe_flags : 0;
        }
        spec->exe_flags = json_is_true(v) ? spec->exe_flags | bits[i] : spec->exe_flags & ~bits[i];
    }
    if ((v = json_object_get(obj, "exe_ino")) && !sgc_ef_u64(f, v, "exe_ino", &spec->exe_ino))
        return false;
    if ((v = json_object_get(obj, "exe_ino_ctime")) &&
        !sgc_ef_time(f, v, "exe_ino_ctime", &spec->exe_ctime_ns))
        return false;
    if ((v = json_object_get(obj, "exe_ino_mtime")) &&
        !sgc_ef_time(f, v, "exe_ino_mtime", &spec->exe_mtime_ns))
        return false;
    return true;
}

/* A "container" object inside "proc": its id is the one the process already
 * has (container_id, its cgroup, or the table's) when there is one. */
static bool image_container(sgc_eventfile *f, json_t *v, const sgc_proc *p,
                            sgc_proc_image_spec *spec, char cid[65])
{
    char derived[65] = "";
    if (spec->cgroup) sgc_container_id_from_cgroup(spec->cgroup, spec->cgroup_len, derived);
    const char *known_id = spec->container_id                        ? spec->container_id
                           : (derived[0] && strcmp(derived, "host")) ? derived
                           : (p->img->cid_len && strcmp(p->img->container_id, "host"))
                               ? p->img->container_id
                               : NULL;
    if (!sgc_ef_apply_container(f, v, known_id, cid)) return false;
    if (!spec->container_id && !spec->cgroup) spec->container_id = cid;
    return true;
}

/* The kernel's comm: the given name (at most 15 characters), or for a new
 * program the executable file's name. */
static void set_comm(sgc_proc *p, const char *name, const sgc_proc_image_spec *spec, bool exec)
{
    if (name) {
        snprintf(p->comm, sizeof p->comm, "%s", name);
    } else if (exec || !p->comm[0]) {
        const char *src = spec->exepath ? spec->exepath : spec->exe;
        if (src) {
            const char *slash = strrchr(src, '/');
            snprintf(p->comm, sizeof p->comm, "%s", slash ? slash + 1 : src);
        }
    }
}

/* The process entry a "proc" object names (after its parents): pid given,
 * default_pid, or a made-up one; a pid seen exiting before is a new process. */
static sgc_proc *proc_entry(sgc_eventfile *f, json_t *obj, uint32_t default_pid, uint64_t ts)
{
    uint32_t pid = default_pid;
    if (!u32_field(f, obj, "pid", &pid)) return NULL;
    if (!pid) pid = f->next_fake_pid--; /* above any real pid_max */
    sgc_proc *p = sgc_proctable_find(f->env.pt, pid);
    if (p && p->exited) /* described again after its exit: a new process with that pid */
        sgc_proctable_remove(f->env.pt, pid);
    p = sgc_proctable_get_or_create(f->env.pt, pid, ts);
    if (!p) return sgc_ef_fail(f, "out of memory"), NULL;
    return p;
}

sgc_proc *sgc_ef_apply_proc(sgc_eventfile *f, json_t *obj, uint32_t default_pid, uint64_t ts,
                            int depth, bool exec)
{
    static const char *const known[] = {"pid",
                                        "ppid",
                                        "vpid",
                                        "sid",
                                        "vpgid",
                                        "name",
                                        "exe",
                                        "exepath",
                                        "args",
                                        "cmdline",
                                        "cwd",
                                        "env",
                                        "tty",
                                        "uid",
                                        "gid",
                                        "euid",
                                        "egid",
                                        "loginuid",
                                        "cap_effective",
                                        "cap_permitted",
                                        "cap_inheritable",
                                        "start_ts",
                                        "cgroup",
                                        "container_id",
                                        "is_exe_writable",
                                        "is_exe_upper_layer",
                                        "is_exe_from_memfd",
                                        "exe_ino",
                                        "exe_ino_ctime",
                                        "exe_ino_mtime",
                                        "parent",
                                        "container",
                                        "user",
                                        "group",
                                        NULL};
    if (!json_is_object(obj)) return sgc_ef_fail(f, "\"proc\" must be an object"), NULL;
    if (depth > MAX_PARENT_DEPTH)
        return sgc_ef_fail(f, "proc: more than %d nested parents", MAX_PARENT_DEPTH), NULL;
    if (!sgc_ef_check_keys(f, obj, depth ? "proc.parent" : "proc", known)) return NULL;

    sgc_proc *parent = NULL;
    json_t *v;
    if ((v = json_object_get(obj, "parent")) &&
        !(parent = sgc_ef_apply_proc(f, v, 0, ts, depth + 1, false)))
        return NULL;
    sgc_proc *p = proc_entry(f, obj, default_pid, ts);
    if (!p) return NULL;
    if (parent) p->ppid = parent->pid;
    if (!apply_proc_creds(f, obj, p)) return NULL;

    sgc_proc_image_spec spec = {0};
    image_lists lists = {0};
    const char *name = NULL;
    char cid[65] = "";
    bool ok = image_strings(f, obj, p, exec, &spec, &lists, &name) &&
              image_exe_facts(f, obj, p, &spec) &&
              (!(v = json_object_get(obj, "container")) || image_container(f, v, p, &spec, cid));
    if (ok) set_comm(p, name, &spec, exec);
    if (ok && sgc_proc_set_image(f->env.pt, p, &spec, true) != 0)
        ok = sgc_ef_fail(f, "out of memory");
    free(lists.args);
    free(lists.env);
    free(lists.cmd);
    if (!ok) return NULL;
    if ((v = json_object_get(obj, "user")) && !sgc_ef_apply_user(f, v, p)) return NULL;
    if ((v = json_object_get(obj, "group")) && !sgc_ef_apply_group(f, v, p)) return NULL;
    return p;
}

bool sgc_ef_apply_dns(sgc_eventfile *f, json_t *obj)
{
    if (!json_is_object(obj))
        return sgc_ef_fail(f, "header: \"dns\" must be an object {\"name\": [\"address\", ...]}");
    sgc_dnsnames *dns = sgc_proctable_dns(f->env.pt);
    const char *name;
    json_t *list;
    json_object_foreach(obj, name, list)
    {
        if (!json_is_array(list))
            return sgc_ef_fail(f, "header: dns '%s': expected an array of addresses", name);
        size_t n = json_array_size(list);
        sgc_dns_addr *addrs = calloc(n ? n : 1, sizeof *addrs);
        if (!addrs) return sgc_ef_fail(f, "out of memory");
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(list, i);
            const char *s = json_is_string(a) ? json_string_value(a) : "";
            addrs[i].family = strchr(s, ':') ? AF_INET6 : AF_INET;
            if (inet_pton(addrs[i].family, s, addrs[i].addr) != 1) {
                free(addrs);
                return sgc_ef_fail(f, "header: dns '%s': '%s' is no IPv4 or IPv6 address", name, s);
            }
        }
        int rc = dns ? sgc_dnsnames_set(dns, name, addrs, (int)n) : 0;
        free(addrs);
        if (rc != 0) return sgc_ef_fail(f, "out of memory");
    }
    return true;
}
