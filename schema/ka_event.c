/* Audit payloads (Event, EventList, arrays) into single events. */
#include "ka_event.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void sgc_ka_event_clear(sgc_ka_event *ev)
{
    json_decref(ev->obj);
    ev->obj = NULL;
}

/* N digits at *p as a number; advances *p. -1 when not digits. */
static long digits(const char **p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p)) return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

static bool expect(const char **p, char c)
{
    if (**p != c) return false;
    (*p)++;
    return true;
}

int sgc_ka_parse_time(const char *s, int64_t *ns)
{
    if (!s) return -1;
    const char *p = s;
    long y = digits(&p, 4), mo, d, h, mi, se;
    if (y < 0 || !expect(&p, '-') || (mo = digits(&p, 2)) < 1 || mo > 12 || !expect(&p, '-') ||
        (d = digits(&p, 2)) < 1 || d > 31 || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    if ((h = digits(&p, 2)) < 0 || h > 23 || !expect(&p, ':') || (mi = digits(&p, 2)) < 0 ||
        mi > 59 || !expect(&p, ':') || (se = digits(&p, 2)) < 0 || se > 60)
        return -1;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        for (; isdigit((unsigned char)*p); p++, n++)
            if (n < 9) frac = frac * 10 + (*p - '0');
        if (n == 0) return -1;
        for (; n < 9; n++) frac *= 10;
    }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        long oh = digits(&p, 2), om;
        if (oh < 0 || oh > 23 || !expect(&p, ':') || (om = digits(&p, 2)) < 0 || om > 59) return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p) return -1;
    struct tm tm = {0};
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)mo - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = (int)h;
    tm.tm_min = (int)mi;
    tm.tm_sec = (int)se;
    int64_t sec = (int64_t)timegm(&tm) - off;
    /* nanoseconds since the epoch fit in 64 bits until 2262 */
    if (sec <= INT64_MIN / 1000000000 || sec >= INT64_MAX / 1000000000) return -1;
    *ns = sec * 1000000000 + frac;
    return 0;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen || err[0]) return; /* keep the first problem */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

typedef struct parse_ctx {
    size_t max_event_bytes;
    bool check_size; /* the payload is larger than one event may be */
    sgc_ka_event_fn fn;
    void *ud;
    sgc_ka_parse_stats *st;
    char *err;
    size_t errlen;
    sgc_ka_event *evs; /* the good events, handed on at the end */
    size_t nevs, cap;
    bool oom;
} parse_ctx;

static void keep(parse_ctx *c, const sgc_ka_event *ev)
{
    if (c->nevs == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        sgc_ka_event *n = realloc(c->evs, cap * sizeof *n);
        if (!n) {
            c->oom = true;
            return;
        }
        c->evs = n;
        c->cap = cap;
    }
    c->evs[c->nevs] = *ev;
    c->evs[c->nevs++].obj = json_incref(ev->obj);
}

/* Size of V as compact JSON. */
static size_t compact_size(const json_t *v)
{
    return json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* One Event: checked, then handed on (or counted as rejected). */
static void single_event(parse_ctx *c, json_t *v)
{
    json_t *ts = json_object_get(v, "stageTimestamp");
    if (!ts) {
        c->st->no_timestamp++;
        set_err(c->err, c->errlen, "can't read stageTimestamp");
        return;
    }
    sgc_ka_event ev = {NULL, 0};
    if (sgc_ka_parse_time(json_string_value(ts), &ev.ts_ns) < 0) {
        c->st->bad_timestamp++;
        set_err(c->err, c->errlen, "stageTimestamp is not an RFC 3339 time");
        return;
    }
    if (c->check_size) {
        size_t n = compact_size(v);
        if (n > c->max_event_bytes) {
            c->st->too_large++;
            set_err(c->err, c->errlen, "event larger than max_event_bytes: size=%zu", n);
            return;
        }
    }
    ev.obj = v;
    keep(c, &ev);
}

/* An Event, an EventList or an array of them (the plugin's recursion: an
 * unrecognized element ends the array, the events before it stay). */
static bool parse_value(parse_ctx *c, json_t *v, int depth)
{
    if (json_is_array(v)) {
        if (depth > 64) {
            set_err(c->err, c->errlen, "arrays nested too deeply");
            return false;
        }
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!parse_value(c, e, depth + 1)) return false;
        }
        return true;
    }
    const char *kind = json_string_value(json_object_get(v, "kind"));
    if (kind && !strcmp(kind, "EventList")) {
        json_t *items = json_object_get(v, "items");
        if (json_is_array(items)) {
            size_t i;
            json_t *e;
            json_array_foreach(items, i, e) single_event(c, e);
            return true;
        }
    } else if (kind && !strcmp(kind, "Event")) {
        single_event(c, v);
        return true;
    }
    set_err(c->err, c->errlen, "data not recognized as a k8s audit event");
    return false;
}

sgc_ka_payload_status sgc_ka_parse_payload(const char *buf, size_t len, size_t max_event_bytes,
                                           sgc_ka_event_fn fn, void *ud, sgc_ka_parse_stats *st,
                                           char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_DECODE_ANY, &je);
    if (!root) {
        st->bad_json++;
        set_err(err, errlen, "malformed JSON: %s (line %d, column %d)", je.text, je.line,
                je.column);
        return SGC_KA_PAYLOAD_BAD_JSON;
    }
    parse_ctx c = {max_event_bytes,
                   max_event_bytes && len > max_event_bytes,
                   fn,
                   ud,
                   st,
                   err,
                   errlen,
                   NULL,
                   0,
                   0,
                   false};
    /* As the plugin: a payload with an unrecognized part delivers nothing. */
    bool ok = parse_value(&c, root, 0) && !c.oom;
    for (size_t i = 0; i < c.nevs; i++) {
        if (ok) {
            st->events++;
            fn(&c.evs[i], ud);
        } else {
            sgc_ka_event_clear(&c.evs[i]);
        }
    }
    free(c.evs);
    json_decref(root);
    if (!ok) {
        st->not_audit++;
        return SGC_KA_PAYLOAD_NOT_AUDIT;
    }
    return SGC_KA_PAYLOAD_OK;
}
