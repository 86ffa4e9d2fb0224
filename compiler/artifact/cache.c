/* Content-addressed artifact cache for `sgc run RULES.yaml`. */
#include "cache.h"
#include "diag_format.h"
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *sgc_cache_dir(const sgc_cache_opts *opts)
{
    static char buf[PATH_MAX];
    if (opts && opts->dir) return opts->dir;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/') /* the XDG spec: relative values are ignored */
        snprintf(buf, sizeof buf, "%s/sgc", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.cache/sgc", home);
    else
        return NULL;
    return buf;
}

const char *sgc_cache_objects_dir(const sgc_cache_opts *opts)
{
    static char buf[PATH_MAX];
    const char *dir = sgc_cache_dir(opts);
    if (!dir || (size_t)snprintf(buf, sizeof buf, "%s/objects", dir) >= sizeof buf) return NULL;
    return buf;
}

int sgc_cache_key(const char *const *files, int nfiles, bool no_pushdown, char key[65])
{
    sgc_sha256 s;
    sgc_sha256_init(&s);
    char line[256];
    int n = snprintf(line, sizeof line, "sgc-cache 1\nsgc %s\nformat %d\nno-pushdown %d\n",
                     SGC_VERSION, SGC_ARTIFACT_VERSION, no_pushdown);
    sgc_sha256_update(&s, line, (size_t)n);
    /* the binary's identity: the compiler inside it may change at one version */
    sgc_sha256_update_file_identity(&s, "exe", "/proc/self/exe");
    for (int i = 0; i < nfiles; i++) {
        char h[65];
        uint64_t size;
        if (sgc_file_sha256(files[i], h, &size)) return -1;
        n = snprintf(line, sizeof line, "file %d %s %llu\n", i, h, (unsigned long long)size);
        sgc_sha256_update(&s, line, (size_t)n);
    }
    uint8_t d[32];
    sgc_sha256_final(&s, d);
    sgc_sha256_hex(d, key);
    return 0;
}

static sgc_artifact *compile(const char *const *files, int nfiles, const sgc_cache_opts *opts,
                             sgc_cache_result *res, char *err, size_t errlen)
{
    sgc_frontend fe;
    sgc_frontend_opts fo = {0};
    int errors = sgc_frontend_run(&fe, files, nfiles, &fo);
    if (fe.diags->n) sgc_diags_print_text(opts->diag_out ? opts->diag_out : stderr, fe.diags);
    if (errors) {
        snprintf(err, errlen, "the rules have %d error%s", errors, errors == 1 ? "" : "s");
        sgc_frontend_free(&fe);
        return NULL;
    }
    sgc_artifact_build_opts bo = opts->build;
    /* rules whose generated filter is unchanged (a list update) skip clang */
    if (!bo.bpf.object_cache_dir) bo.bpf.object_cache_dir = sgc_cache_objects_dir(opts);
    if (!bo.no_pushdown && !sgc_bpf_find_clang(&bo.bpf)) {
        bo.no_pushdown = true;
        res->no_pushdown_fallback = true;
    }
    sgc_artifact *a = sgc_artifact_build(&fe, files, nfiles, &bo, NULL, err, errlen);
    sgc_frontend_free(&fe);
    return a;
}

/* The child's side of compile_in_child: exit 0 once the entry is stored, 1
 * (message on fd) when the rules do not compile, 2 for anything else. */
static void child_compile(const char *const *files, int nfiles, const sgc_cache_opts *opts,
                          const char *dir, const char *path, int fd)
{
    char err[512] = "";
    sgc_cache_result r = {0};
    sgc_artifact *a = compile(files, nfiles, opts, &r, err, sizeof err);
    int status = 2;
    if (!a) {
        status = 1;
        ssize_t n = write(fd, err, strlen(err));
        (void)n;
    } else if (!r.no_pushdown_fallback && sgc_mkdirs(dir) == 0 &&
               sgc_artifact_write(a, path, err, sizeof err) == 0) {
        status = 0;
    }
    sgc_artifact_free(a);
    if (opts->diag_out) fflush(opts->diag_out);
    fflush(stderr);
    _exit(status); /* not exit(): the parent's atexit handlers are not ours */
}

/* 1: the artifact is in *out (or NULL with err: the rules do not compile);
 * 0: the child could not do it, compile here instead. */
static int compile_in_child(const char *const *files, int nfiles, const sgc_cache_opts *opts,
                            const char *dir, sgc_cache_result *res, sgc_artifact **out, char *err,
                            size_t errlen)
{
    int pfd[2];
    if (pipe(pfd) != 0) return 0;
    fflush(NULL); /* buffered output would be written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return 0;
    }
    if (pid == 0) {
        close(pfd[0]);
        child_compile(files, nfiles, opts, dir, res->path, pfd[1]);
    }
    close(pfd[1]);
    char msg[512];
    size_t len = 0;
    while (len < sizeof msg - 1) {
        ssize_t n = read(pfd[0], msg + len, sizeof msg - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    msg[len] = 0;
    close(pfd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
    if (code == 1) {
        snprintf(err, errlen, "%s", msg);
        *out = NULL;
        return 1;
    }
    if (code != 0) return 0;
    char why[512];
    *out = sgc_artifact_read(res->path, why, sizeof why);
    if (!*out) return 0;
    res->stored = true;
    return 1;
}

sgc_artifact *sgc_cache_load(const char *const *files, int nfiles, const sgc_cache_opts *opts,
                             sgc_cache_result *res, char *err, size_t errlen)
{
    sgc_cache_opts none = {0};
    if (!opts) opts = &none;
    memset(res, 0, sizeof *res);
    char key[65];
    if (sgc_cache_key(files, nfiles, opts->build.no_pushdown, key)) {
        /* an unreadable file: let the front end name it */
        return compile(files, nfiles, opts, res, err, errlen);
    }
    const char *dir = sgc_cache_dir(opts);
    if (dir) {
        int n = snprintf(res->path, sizeof res->path, "%s/%s.sgca", dir, key);
        if (n < 0 || (size_t)n >= sizeof res->path)
            res->path[0] = '\0'; /* a directory too long to cache in: compile */
    }
    if (res->path[0] && access(res->path, R_OK) == 0) {
        char why[512];
        sgc_artifact *a = sgc_artifact_read(res->path, why, sizeof why);
        if (a) {
            res->hit = true;
            return a;
        }
        /* damaged or from an incompatible build: rebuild over it */
    }
    sgc_artifact *a = NULL;
    if (opts->compile_in_child && res->path[0] &&
        compile_in_child(files, nfiles, opts, dir, res, &a, err, errlen))
        return a;
    a = compile(files, nfiles, opts, res, err, errlen);
    if (!a || !res->path[0] || res->no_pushdown_fallback) return a;
    char why[512];
    if (sgc_mkdirs(dir) == 0 && sgc_artifact_write(a, res->path, why, sizeof why) == 0)
        res->stored = true;
    return a;
}
