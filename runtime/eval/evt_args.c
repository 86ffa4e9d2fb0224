/* See evt_args.h. Flag names come from the tables generated from the system
 * headers (schema/systables.h); the few sets those tables lack are listed
 * here with their values taken from the headers. */
#include "evt_args.h"
#include "proctable.h"
#include "systables.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/memfd.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

typedef struct {
    const char *name;
    uint64_t value;
} named;

static const named mode_bits[] = {{"S_IXOTH", S_IXOTH},
                                  {"S_IWOTH", S_IWOTH},
                                  {"S_IROTH", S_IROTH},
                                  {"S_IXGRP", S_IXGRP},
                                  {"S_IWGRP", S_IWGRP},
                                  {"S_IRGRP", S_IRGRP},
                                  {"S_IXUSR", S_IXUSR},
                                  {"S_IWUSR", S_IWUSR},
                                  {"S_IRUSR", S_IRUSR},
                                  {"S_ISVTX", S_ISVTX},
                                  {"S_ISGID", S_ISGID},
                                  {"S_ISUID", S_ISUID},
                                  {NULL, 0}};

static const named at_flags[] = {{"AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW},
                                 {"AT_REMOVEDIR", AT_REMOVEDIR},
                                 {"AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW},
                                 {"AT_EMPTY_PATH", AT_EMPTY_PATH},
                                 {NULL, 0}};

static const named mount_flags[] = {{"RDONLY", MS_RDONLY},
                                    {"NOSUID", MS_NOSUID},
                                    {"NODEV", MS_NODEV},
                                    {"NOEXEC", MS_NOEXEC},
                                    {"SYNCHRONOUS", MS_SYNCHRONOUS},
                                    {"REMOUNT", MS_REMOUNT},
                                    {"MANDLOCK", MS_MANDLOCK},
                                    {"DIRSYNC", MS_DIRSYNC},
                                    {"NOATIME", MS_NOATIME},
                                    {"NODIRATIME", MS_NODIRATIME},
                                    {"BIND", MS_BIND},
                                    {"MOVE", MS_MOVE},
                                    {"REC", MS_REC},
                                    {"SILENT", MS_SILENT},
                                    {"POSIXACL", MS_POSIXACL},
                                    {"UNBINDABLE", MS_UNBINDABLE},
                                    {"PRIVATE", MS_PRIVATE},
                                    {"SLAVE", MS_SLAVE},
                                    {"SHARED", MS_SHARED},
                                    {"RELATIME", MS_RELATIME},
                                    {"KERNMOUNT", MS_KERNMOUNT},
                                    {"I_VERSION", MS_I_VERSION},
                                    {"STRICTATIME", MS_STRICTATIME},
                                    {"LAZYTIME", MS_LAZYTIME},
                                    {NULL, 0}};

static const named memfd_flags[] = {{"MFD_CLOEXEC", MFD_CLOEXEC},
                                    {"MFD_ALLOW_SEALING", MFD_ALLOW_SEALING},
                                    {"MFD_HUGETLB", MFD_HUGETLB},
                                    {NULL, 0}};

#define BPFCMD(x) {#x, x}
static const named bpf_cmds[] = {BPFCMD(BPF_MAP_CREATE),
                                 BPFCMD(BPF_MAP_LOOKUP_ELEM),
                                 BPFCMD(BPF_MAP_UPDATE_ELEM),
                                 BPFCMD(BPF_MAP_DELETE_ELEM),
                                 BPFCMD(BPF_MAP_GET_NEXT_KEY),
                                 BPFCMD(BPF_PROG_LOAD),
                                 BPFCMD(BPF_OBJ_PIN),
                                 BPFCMD(BPF_OBJ_GET),
                                 BPFCMD(BPF_PROG_ATTACH),
                                 BPFCMD(BPF_PROG_DETACH),
                                 BPFCMD(BPF_PROG_TEST_RUN),
                                 BPFCMD(BPF_PROG_GET_NEXT_ID),
                                 BPFCMD(BPF_MAP_GET_NEXT_ID),
                                 BPFCMD(BPF_PROG_GET_FD_BY_ID),
                                 BPFCMD(BPF_MAP_GET_FD_BY_ID),
                                 BPFCMD(BPF_OBJ_GET_INFO_BY_FD),
                                 BPFCMD(BPF_PROG_QUERY),
                                 BPFCMD(BPF_RAW_TRACEPOINT_OPEN),
                                 BPFCMD(BPF_BTF_LOAD),
                                 BPFCMD(BPF_BTF_GET_FD_BY_ID),
                                 BPFCMD(BPF_TASK_FD_QUERY),
                                 BPFCMD(BPF_MAP_LOOKUP_AND_DELETE_ELEM),
                                 BPFCMD(BPF_MAP_FREEZE),
                                 BPFCMD(BPF_BTF_GET_NEXT_ID),
                                 BPFCMD(BPF_MAP_LOOKUP_BATCH),
                                 BPFCMD(BPF_MAP_UPDATE_BATCH),
                                 BPFCMD(BPF_MAP_DELETE_BATCH),
                                 BPFCMD(BPF_LINK_CREATE),
                                 BPFCMD(BPF_LINK_UPDATE),
                                 BPFCMD(BPF_LINK_GET_FD_BY_ID),
                                 BPFCMD(BPF_ENABLE_STATS),
                                 BPFCMD(BPF_ITER_CREATE),
                                 BPFCMD(BPF_LINK_DETACH),
                                 BPFCMD(BPF_PROG_BIND_MAP),
                                 {NULL, 0}};

/* ---- small string builder in the arena ---- */

typedef struct {
    char *buf;
    size_t len, cap;
    sgc_arena *a;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 64);
        while (cap < b->len + n + 1) cap *= 2;
        char *nb = sgc_arena_alloc(b->a, cap);
        if (!nb) return;
        if (b->len) memcpy(nb, b->buf, b->len);
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_flag(sbuf *b, const char *name)
{
    if (b->len) sb_put(b, "|", 1);
    sb_put(b, name, strlen(name));
}

static const char *sb_done(sbuf *b, size_t *len)
{
    if (!b->buf) {
        *len = 0;
        return "";
    }
    *len = b->len;
    return b->buf;
}

static const char *render_named(sgc_arena *a, const named *t, uint64_t v, size_t *len)
{
    sbuf b = {.a = a};
    for (; t->name; t++)
        if (t->value && (v & t->value) == t->value) sb_flag(&b, t->name);
    if (!b.len) return sgc_arena_printf(a, len, "%" PRIu64, v);
    return sb_done(&b, len);
}

static const char *named_enum(const named *t, uint64_t v)
{
    for (; t->name; t++)
        if (t->value == v) return t->name;
    return NULL;
}

const char *sgc_render_flagset(sgc_arena *a, int set, uint64_t v, size_t *len)
{
    int n;
    const sgc_flag_name *t = sgc_flagset_table((sgc_flagset)set, &n);
    sbuf b = {.a = a};
    for (int i = 0; i < n; i++) {
        if (t[i].alias) continue;
        if ((t[i].value == 0 && v == 0) || (t[i].value && (v & t[i].value) == t[i].value))
            sb_flag(&b, t[i].name);
    }
    if (!b.len) return sgc_arena_printf(a, len, "%" PRIu64, v);
    return sb_done(&b, len);
}

const char *sgc_render_open_flags(sgc_arena *a, uint64_t v, size_t *len)
{
    /* The access mode is a 2-bit value, not flags: name it first, then the
     * flag bits. O_SYNC includes O_DSYNC's bit, O_TMPFILE O_DIRECTORY's:
     * both names print, as in Falco. */
    static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", NULL};
    sbuf b = {.a = a};
    const char *am = acc[v & O_ACCMODE];
    if (am) sb_flag(&b, am);
    int n;
    const sgc_flag_name *t = sgc_open_flags(&n);
    for (int i = 0; i < n; i++) {
        uint64_t f = t[i].value;
        if (t[i].alias || (f & ~(uint64_t)O_ACCMODE) == 0) continue;
        if ((v & f) == f) sb_flag(&b, t[i].name);
    }
    return sb_done(&b, len);
}

const char *sgc_render_mode(sgc_arena *a, uint64_t v, size_t *len)
{
    return render_named(a, mode_bits, v, len);
}

static const char *render_sockaddr(sgc_arena *a, const sgc_blob *b, size_t *len)
{
    sgc_sockaddr_view v;
    if (!sgc_sockaddr_parse(b->p, b->len, &v)) return NULL;
    if (v.family == AF_UNIX) {
        if (v.path_len && v.path[0] == '\0')
            return sgc_arena_printf(a, len, "@%.*s", (int)(v.path_len - 1), v.path + 1);
        return sgc_arena_printf(a, len, "%.*s", (int)v.path_len, v.path);
    }
    return sgc_render_endpoint(a, v.family, v.addr, v.port, len);
}

static const char *render_tuple(sgc_arena *a, const sgc_blob *b, size_t *len)
{
    struct sgc_socktuple t;
    if (b->len < sizeof t) return NULL;
    memcpy(&t, b->p, sizeof t);
    if (t.family != AF_INET && t.family != AF_INET6) return NULL;
    size_t l1, l2;
    const char *s1 = sgc_render_endpoint(a, t.family, t.laddr, t.lport, &l1);
    const char *s2 = sgc_render_endpoint(a, t.family, t.raddr, t.rport, &l2);
    if (!s1 || !s2) return NULL;
    return sgc_arena_printf(a, len, "%s->%s", s1, s2);
}

/* ---- per-source value access ---- */

static const sgc_blob *arg_blob(const sgc_evt *ev, const sgc_argdesc *a)
{
    switch (a->src) {
    case SGC_ARGSRC_BLOB: return sgc_evt_blob(ev, SGC_BLOB_ARG0 + a->idx);
    case SGC_ARGSRC_TUPLE: return sgc_evt_blob(ev, SGC_BLOB_SOCKTUPLE);
    case SGC_ARGSRC_SOCKADDR: return sgc_evt_blob(ev, SGC_BLOB_SOCKADDR);
    case SGC_ARGSRC_CWD: return sgc_evt_blob(ev, SGC_BLOB_CWD);
    case SGC_ARGSRC_EXE: return sgc_evt_blob(ev, SGC_BLOB_EXE);
    case SGC_ARGSRC_ARGV0:
    case SGC_ARGSRC_ARGS: return sgc_evt_blob(ev, SGC_BLOB_ARGV);
    default: return NULL;
    }
}

static bool int_value(const sgc_evt *ev, const sgc_argdesc *a, uint64_t *v)
{
    if (a->src == SGC_ARGSRC_RET) {
        *v = (uint64_t)ev->hdr->ret;
        return true;
    }
    if (a->src == SGC_ARGSRC_REG && a->idx < SGC_NARGS) {
        *v = ev->hdr->args[a->idx];
        return true;
    }
    return false;
}

static bool render_argv(sgc_extract_ctx *cx, const sgc_blob *b, bool first, sgc_val *out)
{
    const char *p = (const char *)b->p;
    size_t n = b->len;
    const char *nul = memchr(p, '\0', n);
    size_t l0 = nul ? (size_t)(nul - p) : n;
    if (first) {
        sgc_val_set_str(out, p, l0);
        return true;
    }
    /* The rest, NUL-separated -> space-separated (Falco's rendering). */
    if (l0 >= n) {
        sgc_val_set_str(out, "", 0);
        return true;
    }
    size_t rl = n - l0 - 1;
    char *s = sgc_arena_strndup(cx->scratch, p + l0 + 1, rl);
    if (!s) return false;
    while (rl && s[rl - 1] == '\0') rl--;
    for (size_t i = 0; i < rl; i++)
        if (s[i] == '\0') s[i] = ' ';
    sgc_val_set_str(out, s, rl);
    return true;
}

/* Arguments the record carries as blobs: argv, socket tuples and addresses,
 * byte buffers, strings. */
static bool render_blob_arg(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out)
{
    const sgc_blob *b = arg_blob(cx->ev, a);
    if (!b) return false;
    if (a->src == SGC_ARGSRC_ARGV0 || a->src == SGC_ARGSRC_ARGS)
        return render_argv(cx, b, a->src == SGC_ARGSRC_ARGV0, out);
    size_t len = 0;
    const char *s;
    switch ((sgc_arg_type)a->type) {
    case SGC_AT_SOCKTUPLE: s = render_tuple(cx->scratch, b, &len); break;
    case SGC_AT_SOCKADDR: s = render_sockaddr(cx->scratch, b, &len); break;
    case SGC_AT_BYTES: sgc_val_set_str(out, (const char *)b->p, b->len); return true;
    default: sgc_val_set_cstrn(out, (const char *)b->p, b->len); return true;
    }
    if (!s) return false;
    sgc_val_set_str(out, s, len);
    return true;
}

/* A name from a table, else the number. */
static const char *name_or_number(sgc_arena *ar, const char *name, uint64_t v, size_t *len)
{
    const char *s = name ? name : sgc_arena_printf(ar, NULL, "%" PRIu64, v);
    *len = s ? strlen(s) : 0;
    return s;
}

/* Falco shows an fd it knows as "<typechar>name" (<f>/etc/passwd). */
static const char *render_fd(sgc_extract_ctx *cx, const sgc_argdesc *a, uint64_t v, size_t *len)
{
    /* a returned fd is the full return value; an fd argument is an int */
    int64_t fd = a->src == SGC_ARGSRC_RET ? (int64_t)v : (int64_t)(int32_t)v;
    sgc_fd_resolve(cx);
    size_t nl;
    const char *name =
        fd >= 0 && cx->fd.fdnum == fd && cx->fd.typechar ? sgc_fd_name(cx, &nl) : NULL;
    if (name) return sgc_arena_printf(cx->scratch, len, "<%c>%.*s", cx->fd.typechar, (int)nl, name);
    return sgc_arena_printf(cx->scratch, len, "%" PRId64, fd);
}

/* The socket type is the low nibble; SOCK_CLOEXEC/NONBLOCK are flags. */
static const char *render_sock_type(sgc_arena *ar, uint64_t v, size_t *len)
{
    const char *name = sgc_flagset_name_of(SGC_FLAGSET_SOCKET_TYPE, v & 0xf);
    sbuf b = {.a = ar};
    if (name) sb_flag(&b, name);
    if (v & SOCK_NONBLOCK) sb_flag(&b, "SOCK_NONBLOCK");
    if (v & SOCK_CLOEXEC) sb_flag(&b, "SOCK_CLOEXEC");
    return b.len ? sb_done(&b, len) : sgc_arena_printf(ar, len, "%" PRIu64, v);
}

/* An integer argument (register or return value) as Falco renders it. */
static const char *render_int_arg(sgc_extract_ctx *cx, const sgc_argdesc *a, uint64_t v,
                                  size_t *len)
{
    sgc_arena *ar = cx->scratch;
    switch ((sgc_arg_type)a->type) {
    case SGC_AT_ERRNO: {
        int64_t r = (int64_t)v;
        const char *name = (r < 0 && r >= -4095) ? sgc_errno_name((int)-r) : NULL;
        if (name) return *len = strlen(name), name;
        return sgc_arena_printf(ar, len, "%" PRId64, r);
    }
    case SGC_AT_FD: return render_fd(cx, a, v, len);
    case SGC_AT_INT: return sgc_arena_printf(ar, len, "%" PRId64, (int64_t)v);
    case SGC_AT_UINT: return sgc_arena_printf(ar, len, "%" PRIu64, v);
    case SGC_AT_HEX: return sgc_arena_printf(ar, len, "0x%" PRIx64, v);
    case SGC_AT_OCT: return sgc_arena_printf(ar, len, "0%" PRIo64, v);
    case SGC_AT_UID:
    case SGC_AT_GID: {
        const char *name =
            (a->type == SGC_AT_UID && cx->user_name) ? cx->user_name(cx, (uint32_t)v) : NULL;
        if (name) return *len = strlen(name), name;
        return sgc_arena_printf(ar, len, "%" PRIu32, (uint32_t)v);
    }
    case SGC_AT_OPEN_FLAGS: return sgc_render_open_flags(ar, v, len);
    case SGC_AT_MODE: return sgc_render_mode(ar, v, len);
    case SGC_AT_SOCK_FAMILY:
        return name_or_number(ar, sgc_flagset_name_of(SGC_FLAGSET_SOCKET_FAMILY, v), v, len);
    case SGC_AT_SOCK_TYPE: return render_sock_type(ar, v, len);
    case SGC_AT_PTRACE_REQ:
        return name_or_number(ar, sgc_flagset_name_of(SGC_FLAGSET_PTRACE, v), v, len);
    case SGC_AT_CLONE_FLAGS: return sgc_render_flagset(ar, SGC_FLAGSET_CLONE, v, len);
    case SGC_AT_BPF_CMD: return name_or_number(ar, named_enum(bpf_cmds, v), v, len);
    case SGC_AT_AT_FLAGS: return render_named(ar, at_flags, v, len);
    case SGC_AT_MOUNT_FLAGS: return render_named(ar, mount_flags, v, len);
    case SGC_AT_MEMFD_FLAGS: return render_named(ar, memfd_flags, v, len);
    default: return sgc_arena_printf(ar, len, "%" PRIu64, v);
    }
}

bool sgc_evt_arg_render(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out)
{
    if (a->src != SGC_ARGSRC_RET && a->src != SGC_ARGSRC_REG) return render_blob_arg(cx, a, out);
    uint64_t v = 0;
    if (!int_value(cx->ev, a, &v)) return false;
    size_t len = 0;
    const char *s = render_int_arg(cx, a, v, &len);
    if (!s) return false;
    sgc_val_set_str(out, s, len);
    return true;
}

bool sgc_evt_arg_raw(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out)
{
    uint64_t v;
    if (int_value(cx->ev, a, &v)) {
        switch ((sgc_arg_type)a->type) {
        case SGC_AT_ERRNO:
        case SGC_AT_FD:
        case SGC_AT_INT:
            sgc_val_set_s64(out, a->type == SGC_AT_FD && a->src != SGC_ARGSRC_RET
                                     ? (int64_t)(int32_t)v
                                     : (int64_t)v);
            break;
        default: sgc_val_set_u64(out, v); break;
        }
        return true;
    }
    return sgc_evt_arg_render(cx, a, out);
}
