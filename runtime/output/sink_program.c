/* program output: alerts on a program's standard input through popen(3)
 * (`sh -c PROGRAM`). keep_alive: one process for every alert (restarted
 * when it exits, and on SIGUSR1); otherwise one process per alert, waited
 * for. A program that stops reading blocks only this output's worker. */
#include "sink.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct program_sink {
    sgc_sink base;
    char *cmd;
    bool keep_alive;
    FILE *p;
} program_sink;

static int finish(FILE *p, char *err, size_t errlen)
{
    int st = pclose(p);
    if (st == -1) {
        snprintf(err, errlen, "pclose: %s", strerror(errno));
        return -1;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    snprintf(err, errlen, "the program %s %d",
             WIFEXITED(st) ? "exited with" : "was killed by signal",
             WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    return -1;
}

static int put(FILE *p, const sgc_alert_msg *m, char *err, size_t errlen)
{
    if (fwrite(m->line, 1, m->len, p) != m->len || fputc('\n', p) == EOF || fflush(p) != 0) {
        snprintf(err, errlen, "writing to the program: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int program_send(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen)
{
    program_sink *ps = (program_sink *)s;
    if (!ps->keep_alive) {
        FILE *p = popen(ps->cmd, "we");
        if (!p) {
            snprintf(err, errlen, "cannot start '%s': %s", ps->cmd, strerror(errno));
            return -1;
        }
        int rc = put(p, m, err, errlen);
        char err2[128];
        if (finish(p, err2, sizeof err2) != 0 && rc == 0) {
            /* delivered; the program's own failure is reported, not retried */
            snprintf(err, errlen, "%s", err2);
        }
        return rc;
    }
    if (!ps->p && !(ps->p = popen(ps->cmd, "we"))) {
        snprintf(err, errlen, "cannot start '%s': %s", ps->cmd, strerror(errno));
        return -1;
    }
    if (put(ps->p, m, err, errlen) == 0) return 0;
    /* the program is gone: restart it at the retry */
    char err2[128];
    finish(ps->p, err2, sizeof err2);
    ps->p = NULL;
    return -1;
}

static void program_reopen(sgc_sink *s)
{
    program_sink *ps = (program_sink *)s;
    if (ps->p) {
        char err[128];
        finish(ps->p, err, sizeof err);
        ps->p = NULL; /* restarted at the next alert */
    }
}

static void program_close(sgc_sink *s)
{
    program_reopen(s);
    free(((program_sink *)s)->cmd);
    free(s);
}

sgc_sink *sgc_sink_program_new(const char *cmd, bool keep_alive)
{
    program_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->cmd = strdup(cmd))) {
        free(s);
        return NULL;
    }
    s->base.name = "program";
    s->base.min_priority = 7;
    s->base.send = program_send;
    s->base.reopen = program_reopen;
    s->base.close = program_close;
    s->keep_alive = keep_alive;
    return &s->base;
}
