/* Writing event files: what `sgc record` writes, and what the reader turns
 * back into the same records (the round trip is unit-tested). Each event
 * carries its header's credentials inline, so a recording replays with the
 * context the kernel reported. */
#include "eventfile.h"

#include "dnsnames.h"

#include "evtype.h"
#include "output.h"
#include "syscall_args.h"
#include "systables.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

struct sgc_eventfile_writer {
    FILE *out;
    int64_t boot_to_wall_ns;
    sgc_strbuf b;
    unsigned long long events;
};

sgc_eventfile_writer *sgc_eventfile_writer_open(FILE *out, const char *hostname,
                                                int64_t boot_to_wall_ns)
{
    sgc_eventfile_writer *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->out = out;
    w->boot_to_wall_ns = boot_to_wall_ns;
    sgc_strbuf_printf(&w->b, "{\"sgc_events\":%d", SGC_EVENTFILE_VERSION);
    if (hostname) {
        sgc_strbuf_puts(&w->b, ",\"hostname\":");
        sgc_strbuf_json_str(&w->b, hostname, strlen(hostname));
    }
    sgc_strbuf_puts(&w->b, ",\"source\":\"sgc record\"}\n");
    if (fwrite(w->b.p, 1, w->b.len, out) != w->b.len) {
        sgc_strbuf_free(&w->b);
        free(w);
        return NULL;
    }
    return w;
}

int sgc_eventfile_writer_close(sgc_eventfile_writer *w)
{
    if (!w) return 0;
    int rc = fflush(w->out) == 0 ? 0 : -1;
    sgc_strbuf_free(&w->b);
    free(w);
    return rc;
}

static void key(sgc_strbuf *b, const char *k) { sgc_strbuf_printf(b, ",\"%s\":", k); }

static void str_member(sgc_strbuf *b, const char *k, const char *s, size_t n)
{
    key(b, k);
    sgc_strbuf_json_str(b, s, n);
}

/* A NUL-separated list as a JSON array. */
static void list_member(sgc_strbuf *b, const char *k, const char *p, size_t len)
{
    key(b, k);
    sgc_strbuf_put(b, "[", 1);
    bool first = true;
    for (const char *end = p + len; p < end;) {
        size_t n = strnlen(p, (size_t)(end - p));
        if (!first) sgc_strbuf_put(b, ",", 1);
        sgc_strbuf_json_str(b, p, n);
        first = false;
        p += n + 1;
    }
    sgc_strbuf_put(b, "]", 1);
}

static int64_t wall(const sgc_eventfile_writer *w, uint64_t ns)
{
    return (int64_t)ns + w->boot_to_wall_ns;
}

/* The credentials and ids of a record header, as a "proc" object's members. */
static void hdr_proc_members(sgc_eventfile_writer *w, const struct sgc_event_hdr *h)
{
    sgc_strbuf *b = &w->b;
    sgc_strbuf_printf(b, "\"pid\":%" PRIu32, h->pid);
    size_t cn = strnlen(h->comm, sizeof h->comm);
    if (cn) str_member(b, "name", h->comm, cn);
    sgc_strbuf_printf(b,
                      ",\"ppid\":%" PRIu32 ",\"vpid\":%" PRIu32 ",\"sid\":%" PRIu32
                      ",\"vpgid\":%" PRIu32 ",\"tty\":%" PRIu32,
                      h->ppid, h->vpid, h->sid, h->vpgid, h->tty);
    sgc_strbuf_printf(b,
                      ",\"uid\":%" PRIu32 ",\"gid\":%" PRIu32 ",\"euid\":%" PRIu32
                      ",\"egid\":%" PRIu32 ",\"loginuid\":%" PRId64,
                      h->uid, h->gid, h->euid, h->egid,
                      h->loginuid == SGC_LOGINUID_UNSET ? (int64_t)-1 : (int64_t)h->loginuid);
    sgc_strbuf_printf(b, ",\"cap_effective\":%" PRIu64 ",\"cap_permitted\":%" PRIu64,
                      (uint64_t)h->cap_effective, (uint64_t)h->cap_permitted);
    if (h->start_ns) sgc_strbuf_printf(b, ",\"start_ts\":%" PRId64, wall(w, h->start_ns));
}

static const char *blob_text(const sgc_evt *ev, unsigned tag, size_t *n)
{
    const sgc_blob *bl = sgc_evt_blob(ev, tag);
    if (!bl) return NULL;
    *n = strnlen((const char *)bl->p, bl->len);
    return (const char *)bl->p;
}

static void endpoint(sgc_strbuf *b, int family, const uint8_t *addr, uint16_t port)
{
    char host[INET6_ADDRSTRLEN] = "";
    inet_ntop(family, addr, host, sizeof host);
    if (family == AF_INET6)
        sgc_strbuf_printf(b, "\"[%s]:%u\"", host, port);
    else
        sgc_strbuf_printf(b, "\"%s:%u\"", host, port);
}

/* A struct sockaddr blob in the reader's notation; false when it has none. */
static bool sockaddr_text(sgc_strbuf *b, const sgc_blob *bl)
{
    sa_family_t fam;
    if (bl->len < sizeof fam) return false;
    memcpy(&fam, bl->p, sizeof fam);
    if (fam == AF_INET && bl->len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in sin;
        memcpy(&sin, bl->p, sizeof sin);
        endpoint(b, AF_INET, (const uint8_t *)&sin.sin_addr, ntohs(sin.sin_port));
        return true;
    }
    if (fam == AF_INET6 && bl->len >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, bl->p, sizeof sin6);
        endpoint(b, AF_INET6, (const uint8_t *)&sin6.sin6_addr, ntohs(sin6.sin6_port));
        return true;
    }
    if (fam == AF_UNIX) {
        const char *path = (const char *)bl->p + sizeof fam;
        size_t max = bl->len - sizeof fam;
        if (max && path[0] == '\0') { /* abstract: "@name" */
            size_t n = strnlen(path + 1, max - 1);
            char *s = malloc(n + 2);
            if (!s) return false;
            s[0] = '@';
            memcpy(s + 1, path + 1, n);
            sgc_strbuf_json_str(b, s, n + 1);
            free(s);
        } else {
            sgc_strbuf_json_str(b, path, strnlen(path, max));
        }
        return true;
    }
    return false;
}

/* Valid UTF-8 without NUL: what a JSON string can carry unchanged. */
static bool is_json_text(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xe0) == 0xc0 ? 2
                     : (c & 0xf0) == 0xe0 ? 3
                     : (c & 0xf8) == 0xf0 ? 4
                                          : 0;
        if (c == 0 || len == 0 || i + len > n || (len == 2 && c < 0xc2)) return false;
        uint32_t cp = len == 1 ? c : c & (0x7f >> len);
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return false;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* A data buffer: a JSON string when it is text, else {"hex": "..."}. */
static void bytes_value(sgc_strbuf *b, const uint8_t *p, size_t n)
{
    if (is_json_text(p, n)) {
        sgc_strbuf_json_str(b, (const char *)p, n);
        return;
    }
    sgc_strbuf_puts(b, "{\"hex\":\"");
    for (size_t i = 0; i < n; i++) sgc_strbuf_printf(b, "%02x", p[i]);
    sgc_strbuf_puts(b, "\"}");
}

static void args_member(sgc_eventfile_writer *w, const sgc_evt *ev, int nr)
{
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    if (!d) return;
    sgc_strbuf *b = &w->b;
    bool any = false;
    for (int i = 0; i < d->nargs; i++) {
        const sgc_argdesc *a = &d->args[i];
        size_t mark = b->len;
        sgc_strbuf_printf(b, "%s\"%s\":", any ? "," : ",\"args\":{", a->name);
        bool wrote = true;
        if (a->src == SGC_ARGSRC_REG) {
            uint64_t v = ev->hdr->args[a->idx];
            if (a->type == SGC_AT_FD || a->type == SGC_AT_INT)
                sgc_strbuf_printf(b, "%" PRId64, (int64_t)(int32_t)v);
            else
                sgc_strbuf_printf(b, "%" PRIu64, v);
        } else if (a->src == SGC_ARGSRC_BLOB) {
            const sgc_blob *bl = sgc_evt_blob(ev, SGC_BLOB_ARG0 + a->idx);
            if (bl && a->type == SGC_AT_BYTES)
                bytes_value(b, bl->p, bl->len);
            else if (bl)
                sgc_strbuf_json_str(b, (const char *)bl->p, strnlen((const char *)bl->p, bl->len));
            else
                wrote = false;
        } else if (a->src == SGC_ARGSRC_SOCKADDR) {
            const sgc_blob *bl = sgc_evt_blob(ev, SGC_BLOB_SOCKADDR);
            wrote = bl && sockaddr_text(b, bl);
        } else {
            wrote = false; /* the return value, the socket tuple, exec data: elsewhere */
        }
        if (!wrote) {
            b->len = mark;
            b->p[b->len] = '\0';
            continue;
        }
        any = true;
    }
    if (any) sgc_strbuf_put(b, "}", 1);
}

static void fd_member(sgc_eventfile_writer *w, const sgc_evt *ev)
{
    sgc_strbuf *b = &w->b;
    size_t n;
    const char *path = blob_text(ev, SGC_BLOB_FDPATH, &n);
    const sgc_blob *tb = sgc_evt_blob(ev, SGC_BLOB_SOCKTUPLE);
    struct sgc_socktuple t;
    bool tuple = tb && tb->len >= sizeof t;
    if (tuple) {
        memcpy(&t, tb->p, sizeof t);
        tuple = t.family == AF_INET || t.family == AF_INET6;
    }
    if (!path && !tuple) return;
    sgc_strbuf_puts(b, ",\"fd\":{");
    bool first = true;
    if (path) {
        sgc_strbuf_puts(b, "\"name\":");
        sgc_strbuf_json_str(b, path, n);
        first = false;
    }
    if (tuple) {
        sgc_strbuf_puts(b, first ? "\"local\":" : ",\"local\":");
        endpoint(b, t.family, t.laddr, t.lport);
        sgc_strbuf_puts(b, ",\"remote\":");
        endpoint(b, t.family, t.raddr, t.rport);
        const char *proto = t.proto == IPPROTO_UDP    ? "udp"
                            : t.proto == IPPROTO_ICMP ? "icmp"
                                                      : "tcp";
        sgc_strbuf_printf(b, ",\"proto\":\"%s\"", proto);
    }
    sgc_strbuf_put(b, "}", 1);
}

/* The image an exec record carries, as "proc" members. */
static void exec_members(sgc_eventfile_writer *w, const sgc_evt *ev)
{
    sgc_strbuf *b = &w->b;
    size_t n;
    const char *s;
    if ((s = blob_text(ev, SGC_BLOB_EXE, &n))) str_member(b, "exepath", s, n);
    const sgc_blob *argv = sgc_evt_blob(ev, SGC_BLOB_ARGV);
    if (argv) {
        const char *p = (const char *)argv->p;
        size_t n0 = strnlen(p, argv->len);
        str_member(b, "exe", p, n0);
        size_t rest = n0 < argv->len ? argv->len - n0 - 1 : 0;
        list_member(b, "args", p + n0 + (n0 < argv->len), rest);
    }
    const sgc_blob *env = sgc_evt_blob(ev, SGC_BLOB_ENV);
    if (env) list_member(b, "env", (const char *)env->p, env->len);
    if ((s = blob_text(ev, SGC_BLOB_CWD, &n))) str_member(b, "cwd", s, n);
    if ((s = blob_text(ev, SGC_BLOB_CGROUP, &n))) str_member(b, "cgroup", s, n);
    const sgc_blob *fl = sgc_evt_blob(ev, SGC_BLOB_EXE_FLAGS);
    if (fl && fl->len >= sizeof(uint32_t)) {
        uint32_t f;
        memcpy(&f, fl->p, sizeof f);
        sgc_strbuf_printf(
            b, ",\"is_exe_writable\":%s,\"is_exe_upper_layer\":%s,\"is_exe_from_memfd\":%s",
            f & SGC_EXE_WRITABLE ? "true" : "false", f & SGC_EXE_UPPER_LAYER ? "true" : "false",
            f & SGC_EXE_FROM_MEMFD ? "true" : "false");
    }
}

static int flush_line(sgc_eventfile_writer *w)
{
    sgc_strbuf_put(&w->b, "}\n", 2);
    if (w->b.oom || fwrite(w->b.p, 1, w->b.len, w->out) != w->b.len) return -1;
    w->events++;
    return 0;
}

int sgc_eventfile_write_event(sgc_eventfile_writer *w, const sgc_evt *ev)
{
    const struct sgc_event_hdr *h = ev->hdr;
    sgc_strbuf *b = &w->b;
    b->len = 0;
    b->oom = false;
    int nr = sgc_evt_syscall_nr(ev);
    sgc_strbuf_printf(b, "{\"ts\":%" PRId64, wall(w, h->ts_ns));
    switch (h->kind) {
    case SGC_REC_SYSCALL:
    case SGC_REC_PROC_EXEC: {
        const char *name = nr >= 0 ? sgc_syscall_name(nr) : NULL;
        if (!name) return 0; /* nothing a rule could name */
        str_member(b, "type", name, strlen(name));
        sgc_strbuf_printf(b, ",\"tid\":%" PRIu32 ",\"res\":%" PRId64, h->tid, (int64_t)h->ret);
        args_member(w, ev, nr);
        fd_member(w, ev);
        sgc_strbuf_puts(b, ",\"proc\":{");
        hdr_proc_members(w, h);
        if (h->kind == SGC_REC_PROC_EXEC) exec_members(w, ev);
        sgc_strbuf_put(b, "}", 1);
        break;
    }
    case SGC_REC_PROC_FORK:
        sgc_strbuf_printf(b, ",\"kind\":\"fork\",\"tid\":%" PRIu32 ",\"child\":%" PRIu64 "%s",
                          h->tid, (uint64_t)h->args[0],
                          (h->flags & SGC_EVF_IS_THREAD) ? ",\"thread\":true" : "");
        sgc_strbuf_puts(b, ",\"proc\":{");
        hdr_proc_members(w, h);
        sgc_strbuf_put(b, "}", 1);
        break;
    case SGC_REC_PROC_EXIT:
        sgc_strbuf_printf(b, ",\"kind\":\"exit\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32, h->pid,
                          h->tid);
        break;
    default: return 0; /* drop notices are the recorder's own business */
    }
    return flush_line(w);
}

int sgc_eventfile_write_proc(sgc_eventfile_writer *w, const sgc_proc *p, uint64_t ts_ns)
{
    sgc_strbuf *b = &w->b;
    const sgc_proc_image *img = p->img;
    b->len = 0;
    b->oom = false;
    sgc_strbuf_printf(b, "{\"kind\":\"proc\",\"ts\":%" PRId64 ",\"proc\":{\"pid\":%" PRIu32,
                      wall(w, ts_ns), p->pid);
    str_member(b, "name", p->comm, strlen(p->comm));
    sgc_strbuf_printf(b,
                      ",\"ppid\":%" PRIu32 ",\"vpid\":%" PRIu32 ",\"sid\":%" PRIu32
                      ",\"vpgid\":%" PRIu32 ",\"tty\":%" PRIu32 ",\"uid\":%" PRIu32
                      ",\"gid\":%" PRIu32 ",\"euid\":%" PRIu32 ",\"egid\":%" PRIu32
                      ",\"loginuid\":%" PRId64 ",\"cap_effective\":%" PRIu64
                      ",\"cap_permitted\":%" PRIu64,
                      p->ppid, p->vpid, p->sid, p->vpgid, p->tty, p->uid, p->gid, p->euid, p->egid,
                      p->loginuid == SGC_LOGINUID_UNSET ? (int64_t)-1 : (int64_t)p->loginuid,
                      p->cap_effective, p->cap_permitted);
    if (p->has_cap_inheritable)
        sgc_strbuf_printf(b, ",\"cap_inheritable\":%" PRIu64, p->cap_inheritable);
    if (p->start_ns) sgc_strbuf_printf(b, ",\"start_ts\":%" PRId64, wall(w, p->start_ns));
    str_member(b, "exe", img->exe, img->exe_len);
    str_member(b, "exepath", img->exepath, img->exepath_len);
    list_member(b, "args", img->args, img->args_len);
    list_member(b, "env", img->env, img->env_len);
    str_member(b, "cwd", img->cwd, img->cwd_len);
    if (img->cid_len) str_member(b, "container_id", img->container_id, img->cid_len);
    if (img->has_exe_flags)
        sgc_strbuf_printf(
            b, ",\"is_exe_writable\":%s,\"is_exe_upper_layer\":%s,\"is_exe_from_memfd\":%s",
            img->exe_flags & SGC_EXE_WRITABLE ? "true" : "false",
            img->exe_flags & SGC_EXE_UPPER_LAYER ? "true" : "false",
            img->exe_flags & SGC_EXE_FROM_MEMFD ? "true" : "false");
    if (img->exe_ino) sgc_strbuf_printf(b, ",\"exe_ino\":%" PRIu64, img->exe_ino);
    if (img->exe_ctime_ns) sgc_strbuf_printf(b, ",\"exe_ino_ctime\":%" PRIu64, img->exe_ctime_ns);
    if (img->exe_mtime_ns) sgc_strbuf_printf(b, ",\"exe_ino_mtime\":%" PRIu64, img->exe_mtime_ns);
    sgc_strbuf_put(b, "}", 1);
    return flush_line(w);
}

typedef struct dns_writer {
    sgc_strbuf *b;
    const char *last; /* the name whose address list is open */
} dns_writer;

static void dns_pair(const char *name, const sgc_dns_addr *a, void *ud)
{
    dns_writer *dw = ud;
    if (!dw->last || strcmp(dw->last, name)) {
        if (dw->last) sgc_strbuf_puts(dw->b, "],");
        sgc_strbuf_json_str(dw->b, name, strlen(name));
        sgc_strbuf_puts(dw->b, ":[");
        dw->last = name;
    } else {
        sgc_strbuf_puts(dw->b, ",");
    }
    char text[INET6_ADDRSTRLEN];
    inet_ntop(a->family, a->addr, text, sizeof text);
    sgc_strbuf_json_str(dw->b, text, strlen(text));
}

int sgc_eventfile_write_dns(sgc_eventfile_writer *w, struct sgc_dnsnames *d)
{
    sgc_strbuf *b = &w->b;
    b->len = 0;
    b->oom = false;
    sgc_strbuf_puts(b, "{\"kind\":\"dns\",\"dns\":{");
    dns_writer dw = {b, NULL};
    sgc_dnsnames_foreach(d, dns_pair, &dw);
    sgc_strbuf_puts(b, dw.last ? "]}" : "}"); /* flush_line closes the line's object */
    return flush_line(w);
}
