/* The socket fields the kernel filter decides, as numbers both sides share:
 * compiler/pushdown/pushdown_sock.c classifies the atoms, the generated
 * filter asks bpf-templates/filter_sock.h for a field's value, and
 * tests/support/pushdown_eval.c computes the same value as the reference.
 * The value is the one runtime/eval/fields_fd.c extracts from the record's
 * socket tuple (SGC_BLOB_SOCKTUPLE) and socket address (SGC_BLOB_SOCKADDR)
 * on connect, accept, accept4, bind, listen, sendto and sendmsg. */
#ifndef SGC_SOCKVIEW_H
#define SGC_SOCKVIEW_H

/* fields (the value returned for each) */
#define SGC_KS_TYPECHAR     0 /* fd.typechar / fd.type: the type character ('4', '6', 'u', ...) */
#define SGC_KS_L4PROTO      1 /* fd.l4proto: SGC_KSL_* */
#define SGC_KS_SOCKFAMILY   2 /* fd.sockfamily: 1 ip, 2 unix (absent otherwise) */
#define SGC_KS_CONNECTED    3 /* fd.connected: 0 or 1 */
#define SGC_KS_NAME_CHANGED 4 /* fd.name_changed: 0 or 1 */
#define SGC_KS_PORT         5 /* fd.[cslr]port of the end: the port */
#define SGC_KS_IP                                                                                  \
    6 /* fd.[cslr]ip/net of the end: the family (4 or 6); the address
                                 is kept for the CIDR test that follows */

/* fd.name (and fd.nameraw) of the socket syscalls, and evt.arg.tuple, as
 * renderings compared with constants (compiler/pushdown/pushdown_sockname.c):
 * the value is the shape of the string the evaluator renders, the
 * comparison then tests the tuple's ends (sgc_f_sock_ep_is).
 * SGC_KS_NAME: fd.name of an IPv4/IPv6 socket, SGC_KSN_PAIR or SGC_KSN_ONE;
 * absent when the event has none (another family, no address argument);
 * UNKNOWN when it comes from the address argument.
 * SGC_KS_TUPLE: evt.arg.tuple, SGC_KSN_RAW when the record's tuple is
 * AF_INET/AF_INET6, absent otherwise. */
#define SGC_KS_NAME  7
#define SGC_KS_TUPLE 8
/* SGC_KS_ADDR: evt.arg.addr of connect and bind (the address argument, read
 * before the filter: SGC_F_SOCKADDR), SGC_KSN_SA for an AF_INET/AF_INET6
 * address long enough, UNKNOWN for a unix one, absent otherwise. */
#define SGC_KS_ADDR  9
#define SGC_KSN_PAIR 1 /* "client->server" (runtime/eval/fields_fd.c name_from_tuple) */
#define SGC_KSN_ONE  2 /* "local": a server socket's own address */
#define SGC_KSN_RAW  3 /* "local->remote" of the tuple as read (evt_args.c render_tuple) */
#define SGC_KSN_SA   4 /* "address:port" of the address argument (evt_args.c render_sockaddr) */

/* ends: client, server, local, remote; EITHER0/EITHER1 are the two items of
 * fd.ip / fd.net (the client's, or a server socket's own address; the
 * server's, absent for a server socket) */
#define SGC_KSE_CLIENT    0
#define SGC_KSE_SERVER    1
#define SGC_KSE_LOCAL     2
#define SGC_KSE_REMOTE    3
#define SGC_KSE_EITHER0   4
#define SGC_KSE_EITHER1   5
/* evt.arg.tuple's ends: the tuple as read, before the IPv4-mapped rewrite */
#define SGC_KSE_RAWLOCAL  6
#define SGC_KSE_RAWREMOTE 7
/* evt.arg.addr's one end: the address argument */
#define SGC_KSE_SA        8

/* fd.l4proto's strings */
#define SGC_KSL_TCP  1
#define SGC_KSL_UDP  2
#define SGC_KSL_ICMP 3
#define SGC_KSL_RAW  4
#define SGC_KSL_NA   5 /* "<NA>": not an IP socket, or an unknown protocol */

/* special values: the kernel cannot tell (UNKNOWN), the field has no value
 * on this event (every comparison is false, as in the evaluator) */
#define SGC_KSV_UNKNOWN (-2)
#define SGC_KSV_ABSENT  (-1)

#endif
