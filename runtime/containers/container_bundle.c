/* See container_bundle.h: a container's metadata from its OCI bundle. */
#include "container_bundle.h"

#include "container_engine.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE          (4u << 20) /* config.json / containers.json read at most */
#define MAX_BUNDLE_MOUNTS 256

static bool is_full_id(const char *s)
{
    size_t n = strlen(s);
    if (n != 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src); }

/* The arguments as an array of pointers into args (at most max). A last
 * argument without its NUL (a truncated copy) is left out: the callers read
 * the pointers as C strings. */
static int split_args(const char *args, size_t len, const char **out, int max)
{
    int n = 0;
    for (size_t i = 0; i < len && n < max;) {
        const char *a = args + i;
        size_t l = strnlen(a, len - i);
        if (l == len - i) break;
        out[n++] = a;
        i += l + 1;
    }
    return n;
}

static bool conmon_cmdline(const char **av, int n, sgc_bundle_ref *ref)
{
    for (int i = 0; i + 1 < n; i++) {
        if (!strcmp(av[i], "-c") || !strcmp(av[i], "--cid"))
            copy(ref->id, sizeof ref->id, av[i + 1]);
        else if (!strcmp(av[i], "-b") || !strcmp(av[i], "--bundle"))
            copy(ref->bundle, sizeof ref->bundle, av[i + 1]);
        else if (!strcmp(av[i], "-n") || !strcmp(av[i], "--name"))
            copy(ref->name, sizeof ref->name, av[i + 1]);
    }
    return is_full_id(ref->id) && ref->bundle[0] == '/';
}

/* runc/crun [global options] create|run [options] ID: the bundle is
 * --bundle/-b (default: the current directory, which we do not know). */
static bool runtime_cmdline(const char **av, int n, sgc_bundle_ref *ref)
{
    int cmd = -1;
    for (int i = 0; i < n && cmd < 0; i++)
        if (!strcmp(av[i], "create") || !strcmp(av[i], "run")) cmd = i;
    if (cmd < 0 || n < cmd + 2) return false;
    for (int i = cmd + 1; i < n; i++) {
        if ((!strcmp(av[i], "--bundle") || !strcmp(av[i], "-b")) && i + 1 < n)
            copy(ref->bundle, sizeof ref->bundle, av[++i]);
        else if (!strncmp(av[i], "--bundle=", 9))
            copy(ref->bundle, sizeof ref->bundle, av[i] + 9);
    }
    copy(ref->id, sizeof ref->id, av[n - 1]);
    return is_full_id(ref->id) && ref->bundle[0] == '/';
}

bool sgc_container_bundle_cmdline(const char *exe, const char *args, size_t args_len,
                                  sgc_bundle_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    if (!exe || !args) return false;
    const char *b = base_name(exe);
    const char *av[128];
    int n = split_args(args, args_len, av, 128);
    if (!strcmp(b, "conmon")) return conmon_cmdline(av, n, ref);
    if (!strcmp(b, "runc") || !strcmp(b, "crun")) return runtime_cmdline(av, n, ref);
    return false;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "re");
    if (!f) return NULL;
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap || cap >= MAX_FILE) break;
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static const char *str_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool has_string(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && !strcmp(json_string_value(v), s)) return true;
    }
    return false;
}

static int privileged_of(json_t *cfg)
{
    json_t *ann = json_object_get(cfg, "annotations");
    const char *p = str_of(ann, "io.podman.annotations.privileged");
    if (p) return !strcasecmp(p, "true");
    json_t *linux_ = json_object_get(cfg, "linux");
    json_t *masked = json_object_get(linux_, "maskedPaths");
    json_t *bounding = json_object_get(
        json_object_get(json_object_get(cfg, "process"), "capabilities"), "bounding");
    if (!json_is_array(bounding)) return -1;
    return json_array_size(masked) == 0 && has_string(bounding, "CAP_SYS_ADMIN");
}

static const char *type_of(json_t *cfg)
{
    json_t *ann = json_object_get(cfg, "annotations");
    const char *mgr = str_of(ann, "io.container.manager");
    if (mgr && !strcmp(mgr, "libpod")) return "podman";
    if (str_of(ann, "io.kubernetes.cri-o.ContainerID")) return "cri-o";
    return "docker";
}

static int add_bind_mounts(sgc_container_info *ci, json_t *mounts)
{
    size_t i;
    json_t *m;
    int kept = 0;
    json_array_foreach(mounts, i, m)
    {
        if (kept >= MAX_BUNDLE_MOUNTS) break;
        const char *type = str_of(m, "type");
        json_t *opts = json_object_get(m, "options");
        bool bind = (type && !strcmp(type, "bind")) || has_string(opts, "bind") ||
                    has_string(opts, "rbind");
        const char *src = str_of(m, "source"), *dst = str_of(m, "destination");
        if (!bind || !src || !dst) continue;
        /* the engine's own per-container files (resolv.conf, hosts, ...) */
        if (strstr(src, "/overlay-containers/") || strstr(src, "/containers/storage/")) continue;
        bool ro = has_string(opts, "ro");
        if (sgc_container_add_mount(ci, src, dst, ro ? "ro" : "", !ro,
                                    has_string(opts, "rprivate") ? "rprivate" : "") < 0)
            return -1;
        kept++;
    }
    return 0;
}

static void set_image(sgc_container_info *ci, const char *image, const char *image_id)
{
    if (image && *image) {
        sgc_container_set_str(&ci->image, image);
        char *repo, *tag, *digest;
        if (sgc_container_image_split(image, &repo, &tag, &digest) == 0) {
            sgc_container_set_str(&ci->image_repository, repo);
            sgc_container_set_str(&ci->image_tag, tag);
            if (*digest) sgc_container_set_str(&ci->image_digest, digest);
            free(repo);
            free(tag);
            free(digest);
        }
    }
    if (image_id && *image_id) sgc_container_set_str(&ci->image_id, image_id);
}

/* containers.json of containers/storage: [{id, names, image, metadata}],
 * metadata a JSON string with "image-name" and "name". */
static void from_storage_list(const char *text, size_t len, const char *id, sgc_container_info *ci)
{
    json_t *root = json_loadb(text, len, 0, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(root, i, e)
    {
        const char *eid = str_of(e, "id");
        if (!eid || strcmp(eid, id)) continue;
        const char *meta = str_of(e, "metadata");
        json_t *m = meta ? json_loads(meta, 0, NULL) : NULL;
        set_image(ci, str_of(m, "image-name"), str_of(e, "image"));
        if (!ci->name && str_of(m, "name")) sgc_container_set_str(&ci->name, str_of(m, "name"));
        json_decref(m);
        break;
    }
    json_decref(root);
}

int sgc_container_bundle_parse(const char *config, size_t len, const char *storage_list,
                               size_t slen, const sgc_bundle_ref *ref, sgc_container_info *ci)
{
    json_t *cfg = json_loadb(config, len, 0, NULL);
    if (!json_is_object(cfg) || !json_is_object(json_object_get(cfg, "process"))) {
        json_decref(cfg);
        return -1;
    }
    if (ref->name[0]) sgc_container_set_str(&ci->name, ref->name);
    sgc_container_set_str(&ci->type, type_of(cfg));
    ci->privileged = privileged_of(cfg);
    sgc_container_info_clear_lists(ci);
    int rc = add_bind_mounts(ci, json_object_get(cfg, "mounts"));
    json_decref(cfg);
    if (storage_list) from_storage_list(storage_list, slen, ref->id, ci);
    return rc;
}

int sgc_container_bundle_read(const sgc_bundle_ref *ref, sgc_container_info *ci)
{
    char path[600];
    size_t len = 0, slen = 0;
    snprintf(path, sizeof path, "%s/config.json", ref->bundle);
    char *config = read_file(path, &len);
    if (!config) return -1;
    /* containers/storage: BUNDLE = <storage>/overlay-containers/<id>/userdata */
    char *list = NULL;
    const char *oc = strstr(ref->bundle, "/overlay-containers/");
    if (oc) {
        snprintf(path, sizeof path, "%.*s/overlay-containers/containers.json",
                 (int)(oc - ref->bundle), ref->bundle);
        list = read_file(path, &slen);
    }
    int rc = sgc_container_bundle_parse(config, len, list, slen, ref, ci);
    free(config);
    free(list);
    return rc;
}
