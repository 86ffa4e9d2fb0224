/* The field catalog table (from fields.def) and name resolution. */
#include "fields.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sgc_field_def catalog[] = {
#define F(id, name, type, arg, flags, ex, kernel, desc)                                            \
    {SGC_F_##id, name, SGC_FT_##type, arg, flags, SGC_FK_##kernel, desc},
#include "fields.def"
#include "fields_k8saudit.def"
#undef F
};

#define N_FIELDS ((int)(sizeof catalog / sizeof catalog[0]))

const sgc_field_def *sgc_fields_all(int *n)
{
    if (n) *n = N_FIELDS;
    return catalog;
}

const sgc_field_def *sgc_field_by_id(int id)
{
    return id >= 0 && id < N_FIELDS ? &catalog[id] : NULL;
}

/* Lookup of the first LEN bytes of NAME in source SRC's catalog (-1: any). */
static const sgc_field_def *lookup_n(const char *name, size_t len, int src)
{
    for (int i = 0; i < N_FIELDS; i++) {
        const char *c = catalog[i].name;
        if (c[0] == name[0] && strlen(c) == len && !memcmp(c, name, len) &&
            (src < 0 || sgc_field_in_source(&catalog[i], (sgc_evsource)src)))
            return &catalog[i];
    }
    return NULL;
}

const sgc_field_def *sgc_field_lookup(const char *name)
{
    return name && *name ? lookup_n(name, strlen(name), -1) : NULL;
}

/* ---- sources ---- */

static const char *const source_names[SGC_SRC__COUNT] = {"syscall", "k8s_audit"};

int sgc_evsource_parse(const char *name)
{
    for (int i = 0; name && i < SGC_SRC__COUNT; i++)
        if (!strcmp(name, source_names[i])) return i;
    return -1;
}

const char *sgc_evsource_name(sgc_evsource s)
{
    return (int)s >= 0 && s < SGC_SRC__COUNT ? source_names[s] : "?";
}

bool sgc_evsource_in_kernel(sgc_evsource s) { return s == SGC_SRC_SYSCALL; }

/* Falco's generic event fields, offered by every source. */
static bool is_generic_evt_field(sgc_field_id id)
{
    switch (id) {
    case SGC_F_EVT_NUM:
    case SGC_F_EVT_TIME:
    case SGC_F_EVT_TIME_S:
    case SGC_F_EVT_TIME_ISO8601:
    case SGC_F_EVT_DATETIME:
    case SGC_F_EVT_DATETIME_S:
    case SGC_F_EVT_RAWTIME:
    case SGC_F_EVT_RAWTIME_S:
    case SGC_F_EVT_RAWTIME_NS:
    case SGC_F_EVT_SOURCE:
    case SGC_F_EVT_HOSTNAME: return true;
    default: return false;
    }
}

bool sgc_field_in_source(const sgc_field_def *f, sgc_evsource s)
{
    if (!f) return false;
    if (s == SGC_SRC_SYSCALL) return f->id < SGC_F__SYSCALL_END;
    if (s == SGC_SRC_K8S_AUDIT) return f->id > SGC_F__KA_BEFORE || is_generic_evt_field(f->id);
    return false;
}

/* ---- suggestions ---- */

int sgc_name_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 128 || lb > 128) return 1 << 20;
    int prev[129], cur[129];
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb];
}

static const char *suggest_in(const char *name, int src)
{
    if (!name) return NULL;
    const char *best = NULL;
    int best_d = 1 << 20;
    for (int i = 0; i < N_FIELDS; i++) {
        if (src >= 0 && !sgc_field_in_source(&catalog[i], (sgc_evsource)src)) continue;
        int d = sgc_name_distance(name, catalog[i].name);
        if (d < best_d) {
            best_d = d;
            best = catalog[i].name;
        }
    }
    /* A typo, not a different word: a couple of edits, more for long names. */
    int limit = (int)strlen(name) / 4;
    if (limit < 2) limit = 2;
    return best_d <= limit ? best : NULL;
}

const char *sgc_field_suggest(const char *name) { return suggest_in(name, SGC_SRC_SYSCALL); }

/* ---- resolution ---- */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static bool is_integer(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static const sgc_field_def *fail(char **err, char *msg)
{
    if (err)
        *err = msg;
    else
        free(msg);
    return NULL;
}

/* Checks a bracket argument against the field's argument form. */
static const sgc_field_def *check_bracket(const sgc_field_def *f, const char *arg, char **err)
{
    if (!(f->arg & SGC_ARG_BRACKET))
        return fail(err, fmt("field '%s' does not take an argument in brackets ('%s[%s]')", f->name,
                             f->name, arg));
    if (!*arg) return fail(err, fmt("field '%s' has an empty argument", f->name));
    if ((f->arg & SGC_ARG_NUMERIC) && !is_integer(arg))
        return fail(err,
                    fmt("field '%s' needs a numeric index in brackets, not '%s'", f->name, arg));
    return f;
}

static const char *arg_example(const sgc_field_def *f)
{
    if (f->arg & SGC_ARG_NUMERIC) return "[0]";
    if (f->arg & SGC_ARG_BRACKET) return "[...]";
    return ".NAME";
}

const sgc_field_def *sgc_field_resolve(const char *name, const char *bracket_arg,
                                       const char **dotted_arg, char **err)
{
    return sgc_field_resolve_src(SGC_SRC_SYSCALL, name, bracket_arg, dotted_arg, err);
}

const sgc_field_def *sgc_field_resolve_src(sgc_evsource src, const char *name,
                                           const char *bracket_arg, const char **dotted_arg,
                                           char **err)
{
    if (dotted_arg) *dotted_arg = NULL;
    if (err) *err = NULL;
    if (!name || !*name) return fail(err, fmt("empty field name"));

    const sgc_field_def *f = name && *name ? lookup_n(name, strlen(name), (int)src) : NULL;
    if (f) {
        if (bracket_arg) return check_bracket(f, bracket_arg, err);
        if (f->arg & SGC_ARG_REQUIRED)
            return fail(err, fmt("field '%s' requires an argument, e.g. %s%s", f->name, f->name,
                                 arg_example(f)));
        return f;
    }

    /* name.ARG: the longest catalog prefix (cut at a dot) that takes a dotted
     * argument; the argument may itself contain dots (k8s.pod.label.app.kubernetes.io/name). */
    for (size_t i = strlen(name); i-- > 0;) {
        if (name[i] != '.') continue;
        const sgc_field_def *p = lookup_n(name, i, (int)src);
        if (!p || !(p->arg & SGC_ARG_DOTTED)) continue;
        if (!name[i + 1])
            return fail(err, fmt("field '%s' has an empty argument after the dot", p->name));
        if (bracket_arg)
            return fail(err, fmt("field '%s' takes its argument either after a dot or in brackets, "
                                 "not both",
                                 p->name));
        if (dotted_arg) *dotted_arg = name + i + 1;
        return p;
    }

    if (!err) return NULL; /* no message wanted: no suggestion (a distance to every field) */
    const char *sugg = suggest_in(name, (int)src);
    if (sugg)
        return fail(err, fmt("filter_check called with nonexistent field %s (did you mean %s?)",
                             name, sugg));
    return fail(err, fmt("filter_check called with nonexistent field %s", name));
}

/* ---- names ---- */

const char *sgc_field_class(const sgc_field_def *f, char *buf, int bufsize)
{
    if (!f || bufsize <= 0) return NULL;
    size_t len = strcspn(f->name, ".");
    if (!strncmp(f->name, "fs.path.", 8)) len = 7;
    if (!strcmp(f->name, "syscall.type")) len = 0; /* listed with the evt fields, as Falco does */
    const char *src = len ? f->name : "evt";
    if (!len) len = 3;
    if ((int)len >= bufsize) len = (size_t)bufsize - 1;
    memcpy(buf, src, len);
    buf[len] = 0;
    return buf;
}

static const char *const type_names[SGC_FT__COUNT] = {
    [SGC_FT_STRING] = "string",   [SGC_FT_BYTEBUF] = "bytebuf",
    [SGC_FT_INT8] = "int8",       [SGC_FT_INT16] = "int16",
    [SGC_FT_INT32] = "int32",     [SGC_FT_INT64] = "int64",
    [SGC_FT_UINT8] = "uint8",     [SGC_FT_UINT16] = "uint16",
    [SGC_FT_UINT32] = "uint32",   [SGC_FT_UINT64] = "uint64",
    [SGC_FT_DOUBLE] = "double",   [SGC_FT_BOOL] = "bool",
    [SGC_FT_IPADDR] = "ipaddr",   [SGC_FT_IPNET] = "ipnet",
    [SGC_FT_PORT] = "port",       [SGC_FT_L4PROTO] = "l4proto",
    [SGC_FT_FLAGS] = "flags",     [SGC_FT_MODE] = "mode",
    [SGC_FT_FD] = "fd",           [SGC_FT_PID] = "pid",
    [SGC_FT_ERRNO] = "errno",     [SGC_FT_SYSCALLID] = "syscallid",
    [SGC_FT_ABSTIME] = "abstime", [SGC_FT_RELTIME] = "reltime",
    [SGC_FT_DYN] = "dynamic",
};

const char *sgc_ftype_name(sgc_ftype t)
{
    return (int)t >= 0 && t < SGC_FT__COUNT ? type_names[t] : "?";
}

sgc_fclass sgc_ftype_class(sgc_ftype t)
{
    switch (t) {
    case SGC_FT_STRING:
    case SGC_FT_BYTEBUF:
    case SGC_FT_L4PROTO:
    case SGC_FT_FLAGS:
    case SGC_FT_ERRNO: return SGC_FCLASS_STRING;
    case SGC_FT_BOOL: return SGC_FCLASS_BOOL;
    case SGC_FT_IPADDR:
    case SGC_FT_IPNET: return SGC_FCLASS_IP;
    case SGC_FT_DYN: return SGC_FCLASS_DYN;
    default: return SGC_FCLASS_NUMERIC;
    }
}

bool sgc_ftype_is_numeric(sgc_ftype t) { return sgc_ftype_class(t) == SGC_FCLASS_NUMERIC; }

bool sgc_ftype_is_signed(sgc_ftype t)
{
    switch (t) {
    case SGC_FT_INT8:
    case SGC_FT_INT16:
    case SGC_FT_INT32:
    case SGC_FT_INT64:
    case SGC_FT_DOUBLE:
    case SGC_FT_FD:
    case SGC_FT_PID:
    case SGC_FT_RELTIME: return true;
    default: return false;
    }
}

const char *sgc_field_arg_desc(const sgc_field_def *f)
{
    unsigned a = f ? f->arg : 0;
    bool req = a & SGC_ARG_REQUIRED;
    if (!(a & (SGC_ARG_BRACKET | SGC_ARG_DOTTED))) return "none";
    if ((a & SGC_ARG_DOTTED) && (a & SGC_ARG_BRACKET))
        return (a & SGC_ARG_NUMERIC) ? (req ? "name or index, required" : "name or index, optional")
                                     : (req ? "key, required" : "key, optional");
    if (a & SGC_ARG_DOTTED) return req ? "dotted key, required" : "dotted key, optional";
    if (a & SGC_ARG_NUMERIC) return req ? "index, required" : "index, optional";
    return req ? "key, required" : "key, optional";
}

const char *sgc_fkernel_name(sgc_fkernel k)
{
    switch (k) {
    case SGC_FK_EXACT: return "exact";
    case SGC_FK_PARTIAL: return "partial";
    default: return "none";
    }
}
