/* stdout and file outputs: one line per alert. The file is appended to,
 * kept open with keep_alive (reopened on SIGUSR1, for rotation by rename),
 * else opened and closed for each alert (rotation needs nothing). With
 * buffered_outputs off (Falco's default) every line is flushed at once;
 * on, stdio buffers stdout and a kept-open file (flushed at exit). */
#include "sink.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stream_sink {
    sgc_sink base;
    FILE *fp;   /* stdout, or the kept-open file */
    char *path; /* NULL for stdout */
    bool keep_alive;
    bool buffered; /* buffered_outputs: stdio buffers, flushed at close */
} stream_sink;

static int write_line(FILE *f, const sgc_alert_msg *m, bool buffered, char *err, size_t errlen)
{
    if (fwrite(m->line, 1, m->len, f) != m->len || fputc('\n', f) == EOF ||
        (!buffered && fflush(f) != 0)) {
        snprintf(err, errlen, "write: %s", strerror(errno));
        clearerr(f);
        return -1;
    }
    return 0;
}

static int stdout_send(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen)
{
    stream_sink *ss = (stream_sink *)s;
    return write_line(ss->fp, m, ss->buffered, err, errlen);
}

static void stream_close(sgc_sink *s)
{
    stream_sink *ss = (stream_sink *)s;
    if (ss->path && ss->fp) fclose(ss->fp);
    free(ss->path);
    free(ss);
}

sgc_sink *sgc_sink_stdout_new(bool buffered)
{
    stream_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.name = "stdout";
    s->base.min_priority = 7;
    s->base.send = stdout_send;
    s->base.close = stream_close;
    s->fp = stdout;
    s->buffered = buffered;
    return &s->base;
}

static int file_open(sgc_sink *s, char *err, size_t errlen)
{
    stream_sink *ss = (stream_sink *)s;
    if (!ss->keep_alive || ss->fp) return 0;
    ss->fp = fopen(ss->path, "a");
    if (!ss->fp) {
        snprintf(err, errlen, "cannot open '%s': %s", ss->path, strerror(errno));
        return -1;
    }
    return 0;
}

static int file_send(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen)
{
    stream_sink *ss = (stream_sink *)s;
    if (ss->keep_alive) {
        if (!ss->fp && file_open(s, err, errlen) != 0) return -1;
        return write_line(ss->fp, m, ss->buffered, err, errlen);
    }
    FILE *f = fopen(ss->path, "a");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", ss->path, strerror(errno));
        return -1;
    }
    int rc = write_line(f, m, false, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "close '%s': %s", ss->path, strerror(errno));
        rc = -1;
    }
    return rc;
}

static void file_reopen(sgc_sink *s)
{
    stream_sink *ss = (stream_sink *)s;
    if (ss->fp) {
        fclose(ss->fp);
        ss->fp = NULL;
    }
    char err[256];
    file_open(s, err, sizeof err); /* a failure is retried at the next alert */
}

sgc_sink *sgc_sink_file_new(const char *path, bool keep_alive, bool buffered, char *err,
                            size_t errlen)
{
    /* open once now: a bad path is an error before anything starts */
    FILE *f = fopen(path, "a");
    if (!f) {
        snprintf(err, errlen, "cannot open output file '%s': %s", path, strerror(errno));
        return NULL;
    }
    stream_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        fclose(f);
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.name = "file";
    s->base.min_priority = 7;
    s->base.open = file_open;
    s->base.send = file_send;
    s->base.reopen = file_reopen;
    s->base.close = stream_close;
    s->keep_alive = keep_alive;
    s->buffered = buffered && keep_alive;
    if (keep_alive)
        s->fp = f;
    else
        fclose(f);
    return &s->base;
}
