/* See run_watch.h. */
#include "run_watch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define WATCH_EVENTS                                                                               \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

typedef struct watched_dir {
    int wd;
    char *path;
    bool rules_dir; /* any .yaml/.yml file in it counts */
} watched_dir;

struct run_watch {
    int fd;
    watched_dir *dirs;
    int ndirs;
    char **files; /* full paths as given */
    int nfiles;
    uint64_t last_change_ms; /* 0: nothing pending */
};

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static int add_dir(run_watch *w, char *path, bool rules_dir)
{
    for (int i = 0; i < w->ndirs; i++)
        if (!strcmp(w->dirs[i].path, path)) {
            w->dirs[i].rules_dir |= rules_dir;
            free(path);
            return 0;
        }
    watched_dir *v = realloc(w->dirs, ((size_t)w->ndirs + 1) * sizeof *v);
    if (!v) {
        free(path);
        return -1;
    }
    w->dirs = v;
    int wd = inotify_add_watch(w->fd, path, WATCH_EVENTS);
    if (wd < 0) { /* a directory that is gone: nothing to watch there */
        free(path);
        return 0;
    }
    w->dirs[w->ndirs++] = (watched_dir){wd, path, rules_dir};
    return 0;
}

run_watch *run_watch_new(const char *const *files, int nfiles, const char *const *dirs, int ndirs,
                         char *err, size_t errlen)
{
    run_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        snprintf(err, errlen, "inotify: %s", strerror(errno));
        free(w);
        return NULL;
    }
    w->files = calloc((size_t)nfiles + 1, sizeof *w->files);
    for (int i = 0; w->files && i < nfiles; i++) {
        w->files[w->nfiles] = strdup(files[i]);
        if (w->files[w->nfiles]) w->nfiles++;
        char *d = dir_of(files[i]);
        if (d) add_dir(w, d, false);
    }
    for (int i = 0; i < ndirs; i++) {
        char *d = strdup(dirs[i]);
        if (d) add_dir(w, d, true);
    }
    return w;
}

void run_watch_free(run_watch *w)
{
    if (!w) return;
    close(w->fd);
    for (int i = 0; i < w->ndirs; i++) free(w->dirs[i].path);
    for (int i = 0; i < w->nfiles; i++) free(w->files[i]);
    free(w->dirs);
    free(w->files);
    free(w);
}

static bool is_yaml(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* Does this notification concern a watched file? */
static bool concerns(const run_watch *w, const struct inotify_event *e)
{
    if (!e->len) return false;
    for (int i = 0; i < w->ndirs; i++) {
        if (w->dirs[i].wd != e->wd) continue;
        /* a Kubernetes ConfigMap volume: its files are symlinks through
         * "..data", which the kubelet swaps atomically on an update */
        if (!strcmp(e->name, "..data")) return true;
        if (w->dirs[i].rules_dir && is_yaml(e->name)) return true;
        char full[PATH_MAX];
        snprintf(full, sizeof full, "%s/%s", w->dirs[i].path, e->name);
        for (int f = 0; f < w->nfiles; f++) {
            const char *base = strrchr(w->files[f], '/');
            base = base ? base + 1 : w->files[f];
            char *d = dir_of(w->files[f]);
            bool same = d && !strcmp(d, w->dirs[i].path) && !strcmp(base, e->name);
            free(d);
            if (same) return true;
        }
    }
    return false;
}

bool run_watch_changed(run_watch *w, uint64_t now_ms, uint64_t quiet_ms)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if (concerns(w, e)) w->last_change_ms = now_ms;
            p += sizeof *e + e->len;
        }
    }
    if (!w->last_change_ms || now_ms - w->last_change_ms < quiet_ms) return false;
    w->last_change_ms = 0;
    return true;
}
