/* The reference of the kernel's exec-record atoms (bpf-templates/
 * filter_exec.h, compiler/pushdown/pushdown_exec.c): proc.exe (argv[0]),
 * proc.exepath, proc.cwd and proc.is_exe_* over an exec record's blobs, as
 * the filter reads them; UNKNOWN on any other record. */
#include "decode.h"
#include "pushdown_eval.h"

#include <string.h>

bool sgc_kexec_string(const sgc_katom *k, const sgc_evt *ev, char buf[SGC_KSTR_MAX + 1],
                      size_t *len)
{
    if (ev->hdr->kind != SGC_REC_PROC_EXEC) return false;
    unsigned tag = k->idx == SGC_KEX_SLOT_EXE       ? SGC_BLOB_ARGV
                   : k->idx == SGC_KEX_SLOT_EXEPATH ? SGC_BLOB_EXE
                                                    : SGC_BLOB_CWD;
    const sgc_blob *b = sgc_evt_blob(ev, tag);
    /* missing, faulted or truncated (an argv cut after its first item is
     * whole: the kernel's copy keeps the first bytes) */
    if (!b || (b->flags & ~(tag == SGC_BLOB_ARGV ? SGC_BLOBF_TRUNCATED : 0))) return false;
    size_t n = strnlen((const char *)b->p, b->len);
    if (n == b->len || n > SGC_KSTR_MAX) return false; /* no NUL, or too long */
    memcpy(buf, b->p, n);
    if (k->idx == SGC_KEX_SLOT_CWD) {
        if (n == 0) return false; /* the evaluator has no cwd */
        if (buf[n - 1] != '/') {
            if (n + 1 > SGC_KSTR_MAX) return false;
            buf[n++] = '/';
        }
    }
    buf[n] = '\0';
    *len = n;
    return true;
}

sgc_kleene sgc_kexec_flag(const sgc_katom *k, const sgc_evt *ev)
{
    if (ev->hdr->kind != SGC_REC_PROC_EXEC) return SGC_K_UNKNOWN;
    const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_EXE_FLAGS);
    uint32_t v;
    if (!b || b->flags || b->len < sizeof v) return SGC_K_UNKNOWN;
    memcpy(&v, b->p, sizeof v);
    return v & (k->nmasks ? k->masks[0] : 0) ? SGC_K_TRUE : SGC_K_FALSE;
}
