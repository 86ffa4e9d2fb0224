/* Socket addresses as the record carries them (a struct sockaddr copied by
 * the kernel) and as Falco renders them ("1.2.3.4:80", "::1:80", a unix path,
 * '@' for abstract sockets): used by evt.arg.* and by the fd.* fields. */
#include "sockaddr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

bool sgc_sockaddr_parse(const uint8_t *p, size_t len, sgc_sockaddr_view *out)
{
    memset(out, 0, sizeof *out);
    if (len < sizeof(uint16_t)) return false;
    uint16_t fam;
    memcpy(&fam, p, sizeof fam);
    if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in sin;
        memcpy(&sin, p, sizeof sin);
        out->family = AF_INET;
        memcpy(out->addr, &sin.sin_addr, 4);
        out->port = ntohs(sin.sin_port);
        return true;
    }
    if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, p, sizeof sin6);
        out->family = AF_INET6;
        memcpy(out->addr, &sin6.sin6_addr, 16);
        out->port = ntohs(sin6.sin6_port);
        return true;
    }
    if (fam == AF_UNIX) {
        out->family = AF_UNIX;
        const char *path = (const char *)p + sizeof(uint16_t);
        size_t max = len - sizeof(uint16_t);
        /* Abstract sockets start with a NUL; Falco shows them with '@'. */
        out->path = path;
        if (max && path[0] == '\0') {
            const char *nul = memchr(path + 1, '\0', max - 1);
            out->path_len = nul ? (size_t)(nul - path) : max;
        } else {
            const char *nul = memchr(path, '\0', max);
            out->path_len = nul ? (size_t)(nul - path) : max;
        }
        return true;
    }
    return false;
}

const char *sgc_render_endpoint(sgc_arena *a, int family, const uint8_t *addr, uint16_t port,
                                size_t *len)
{
    /* Hot on network events: no printf. */
    char *buf = sgc_arena_alloc(a, INET6_ADDRSTRLEN + 8);
    if (!buf) return NULL;
    size_t n = 0;
    if (family == AF_INET) {
        for (int i = 0; i < 4; i++) {
            unsigned b = addr[i];
            if (i) buf[n++] = '.';
            if (b >= 100) buf[n++] = (char)('0' + b / 100);
            if (b >= 10) buf[n++] = (char)('0' + b / 10 % 10);
            buf[n++] = (char)('0' + b % 10);
        }
    } else {
        if (!inet_ntop(family, addr, buf, INET6_ADDRSTRLEN)) return NULL;
        n = strlen(buf);
    }
    buf[n++] = ':';
    char digits[6];
    int k = 0;
    do {
        digits[k++] = (char)('0' + port % 10);
        port /= 10;
    } while (port);
    while (k) buf[n++] = digits[--k];
    buf[n] = '\0';
    *len = n;
    return buf;
}
