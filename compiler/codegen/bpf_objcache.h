/* Objects sgc_bpf_build compiled before, by content (codegen only).
 *
 * clang is most of a compile's time, and its input, the generated filter,
 * often does not change when the rules do: list items live in maps that are
 * filled at load time, so a reload after a list update (threat intelligence)
 * generates the same C. The key is a SHA-256 of that source, the candidate
 * bitmap width, this sgc binary (its embedded templates) and the clang binary
 * (path, size, mtime, inode); an entry is the finished, stripped object.
 * Entries are written to a temporary name and renamed, so concurrent builds
 * never see half an object. */
#ifndef SGC_BPF_OBJCACHE_H
#define SGC_BPF_OBJCACHE_H

#include <stddef.h>
#include <stdint.h>

void sgc_bpf_objcache_key(const char *clang, const char *filter_src, size_t filter_len,
                          int cand_words, char key[65]);

/* 0 and a malloc'd copy of the entry in *obj, or -1 (no entry). */
int sgc_bpf_objcache_get(const char *dir, const char *key, uint8_t **obj, size_t *objlen);

/* Store an entry; a failure only costs the next build its clang run. */
void sgc_bpf_objcache_put(const char *dir, const char *key, const uint8_t *obj, size_t objlen);

#endif
