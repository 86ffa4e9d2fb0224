/* Field lookup (once per rule set), value rendering, context reset. */
#include "extract.h"
#include "extract_registry.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_extract_ctx_reset(sgc_extract_ctx *cx, const sgc_evt *ev, struct sgc_proc *proc)
{
    cx->ev = ev;
    cx->proc = proc;
    cx->fd.done = false;
}

void sgc_val_set_cstrn(sgc_val *v, const char *p, size_t maxlen)
{
    const char *nul = memchr(p, '\0', maxlen);
    sgc_val_set_str(v, p, nul ? (size_t)(nul - p) : maxlen);
}

const sgc_extractor *sgc_extractor_by_id(int id)
{
    return id >= 0 && id < SGC_F__COUNT ? sgc_extractor_registry[id] : NULL;
}

const sgc_extractor *sgc_extractor_find(const char *name)
{
    const sgc_field_def *f = sgc_field_lookup(name);
    return f ? sgc_extractor_by_id((int)f->id) : NULL;
}

static long parse_argnum(const char *arg)
{
    if (!arg || !*arg) return -1;
    char *end;
    long n = strtol(arg, &end, 10);
    return (*end == '\0' && n >= 0) ? n : -1;
}

bool sgc_field_ref_init(sgc_field_ref *ref, const char *field, const char *arg,
                        const struct sgc_field_def *fdef, char *err, size_t errlen)
{
    memset(ref, 0, sizeof *ref);
    ref->name = field;
    ref->arg = arg;
    const sgc_field_def *cat = sgc_field_lookup(field);
    if (!cat && !arg) {
        /* "evt.arg.flags": the longest catalog name that takes a dotted
         * argument. */
        size_t n = strlen(field);
        for (size_t i = n; i-- > 0;) {
            if (field[i] != '.') continue;
            char prefix[128];
            if (i >= sizeof prefix) continue;
            memcpy(prefix, field, i);
            prefix[i] = '\0';
            const sgc_field_def *p = sgc_field_lookup(prefix);
            if (p && (p->arg & SGC_ARG_DOTTED)) {
                cat = p;
                ref->arg = field + i + 1;
                break;
            }
        }
    }
    if (!cat) {
        snprintf(err, errlen, "unknown field '%s'", field);
        return false;
    }
    ref->fdef = fdef ? fdef : cat;
    const sgc_extractor *ex = sgc_extractor_by_id((int)cat->id);
    if (ref->arg &&
        !(ex->flags & (SGC_EXF_ARG_ALLOWED | SGC_EXF_ARG_REQUIRED | SGC_EXF_DOTTED_ARG))) {
        snprintf(err, errlen, "field '%s' takes no argument", field);
        return false;
    }
    if (!ref->arg && (ex->flags & SGC_EXF_ARG_REQUIRED)) {
        snprintf(err, errlen, "field '%s' requires an argument", field);
        return false;
    }
    ref->ex = ex;
    ref->argnum = parse_argnum(ref->arg);
    if (ex->prepare && !ex->prepare(ref, err, errlen)) return false;
    return true;
}

void sgc_field_ref_release(sgc_field_ref *ref)
{
    if (ref->release) ref->release(ref);
    ref->release = NULL;
    ref->priv_ptr = NULL;
}

const char *sgc_val_render(const sgc_val *v, sgc_arena *a, size_t *len)
{
    size_t n = 0;
    const char *s = NULL;
    switch (v->kind) {
    case SGC_VAL_NA:
        s = "<NA>";
        n = 4;
        break;
    case SGC_VAL_STR:
        s = v->str.p;
        n = v->str.len;
        break;
    case SGC_VAL_S64: s = sgc_arena_printf(a, &n, "%" PRId64, v->s64); break;
    case SGC_VAL_U64: s = sgc_arena_printf(a, &n, "%" PRIu64, v->u64); break;
    case SGC_VAL_BOOL:
        s = v->b ? "true" : "false";
        n = strlen(s);
        break;
    case SGC_VAL_IP: {
        char *buf = sgc_arena_alloc(a, INET6_ADDRSTRLEN);
        if (buf &&
            inet_ntop(v->ip.family == 6 ? AF_INET6 : AF_INET, v->ip.addr, buf, INET6_ADDRSTRLEN)) {
            s = buf;
            n = strlen(buf);
        }
        break;
    }
    case SGC_VAL_LIST: {
        /* Falco renders list fields as (a,b,c). */
        size_t total = 2;
        const char **parts = sgc_arena_alloc(a, sizeof(char *) * (size_t)(v->list.n + 1));
        size_t *lens = sgc_arena_alloc(a, sizeof(size_t) * (size_t)(v->list.n + 1));
        if (!parts || !lens) break;
        for (int i = 0; i < v->list.n; i++) {
            parts[i] = sgc_val_render(&v->list.items[i], a, &lens[i]);
            total += lens[i] + 1;
        }
        char *buf = sgc_arena_alloc(a, total + 1);
        if (!buf) break;
        size_t o = 0;
        buf[o++] = '(';
        for (int i = 0; i < v->list.n; i++) {
            if (i) buf[o++] = ',';
            memcpy(buf + o, parts[i], lens[i]);
            o += lens[i];
        }
        buf[o++] = ')';
        buf[o] = '\0';
        s = buf;
        n = o;
        break;
    }
    }
    if (!s) {
        s = "<NA>";
        n = 4;
    }
    if (len) *len = n;
    return s;
}
