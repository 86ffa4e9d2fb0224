/* fd.* and fs.path.* extractors.
 *
 * The runtime keeps no fd table: each record carries what its fd fields
 * need. fd.name comes from the path argument for open-family syscalls (made
 * absolute against the cwd, as Falco does, even when the open failed), from
 * the socket tuple for network syscalls, and from the kernel's path of the
 * fd (SGC_BLOB_FDPATH) for fd-based syscalls (read, write, close, ...). */
#include "dnsnames.h"
#include "sockaddr.h"
#include "syscall_args.h"
#include "evtype.h"
#include "extract.h"
#include "fields.h"
#include "path.h"
#include "proctable.h"

#include <asm/unistd_64.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

typedef enum {
    FDC_NONE = 0,
    FDC_OPEN,    /* returns an fd for a path argument */
    FDC_SOCKET,  /* socket(): new, unconnected */
    FDC_CONNECT, /* connect(): local end is the client */
    FDC_ACCEPT,  /* accept*(): new fd, local end is the server */
    FDC_SERVER,  /* bind/listen: arg0, local end is the server */
    FDC_SENDTO,  /* sendto/sendmsg: arg0, may carry a destination */
    FDC_FDARG,   /* any other syscall whose arg0 is an fd */
    FDC_MEMFD,   /* memfd_create(): new fd */
} fd_class;

#define NR_MAX 512
static uint8_t nr_class[NR_MAX];
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

static void init_classes(void)
{
    static const int open_nrs[] = {__NR_open, __NR_openat, __NR_openat2, __NR_creat};
    static const int fdarg_nrs[] = {
        __NR_read,       __NR_write,      __NR_pread64,    __NR_pwrite64,  __NR_readv,
        __NR_writev,     __NR_close,      __NR_recvfrom,   __NR_recvmsg,   __NR_fstat,
        __NR_lseek,      __NR_fchmod,     __NR_fchown,     __NR_ftruncate, __NR_fsync,
        __NR_fdatasync,  __NR_fchdir,     __NR_dup,        __NR_dup2,      __NR_dup3,
        __NR_ioctl,      __NR_fcntl,      __NR_getdents64, __NR_setns,     __NR_shutdown,
        __NR_getsockopt, __NR_setsockopt, __NR_splice,     __NR_sendfile,  __NR_finit_module,
        __NR_mmap,       __NR_flock};
    for (size_t i = 0; i < sizeof open_nrs / sizeof *open_nrs; i++)
        nr_class[open_nrs[i]] = FDC_OPEN;
    for (size_t i = 0; i < sizeof fdarg_nrs / sizeof *fdarg_nrs; i++)
        nr_class[fdarg_nrs[i]] = FDC_FDARG;
    nr_class[__NR_socket] = FDC_SOCKET;
    nr_class[__NR_connect] = FDC_CONNECT;
    nr_class[__NR_accept] = FDC_ACCEPT;
    nr_class[__NR_accept4] = FDC_ACCEPT;
    nr_class[__NR_bind] = FDC_SERVER;
    nr_class[__NR_listen] = FDC_SERVER;
    nr_class[__NR_sendto] = FDC_SENDTO;
    nr_class[__NR_sendmsg] = FDC_SENDTO;
    nr_class[__NR_memfd_create] = FDC_MEMFD;
    /* mmap's fd is arg4, not arg0: leave it out rather than misread it. */
    nr_class[__NR_mmap] = FDC_NONE;
}

static fd_class class_of(const sgc_evt *ev)
{
    pthread_once(&classes_once, init_classes);
    if (ev->hdr->kind != SGC_REC_SYSCALL || ev->hdr->nr >= NR_MAX) return FDC_NONE;
    return (fd_class)nr_class[ev->hdr->nr];
}

/* The directory a relative path of this event is relative to. */
static bool event_cwd(const sgc_extract_ctx *cx, const char **dir, size_t *len)
{
    const sgc_blob *b = sgc_evt_blob(cx->ev, SGC_BLOB_CWD);
    if (b && b->len) {
        const char *nul = memchr(b->p, '\0', b->len);
        *dir = (const char *)b->p;
        *len = nul ? (size_t)(nul - *dir) : b->len;
        return *len > 0;
    }
    if (cx->proc && cx->proc->img && cx->proc->img->cwd && cx->proc->img->cwd_len) {
        *dir = cx->proc->img->cwd;
        *len = cx->proc->img->cwd_len;
        return true;
    }
    return false;
}

static bool blob_cstr(const sgc_blob *b, const char **s, size_t *len)
{
    if (!b) return false;
    const char *nul = memchr(b->p, '\0', b->len);
    *s = (const char *)b->p;
    *len = nul ? (size_t)(nul - *s) : b->len;
    return true;
}

/* Absolute form of a path argument: relative to the cwd when dirfd is
 * AT_FDCWD (or absent); relative to another dirfd only when the kernel gave
 * us the result's path. Returns false when it cannot be made absolute. */
static bool resolve_path_arg(sgc_extract_ctx *cx, const char *p, size_t len, int dirfd_reg,
                             const char **out, size_t *out_len)
{
    if (len && p[0] == '/') {
        if (sgc_path_is_clean(p, len)) { /* the common case: no copy */
            *out = p;
            *out_len = len;
            return true;
        }
        *out = sgc_path_resolve(cx->scratch, NULL, 0, p, len, out_len);
        return *out != NULL;
    }
    bool at_cwd = dirfd_reg < 0 || (int32_t)cx->ev->hdr->args[dirfd_reg] == AT_FDCWD;
    const char *dir;
    size_t dl;
    if (at_cwd && event_cwd(cx, &dir, &dl)) {
        *out = sgc_path_resolve(cx->scratch, dir, dl, p, len, out_len);
        return *out != NULL;
    }
    return false;
}

static char typechar_of_fdpath(const char *p, size_t n)
{
    if (n && p[0] == '/') return strncmp(p, "/memfd:", 7) == 0 ? 'm' : 'f';
#define PFX(s) (n >= sizeof(s) - 1 && memcmp(p, s, sizeof(s) - 1) == 0)
    if (PFX("socket:")) return 0; /* family from the tuple */
    if (PFX("pipe:")) return 'p';
    if (PFX("anon_inode:[eventfd]")) return 'e';
    if (PFX("anon_inode:[eventpoll]")) return 'l';
    if (PFX("anon_inode:inotify")) return 'i';
    if (PFX("anon_inode:[signalfd]")) return 's';
    if (PFX("anon_inode:[timerfd]")) return 't';
    if (PFX("anon_inode:bpf")) return 'b';
    if (PFX("anon_inode:[userfaultfd]")) return 'u';
    if (PFX("anon_inode:[io_uring]")) return 'r';
    if (PFX("anon_inode:[pidfd]")) return 'P';
#undef PFX
    return 'o';
}

static char typechar_of_family(int fam)
{
    switch (fam) {
    case AF_INET: return '4';
    case AF_INET6: return '6';
    case AF_UNIX: return 'u';
    case AF_NETLINK: return 'n';
    default: return 'o';
    }
}

static bool load_tuple(sgc_extract_ctx *cx)
{
    const sgc_blob *b = sgc_evt_blob(cx->ev, SGC_BLOB_SOCKTUPLE);
    if (!b || b->len < sizeof(struct sgc_socktuple)) return false;
    memcpy(&cx->fd.tuple, b->p, sizeof cx->fd.tuple);
    /* IPv4-mapped IPv6 endpoints are reported as IPv4, as Falco does. */
    struct sgc_socktuple *t = &cx->fd.tuple;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (t->family == AF_INET6 && !memcmp(t->laddr, mapped, 12) && !memcmp(t->raddr, mapped, 12)) {
        memmove(t->laddr, t->laddr + 12, 4);
        memmove(t->raddr, t->raddr + 12, 4);
        memset(t->laddr + 4, 0, 12);
        memset(t->raddr + 4, 0, 12);
        t->family = AF_INET;
    }
    cx->fd.have_tuple = true;
    return true;
}

static bool is_inet(const sgc_fd_cache *f)
{
    return f->have_tuple && (f->tuple.family == AF_INET || f->tuple.family == AF_INET6);
}

static void name_from_tuple(sgc_extract_ctx *cx)
{
    sgc_fd_cache *f = &cx->fd;
    const struct sgc_socktuple *t = &f->tuple;
    size_t l1, l2;
    /* client->server, Falco's order */
    const uint8_t *ca = f->server_is_local ? t->raddr : t->laddr;
    const uint8_t *sa = f->server_is_local ? t->laddr : t->raddr;
    uint16_t cp = f->server_is_local ? t->rport : t->lport;
    uint16_t sp = f->server_is_local ? t->lport : t->rport;
    if (f->servsock) { /* libsinsp names a server socket by its own address */
        f->name = sgc_render_endpoint(cx->scratch, t->family, t->laddr, t->lport, &f->name_len);
        return;
    }
    const char *c = sgc_render_endpoint(cx->scratch, t->family, ca, cp, &l1);
    const char *s = sgc_render_endpoint(cx->scratch, t->family, sa, sp, &l2);
    if (c && s) f->name = sgc_arena_printf(cx->scratch, &f->name_len, "%s->%s", c, s);
}

/* A unix socket's name: the address given to connect/bind/sendto. */
static void name_from_sockaddr(sgc_extract_ctx *cx)
{
    const sgc_blob *b = sgc_evt_blob(cx->ev, SGC_BLOB_SOCKADDR);
    sgc_sockaddr_view v;
    if (!b || !sgc_sockaddr_parse(b->p, b->len, &v)) return;
    sgc_fd_cache *f = &cx->fd;
    if (!f->typechar) f->typechar = typechar_of_family(v.family);
    if (v.family == AF_UNIX) {
        f->name =
            v.path_len && v.path[0] == '\0'
                ? sgc_arena_printf(cx->scratch, &f->name_len, "@%.*s", (int)(v.path_len - 1),
                                   v.path + 1)
                : sgc_arena_printf(cx->scratch, &f->name_len, "%.*s", (int)v.path_len, v.path);
    } else if (!f->have_tuple) {
        /* Only the remote end is known (unconnected sendto). */
        memset(&f->tuple, 0, sizeof f->tuple);
        f->tuple.family = (uint16_t)v.family;
        memcpy(f->tuple.raddr, v.addr, 16);
        f->tuple.rport = v.port;
        f->have_tuple = true;
        f->name_pending = true;
    }
}

static void resolve_open(sgc_extract_ctx *cx)
{
    sgc_fd_cache *f = &cx->fd;
    const sgc_evt *ev = cx->ev;
    const sgc_syscall_desc *d = sgc_syscall_desc_of((int)ev->hdr->nr);
    int ni = d ? sgc_syscall_desc_arg(d, "name") : -1;
    int di = d ? sgc_syscall_desc_arg(d, "dirfd") : -1;
    int fi = d ? sgc_syscall_desc_arg(d, "flags") : -1;
    const char *raw;
    size_t rawlen;
    if (ni >= 0 && blob_cstr(sgc_evt_blob(ev, SGC_BLOB_ARG0 + d->args[ni].idx), &raw, &rawlen)) {
        f->nameraw = raw;
        f->nameraw_len = rawlen;
        if (!resolve_path_arg(cx, raw, rawlen, di >= 0 ? d->args[di].idx : -1, &f->name,
                              &f->name_len)) {
            /* Relative to an unknown directory: the kernel's path of the new
             * fd when it sent one, else the path as given. */
            const char *kp;
            size_t kl;
            if (blob_cstr(sgc_evt_blob(ev, SGC_BLOB_FDPATH), &kp, &kl) && kl) {
                f->name = kp;
                f->name_len = kl;
            } else {
                f->name = raw;
                f->name_len = rawlen;
            }
        }
    } else if (blob_cstr(sgc_evt_blob(ev, SGC_BLOB_FDPATH), &raw, &rawlen)) {
        f->name = raw;
        f->name_len = rawlen;
    }
    if (ev->hdr->ret >= 0) {
        f->fdnum = ev->hdr->ret;
        uint64_t flags = fi >= 0 ? ev->hdr->args[d->args[fi].idx] : 0;
        f->typechar = (flags & O_DIRECTORY) ? 'd' : 'f';
    } else {
        /* libsinsp's extract_from_null_fd: a failed open is still an 'f'
         * (Falco's open_file_failed macro relies on it). */
        f->create_failed = true;
        f->guessed_typechar = 'f';
    }
}

void sgc_fd_resolve(sgc_extract_ctx *cx)
{
    sgc_fd_cache *f = &cx->fd;
    if (f->done) return;
    memset(f, 0, sizeof *f);
    f->done = true;
    f->fdnum = -1;
    const sgc_evt *ev = cx->ev;
    const struct sgc_event_hdr *h = ev->hdr;
    fd_class c = class_of(ev);
    const char *p;
    size_t n;

    switch (c) {
    case FDC_NONE: return;
    case FDC_OPEN: resolve_open(cx); return;
    case FDC_MEMFD:
        if (h->ret >= 0) {
            f->fdnum = h->ret;
            f->typechar = 'm';
            if (blob_cstr(sgc_evt_blob(ev, SGC_BLOB_ARG0), &p, &n))
                f->name = sgc_arena_printf(cx->scratch, &f->name_len, "memfd:%.*s", (int)n, p);
        }
        return;
    case FDC_SOCKET:
        if (h->ret < 0) {
            /* libsinsp guesses an IPv4 socket for a failed socket() */
            f->create_failed = true;
            f->guessed_typechar = '4';
        } else {
            f->fdnum = h->ret;
            f->typechar = typechar_of_family((int)h->args[0]);
            int type = (int)(h->args[1] & 0xf);
            if (h->args[0] == AF_INET || h->args[0] == AF_INET6)
                f->l4proto = type == SOCK_STREAM  ? IPPROTO_TCP
                             : type == SOCK_DGRAM ? IPPROTO_UDP
                             : type == SOCK_RAW
                                 ? (h->args[2] == IPPROTO_ICMP ? IPPROTO_ICMP : IPPROTO_RAW)
                                 : 0;
            f->name = "";
            f->name_len = 0;
        }
        return;
    case FDC_ACCEPT:
        if (h->ret < 0) {
            f->create_failed = true;
            f->guessed_typechar = '4'; /* as for socket() */
            return;
        }
        f->fdnum = h->ret;
        f->server_is_local = true;
        f->connected = true;
        break;
    case FDC_CONNECT:
        f->fdnum = (int32_t)h->args[0];
        f->name_changed = true;
        f->connected = h->ret >= 0 || h->ret == -EINPROGRESS;
        break;
    case FDC_SERVER:
        f->fdnum = (int32_t)h->args[0];
        f->server_is_local = true;
        f->name_changed = h->nr == __NR_bind;
        break;
    case FDC_SENDTO:
    case FDC_FDARG: f->fdnum = (int32_t)h->args[0]; break;
    }

    /* Socket or fd-based event: tuple, sockaddr, kernel fd path. */
    bool tuple = load_tuple(cx);
    if (tuple) {
        f->typechar = typechar_of_family(f->tuple.family);
        if (f->tuple.family == AF_INET || f->tuple.family == AF_INET6) {
            f->l4proto = (uint8_t)f->tuple.proto;
            if (c != FDC_CONNECT && c != FDC_ACCEPT && c != FDC_SERVER) {
                /* No role from this event: the side on a well-known port is
                 * the server (Falco's heuristic for sockets it did not see
                 * being created). */
                f->server_is_local = f->tuple.lport < 1024 && f->tuple.rport >= 1024;
                f->connected = f->tuple.rport != 0;
            }
            f->name_pending = true; /* rendered only if fd.name is asked for */
            static const uint8_t zero[16];
            if (f->tuple.rport == 0 && !memcmp(f->tuple.raddr, zero, 16) && c != FDC_CONNECT &&
                c != FDC_ACCEPT && c != FDC_SENDTO && (f->tuple.lport || c == FDC_SERVER)) {
                /* bound or listening, no peer: a server socket */
                f->servsock = true;
                f->server_is_local = true;
                f->connected = false;
            }
        }
    }
    if (f->servsock && h->nr == __NR_bind && sgc_evt_blob(ev, SGC_BLOB_SOCKADDR)) {
        /* bind names the socket after its argument (also when it failed) */
        sgc_sockaddr_view v;
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_SOCKADDR);
        if (sgc_sockaddr_parse(b->p, b->len, &v) && (v.family == AF_INET || v.family == AF_INET6) &&
            v.family == f->tuple.family) {
            memcpy(f->tuple.laddr, v.addr, 16);
            f->tuple.lport = v.port;
        }
    }
    if (c == FDC_SENDTO && sgc_evt_blob(ev, SGC_BLOB_SOCKADDR)) {
        /* An explicit destination: an unconnected datagram socket. */
        f->name_changed = true;
        f->connected = false;
    }
    if (!f->name && !f->name_pending && (c == FDC_CONNECT || c == FDC_SERVER || c == FDC_SENDTO))
        name_from_sockaddr(cx);
    if (!f->name && !f->name_pending && blob_cstr(sgc_evt_blob(ev, SGC_BLOB_FDPATH), &p, &n)) {
        char tc = typechar_of_fdpath(p, n);
        if (tc && !f->typechar) f->typechar = tc;
        if (tc) /* sockets are named by their tuple */
            f->name = p, f->name_len = n;
    }
}

/* ---- extractors ---- */

/* fd.name, rendering a socket tuple the first time it is needed. */
static bool fd_name(sgc_extract_ctx *cx)
{
    sgc_fd_resolve(cx);
    if (cx->fd.name_pending) {
        cx->fd.name_pending = false;
        name_from_tuple(cx);
    }
    return cx->fd.name != NULL;
}

static bool x_num(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (cx->fd.fdnum < 0 && !cx->fd.typechar && !cx->fd.create_failed) return false;
    /* a failed create: libsinsp's m_lastevent_fd, -1 */
    sgc_val_set_s64(out, cx->fd.create_failed ? -1 : cx->fd.fdnum);
    return true;
}

const char *sgc_fd_name(sgc_extract_ctx *cx, size_t *len)
{
    if (!fd_name(cx)) return NULL;
    *len = cx->fd.name_len;
    return cx->fd.name;
}

static bool x_name(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    if (!fd_name(cx)) return false;
    sgc_val_set_str(out, cx->fd.name, cx->fd.name_len);
    return true;
}

static bool x_nameraw(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (cx->fd.nameraw) {
        sgc_val_set_str(out, cx->fd.nameraw, cx->fd.nameraw_len);
        return true;
    }
    return x_name(cx, r, out);
}

static bool is_file_like(char tc) { return tc == 'f' || tc == 'd' || tc == 0; }

/* An absolute fd.name. The name is counted, not NUL-terminated: an empty
 * one may point just past its record. */
static bool name_is_absolute(const sgc_extract_ctx *cx)
{
    return cx->fd.name && cx->fd.name_len && cx->fd.name[0] == '/';
}

static bool x_directory(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    fd_name(cx);
    if (!is_file_like(cx->fd.typechar) || !name_is_absolute(cx)) return false;
    if (cx->fd.typechar == 'd') {
        sgc_val_set_str(out, cx->fd.name, cx->fd.name_len);
        return true;
    }
    size_t dl, bl;
    const char *base;
    sgc_path_split(cx->fd.name, cx->fd.name_len, &dl, &base, &bl);
    sgc_val_set_str(out, cx->fd.name, dl);
    return true;
}

static bool x_filename(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    fd_name(cx);
    /* libsinsp has no fd.filename without an fd (a failed open), though it
     * has fd.name and fd.directory */
    if (cx->fd.create_failed || !is_file_like(cx->fd.typechar) || cx->fd.typechar == 'd' ||
        !name_is_absolute(cx))
        return false;
    size_t dl, bl;
    const char *base;
    sgc_path_split(cx->fd.name, cx->fd.name_len, &dl, &base, &bl);
    sgc_val_set_str(out, base, bl);
    return true;
}

static bool x_typechar(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    char tc = cx->fd.typechar ? cx->fd.typechar : cx->fd.guessed_typechar;
    if (!tc) return false;
    static const char chars[] = "fd46upesltinbrmPo";
    const char *c = strchr(chars, tc);
    if (!c) return false;
    sgc_val_set_str(out, c, 1);
    return true;
}

static bool x_type(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    const char *s;
    switch (cx->fd.typechar) {
    case 'f': s = "file"; break;
    case 'd': s = "directory"; break;
    case '4': s = "ipv4"; break;
    case '6': s = "ipv6"; break;
    case 'u': s = "unix"; break;
    case 'p': s = "pipe"; break;
    case 'e': s = "event"; break;
    case 's': s = "signalfd"; break;
    case 'l': s = "eventpoll"; break;
    case 'i': s = "inotify"; break;
    case 't': s = "timerfd"; break;
    case 'n': s = "netlink"; break;
    case 'b': s = "bpf"; break;
    case 'r': s = "io_uring"; break;
    case 'm': s = "memfd"; break;
    case 'P': s = "pidfd"; break;
    case 'o': s = "unknown"; break;
    default: return false;
    }
    sgc_val_set_str(out, s, strlen(s));
    return true;
}

/* Which end: client/server/local/remote. */
enum { END_CLIENT, END_SERVER, END_LOCAL, END_REMOTE };

/* Does this end exist? A server socket has no client/remote end. */
static bool end_exists(const sgc_fd_cache *f, int end)
{
    return !f->servsock || end == END_SERVER || end == END_LOCAL;
}

static bool end_is_local(const sgc_fd_cache *f, int end)
{
    switch (end) {
    case END_LOCAL: return true;
    case END_REMOTE: return false;
    case END_SERVER: return f->server_is_local;
    default: return !f->server_is_local;
    }
}

static void set_ip(sgc_val *out, const sgc_fd_cache *f, bool local)
{
    out->kind = SGC_VAL_IP;
    out->ip.family = f->tuple.family == AF_INET6 ? 6 : 4;
    memcpy(out->ip.addr, local ? f->tuple.laddr : f->tuple.raddr, 16);
}

static bool x_ip_end(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!is_inet(&cx->fd) || !end_exists(&cx->fd, (int)r->priv)) return false;
    set_ip(out, &cx->fd, end_is_local(&cx->fd, (int)r->priv));
    return true;
}

static bool x_port_end(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!is_inet(&cx->fd) || !end_exists(&cx->fd, (int)r->priv)) return false;
    bool local = end_is_local(&cx->fd, (int)r->priv);
    sgc_val_set_u64(out, local ? cx->fd.tuple.lport : cx->fd.tuple.rport);
    return true;
}

/* fd.ip, fd.net, fd.port: both ends (client first), see SGC_EXF_EITHER. */
static bool x_ip_either(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!is_inet(&cx->fd)) return false;
    if (cx->fd.servsock) { /* the server's own address only */
        set_ip(out, &cx->fd, true);
        return true;
    }
    sgc_val *items = sgc_arena_alloc(cx->scratch, 2 * sizeof *items);
    if (!items) return false;
    set_ip(&items[0], &cx->fd, end_is_local(&cx->fd, END_CLIENT));
    set_ip(&items[1], &cx->fd, end_is_local(&cx->fd, END_SERVER));
    out->kind = SGC_VAL_LIST;
    out->list.items = items;
    out->list.n = 2;
    return true;
}

static bool x_port_either(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!is_inet(&cx->fd)) return false;
    if (cx->fd.servsock) {
        sgc_val_set_u64(out, cx->fd.tuple.lport);
        return true;
    }
    sgc_val *items = sgc_arena_alloc(cx->scratch, 2 * sizeof *items);
    if (!items) return false;
    bool cl = end_is_local(&cx->fd, END_CLIENT);
    sgc_val_set_u64(&items[0], cl ? cx->fd.tuple.lport : cx->fd.tuple.rport);
    sgc_val_set_u64(&items[1], cl ? cx->fd.tuple.rport : cx->fd.tuple.lport);
    out->kind = SGC_VAL_LIST;
    out->list.items = items;
    out->list.n = 2;
    return true;
}

static bool x_l4proto(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!cx->fd.typechar) return false;
    const char *s;
    switch (cx->fd.l4proto) {
    case IPPROTO_TCP: s = "tcp"; break;
    case IPPROTO_UDP: s = "udp"; break;
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6: s = "icmp"; break;
    case IPPROTO_RAW: s = "raw"; break;
    default: s = "<NA>"; break; /* Falco's string for non-IP fds */
    }
    sgc_val_set_str(out, s, strlen(s));
    return true;
}

static bool x_sockfamily(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    char tc = cx->fd.typechar;
    if (tc == '4' || tc == '6')
        sgc_val_set_str(out, "ip", 2);
    else if (tc == 'u')
        sgc_val_set_str(out, "unix", 4);
    else
        return false;
    return true;
}

static bool x_connected(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!cx->fd.typechar) return false;
    sgc_val_set_bool(out, cx->fd.connected);
    return true;
}

static bool x_name_changed(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    if (!cx->fd.typechar) return false;
    sgc_val_set_bool(out, cx->fd.name_changed);
    return true;
}

/* fd.types needs an fd table the runtime does not keep. */
static bool x_unresolved(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    return false;
}

/* fd.cip.name, fd.sip.name, fd.lip.name, fd.rip.name: the names known to
 * resolve to that end's address (dnsnames.h). Falco matches `= N`/`in (N..)`
 * when the address is one of N's, and `!=` when it is not: as an "either"
 * list (SGC_EXF_EITHER) of the address's names, that is `=`/`in` for some
 * name and `!=` for none. One name is a plain string (Falco prints one). */
static bool x_ip_name(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    sgc_fd_resolve(cx);
    struct sgc_dnsnames *dns = cx->pt ? sgc_proctable_dns(cx->pt) : NULL;
    if (!dns || !is_inet(&cx->fd)) return false;
    const sgc_fd_cache *f = &cx->fd;
    if (!end_exists(f, (int)r->priv)) return false;
    bool local = end_is_local(f, (int)r->priv);
    const char **names;
    size_t *lens;
    int n = sgc_dnsnames_names_of(dns, f->tuple.family, local ? f->tuple.laddr : f->tuple.raddr,
                                  cx->scratch, &names, &lens);
    if (n == 0) return false;
    if (n == 1) {
        sgc_val_set_str(out, names[0], lens[0]);
        return true;
    }
    sgc_val *items = sgc_arena_alloc(cx->scratch, (size_t)n * sizeof *items);
    if (!items) return false;
    for (int i = 0; i < n; i++) sgc_val_set_str(&items[i], names[i], lens[i]);
    out->kind = SGC_VAL_LIST;
    out->list.items = items;
    out->list.n = n;
    return true;
}

/* ---- fs.path.* ---- */

typedef struct {
    int nr;
    const char *name, *source, *target;
    int dirfd_name, dirfd_src, dirfd_tgt;
} fs_map;

static const fs_map fs_maps[] = {
    {__NR_mkdir, "path", NULL, NULL, -1, -1, -1},
    {__NR_mkdirat, "path", NULL, NULL, 0, -1, -1},
    {__NR_rmdir, "path", NULL, NULL, -1, -1, -1},
    {__NR_unlink, "path", NULL, NULL, -1, -1, -1},
    {__NR_unlinkat, "name", NULL, NULL, 0, -1, -1},
    {__NR_rename, NULL, "oldpath", "newpath", -1, -1, -1},
    {__NR_renameat, NULL, "oldpath", "newpath", -1, 0, 2},
    {__NR_renameat2, NULL, "oldpath", "newpath", -1, 0, 2},
    {__NR_link, NULL, "oldpath", "newpath", -1, -1, -1},
    {__NR_linkat, NULL, "oldpath", "newpath", -1, 0, 2},
    {__NR_symlink, NULL, "target", "linkpath", -1, -1, -1},
    {__NR_symlinkat, NULL, "target", "linkpath", -1, -1, 1},
};

static bool x_fs_path(sgc_extract_ctx *cx, const sgc_field_ref *r, sgc_val *out)
{
    const sgc_evt *ev = cx->ev;
    if (ev->hdr->kind != SGC_REC_SYSCALL) return false;
    for (size_t i = 0; i < sizeof fs_maps / sizeof *fs_maps; i++) {
        const fs_map *m = &fs_maps[i];
        if ((uint32_t)m->nr != ev->hdr->nr) continue;
        const char *arg = r->priv == 0 ? m->name : r->priv == 1 ? m->source : m->target;
        int dirfd = r->priv == 0 ? m->dirfd_name : r->priv == 1 ? m->dirfd_src : m->dirfd_tgt;
        if (!arg) return false;
        const sgc_syscall_desc *d = sgc_syscall_desc_of((int)ev->hdr->nr);
        int ai = d ? sgc_syscall_desc_arg(d, arg) : -1;
        const char *p, *abs;
        size_t n, al;
        if (ai < 0 || !blob_cstr(sgc_evt_blob(ev, SGC_BLOB_ARG0 + d->args[ai].idx), &p, &n))
            return false;
        /* A symlink's target is stored as written, not resolved. */
        if (ev->hdr->nr == __NR_symlink || ev->hdr->nr == __NR_symlinkat) {
            if (r->priv == 1) {
                sgc_val_set_str(out, p, n);
                return true;
            }
        }
        if (resolve_path_arg(cx, p, n, dirfd, &abs, &al))
            sgc_val_set_str(out, abs, al);
        else
            sgc_val_set_str(out, p, n);
        return true;
    }
    return false;
}

static bool prep_end(sgc_field_ref *r, char *err, size_t errlen)
{
    const char *n = r->fdef->name;
    const char *which = strrchr(n, '.') + 1; /* "cip", "sport", "lnet", ... */
    switch (which[0]) {
    case 'c': r->priv = END_CLIENT; break;
    case 's': r->priv = END_SERVER; break;
    case 'l': r->priv = END_LOCAL; break;
    case 'r': r->priv = END_REMOTE; break;
    }
    return true;
}

/* "fd.sip.name" -> the server end */
static bool prep_name_end(sgc_field_ref *r, char *err, size_t errlen)
{
    switch (r->fdef->name[3]) {
    case 'c': r->priv = END_CLIENT; break;
    case 's': r->priv = END_SERVER; break;
    case 'l': r->priv = END_LOCAL; break;
    default: r->priv = END_REMOTE; break;
    }
    return true;
}

static bool prep_fs(sgc_field_ref *r, char *err, size_t errlen)
{
    const char *n = r->fdef->name;
    r->priv = strcmp(n, "fs.path.name") == 0 ? 0 : strcmp(n, "fs.path.source") == 0 ? 1 : 2;
    return true;
}

/* The extractors of this file, each named by its row in schema/fields.def
 * (the EXTRACTOR column): a row without its extractor does not link. */
const sgc_extractor sgc_x_fd_num = {x_num, NULL, 0};
const sgc_extractor sgc_x_fd_name = {x_name, NULL, 0};
const sgc_extractor sgc_x_fd_nameraw = {x_nameraw, NULL, 0};
const sgc_extractor sgc_x_fd_directory = {x_directory, NULL, 0};
const sgc_extractor sgc_x_fd_filename = {x_filename, NULL, 0};
const sgc_extractor sgc_x_fd_typechar = {x_typechar, NULL, 0};
const sgc_extractor sgc_x_fd_type = {x_type, NULL, 0};
const sgc_extractor sgc_x_fd_ip = {x_ip_either, NULL, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_net = {x_ip_either, NULL, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_port = {x_port_either, NULL, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_cip = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_sip = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_lip = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_rip = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_cnet = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_snet = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_lnet = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_rnet = {x_ip_end, prep_end, 0};
const sgc_extractor sgc_x_fd_cport = {x_port_end, prep_end, 0};
const sgc_extractor sgc_x_fd_sport = {x_port_end, prep_end, 0};
const sgc_extractor sgc_x_fd_lport = {x_port_end, prep_end, 0};
const sgc_extractor sgc_x_fd_rport = {x_port_end, prep_end, 0};
const sgc_extractor sgc_x_fd_l4proto = {x_l4proto, NULL, 0};
const sgc_extractor sgc_x_fd_sockfamily = {x_sockfamily, NULL, 0};
const sgc_extractor sgc_x_fd_connected = {x_connected, NULL, 0};
const sgc_extractor sgc_x_fd_name_changed = {x_name_changed, NULL, 0};
const sgc_extractor sgc_x_fd_cip_name = {x_ip_name, prep_name_end, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_sip_name = {x_ip_name, prep_name_end, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_lip_name = {x_ip_name, prep_name_end, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_rip_name = {x_ip_name, prep_name_end, SGC_EXF_EITHER};
const sgc_extractor sgc_x_fd_types = {x_unresolved, NULL, SGC_EXF_ARG_ALLOWED};
const sgc_extractor sgc_x_fs_path_name = {x_fs_path, prep_fs, 0};
const sgc_extractor sgc_x_fs_path_source = {x_fs_path, prep_fs, 0};
const sgc_extractor sgc_x_fs_path_target = {x_fs_path, prep_fs, 0};
