/* Writing an artifact: sections laid out 8-aligned after the header and
 * the section table, then both checksums filled in. */
#include "artifact.h"
#include "artifact_bytes.h"
#include "artifact_lists.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE_ENTRY_SIZE 24

static void put_maps(sgc_obuf *b, const sgc_artifact *a)
{
    sgc_obuf_u32(b, (uint32_t)a->nmaps);
    for (int i = 0; i < a->nmaps; i++) {
        const sgc_artifact_map *m = &a->maps[i];
        size_t n = strlen(m->name);
        sgc_obuf_u32(b, (uint32_t)n);
        sgc_obuf_put(b, m->name, n);
        sgc_obuf_u32(b, m->key_size);
        sgc_obuf_u32(b, m->value_size);
        sgc_obuf_u32(b, m->nentries);
        /* each key and value without its trailing zero bytes (format 3):
         * an LPM key of a short string is mostly padding */
        uint8_t *k = malloc((size_t)m->key_size + m->value_size);
        if (!k) abort();
        uint8_t *v = k + m->key_size;
        sgc_artifact_map_iter it;
        sgc_artifact_map_iter_init(&it, m);
        while (sgc_artifact_map_next(&it, k, v)) {
            uint32_t kl = m->key_size, vl = m->value_size;
            while (kl && !k[kl - 1]) kl--;
            while (vl && !v[vl - 1]) vl--;
            sgc_obuf_u16(b, (uint16_t)kl);
            sgc_obuf_put(b, k, kl);
            sgc_obuf_u16(b, (uint16_t)vl);
            sgc_obuf_put(b, v, vl);
        }
        free(k);
    }
}

int sgc_artifact_serialize(const sgc_artifact *a, uint8_t **out, size_t *outlen, char *err,
                           size_t errlen)
{
    char *manifest = sgc_artifact_manifest_json(a);
    if (!manifest) {
        snprintf(err, errlen,
                 "cannot build the artifact manifest "
                 "(a rule string is not valid UTF-8, or out of memory)");
        return -1;
    }
    sgc_obuf maps = {0}, lists = {0};
    put_maps(&maps, a);
    sgc_artifact_put_lists(&lists, a);

    struct {
        uint32_t type;
        const void *data;
        size_t size;
    } sec[] = {
        {SGC_ARTS_BPF_OBJECT, a->bpf_obj, a->bpf_obj_size},
        {SGC_ARTS_MANIFEST, manifest, strlen(manifest)},
        {SGC_ARTS_MAPS, maps.p, maps.len},
        {SGC_ARTS_LISTS, lists.p, lists.len},
    };
    const uint32_t nsec = sizeof sec / sizeof sec[0];

    sgc_obuf b = {0};
    uint8_t header[SGC_ARTIFACT_HEADER_SIZE] = {0};
    sgc_obuf_put(&b, header, sizeof header); /* filled in last */
    uint64_t off = SGC_ARTIFACT_HEADER_SIZE + (uint64_t)nsec * TABLE_ENTRY_SIZE;
    for (uint32_t i = 0; i < nsec; i++) {
        off = (off + 7) & ~(uint64_t)7;
        sgc_obuf_u32(&b, sec[i].type);
        sgc_obuf_u32(&b, 0); /* reserved */
        sgc_obuf_u64(&b, off);
        sgc_obuf_u64(&b, sec[i].size);
        off += sec[i].size;
    }
    for (uint32_t i = 0; i < nsec; i++) {
        sgc_obuf_align8(&b);
        sgc_obuf_put(&b, sec[i].data, sec[i].size);
    }
    free(manifest);
    free(maps.p);
    free(lists.p);
    if (b.oom || maps.oom || lists.oom) {
        free(b.p);
        snprintf(err, errlen, "cannot build the artifact (out of memory)");
        return -1;
    }

    uint8_t *h = b.p;
    memcpy(h, SGC_ARTIFACT_MAGIC, 8);
    sgc_put_le32(h + 8, SGC_ARTIFACT_VERSION);
    sgc_put_le32(h + 12, a->flags);
    sgc_put_le32(h + 16, nsec);
    sgc_put_le32(h + 20, SGC_ARTIFACT_HEADER_SIZE);
    sgc_put_le64(h + 24, b.len);
    sgc_put_le32(h + 32,
                 sgc_crc32(b.p + SGC_ARTIFACT_HEADER_SIZE, b.len - SGC_ARTIFACT_HEADER_SIZE));
    sgc_put_le32(h + 36, sgc_crc32(h, 36));
    *out = b.p;
    *outlen = b.len;
    return 0;
}

int sgc_artifact_write(const sgc_artifact *a, const char *path, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    if (sgc_artifact_serialize(a, &data, &len, err, errlen)) return -1;
    int rc = sgc_artifact_write_bytes(path, data, len, err, errlen);
    free(data);
    return rc;
}

/* A target that exists and is not a regular file (/dev/null, a FIFO,
 * /dev/stdout) is written in place: renaming over it would replace it. */
static int write_in_place(const char *path, const uint8_t *data, size_t len, char *err,
                          size_t errlen)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(n < 0 ? errno : EIO));
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int sgc_artifact_write_bytes(const char *path, const uint8_t *data, size_t len, char *err,
                             size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_in_place(path, data, len, err, errlen);
    /* temp file next to the target, so the rename is atomic */
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    FILE *f = fdopen(fd, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int saved = errno;
    if (f)
        ok = fclose(f) == 0 && ok;
    else
        close(fd);
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(saved));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    /* mkstemp creates 0600; an artifact is not secret */
    chmod(tmp, 0644);
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
