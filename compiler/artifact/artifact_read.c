/* Reading an artifact: validate the container (magic, version, sizes,
 * checksums, section table) before parsing any section, then parse each
 * section with bounds checks. Any failure frees everything. */
#include "artifact.h"
#include "artifact_bytes.h"
#include "artifact_lists.h"
#include "sgc_event.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE_ENTRY_SIZE 24

bool sgc_artifact_has_magic(const void *data, size_t size)
{
    return size >= 8 && memcmp(data, SGC_ARTIFACT_MAGIC, 8) == 0;
}

int sgc_artifact_is_artifact(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char magic[8];
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return sgc_artifact_has_magic(magic, n);
}

void sgc_artifact_drop_lists(sgc_artifact *a)
{
    for (int i = 0; i < a->nlists; i++) {
        free(a->lists[i].name);
        for (int k = 0; a->lists[i].items && k < a->lists[i].nitems; k++)
            free(a->lists[i].items[k]);
        free(a->lists[i].items);
        free(a->lists[i].quoted);
        sgc_strpack_free(a->lists[i].pack);
    }
    free(a->lists);
    a->lists = NULL;
    a->nlists = 0;
}

void sgc_artifact_drop_rule_texts(sgc_artifact *a)
{
    for (int i = 0; i < a->nrules; i++) {
        sgc_artifact_rule *r = &a->rules[i];
        free(r->desc);
        free(r->output);
        free(r->condition);
        for (int t = 0; t < r->ntags; t++) free(r->tags[t]);
        free(r->tags);
        r->desc = r->output = r->condition = NULL;
        r->tags = NULL;
        r->ntags = 0;
    }
}

void sgc_artifact_free(sgc_artifact *a)
{
    if (!a) return;
    free(a->sgc_version);
    free(a->arch);
    free(a->bpf_obj);
    for (int i = 0; i < a->nrules; i++) {
        sgc_artifact_rule *r = &a->rules[i];
        free(r->name);
        free(r->desc);
        free(r->source);
        for (int t = 0; t < r->ntags; t++) free(r->tags[t]);
        free(r->tags);
        free(r->output);
        free(r->condition);
        free(r->file);
    }
    free(a->rules);
    free(a->syscalls);
    for (int i = 0; i < a->nmaps; i++) {
        free(a->maps[i].name);
        free(a->maps[i].data);
        free(a->maps[i].packed);
    }
    free(a->maps);
    for (int i = 0; i < a->ninputs; i++) free(a->inputs[i].name);
    free(a->inputs);
    free(a->required_engine_version);
    sgc_artifact_drop_lists(a);
    free(a);
}

/* The MAPS section: u32 count, then per map u32 name length, name, u32 key
 * size, u32 value size, u32 entries, then per entry u16 length and the key
 * bytes, u16 length and the value bytes, each without its trailing zeros
 * (the rest of the record is zero). */
static int parse_maps(sgc_artifact *a, const uint8_t *p, size_t len, char *err, size_t errlen)
{
    sgc_icur c = {p, len, 0, false};
    uint32_t n = sgc_icur_u32(&c);
    /* each map takes at least 16 bytes: a count beyond that is corrupt */
    if (c.bad || n > len / 16) {
        snprintf(err, errlen, "artifact corrupt: bad map count in the maps section");
        return -1;
    }
    a->maps = calloc(n ? n : 1, sizeof *a->maps);
    if (!a->maps) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        sgc_artifact_map *m = &a->maps[a->nmaps];
        uint32_t name_len = sgc_icur_u32(&c);
        const uint8_t *name = sgc_icur_bytes(&c, name_len);
        m->key_size = sgc_icur_u32(&c);
        m->value_size = sgc_icur_u32(&c);
        m->nentries = sgc_icur_u32(&c);
        if (c.bad || name_len == 0 || name_len > 64 || memchr(name, 0, name_len) ||
            m->key_size == 0 || m->key_size > 4096 || m->value_size == 0 || m->value_size > 4096) {
            snprintf(err, errlen, "artifact corrupt: bad map %u in the maps section", i);
            return -1;
        }
        size_t rec = (size_t)m->key_size + m->value_size;
        /* 4 bytes at least per entry; expanded, at most 1 GiB (3 million
         * LPM entries) */
        if (m->nentries > (len - c.off) / 4 || rec * m->nentries > ((size_t)1 << 30)) {
            snprintf(err, errlen, "artifact corrupt: map %u has more entries than bytes", i);
            return -1;
        }
        m->name = strndup((const char *)name, name_len);
        if (!m->name) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        a->nmaps++; /* freed with the artifact from here on */
        /* checked here, kept in the stored form (expanded when written
         * into the kernel, a batch at a time) */
        size_t start = c.off;
        for (uint32_t e = 0; e < m->nentries && !c.bad; e++) {
            uint32_t kl = sgc_icur_u16(&c);
            sgc_icur_bytes(&c, kl);
            if (c.bad || kl > m->key_size) {
                c.bad = true;
                break;
            }
            uint32_t vl = sgc_icur_u16(&c);
            sgc_icur_bytes(&c, vl);
            if (c.bad || vl > m->value_size) c.bad = true;
        }
        if (!c.bad) {
            m->packed_len = c.off - start;
            m->packed = malloc(m->packed_len + 1);
            if (!m->packed) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            memcpy(m->packed, p + start, m->packed_len);
        }
        if (c.bad) {
            snprintf(err, errlen, "artifact corrupt: bad entry in map %u", i);
            return -1;
        }
    }
    if (c.off != len) {
        snprintf(err, errlen, "artifact corrupt: %zu stray bytes after the maps", len - c.off);
        return -1;
    }
    return 0;
}

/* Checks the container; fills where each section is. */
static int check_container(const uint8_t *p, size_t size, const uint8_t *sec[5], size_t secsize[5],
                           uint32_t *flags, char *err, size_t errlen)
{
    if (size < 8 && memcmp(p, SGC_ARTIFACT_MAGIC, size) != 0) {
        snprintf(err, errlen, "not an sgc artifact (bad magic)");
        return -1;
    }
    if (size >= 8 && !sgc_artifact_has_magic(p, size)) {
        snprintf(err, errlen, "not an sgc artifact (bad magic)");
        return -1;
    }
    if (size < 12) { /* a prefix of an artifact */
        snprintf(err, errlen, "artifact truncated: expected at least %d bytes, got %zu",
                 SGC_ARTIFACT_HEADER_SIZE, size);
        return -1;
    }
    uint32_t version = sgc_le32(p + 8);
    if (version != SGC_ARTIFACT_VERSION) {
        snprintf(err, errlen,
                 "unsupported artifact format version %u (this sgc reads version %d): "
                 "recompile the rules with this sgc",
                 version, SGC_ARTIFACT_VERSION);
        return -1;
    }
    if (size < SGC_ARTIFACT_HEADER_SIZE) {
        snprintf(err, errlen, "artifact truncated: expected at least %d bytes, got %zu",
                 SGC_ARTIFACT_HEADER_SIZE, size);
        return -1;
    }
    if (sgc_crc32(p, 36) != sgc_le32(p + 36)) {
        snprintf(err, errlen, "artifact corrupt: header checksum mismatch");
        return -1;
    }
    uint32_t nsec = sgc_le32(p + 16);
    uint32_t header_size = sgc_le32(p + 20);
    uint64_t total = sgc_le64(p + 24);
    if (header_size != SGC_ARTIFACT_HEADER_SIZE) {
        snprintf(err, errlen, "artifact corrupt: header size %u (expected %d)", header_size,
                 SGC_ARTIFACT_HEADER_SIZE);
        return -1;
    }
    if (total > size) {
        snprintf(err, errlen, "artifact truncated: expected %llu bytes, got %zu",
                 (unsigned long long)total, size);
        return -1;
    }
    if (total < size) {
        snprintf(err, errlen, "artifact corrupt: %llu bytes of trailing data after its end",
                 (unsigned long long)(size - total));
        return -1;
    }
    if (sgc_crc32(p + SGC_ARTIFACT_HEADER_SIZE, size - SGC_ARTIFACT_HEADER_SIZE) !=
        sgc_le32(p + 32)) {
        snprintf(err, errlen, "artifact corrupt: checksum mismatch");
        return -1;
    }
    /* from here on the bytes are what the writer wrote; checks below guard
     * against a writer bug or a crafted file with a matching CRC */
    if (nsec == 0 || nsec > 64 || (size - SGC_ARTIFACT_HEADER_SIZE) / TABLE_ENTRY_SIZE < nsec) {
        snprintf(err, errlen, "artifact corrupt: bad section count %u", nsec);
        return -1;
    }
    uint64_t data_start = SGC_ARTIFACT_HEADER_SIZE + (uint64_t)nsec * TABLE_ENTRY_SIZE;
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *e = p + SGC_ARTIFACT_HEADER_SIZE + (size_t)i * TABLE_ENTRY_SIZE;
        uint32_t type = sgc_le32(e);
        uint64_t off = sgc_le64(e + 8), len = sgc_le64(e + 16);
        if (off < data_start || off > size || len > size - off) {
            snprintf(err, errlen, "artifact corrupt: section %u lies outside the file", i);
            return -1;
        }
        if (type == 0 || type > 4)
            continue; /* unknown section types are skipped: room for additions */
        if (sec[type]) {
            snprintf(err, errlen, "artifact corrupt: section type %u appears twice", type);
            return -1;
        }
        sec[type] = p + off;
        secsize[type] = (size_t)len;
    }
    static const char *const names[] = {NULL, "BPF object", "manifest", "maps"};
    for (int t = 1; t <= 3; t++)
        if (!sec[t]) {
            snprintf(err, errlen, "artifact corrupt: no %s section", names[t]);
            return -1;
        }
    *flags = sgc_le32(p + 12);
    return 0;
}

static int check_semantics(const sgc_artifact *a, char *err, size_t errlen)
{
    if (a->event_version != SGC_EVENT_VERSION) {
        snprintf(err, errlen,
                 "artifact's BPF object writes event records of version %d, this sgc (%s) decodes "
                 "version %d: recompile the rules with this sgc",
                 a->event_version, SGC_VERSION, SGC_EVENT_VERSION);
        return -1;
    }
    if (a->bpf_obj_size < 4 || memcmp(a->bpf_obj,
                                      "\x7f"
                                      "ELF",
                                      4) != 0) {
        snprintf(err, errlen, "artifact corrupt: the BPF object section is not an ELF file");
        return -1;
    }
    return 0;
}

/* Give back the resident pages of a read-only file mapping's bytes already
 * read (they are read again from the page cache if touched): the peak
 * while the manifest is parsed then holds one section, not the file. */
static void release(const void *p, size_t n, bool mapped)
{
    if (!mapped || !n) return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + n) & ~(page - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* data is a read-only file mapping when mapped. The manifest is parsed
 * first: its DOM is the load's largest transient (issue 18). */
static sgc_artifact *parse(const void *data, size_t size, bool mapped, char *err, size_t errlen)
{
    const uint8_t *sec[5] = {0};
    size_t secsize[5] = {0};
    uint32_t flags = 0;
    if (check_container(data, size, sec, secsize, &flags, err, errlen)) return NULL;
    release(data, size, mapped); /* read once by the checksum */
    sgc_artifact *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->flags = flags;
    if (sgc_artifact_manifest_parse(a, (const char *)sec[SGC_ARTS_MANIFEST],
                                    secsize[SGC_ARTS_MANIFEST], err, errlen))
        goto fail;
    release(sec[SGC_ARTS_MANIFEST], secsize[SGC_ARTS_MANIFEST], mapped);
    a->bpf_obj = malloc(secsize[SGC_ARTS_BPF_OBJECT] + 1);
    if (!a->bpf_obj) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    memcpy(a->bpf_obj, sec[SGC_ARTS_BPF_OBJECT], secsize[SGC_ARTS_BPF_OBJECT]);
    a->bpf_obj_size = secsize[SGC_ARTS_BPF_OBJECT];
    release(sec[SGC_ARTS_BPF_OBJECT], secsize[SGC_ARTS_BPF_OBJECT], mapped);
    if (parse_maps(a, sec[SGC_ARTS_MAPS], secsize[SGC_ARTS_MAPS], err, errlen)) goto fail;
    if (sec[SGC_ARTS_LISTS] &&
        sgc_artifact_parse_lists(a, sec[SGC_ARTS_LISTS], secsize[SGC_ARTS_LISTS], err, errlen))
        goto fail;
    if (check_semantics(a, err, errlen)) goto fail;
    return a;
fail:
    sgc_artifact_free(a);
    return NULL;
}

sgc_artifact *sgc_artifact_parse(const void *data, size_t size, char *err, size_t errlen)
{
    return parse(data, size, false, err, errlen);
}

sgc_artifact *sgc_artifact_read(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return NULL;
    }
    /* mapped, not copied: the pages are given back section by section */
    size_t len = (size_t)st.st_size;
    bool reg = S_ISREG(st.st_mode);
    void *map = len && reg ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    int map_errno = errno;
    close(fd);
    if (!reg || (len && map == MAP_FAILED)) {
        snprintf(err, errlen, "cannot read %s%s%s", path, reg ? ": " : "",
                 reg ? strerror(map_errno) : "");
        return NULL;
    }
    char why[400];
    sgc_artifact *a;
    if (len) {
        a = parse(map, len, true, why, sizeof why);
        munmap(map, len);
    } else {
        a = parse("", 0, false, why, sizeof why); /* empty: "artifact truncated" */
    }
    if (!a) snprintf(err, errlen, "%s: %s", path, why);
    return a;
}
