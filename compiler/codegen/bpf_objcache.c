/* The BPF object cache (bpf_objcache.h). */
#include "bpf_objcache.h"
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sgc_bpf_objcache_key(const char *clang, const char *filter_src, size_t filter_len,
                          int cand_words, char key[65])
{
    sgc_sha256 s;
    sgc_sha256_init(&s);
    char line[PATH_MAX + 64];
    int n = snprintf(line, sizeof line, "sgc-bpf-object 1\nclang %s\ncand_words %d\nfilter %zu\n",
                     clang, cand_words, filter_src ? filter_len : (size_t)0);
    sgc_sha256_update(&s, line, (size_t)n);
    sgc_sha256_update_file_identity(&s, "exe", "/proc/self/exe");
    sgc_sha256_update_file_identity(&s, "clang-binary", clang);
    if (filter_src) sgc_sha256_update(&s, filter_src, filter_len);
    uint8_t d[32];
    sgc_sha256_final(&s, d);
    sgc_sha256_hex(d, key);
}

static int entry_path(const char *dir, const char *key, char *path, size_t n)
{
    int k = snprintf(path, n, "%s/%s.o", dir, key);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int sgc_bpf_objcache_get(const char *dir, const char *key, uint8_t **obj, size_t *objlen)
{
    char path[PATH_MAX];
    if (entry_path(dir, key, path, sizeof path)) return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    uint8_t *buf = NULL;
    size_t got = 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && (buf = malloc((size_t)st.st_size))) {
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            got += (size_t)r;
        }
    }
    close(fd);
    /* a damaged entry is rebuilt, not loaded (an ELF object at least) */
    if (!buf || got != (size_t)st.st_size || got < 4 || memcmp(buf, "\177ELF", 4)) {
        free(buf);
        return -1;
    }
    *obj = buf;
    *objlen = got;
    return 0;
}

void sgc_bpf_objcache_put(const char *dir, const char *key, const uint8_t *obj, size_t objlen)
{
    char path[PATH_MAX], tmp[PATH_MAX + 32];
    if (sgc_mkdirs(dir) || entry_path(dir, key, path, sizeof path)) return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    size_t done = 0;
    while (done < objlen) {
        ssize_t w = write(fd, obj + done, objlen - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    if (close(fd) == 0 && done == objlen && rename(tmp, path) == 0) return;
    unlink(tmp);
}
