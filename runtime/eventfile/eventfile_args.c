/* Event files: syscall arguments, return values and fd objects into the
 * raw record, where the kernel side would have put them (syscall_args.h). */
#include "eventfile_int.h"

#include "syscall_args.h"
#include "systables.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* "A|B|C" (or a number) through a flag-name table. */
static bool flags_value(sgc_eventfile *f, sgc_flagset set, const char *argname, json_t *v,
                        uint64_t *out)
{
    if (!json_is_string(v)) return sgc_ef_u64(f, v, argname, out);
    const char *s = json_string_value(v);
    char *end;
    uint64_t num = strtoull(s, &end, 0);
    if (*s && !*end) {
        *out = num;
        return true;
    }
    uint64_t acc = 0;
    char *copy = strdup(s);
    if (!copy) return sgc_ef_fail(f, "out of memory");
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(copy, "| ", &save); tok && ok; tok = strtok_r(NULL, "| ", &save)) {
        uint64_t bit;
        if (sgc_flagset_value(set, tok, &bit))
            acc |= bit;
        else
            ok = sgc_ef_fail(f, "argument '%s': unknown name '%s' (expected %s names or a number)",
                             argname, tok, sgc_flagset_name(set));
    }
    free(copy);
    *out = acc;
    return ok;
}

/* "1.2.3.4:80", "[::1]:80" into family/address/port. */
static bool parse_endpoint(const char *s, int *family, uint8_t addr[16], uint16_t *port)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon;
    const char *h = s;
    size_t hl;
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':') return false;
        h = s + 1;
        hl = (size_t)(rb - h);
        colon = rb + 1;
        *family = AF_INET6;
    } else {
        colon = strrchr(s, ':');
        if (!colon) return false;
        hl = (size_t)(colon - s);
        *family = AF_INET;
    }
    if (hl >= sizeof host) return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || p > 65535 || colon[1] == '\0') return false;
    *port = (uint16_t)p;
    memset(addr, 0, 16);
    return inet_pton(*family, host, addr) == 1;
}

static bool sockaddr_blob(sgc_eventfile *f, const char *argname, json_t *v, sgc_record_builder *b)
{
    if (!json_is_string(v))
        return sgc_ef_fail(f, "argument '%s': expected \"ip:port\", \"[ip6]:port\" or a unix path",
                           argname);
    const char *s = json_string_value(v);
    if (s[0] == '/' || s[0] == '@') {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        size_t n = strlen(s);
        if (n >= sizeof un.sun_path)
            return sgc_ef_fail(f, "argument '%s': unix path too long", argname);
        memcpy(un.sun_path, s, n);
        if (s[0] == '@') un.sun_path[0] = '\0'; /* abstract socket */
        sgc_record_add_blob(b, SGC_BLOB_SOCKADDR, &un, sizeof(sa_family_t) + n + 1, 0);
        return true;
    }
    int fam;
    uint8_t addr[16];
    uint16_t port;
    if (!parse_endpoint(s, &fam, addr, &port))
        return sgc_ef_fail(f, "argument '%s': bad address '%s'", argname, s);
    if (fam == AF_INET) {
        struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
        memcpy(&sin.sin_addr, addr, 4);
        sgc_record_add_blob(b, SGC_BLOB_SOCKADDR, &sin, sizeof sin, 0);
    } else {
        struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
        memcpy(&sin6.sin6_addr, addr, 16);
        sgc_record_add_blob(b, SGC_BLOB_SOCKADDR, &sin6, sizeof sin6, 0);
    }
    return true;
}

bool sgc_ef_res(sgc_eventfile *f, json_t *v, int64_t *out)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "SUCCESS")) {
            *out = 0;
            return true;
        }
        int e = sgc_errno_value(s);
        if (e > 0) {
            *out = -e;
            return true;
        }
    }
    if (!sgc_ef_s64(f, v, "res", out))
        return sgc_ef_fail(f, "\"res\": expected a number, an errno name (ENOENT) or SUCCESS");
    return true;
}

static bool reg_value(sgc_eventfile *f, const sgc_argdesc *a, json_t *v, uint64_t *out)
{
    switch (a->type) {
    case SGC_AT_OPEN_FLAGS: return flags_value(f, SGC_FLAGSET_OPEN, a->name, v, out);
    case SGC_AT_MODE: return flags_value(f, SGC_FLAGSET_MODE, a->name, v, out);
    case SGC_AT_SOCK_FAMILY: return flags_value(f, SGC_FLAGSET_SOCKET_FAMILY, a->name, v, out);
    case SGC_AT_SOCK_TYPE: return flags_value(f, SGC_FLAGSET_SOCKET_TYPE, a->name, v, out);
    case SGC_AT_PTRACE_REQ: return flags_value(f, SGC_FLAGSET_PTRACE, a->name, v, out);
    case SGC_AT_CLONE_FLAGS: return flags_value(f, SGC_FLAGSET_CLONE, a->name, v, out);
    case SGC_AT_OCT:
        if (json_is_string(v)) {
            /* modes are written in octal: "0644" */
            char *end;
            const char *s = json_string_value(v);
            *out = strtoull(s, &end, 8);
            if (*s && !*end) return true;
            return sgc_ef_fail(f, "argument '%s': expected an octal mode like \"0644\"", a->name);
        }
        return sgc_ef_u64(f, v, a->name, out);
    case SGC_AT_UID:
    case SGC_AT_GID: {
        /* -1 is "unchanged" for set*id: the 32-bit id 0xffffffff */
        int64_t id;
        if (!sgc_ef_s64(f, v, a->name, &id)) return false;
        if (id < -1 || id > (int64_t)UINT32_MAX)
            return sgc_ef_fail(f, "argument '%s': %lld is no uid/gid", a->name, (long long)id);
        *out = (uint32_t)id;
        return true;
    }
    case SGC_AT_FD:
    case SGC_AT_INT: {
        int64_t s;
        if (json_is_string(v) && !strcmp(json_string_value(v), "AT_FDCWD")) {
            *out = (uint64_t)(int64_t)-100;
            return true;
        }
        if (!sgc_ef_s64(f, v, a->name, &s)) return false;
        *out = (uint64_t)s;
        return true;
    }
    default: return sgc_ef_u64(f, v, a->name, out);
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* {"hex": "cafebabe"}: raw bytes for a buffer argument (a JSON string can
 * only carry valid UTF-8 without NUL). */
static bool hex_blob(sgc_eventfile *f, const char *argname, json_t *obj, unsigned tag,
                     sgc_record_builder *b)
{
    json_t *h = json_object_get(obj, "hex");
    if (json_object_size(obj) != 1 || !json_is_string(h))
        return sgc_ef_fail(f, "argument '%s': expected a string or {\"hex\": \"...\"}", argname);
    const char *s = json_string_value(h);
    size_t n = json_string_length(h);
    if (n % 2) return sgc_ef_fail(f, "argument '%s': odd number of hex digits", argname);
    uint8_t *bytes = malloc(n / 2 + 1);
    if (!bytes) return sgc_ef_fail(f, "out of memory");
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) {
            free(bytes);
            return sgc_ef_fail(f, "argument '%s': '%c%c' is not a hex byte", argname, s[i],
                               s[i + 1]);
        }
        bytes[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    sgc_record_add_blob(b, tag, bytes, n / 2, 0);
    free(bytes);
    return true;
}

/* A string argument; a buffer (data) is its bytes exactly, as the kernel
 * copies them, other strings are NUL-terminated. */
static bool blob_arg(sgc_eventfile *f, const sgc_argdesc *a, json_t *v, sgc_record_builder *b)
{
    unsigned tag = SGC_BLOB_ARG0 + a->idx;
    bool bytes = a->type == SGC_AT_BYTES;
    if (bytes && json_is_object(v)) return hex_blob(f, a->name, v, tag, b);
    if (!json_is_string(v))
        return sgc_ef_fail(f, "argument '%s' must be a string%s", a->name,
                           bytes ? " or {\"hex\": \"...\"}" : "");
    sgc_record_add_blob(b, tag, json_string_value(v), json_string_length(v) + (bytes ? 0 : 1), 0);
    return true;
}

bool sgc_ef_apply_args(sgc_eventfile *f, int nr, json_t *args, sgc_record_builder *b,
                       bool *have_ret)
{
    if (!json_is_object(args)) return sgc_ef_fail(f, "\"args\" must be an object");
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    const char *key;
    json_t *v;
    json_object_foreach(args, key, v)
    {
        int i = d ? sgc_syscall_desc_arg(d, key) : -1;
        if (i < 0) {
            char known[256] = "";
            for (int k = 0; d && k < d->nargs; k++) {
                size_t l = strlen(known);
                snprintf(known + l, sizeof known - l, "%s%s", k ? ", " : "", d->args[k].name);
            }
            return sgc_ef_fail(f, "%s has no argument '%s'%s%s%s",
                               sgc_syscall_name(nr) ? sgc_syscall_name(nr) : "this syscall", key,
                               d ? " (known: " : " (sgc names no arguments for it)", d ? known : "",
                               d ? ")" : "");
        }
        const sgc_argdesc *a = &d->args[i];
        switch (a->src) {
        case SGC_ARGSRC_RET: {
            int64_t r;
            if (!sgc_ef_res(f, v, &r)) return false;
            b->hdr->ret = r;
            *have_ret = true;
            break;
        }
        case SGC_ARGSRC_REG: {
            uint64_t x;
            if (!reg_value(f, a, v, &x)) return false;
            b->hdr->args[a->idx] = x;
            break;
        }
        case SGC_ARGSRC_BLOB:
            if (!blob_arg(f, a, v, b)) return false;
            break;
        case SGC_ARGSRC_SOCKADDR:
            if (!sockaddr_blob(f, key, v, b)) return false;
            break;
        case SGC_ARGSRC_TUPLE:
            return sgc_ef_fail(f,
                               "argument '%s': give the connection as \"fd\": {\"local\": ..., "
                               "\"remote\": ...}",
                               key);
        default:
            return sgc_ef_fail(f, "argument '%s' comes from the process (give it in \"proc\")",
                               key);
        }
    }
    return true;
}

bool sgc_ef_apply_fd(sgc_eventfile *f, json_t *fd, sgc_record_builder *b)
{
    if (!json_is_object(fd)) return sgc_ef_fail(f, "\"fd\" must be an object");
    struct sgc_socktuple t = {0};
    bool have_tuple = false;
    const char *key;
    json_t *v;
    json_object_foreach(fd, key, v)
    {
        if (!strcmp(key, "name")) {
            if (!json_is_string(v)) return sgc_ef_fail(f, "fd.name must be a string");
            sgc_record_add_blob(b, SGC_BLOB_FDPATH, json_string_value(v), json_string_length(v) + 1,
                                0);
        } else if (!strcmp(key, "local") || !strcmp(key, "remote")) {
            int fam;
            uint8_t addr[16];
            uint16_t port;
            if (!json_is_string(v) || !parse_endpoint(json_string_value(v), &fam, addr, &port))
                return sgc_ef_fail(f, "fd.%s: expected \"ip:port\" or \"[ip6]:port\"", key);
            if (have_tuple && t.family != fam)
                return sgc_ef_fail(f, "fd: local and remote of different address families");
            t.family = (uint16_t)fam;
            if (!strcmp(key, "local")) {
                memcpy(t.laddr, addr, 16);
                t.lport = port;
            } else {
                memcpy(t.raddr, addr, 16);
                t.rport = port;
            }
            have_tuple = true;
        } else if (!strcmp(key, "proto")) {
            const char *s = json_is_string(v) ? json_string_value(v) : "";
            if (!strcmp(s, "tcp"))
                t.proto = IPPROTO_TCP;
            else if (!strcmp(s, "udp"))
                t.proto = IPPROTO_UDP;
            else if (!strcmp(s, "icmp"))
                t.proto = IPPROTO_ICMP;
            else
                return sgc_ef_fail(f, "fd.proto: expected tcp, udp or icmp");
        } else {
            return sgc_ef_fail(f, "fd: unknown key '%s' (known: name, local, remote, proto)", key);
        }
    }
    if (have_tuple) {
        if (!t.proto) t.proto = IPPROTO_TCP;
        sgc_record_add_blob(b, SGC_BLOB_SOCKTUPLE, &t, sizeof t, 0);
    }
    return true;
}
