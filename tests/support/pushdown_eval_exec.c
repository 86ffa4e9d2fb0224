/* The reference of the kernel's exec-record atoms (bpf-templates/
 * filter_exec.h, compiler/pushdown/pushdown_exec.c): proc.exe (argv[0]),
 * proc.exepath, proc.cwd, proc.cmdline, proc.args, proc.env (contains and
 * icontains) and proc.is_exe_* over an exec record's blobs, as the filter
 * reads them; UNKNOWN on any other record. */
#include "decode.h"
#include "pushdown_eval.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The filter's string slots hold 251 bytes with the NUL (filter_helpers.h
 * SGC_F_STRBUF): argv[0] is found when its NUL is among them. */
#define SLOT_BYTES 252

/* cmdline or args as the evaluator renders them (runtime/eval/
 * fields_proc.c: comm, a space and argv[1..] joined by spaces when there
 * are any), when the kernel builds them: an ARGV blob not faulted, the end
 * of argv[0] found within a slot's read, a comm, at most SGC_KSTR_MAX
 * bytes. */
static bool join_args(const sgc_evt *ev, bool cmdline, char buf[SGC_KSTR_MAX + 1], size_t *len)
{
    const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_ARGV);
    if (!b || (b->flags & SGC_BLOBF_FAULT)) return false;
    const char *p = (const char *)b->p;
    size_t z = strnlen(p, b->len), alen = 0;
    if (z < b->len) { /* argv[0] ends in the blob */
        if (z + 1 >= SLOT_BYTES) return false;
        alen = b->len - z - 1;
    } else if (b->len >= SLOT_BYTES) {
        return false; /* no NUL among the bytes read */
    }
    const char *a = p + z + 1;
    size_t keep = alen && a[alen - 1] == '\0' ? alen - 1 : alen;
    size_t n = 0;
    if (cmdline) {
        n = strnlen(ev->hdr->comm, SGC_COMM_LEN);
        if (n == SGC_COMM_LEN) n = SGC_COMM_LEN - 1;
        if (n == 0) return false; /* the evaluator keeps an older name */
    }
    size_t total = n + (alen ? (cmdline ? 1 : 0) + keep : 0);
    if (total > SGC_KSTR_MAX) return false;
    memcpy(buf, ev->hdr->comm, n);
    if (alen && cmdline) buf[n++] = ' ';
    for (size_t i = 0; alen && i < keep; i++) buf[n++] = a[i] ? a[i] : ' ';
    buf[n] = '\0';
    *len = n;
    return true;
}

sgc_kleene sgc_kexec_scan(const sgc_katom *k, const sgc_evt *ev)
{
    if (ev->hdr->kind != SGC_REC_PROC_EXEC) return SGC_K_UNKNOWN;
    static char hay[SGC_BLOB_MAX + 1];
    char buf[SGC_KSTR_MAX + 1];
    size_t n;
    if (k->src == SGC_KV_ENV) {
        /* the evaluator's proc.env: the items joined by spaces */
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_ENV);
        if (!b || (b->flags & SGC_BLOBF_FAULT) || b->len > SGC_BLOB_MAX) return SGC_K_UNKNOWN;
        n = b->len && b->p[b->len - 1] == '\0' ? b->len - 1u : b->len;
        for (size_t i = 0; i < n; i++) hay[i] = b->p[i] ? (char)b->p[i] : ' ';
    } else {
        if (!sgc_kexec_string(k, ev, buf, &n)) return SGC_K_UNKNOWN;
        memcpy(hay, buf, n);
    }
    char needle[2 * SGC_KSEG_MAX + 1];
    size_t m = (size_t)snprintf(needle, sizeof needle, "%s%s", k->segs[0], k->segs[1]);
    if (k->num)
        for (size_t i = 0; i < n; i++) hay[i] = (char)tolower((unsigned char)hay[i]);
    if (!m || !memmem(hay, n, needle, m)) return SGC_K_FALSE;
    return k->nsegs ? SGC_K_UNKNOWN : SGC_K_TRUE; /* the start of a longer constant */
}

bool sgc_kexec_string(const sgc_katom *k, const sgc_evt *ev, char buf[SGC_KSTR_MAX + 1],
                      size_t *len)
{
    if (ev->hdr->kind != SGC_REC_PROC_EXEC) return false;
    if (k->idx == SGC_KEX_SLOT_CMDLINE || k->idx == SGC_KEX_SLOT_ARGS)
        return join_args(ev, k->idx == SGC_KEX_SLOT_CMDLINE, buf, len);
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
