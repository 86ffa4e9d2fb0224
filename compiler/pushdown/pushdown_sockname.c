/* Classification of rendered socket names: fd.name / fd.nameraw on the
 * socket syscalls (connect, accept, accept4, bind, listen, sendto, sendmsg),
 * evt.arg.tuple (every syscall whose record carries the socket tuple) and
 * evt.arg.addr (connect, bind: the address argument, "address:port" by
 * evt_args.c render_sockaddr, read before the filter when a rule reads it).
 *
 * The evaluator renders an IPv4/IPv6 socket's fd.name from the tuple
 * (runtime/eval/fields_fd.c name_from_tuple, sockaddr.c
 * sgc_render_endpoint): "client->server" with each end "address:port"
 * (IPv4 dotted, IPv6 as inet_ntop writes it, no brackets, then ':' and the
 * decimal port), or a server socket's own "address:port"; evt.arg.tuple is
 * the tuple as read, "local->remote" (evt_args.c render_tuple). Such a
 * string is made only of the characters "0123456789abcdef.:->", and it is
 * rendered from the tuple's ends one to one: so
 *   - `=`, `!=`, `in` with a constant that is such a rendering compare the
 *     tuple's ends with the constant's (parsed here, the rendering of the
 *     parse must give the constant back byte for byte);
 *   - a constant that is not such a rendering equals no name; but an IPv6
 *     address that parses yet is not written back the same way, or an
 *     IPv4-compatible one (::a.b.c.d), leaves the atom to userspace: the
 *     runtime's inet_ntop might write it so (glibc and musl differ there);
 *   - startswith, endswith, contains, icontains, glob, iglob and pmatch
 *     with constants that hold a character no rendering has (a path, a
 *     word) are FALSE.
 * What the kernel does not know: a unix socket's name (the path of the
 * address argument), a bind's server socket (named by its argument), an
 * event without a tuple: UNKNOWN (bpf-templates/filter_sock.h). */
#include "pushdown_int.h"
#include "sgc_sockview.h"
#include "syscall_args.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char rendered_chars[] = "0123456789abcdef.:->";

static sgc_pd_verdict name_user(const char *why, bool over_limit)
{
    return (sgc_pd_verdict){SGC_PD_USERSPACE, -1, SGC_K_UNKNOWN, why, over_limit};
}

/* A decimal port as the renderer prints it: no sign, no leading zero. */
static bool parse_port(const char *s, size_t n, unsigned *port)
{
    if (n == 0 || n > 5 || (n > 1 && s[0] == '0')) return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > 65535) return false;
    *port = v;
    return true;
}

/* How a constant (or one of its ends) reads as a rendering. */
typedef enum {
    R_OK,    /* exactly what the evaluator renders for the parsed value */
    R_NEVER, /* no tuple renders as it */
    R_DOUBT  /* an IPv6 spelling this libc's inet_ntop does not write, or an
                IPv4-compatible address (::a.b.c.d), which C libraries write
                differently: the evaluator's libc might render it */
} rendering;

/* "address:port" as rendered: its family (4 or 6), address bytes
 * (big-endian halves) and port. IPv4 is sgc_render_endpoint's own dotted
 * decimal, which inet_ntop writes the same; IPv6 is the runtime's
 * inet_ntop. */
static rendering parse_end(const char *s, size_t n, int *fam, uint64_t *hi, uint64_t *lo,
                           unsigned *port)
{
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':') colon = s + i;
    if (!colon || !parse_port(colon + 1, n - (size_t)(colon + 1 - s), port)) return R_NEVER;
    char buf[64], back[64];
    size_t al = (size_t)(colon - s);
    if (al == 0 || al >= sizeof buf) return R_NEVER;
    memcpy(buf, s, al);
    buf[al] = '\0';
    unsigned char a[16] = {0};
    static const unsigned char zero[12];
    if (inet_pton(AF_INET, buf, a) == 1) {
        if (!inet_ntop(AF_INET, a, back, sizeof back) || strcmp(back, buf)) return R_NEVER;
        *fam = 4;
    } else if (inet_pton(AF_INET6, buf, a) == 1) {
        if (!inet_ntop(AF_INET6, a, back, sizeof back) || strcmp(back, buf)) return R_DOUBT;
        if (!memcmp(a, zero, 12) && (a[12] | a[13] | a[14] | (a[15] & 0xfe))) return R_DOUBT;
        *fam = 6;
    } else {
        return R_NEVER;
    }
    *hi = *lo = 0;
    for (int i = 0; i < 8; i++) {
        *hi = *hi << 8 | a[i];
        *lo = *lo << 8 | a[8 + i];
    }
    return R_OK;
}

/* A constant as a rendering of shape `pair` ("x->y") or `one` (one end);
 * 0: none of that shape. R_OK with the 6 numbers of pushdown.h
 * SGC_KOP_SOCKNAME in out. */
static rendering parse_rendering(const char *s, int pair, int one, int64_t out[6])
{
    const char *arrow = strstr(s, "->");
    int fam1, fam2 = 0;
    uint64_t h1, l1, h2 = 0, l2 = 0;
    unsigned p1, p2 = 0;
    rendering r1, r2 = R_OK;
    if (!arrow) {
        if (!one) return R_NEVER;
        r1 = parse_end(s, strlen(s), &fam1, &h1, &l1, &p1);
        if (r1 != R_OK) return r1;
        out[0] = one << 8 | fam1;
    } else {
        if (!pair) return R_NEVER;
        r1 = parse_end(s, (size_t)(arrow - s), &fam1, &h1, &l1, &p1);
        r2 = parse_end(arrow + 2, strlen(arrow + 2), &fam2, &h2, &l2, &p2);
        if (r1 == R_NEVER || r2 == R_NEVER) return R_NEVER;
        if (r1 == R_DOUBT || r2 == R_DOUBT) return R_DOUBT;
        if (fam1 != fam2) return R_NEVER;
        out[0] = pair << 8 | fam1;
    }
    out[1] = (int64_t)h1;
    out[2] = (int64_t)l1;
    out[3] = (int64_t)h2;
    out[4] = (int64_t)l2;
    out[5] = (int64_t)(p1 << 16 | p2);
    return R_OK;
}

/* A character no rendering has (after folding, for the i-operators). */
static bool foreign(char c, bool icase)
{
    int f = icase ? tolower((unsigned char)c) : (unsigned char)c;
    return f == 0 || !strchr(rendered_chars, f);
}

static bool has_foreign(const char *s, bool icase)
{
    for (; *s; s++)
        if (foreign(*s, icase)) return true;
    return false;
}

/* A glob with a literal character no rendering has: it matches none
 * (runtime/eval/ops.c sgc_glob_match must match every literal). Patterns
 * with bracket expressions or escapes are not looked into. */
static bool glob_never(const char *p, bool icase)
{
    if (strpbrk(p, "[\\")) return false;
    for (; *p; p++)
        if (*p != '*' && *p != '?' && foreign(*p, icase)) return true;
    return false;
}

/* pmatch (runtime/eval/ops.c sgc_pmatch_one) splits both sides on '/'
 * skipping empty components: a rendering is one component, so an item of
 * two or more never matches it, nor one literal component with a character
 * no rendering has; an item of none matches every value. */
static bool pmatch_never(const char *p)
{
    int n = 0;
    bool lit_foreign = false;
    for (const char *c = p; *c;) {
        while (*c == '/') c++;
        if (!*c) break;
        size_t len = strcspn(c, "/");
        bool wild = memchr(c, '*', len) || memchr(c, '?', len) || memchr(c, '[', len);
        for (size_t i = 0; i < len && !wild; i++) lit_foreign |= foreign(c[i], false);
        n++;
        c += len;
    }
    return n >= 2 || (n == 1 && lit_foreign);
}

/* Whether item i of `a` is matched by no rendering, for operators other
 * than =, != and in. */
static bool item_never(const sgc_ir_atom *a, int i)
{
    const char *v = a->vals[i];
    switch (a->op) {
    case SGC_OP_STARTSWITH:
    case SGC_OP_ENDSWITH:
    case SGC_OP_CONTAINS: return has_foreign(v, false);
    case SGC_OP_ICONTAINS: return has_foreign(v, true);
    case SGC_OP_GLOB: return glob_never(v, false);
    case SGC_OP_IGLOB: return glob_never(v, true);
    case SGC_OP_PMATCH: return pmatch_never(v);
    default: return false;
    }
}

/* `a` is evt.arg.NAME / evt.arg[NAME], an argument of syscall nr read from
 * `src`. */
static bool evt_arg_is(const sgc_ir_atom *a, const char *name, sgc_arg_src src, int nr)
{
    const char *f = a->field;
    bool is = (!strncmp(f, "evt.arg.", 8) && !strcmp(f + 8, name) && !a->arg) ||
              (!strcmp(f, "evt.arg") && a->arg && !strcmp(a->arg, name));
    if (!is) return false;
    const sgc_syscall_desc *d = sgc_syscall_desc_of(nr);
    int i = d ? sgc_syscall_desc_arg(d, name) : -1;
    return i >= 0 && d->args[i].src == src;
}

bool sgc_pd_classify_sockname(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out)
{
    const char *f = a->field;
    if (!f) return false;
    bool name = (!strcmp(f, "fd.name") || !strcmp(f, "fd.nameraw")) && !a->arg &&
                sgc_pd_is_sock_syscall(nr);
    bool tuple = evt_arg_is(a, "tuple", SGC_ARGSRC_TUPLE, nr);
    bool addr = evt_arg_is(a, "addr", SGC_ARGSRC_SOCKADDR, nr);
    if (!name && !tuple && !addr) return false;
    sgc_katom k = {.src = SGC_KV_SOCK,
                   .idx = name    ? SGC_KS_NAME
                          : tuple ? SGC_KS_TUPLE
                                  : SGC_KS_ADDR,
                   .width = 64,
                   .flags_idx = -1,
                   .kop = SGC_KOP_SOCKNAME};
    if (a->op == SGC_OP_EQ || a->op == SGC_OP_NE || a->op == SGC_OP_IN) {
        if (a->op != SGC_OP_IN && (a->nvals != 1 || a->rhs_is_list)) {
            *out = name_user("bad constant", false);
            return true;
        }
        k.negate = a->op == SGC_OP_NE;
        k.nums = calloc((size_t)a->nvals * 6 + 1, sizeof *k.nums);
        if (!k.nums) abort();
        for (int i = 0; i < a->nvals; i++) {
            rendering r = parse_rendering(a->vals[i],
                                          name    ? SGC_KSN_PAIR
                                          : tuple ? SGC_KSN_RAW
                                                  : 0,
                                          name   ? SGC_KSN_ONE
                                          : addr ? SGC_KSN_SA
                                                 : 0,
                                          &k.nums[k.nnums]);
            if (r == R_DOUBT) {
                free(k.nums);
                *out = name_user("an IPv6 spelling C libraries may render differently", false);
                return true;
            }
            if (r == R_OK) k.nnums += 6;
        }
        if (k.nnums / 6 > SGC_KSOCK_MAX_ITEMS) {
            free(k.nums);
            *out = name_user("more than 16 socket names: the kernel tests at most 16 inline", true);
            return true;
        }
    } else {
        for (int i = 0; i < a->nvals; i++)
            if (!item_never(a, i)) {
                *out = name_user("on socket names the kernel decides =, != and in, and "
                                 "constants no IPv4/IPv6 name has (a path, a word)",
                                 false);
                return true;
            }
        if (!a->nvals) {
            *out = name_user("no constant", false);
            return true;
        }
    }
    int id = sgc_pd_intern_katom(pd, &k);
    *out = (sgc_pd_verdict){
        pd->katoms[id]->cls, id, -1,
        name    ? "decided for IPv4/IPv6 sockets when the record carries the tuple (not a bind's "
                  "server socket, not a failed accept); a unix socket's name is its address "
                  "argument's: UNKNOWN"
        : tuple ? "decided from the socket tuple the record carries"
                : "decided for IPv4/IPv6 addresses, read before the filter; a unix path: UNKNOWN",
        false};
    return true;
}
