/* libFuzzer target for the artifact reader (compiler/artifact/artifact_read.c,
 * artifact_manifest.c, artifact_ruleset.c). Build with -DSGC_FUZZ=ON (clang).
 *
 * Each input is parsed twice: as is (the container checks: magic, version,
 * sizes, checksums), and with the header's total size and both CRCs
 * recomputed, so mutations reach the section table, the manifest JSON, the
 * map records and the re-parsing of the stored conditions. Whatever parses
 * is also turned into a rule set; nothing may crash or leak. */
#include "artifact.h"
#include "artifact_bytes.h"
#include "loader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void try_parse(const uint8_t *p, size_t len)
{
    char err[512];
    sgc_artifact *a = sgc_artifact_parse(p, len, err, sizeof err);
    if (!a) return;
    sgc_ruleset *rs = sgc_artifact_ruleset(a, err, sizeof err);
    sgc_ruleset_free(rs);
    sgc_artifact_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_parse(data, size);
    if (size < SGC_ARTIFACT_HEADER_SIZE) return 0;
    uint8_t *p = malloc(size);
    if (!p) return 0;
    memcpy(p, data, size);
    memcpy(p, SGC_ARTIFACT_MAGIC, 8);
    sgc_put_le32(p + 8, SGC_ARTIFACT_VERSION);
    sgc_put_le64(p + 24, size);
    sgc_put_le32(p + 32, sgc_crc32(p + SGC_ARTIFACT_HEADER_SIZE, size - SGC_ARTIFACT_HEADER_SIZE));
    sgc_put_le32(p + 36, sgc_crc32(p, 36));
    try_parse(p, size);
    free(p);
    return 0;
}
