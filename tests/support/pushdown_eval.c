/* The reference evaluator of the kernel filter, in C: what the generated BPF
 * program computes, over a decoded record. Tests compare it with the BPF
 * program (BPF_PROG_TEST_RUN) and with the exact userspace evaluator (kernel
 * FALSE must imply "no match"). */
#include "codegen_bpf.h"
#include "decode.h"
#include "capture.h"
#include "pushdown_eval.h"
#include "pushdown_int.h"

#include <fcntl.h>
#include <string.h>

/* A path the kernel decides: absolute and clean, so every resolution of it
 * (Falco's fd.name, the raw argument) is the same string. */
bool sgc_kpath_is_clean(const char *s, size_t len)
{
    if (len == 0 || s[0] != '/') return false;
    if (len > 1 && s[len - 1] == '/') return false;
    size_t seg_start = 1;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && s[i] != '/') continue;
        size_t seg = i - seg_start;
        if (seg == 0 && i < len) return false;             /* "//" */
        if (seg == 1 && s[seg_start] == '.') return false; /* "/./" */
        if (seg == 2 && s[seg_start] == '.' && s[seg_start + 1] == '.') return false;
        seg_start = i + 1;
    }
    return true;
}

/* runtime/state/path.c sgc_path_split: "/a/b" -> "/a", "/a" -> "/", "/" -> "/" */
size_t sgc_kpath_dirlen(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && s[i - 1] != '/') i--;
    return i == 0 ? 0 : i == 1 ? 1 : i - 1;
}

/* The first occurrence of needle in s[from..len), or -1 (what the BPF
 * helper sgc_f_find computes). */
static long find_from(const char *s, size_t len, const char *needle, size_t m, size_t from)
{
    if (from > len || len - from < m) return -1;
    for (size_t i = from; i + m <= len; i++)
        if (!memcmp(s + i, needle, m)) return (long)i;
    return -1;
}

/* segs[0] at the start, segs[n-1] at the end (not overlapping it), the
 * middle ones leftmost in order: exactly a glob of '*' between literals. */
bool sgc_kglob_match(const sgc_katom *k, const char *s, size_t len)
{
    int n = k->nsegs;
    size_t m0 = strlen(k->segs[0]), mn = strlen(k->segs[n - 1]);
    if (m0 + mn > len) return false;
    if (memcmp(s, k->segs[0], m0) || memcmp(s + len - mn, k->segs[n - 1], mn)) return false;
    size_t pos = m0, lim = len - mn;
    for (int i = 1; i < n - 1; i++) {
        size_t mi = strlen(k->segs[i]);
        if (!mi) continue;
        long q = find_from(s, len, k->segs[i], mi, pos);
        if (q < 0 || (size_t)q + mi > lim) return false;
        pos = (size_t)q + mi;
    }
    return true;
}

static bool starts_with(const char *s, size_t len, const char *p, size_t plen)
{
    return plen <= len && !memcmp(s, p, plen);
}

static bool ends_with(const char *s, size_t len, const char *p, size_t plen)
{
    return plen <= len && !memcmp(s + len - plen, p, plen);
}

/* The verdict of a string against a set, as the BPF maps answer it: equality
 * is an exact lookup; prefix and suffix lookups return the longest match. */
sgc_kleene sgc_kset_match(const sgc_kset *set, const char *s, size_t len)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < set->nitems; i++) {
        const char *it = set->items[i];
        size_t il = strlen(it);
        bool m = false;
        switch (set->kind) {
        case SGC_SET_EQ: m = il == len && !memcmp(it, s, len); break;
        case SGC_SET_PREFIX: m = starts_with(s, len, it, il); break;
        case SGC_SET_SUFFIX: m = ends_with(s, len, it, il); break;
        case SGC_SET_PMATCH:
            m = (il == len && !memcmp(it, s, len)) ||
                (il == 1 && it[0] == '/' && len >= 1 && s[0] == '/') ||
                (starts_with(s, len, it, il) && len > il && s[il] == '/');
            break;
        }
        if (m && (best < 0 || il > best_len)) {
            best = i;
            best_len = il;
        }
    }
    if (best < 0) return SGC_K_FALSE;
    return set->verdict[best] == 1 ? SGC_K_TRUE : SGC_K_UNKNOWN;
}

static sgc_kleene num_cmp(const sgc_katom *k, uint64_t raw)
{
    /* Values are compared at the atom's width and signedness. */
    int64_t sv;
    uint64_t uv;
    if (k->width == 32) {
        sv = (int32_t)(uint32_t)raw;
        uv = (uint32_t)raw;
    } else {
        sv = (int64_t)raw;
        uv = raw;
    }
    bool r = false;
    if (k->kop == SGC_KOP_NUM_IN) {
        for (int i = 0; i < k->nnums && !r; i++)
            r = k->is_signed ? sv == k->nums[i] : uv == (uint64_t)k->nums[i];
        return r ? SGC_K_TRUE : SGC_K_FALSE;
    }
    int c;
    if (k->is_signed)
        c = sv < k->num ? -1 : sv > k->num;
    else
        c = uv<(uint64_t)k->num ? -1 : uv>(uint64_t) k->num;
    switch (k->cmp) {
    case SGC_OP_EQ: r = c == 0; break;
    case SGC_OP_NE: r = c != 0; break;
    case SGC_OP_LT: r = c < 0; break;
    case SGC_OP_LE: r = c <= 0; break;
    case SGC_OP_GT: r = c > 0; break;
    case SGC_OP_GE: r = c >= 0; break;
    default: return SGC_K_UNKNOWN;
    }
    return r ? SGC_K_TRUE : SGC_K_FALSE;
}

static sgc_kleene bits(const sgc_katom *k, uint64_t v)
{
    if (k->accset & (1u << (v & 3))) return SGC_K_TRUE;
    for (int i = 0; i < k->nmasks; i++)
        if ((v & k->masks[i]) == k->masks[i]) return SGC_K_TRUE;
    return SGC_K_FALSE;
}

/* A comm set past the map's planes is UNKNOWN in the filter, but the
 * index guard of its chunk (pushdown_index.h) tests the union of its
 * chunk's sets, which comes first among the planes: when that union holds
 * every item of the set and not s, the filter skips the chunk, i.e. the
 * set's atom is FALSE. (The scale test's rules each have their own names,
 * so the union covering a set is its own chunk's.) */
static sgc_kleene comm_past_planes(const sgc_pushdown *pd, const sgc_kset *set, const char *s,
                                   size_t len)
{
    for (int g = 0; g < pd->nsets; g++) {
        const sgc_kset *u = pd->sets[g];
        if (!u->guard || u == set || !u->comm ||
            sgc_codegen_comm_index(pd, g) >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
            continue;
        bool covers = true;
        for (int i = 0; i < set->nitems && covers; i++)
            covers = sgc_kset_match(u, set->items[i], strlen(set->items[i])) != SGC_K_FALSE;
        if (covers && sgc_kset_match(u, s, len) == SGC_K_FALSE) return SGC_K_FALSE;
    }
    return SGC_K_UNKNOWN;
}

static sgc_kleene eval_plain(const sgc_pushdown *pd, const sgc_katom *k, const sgc_evt *ev)
{
    const struct sgc_event_hdr *h = ev->hdr;
    uint64_t raw = 0;
    const char *s = NULL;
    size_t len = 0;
    char xbuf[SGC_KSTR_MAX + 1];
    switch (k->src) {
    case SGC_KV_HOST:
        /* the kernel's sgc_cid map, as the test filled it */
        if (!sgc_pushdown_eval_on_host || !sgc_pushdown_eval_on_host(h)) return SGC_K_UNKNOWN;
        return k->num ? SGC_K_TRUE : SGC_K_FALSE;
    case SGC_KV_HDR:
        if (k->hdr_size == 4) {
            uint32_t v;
            memcpy(&v, (const char *)h + k->hdr_off, 4);
            raw = v;
        } else {
            memcpy(&raw, (const char *)h + k->hdr_off, 8);
        }
        break;
    case SGC_KV_RET: raw = (uint64_t)h->ret; break;
    case SGC_KV_REG: raw = k->idx >= 0 && k->idx < SGC_NARGS ? h->args[k->idx] : 0; break;
    case SGC_KV_COMM:
    case SGC_KV_PCOMM:
        s = k->src == SGC_KV_COMM ? h->comm : h->pcomm;
        len = strnlen(s, SGC_COMM_LEN);
        if (len == SGC_COMM_LEN) len = SGC_COMM_LEN - 1; /* the kernel's comm always ends in NUL */
        if (len == 0) return SGC_K_UNKNOWN; /* the evaluator keeps an older name then */
        break;
    case SGC_KV_UNAME: {
        /* a process on the host whose id the map names */
        if (!sgc_pushdown_eval_on_host || !sgc_pushdown_eval_on_host(h) || !sgc_pushdown_eval_uname)
            return SGC_K_UNKNOWN;
        uint32_t id = k->idx == SGC_KUN_EGID   ? h->egid
                      : k->idx == SGC_KUN_EUID ? h->euid
                                               : h->loginuid;
        s = sgc_pushdown_eval_uname(k->idx == SGC_KUN_EGID ? SGC_UNAME_GROUP : SGC_UNAME_USER, id);
        if (!s) return SGC_K_UNKNOWN;
        len = strlen(s);
        break;
    }
    case SGC_KV_SOCK: return SGC_K_UNKNOWN; /* sgc_ksock_eval */
    case SGC_KV_ANC: return SGC_K_UNKNOWN;  /* sgc_kanc_eval */
    case SGC_KV_XFLAG: return sgc_kexec_flag(k, ev);
    case SGC_KV_ENV: return sgc_kexec_scan(k, ev);
    case SGC_KV_EXEC:
        if (k->kop == SGC_KOP_STR_SCAN) return sgc_kexec_scan(k, ev);
        if (!sgc_kexec_string(k, ev, xbuf, &len)) return SGC_K_UNKNOWN;
        s = xbuf;
        break;
    case SGC_KV_PATH:
    case SGC_KV_RAW:
    case SGC_KV_DIR: {
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_ARG0 + (unsigned)k->idx);
        if (!b || b->flags) return SGC_K_UNKNOWN; /* missing, truncated or faulted */
        s = (const char *)b->p;
        len = strnlen(s, b->len);
        if (len == b->len || len > SGC_KSTR_MAX) return SGC_K_UNKNOWN;
        if (k->src == SGC_KV_RAW) break; /* the name as given: any form */
        if (!sgc_kpath_is_clean(s, len)) return SGC_K_UNKNOWN;
        if (k->src == SGC_KV_DIR) {
            bool isdir = k->flags_idx >= 0 && k->flags_idx < SGC_NARGS && h->ret >= 0 &&
                         (h->args[k->flags_idx] & O_DIRECTORY);
            if (!isdir) len = sgc_kpath_dirlen(s, len);
        }
        break;
    }
    }
    switch (k->kop) {
    case SGC_KOP_NUM_CMP:
    case SGC_KOP_NUM_IN: return num_cmp(k, raw);
    case SGC_KOP_BITS: return bits(k, raw);
    case SGC_KOP_STR_SET: {
        /* as the generated filter: comm equality sets beyond the map's
         * planes are UNKNOWN (codegen_bpf.c), unless a chunk guard decides */
        int ci = sgc_codegen_comm_index(pd, k->set);
        if (ci >= SGC_FCOMM_PLANES * SGC_FCOMM_PLANE_SETS)
            return comm_past_planes(pd, pd->sets[k->set], s, len);
        return sgc_kset_match(pd->sets[k->set], s, len);
    }
    case SGC_KOP_STR_GLOB: return sgc_kglob_match(k, s, len) ? SGC_K_TRUE : SGC_K_FALSE;
    case SGC_KOP_STR_SCAN: return SGC_K_UNKNOWN; /* exec strings only: above */
    case SGC_KOP_HOST: break;                    /* above */
    case SGC_KOP_CIDR:
    case SGC_KOP_SOCKNAME: return SGC_K_UNKNOWN; /* socket atoms only */
    }
    return SGC_K_UNKNOWN;
}

bool (*sgc_pushdown_eval_on_host)(const struct sgc_event_hdr *h);
const char *(*sgc_pushdown_eval_uname)(unsigned kind, uint32_t id);

sgc_kleene sgc_katom_eval(const sgc_pushdown *pd, int katom, const sgc_evt *ev)
{
    const sgc_katom *k = pd->katoms[katom];
    if (k->src == SGC_KV_SOCK) return sgc_ksock_eval(k, ev);   /* applies its own `!=` */
    if (k->src == SGC_KV_ANC) return sgc_kanc_eval(pd, k, ev); /* the same */
    if (k->ret_guard && ev->hdr->ret < 0) return (sgc_kleene)k->ret_fail;
    if (k->dir_false && k->flags_idx >= 0 && k->flags_idx < SGC_NARGS &&
        (ev->hdr->args[k->flags_idx] & O_DIRECTORY))
        return SGC_K_FALSE; /* ret >= 0 here */
    if (k->src == SGC_KV_UNAME && k->idx == SGC_KUN_LOGINUID && ev->hdr->loginuid == 0xffffffffu)
        return SGC_K_FALSE; /* no login name: every comparison FALSE, `!=` too */
    sgc_kleene v = eval_plain(pd, k, ev);
    return k->negate ? sgc_kleene_not(v) : v;
}

typedef struct eval_ctx {
    const sgc_pushdown *pd;
    const sgc_evt *ev;
} eval_ctx;

static sgc_kleene katom_value(int katom, void *ud)
{
    eval_ctx *c = ud;
    return sgc_katom_eval(c->pd, katom, c->ev);
}

bool sgc_pushdown_eval(const sgc_pushdown *pd, const sgc_evt *ev, uint64_t *cand)
{
    memset(cand, 0, (size_t)pd->cand_words * sizeof *cand);
    int nr = (int)ev->hdr->nr;
    /* an exec record (nr execve) runs the execve group, as sgc_filter_test
     * and the capture's exec hook dispatch on the header's nr */
    bool filtered = ev->hdr->kind == SGC_REC_SYSCALL || ev->hdr->kind == SGC_REC_PROC_EXEC;
    if (!filtered || nr > pd->max_nr) {
        for (int r = 0; r < pd->nrules; r++) cand[r / 64] |= UINT64_C(1) << (r % 64);
        return true;
    }
    int g = pd->group_of_nr[nr];
    if (g < 0) return false;
    const sgc_pd_group *grp = &pd->groups[g];
    eval_ctx c = {pd, ev};
    bool pass = false;
    for (int i = 0; i < grp->nrules; i++) {
        if (sgc_ir_eval(grp->rules[i].f, katom_value, &c) == SGC_K_FALSE) continue;
        int r = grp->rules[i].rule;
        cand[r / 64] |= UINT64_C(1) << (r % 64);
        pass = true;
    }
    return pass;
}

sgc_kleene sgc_pushdown_eval_formula(const sgc_pushdown *pd, const sgc_ir *f, const sgc_evt *ev)
{
    eval_ctx c = {pd, ev};
    return sgc_ir_eval(f, katom_value, &c);
}
