/* Parsing Falco JSON alerts for the responder: validation, the alert id, the
 * deduplication key, field access. */
#include "rp_alert.h"
#include "ruleset.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return false;
}

static bool is_time_field(const char *k)
{
    return !strncmp(k, "evt.time", 8) || !strcmp(k, "evt.rawtime") ||
           !strcmp(k, RP_ALERT_ID_FIELD) || !strncmp(k, "evt.rawtime.", 12) ||
           !strcmp(k, "evt.datetime") || !strcmp(k, "evt.num");
}

static void compute_dedup(rp_alert *a, const char *prio)
{
    sgc_sha256 h;
    sgc_sha256_init(&h);
    const char *parts[] = {a->rule, prio, a->source, a->hostname};
    for (size_t i = 0; i < 4; i++) {
        const char *p = parts[i] ? parts[i] : "";
        sgc_sha256_update(&h, p, strlen(p) + 1);
    }
    if (a->fields) {
        /* keys in sorted order so the key is independent of field order */
        size_t n = json_object_size(a->fields), k = 0;
        const char **keys = calloc(n + 1, sizeof *keys);
        const char *key;
        json_t *v;
        json_object_foreach(a->fields, key, v) if (keys && !is_time_field(key)) keys[k++] = key;
        for (size_t i = 1; keys && i < k; i++)
            for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
                const char *t = keys[j];
                keys[j] = keys[j - 1];
                keys[j - 1] = t;
            }
        for (size_t i = 0; keys && i < k; i++) {
            char tmp[64];
            const char *s = rp_alert_field(a, keys[i], tmp, sizeof tmp);
            sgc_sha256_update(&h, keys[i], strlen(keys[i]) + 1);
            sgc_sha256_update(&h, s ? s : "", s ? strlen(s) + 1 : 1);
        }
        free(keys);
    }
    uint8_t d[32];
    sgc_sha256_final(&h, d);
    sgc_sha256_hex(d, a->dedup_key);
}

bool rp_alert_parse(const char *buf, size_t len, rp_alert *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    if (len > RP_ALERT_MAX_BYTES) return fail(err, errlen, "alert larger than 1 MiB");
    json_error_t je;
    a->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!a->root) {
        snprintf(err, errlen, "not JSON: %s (offset %d)", je.text, je.position);
        return false;
    }
    bool ok = false;
    json_t *r = a->root;
    if (!json_is_object(r)) {
        fail(err, errlen, "an alert is a JSON object");
        goto out;
    }
    a->rule = json_string_value(json_object_get(r, "rule"));
    if (!a->rule || !*a->rule) {
        fail(err, errlen, "the alert has no string 'rule'");
        goto out;
    }
    const char *prio = json_string_value(json_object_get(r, "priority"));
    a->prio = prio ? sgc_priority_parse(prio) : -1;
    if (a->prio < 0) {
        fail(err, errlen, "the alert has no valid 'priority'");
        goto out;
    }
    json_t *src = json_object_get(r, "source");
    if (src && !json_is_string(src)) {
        fail(err, errlen, "'source' is not a string");
        goto out;
    }
    a->source = src ? json_string_value(src) : "syscall";
    a->hostname = json_string_value(json_object_get(r, "hostname"));
    a->tags = json_object_get(r, "tags");
    if (a->tags && json_is_null(a->tags)) a->tags = NULL;
    if (a->tags && !json_is_array(a->tags)) {
        fail(err, errlen, "'tags' is not a list");
        goto out;
    }
    a->fields = json_object_get(r, "output_fields");
    if (a->fields && json_is_null(a->fields)) a->fields = NULL;
    if (a->fields && !json_is_object(a->fields)) {
        fail(err, errlen, "'output_fields' is not an object");
        goto out;
    }
    const char *id =
        a->fields ? json_string_value(json_object_get(a->fields, RP_ALERT_ID_FIELD)) : NULL;
    if (!id) id = json_string_value(json_object_get(r, "uuid"));
    if (id && *id && strlen(id) < sizeof a->id) {
        snprintf(a->id, sizeof a->id, "%s", id);
    } else {
        char hex[65];
        sgc_sha256_hex_of(buf, len, hex);
        snprintf(a->id, sizeof a->id, "sha256:%s", hex);
    }
    compute_dedup(a, prio);
    ok = true;
out:
    if (!ok) {
        json_decref(a->root);
        memset(a, 0, sizeof *a);
    }
    return ok;
}

void rp_alert_free(rp_alert *a)
{
    json_decref(a->root);
    memset(a, 0, sizeof *a);
}

const char *rp_alert_field(const rp_alert *a, const char *field, char *tmp, size_t tmplen)
{
    json_t *v = a->fields ? json_object_get(a->fields, field) : NULL;
    if (!v) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v))
        snprintf(tmp, tmplen, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(tmp, tmplen, "%.17g", json_real_value(v));
    else if (json_is_true(v))
        snprintf(tmp, tmplen, "true");
    else if (json_is_false(v))
        snprintf(tmp, tmplen, "false");
    else if (json_is_null(v))
        snprintf(tmp, tmplen, "<NA>");
    else
        snprintf(tmp, tmplen, "%s", json_is_array(v) ? "[...]" : "{...}");
    return tmp;
}

bool rp_alert_field_int(const rp_alert *a, const char *field, long long *out)
{
    json_t *v = a->fields ? json_object_get(a->fields, field) : NULL;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || !*s) return false;
    char *end;
    long long x = strtoll(s, &end, 10);
    if (*end) return false;
    *out = x;
    return true;
}
