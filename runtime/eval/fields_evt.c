/* evt.* extractors: the event's type, time, return value and arguments, with
 * Falco's renderings (evt.res = ENOENT, evt.arg.flags = O_RDWR|O_CREAT). */
#include "evt_args.h"
#include "evtype.h"
#include "extract.h"
#include "fields.h"
#include "systables.h"
#include "hostroot.h"

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <stdlib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int evt_nr(const sgc_extract_ctx *cx) { return sgc_evt_syscall_nr(cx->ev); }

static const sgc_syscall_desc *evt_desc(const sgc_extract_ctx *cx)
{
    return sgc_syscall_desc_of(evt_nr(cx));
}

static bool is_syscall_like(const sgc_evt *ev)
{
    return ev->hdr->kind == SGC_REC_SYSCALL || ev->hdr->kind == SGC_REC_PROC_EXEC ||
           ev->hdr->kind == SGC_REC_PROC_FORK;
}

static bool x_type(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const char *name = sgc_evt_type_name(cx->ev);
    if (!name) return false;
    sgc_val_set_str(out, name, strlen(name));
    return true;
}

static bool x_num(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_u64(out, cx->ev->evtnum);
    return true;
}

static int64_t wall_ns(const sgc_extract_ctx *cx)
{
    return (int64_t)cx->ev->hdr->ts_ns + cx->boot_to_wall_ns;
}

static bool x_rawtime(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_u64(out, (uint64_t)wall_ns(cx));
    return true;
}

/* evt.rawtime.s / evt.rawtime.ns: the seconds and nanoseconds parts. */
static bool x_rawtime_s(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_u64(out, (uint64_t)wall_ns(cx) / 1000000000u);
    return true;
}

static bool x_rawtime_ns(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_u64(out, (uint64_t)wall_ns(cx) % 1000000000u);
    return true;
}

/* The time renderings, by the field's id: local "HH:MM:SS.nnnnnnnnn"
 * (evt.time), with the date (evt.datetime), whole seconds (the .s forms),
 * UTC "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (evt.time.iso8601). */
static bool x_time_fmt(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    int64_t ns = wall_ns(cx);
    time_t sec = (time_t)(ns / 1000000000);
    long frac = (long)(ns % 1000000000);
    const sgc_field_def *f = r->fdef ? r->fdef : sgc_field_lookup(r->name);
    int id = f ? (int)f->id : SGC_F_EVT_TIME;
    bool iso = id == SGC_F_EVT_TIME_ISO8601;
    bool dated = id == SGC_F_EVT_DATETIME || id == SGC_F_EVT_DATETIME_S;
    bool whole = id == SGC_F_EVT_TIME_S || id == SGC_F_EVT_DATETIME_S;
    struct tm tm;
    char buf[64];
    if (iso) {
        gmtime_r(&sec, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    } else {
        localtime_r(&sec, &tm);
        strftime(buf, sizeof buf, dated ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    }
    size_t len;
    const char *s =
        whole ? sgc_arena_printf(cx->scratch, &len, "%s", buf)
              : sgc_arena_printf(cx->scratch, &len, "%s.%09ld%s", buf, frac, iso ? "Z" : "");
    if (!s) return false;
    sgc_val_set_str(out, s, len);
    return true;
}

/* evt.source: every event of this stream comes from the syscall source. */
static bool x_source(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (cx->ka)
        sgc_val_set_str(out, "k8s_audit", 9);
    else
        sgc_val_set_str(out, "syscall", 7);
    return true;
}

/* Falco's asynchronous events are the metadata events that no syscall
 * returns; of them, sgc emits the container event. */
static bool is_async(const sgc_extract_ctx *cx)
{
    const char *name = sgc_evt_type_name(cx->ev);
    return name && strcmp(name, "container") == 0;
}

static bool x_is_async(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_bool(out, is_async(cx));
    return true;
}

static bool x_asynctype(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (!is_async(cx)) return false;
    sgc_val_set_str(out, "container", 9);
    return true;
}

/* evt.type.is.NAME: 1 when the event's type is NAME, else 0. */
static bool x_type_is(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const char *name = sgc_evt_type_name(cx->ev);
    sgc_val_set_u64(out, name && r->arg && strcmp(name, r->arg) == 0);
    return true;
}

static bool x_hostname(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    static char host[256];
    const char *h = cx->hostname;
    if (!h) {
        if (!host[0] && sgc_host_name(host, sizeof host) != 0) return false;
        h = host;
    }
    sgc_val_set_str(out, h, strlen(h));
    return true;
}

static bool x_dir(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    /* Every record is an exit (or a scheduler event, which Falco shows as
     * exit-side too). */
    sgc_val_set_str(out, "<", 1);
    return true;
}

static bool x_res(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (!is_syscall_like(cx->ev)) return false;
    int64_t ret = cx->ev->hdr->ret;
    if (ret >= 0) {
        sgc_val_set_str(out, "SUCCESS", 7);
        return true;
    }
    /* errno values are -4095..-1 (MAX_ERRNO); anything else is a plain number */
    const char *name = ret >= -4095 ? sgc_errno_name((int)-ret) : NULL;
    if (name) {
        sgc_val_set_str(out, name, strlen(name));
        return true;
    }
    size_t len;
    const char *s = sgc_arena_printf(cx->scratch, &len, "%" PRId64, ret);
    if (!s) return false;
    sgc_val_set_str(out, s, len);
    return true;
}

static bool x_rawres(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (!is_syscall_like(cx->ev)) return false;
    sgc_val_set_s64(out, cx->ev->hdr->ret);
    return true;
}

static bool x_failed(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (!is_syscall_like(cx->ev)) return false;
    sgc_val_set_bool(out, cx->ev->hdr->ret < 0);
    return true;
}

/* Open flags and mode of an open-family event; false for other events. */
static bool open_flags_mode(const sgc_extract_ctx *cx, uint64_t *flags, uint64_t *mode,
                            bool *is_creat)
{
    const struct sgc_event_hdr *h = cx->ev->hdr;
    if (h->kind != SGC_REC_SYSCALL) return false;
    *is_creat = false;
    switch (h->nr) {
    case __NR_open:
        *flags = h->args[1];
        *mode = h->args[2];
        return true;
    case __NR_openat:
    case __NR_openat2: /* open_how flags/mode in args[2]/[3] (syscall_args.h) */
        *flags = h->args[2];
        *mode = h->args[3];
        return true;
    case __NR_creat:
        *is_creat = true;
        *flags = O_CREAT | O_WRONLY | O_TRUNC;
        *mode = h->args[1];
        return true;
    default: return false;
    }
}

static bool x_is_open_read(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    uint64_t f, m;
    bool c;
    if (!open_flags_mode(cx, &f, &m, &c)) return false;
    sgc_val_set_bool(out, (f & O_ACCMODE) == O_RDONLY || (f & O_ACCMODE) == O_RDWR);
    return true;
}

static bool x_is_open_write(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    uint64_t f, m;
    bool c;
    if (!open_flags_mode(cx, &f, &m, &c)) return false;
    sgc_val_set_bool(out, (f & O_ACCMODE) == O_WRONLY || (f & O_ACCMODE) == O_RDWR);
    return true;
}

static bool x_is_open_exec(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    /* Falco: a file created (O_CREAT, or creat) with an execute bit. */
    uint64_t f, m;
    bool c;
    if (!open_flags_mode(cx, &f, &m, &c)) return false;
    sgc_val_set_bool(out, (c || (f & O_CREAT)) && (m & (S_IXUSR | S_IXGRP | S_IXOTH)));
    return true;
}

static bool x_is_open_create(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    uint64_t f, m;
    bool c;
    if (!open_flags_mode(cx, &f, &m, &c)) return false;
    sgc_val_set_bool(out, c || (f & O_CREAT));
    return true;
}

/* evt.arg.NAME / evt.arg[N]: checked at compile time against every
 * syscall's argument names; the argument's index for each syscall number is
 * tabled then, so per event it is one array load. */
#define ARG_TABLE_NR 512

static void release_arg(sgc_field_ref *r) { free(r->priv_ptr); }

static bool prep_arg(sgc_field_ref *r, char *err, size_t errlen)
{
    if (!r->arg || !*r->arg) {
        snprintf(err, errlen, "%s needs an argument name or index", r->name);
        return false;
    }
    if (r->argnum >= 0) {
        if (r->argnum >= SGC_MAX_EVT_ARGS) {
            snprintf(err, errlen, "%s: argument index %ld out of range", r->name, r->argnum);
            return false;
        }
        return true;
    }
    if (!sgc_syscall_argname_known(r->arg)) {
        snprintf(err, errlen, "%s: no event has an argument named '%s'", r->name, r->arg);
        return false;
    }
    int8_t *t = malloc(ARG_TABLE_NR);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (int nr = 0; nr < ARG_TABLE_NR; nr++) {
        const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
        t[nr] = (int8_t)(d ? sgc_syscall_desc_arg(d, r->arg) : -1);
    }
    r->priv_ptr = t;
    r->release = release_arg;
    return true;
}

static const sgc_argdesc *find_arg(const sgc_extract_ctx *cx, const sgc_field_ref *r)
{
    int nr = evt_nr(cx);
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    if (!d) return NULL;
    int i;
    if (r->argnum >= 0)
        i = (int)r->argnum;
    else if (r->priv_ptr && nr >= 0 && nr < ARG_TABLE_NR)
        i = ((const int8_t *)r->priv_ptr)[nr];
    else
        i = sgc_syscall_desc_arg(d, r->arg);
    if (i >= 0 && i < d->nargs) return &d->args[i];
    /* evt.arg.res / evt.rawarg.res: the return value, as libsinsp gives it
     * also for syscalls whose return is named otherwise (openat's "fd") */
    static const sgc_argdesc res = {"res", SGC_ARGSRC_RET, 0, SGC_AT_ERRNO};
    if (r->argnum < 0 && r->arg && !strcmp(r->arg, "res"))
        for (int k = 0; k < d->nargs; k++)
            if (d->args[k].src == SGC_ARGSRC_RET) return &res;
    return NULL;
}

static bool x_arg(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const sgc_argdesc *a = find_arg(cx, r);
    return a && sgc_evt_arg_render(cx, a, out);
}

static bool x_rawarg(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const sgc_argdesc *a = find_arg(cx, r);
    return a && sgc_evt_arg_raw(cx, a, out);
}

/* evt.args: "name=value name=value ..." */
static bool x_args(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const sgc_syscall_desc *d = evt_desc(cx);
    if (!d) return false;
    size_t total = 0;
    const char *parts[SGC_MAX_EVT_ARGS];
    size_t lens[SGC_MAX_EVT_ARGS];
    for (int i = 0; i < d->nargs; i++) {
        sgc_val v;
        v.kind = SGC_VAL_NA;
        if (!sgc_evt_arg_render(cx, &d->args[i], &v)) v.kind = SGC_VAL_NA;
        parts[i] = sgc_val_render(&v, cx->scratch, &lens[i]);
        total += strlen(d->args[i].name) + 2 + lens[i];
    }
    char *buf = sgc_arena_alloc(cx->scratch, total + 1);
    if (!buf) return false;
    size_t o = 0;
    for (int i = 0; i < d->nargs; i++) {
        if (i) buf[o++] = ' ';
        size_t nl = strlen(d->args[i].name);
        memcpy(buf + o, d->args[i].name, nl);
        o += nl;
        buf[o++] = '=';
        memcpy(buf + o, parts[i], lens[i]);
        o += lens[i];
    }
    buf[o] = '\0';
    sgc_val_set_str(out, buf, o);
    return true;
}

/* evt.buffer: the data buffer of read/write/send/recv-style events. */
static bool x_buffer(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const sgc_syscall_desc *d = evt_desc(cx);
    if (!d) return false;
    int i = sgc_syscall_desc_arg(d, "data");
    if (i < 0) return false;
    return sgc_evt_arg_render(cx, &d->args[i], out);
}

static bool x_count(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_val_set_u64(out, 1);
    return true;
}

/* The extractors of this file, each named by its row in schema/fields.def
 * (the EXTRACTOR column): a row without its extractor does not link. */
const sgc_extractor sgc_x_evt_type = {x_type, NULL, 0};
const sgc_extractor sgc_x_syscall_type = {x_type, NULL, 0};
const sgc_extractor sgc_x_evt_num = {x_num, NULL, 0};
const sgc_extractor sgc_x_evt_time = {x_time_fmt, NULL, 0};
const sgc_extractor sgc_x_evt_datetime = {x_time_fmt, NULL, 0};
const sgc_extractor sgc_x_evt_time_iso8601 = {x_time_fmt, NULL, 0};
const sgc_extractor sgc_x_evt_rawtime = {x_rawtime, NULL, 0};
const sgc_extractor sgc_x_evt_hostname = {x_hostname, NULL, 0};
const sgc_extractor sgc_x_evt_dir = {x_dir, NULL, 0};
const sgc_extractor sgc_x_evt_res = {x_res, NULL, 0};
const sgc_extractor sgc_x_evt_rawres = {x_rawres, NULL, 0};
const sgc_extractor sgc_x_evt_failed = {x_failed, NULL, 0};
const sgc_extractor sgc_x_evt_is_open_read = {x_is_open_read, NULL, 0};
const sgc_extractor sgc_x_evt_is_open_write = {x_is_open_write, NULL, 0};
const sgc_extractor sgc_x_evt_is_open_exec = {x_is_open_exec, NULL, 0};
const sgc_extractor sgc_x_evt_is_open_create = {x_is_open_create, NULL, 0};
const sgc_extractor sgc_x_evt_arg = {x_arg, prep_arg, SGC_EXF_ARG_REQUIRED | SGC_EXF_DOTTED_ARG};
const sgc_extractor sgc_x_evt_rawarg = {x_rawarg, prep_arg,
                                        SGC_EXF_ARG_REQUIRED | SGC_EXF_DOTTED_ARG};
const sgc_extractor sgc_x_evt_args = {x_args, NULL, 0};
const sgc_extractor sgc_x_evt_buffer = {x_buffer, NULL, 0};
const sgc_extractor sgc_x_evt_count = {x_count, NULL, 0};
const sgc_extractor sgc_x_evt_time_s = {x_time_fmt, NULL, 0};
const sgc_extractor sgc_x_evt_datetime_s = {x_time_fmt, NULL, 0};
const sgc_extractor sgc_x_evt_rawtime_s = {x_rawtime_s, NULL, 0};
const sgc_extractor sgc_x_evt_rawtime_ns = {x_rawtime_ns, NULL, 0};
const sgc_extractor sgc_x_evt_source = {x_source, NULL, 0};
const sgc_extractor sgc_x_evt_is_async = {x_is_async, NULL, 0};
const sgc_extractor sgc_x_evt_asynctype = {x_asynctype, NULL, 0};
const sgc_extractor sgc_x_evt_type_is = {x_type_is, NULL,
                                         SGC_EXF_ARG_REQUIRED | SGC_EXF_DOTTED_ARG};
const sgc_extractor sgc_x_evt_info = {x_args, NULL, 0};
