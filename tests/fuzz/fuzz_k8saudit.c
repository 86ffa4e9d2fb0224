/* libFuzzer target for the Kubernetes audit-event parser
 * (runtime/k8saudit/ka_event.c) and the k8s_audit extractors
 * (runtime/k8saudit/ka_fields.c). Build with -DSGC_FUZZ=ON (clang).
 *
 * Each input is a webhook body or an audit log line: it is parsed with a
 * small and with no event size limit, and every field of the k8s_audit
 * catalog (with an index, a key and a JSON pointer where they take one) is
 * extracted from every event and rendered. Nothing may crash or leak. */
#include "extract.h"
#include "fields.h"
#include "ka_event.h"

#include <stdint.h>
#include <string.h>

static void each_field(sgc_ka_event *ev, void *ud)
{
    (void)ud;
    struct sgc_event_hdr hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.kind = SGC_REC_PLUGIN;
    hdr.ts_ns = (uint64_t)ev->ts_ns;
    sgc_evt rec;
    memset(&rec, 0, sizeof rec);
    rec.hdr = &hdr;
    sgc_arena scratch;
    sgc_arena_init(&scratch, 0);
    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &scratch;
    cx.ka = ev;
    cx.ka_cluster = "fuzz";
    cx.hostname = "fuzz";
    sgc_extract_ctx_reset(&cx, &rec, NULL);
    int n;
    const sgc_field_def *all = sgc_fields_all(&n);
    static const char *const args[] = {NULL, "0", "1", "/spec/containers/0/image", "x", "/etc*"};
    for (int i = 0; i < n; i++) {
        if (!sgc_field_in_source(&all[i], SGC_SRC_K8S_AUDIT)) continue;
        for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) {
            sgc_field_ref ref;
            char err[128];
            if (!sgc_field_ref_init(&ref, all[i].name, args[a], &all[i], err, sizeof err)) continue;
            sgc_val v;
            size_t len;
            sgc_extract(&cx, &ref, &v);
            sgc_val_render(&v, &scratch, &len);
            sgc_field_ref_release(&ref);
        }
    }
    sgc_arena_free(&scratch);
    sgc_ka_event_clear(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgc_ka_parse_stats st = {0};
    char err[256];
    sgc_ka_parse_payload((const char *)data, size, 0, each_field, NULL, &st, err, sizeof err);
    sgc_ka_parse_payload((const char *)data, size, 64, each_field, NULL, &st, err, sizeof err);
    return 0;
}
