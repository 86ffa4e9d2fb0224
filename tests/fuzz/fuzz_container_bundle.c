/* libFuzzer target for the OCI bundle reader (runtime/containers/
 * container_bundle.c): a container's config.json and containers/storage's
 * containers.json come from the machine, not from sgc. Build with
 * -DSGC_FUZZ=ON (clang).
 *
 * The input is split at its first NUL byte: before it config.json, after it
 * containers.json (absent without a NUL). The whole input is also read as a
 * command line (NUL-separated arguments) of conmon and of runc. Nothing may
 * crash or leak, and a parsed entry is freed whole. */
#include "container_bundle.h"
#include "containers.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t clen = nul ? (size_t)(nul - text) : size;
    const char *list = nul ? nul + 1 : NULL;
    size_t llen = nul ? size - clen - 1 : 0;

    sgc_bundle_ref ref;
    memset(&ref, 0, sizeof ref);
    memset(ref.id, 'a', 64);
    memcpy(ref.name, "fuzz", 5);
    sgc_containers *t = sgc_containers_new();
    if (!t) return 0;
    sgc_container_info *ci = sgc_containers_upsert(t, ref.id);
    if (ci) sgc_container_bundle_parse(text, clen, list, llen, &ref, ci);
    sgc_containers_free(t);

    sgc_bundle_ref r2;
    sgc_container_bundle_cmdline("/usr/bin/conmon", text, size, &r2);
    sgc_container_bundle_cmdline("runc", text, size, &r2);
    return 0;
}
