/* The socket blobs of a syscall record (the socket address argument and the
 * fd's socket tuple). When a socket atom survives in the generated filter
 * (it defines SGC_F_SOCK and includes filter_sock.h), what those blobs will
 * hold is put in the filter's socket workspace before the filter runs
 * (sgc_sock_prefill: the tuple read once from the fd's struct sock, whether
 * an address argument is given), and the blobs of a record that passes are
 * written from it (sgc_sock_blobs): the filter sees exactly the values the
 * record carries. The record itself is not touched before the filter, which
 * keeps its offsets constant for the verifier. BPF side only. */
#ifndef SGC_CAPTURE_SOCKFILTER_H
#define SGC_CAPTURE_SOCKFILTER_H

#include "capture_sock.h"

#ifndef SGC_F_SOCK
#define SGC_F_SOCK 0
#endif
/* an atom reads the address argument (evt.arg.addr): read before the
 * filter, and the record's blob written from that copy */
#ifndef SGC_F_SOCKADDR
#define SGC_F_SOCKADDR 0
#endif

/* Before the filter: the socket workspace (filter_sock.h struct sgc_fsock). */
static __always_inline void sgc_sock_prefill(struct sgc_scratch *s,
                                             const struct sgc_syscall_spec *spec,
                                             struct task_struct *task)
{
#if SGC_F_SOCK
    struct sgc_fsock *in = sgc_f_sk(s);
    struct sgc_event_hdr *h = (struct sgc_event_hdr *)s->rec;
    __u8 sa = spec->sockaddr_arg;
    /* sgc_sock_blobs writes the address blob exactly then (the record,
     * header only on these syscalls, cannot be full there) */
    in->have_sa = sa < SGC_NARGS && spec->sockaddr_len_arg < SGC_NARGS && h->args[sa & 7];
    in->have_tuple = 0;
#if SGC_F_SOCKADDR
    in->sa_len = 0;
    in->sa_fault = 0;
    if (in->have_sa) {
        __u64 len = h->args[spec->sockaddr_len_arg & 7];
        if (len > sizeof(in->sa)) len = sizeof(in->sa);
        if (len && bpf_probe_read_user(in->sa, len, (const void *)h->args[sa & 7]) < 0)
            in->sa_fault = 1;
        else
            in->sa_len = (__u16)len;
    }
#endif
    __u64 fd;
    if (spec->sock_fd != SGC_SRC_NONE && sgc_src_fd(h, spec->sock_fd, &fd) == 0)
        in->have_tuple = sgc_sock_read_tuple(sgc_task_fd_file(task, fd), &in->raw) == 0;
#endif
}

/* After the filter, for a record that passes: SGC_BLOB_SOCKADDR from the
 * spec's address argument (at most sizeof(struct sockaddr_storage); the
 * prefilled copy with SGC_F_SOCKADDR),
 * SGC_BLOB_SOCKTUPLE of its socket fd (the prefilled one with SGC_F_SOCK). */
static __always_inline void sgc_sock_blobs(struct sgc_rec *r, const struct sgc_syscall_spec *spec,
                                           struct task_struct *task)
{
#if SGC_F_SOCKADDR
    struct sgc_fsock *sk = sgc_f_sk(r->s);
    if (sk->have_sa) { /* the filter's copy */
        struct sgc_blob_hdr *bh = sgc_blob_start(r);
        long n = sk->sa_fault ? -1 : sk->sa_len;
        if (bh && n > 0 && bpf_probe_read_kernel(bh + 1, n & 0xff, sk->sa) < 0) n = -1;
        if (bh) sgc_blob_finish(r, bh, SGC_BLOB_SOCKADDR, n, 0);
    }
#else
    struct sgc_event_hdr *h = r->hdr;
    __u8 sa = spec->sockaddr_arg;
    __u8 sl = spec->sockaddr_len_arg;
    if (sa < SGC_NARGS && sl < SGC_NARGS && h->args[sa & 7]) {
        __u64 len = h->args[sl & 7];
        if (len > 128) /* sizeof(struct sockaddr_storage) */
            len = 128;
        sgc_blob_user_buf(r, SGC_BLOB_SOCKADDR, (const void *)h->args[sa & 7], len);
    }
#endif
#if SGC_F_SOCK
    struct sgc_fsock *in = sgc_f_sk(r->s);
    if (in->have_tuple) sgc_blob_kernel_buf(r, SGC_BLOB_SOCKTUPLE, &in->raw, sizeof(in->raw), 0);
#else
    __u64 fd;
    if (spec->sock_fd != SGC_SRC_NONE && sgc_src_fd(r->hdr, spec->sock_fd, &fd) == 0)
        sgc_blob_socktuple(r, sgc_task_fd_file(task, fd));
#endif
}

#endif
