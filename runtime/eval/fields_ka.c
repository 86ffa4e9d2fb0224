/* The k8s_audit source's extractors: the k8saudit plugin's ka.* fields and
 * the json plugin's jevt and json fields, read from the event's JSON
 * (cx->ka, schema/ka_event.h).
 *
 * What each field extracts follows the plugin's extract.go:
 *  - an event without auditID has no ka.* field (the plugin's "unrelated
 *    JSON" check); a missing key is <NA>;
 *  - string values are taken as they are, every other JSON value (numbers,
 *    booleans, objects, arrays) as its compact JSON text ("true", "8080");
 *  - list fields walk the object with the plugin's recursive lookup: an
 *    array met on the way is expanded (every element, or only element [i]
 *    when the field has an index argument), a missing key inside one element
 *    leaves a hole that most fields skip;
 *  - a list with nothing in it is <NA>: libsinsp treats a plugin field that
 *    returned no value as not extracted, so `in`/`intersects` are false and
 *    `not ... in (...)` is true.
 * Values point into the event's JSON or into cx->scratch. */
#include "extract.h"
#include "fields.h"
#include "ka_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    K_KEYS,        /* the value at a path, as a string */
    K_KEYS_LIST,   /* the array at a path, each element as a string */
    K_URI_PARAM,   /* ka.uri.param[NAME] */
    K_TRUE,        /* ka.req.binding.subject.has_name: always "true" */
    K_IMAGES,      /* container images (a container without one: <NA>) */
    K_REPOS,       /* their repository part */
    K_FIRST_IMAGE, /* the first container's image */
    K_FIRST_REPO,
    K_HOSTPORTS,    /* hostPort, else containerPort, of every port */
    K_VALUES,       /* recursive lookup, holes skipped */
    K_ANY_TRUE,     /* "true" when any value is the boolean true, else "false" */
    K_EFFECTIVE,    /* per container: its value, else the pod's, else "0" */
    K_RULES_FIELD,  /* requestObject.rules[].KEY, flattened */
    K_HOSTPATH_HAS, /* ka.req.volume.hostpath[PATH] */
    K_VOLUME_TYPES, /* the keys of each volume but "name" */
    K_POD_NAME,     /* objectRef.name when the resource is pods */
    K_SUBJECTS,     /* names of the binding subjects of one kind */
    K_SUBJECTS_NS,  /* NAMESPACE:NAME of the ServiceAccount subjects */
    K_CLUSTER,      /* configured cluster name */
    K_SOURCEIPS,    /* sourceIPs (top level) */
    K_JEVT_VALUE,   /* jevt.value[/json/pointer] */
    K_JEVT_OBJ,
    K_JEVT_RAWTIME
} ka_kind;

#define MAXKEYS 7

typedef struct ka_desc {
    const char *name;
    ka_kind kind;
    const char *keys[MAXKEYS]; /* NULL-terminated path */
    const char *aux;           /* K_SUBJECTS: the subject kind */
} ka_desc;

#define RO   "requestObject"
#define SPEC RO, "spec"

/* The per-container fields, for spec.containers, spec.initContainers and
 * spec.ephemeralContainers alike. */
#define CONTAINER_FAMILY(P, ARR)                                                                   \
    {P ".name", K_VALUES, {SPEC, ARR, "name"}, NULL},                                              \
        {P ".image", K_IMAGES, {SPEC, ARR, "image"}, NULL},                                        \
        {P ".image.repository", K_REPOS, {SPEC, ARR, "image"}, NULL},                              \
        {P ".command", K_VALUES, {SPEC, ARR, "command"}, NULL},                                    \
        {P ".args", K_VALUES, {SPEC, ARR, "args"}, NULL},                                          \
        {P ".privileged", K_VALUES, {SPEC, ARR, "securityContext", "privileged"}, NULL},           \
        {P ".allow_privilege_escalation",                                                          \
         K_VALUES,                                                                                 \
         {SPEC, ARR, "securityContext", "allowPrivilegeEscalation"},                               \
         NULL},                                                                                    \
        {P ".read_only_fs",                                                                        \
         K_VALUES,                                                                                 \
         {SPEC, ARR, "securityContext", "readOnlyRootFilesystem"},                                 \
         NULL},                                                                                    \
        {P ".run_as_user", K_VALUES, {SPEC, ARR, "securityContext", "runAsUser"}, NULL},           \
        {P ".eff_run_as_user", K_EFFECTIVE, {SPEC, ARR, "runAsUser"}, NULL},                       \
        {P ".run_as_group", K_VALUES, {SPEC, ARR, "securityContext", "runAsGroup"}, NULL},         \
        {P ".eff_run_as_group", K_EFFECTIVE, {SPEC, ARR, "runAsGroup"}, NULL},                     \
        {P ".proc_mount", K_VALUES, {SPEC, ARR, "securityContext", "procMount"}, NULL},            \
        {P ".add_capabilities",                                                                    \
         K_VALUES,                                                                                 \
         {SPEC, ARR, "securityContext", "capabilities", "add"},                                    \
         NULL},                                                                                    \
    {                                                                                              \
        P ".host_port", K_HOSTPORTS, {SPEC, ARR, "ports"}, NULL                                    \
    }

static const ka_desc descs[] = {
    {"ka.auditid", K_KEYS, {"auditID"}, NULL},
    {"ka.stage", K_KEYS, {"stage"}, NULL},
    {"ka.auth.decision", K_KEYS, {"annotations", "authorization.k8s.io/decision"}, NULL},
    {"ka.auth.reason", K_KEYS, {"annotations", "authorization.k8s.io/reason"}, NULL},
    {"ka.auth.openshift.decision",
     K_KEYS,
     {"annotations", "authentication.openshift.io/decision"},
     NULL},
    {"ka.validations.admission.policy.failure",
     K_KEYS,
     {"annotations", "validation.policy.admission.k8s.io/validation_failure"},
     NULL},
    {"ka.security.pod.violations",
     K_KEYS,
     {"annotations", "pod-security.kubernetes.io/audit-violations"},
     NULL},
    {"ka.auth.openshift.username",
     K_KEYS,
     {"annotations", "authentication.openshift.io/username"},
     NULL},
    {"ka.user.name", K_KEYS, {"user", "username"}, NULL},
    {"ka.user.groups", K_KEYS_LIST, {"user", "groups"}, NULL},
    {"ka.impuser.name", K_KEYS, {"impersonatedUser", "username"}, NULL},
    {"ka.verb", K_KEYS, {"verb"}, NULL},
    {"ka.uri", K_KEYS, {"requestURI"}, NULL},
    {"ka.uri.param", K_URI_PARAM, {"requestURI"}, NULL},
    {"ka.target.name", K_KEYS, {"objectRef", "name"}, NULL},
    {"ka.target.namespace", K_KEYS, {"objectRef", "namespace"}, NULL},
    {"ka.target.resource", K_KEYS, {"objectRef", "resource"}, NULL},
    {"ka.target.subresource", K_KEYS, {"objectRef", "subresource"}, NULL},
    {"ka.target.pod.name", K_POD_NAME, {"objectRef", "name"}, NULL},
    {"ka.req.binding.subjects", K_KEYS_LIST, {RO, "subjects"}, NULL},
    {"ka.req.binding.subjects.user_names", K_SUBJECTS, {RO, "subjects"}, "User"},
    {"ka.req.binding.subjects.serviceaccount_names",
     K_SUBJECTS,
     {RO, "subjects"},
     "ServiceAccount"},
    {"ka.req.binding.subjects.serviceaccount_ns_names",
     K_SUBJECTS_NS,
     {RO, "subjects"},
     "ServiceAccount"},
    {"ka.req.binding.subjects.group_names", K_SUBJECTS, {RO, "subjects"}, "Group"},
    {"ka.req.binding.role", K_KEYS, {RO, "roleRef", "name"}, NULL},
    {"ka.req.binding.subject.has_name", K_TRUE, {NULL}, NULL},
    {"ka.req.configmap.name", K_KEYS, {"objectRef", "name"}, NULL},
    {"ka.req.configmap.obj", K_KEYS, {RO, "data"}, NULL},
    {"ka.req.container.image", K_FIRST_IMAGE, {SPEC, "containers", "image"}, NULL},
    {"ka.req.container.image.repository", K_FIRST_REPO, {SPEC, "containers", "image"}, NULL},
    {"ka.req.pod.host_ipc", K_KEYS, {SPEC, "hostIPC"}, NULL},
    {"ka.req.pod.host_network", K_KEYS, {SPEC, "hostNetwork"}, NULL},
    {"ka.req.container.host_network", K_KEYS, {SPEC, "hostNetwork"}, NULL},
    {"ka.req.pod.host_pid", K_KEYS, {SPEC, "hostPID"}, NULL},
    {"ka.req.container.privileged",
     K_ANY_TRUE,
     {SPEC, "containers", "securityContext", "privileged"},
     NULL},
    {"ka.req.pod.run_as_user", K_KEYS, {SPEC, "securityContext", "runAsUser"}, NULL},
    {"ka.req.pod.run_as_group", K_KEYS, {SPEC, "securityContext", "runAsGroup"}, NULL},
    {"ka.req.role.rules", K_KEYS_LIST, {RO, "rules"}, NULL},
    {"ka.req.role.rules.apiGroups", K_RULES_FIELD, {RO, "rules", "apiGroups"}, NULL},
    {"ka.req.role.rules.nonResourceURLs", K_RULES_FIELD, {RO, "rules", "nonResourceURLs"}, NULL},
    {"ka.req.role.rules.verbs", K_RULES_FIELD, {RO, "rules", "verbs"}, NULL},
    {"ka.req.role.rules.resources", K_RULES_FIELD, {RO, "rules", "resources"}, NULL},
    {"ka.req.pod.fs_group", K_KEYS, {SPEC, "securityContext", "fsGroup"}, NULL},
    {"ka.req.pod.supplemental_groups",
     K_KEYS_LIST,
     {SPEC, "securityContext", "supplementalGroups"},
     NULL},
    {"ka.req.service.type", K_KEYS, {SPEC, "type"}, NULL},
    /* the trailing "" expands the array itself: one value per port */
    {"ka.req.service.ports", K_VALUES, {SPEC, "ports", ""}, NULL},
    {"ka.req.pod.volumes.hostpath", K_VALUES, {SPEC, "volumes", "hostPath", "path"}, NULL},
    {"ka.req.volume.hostpath", K_HOSTPATH_HAS, {SPEC, "volumes", "hostPath", "path"}, NULL},
    {"ka.req.pod.volumes.flexvolume_driver",
     K_VALUES,
     {SPEC, "volumes", "flexVolume", "driver"},
     NULL},
    {"ka.req.pod.volumes.volume_type", K_VOLUME_TYPES, {SPEC, "volumes", ""}, NULL},
    {"ka.resp.name", K_KEYS, {"responseObject", "metadata", "name"}, NULL},
    {"ka.response.code", K_KEYS, {"responseStatus", "code"}, NULL},
    {"ka.response.reason", K_KEYS, {"responseStatus", "reason"}, NULL},
    {"ka.useragent", K_KEYS, {"userAgent"}, NULL},
    {"ka.sourceips", K_SOURCEIPS, {"sourceIPs", ""}, NULL},
    {"ka.cluster.name", K_CLUSTER, {NULL}, NULL},
    CONTAINER_FAMILY("ka.req.pod.containers", "containers"),
    CONTAINER_FAMILY("ka.req.pod.initContainers", "initContainers"),
    CONTAINER_FAMILY("ka.req.pod.ephemeralContainers", "ephemeralContainers"),
    {"jevt.value", K_JEVT_VALUE, {NULL}, NULL},
    {"jevt.obj", K_JEVT_OBJ, {NULL}, NULL},
    {"jevt.rawtime", K_JEVT_RAWTIME, {NULL}, NULL},
    {"json.value", K_JEVT_VALUE, {NULL}, NULL},
    {"json.obj", K_JEVT_OBJ, {NULL}, NULL},
    {"json.rawtime", K_JEVT_RAWTIME, {NULL}, NULL},
};

static const ka_desc *desc_of(const char *name)
{
    for (size_t i = 0; i < sizeof descs / sizeof descs[0]; i++)
        if (!strcmp(descs[i].name, name)) return &descs[i];
    return NULL;
}

/* ---- JSON helpers ---------------------------------------------------------- */

/* fastjson's Get(key): an object member, or an array element by index. */
static const json_t *get_key(const json_t *v, const char *k)
{
    if (json_is_object(v)) return json_object_get(v, k);
    if (json_is_array(v) && *k) {
        char *end;
        unsigned long i = strtoul(k, &end, 10);
        if (*end || *k == '-' || *k == '+') return NULL;
        return json_array_get(v, i);
    }
    return NULL;
}

static const json_t *get_path(const json_t *v, const char *const *keys)
{
    for (int i = 0; v && i < MAXKEYS && keys[i]; i++) v = get_key(v, keys[i]);
    return v;
}

/* A value as the plugin reads it: strings as they are, anything else as
 * compact JSON (in the scratch arena). */
static bool as_string(sgc_extract_ctx *cx, const json_t *v, const char **p, size_t *len)
{
    if (!v) return false;
    if (json_is_string(v)) {
        *p = json_string_value(v);
        *len = json_string_length(v);
        return true;
    }
    size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
    char *buf = sgc_arena_alloc(cx->scratch, n + 1);
    if (!buf) return false;
    json_dumpb(v, buf, n, JSON_COMPACT | JSON_ENCODE_ANY);
    buf[n] = '\0';
    *p = buf;
    *len = n;
    return true;
}

/* A growable list of JSON values (NULL = a hole). */
typedef struct jvec {
    const json_t **v;
    size_t n, cap;
    bool oom;
} jvec;

static void jpush(jvec *a, const json_t *v)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        const json_t **n = realloc(a->v, cap * sizeof *n);
        if (!n) {
            a->oom = true;
            return;
        }
        a->v = n;
        a->cap = cap;
    }
    a->v[a->n++] = v;
}

/* The plugin's getValuesRecursive: follow KEYS from V; an array on the way
 * is expanded (IDX < 0: every element, each missing path a hole; else only
 * element IDX). An empty key stands for the value itself. Returns false
 * when the path is not there (nothing added). */
static bool values_rec(const json_t *v, long idx, const char *const *keys, int nkeys, jvec *out)
{
    for (int i = 0; i < nkeys; i++) {
        if (json_is_array(v)) {
            if (idx < 0) {
                size_t j;
                const json_t *e;
                json_array_foreach(v, j, e)
                {
                    if (!values_rec(e, idx, keys + i, nkeys - i, out)) jpush(out, NULL);
                }
                return true;
            }
            if ((size_t)idx >= json_array_size(v)) return false;
            v = json_array_get(v, (size_t)idx);
        }
        if (keys[i][0]) v = get_key(v, keys[i]);
        if (!v) return false;
    }
    jpush(out, v);
    return true;
}

static int nkeys_of(const ka_desc *d)
{
    int n = 0;
    while (n < MAXKEYS && d->keys[n]) n++;
    return n;
}

/* ---- building values --------------------------------------------------------- */

/* A list value under construction (items in the scratch arena). */
typedef struct slist {
    sgc_val *items;
    int n, cap;
    sgc_arena *a;
    bool oom;
} slist;

static void sl_push(slist *l, const char *p, size_t len)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 8;
        sgc_val *n = sgc_arena_alloc(l->a, sizeof *n * (size_t)cap);
        if (!n) {
            l->oom = true;
            return;
        }
        if (l->n) memcpy(n, l->items, sizeof *n * (size_t)l->n);
        l->items = n;
        l->cap = cap;
    }
    sgc_val_set_str(&l->items[l->n++], p, len);
}

static void sl_push_json(sgc_extract_ctx *cx, slist *l, const json_t *v)
{
    const char *p;
    size_t len;
    if (as_string(cx, v, &p, &len)) sl_push(l, p, len);
}

/* An empty list is not a value (see the top of the file). */
static bool sl_finish(slist *l, sgc_val *out)
{
    if (l->oom || l->n == 0) return false;
    out->kind = SGC_VAL_LIST;
    out->list.items = l->items;
    out->list.n = l->n;
    return true;
}

static bool set_json_str(sgc_extract_ctx *cx, const json_t *v, sgc_val *out)
{
    const char *p;
    size_t len;
    if (!as_string(cx, v, &p, &len)) return false;
    sgc_val_set_str(out, p, len);
    return true;
}

static bool set_cstr(sgc_val *out, const char *s)
{
    sgc_val_set_str(out, s, strlen(s));
    return true;
}

/* ---- the fields ----------------------------------------------------------------- */

/* Repository part of an image, as the plugin cuts it: before the first ':',
 * then before the first '@'. */
static void sl_push_repo(slist *l, const char *img, size_t len)
{
    size_t n = 0;
    while (n < len && img[n] != ':' && img[n] != '@') n++;
    sl_push(l, img, n);
}

/* The images of a container list: a container without one makes the field
 * <NA> (the plugin's arrayAsStrings fails on it). */
static bool images(sgc_extract_ctx *cx, const ka_desc *d, long idx, bool repos, slist *l)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++) {
        const char *p;
        size_t len;
        if (!a.v[i] || !as_string(cx, a.v[i], &p, &len)) {
            ok = false;
            break;
        }
        if (repos)
            sl_push_repo(l, p, len);
        else
            sl_push(l, p, len);
    }
    free(a.v);
    return ok;
}

static bool host_ports(sgc_extract_ctx *cx, const ka_desc *d, long idx, slist *l)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++) {
        if (!a.v[i]) continue;
        if (!json_is_array(a.v[i])) {
            ok = false; /* the plugin's wrong-type error */
            break;
        }
        size_t j;
        const json_t *port;
        json_array_foreach(a.v[i], j, port)
        {
            const json_t *hp = get_key(port, "hostPort");
            const json_t *cp = get_key(port, "containerPort");
            if (hp)
                sl_push_json(cx, l, hp);
            else if (cp)
                sl_push_json(cx, l, cp);
        }
    }
    free(a.v);
    return ok;
}

/* Values at a recursive path, holes skipped. */
static bool values(sgc_extract_ctx *cx, const ka_desc *d, long idx, slist *l)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++)
        if (a.v[i]) sl_push_json(cx, l, a.v[i]);
    free(a.v);
    return ok;
}

/* eff_run_as_user/group: keys are {SPEC, ARR, KEY}; the pod's value is
 * spec.KEY, as the plugin reads it. */
static bool effective(sgc_extract_ctx *cx, const ka_desc *d, long idx, slist *l)
{
    const char *pod = "0";
    size_t podlen = 1;
    const char *podkeys[] = {d->keys[0], d->keys[1], d->keys[3], NULL};
    const json_t *pv = get_path(cx->ka->obj, podkeys);
    if (pv && !as_string(cx, pv, &pod, &podlen)) return false;
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++) {
        const char *p;
        size_t len;
        if (a.v[i] && as_string(cx, a.v[i], &p, &len))
            sl_push(l, p, len);
        else
            sl_push(l, pod, podlen);
    }
    free(a.v);
    return ok;
}

static bool rules_field(sgc_extract_ctx *cx, const ka_desc *d, long idx, slist *l)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++) {
        if (!json_is_array(a.v[i])) continue;
        size_t j;
        const json_t *e;
        json_array_foreach(a.v[i], j, e) sl_push_json(cx, l, e);
    }
    free(a.v);
    return ok;
}

static bool any_true(sgc_extract_ctx *cx, const ka_desc *d, sgc_val *out)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, -1, d->keys, nkeys_of(d), &a) && !a.oom;
    bool any = false;
    for (size_t i = 0; ok && i < a.n; i++) any = any || json_is_true(a.v[i]);
    free(a.v);
    return ok && set_cstr(out, any ? "true" : "false");
}

static bool hostpath_has(sgc_extract_ctx *cx, const ka_desc *d, const char *arg, sgc_val *out)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, -1, d->keys, nkeys_of(d), &a) && !a.oom;
    size_t alen = arg ? strlen(arg) : 0;
    bool prefix = alen && arg[alen - 1] == '*', found = false;
    for (size_t i = 0; ok && !found && i < a.n; i++) {
        const char *p;
        size_t len;
        if (!a.v[i] || !as_string(cx, a.v[i], &p, &len)) continue;
        if (prefix ? len >= alen - 1 && !memcmp(p, arg, alen - 1)
                   : len == alen && !memcmp(p, arg, alen))
            found = true;
    }
    free(a.v);
    return ok && set_cstr(out, found ? "true" : "false");
}

static bool volume_types(sgc_extract_ctx *cx, const ka_desc *d, long idx, slist *l)
{
    jvec a = {0};
    bool ok = values_rec(cx->ka->obj, idx, d->keys, nkeys_of(d), &a) && !a.oom;
    for (size_t i = 0; ok && i < a.n; i++) {
        if (!json_is_object(a.v[i])) continue;
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)a.v[i], k, v)
        {
            if (strcmp(k, "name")) sl_push(l, k, strlen(k));
        }
    }
    free(a.v);
    return ok;
}

static bool subjects(sgc_extract_ctx *cx, const ka_desc *d, bool with_ns, slist *l)
{
    const json_t *subj = get_path(cx->ka->obj, d->keys);
    if (!json_is_array(subj)) return false;
    size_t i;
    const json_t *s;
    json_array_foreach(subj, i, s)
    {
        const char *kind = json_string_value(get_key(s, "kind"));
        const char *name = json_string_value(get_key(s, "name"));
        if (!kind || !name || strcmp(kind, d->aux)) continue;
        if (!with_ns) {
            sl_push(l, name, strlen(name));
            continue;
        }
        const char *ns = json_string_value(get_key(s, "namespace"));
        size_t n;
        const char *both = sgc_arena_printf(cx->scratch, &n, "%s:%s", ns ? ns : "", name);
        if (both) sl_push(l, both, n);
    }
    return true;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Go's QueryUnescape of S[0..N) into the arena; NULL on a bad escape. */
static char *query_unescape(sgc_arena *a, const char *s, size_t n, size_t *outlen)
{
    char *o = sgc_arena_alloc(a, n + 1);
    if (!o) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int h, l;
            if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0) return NULL;
            o[k++] = (char)(h * 16 + l);
            i += 2;
        } else {
            o[k++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    o[k] = '\0';
    *outlen = k;
    return o;
}

/* ka.uri.param[KEY]: the first value of KEY in the query of requestURI, as
 * Go's url.ParseQuery reads it; a query it rejects (a ';', a bad escape)
 * makes the field <NA>, as the plugin's error does. */
static bool uri_param(sgc_extract_ctx *cx, const char *key, sgc_val *out)
{
    const json_t *u = get_key(cx->ka->obj, "requestURI");
    const char *uri;
    size_t ulen;
    if (!key || !as_string(cx, u, &uri, &ulen)) return false;
    const char *q = memchr(uri, '?', ulen);
    if (!q) return false;
    const char *end = memchr(q, '#', ulen - (size_t)(q - uri));
    if (!end) end = uri + ulen;
    const char *found = NULL;
    size_t flen = 0;
    for (const char *p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pe = amp ? amp : end;
        if (memchr(p, ';', (size_t)(pe - p))) return false;
        if (pe > p) {
            const char *eq = memchr(p, '=', (size_t)(pe - p));
            const char *ke = eq ? eq : pe;
            size_t kl, vl = 0;
            char *k = query_unescape(cx->scratch, p, (size_t)(ke - p), &kl);
            char *v = eq ? query_unescape(cx->scratch, eq + 1, (size_t)(pe - eq - 1), &vl)
                         : query_unescape(cx->scratch, "", 0, &vl);
            if (!k || !v) return false;
            if (!found && kl == strlen(key) && !memcmp(k, key, kl)) {
                found = v;
                flen = vl;
            }
        }
        p = amp ? amp + 1 : end;
    }
    if (!found) return false;
    sgc_val_set_str(out, found, flen);
    return true;
}

/* jevt.value[/a/b/0]: RFC 6901 pointer, ~1 and ~0 unescaped, as the json
 * plugin walks it. */
static bool jevt_value(sgc_extract_ctx *cx, const char *ptr, sgc_val *out)
{
    if (!ptr || !*ptr) return false;
    if (*ptr == '/') ptr++;
    const json_t *v = cx->ka->obj;
    char key[512];
    for (;;) {
        const char *slash = strchr(ptr, '/');
        size_t n = slash ? (size_t)(slash - ptr) : strlen(ptr), k = 0;
        if (n >= sizeof key) return false;
        for (size_t i = 0; i < n; i++) {
            if (ptr[i] == '~' && i + 1 < n && (ptr[i + 1] == '1' || ptr[i + 1] == '0')) {
                key[k++] = ptr[i + 1] == '1' ? '/' : '~';
                i++;
            } else {
                key[k++] = ptr[i];
            }
        }
        key[k] = '\0';
        v = get_key(v, key);
        if (!v) return false;
        if (!slash) break;
        ptr = slash + 1;
    }
    return set_json_str(cx, v, out);
}

static bool jevt_obj(sgc_extract_ctx *cx, sgc_val *out)
{
    size_t n = json_dumpb(cx->ka->obj, NULL, 0, JSON_INDENT(2));
    char *buf = sgc_arena_alloc(cx->scratch, n + 1);
    if (!buf) return false;
    json_dumpb(cx->ka->obj, buf, n, JSON_INDENT(2));
    buf[n] = '\0';
    sgc_val_set_str(out, buf, n);
    return true;
}

static bool x_ka(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const ka_desc *d = r->priv_ptr;
    if (!cx->ka || !cx->ka->obj) return false;
    if (d->kind == K_JEVT_VALUE) return jevt_value(cx, r->arg, out);
    if (d->kind == K_JEVT_OBJ) return jevt_obj(cx, out);
    if (d->kind == K_JEVT_RAWTIME) {
        size_t n;
        const char *s = sgc_arena_printf(cx->scratch, &n, "%lld", (long long)cx->ka->ts_ns);
        if (!s) return false;
        sgc_val_set_str(out, s, n);
        return true;
    }
    /* ka.*: only for audit events */
    if (!get_key(cx->ka->obj, "auditID")) return false;
    long idx = r->arg ? r->argnum : -1;
    slist l = {NULL, 0, 0, cx->scratch, false};
    switch (d->kind) {
    case K_KEYS: return set_json_str(cx, get_path(cx->ka->obj, d->keys), out);
    case K_KEYS_LIST: {
        const json_t *v = get_path(cx->ka->obj, d->keys);
        if (!json_is_array(v)) return false;
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) sl_push_json(cx, &l, e);
        return sl_finish(&l, out);
    }
    case K_URI_PARAM: return uri_param(cx, r->arg, out);
    case K_TRUE: return set_cstr(out, "true");
    case K_IMAGES:
    case K_REPOS: return images(cx, d, idx, d->kind == K_REPOS, &l) && sl_finish(&l, out);
    case K_FIRST_IMAGE:
    case K_FIRST_REPO:
        if (!images(cx, d, 0, d->kind == K_FIRST_REPO, &l) || l.n == 0) return false;
        *out = l.items[0];
        return true;
    case K_HOSTPORTS: return host_ports(cx, d, idx, &l) && sl_finish(&l, out);
    case K_VALUES: return values(cx, d, idx, &l) && sl_finish(&l, out);
    case K_ANY_TRUE: return any_true(cx, d, out);
    case K_EFFECTIVE: return effective(cx, d, idx, &l) && sl_finish(&l, out);
    case K_RULES_FIELD: return rules_field(cx, d, idx, &l) && sl_finish(&l, out);
    case K_HOSTPATH_HAS: return hostpath_has(cx, d, r->arg, out);
    case K_VOLUME_TYPES: return volume_types(cx, d, idx, &l) && sl_finish(&l, out);
    case K_POD_NAME: {
        const char *res = json_string_value(get_key(get_key(cx->ka->obj, "objectRef"), "resource"));
        return res && !strcmp(res, "pods") && set_json_str(cx, get_path(cx->ka->obj, d->keys), out);
    }
    case K_SUBJECTS:
    case K_SUBJECTS_NS: return subjects(cx, d, d->kind == K_SUBJECTS_NS, &l) && sl_finish(&l, out);
    case K_CLUSTER: return cx->ka_cluster && set_cstr(out, cx->ka_cluster);
    case K_SOURCEIPS: return values(cx, d, idx, &l) && sl_finish(&l, out);
    default: return false;
    }
}

static bool prep_ka(sgc_field_ref *ref, char *err, size_t errlen)
{
    const char *name = ref->fdef ? ref->fdef->name : ref->name;
    const ka_desc *d = desc_of(name);
    if (!d) {
        snprintf(err, errlen, "no extractor for field '%s'", name);
        return false;
    }
    ref->priv_ptr = (void *)d;
    return true;
}

/* The extractor objects the rows of schema/fields_k8saudit.def name, one
 * per argument form. */
const sgc_extractor sgc_x_ka = {x_ka, prep_ka, 0};
const sgc_extractor sgc_x_ka_index = {x_ka, prep_ka, SGC_EXF_ARG_ALLOWED};
const sgc_extractor sgc_x_ka_key = {x_ka, prep_ka, SGC_EXF_ARG_REQUIRED};
