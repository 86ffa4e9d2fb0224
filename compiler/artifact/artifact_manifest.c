/* The manifest section: JSON (jansson) describing what the BPF object and
 * the userspace engine need besides the object itself. docs/artifact.md
 * lists every key. Parsing is strict: a missing key or a wrong type is an
 * error, so a damaged manifest is never half used. */
#include "artifact.h"
#include "systables.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *rule_json(const sgc_artifact_rule *r)
{
    json_t *tags = json_array();
    for (int i = 0; i < r->ntags; i++) json_array_append_new(tags, json_string(r->tags[i]));
    return json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:b, s:i, s:o, s:i}", "name", r->name,
                     "desc", str_or_null(r->desc), "priority", sgc_priority_name(r->priority),
                     "source", r->source, "tags", tags, "output", str_or_null(r->output),
                     "condition", str_or_null(r->condition), "enabled", r->enabled, "bit", r->bit,
                     "file", str_or_null(r->file), "line", r->line);
}

char *sgc_artifact_manifest_json(const sgc_artifact *a)
{
    json_t *rules = json_array(), *syscalls = json_array(), *inputs = json_array();
    for (int i = 0; i < a->nrules; i++) json_array_append_new(rules, rule_json(&a->rules[i]));
    for (int i = 0; i < a->nsyscalls; i++) {
        const char *name = sgc_syscall_name(a->syscalls[i]);
        json_array_append_new(
            syscalls, json_pack("{s:i, s:s}", "nr", a->syscalls[i], "name", name ? name : "?"));
    }
    for (int i = 0; i < a->ninputs; i++)
        json_array_append_new(inputs, json_pack("{s:s, s:s, s:I}", "name", a->inputs[i].name,
                                                "sha256", a->inputs[i].sha256, "size",
                                                (json_int_t)a->inputs[i].size));
    json_t *root =
        json_pack("{s:s, s:i, s:s, s:i, s:o, s:o, s:o, s:o}", "sgc_version",
                  a->sgc_version ? a->sgc_version : SGC_VERSION, "event_version", a->event_version,
                  "arch", a->arch ? a->arch : "x86_64", "cand_words", a->cand_words,
                  "required_engine_version", str_or_null(a->required_engine_version), "inputs",
                  inputs, "syscalls", syscalls, "rules", rules);
    if (!root) return NULL;
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct mctx {
    char *err;
    size_t errlen;
    int failed;
} mctx;

static void bad(mctx *m, const char *what, const char *key)
{
    if (!m->failed) snprintf(m->err, m->errlen, "artifact corrupt: manifest: %s '%s'", what, key);
    m->failed = 1;
}

static json_t *get(mctx *m, json_t *obj, const char *key, json_type type)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        bad(m, "missing key", key);
        return NULL;
    }
    if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v))) {
        bad(m, "wrong type for", key);
        return NULL;
    }
    return v;
}

/* A string, or NULL when the value is null (allowed only if nullable). */
static char *get_str(mctx *m, json_t *obj, const char *key, bool nullable)
{
    json_t *v = json_object_get(obj, key);
    if (nullable && json_is_null(v)) return NULL;
    v = get(m, obj, key, JSON_STRING);
    if (!v) return NULL;
    /* an embedded NUL would silently cut the string */
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        bad(m, "NUL byte in", key);
        return NULL;
    }
    char *s = strdup(json_string_value(v));
    if (!s) bad(m, "out of memory at", key);
    return s;
}

static long long get_int(mctx *m, json_t *obj, const char *key, long long lo, long long hi)
{
    json_t *v = get(m, obj, key, JSON_INTEGER);
    if (!v) return lo;
    long long x = json_integer_value(v);
    if (x < lo || x > hi) {
        bad(m, "value out of range for", key);
        return lo;
    }
    return x;
}

static void parse_rule(mctx *m, json_t *o, sgc_artifact_rule *r)
{
    if (!json_is_object(o)) {
        bad(m, "not an object:", "rules[]");
        return;
    }
    r->name = get_str(m, o, "name", false);
    r->desc = get_str(m, o, "desc", true);
    char *pri = get_str(m, o, "priority", false);
    int p = pri ? sgc_priority_parse(pri) : 0;
    free(pri);
    if (p < 0) bad(m, "unknown priority in", "priority");
    r->priority = p < 0 ? 0 : (sgc_priority)p;
    r->source = get_str(m, o, "source", false);
    json_t *tags = get(m, o, "tags", JSON_ARRAY);
    if (tags && json_array_size(tags)) {
        r->tags = calloc(json_array_size(tags), sizeof *r->tags);
        if (!r->tags) bad(m, "out of memory at", "tags");
        for (size_t i = 0; r->tags && i < json_array_size(tags); i++) {
            json_t *t = json_array_get(tags, i);
            if (!json_is_string(t) || strlen(json_string_value(t)) != json_string_length(t)) {
                bad(m, "a tag is not a string in", "tags");
                break;
            }
            r->tags[r->ntags++] = strdup(json_string_value(t));
        }
    }
    r->output = get_str(m, o, "output", true);
    r->condition = get_str(m, o, "condition", true);
    json_t *en = get(m, o, "enabled", JSON_TRUE);
    r->enabled = en && json_is_true(en);
    r->bit = (int)get_int(m, o, "bit", -1, 1 << 24);
    r->file = get_str(m, o, "file", true);
    r->line = (int)get_int(m, o, "line", 0, 1 << 30);
}

static void parse_rules(mctx *m, sgc_artifact *a, json_t *rules)
{
    size_t n = json_array_size(rules);
    a->rules = calloc(n ? n : 1, sizeof *a->rules);
    if (!a->rules) {
        bad(m, "out of memory at", "rules");
        return;
    }
    int ordinal = 0;
    for (size_t i = 0; i < n && !m->failed; i++) {
        sgc_artifact_rule *r = &a->rules[a->nrules++];
        parse_rule(m, json_array_get(rules, i), r);
        /* the engine numbers candidate bits by enabled order: they must agree */
        if (!m->failed && r->bit != (r->enabled ? ordinal : -1))
            bad(m, "candidate bit out of order at rule", r->name);
        if (r->enabled) ordinal++;
    }
    if (!m->failed && a->cand_words && ordinal > a->cand_words * 64)
        bad(m, "more enabled rules than candidate bits:", "cand_words");
}

static void parse_syscalls(mctx *m, sgc_artifact *a, json_t *arr)
{
    size_t n = json_array_size(arr);
    a->syscalls = calloc(n ? n : 1, sizeof *a->syscalls);
    if (!a->syscalls) {
        bad(m, "out of memory at", "syscalls");
        return;
    }
    for (size_t i = 0; i < n && !m->failed; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            bad(m, "not an object:", "syscalls[]");
            return;
        }
        int nr = (int)get_int(m, o, "nr", 0, 4095);
        if (!m->failed && a->nsyscalls && nr <= a->syscalls[a->nsyscalls - 1])
            bad(m, "syscall numbers not ascending at", "nr");
        a->syscalls[a->nsyscalls++] = nr;
    }
}

static void parse_inputs(mctx *m, sgc_artifact *a, json_t *arr)
{
    size_t n = json_array_size(arr);
    a->inputs = calloc(n ? n : 1, sizeof *a->inputs);
    if (!a->inputs) {
        bad(m, "out of memory at", "inputs");
        return;
    }
    for (size_t i = 0; i < n && !m->failed; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            bad(m, "not an object:", "inputs[]");
            return;
        }
        sgc_artifact_input *in = &a->inputs[a->ninputs++];
        in->name = get_str(m, o, "name", false);
        char *h = get_str(m, o, "sha256", false);
        if (h && strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64)
            memcpy(in->sha256, h, 65);
        else if (h)
            bad(m, "not a SHA-256:", "sha256");
        free(h);
        in->size = (uint64_t)get_int(m, o, "size", 0, (long long)1 << 40);
    }
}

int sgc_artifact_manifest_parse(sgc_artifact *a, const char *text, size_t len, char *err,
                                size_t errlen)
{
    mctx m = {err, errlen, 0};
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "artifact corrupt: manifest is not valid JSON (line %d: %s)", je.line,
                 je.text);
        return -1;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, errlen, "artifact corrupt: manifest is not a JSON object");
        return -1;
    }
    a->sgc_version = get_str(&m, root, "sgc_version", false);
    a->event_version = (int)get_int(&m, root, "event_version", 0, 65535);
    a->arch = get_str(&m, root, "arch", false);
    a->cand_words = (int)get_int(&m, root, "cand_words", 0, 1 << 16);
    a->required_engine_version = get_str(&m, root, "required_engine_version", true);
    json_t *v;
    if ((v = get(&m, root, "inputs", JSON_ARRAY)) && !m.failed) parse_inputs(&m, a, v);
    if ((v = get(&m, root, "syscalls", JSON_ARRAY)) && !m.failed) parse_syscalls(&m, a, v);
    if ((v = get(&m, root, "rules", JSON_ARRAY)) && !m.failed) parse_rules(&m, a, v);
    if (!m.failed && a->arch && strcmp(a->arch, "x86_64") != 0) {
        snprintf(err, errlen, "artifact built for %s; this sgc runs on x86_64", a->arch);
        m.failed = 1;
    }
    json_decref(root);
    return m.failed ? -1 : 0;
}
