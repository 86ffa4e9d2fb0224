/* libFuzzer target: output templates through the template parser and the
 * output type checker (no crash, no leak, positions inside the text). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "output_fmt.h"
#include "source.h"
#include "typecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgc_output_fmt fmt;
    uint32_t err_off = 0;
    char *err = NULL;
    if (sgc_output_fmt_parse((const char *)data, size, &fmt, &err_off, &err) < 0) {
        if (err_off > size) abort();
        free(err);
    }
    for (int i = 0; i < fmt.nsegs; i++)
        if (fmt.segs[i].off + fmt.segs[i].len > size) abort();
    sgc_output_fmt_free(&fmt);

    /* The checker reads a NUL-terminated text: stop at an embedded NUL. */
    size_t len = strnlen((const char *)data, size);
    sgc_source *src = sgc_source_new(NULL, (const char *)data, len);
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_typecheck_output(src, &d);
    sgc_diags_free(&d);
    sgc_source_free(src);
    return 0;
}
