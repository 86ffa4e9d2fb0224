/* Classification of socket atoms: fd.typechar/fd.type, fd.l4proto,
 * fd.sockfamily, fd.connected, fd.name_changed, fd.[cslr]port,
 * fd.[cslr]ip, fd.[cslr]net, fd.ip and fd.net on the socket syscalls whose
 * record carries the fd's socket tuple (connect, accept, accept4, bind,
 * listen, sendto, sendmsg). The kernel computes each value exactly as
 * runtime/eval/fields_fd.c does from the same record (server/client roles,
 * server sockets, IPv4-mapped IPv6 tuples), and says UNKNOWN where it does
 * not follow the evaluator: no tuple in the record, a failed accept, the
 * address and port of a bind (which may come from its argument). So these
 * atoms are kernel-partial. Constants the evaluator would read differently
 * (not a number, not an address) leave the atom to userspace. The values
 * are in bpf-templates/shared/sgc_sockview.h, the kernel side in
 * bpf-templates/filter_sock.h. */
#include "pushdown_int.h"
#include "sgc_sockview.h"
#include "systables.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* A constant no value equals (a literal the field never shows). */
#define NEVER (-100)

static const char *const why_partial =
    "decided when the record carries the socket's tuple (not on a failed accept; "
    "not the address or port of a bind)";

static sgc_pd_verdict sock_kernel(sgc_pushdown *pd, sgc_katom *k)
{
    int id = sgc_pd_intern_katom(pd, k);
    return (sgc_pd_verdict){pd->katoms[id]->cls, id, -1, why_partial, false};
}

/* schema/bpf_syscalls.c: sock_fd */
bool sgc_pd_is_sock_syscall(int nr)
{
    static const char *const names[] = {"connect", "accept", "accept4", "bind",
                                        "listen",  "sendto", "sendmsg"};
    const char *n = sgc_syscall_name(nr);
    for (size_t i = 0; n && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(n, names[i])) return true;
    return false;
}

/* ---- strings shown as a code -------------------------------------------------- */

/* The code of a constant compared with a string field (NEVER when the field
 * never shows it). */
static int64_t typechar_code(const char *v)
{
    static const char chars[] = "fd46upesltinbrmPo";
    return strlen(v) == 1 && strchr(chars, v[0]) ? (int64_t)(unsigned char)v[0] : NEVER;
}

static int64_t type_code(const char *v)
{
    static const struct {
        const char *name;
        char c;
    } t[] = {{"file", 'f'},      {"directory", 'd'}, {"ipv4", '4'},    {"ipv6", '6'},
             {"unix", 'u'},      {"pipe", 'p'},      {"event", 'e'},   {"signalfd", 's'},
             {"eventpoll", 'l'}, {"inotify", 'i'},   {"timerfd", 't'}, {"netlink", 'n'},
             {"bpf", 'b'},       {"io_uring", 'r'},  {"memfd", 'm'},   {"pidfd", 'P'},
             {"unknown", 'o'}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(v, t[i].name)) return (unsigned char)t[i].c;
    return NEVER;
}

static int64_t l4proto_code(const char *v)
{
    if (!strcmp(v, "tcp")) return SGC_KSL_TCP;
    if (!strcmp(v, "udp")) return SGC_KSL_UDP;
    if (!strcmp(v, "icmp")) return SGC_KSL_ICMP;
    if (!strcmp(v, "raw")) return SGC_KSL_RAW;
    if (!strcmp(v, "<NA>")) return SGC_KSL_NA;
    return NEVER;
}

static int64_t sockfamily_code(const char *v)
{
    return !strcmp(v, "ip") ? 1 : !strcmp(v, "unix") ? 2 : NEVER;
}

/* =, != and in over a string field, as codes: `!=` is "has a value and it
 * differs" (an absent value makes every comparison false). */
static sgc_pd_verdict string_codes(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_katom *k,
                                   int64_t (*code)(const char *))
{
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN)
        return sgc_pd_userspace("operator not decided on this socket field in the kernel");
    if (a->op != SGC_OP_IN && (a->nvals != 1 || a->rhs_is_list))
        return sgc_pd_userspace("bad constant");
    k->kop = SGC_KOP_NUM_IN;
    k->negate = a->op == SGC_OP_NE;
    k->nums = calloc((size_t)a->nvals + 1, sizeof *k->nums);
    if (!k->nums) abort();
    for (int i = 0; i < a->nvals; i++) k->nums[k->nnums++] = code(a->vals[i]);
    return sock_kernel(pd, k);
}

static sgc_pd_verdict boolean(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_katom *k)
{
    if ((a->op != SGC_OP_EQ && a->op != SGC_OP_NE) || a->nvals != 1 || a->rhs_is_list ||
        (strcmp(a->vals[0], "true") && strcmp(a->vals[0], "false")))
        return sgc_pd_userspace("a socket flag compared with something other than true/false");
    k->kop = SGC_KOP_NUM_IN;
    k->negate = a->op == SGC_OP_NE;
    k->nums = calloc(2, sizeof *k->nums);
    if (!k->nums) abort();
    k->nums[k->nnums++] = !strcmp(a->vals[0], "true");
    return sock_kernel(pd, k);
}

/* A port list longer than the kernel tests inline: the one socket verdict
 * lint reports (over_limit), with the numbers. Address and network lists
 * of any length are looked up in a map (codegen_bpf_sock.c). */
static sgc_pd_verdict sock_too_many(void)
{
    sgc_pd_verdict v = sgc_pd_userspace("more than 16 ports: the kernel tests at most 16 inline");
    v.over_limit = true;
    return v;
}

/* ---- ports ---------------------------------------------------------------------- */

static sgc_pd_verdict port(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_katom *k)
{
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
    case SGC_OP_LT:
    case SGC_OP_LE:
    case SGC_OP_GT:
    case SGC_OP_GE:
        if (a->nvals != 1 || a->rhs_is_list || !sgc_pd_parse_int(a->vals[0], &k->num) || k->num < 0)
            return sgc_pd_userspace("port constant is not a non-negative number");
        k->kop = SGC_KOP_NUM_CMP;
        k->cmp = a->op;
        return sock_kernel(pd, k);
    case SGC_OP_IN:
        if (a->nvals > SGC_KSOCK_MAX_ITEMS) return sock_too_many();
        k->kop = SGC_KOP_NUM_IN;
        k->nums = calloc((size_t)a->nvals + 1, sizeof *k->nums);
        if (!k->nums) abort();
        for (int i = 0; i < a->nvals; i++) {
            if (!sgc_pd_parse_int(a->vals[i], &k->nums[k->nnums]) || k->nums[k->nnums] < 0) {
                free(k->nums);
                k->nums = NULL;
                return sgc_pd_userspace("port list item is not a non-negative number");
            }
            k->nnums++;
        }
        return sock_kernel(pd, k);
    default: return sgc_pd_userspace("operator not decided on ports in the kernel");
    }
}

/* ---- addresses and networks ---------------------------------------------------- */

/* An address or network constant as runtime/eval/ops.c parse_ip reads it:
 * family << 8 | prefix bits, then the address bytes 0-7 and 8-15. */
static bool parse_cidr(const char *s, int64_t out[3])
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen >= sizeof buf) return false;
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    unsigned char addr[16] = {0};
    int fam;
    if (inet_pton(AF_INET, buf, addr) == 1)
        fam = 4;
    else if (inet_pton(AF_INET6, buf, addr) == 1)
        fam = 6;
    else
        return false;
    int64_t bits = fam == 4 ? 32 : 128;
    if (slash && (!sgc_pd_parse_int(slash + 1, &bits) || bits < 0 || bits > (fam == 4 ? 32 : 128)))
        return false;
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; i++) {
        hi = hi << 8 | addr[i];
        lo = lo << 8 | addr[8 + i];
    }
    out[0] = (int64_t)fam << 8 | bits;
    out[1] = (int64_t)hi;
    out[2] = (int64_t)lo;
    return true;
}

static sgc_pd_verdict address(sgc_pushdown *pd, const sgc_ir_atom *a, sgc_katom *k)
{
    if (a->op != SGC_OP_EQ && a->op != SGC_OP_NE && a->op != SGC_OP_IN)
        return sgc_pd_userspace("operator not decided on addresses in the kernel");
    if (a->op != SGC_OP_IN && (a->nvals != 1 || a->rhs_is_list))
        return sgc_pd_userspace("bad constant");
    /* any number: more than SGC_KSOCK_MAX_ITEMS are looked up in a map
     * (codegen_bpf_sock.c) */
    k->kop = SGC_KOP_CIDR;
    k->negate = a->op == SGC_OP_NE;
    k->nums = calloc((size_t)a->nvals * 3 + 1, sizeof *k->nums);
    if (!k->nums) abort();
    for (int i = 0; i < a->nvals; i++) {
        if (!parse_cidr(a->vals[i], &k->nums[k->nnums])) {
            free(k->nums);
            k->nums = NULL;
            return sgc_pd_userspace("not an IP address or network");
        }
        k->nnums += 3;
    }
    return sock_kernel(pd, k);
}

/* ---- the dispatcher -------------------------------------------------------------- */

/* The end a field name's last letter names: "fd.sport" -> server. */
static int end_of(const char *f)
{
    switch (f[3]) {
    case 'c': return SGC_KSE_CLIENT;
    case 's': return SGC_KSE_SERVER;
    case 'l': return SGC_KSE_LOCAL;
    default: return SGC_KSE_REMOTE;
    }
}

static bool is_one_of(const char *f, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(f, *names)) return true;
    return false;
}

bool sgc_pd_classify_sock(sgc_pushdown *pd, const sgc_ir_atom *a, int nr, sgc_pd_verdict *out)
{
    static const char *const ports[] = {"fd.cport", "fd.sport", "fd.lport", "fd.rport", NULL};
    static const char *const ips[] = {"fd.cip",  "fd.sip",  "fd.lip",  "fd.rip", "fd.cnet",
                                      "fd.snet", "fd.lnet", "fd.rnet", NULL};
    static const char *const all[] = {"fd.typechar",   "fd.type",      "fd.l4proto",
                                      "fd.sockfamily", "fd.connected", "fd.name_changed",
                                      "fd.ip",         "fd.net",       NULL};
    const char *f = a->field;
    if (!f || a->arg || (!is_one_of(f, ports) && !is_one_of(f, ips) && !is_one_of(f, all)))
        return false;
    if (!sgc_pd_is_sock_syscall(nr)) {
        if (!strcmp(f, "fd.typechar")) return false; /* the open family's, elsewhere */
        *out = sgc_pd_userspace("socket fields are decided in the kernel on connect, accept, bind, "
                                "listen, sendto and sendmsg only");
        return true;
    }
    sgc_katom k = {.src = SGC_KV_SOCK, .width = 64, .is_signed = true, .flags_idx = -1};
    if (is_one_of(f, ports)) {
        k.idx = SGC_KS_PORT;
        k.sock_end = end_of(f);
        *out = port(pd, a, &k);
    } else if (is_one_of(f, ips) || !strcmp(f, "fd.ip") || !strcmp(f, "fd.net")) {
        k.idx = SGC_KS_IP;
        k.sock_end = is_one_of(f, ips) ? end_of(f) : SGC_KSE_EITHER0;
        *out = address(pd, a, &k);
    } else if (!strcmp(f, "fd.typechar")) {
        k.idx = SGC_KS_TYPECHAR;
        *out = string_codes(pd, a, &k, typechar_code);
    } else if (!strcmp(f, "fd.type")) {
        k.idx = SGC_KS_TYPECHAR;
        *out = string_codes(pd, a, &k, type_code);
    } else if (!strcmp(f, "fd.l4proto")) {
        k.idx = SGC_KS_L4PROTO;
        *out = string_codes(pd, a, &k, l4proto_code);
    } else if (!strcmp(f, "fd.sockfamily")) {
        k.idx = SGC_KS_SOCKFAMILY;
        *out = string_codes(pd, a, &k, sockfamily_code);
    } else {
        k.idx = !strcmp(f, "fd.connected") ? SGC_KS_CONNECTED : SGC_KS_NAME_CHANGED;
        *out = boolean(pd, a, &k);
    }
    return true;
}
