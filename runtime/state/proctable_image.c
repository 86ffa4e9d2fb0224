/* Executable images of the process table: one allocation holding every
 * string of an exec, shared (refcounted) by the processes forked from it. */
#include "proctable_int.h"

#include "container_id.h"

#include <stdlib.h>
#include <string.h>

/* A NUL-separated list cut to `max` bytes, as Falco truncates argv and env
 * (the last item may be cut short; the builder terminates it). */
static size_t clip_list(const char *p, size_t len, size_t max)
{
    (void)p;
    return len <= max ? len : max - 1;
}

static size_t clip_str(const char *p, size_t len)
{
    size_t n = strnlen(p, len);
    return n > SGC_PROC_STR_MAX - 1 ? SGC_PROC_STR_MAX - 1 : n;
}

static uint16_t count_items(const char *p, size_t len)
{
    if (len == 0) return 0;
    uint16_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\0') n++;
    if (p[len - 1] != '\0') n++;
    return n;
}

/* The chosen value of one string member: the spec's when known, else the old
 * image's (update), else empty. */
typedef struct {
    const char *p;
    size_t len;
} piece;

static piece pick(const char *spec_p, size_t spec_len, const char *old_p, size_t old_len)
{
    if (spec_p) return (piece){spec_p, spec_len};
    if (old_p) return (piece){old_p, old_len};
    return (piece){"", 0};
}

sgc_proc_image *sgc_proc_image_build(const sgc_proc_image_spec *spec, const sgc_proc_image *old,
                                     bool keep_exe_meta)
{
    static const sgc_proc_image_spec none;
    if (!spec) spec = &none;
    piece exe = pick(spec->exe, spec->exe ? clip_str(spec->exe, spec->exe_len) : 0,
                     old ? old->exe : NULL, old ? old->exe_len : 0);
    piece exepath =
        pick(spec->exepath, spec->exepath ? clip_str(spec->exepath, spec->exepath_len) : 0,
             old ? old->exepath : NULL, old ? old->exepath_len : 0);
    piece cwd = pick(spec->cwd, spec->cwd ? clip_str(spec->cwd, spec->cwd_len) : 0,
                     old ? old->cwd : NULL, old ? old->cwd_len : 0);
    piece args =
        pick(spec->args, spec->args ? clip_list(spec->args, spec->args_len, SGC_PROC_STR_MAX) : 0,
             old ? old->args : NULL, old ? old->args_len : 0);
    piece env =
        pick(spec->env, spec->env ? clip_list(spec->env, spec->env_len, SGC_PROC_STR_MAX) : 0,
             old ? old->env : NULL, old ? old->env_len : 0);

    /* Lists are stored NUL-terminated per item, plus one final NUL so an
     * empty list is still a valid string. */
    size_t size = sizeof(sgc_proc_image) + exe.len + 1 + exepath.len + 1 + cwd.len + 1 + args.len +
                  2 + env.len + 2;
    sgc_proc_image *img = calloc(1, size);
    if (!img) return NULL;
    img->refs = 1;
    char *w = img->data;
#define PUT(member, pc)                                                                            \
    do {                                                                                           \
        img->member = w;                                                                           \
        memcpy(w, (pc).p, (pc).len);                                                               \
        w += (pc).len;                                                                             \
        *w++ = '\0';                                                                               \
        img->member##_len = (uint16_t)(pc).len;                                                    \
    } while (0)
    PUT(exe, exe);
    PUT(exepath, exepath);
    PUT(cwd, cwd);
#undef PUT
    /* Lists: ensure the last item is terminated (input may omit it). */
    img->args = w;
    memcpy(w, args.p, args.len);
    w += args.len;
    if (args.len && args.p[args.len - 1] != '\0') *w++ = '\0';
    img->args_len = (uint16_t)(w - img->args);
    *w++ = '\0';
    img->nargs = count_items(img->args, img->args_len);
    img->env = w;
    memcpy(w, env.p, env.len);
    w += env.len;
    if (env.len && env.p[env.len - 1] != '\0') *w++ = '\0';
    img->env_len = (uint16_t)(w - img->env);
    *w++ = '\0';
    img->nenv = count_items(img->env, img->env_len);

    const sgc_proc_image *meta = keep_exe_meta ? old : NULL;
    if (spec->has_exe_flags) {
        img->has_exe_flags = 1;
        img->exe_flags = spec->exe_flags;
    } else if (meta) {
        img->has_exe_flags = meta->has_exe_flags;
        img->exe_flags = meta->exe_flags;
    }
    img->exe_ino = spec->exe_ino ? spec->exe_ino : meta ? meta->exe_ino : 0;
    img->exe_ctime_ns = spec->exe_ctime_ns ? spec->exe_ctime_ns : meta ? meta->exe_ctime_ns : 0;
    img->exe_mtime_ns = spec->exe_mtime_ns ? spec->exe_mtime_ns : meta ? meta->exe_mtime_ns : 0;

    if (spec->container_id && *spec->container_id) {
        size_t n = strnlen(spec->container_id, SGC_CONTAINER_ID_MAX);
        memcpy(img->container_id, spec->container_id, n);
        img->container_id[n] = '\0';
        img->cid_len = (uint8_t)n;
    } else if (spec->cgroup) {
        img->cid_len = (uint8_t)sgc_container_id_from_cgroup(spec->cgroup, spec->cgroup_len,
                                                             img->container_id);
    } else if (old && old->cid_len) {
        memcpy(img->container_id, old->container_id, sizeof img->container_id);
        img->cid_len = old->cid_len;
    }
    return img;
}

size_t sgc_proc_image_size(const sgc_proc_image *img)
{
    return sizeof(*img) + img->exe_len + 1u + img->exepath_len + 1u + img->cwd_len + 1u +
           img->args_len + 1u + img->env_len + 1u;
}

void sgc_proc_spec_set_argv(sgc_proc_image_spec *spec, const char *argv, size_t len)
{
    size_t n0 = strnlen(argv, len);
    spec->exe = argv;
    spec->exe_len = n0;
    spec->args = n0 < len ? argv + n0 + 1 : argv + len;
    spec->args_len = n0 < len ? len - n0 - 1 : 0;
}

const char *sgc_proc_image_arg(const sgc_proc_image *img, int i, size_t *len)
{
    if (i < 0) return NULL;
    if (i == 0) {
        if (len) *len = img->exe_len;
        return img->exe;
    }
    const char *p = img->args, *end = img->args + img->args_len;
    for (int k = 1; p < end; k++) {
        size_t n = strlen(p);
        if (k == i) {
            if (len) *len = n;
            return p;
        }
        p += n + 1;
    }
    return NULL;
}

const char *sgc_proc_image_getenv(const sgc_proc_image *img, const char *name, size_t name_len,
                                  size_t *len)
{
    const char *p = img->env, *end = img->env + img->env_len;
    while (p < end) {
        size_t n = strlen(p);
        if (n > name_len && p[name_len] == '=' && !memcmp(p, name, name_len)) {
            if (len) *len = n - name_len - 1;
            return p + name_len + 1;
        }
        p += n + 1;
    }
    return NULL;
}
