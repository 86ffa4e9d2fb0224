/* Parsing a struct sockaddr from the record and rendering an endpoint the way
 * Falco does. Shared by evt_args.c (evt.arg.addr, evt.arg.tuple) and
 * fields_fd.c (fd.name, fd.sip, ...). */
#ifndef SGC_SOCKADDR_H
#define SGC_SOCKADDR_H

#include "arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_sockaddr_view {
    int family; /* AF_INET, AF_INET6, AF_UNIX, 0 = unknown */
    uint8_t addr[16];
    uint16_t port;    /* host order */
    const char *path; /* AF_UNIX: points into the parsed bytes */
    size_t path_len;
} sgc_sockaddr_view;

/* False when p[0..len) is not a sockaddr of a known family. */
bool sgc_sockaddr_parse(const uint8_t *p, size_t len, sgc_sockaddr_view *out);
/* "1.2.3.4:80", "::1:80": an arena string, its length in *len; NULL on OOM. */
const char *sgc_render_endpoint(sgc_arena *a, int family, const uint8_t *addr, uint16_t port,
                                size_t *len);

#endif
