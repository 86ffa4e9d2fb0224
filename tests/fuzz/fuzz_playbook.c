/* libFuzzer target: any bytes as a Talon-format playbook (loaded twice, the
 * second time as an override of the first), then finished; and the same
 * bytes as a respond.yaml. Crashes, leaks and sanitizer reports fail. */
#include "playbook.h"
#include "respond_config.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_playbook pb;
    rp_playbook_init(&pb);
    rp_playbook_load(&pb, "fuzz.yaml", (const char *)data, size);
    rp_playbook_load(&pb, "fuzz-override.yaml", (const char *)data, size);
    rp_playbook_finish(&pb);
    rp_playbook_free(&pb);

    char path[] = "/tmp/sgc-fuzz-respond-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        if (write(fd, data, size) == (ssize_t)size) {
            rp_config cfg;
            sgc_diags d;
            sgc_diags_init(&d);
            rp_config_load(&cfg, path, &d);
            rp_config_free(&cfg);
            sgc_diags_free(&d);
        }
        close(fd);
        unlink(path);
    }
    return 0;
}
