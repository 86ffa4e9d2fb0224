/* The body of the Docker Engine API's `GET /containers/{id}/json` (docker's
 * and podman's compat API) into a container table entry, with Falco's
 * readings of it: the name without its leading '/', the image reference
 * split into repository/tag/digest, the image id without "sha256:", mounts
 * as Source/Destination/Mode/RW/Propagation, labels as given. */
#include "container_engine_int.h"
#include "container_id.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Bounds against a runtime that sends something huge (a pod spec in a
 * label, thousands of mounts): what is beyond them is left out. */
#define MAX_MOUNTS      256
#define MAX_LABELS      256
#define MAX_LABEL_VALUE 4096

static const char *str_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int sgc_container_image_split(const char *image, char **repository, char **tag, char **digest)
{
    *repository = *tag = *digest = NULL;
    /* the registry part (up to the first '/') may hold a ':port' */
    const char *slash = strchr(image, '/');
    const char *rest = slash ? slash + 1 : image;
    const char *at = strchr(rest, '@');
    const char *name_end = at ? at : rest + strlen(rest);
    const char *colon = memchr(rest, ':', (size_t)(name_end - rest));
    const char *repo_end = colon ? colon : name_end;
    *repository = dup_span(image, (size_t)(repo_end - image));
    *tag = colon && colon + 1 < name_end ? dup_span(colon + 1, (size_t)(name_end - colon - 1))
                                         : strdup("latest");
    *digest = strdup(at ? at + 1 : "");
    if (!*repository || !*tag || !*digest) {
        free(*repository);
        free(*tag);
        free(*digest);
        *repository = *tag = *digest = NULL;
        return -1;
    }
    return 0;
}

static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9') return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

uint64_t sgc_container_parse_time(const char *s)
{
    if (!s) return 0;
    const char *p = s;
    struct tm tm = {0};
    int year = digits(&p, 4);
    if (year < 0 || *p++ != '-') return 0;
    int mon = digits(&p, 2);
    if (mon < 1 || *p++ != '-') return 0;
    int day = digits(&p, 2);
    if (day < 1 || (*p != 'T' && *p != 't' && *p != ' ')) return 0;
    p++;
    int hh = digits(&p, 2);
    if (hh < 0 || *p++ != ':') return 0;
    int mm = digits(&p, 2);
    if (mm < 0 || *p++ != ':') return 0;
    int ss = digits(&p, 2);
    if (ss < 0 || year < 1970) return 0; /* Go's zero time (0001-01-01) means "not started" */
    uint64_t frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 9) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                n++;
            }
            p++;
        }
        for (; n < 9; n++) frac *= 10;
    }
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh = digits(&p, 2);
        if (oh < 0 || *p++ != ':') return 0;
        int om = digits(&p, 2);
        if (om < 0) return 0;
        offset = sign * (oh * 3600L + om * 60L);
    } else if (*p == 'Z' || *p == 'z') {
        p++;
    } else {
        return 0;
    }
    if (*p) return 0;
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || t - offset < 0) return 0;
    return (uint64_t)(t - offset) * 1000000000ull + frac;
}

static void set_image(sgc_container_info *ci, json_t *root, json_t *config)
{
    const char *image = str_at(config, "Image");
    if (image) {
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
    /* docker and podman's compat API give the image id as "sha256:<hex>";
     * podman's own API gives a name there (it has a '/'): not an id */
    const char *id = str_at(root, "Image");
    if (id && !strchr(id, '/')) {
        const char *colon = strchr(id, ':');
        sgc_container_set_str(&ci->image_id, colon ? colon + 1 : id);
    }
}

static void set_ip(sgc_container_info *ci, json_t *net)
{
    const char *ip = str_at(net, "IPAddress");
    if (ip && *ip) {
        sgc_container_set_str(&ci->ip, ip);
        return;
    }
    /* user-defined networks leave the top-level address empty */
    const char *name;
    json_t *n;
    json_object_foreach(json_object_get(net, "Networks"), name, n)
    {
        ip = str_at(n, "IPAddress");
        if (ip && *ip) {
            sgc_container_set_str(&ci->ip, ip);
            return;
        }
    }
}

static int add_mounts(sgc_container_info *ci, json_t *mounts)
{
    size_t i;
    json_t *m;
    json_array_foreach(mounts, i, m)
    {
        if (i >= MAX_MOUNTS) break;
        if (!json_is_object(m)) continue;
        json_t *rw = json_object_get(m, "RW");
        if (sgc_container_add_mount(ci, str_at(m, "Source"), str_at(m, "Destination"),
                                    str_at(m, "Mode"), json_is_true(rw),
                                    str_at(m, "Propagation")) < 0)
            return -1;
    }
    return 0;
}

static int add_labels(sgc_container_info *ci, json_t *labels)
{
    const char *key;
    json_t *v;
    int n = 0;
    json_object_foreach(labels, key, v)
    {
        if (!json_is_string(v) || json_string_length(v) > MAX_LABEL_VALUE) continue;
        if (n++ >= MAX_LABELS) break;
        if (sgc_container_set_label(ci, key, json_string_value(v)) < 0) return -1;
    }
    return 0;
}

static bool is_full_id(const char *s)
{
    if (strlen(s) != SGC_CONTAINER_ID_LEN) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

bool sgc_container_engine_parse_inspect(const char *json, size_t len, const char *type,
                                        const char *expect_id, sgc_containers *into, char *err,
                                        size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "inspect: bad JSON at %d:%d: %s", jerr.line, jerr.column, jerr.text);
        return false;
    }
    bool ok = false;
    const char *id = str_at(root, "Id");
    if (!json_is_object(root) || !id) {
        snprintf(err, errlen, "inspect: not a container object (no \"Id\")");
        goto out;
    }
    if (!is_full_id(id)) {
        snprintf(err, errlen, "inspect: \"Id\" is not a 64-digit container id");
        goto out;
    }
    if (expect_id && strcmp(id, expect_id)) {
        snprintf(err, errlen, "inspect: asked for %.12s, got %.12s", expect_id, id);
        goto out;
    }
    sgc_container_info *ci = sgc_containers_upsert(into, id);
    if (!ci) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    sgc_container_info_clear_lists(ci);
    json_t *config = json_object_get(root, "Config");
    json_t *host = json_object_get(root, "HostConfig");
    json_t *state = json_object_get(root, "State");

    const char *name = str_at(root, "Name");
    if (name) sgc_container_set_str(&ci->name, name[0] == '/' ? name + 1 : name);
    if (type) sgc_container_set_str(&ci->type, type);
    set_image(ci, root, config);
    json_t *priv = json_object_get(host, "Privileged");
    if (json_is_boolean(priv)) ci->privileged = json_is_true(priv);
    /* start_ts: when it started; a created-but-not-started container has
     * Go's zero time there, then its creation time stands in */
    ci->start_ts = sgc_container_parse_time(str_at(state, "StartedAt"));
    if (!ci->start_ts) ci->start_ts = sgc_container_parse_time(str_at(root, "Created"));
    set_ip(ci, json_object_get(root, "NetworkSettings"));
    if (add_mounts(ci, json_object_get(root, "Mounts")) < 0 ||
        add_labels(ci, json_object_get(config, "Labels")) < 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    ok = true;
out:
    json_decref(root);
    return ok;
}
