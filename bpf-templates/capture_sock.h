/* The socket tuple (family, protocol, local/remote address and port) of an
 * fd, read from struct sock behind the file. BPF side only. */
#ifndef SGC_CAPTURE_SOCK_H
#define SGC_CAPTURE_SOCK_H

#include "capture_path.h"

#define SGC_S_IFMT   00170000
#define SGC_S_IFSOCK 0140000
#define SGC_AF_UNIX  1
#define SGC_AF_INET  2
#define SGC_AF_INET6 10

/* Is `file` a socket? */
static __always_inline int sgc_file_is_sock(struct file *file)
{
    umode_t mode = BPF_CORE_READ(file, f_inode, i_mode);
    return (mode & SGC_S_IFMT) == SGC_S_IFSOCK;
}

/* The socket tuple of `file` into *st (zeroed first): 0, or -1 when it is
 * not a socket (st untouched). */
static __always_inline int sgc_sock_read_tuple(struct file *file, struct sgc_socktuple *st)
{
    if (!file) return -1;
    umode_t mode = BPF_CORE_READ(file, f_inode, i_mode);
    if ((mode & SGC_S_IFMT) != SGC_S_IFSOCK) return -1;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    struct sock *sk = BPF_CORE_READ(sock, sk);
    if (!sk) return -1;
    __builtin_memset(st, 0, sizeof(*st));
    st->family = BPF_CORE_READ(sk, __sk_common.skc_family);
    st->proto = BPF_CORE_READ(sk, sk_protocol);
    if (st->family == SGC_AF_INET) {
        bpf_core_read(st->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
        bpf_core_read(st->raddr, 4, &sk->__sk_common.skc_daddr);
    } else if (st->family == SGC_AF_INET6) {
        bpf_core_read(st->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
        bpf_core_read(st->raddr, 16, &sk->__sk_common.skc_v6_daddr);
    }
    if (st->family == SGC_AF_INET || st->family == SGC_AF_INET6) {
        st->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
        st->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    }
    return 0;
}

/* Emit a SGC_BLOB_SOCKTUPLE for `file` if it is a socket. */
static __always_inline void sgc_blob_socktuple(struct sgc_rec *r, struct file *file)
{
    if (!file || !sgc_file_is_sock(file)) return;
    struct sgc_blob_hdr *bh = sgc_blob_start(r);
    if (!bh) return;
    if (sgc_sock_read_tuple(file, (void *)(bh + 1)) < 0) return;
    sgc_blob_finish(r, bh, SGC_BLOB_SOCKTUPLE, sizeof(struct sgc_socktuple), 0);
}

#endif
