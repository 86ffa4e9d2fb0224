/* program output: alerts on a program's standard input (`sh -c PROGRAM`,
 * started with posix_spawn so it gets default signal handling and an empty
 * signal mask, not the worker thread's). keep_alive: one process for every alert (restarted
 * when it exits, and on SIGUSR1); otherwise one process per alert, waited
 * for. A program that stops reading blocks only this output's worker. */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct program_sink {
    sgc_sink base;
    char *cmd;
    bool keep_alive;
    FILE *p;
    pid_t pid;
} program_sink;

/* sh -c cmd with its stdin the returned stream (close-on-exec for others) */
static FILE *start(const char *cmd, pid_t *pid)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawnattr_init(&at);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGHUP);
    sigaddset(&dflt, SIGUSR1);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dflt);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    int rc = posix_spawn(pid, "/bin/sh", &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        errno = rc;
        return NULL;
    }
    FILE *f = fdopen(fds[1], "w");
    if (!f) {
        close(fds[1]);
        kill(*pid, SIGTERM);
        waitpid(*pid, NULL, 0);
    }
    return f;
}

static int finish(FILE *p, pid_t pid, char *err, size_t errlen)
{
    fclose(p);
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
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
        pid_t pid;
        FILE *p = start(ps->cmd, &pid);
        if (!p) {
            snprintf(err, errlen, "cannot start '%s': %s", ps->cmd, strerror(errno));
            return -1;
        }
        int rc = put(p, m, err, errlen);
        char err2[128];
        if (finish(p, pid, err2, sizeof err2) != 0 && rc == 0) {
            /* delivered; the program's own failure is reported, not retried */
            snprintf(err, errlen, "%s", err2);
        }
        return rc;
    }
    if (!ps->p && !(ps->p = start(ps->cmd, &ps->pid))) {
        snprintf(err, errlen, "cannot start '%s': %s", ps->cmd, strerror(errno));
        return -1;
    }
    if (put(ps->p, m, err, errlen) == 0) return 0;
    /* the program is gone: restart it at the retry */
    char err2[128];
    finish(ps->p, ps->pid, err2, sizeof err2);
    ps->p = NULL;
    return -1;
}

static void program_reopen(sgc_sink *s)
{
    program_sink *ps = (program_sink *)s;
    if (ps->p) {
        char err[128];
        finish(ps->p, ps->pid, err, sizeof err);
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
