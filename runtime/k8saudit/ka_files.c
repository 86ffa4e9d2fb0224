/* Following audit log files (JSON lines), as `tail -F` does: from the start
 * of the file (the k8saudit plugin reads a file whole), then what is
 * appended; when the path is replaced (log rotation: the old file renamed,
 * a new one created) the rest of the old file is read and the new one is
 * followed from its start; when the file shrinks (copytruncate) it is read
 * again from the start. A file that does not exist yet is waited for. One
 * thread per file, polling every POLL_MS. */
#include "ka_queue.h"
#include "ka_source.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define POLL_MS 100

typedef struct follower {
    const char *path;
    pthread_t th;
    bool started;
    struct sgc_ka_files *owner;
    int fd;
    dev_t dev;
    ino_t ino;
    off_t off;
    char *line; /* a partial line waiting for its newline */
    size_t len, cap;
    bool skipping; /* the current line is too long: drop it whole */
} follower;

struct sgc_ka_files {
    sgc_k8s_audit_config cfg;
    struct sgc_ka_queue *q;
    sgc_ka_counters *c;
    atomic_bool stop;
    follower *f;
    int n;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void one_line(follower *f, const char *p, size_t n)
{
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
    if (i == n) return;
    struct sgc_ka_files *o = f->owner;
    o->c->file_lines++;
    bool all;
    sgc_ka_intake(o->q, o->c, p + i, n - i, o->cfg.max_event_bytes, &all);
}

/* Split what was read into lines; keep the unfinished one. */
static void feed(follower *f, const char *buf, size_t n)
{
    struct sgc_ka_files *o = f->owner;
    while (n) {
        const char *nl = memchr(buf, '\n', n);
        size_t take = nl ? (size_t)(nl - buf) : n;
        if (!f->skipping) {
            if (f->len + take > o->cfg.max_batch_bytes) {
                f->skipping = true;
                f->len = 0;
                o->c->line_too_long++;
            } else {
                if (f->len + take + 1 > f->cap) {
                    size_t cap = f->cap ? f->cap : 65536;
                    while (cap < f->len + take + 1) cap *= 2;
                    char *nb = realloc(f->line, cap);
                    if (!nb) {
                        f->skipping = true;
                        f->len = 0;
                    } else {
                        f->line = nb;
                        f->cap = cap;
                    }
                }
                if (!f->skipping) {
                    memcpy(f->line + f->len, buf, take);
                    f->len += take;
                }
            }
        }
        if (!nl) return;
        if (!f->skipping) one_line(f, f->line, f->len);
        f->len = 0;
        f->skipping = false;
        buf += take + 1;
        n -= take + 1;
    }
}

/* Read all that is there now. */
static void drain(follower *f)
{
    char buf[65536];
    ssize_t r;
    while ((r = read(f->fd, buf, sizeof buf)) > 0) {
        f->off += r;
        feed(f, buf, (size_t)r);
    }
}

static bool open_path(follower *f)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return false;
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->off = 0;
    f->len = 0;
    f->skipping = false;
    return true;
}

static void *follow(void *arg)
{
    follower *f = arg;
    struct sgc_ka_files *o = f->owner;
    f->fd = -1;
    while (!atomic_load(&o->stop)) {
        if (f->fd < 0 && !open_path(f)) {
            sleep_ms(POLL_MS);
            continue;
        }
        drain(f);
        struct stat now, mine;
        bool replaced = stat(f->path, &now) == 0 && (now.st_dev != f->dev || now.st_ino != f->ino);
        if (replaced) {
            drain(f);                   /* what was written before the rename */
            if (f->len && !f->skipping) /* a last line without newline */
                one_line(f, f->line, f->len);
            close(f->fd);
            f->fd = -1;
            o->c->file_rotations++;
            continue;
        }
        if (fstat(f->fd, &mine) == 0 && mine.st_size < f->off) {
            lseek(f->fd, 0, SEEK_SET); /* truncated in place */
            f->off = 0;
            f->len = 0;
            o->c->file_rotations++;
            continue;
        }
        sleep_ms(POLL_MS);
    }
    if (f->fd >= 0) {
        drain(f);
        close(f->fd);
    }
    return NULL;
}

sgc_ka_files *sgc_ka_files_start(const sgc_k8s_audit_config *cfg, struct sgc_ka_queue *q,
                                 sgc_ka_counters *c, char *err, size_t errlen)
{
    sgc_ka_files *o = calloc(1, sizeof *o);
    if (!o || !(o->f = calloc((size_t)(cfg->nfiles ? cfg->nfiles : 1), sizeof *o->f))) {
        free(o);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    o->cfg = *cfg;
    o->q = q;
    o->c = c;
    atomic_init(&o->stop, false);
    for (int i = 0; i < cfg->nfiles; i++) {
        follower *f = &o->f[o->n];
        f->path = cfg->files[i];
        f->owner = o;
        if (pthread_create(&f->th, NULL, follow, f) != 0) {
            snprintf(err, errlen, "cannot start a thread to follow %s", f->path);
            sgc_ka_files_stop(o);
            return NULL;
        }
        f->started = true;
        o->n++;
    }
    return o;
}

void sgc_ka_files_stop(sgc_ka_files *o)
{
    if (!o) return;
    atomic_store(&o->stop, true);
    for (int i = 0; i < o->n; i++) {
        if (o->f[i].started) pthread_join(o->f[i].th, NULL);
        free(o->f[i].line);
    }
    free(o->f);
    free(o);
}
