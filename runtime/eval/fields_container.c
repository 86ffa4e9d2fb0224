/* container.* and k8s.* extractors. container.id comes from the process's
 * cgroup (container_id.h): the 12-character short id, or "host"; for the
 * `container` event (SGC_REC_CONTAINER) it comes from the record itself, so
 * the fields resolve even when the process is gone. What needs the container
 * engine (name, image, privileged, mounts, CRI labels for k8s.*) comes from
 * the container metadata table (containers.h): filled live by the container
 * engine client (container_engine.h; <NA> until a lookup resolves, or when no
 * runtime answers), and from an event file's "container" objects in replay. */
#include "containers.h"
#include "container_id.h"
#include "fields_ctx.h"
#include "proctable.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The event's full container id, "host", or NULL when unknown (no process). */
static const char *full_id(const sgc_extract_ctx *cx)
{
    if (cx->ev && cx->ev->hdr && cx->ev->hdr->kind == SGC_REC_CONTAINER) {
        const sgc_blob *b = sgc_evt_blob(cx->ev, SGC_BLOB_CONTAINER_ID);
        if (b && b->len && memchr(b->p, 0, b->len) && b->p[0]) return (const char *)b->p;
    }
    if (!cx->proc) return NULL;
    const char *id = sgc_proc_container_id(cx->proc);
    return *id ? id : "host";
}

static bool on_host(const sgc_extract_ctx *cx)
{
    const char *id = full_id(cx);
    return id && !strcmp(id, "host");
}

static const sgc_container_info *info_of(sgc_extract_ctx *cx)
{
    const char *id = full_id(cx);
    if (!id || !cx->pt || !strcmp(id, "host")) return NULL;
    return sgc_containers_find(sgc_proctable_containers(cx->pt), id);
}

static bool str_or_na(const char *s, sgc_val *out)
{
    if (!s) return false;
    sgc_val_set_str(out, s, strlen(s));
    return true;
}

static bool x_id(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const char *id = full_id(cx);
    if (!id) return false;
    size_t n = strlen(id);
    sgc_val_set_str(out, id, n > SGC_CONTAINER_SHORT_ID_LEN ? SGC_CONTAINER_SHORT_ID_LEN : n);
    return true;
}

static bool x_full_id(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    return str_or_na(full_id(cx), out);
}

/* "host" for host processes, else the metadata member. */
#define HOST_OR_INFO(fname, member)                                                                \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        if (!full_id(cx)) return false;                                                            \
        if (on_host(cx)) return str_or_na("host", out);                                            \
        const sgc_container_info *ci = info_of(cx);                                                \
        return ci && str_or_na(ci->member, out);                                                   \
    }
HOST_OR_INFO(x_name, name)
HOST_OR_INFO(x_type, type)

#define INFO(fname, member)                                                                        \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        const sgc_container_info *ci = info_of(cx);                                                \
        return ci && str_or_na(ci->member, out);                                                   \
    }
INFO(x_image, image)
INFO(x_image_id, image_id)
INFO(x_image_repository, image_repository)
INFO(x_image_tag, image_tag)
INFO(x_image_digest, image_digest)
INFO(x_ip, ip)

static bool x_privileged(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci || ci->privileged < 0) return false;
    sgc_val_set_bool(out, ci->privileged == 1);
    return true;
}

static bool x_start_ts(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci || !ci->start_ts) return false;
    sgc_val_set_u64(out, ci->start_ts);
    return true;
}

static bool x_duration(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci || !ci->start_ts) return false;
    int64_t now = (int64_t)cx->ev->hdr->ts_ns + cx->boot_to_wall_ns;
    sgc_val_set_u64(out, now > (int64_t)ci->start_ts ? (uint64_t)(now - (int64_t)ci->start_ts) : 0);
    return true;
}

/* One mount as Falco prints it: source:dest:mode:rdrw:propagation. */
static const char *mount_str(sgc_arena *a, const sgc_container_mount *m, size_t *n)
{
    return sgc_arena_printf(a, n, "%s:%s:%s:%s:%s", m->source, m->dest, m->mode,
                            m->rw ? "true" : "false", m->propagation);
}

static bool x_mounts(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci) return false;
    char *acc = sgc_arena_strndup(cx->scratch, "", 0);
    size_t len = 0;
    for (int i = 0; acc && i < ci->nmounts; i++) {
        size_t n;
        const char *m = mount_str(cx->scratch, &ci->mounts[i], &n);
        if (!m) return false;
        acc = sgc_arena_printf(cx->scratch, &len, "%s%s%s", acc, i ? "," : "", m);
    }
    if (!acc) return false;
    sgc_val_set_str(out, acc, len);
    return true;
}

typedef enum { M_WHOLE, M_SOURCE, M_DEST, M_MODE, M_RDWR, M_PROPAGATION } mount_part;

/* container.mount*[KEY] with a non-numeric KEY: the container plugin
 * (container_info::mount_by_source/mount_by_dest) compiles KEY as a regex and
 * takes the first mount where it is FOUND (unanchored search, multiline), so
 * [/proc*] means "/pro" then any 'c's, anywhere. PCRE2 stands in for its
 * RE/flex engine. */
typedef struct mount_key {
    pcre2_code *re;
    pcre2_match_data *md; /* one per field reference: an engine runs on one thread */
} mount_key;

static void release_mount_key(sgc_field_ref *ref)
{
    mount_key *k = ref->priv_ptr;
    if (k) {
        pcre2_match_data_free(k->md);
        pcre2_code_free(k->re);
        free(k);
    }
    ref->priv_ptr = NULL;
}

static bool prep_mount(sgc_field_ref *ref, char *err, size_t errlen)
{
    if (!ref->arg || ref->argnum >= 0) return true;
    int ec;
    PCRE2_SIZE off;
    mount_key *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    k->re = pcre2_compile((PCRE2_SPTR)ref->arg, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &ec, &off,
                          NULL);
    if (!k->re) {
        PCRE2_UCHAR msg[128];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(err, errlen, "%s[%s]: not a valid pattern at offset %zu: %s", ref->name, ref->arg,
                 (size_t)off, (const char *)msg);
        free(k);
        return false;
    }
    k->md = pcre2_match_data_create_from_pattern(k->re, NULL);
    if (!k->md) {
        pcre2_code_free(k->re);
        free(k);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    ref->priv_ptr = k;
    ref->release = release_mount_key;
    return true;
}

/* The mount ARG names: a position, or the first mount whose source (for
 * container.mount.source: whose destination) the key pattern is found in. */
static const sgc_container_mount *mount_of(sgc_extract_ctx *cx, const sgc_field_ref *ref,
                                           mount_part part)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci || !ref->arg) return NULL;
    if (ref->argnum >= 0) return ref->argnum < ci->nmounts ? &ci->mounts[ref->argnum] : NULL;
    /* A reference made without sgc_field_ref_init (no prepare step) has no
     * compiled key: compile it for this call. */
    sgc_field_ref once = *ref;
    once.priv_ptr = NULL;
    const mount_key *k = ref->priv_ptr;
    char err[160];
    if (!k && prep_mount(&once, err, sizeof err)) k = once.priv_ptr;
    const sgc_container_mount *found = NULL;
    for (int i = 0; k && !found && i < ci->nmounts; i++) {
        const char *s = part == M_SOURCE ? ci->mounts[i].dest : ci->mounts[i].source;
        if (s && pcre2_match(k->re, (PCRE2_SPTR)s, strlen(s), 0, 0, k->md, NULL) >= 0)
            found = &ci->mounts[i];
    }
    if (once.priv_ptr) release_mount_key(&once);
    return found;
}

static bool mount_part_value(sgc_extract_ctx *cx, const sgc_field_ref *ref, mount_part part,
                             sgc_val *out)
{
    const sgc_container_mount *m = mount_of(cx, ref, part);
    if (!m) /* no such mount: no value at all (the plugin sets none) */
        return false;
    size_t n;
    switch (part) {
    case M_WHOLE: {
        const char *s = mount_str(cx->scratch, m, &n);
        if (!s) return false;
        sgc_val_set_str(out, s, n);
        return true;
    }
    case M_SOURCE: return str_or_na(m->source, out);
    case M_DEST: return str_or_na(m->dest, out);
    case M_MODE: return str_or_na(m->mode, out);
    case M_RDWR: return str_or_na(m->rw ? "true" : "false", out);
    case M_PROPAGATION: return str_or_na(m->propagation, out);
    }
    return false;
}

#define MOUNT(fname, part)                                                                         \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        return mount_part_value(cx, ref, part, out);                                               \
    }
MOUNT(x_mount, M_WHOLE)
MOUNT(x_mount_source, M_SOURCE)
MOUNT(x_mount_dest, M_DEST)
MOUNT(x_mount_mode, M_MODE)
MOUNT(x_mount_rdwr, M_RDWR)
MOUNT(x_mount_propagation, M_PROPAGATION)

/* k8s.*: Falco reads them from the CRI labels of the pod's containers. */
static bool label_value(sgc_extract_ctx *cx, const char *key, size_t maxlen, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    const char *v = ci ? sgc_container_label(ci, key) : NULL;
    if (!v) return false;
    size_t n = strlen(v);
    sgc_val_set_str(out, v, maxlen && n > maxlen ? maxlen : n);
    return true;
}

#define LABEL(fname, key, maxlen)                                                                  \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        return label_value(cx, key, maxlen, out);                                                  \
    }
LABEL(x_k8s_ns, "io.kubernetes.pod.namespace", 0)
LABEL(x_k8s_pod, "io.kubernetes.pod.name", 0)
LABEL(x_k8s_pod_uid, "io.kubernetes.pod.uid", 0)
LABEL(x_k8s_sandbox, "io.kubernetes.sandbox.id", 12)
LABEL(x_k8s_full_sandbox, "io.kubernetes.sandbox.id", 0)

/* container.label[KEY] / container.label.KEY: the runtime's Config.Labels
 * (docs/containers.md); <NA> when the container has no such label or its
 * metadata is unknown. */
static bool x_label(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    return ci && ref->arg ? str_or_na(sgc_container_label(ci, ref->arg), out) : false;
}

/* container.labels: "k1:v1, k2:v2" in the runtime's order, as Falco prints
 * them; "" for a known container without labels, <NA> when unknown. */
static bool x_labels(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const sgc_container_info *ci = info_of(cx);
    if (!ci || (!ci->type && !ci->nlabels)) return false;
    size_t len = 0;
    for (int i = 0; i < ci->nlabels; i++)
        len += strlen(ci->label_keys[i]) + 1 + strlen(ci->label_values[i]) + (i ? 2 : 0);
    char *buf = sgc_arena_alloc(cx->scratch, len + 1), *w = buf;
    if (!buf) return false;
    for (int i = 0; i < ci->nlabels; i++)
        w += sprintf(w, "%s%s:%s", i ? ", " : "", ci->label_keys[i], ci->label_values[i]);
    *w = '\0';
    sgc_val_set_str(out, buf, len);
    return true;
}

static bool x_na(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out) { return false; }

#define REQ     SGC_EXF_ARG_REQUIRED
#define ANY_ARG (SGC_EXF_ARG_REQUIRED | SGC_EXF_DOTTED_ARG)
/* The extractors of this file, each named by its row in schema/fields.def
 * (the EXTRACTOR column): a row without its extractor does not link. */
const sgc_extractor sgc_x_container_id = {x_id, NULL, 0};
const sgc_extractor sgc_x_container_full_id = {x_full_id, NULL, 0};
const sgc_extractor sgc_x_container_name = {x_name, NULL, 0};
const sgc_extractor sgc_x_container_image = {x_image, NULL, 0};
const sgc_extractor sgc_x_container_image_id = {x_image_id, NULL, 0};
const sgc_extractor sgc_x_container_type = {x_type, NULL, 0};
const sgc_extractor sgc_x_container_privileged = {x_privileged, NULL, 0};
const sgc_extractor sgc_x_container_mounts = {x_mounts, NULL, 0};
const sgc_extractor sgc_x_container_mount = {x_mount, prep_mount, REQ};
const sgc_extractor sgc_x_container_mount_source = {x_mount_source, prep_mount, REQ};
const sgc_extractor sgc_x_container_mount_dest = {x_mount_dest, prep_mount, REQ};
const sgc_extractor sgc_x_container_mount_mode = {x_mount_mode, prep_mount, REQ};
const sgc_extractor sgc_x_container_mount_rdwr = {x_mount_rdwr, prep_mount, REQ};
const sgc_extractor sgc_x_container_mount_propagation = {x_mount_propagation, prep_mount, REQ};
const sgc_extractor sgc_x_container_image_repository = {x_image_repository, NULL, 0};
const sgc_extractor sgc_x_container_image_tag = {x_image_tag, NULL, 0};
const sgc_extractor sgc_x_container_image_digest = {x_image_digest, NULL, 0};
const sgc_extractor sgc_x_container_healthcheck = {x_na, NULL, 0};
const sgc_extractor sgc_x_container_liveness_probe = {x_na, NULL, 0};
const sgc_extractor sgc_x_container_readiness_probe = {x_na, NULL, 0};
const sgc_extractor sgc_x_container_start_ts = {x_start_ts, NULL, 0};
const sgc_extractor sgc_x_container_duration = {x_duration, NULL, 0};
const sgc_extractor sgc_x_container_ip = {x_ip, NULL, 0};
const sgc_extractor sgc_x_container_cni_json = {x_na, NULL, 0};
const sgc_extractor sgc_x_container_label = {x_label, NULL, ANY_ARG};
const sgc_extractor sgc_x_container_labels = {x_labels, NULL, 0};
const sgc_extractor sgc_x_k8s_ns_name = {x_k8s_ns, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_name = {x_k8s_pod, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_id = {x_k8s_pod_uid, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_uid = {x_k8s_pod_uid, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_sandbox_id = {x_k8s_sandbox, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_full_sandbox_id = {x_k8s_full_sandbox, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_pod_labels = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_ip = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_pod_cni_json = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rc_name = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rc_id = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rc_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_rc_labels = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_svc_name = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_svc_id = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_svc_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_svc_labels = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_ns_id = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_ns_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_ns_labels = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rs_name = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rs_id = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_rs_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_rs_labels = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_deployment_name = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_deployment_id = {x_na, NULL, 0};
const sgc_extractor sgc_x_k8s_deployment_label = {x_na, NULL, ANY_ARG};
const sgc_extractor sgc_x_k8s_deployment_labels = {x_na, NULL, 0};
