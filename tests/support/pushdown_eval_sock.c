/* The reference of the kernel's socket atoms (bpf-templates/filter_sock.h):
 * the socket view of a decoded record, computed in C from its socket tuple
 * and socket address blobs, and the atoms over it. Part of the test oracle
 * of pushdown_eval.h. */
#include "pushdown_eval.h"
#include "decode.h"
#include "sgc_sockview.h"

#include <arpa/inet.h>
#include <asm/unistd_64.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

typedef struct view {
    bool inet, servsock, srv_local, connected, name_changed, addr_ok, have_sa;
    char tc;
    int l4, fam;
    struct sgc_socktuple t;
} view;

/* false: the kernel says UNKNOWN for every socket atom of this record */
static bool load(const sgc_evt *ev, view *v)
{
    const struct sgc_event_hdr *h = ev->hdr;
    memset(v, 0, sizeof *v);
    int nr = (int)h->nr;
    enum {
        NONE,
        CONNECT,
        ACCEPT,
        SERVER,
        SENDTO
    } c = nr == __NR_connect                        ? CONNECT
          : nr == __NR_accept || nr == __NR_accept4 ? ACCEPT
          : nr == __NR_bind || nr == __NR_listen    ? SERVER
          : nr == __NR_sendto || nr == __NR_sendmsg ? SENDTO
                                                    : NONE;
    if (c == NONE || (c == ACCEPT && h->ret < 0)) return false;
    const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_SOCKTUPLE);
    if (!b || b->len < sizeof v->t) return false;
    bool have_sa = v->have_sa = sgc_evt_blob(ev, SGC_BLOB_SOCKADDR) != NULL;
    memcpy(&v->t, b->p, sizeof v->t);
    struct sgc_socktuple *t = &v->t;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (t->family == AF_INET6 && !memcmp(t->laddr, mapped, 12) && !memcmp(t->raddr, mapped, 12)) {
        memmove(t->laddr, t->laddr + 12, 4);
        memmove(t->raddr, t->raddr + 12, 4);
        memset(t->laddr + 4, 0, 12);
        memset(t->raddr + 4, 0, 12);
        t->family = AF_INET;
    }
    v->tc = t->family == AF_INET    ? '4'
            : t->family == AF_INET6 ? '6'
            : t->family == AF_UNIX  ? 'u'
            : t->family == 16       ? 'n'
                                    : 'o';
    v->inet = t->family == AF_INET || t->family == AF_INET6;
    v->fam = t->family == AF_INET6 ? 6 : 4;
    uint8_t p = v->inet ? (uint8_t)t->proto : 0;
    v->l4 = p == 6              ? SGC_KSL_TCP
            : p == 17           ? SGC_KSL_UDP
            : p == 1 || p == 58 ? SGC_KSL_ICMP
            : p == 255          ? SGC_KSL_RAW
                                : SGC_KSL_NA;
    v->srv_local = c == ACCEPT || c == SERVER;
    v->connected = c == ACCEPT || (c == CONNECT && (h->ret >= 0 || h->ret == -EINPROGRESS));
    v->name_changed = c == CONNECT || nr == __NR_bind;
    v->addr_ok = true;
    static const uint8_t zero[16];
    if (v->inet) {
        if (c == SENDTO) {
            v->srv_local = t->lport < 1024 && t->rport >= 1024;
            v->connected = t->rport != 0;
        }
        if (c == SERVER && t->rport == 0 && !memcmp(t->raddr, zero, 16)) {
            v->servsock = v->srv_local = true;
            v->connected = false;
            if (nr == __NR_bind && have_sa) v->addr_ok = false;
        }
    }
    if (c == SENDTO && have_sa) {
        v->name_changed = true;
        v->connected = false;
    }
    return true;
}

/* The value of field at end (SGC_KSV_* when none); *addr: an address. */
static long value(const view *v, int field, int end, const uint8_t **addr)
{
    switch (field) {
    case SGC_KS_TYPECHAR: return v->tc;
    case SGC_KS_L4PROTO: return v->l4;
    case SGC_KS_SOCKFAMILY: return v->tc == '4' || v->tc == '6' ? 1 : v->tc == 'u' ? 2 : -1;
    case SGC_KS_CONNECTED: return v->connected;
    case SGC_KS_NAME_CHANGED: return v->name_changed;
    default: break;
    }
    if (!v->inet) return SGC_KSV_ABSENT;
    if (!v->addr_ok) return SGC_KSV_UNKNOWN;
    bool local;
    if (end == SGC_KSE_EITHER0) {
        local = v->servsock || !v->srv_local;
    } else if (end == SGC_KSE_EITHER1) {
        if (v->servsock) return SGC_KSV_ABSENT;
        local = v->srv_local;
    } else {
        if (v->servsock && end != SGC_KSE_SERVER && end != SGC_KSE_LOCAL) return SGC_KSV_ABSENT;
        local = end == SGC_KSE_LOCAL    ? true
                : end == SGC_KSE_REMOTE ? false
                : end == SGC_KSE_SERVER ? v->srv_local
                                        : !v->srv_local;
    }
    if (field == SGC_KS_PORT) return local ? v->t.lport : v->t.rport;
    *addr = local ? v->t.laddr : v->t.raddr;
    return v->fam;
}

/* The address (family fam) in one of k's networks, bit by bit. */
static bool in_cidrs(const sgc_katom *k, int fam, const uint8_t *a)
{
    for (int i = 0; i + 2 < k->nnums; i += 3) {
        int f = (int)(k->nums[i] >> 8), bits = (int)(k->nums[i] & 0xff);
        if (f != fam) continue;
        uint8_t net[16];
        for (int j = 0; j < 8; j++) {
            net[j] = (uint8_t)((uint64_t)k->nums[i + 1] >> (56 - 8 * j));
            net[8 + j] = (uint8_t)((uint64_t)k->nums[i + 2] >> (56 - 8 * j));
        }
        bool ok = true;
        for (int bit = 0; bit < bits && ok; bit++)
            ok = ((a[bit / 8] ^ net[bit / 8]) >> (7 - bit % 8) & 1) == 0;
        if (ok) return true;
    }
    return false;
}

/* ---- fd.name and evt.arg.tuple: rendered as strings, as the evaluator
 * does, and compared with the renderings of the atom's constants ---- */

static void render_end(char **p, int fam, const uint8_t *a, unsigned port)
{
    char buf[INET6_ADDRSTRLEN];
    if (!inet_ntop(fam == 6 ? AF_INET6 : AF_INET, a, buf, sizeof buf)) buf[0] = '\0';
    *p += sprintf(*p, "%s:%u", buf, port);
}

/* Constant i of k (pushdown.h SGC_KOP_SOCKNAME) as the string it stands for. */
static void render_const(const sgc_katom *k, int i, char *out)
{
    uint8_t a1[16], a2[16];
    for (int j = 0; j < 8; j++) {
        a1[j] = (uint8_t)((uint64_t)k->nums[i + 1] >> (56 - 8 * j));
        a1[8 + j] = (uint8_t)((uint64_t)k->nums[i + 2] >> (56 - 8 * j));
        a2[j] = (uint8_t)((uint64_t)k->nums[i + 3] >> (56 - 8 * j));
        a2[8 + j] = (uint8_t)((uint64_t)k->nums[i + 4] >> (56 - 8 * j));
    }
    int shape = (int)(k->nums[i] >> 8), fam = (int)(k->nums[i] & 0xff);
    unsigned ports = (unsigned)k->nums[i + 5];
    char *p = out;
    render_end(&p, fam, a1, ports >> 16);
    if (shape == SGC_KSN_ONE || shape == SGC_KSN_SA) return; /* one end */
    p += sprintf(p, "->");
    render_end(&p, fam, a2, ports & 0xffff);
}

/* The rendering s is one of k's constants of its shape. */
static sgc_kleene name_in(const sgc_katom *k, int shape, const char *s)
{
    bool r = false;
    char c[2 * (INET6_ADDRSTRLEN + 8) + 4];
    for (int i = 0; i + 5 < k->nnums && !r; i += 6) {
        if ((int)(k->nums[i] >> 8) != shape) continue;
        render_const(k, i, c);
        r = !strcmp(c, s);
    }
    return r != k->negate ? SGC_K_TRUE : SGC_K_FALSE;
}

static sgc_kleene name_eval(const sgc_katom *k, const sgc_evt *ev)
{
    char s[2 * (INET6_ADDRSTRLEN + 8) + 4], *p = s;
    if (k->idx == SGC_KS_ADDR) { /* evt_args.c render_sockaddr */
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_SOCKADDR);
        if (!b || b->len < 2) return SGC_K_FALSE;
        uint16_t fam;
        memcpy(&fam, b->p, 2);
        if (fam == AF_UNIX) return SGC_K_UNKNOWN; /* a path: any string */
        if (fam == AF_INET && b->len >= 16)
            render_end(&p, 4, b->p + 4, (unsigned)(b->p[2] << 8 | b->p[3]));
        else if (fam == AF_INET6 && b->len >= 28)
            render_end(&p, 6, b->p + 8, (unsigned)(b->p[2] << 8 | b->p[3]));
        else
            return SGC_K_FALSE;
        return name_in(k, SGC_KSN_SA, s);
    }
    if (k->idx == SGC_KS_TUPLE) { /* local->remote as read; absent when not IP */
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_SOCKTUPLE);
        struct sgc_socktuple t;
        if (!b || b->len < sizeof t) return SGC_K_FALSE;
        memcpy(&t, b->p, sizeof t);
        if (t.family != AF_INET && t.family != AF_INET6) return SGC_K_FALSE;
        int fam = t.family == AF_INET6 ? 6 : 4;
        render_end(&p, fam, t.laddr, t.lport);
        p += sprintf(p, "->");
        render_end(&p, fam, t.raddr, t.rport);
        return name_in(k, SGC_KSN_RAW, s);
    }
    view v;
    if (!load(ev, &v)) return SGC_K_UNKNOWN;
    /* another family: the address argument's path, or no name */
    if (!v.inet) return v.have_sa ? SGC_K_UNKNOWN : SGC_K_FALSE;
    if (!v.addr_ok) return SGC_K_UNKNOWN;
    const struct sgc_socktuple *t = &v.t;
    if (v.servsock) {
        render_end(&p, v.fam, t->laddr, t->lport);
        return name_in(k, SGC_KSN_ONE, s);
    }
    bool cl = !v.srv_local; /* the client is the local end */
    render_end(&p, v.fam, cl ? t->laddr : t->raddr, cl ? t->lport : t->rport);
    p += sprintf(p, "->");
    render_end(&p, v.fam, cl ? t->raddr : t->laddr, cl ? t->rport : t->lport);
    return name_in(k, SGC_KSN_PAIR, s);
}

sgc_kleene sgc_ksock_eval(const sgc_katom *k, const sgc_evt *ev)
{
    if (k->kop == SGC_KOP_SOCKNAME) return name_eval(k, ev);
    view v;
    if (!load(ev, &v)) return SGC_K_UNKNOWN;
    const uint8_t *a = NULL;
    long x = value(&v, k->idx, k->sock_end, &a);
    if (x == SGC_KSV_UNKNOWN) return SGC_K_UNKNOWN;
    if (x < 0) return SGC_K_FALSE;
    bool r = false;
    switch (k->kop) {
    case SGC_KOP_NUM_CMP:
        switch (k->cmp) {
        case SGC_OP_EQ: r = x == k->num; break;
        case SGC_OP_NE: r = x != k->num; break;
        case SGC_OP_LT: r = x < k->num; break;
        case SGC_OP_LE: r = x <= k->num; break;
        case SGC_OP_GT: r = x > k->num; break;
        case SGC_OP_GE: r = x >= k->num; break;
        default: return SGC_K_UNKNOWN;
        }
        break;
    case SGC_KOP_NUM_IN:
        for (int i = 0; i < k->nnums; i++) r |= x == k->nums[i];
        if (k->negate) r = !r;
        break;
    case SGC_KOP_CIDR:
        r = in_cidrs(k, (int)x, a);
        if (!r && k->sock_end == SGC_KSE_EITHER0) {
            long y = value(&v, k->idx, SGC_KSE_EITHER1, &a);
            if (y == SGC_KSV_UNKNOWN) return SGC_K_UNKNOWN;
            if (y >= 0) r = in_cidrs(k, (int)y, a);
        }
        if (k->negate) r = !r;
        break;
    default: return SGC_K_UNKNOWN;
    }
    return r ? SGC_K_TRUE : SGC_K_FALSE;
}
