/* file:quarantine: move the alert's file (fd.name, or the executable) into a
 * root-only directory, named by its sha256, with the alert beside it
 * (SHA256.json) and the file's mode reduced to 0400. A file of a container
 * process is reached through /proc/PID/root; an executable through
 * /proc/PID/exe, so a running drifted binary is captured even when its path
 * is gone. */
#include "actionners.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_DIR "/var/lib/sgc/quarantine"

static int mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) && errno != EEXIST) return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0700) && errno != EEXIST) return -1;
    return 0;
}

/* The directory exists, is a directory owned by us, mode 0700. */
static const char *prepare_dir(const char *dir)
{
    if (mkdir_p(dir)) return strerror(errno);
    struct stat st;
    if (lstat(dir, &st) || !S_ISDIR(st.st_mode)) return "not a directory";
    if (st.st_uid != geteuid()) return "not owned by the responder's user";
    if ((st.st_mode & 077) && chmod(dir, 0700)) return strerror(errno);
    return NULL;
}

/* Copy from fd to a new file at dst (0400), hashing; 0 or -1. */
static int copy_hash(int in, const char *dst, char hex[65])
{
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
    if (out < 0) return -1;
    sgc_sha256 h;
    sgc_sha256_init(&h);
    char buf[65536];
    ssize_t r;
    int rc = 0;
    while ((r = read(in, buf, sizeof buf)) > 0) {
        sgc_sha256_update(&h, buf, (size_t)r);
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w <= 0) {
                rc = -1;
                break;
            }
            off += w;
        }
        if (rc) break;
    }
    if (r < 0) rc = -1;
    if (fsync(out)) rc = -1;
    close(out);
    uint8_t d[32];
    sgc_sha256_final(&h, d);
    sgc_sha256_hex(d, hex);
    return rc;
}

static void write_record(const char *dir, const char *hex, const char *orig, const char *src,
                         const rp_act_env *e)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.json", dir, hex);
    json_t *o = json_object();
    json_object_set_new(o, "sha256", json_string(hex));
    json_object_set_new(o, "original_path", json_string(orig));
    json_object_set_new(o, "read_from", json_string(src));
    json_object_set_new(o, "alert_id", json_string(e->alert->id));
    json_object_set_new(o, "playbook_rule", json_string(e->rule->name));
    json_object_set_new(o, "quarantined_at", json_integer((json_int_t)time(NULL)));
    json_object_set(o, "alert", e->alert->root);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        char *s = json_dumps(o, JSON_INDENT(2));
        if (s && write(fd, s, strlen(s)) < 0) (void)0;
        free(s);
        close(fd);
    }
    json_decref(o);
}

rp_result rp_act_quarantine(const rp_act_env *e, char *detail, size_t n)
{
    const char *dir = json_string_value(json_object_get(e->action->params, "dir"));
    if (!dir) dir = DEFAULT_DIR;
    const char *field = json_string_value(json_object_get(e->action->params, "field"));
    char t1[64], t2[96];
    const char *path = NULL;
    if (field)
        path = rp_alert_field(e->alert, field, t1, sizeof t1);
    else if ((path = rp_alert_field(e->alert, "fd.name", t1, sizeof t1)) && path[0] == '/')
        field = "fd.name";
    else
        path = rp_alert_field(e->alert, (field = "proc.exepath"), t1, sizeof t1);
    if (!path || path[0] != '/') {
        snprintf(detail, n, "the alert has no absolute path in %s", field);
        return RP_R_REFUSED;
    }
    long long pid = 0;
    bool has_pid = rp_alert_field_int(e->alert, "proc.pid", &pid) && pid > 0;
    const char *cid = rp_alert_field(e->alert, "container.id", t2, sizeof t2);
    bool in_ctr = cid && strcmp(cid, "host") && strcmp(cid, "<NA>") && *cid;
    char src[PATH_MAX], unl[PATH_MAX];
    if (in_ctr && !has_pid) {
        snprintf(detail, n, "the file is in container %s but the alert has no proc.pid to reach it",
                 cid);
        return RP_R_REFUSED;
    }
    if (in_ctr)
        snprintf(unl, sizeof unl, "/proc/%lld/root%s", pid, path);
    else
        snprintf(unl, sizeof unl, "%s", path);
    /* the executable's bytes are readable through /proc/PID/exe even when
     * its path is gone */
    bool via_exe = !strcmp(field, "proc.exepath") && has_pid;
    if (via_exe)
        snprintf(src, sizeof src, "/proc/%lld/exe", pid);
    else
        snprintf(src, sizeof src, "%s", unl);
    if (!strncmp(path, dir, strlen(dir))) {
        snprintf(detail, n, "%s is inside the quarantine directory", path);
        return RP_R_REFUSED;
    }
    int in = open(src, O_RDONLY | O_CLOEXEC | (via_exe ? 0 : O_NOFOLLOW));
    if (in < 0 && via_exe) {
        snprintf(src, sizeof src, "%s", unl);
        in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (in < 0) {
        snprintf(detail, n, "cannot open %s: %s", src, strerror(errno));
        return RP_R_ERROR;
    }
    struct stat st;
    if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
        close(in);
        snprintf(detail, n, "%s is not a regular file", src);
        return RP_R_REFUSED;
    }
    if (e->dry_run) {
        close(in);
        snprintf(detail, n, "would move %s (%lld bytes) into %s", path, (long long)st.st_size, dir);
        return RP_R_DRY_RUN;
    }
    const char *why = prepare_dir(dir);
    if (why) {
        close(in);
        snprintf(detail, n, "quarantine directory %s: %s", dir, why);
        return RP_R_ERROR;
    }
    char tmp[PATH_MAX], hex[65], dst[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.incoming.%d", dir, (int)getpid());
    unlink(tmp);
    int rc = copy_hash(in, tmp, hex);
    close(in);
    if (rc) {
        snprintf(detail, n, "copying %s: %s", src, strerror(errno));
        unlink(tmp);
        return RP_R_ERROR;
    }
    snprintf(dst, sizeof dst, "%s/%s", dir, hex);
    if (rename(tmp, dst)) {
        snprintf(detail, n, "rename into %s: %s", dir, strerror(errno));
        unlink(tmp);
        return RP_R_ERROR;
    }
    write_record(dir, hex, path, src, e);
    if (unlink(unl) && errno != ENOENT) {
        snprintf(detail, n, "copied %s to %s but cannot remove it: %s", path, dst, strerror(errno));
        return RP_R_ERROR;
    }
    snprintf(detail, n, "moved %s to %s (sha256 %s)", path, dst, hex);
    return RP_R_OK;
}
