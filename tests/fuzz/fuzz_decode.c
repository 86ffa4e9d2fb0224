/* libFuzzer target: arbitrary bytes as a ring-buffer record. Decoding must
 * answer without reading past the input, and a record that decodes must
 * extract every evt.* and fd.* field safely. Build with -DSGC_FUZZ=ON (clang). */
#include "fields.h"
#include "decode.h"
#include "extract.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sgc_field_ref refs[128];
    static int nrefs = -1;
    static sgc_arena arena;
    if (nrefs < 0) {
        nrefs = 0;
        sgc_arena_init(&arena, 0);
        int nfields;
        const sgc_field_def *all = sgc_fields_all(&nfields);
        for (int i = 0; i < nfields && nrefs < 128; i++) {
            if (strncmp(all[i].name, "evt.", 4) && strncmp(all[i].name, "fd.", 3)) continue;
            char err[200];
            const char *arg = (all[i].arg & SGC_ARG_REQUIRED) ? "name" : NULL;
            if (sgc_field_ref_init(&refs[nrefs], all[i].name, arg, NULL, err, sizeof err)) nrefs++;
        }
    }
    /* records are 8-byte aligned in the ring buffer: copy to an exact-size
     * aligned buffer so reads past the end are caught */
    uint64_t *buf = malloc(size ? (size + 7) / 8 * 8 : 8);
    if (!buf) return 0;
    memcpy(buf, data, size);
    sgc_evt ev;
    if (sgc_decode(buf, size, &ev) == SGC_DECODE_OK) {
        sgc_extract_ctx cx;
        memset(&cx, 0, sizeof cx);
        cx.scratch = &arena;
        cx.hostname = "fuzz";
        sgc_extract_ctx_reset(&cx, &ev, NULL);
        for (int i = 0; i < nrefs; i++) {
            sgc_val v;
            size_t len;
            sgc_extract(&cx, &refs[i], &v);
            (void)sgc_val_render(&v, &arena, &len);
        }
        sgc_arena_reset(&arena);
    }
    free(buf);
    return 0;
}
