/* A fake HTTP server on a unix socket for the client tests: a thread that
 * accepts connections one by one, reads the request head, and hands it to a
 * handler that writes (or withholds) the response. Header-only; include in
 * one test file. */
#ifndef SGC_FAKE_HTTP_SERVER_H
#define SGC_FAKE_HTTP_SERVER_H

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

typedef struct fake_server fake_server;
/* Respond to one request (its head, NUL-terminated) on fd. */
typedef void (*fake_handler)(fake_server *s, int fd, const char *request);

struct fake_server {
    char dir[64], path[128];
    int lfd;
    pthread_t thread;
    atomic_bool stop;
    atomic_int served;
    fake_handler handler;
    const void *data; /* for the handler */
    size_t piece;     /* write the response in pieces of this many bytes (0: at once) */
};

static inline void fake_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Write all of buf, in s->piece-sized pieces with a pause between them, so
 * the client sees a response spread over many reads. */
static inline void fake_write(fake_server *s, int fd, const char *buf, size_t n)
{
    size_t step = s->piece ? s->piece : n;
    while (n) {
        size_t k = n < step ? n : step;
        ssize_t w = send(fd, buf, k, MSG_NOSIGNAL);
        if (w <= 0) return;
        buf += w;
        n -= (size_t)w;
        if (s->piece && n) fake_sleep_ms(1);
    }
}

/* Keep a connection open without answering until the server stops. */
static inline void fake_hang(fake_server *s, int fd)
{
    while (!atomic_load(&s->stop)) fake_sleep_ms(5);
}

static inline void *fake_server_main(void *arg)
{
    fake_server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {.fd = s->lfd, .events = POLLIN};
        if (poll(&p, 1, 20) <= 0) continue;
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0) continue;
        char req[4096];
        size_t n = 0;
        while (n < sizeof req - 1) {
            ssize_t r = recv(fd, req + n, sizeof req - 1 - n, 0);
            if (r <= 0) break;
            n += (size_t)r;
            req[n] = '\0';
            if (strstr(req, "\r\n\r\n")) break;
        }
        req[n] = '\0';
        /* count before answering: the client may act on the answer (and the
         * test read the count) before this thread runs again */
        atomic_fetch_add(&s->served, 1);
        s->handler(s, fd, req);
        close(fd);
    }
    return NULL;
}

static inline fake_server *fake_server_start(fake_handler h, const void *data)
{
    fake_server *s = calloc(1, sizeof *s);
    strcpy(s->dir, "/tmp/sgc-fake-http-XXXXXX");
    if (!mkdtemp(s->dir)) {
        free(s);
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s/api.sock", s->dir);
    s->handler = h;
    s->data = data;
    s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, s->path);
    if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(s->lfd, 16) < 0 || pthread_create(&s->thread, NULL, fake_server_main, s)) {
        if (s->lfd >= 0) close(s->lfd);
        rmdir(s->dir);
        free(s);
        return NULL;
    }
    return s;
}

static inline void fake_server_stop(fake_server *s)
{
    if (!s) return;
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    close(s->lfd);
    unlink(s->path);
    rmdir(s->dir);
    free(s);
}

/* Handlers ---------------------------------------------------------------- */

/* Send s->data (a whole response, NUL-terminated) as is. */
static inline void fake_reply_raw(fake_server *s, int fd, const char *request)
{
    fake_write(s, fd, s->data, strlen(s->data));
}

static inline void fake_reply_hang(fake_server *s, int fd, const char *request)
{
    fake_hang(s, fd);
}

static inline void fake_reply_close(fake_server *s, int fd, const char *request) {}

static inline int64_t fake_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
