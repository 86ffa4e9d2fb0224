/* Running clang on the BPF templates plus a generated filter header. */
#include "bpf_build.h"
#include "bpf_objcache.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define FILTER_HEADER "sgc_filter_gen.h"

/* An executable named `name` on $PATH (or `name` itself when it has a
 * slash); the result is static storage. */
static const char *which(const char *name)
{
    static char buf[PATH_MAX];
    if (strchr(name, '/')) return access(name, X_OK) == 0 ? name : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        if (n && (size_t)snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, name) < sizeof buf &&
            access(buf, X_OK) == 0)
            return buf;
        p += n;
        if (*p == ':') p++;
    }
    return NULL;
}

const char *sgc_bpf_find_clang(const sgc_bpf_build_opts *opts)
{
    if (opts && opts->clang) return which(opts->clang);
    const char *env = getenv("SGC_CLANG");
    if (env && *env) return which(env);
    const char *c = which("clang-19");
    if (!c) c = which("/usr/lib/llvm-19/bin/clang");
    if (!c) c = which("clang");
    return c;
}

/* llvm-strip next to clang or on $PATH (NULL: keep the DWARF). */
static char *find_strip(const char *clang)
{
    static const char *const names[] = {"llvm-strip-19", "llvm-strip"};
    const char *slash = strrchr(clang, '/');
    for (int i = 0; i < 2; i++) {
        char buf[PATH_MAX];
        if (slash &&
            (size_t)snprintf(buf, sizeof buf, "%.*s/%s", (int)(slash - clang), clang, names[i]) <
                sizeof buf &&
            access(buf, X_OK) == 0)
            return strdup(buf);
        const char *w = which(names[i]);
        if (w) return strdup(w);
    }
    return NULL;
}

static int run(char *const argv[], bool verbose, char *err, size_t errlen)
{
    if (verbose) {
        for (int i = 0; argv[i]; i++) fprintf(stderr, "%s%s", i ? " " : "+ ", argv[i]);
        fputc('\n', stderr);
    }
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc) {
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for %s: %s", argv[0], strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "%s failed (%s %d)", argv[0],
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) return -1;
    char *slash = strrchr(path, '/');
    if (slash > path + strlen(dir)) { /* a subdirectory: "bpf/bpf_helpers.h" */
        *slash = 0;
        if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
        *slash = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close(fd);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return close(fd);
}

static int read_file(const char *path, uint8_t **out, size_t *outlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size <= 0) {
        fclose(f);
        return -1;
    }
    uint8_t *p = malloc((size_t)st.st_size);
    if (!p || fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(p);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = p;
    *outlen = (size_t)st.st_size;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static bool file_exists(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, R_OK) == 0;
}

/* Where the templates come from: a directory (opts, $SGC_BPF_TEMPLATES) or
 * the copies embedded at build time. *tpl_dir is NULL for the embedded ones. */
static int choose_templates(const sgc_bpf_build_opts *opts, int nembedded, const char **tpl_dir,
                            char *err, size_t errlen)
{
    const char *dir = opts->templates_dir ? opts->templates_dir : getenv("SGC_BPF_TEMPLATES");
    if (dir && !*dir) dir = NULL;
    *tpl_dir = dir;
    if (dir && strlen(dir) >= PATH_MAX - 64) {
        snprintf(err, errlen, "BPF templates directory name too long");
        return -1;
    }
    if (dir && !file_exists(dir, "capture.bpf.c")) {
        snprintf(err, errlen, "BPF templates directory %s has no capture.bpf.c", dir);
        return -1;
    }
    if (!dir && !nembedded) {
        snprintf(err, errlen,
                 "this sgc was built without embedded BPF templates (the build "
                 "must include cmake/bpf_templates.cmake): set SGC_BPF_TEMPLATES "
                 "to a bpf-templates directory that holds vmlinux.h");
        return -1;
    }
    if (dir && !nembedded && !file_exists(dir, "vmlinux.h")) {
        snprintf(err, errlen,
                 "no vmlinux.h in %s and none embedded: generate one with "
                 "'bpftool btf dump file /sys/kernel/btf/vmlinux format c'",
                 dir);
        return -1;
    }
    return 0;
}

/* The embedded templates and the generated filter header, into work/. */
static int populate_workdir(const char *work, const sgc_bpf_template_file *embedded, int nembedded,
                            const char *filter_src, size_t filter_len, char *err, size_t errlen)
{
    for (int i = 0; i < nembedded; i++)
        if (write_file(work, embedded[i].name, embedded[i].start,
                       (size_t)(embedded[i].end - embedded[i].start))) {
            snprintf(err, errlen, "cannot write %s/%s: %s", work, embedded[i].name,
                     strerror(errno));
            return -1;
        }
    if (filter_src && write_file(work, FILTER_HEADER, filter_src, filter_len)) {
        snprintf(err, errlen, "cannot write %s/%s: %s", work, FILTER_HEADER, strerror(errno));
        return -1;
    }
    return 0;
}

/* clang -target bpf: capture.bpf.c (with the filter header when there is
 * one) into `full`. work and tpl_dir are shorter than PATH_MAX - 64. */
static int compile_object(const char *clang, const char *work, const char *tpl_dir,
                          bool with_filter, int cand_words, const sgc_bpf_build_opts *opts,
                          const char *full, char *err, size_t errlen)
{
    const char *base = tpl_dir ? tpl_dir : work;
    char src[PATH_MAX + 32], inc_tpl[PATH_MAX + 2], inc_shared[PATH_MAX + 16];
    char inc_work[PATH_MAX + 2], def_filter[64], def_words[64], prefix_map[PATH_MAX + 32];
    char def_lpm[64], def_comm[64], def_addr[64];
    snprintf(def_lpm, sizeof def_lpm, "-DSGC_F_LPM_ENTRIES=%d",
             opts->lpm_entries > 0 ? opts->lpm_entries : 1);
    snprintf(def_comm, sizeof def_comm, "-DSGC_F_COMM_ENTRIES=%d",
             opts->comm_entries > 0 ? opts->comm_entries : 1);
    snprintf(def_addr, sizeof def_addr, "-DSGC_F_ADDR_ENTRIES=%d",
             opts->addr_entries > 0 ? opts->addr_entries : 1);
    snprintf(src, sizeof src, "%s/capture.bpf.c", base);
    snprintf(inc_tpl, sizeof inc_tpl, "-I%s", base);
    /* a source tree keeps the headers userspace shares in shared/; the
     * embedded copies are flat */
    snprintf(inc_shared, sizeof inc_shared, "-I%s/shared", base);
    snprintf(inc_work, sizeof inc_work, "-I%s", work);
    snprintf(def_filter, sizeof def_filter, "-DSGC_GENERATED_FILTER=\"%s\"", FILTER_HEADER);
    snprintf(def_words, sizeof def_words, "-DSGC_CAND_WORDS=%d", cand_words > 0 ? cand_words : 1);
    /* the random build directory must not reach the object's BTF line
     * info: the same rules then give the same artifact bytes */
    snprintf(prefix_map, sizeof prefix_map, "-ffile-prefix-map=%s=/sgc-bpf", work);
    char *argv[24];
    int n = 0;
    argv[n++] = (char *)clang;
    argv[n++] = "-target";
    argv[n++] = "bpf";
    argv[n++] = "-g";
    argv[n++] = "-O2";
    argv[n++] = "-D__TARGET_ARCH_x86";
    argv[n++] = "-Wall";
    argv[n++] = prefix_map;
    argv[n++] = inc_tpl; /* templates (and their vmlinux.h) first */
    argv[n++] = inc_shared;
    argv[n++] = inc_work; /* then the generated header, embedded headers */
    if (with_filter) {
        argv[n++] = def_filter;
        argv[n++] = def_words;
        argv[n++] = def_lpm;
        argv[n++] = def_comm;
        argv[n++] = def_addr;
    }
    argv[n++] = "-c";
    argv[n++] = src;
    argv[n++] = "-o";
    argv[n++] = (char *)full;
    argv[n] = NULL;
    return run(argv, opts->verbose, err, errlen);
}

/* DWARF is only for debugging; BTF (kept) is what CO-RE needs: strip it when
 * an llvm-strip is found, then read the object. */
static int strip_and_read(const char *clang, const char *work, const char *full, bool verbose,
                          uint8_t **obj, size_t *objlen, char *err, size_t errlen)
{
    char out[PATH_MAX + 32];
    snprintf(out, sizeof out, "%s/filter.bpf.o", work);
    char *strip = find_strip(clang);
    const char *result = full;
    int rc = -1;
    if (strip) {
        char *sargv[] = {strip, "-g", (char *)full, "-o", out, NULL};
        if (run(sargv, verbose, err, errlen)) goto out;
        result = out;
    }
    if (read_file(result, obj, objlen)) {
        snprintf(err, errlen, "cannot read the BPF object %s", result);
        goto out;
    }
    rc = 0;
out:
    free(strip);
    return rc;
}

int sgc_bpf_build(const char *filter_src, size_t filter_len, int cand_words,
                  const sgc_bpf_build_opts *opts, uint8_t **obj, size_t *objlen, char *err,
                  size_t errlen)
{
    sgc_bpf_build_opts none = {0};
    if (!opts) opts = &none;
    const char *clang_found = sgc_bpf_find_clang(opts);
    if (!clang_found) {
        snprintf(err, errlen,
                 "no clang found (tried $SGC_CLANG, clang-19, clang): "
                 "`sgc compile` needs clang to build the BPF object; "
                 "running a compiled artifact does not");
        return -1;
    }
    char clang[PATH_MAX];
    snprintf(clang, sizeof clang, "%s", clang_found);
    int nembedded;
    const sgc_bpf_template_file *embedded = sgc_bpf_templates_embedded(&nembedded);
    const char *tpl_dir;
    if (choose_templates(opts, nembedded, &tpl_dir, err, errlen)) return -1;

    char key[65] = "";
    if (opts->object_cache_dir && !tpl_dir) {
        sgc_bpf_objcache_key(clang, filter_src, filter_len, cand_words, key);
        if (sgc_bpf_objcache_get(opts->object_cache_dir, key, obj, objlen) == 0) {
            if (opts->verbose)
                fprintf(stderr, "sgc: BPF object from the cache: %s/%s.o\n", opts->object_cache_dir,
                        key);
            return 0;
        }
    }
    const char *tmp = getenv("TMPDIR");
    char work[PATH_MAX];
    snprintf(work, sizeof work, "%s/sgc-bpf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work)) {
        snprintf(err, errlen, "cannot create a build directory in %s: %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return -1;
    }
    char full[PATH_MAX + 32];
    snprintf(full, sizeof full, "%s/filter.bpf.o.full", work);
    int rc = populate_workdir(work, embedded, nembedded, filter_src, filter_len, err, errlen);
    if (!rc)
        rc = compile_object(clang, work, tpl_dir, filter_src != NULL, cand_words, opts, full, err,
                            errlen);
    if (!rc) rc = strip_and_read(clang, work, full, opts->verbose, obj, objlen, err, errlen);
    if (!rc && key[0]) sgc_bpf_objcache_put(opts->object_cache_dir, key, *obj, *objlen);
    if (opts->keep_dir)
        fprintf(stderr, "sgc: BPF build directory kept: %s\n", work);
    else
        nftw(work, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc ? -1 : 0;
}
