/* exec:script: run `command` with SHELL -c, the alert as JSON on stdin, its
 * fields in the environment (FALCO_RULE, FALCO_PRIORITY, FALCO_SOURCE,
 * FALCO_HOSTNAME, SGC_ALERT_ID, SGC_PLAYBOOK_RULE, and each output field as
 * PROC_PID, FD_NAME...: upper case, other characters as '_'), in its own
 * process group, killed after `timeout` seconds (default 10). Exit 0 is
 * success; the first bytes of its output go to the audit line. */
#include "actionners.h"
#include "ruleset.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void env_name(const char *field, char *out, size_t n)
{
    size_t i = 0;
    for (; field[i] && i + 1 < n; i++)
        out[i] = isalnum((unsigned char)field[i]) ? (char)toupper((unsigned char)field[i]) : '_';
    out[i] = 0;
}

typedef struct envv {
    char **v;
    size_t n, cap;
} envv;

static void env_add(envv *ev, const char *name, const char *val)
{
    if (ev->n + 2 > ev->cap) {
        size_t nc = ev->cap ? ev->cap * 2 : 64;
        char **nv = realloc(ev->v, nc * sizeof *nv);
        if (!nv) return;
        ev->v = nv;
        ev->cap = nc;
    }
    char *s = NULL;
    if (asprintf(&s, "%s=%s", name, val ? val : "") < 0) return;
    ev->v[ev->n++] = s;
    ev->v[ev->n] = NULL;
}

static void env_free(envv *ev)
{
    for (size_t i = 0; i < ev->n; i++) free(ev->v[i]);
    free(ev->v);
}

/* Built before fork: the child of a threaded process must not allocate. */
static void child_env(const rp_act_env *e, envv *ev)
{
    const char *path = getenv("PATH");
    env_add(ev, "PATH", path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
    env_add(ev, "FALCO_RULE", e->alert->rule);
    env_add(ev, "FALCO_PRIORITY", sgc_priority_name((sgc_priority)e->alert->prio));
    env_add(ev, "FALCO_SOURCE", e->alert->source);
    env_add(ev, "FALCO_HOSTNAME", e->alert->hostname ? e->alert->hostname : "");
    env_add(ev, "SGC_ALERT_ID", e->alert->id);
    env_add(ev, "SGC_PLAYBOOK_RULE", e->rule->name);
    const char *key;
    json_t *v;
    if (!e->alert->fields) return;
    json_object_foreach(e->alert->fields, key, v)
    {
        char name[256], tmp[64];
        env_name(key, name, sizeof name);
        const char *s = rp_alert_field(e->alert, key, tmp, sizeof tmp);
        if (*name && s) env_add(ev, name, s);
    }
}

static int memfd_with(const char *data)
{
    int fd = memfd_create("sgc-alert", MFD_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = strlen(data);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

rp_result rp_act_exec(const rp_act_env *e, char *detail, size_t n)
{
    const char *cmd = json_string_value(json_object_get(e->action->params, "command"));
    const char *shell = json_string_value(json_object_get(e->action->params, "shell"));
    json_t *tv = json_object_get(e->action->params, "timeout");
    long timeout = json_is_integer(tv) ? (long)json_integer_value(tv) : 10;
    if (!shell) shell = "/bin/sh";
    if (!cmd) {
        snprintf(detail, n, "no command");
        return RP_R_ERROR;
    }
    if (e->dry_run) {
        snprintf(detail, n, "would run: %s", cmd);
        return RP_R_DRY_RUN;
    }
    char *json = json_dumps(e->alert->root, JSON_COMPACT);
    int in = json ? memfd_with(json) : -1;
    free(json);
    int out = memfd_create("sgc-script-out", MFD_CLOEXEC);
    if (in < 0 || out < 0) {
        if (in >= 0) close(in);
        if (out >= 0) close(out);
        snprintf(detail, n, "memfd: %s", strerror(errno));
        return RP_R_ERROR;
    }
    envv ev = {0};
    child_env(e, &ev);
    char *const argv[] = {(char *)shell, (char *)"-c", (char *)cmd, NULL};
    pid_t pid = ev.v ? fork() : -1;
    if (pid < 0) {
        env_free(&ev);
        close(in);
        close(out);
        snprintf(detail, n, "fork: %s", strerror(errno));
        return RP_R_ERROR;
    }
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        signal(SIGPIPE, SIG_DFL);
        execve(shell, argv, ev.v);
        _exit(127);
    }
    env_free(&ev);
    close(in);
    setpgid(pid, pid);
    double deadline = now_s() + (double)timeout;
    int status = 0;
    bool timed_out = false;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (now_s() >= deadline) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            timed_out = true;
            break;
        }
        poll(NULL, 0, 5);
    }
    char buf[256] = "";
    lseek(out, 0, SEEK_SET);
    ssize_t r = read(out, buf, sizeof buf - 1);
    close(out);
    buf[r > 0 ? r : 0] = 0;
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    if (timed_out) {
        snprintf(detail, n, "timed out after %lds and was killed: %s", timeout, buf);
        return RP_R_ERROR;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        snprintf(detail, n, "exit 0: %s", buf);
        return RP_R_OK;
    }
    if (WIFEXITED(status))
        snprintf(detail, n, "exit %d: %s", WEXITSTATUS(status), buf);
    else
        snprintf(detail, n, "killed by signal %d: %s", WTERMSIG(status), buf);
    return RP_R_ERROR;
}
