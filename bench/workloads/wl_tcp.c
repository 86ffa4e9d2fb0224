/* Workload 3: TCP connect/accept/close on loopback in a loop (one process:
 * a listening socket, a blocking connect that the backlog completes, accept,
 * close both). The client closes last with SO_LINGER 0 so no TIME_WAIT
 * sockets pile up and exhaust the ephemeral ports.
 * Usage: wl_tcp [-n N | -d S] */
#include "wl_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
    wl_args a = wl_parse(argc, argv, "");
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 128) ||
        getsockname(ls, (struct sockaddr *)&sa, &sl)) {
        perror("wl_tcp: listen");
        return 1;
    }
    struct linger lg = {1, 0};
    wl_state s = wl_start(a);
    while (wl_more(&s, 64)) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof sa)) {
            perror("wl_tcp: connect");
            return 1;
        }
        int x = accept(ls, NULL, NULL);
        if (x < 0) {
            perror("wl_tcp: accept");
            return 1;
        }
        close(x);
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(c);
        s.done++;
    }
    close(ls);
    return wl_report(&s);
}
