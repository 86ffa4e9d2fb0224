/* libFuzzer target: any bytes as a rules file; load, resolve, print, free.
 * Crashes, leaks and sanitizer reports are failures. */
#include "loader.h"
#include "resolve.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgc_ruleset *rs = sgc_ruleset_new();
    sgc_ruleset_load_buffer(rs, "fuzz.yaml", (const char *)data, size);
    /* a second file on top exercises append/override against the first */
    sgc_ruleset_load_buffer(rs, "fuzz2.yaml", (const char *)data, size);
    sgc_ruleset_resolve(rs);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        sgc_ruleset_print_resolved(null, rs);
        fclose(null);
    }
    sgc_ruleset_free(rs);
    return 0;
}
