/* Socket fields for the generated filter (included by it when a socket
 * atom survives: SGC_F_SOCK). The values are computed from the record's
 * socket tuple and socket address blobs, which the capture builds before
 * the filter runs in that case (capture_sockfilter.h), exactly as
 * runtime/eval/fields_fd.c sgc_fd_resolve() computes them from the same
 * blobs: the role of each end (accept, bind and listen: the local end is
 * the server; connect: the client; sendto/sendmsg: the end on a port below
 * 1024 facing one at or above it), server sockets (bind/listen with no
 * peer), IPv4-mapped IPv6 tuples reported as IPv4. UNKNOWN where it does not
 * follow: no tuple, a failed accept, the local address of a bind (which
 * the evaluator may take from the argument). fd.name of these syscalls and
 * evt.arg.tuple are compared as renderings of the tuple's ends
 * (sgc_f_sock_ep_is, compiler/pushdown/pushdown_sockname.c).
 * tests/support/pushdown_eval.c and pushdown_eval_sock.c are the reference
 * it is tested against. BPF side only. */
#ifndef SGC_FILTER_SOCK_H
#define SGC_FILTER_SOCK_H

#include "sgc_sockview.h"

/* x86_64 syscall numbers */
#define SGC_FS_NR_CONNECT  42
#define SGC_FS_NR_ACCEPT   43
#define SGC_FS_NR_SENDTO   44
#define SGC_FS_NR_SENDMSG  46
#define SGC_FS_NR_BIND     49
#define SGC_FS_NR_LISTEN   50
#define SGC_FS_NR_ACCEPT4  288
#define SGC_FS_EINPROGRESS 115

/* roles (fields_fd.c fd_class) */
#define SGC_FS_CONNECT 1
#define SGC_FS_ACCEPT  2
#define SGC_FS_SERVER  3
#define SGC_FS_SENDTO  4

/* The socket workspace, after the filter's own in the scratch path buffer.
 * Input (sgc_sock_prefill of capture_sockfilter.h before the filter, or
 * sgc_f_sock_from_blobs for a prepared record): have_sa, have_tuple, raw,
 * what the record's SGC_BLOB_SOCKADDR and SGC_BLOB_SOCKTUPLE are (present,
 * and the tuple). The view of the event is computed from them once per
 * filter pass (the generated dispatch clears `loaded`). */
struct sgc_fsock {
    __u8 have_sa;
    __u8 have_tuple;
    __u8 loaded;
    __u8 known;     /* the view follows the evaluator's */
    __u8 addr_ok;   /* addresses and ports too (not a bind of a server socket) */
    __u8 tc;        /* fd.typechar */
    __u8 l4;        /* SGC_KSL_* */
    __u8 inet;      /* AF_INET or AF_INET6 (after the IPv4-mapped rewrite) */
    __u8 fam;       /* 4 or 6 */
    __u8 servsock;  /* bound or listening, no peer */
    __u8 srv_local; /* the server is the local end */
    __u8 connected;
    __u8 name_changed;
    __u8 _pad[3];
    __u8 sa_fault;            /* the address argument's read faulted */
    __u16 sa_len;             /* its bytes in sa (0 when it faulted) */
    __u8 sa[128];             /* SGC_F_SOCKADDR: the address argument as the record carries it */
    struct sgc_socktuple raw; /* as the record carries it */
    struct sgc_socktuple t;   /* IPv4-mapped IPv6 rewritten */
    __u64 cur_hi, cur_lo;     /* the address of the last SGC_KS_IP asked for */
};

_Static_assert(sizeof(struct sgc_fscratch) + sizeof(struct sgc_fsock) <=
                   sizeof(((struct sgc_scratch *)0)->path),
               "the socket view must fit after the filter workspace");

static __always_inline struct sgc_fsock *sgc_f_sk(struct sgc_scratch *s)
{
    return (struct sgc_fsock *)(s->path + sizeof(struct sgc_fscratch));
}

static __always_inline __u8 sgc_f_sock_typechar(__u16 fam)
{
    return fam == 2 ? '4' : fam == 10 ? '6' : fam == 1 ? 'u' : fam == 16 ? 'n' : 'o';
}

static __always_inline __u64 sgc_f_be64(const __u8 *p)
{
    __u64 v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

/* The input from a prepared record's blobs (nblobs of them): the test
 * entry of capture.bpf.c, where no capture ran. */
__noinline int sgc_f_sock_from_blobs(struct sgc_scratch *s, __u32 nblobs)
{
    if (!s) return 0;
    struct sgc_fsock *sk = sgc_f_sk(s);
    sk->have_sa = 0;
    sk->have_tuple = 0;
    __u32 off = sizeof(struct sgc_event_hdr) + SGC_CAND_WORDS * 8;
    for (int i = 0; i < SGC_F_MAX_BLOBS; i++) {
        struct sgc_blob_hdr bh;
        if (!sgc_f_blob_at(s, i, nblobs, &off, &bh)) break;
        if (bh.tag == SGC_BLOB_SOCKADDR) {
            __u32 n = bh.len > sizeof(sk->sa) ? sizeof(sk->sa) : bh.len;
            sk->have_sa = 1;
            sk->sa_len = 0;
            if (n && bpf_probe_read_kernel(sk->sa, n & 0xff, s->rec + off + sizeof(bh)) == 0)
                sk->sa_len = (__u16)n;
        }
        if (bh.tag == SGC_BLOB_SOCKTUPLE && bh.len >= sizeof(struct sgc_socktuple) &&
            bpf_probe_read_kernel(&sk->raw, sizeof(sk->raw), s->rec + off + sizeof(bh)) == 0)
            sk->have_tuple = 1;
        off += sizeof(struct sgc_blob_hdr) + ((bh.len + 7u) & ~7u);
    }
    return 0;
}

/* Compute the view of the event from the input. */
__noinline int sgc_f_sock_load(struct sgc_scratch *s)
{
    if (!s) return 0;
    struct sgc_fsock *sk = sgc_f_sk(s);
    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;
    sk->loaded = 1;
    sk->known = 0;
    sk->addr_ok = 0;
    __u32 nr = h->nr;
    int c = nr == SGC_FS_NR_CONNECT                             ? SGC_FS_CONNECT
            : nr == SGC_FS_NR_ACCEPT || nr == SGC_FS_NR_ACCEPT4 ? SGC_FS_ACCEPT
            : nr == SGC_FS_NR_BIND || nr == SGC_FS_NR_LISTEN    ? SGC_FS_SERVER
            : nr == SGC_FS_NR_SENDTO || nr == SGC_FS_NR_SENDMSG ? SGC_FS_SENDTO
                                                                : 0;
    if (!c) return 0;
    if (c == SGC_FS_ACCEPT && h->ret < 0) return 0; /* the evaluator guesses an IPv4 socket */
    if (!sk->have_tuple) return 0;
    int have_sa = sk->have_sa;
    __builtin_memcpy(&sk->t, &sk->raw, sizeof(sk->t));

    struct sgc_socktuple *t = &sk->t;
    /* both ends IPv4-mapped: an IPv4 tuple */
    if (t->family == 10) {
        __u64 lh = sgc_f_be64(t->laddr), rh = sgc_f_be64(t->raddr);
        __u32 lm = (__u32)t->laddr[8] << 24 | (__u32)t->laddr[9] << 16 | (__u32)t->laddr[10] << 8 |
                   t->laddr[11];
        __u32 rm = (__u32)t->raddr[8] << 24 | (__u32)t->raddr[9] << 16 | (__u32)t->raddr[10] << 8 |
                   t->raddr[11];
        if (lh == 0 && rh == 0 && lm == 0xffff && rm == 0xffff) {
            for (int i = 0; i < 4; i++) {
                t->laddr[i] = t->laddr[12 + i];
                t->raddr[i] = t->raddr[12 + i];
            }
            for (int i = 4; i < 16; i++) {
                t->laddr[i] = 0;
                t->raddr[i] = 0;
            }
            t->family = 2;
        }
    }
    sk->tc = sgc_f_sock_typechar(t->family);
    sk->inet = t->family == 2 || t->family == 10;
    sk->fam = t->family == 10 ? 6 : 4;
    __u8 proto = sk->inet ? (__u8)t->proto : 0;
    sk->l4 = proto == 6                  ? SGC_KSL_TCP
             : proto == 17               ? SGC_KSL_UDP
             : proto == 1 || proto == 58 ? SGC_KSL_ICMP
             : proto == 255              ? SGC_KSL_RAW
                                         : SGC_KSL_NA;
    sk->servsock = 0;
    sk->srv_local = c == SGC_FS_ACCEPT || c == SGC_FS_SERVER;
    sk->connected = c == SGC_FS_ACCEPT ||
                    (c == SGC_FS_CONNECT && (h->ret >= 0 || h->ret == -SGC_FS_EINPROGRESS));
    sk->name_changed = c == SGC_FS_CONNECT || nr == SGC_FS_NR_BIND;
    sk->addr_ok = 1;
    if (sk->inet) {
        if (c == SGC_FS_SENDTO) {
            sk->srv_local = t->lport < 1024 && t->rport >= 1024;
            sk->connected = t->rport != 0;
        }
        if (c == SGC_FS_SERVER && t->rport == 0 && sgc_f_be64(t->raddr) == 0 &&
            sgc_f_be64(t->raddr + 8) == 0) {
            sk->servsock = 1;
            sk->srv_local = 1;
            sk->connected = 0;
            /* bind names a server socket after its argument */
            if (nr == SGC_FS_NR_BIND && have_sa) sk->addr_ok = 0;
        }
    }
    if (c == SGC_FS_SENDTO && have_sa) {
        sk->name_changed = 1;
        sk->connected = 0;
    }
    sk->known = 1;
    return 1;
}

/* The value of field (SGC_KS_*) at end (SGC_KSE_*), or SGC_KSV_UNKNOWN /
 * SGC_KSV_ABSENT. For SGC_KS_IP the address is kept in cur_hi/cur_lo. */
__noinline long sgc_f_sock_val(struct sgc_scratch *s, int field, int end)
{
    if (!s) return SGC_KSV_UNKNOWN;
    struct sgc_fsock *sk = sgc_f_sk(s);
    if (!sk->loaded) sgc_f_sock_load(s);
    if (field == SGC_KS_ADDR) { /* sockaddr.c sgc_sockaddr_parse */
        if (!sk->have_sa || sk->sa_len < 2) return SGC_KSV_ABSENT;
        __u16 fam = (__u16)(sk->sa[0] | sk->sa[1] << 8);
        if ((fam == 2 && sk->sa_len >= 16) || (fam == 10 && sk->sa_len >= 28)) return SGC_KSN_SA;
        return fam == 1 ? SGC_KSV_UNKNOWN : SGC_KSV_ABSENT;
    }
    if (field == SGC_KS_TUPLE) /* the tuple as read, whatever the syscall's role */
        return sk->have_tuple && (sk->raw.family == 2 || sk->raw.family == 10) ? SGC_KSN_RAW
                                                                               : SGC_KSV_ABSENT;
    if (!sk->known) return SGC_KSV_UNKNOWN;
    switch (field) {
    case SGC_KS_TYPECHAR: return sk->tc;
    case SGC_KS_L4PROTO: return sk->l4;
    case SGC_KS_SOCKFAMILY:
        return sk->tc == '4' || sk->tc == '6' ? 1 : sk->tc == 'u' ? 2 : SGC_KSV_ABSENT;
    case SGC_KS_CONNECTED: return sk->connected;
    case SGC_KS_NAME_CHANGED: return sk->name_changed;
    case SGC_KS_NAME:
        /* another family: the address argument's path, or none (these
         * syscalls carry no fd path, schema/bpf_syscalls.c) */
        if (!sk->inet) return sk->have_sa ? SGC_KSV_UNKNOWN : SGC_KSV_ABSENT;
        if (!sk->addr_ok) return SGC_KSV_UNKNOWN;
        return sk->servsock ? SGC_KSN_ONE : SGC_KSN_PAIR;
    default: break;
    }
    if (!sk->inet) return SGC_KSV_ABSENT;
    if (!sk->addr_ok) return SGC_KSV_UNKNOWN;
    int local;
    if (end == SGC_KSE_EITHER0) { /* the client, or a server socket's own address */
        local = sk->servsock ? 1 : !sk->srv_local;
    } else if (end == SGC_KSE_EITHER1) {
        if (sk->servsock) return SGC_KSV_ABSENT;
        local = sk->srv_local;
    } else {
        /* a server socket has no client or remote end */
        if (sk->servsock && end != SGC_KSE_SERVER && end != SGC_KSE_LOCAL) return SGC_KSV_ABSENT;
        local = end == SGC_KSE_LOCAL    ? 1
                : end == SGC_KSE_REMOTE ? 0
                : end == SGC_KSE_SERVER ? sk->srv_local
                                        : !sk->srv_local;
    }
    if (field == SGC_KS_PORT) return local ? sk->t.lport : sk->t.rport;
    const __u8 *a = local ? sk->t.laddr : sk->t.raddr;
    sk->cur_hi = sgc_f_be64(a);
    sk->cur_lo = sgc_f_be64(a + 8);
    return sk->fam;
}

/* Whether an end of the name or tuple (SGC_KS_NAME, SGC_KS_TUPLE) renders
 * as the constant's: key = end (SGC_KSE_CLIENT, _SERVER, _LOCAL of the
 * view, _RAWLOCAL, _RAWREMOTE of the tuple as read) << 24 | family (4 or
 * 6) << 16 | port; hi, lo: the address's bytes 0-7 and 8-15 (an IPv4
 * address is its first 4 bytes, the only ones rendered). */
__noinline int sgc_f_sock_ep_is(struct sgc_scratch *s, long key, __u64 hi, __u64 lo)
{
    if (!s) return 0;
    struct sgc_fsock *sk = sgc_f_sk(s);
    int end = (int)(key >> 24 & 0xff);
    if (end == SGC_KSE_SA) { /* struct sockaddr_in / sockaddr_in6 */
        int six = sk->sa[0] == 10;
        if ((six ? 6 : 4) != (key >> 16 & 0xff)) return 0;
        if ((__u32)(sk->sa[2] << 8 | sk->sa[3]) != (key & 0xffff)) return 0;
        if (!six) return sgc_f_be64(sk->sa + 4) >> 32 == hi >> 32;
        return sgc_f_be64(sk->sa + 8) == hi && sgc_f_be64(sk->sa + 16) == lo;
    }
    int raw = end == SGC_KSE_RAWLOCAL || end == SGC_KSE_RAWREMOTE;
    const struct sgc_socktuple *t = raw ? &sk->raw : &sk->t;
    int local = end == SGC_KSE_RAWLOCAL || end == SGC_KSE_LOCAL ||
                (end == SGC_KSE_SERVER && sk->srv_local) ||
                (end == SGC_KSE_CLIENT && !sk->srv_local);
    if ((t->family == 10 ? 6 : 4) != (key >> 16 & 0xff)) return 0;
    if ((local ? t->lport : t->rport) != (key & 0xffff)) return 0;
    const __u8 *a = local ? t->laddr : t->raddr;
    if (t->family != 10) return sgc_f_be64(a) >> 32 == hi >> 32;
    return sgc_f_be64(a) == hi && sgc_f_be64(a + 8) == lo;
}

/* Address and network lists of more than 16 items (codegen_bpf.h
 * SGC_FSET_ADDR_MAP): key data = the atom's id (big endian), the family
 * (4 or 6), the 16 address bytes; an item of b prefix bits is an entry of
 * 40 + b bits. Sized by the loader to the artifact's entries. */
#ifndef SGC_F_ADDR_ENTRIES
#define SGC_F_ADDR_ENTRIES 1
#endif
struct sgc_faddr_key {
    __u32 prefixlen;
    __u8 data[24]; /* id, family, address, 3 bytes of padding */
};
struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, SGC_F_ADDR_ENTRIES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct sgc_faddr_key);
    __type(value, __u8);
} sgc_fset_addr SEC(".maps");

/* Whether the address the last sgc_f_sock_val(.., SGC_KS_IP, ..) kept,
 * of family fam, is in the list of atom `id`: one lookup, whatever the
 * list's length. */
__noinline int sgc_f_addr_in(struct sgc_scratch *s, long fam, __u32 id)
{
    if (!s) return 0;
    struct sgc_fsock *sk = sgc_f_sk(s);
    struct sgc_faddr_key k = {.prefixlen = 8 * 21};
    __u32 be_id = bpf_htonl(id);
    __u64 hi = __builtin_bswap64(sk->cur_hi), lo = __builtin_bswap64(sk->cur_lo);
    __builtin_memcpy(k.data, &be_id, 4);
    k.data[4] = (__u8)fam;
    __builtin_memcpy(k.data + 5, &hi, 8);
    __builtin_memcpy(k.data + 13, &lo, 8);
    return bpf_map_lookup_elem(&sgc_fset_addr, &k) != (void *)0;
}

#endif
