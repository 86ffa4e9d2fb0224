/* libFuzzer target: any bytes as an sgc.yaml; parse, merge-free check
 * against the schema, free. Crashes, leaks and sanitizer reports are
 * failures; errors in the input are expected. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgc_conf c;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_config_load_text(&c, "fuzz.yaml", (const char *)data, size, &d);
    sgc_config_free(&c);
    sgc_diags_free(&d);
    return 0;
}
