/* Rendering one syscall argument the way Falco's evt.arg.NAME shows it
 * (flags as names joined with '|', errno names, user names, socket
 * addresses), and its raw value for evt.rawarg.NAME. */
#ifndef SGC_EVT_ARGS_H
#define SGC_EVT_ARGS_H

#include "extract.h"
#include "syscall_args.h"
#include <netinet/in.h>

/* evt.arg.NAME: a string (Falco's rendering). False when the record does not
 * carry the argument. */
bool sgc_evt_arg_render(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out);
/* evt.rawarg.NAME: integers as numbers, strings as strings. */
bool sgc_evt_arg_raw(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out);

/* Shared with fields_fd.c. */
typedef struct sgc_sockaddr_view {
    int family;               /* AF_INET, AF_INET6, AF_UNIX, 0 = unknown */
    uint8_t addr[16];
    uint16_t port;            /* host order */
    const char *path;         /* AF_UNIX */
    size_t path_len;
} sgc_sockaddr_view;
bool sgc_sockaddr_parse(const uint8_t *p, size_t len, sgc_sockaddr_view *out);
/* "1.2.3.4:80", "::1:80", a unix path. */
const char *sgc_render_endpoint(sgc_arena *a, int family, const uint8_t *addr, uint16_t port,
                                size_t *len);
/* Names of the bits set in v, joined by '|'; "0"-valued names only when v is 0.
 * Returns the arena string. */
const char *sgc_render_flagset(sgc_arena *a, int flagset, uint64_t v, size_t *len);
const char *sgc_render_open_flags(sgc_arena *a, uint64_t v, size_t *len);
const char *sgc_render_mode(sgc_arena *a, uint64_t v, size_t *len);

#endif
