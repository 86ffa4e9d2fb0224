/* SHA-256 (FIPS 180-4), for content hashes: the artifact's record of the
 * rules files it was built from, and the compile cache's key. */
#ifndef SGC_SHA256_H
#define SGC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sgc_sha256 {
    uint32_t h[8];
    uint64_t nbytes;
    uint8_t buf[64];
    size_t nbuf;
} sgc_sha256;

void sgc_sha256_init(sgc_sha256 *s);
void sgc_sha256_update(sgc_sha256 *s, const void *data, size_t len);
void sgc_sha256_final(sgc_sha256 *s, uint8_t out[32]);

/* Lowercase hex of a digest: 64 characters and a NUL. */
void sgc_sha256_hex(const uint8_t digest[32], char out[65]);
/* One call: hex digest of data. */
void sgc_sha256_hex_of(const void *data, size_t len, char out[65]);

/* Hash a file's identity, not its bytes: its size, modification time and
 * inode, after `tag` (nothing but the tag when it cannot be read). For the
 * programs a cache entry was made with (this sgc, clang): a rebuilt or
 * upgraded binary gets new entries. */
void sgc_sha256_update_file_identity(sgc_sha256 *s, const char *tag, const char *path);

#endif
