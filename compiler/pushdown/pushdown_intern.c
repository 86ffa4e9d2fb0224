/* Interning of kernel atoms and of the constant string sets they test, so
 * that an atom or a list several rules share is evaluated / stored once. */
#include "pushdown_int.h"
#include "strindex.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sgc_set_kind_name(sgc_set_kind k)
{
    static const char *const names[] = {"in", "startswith", "endswith", "pmatch"};
    return names[k];
}

static char *katom_text(const sgc_pushdown *pd, const sgc_katom *k)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    if (k->ret_guard) fprintf(f, "(%s if ret < 0) ", sgc_kleene_name((sgc_kleene)k->ret_fail));
    if (k->dir_false) fprintf(f, "(FALSE if O_DIRECTORY in args[%d]) ", k->flags_idx);
    if (k->negate) fputs("not ", f);
    switch (k->src) {
    case SGC_KV_HDR: fprintf(f, "hdr.%s", k->hdr_name); break;
    case SGC_KV_RET: fputs("ret", f); break;
    case SGC_KV_REG: fprintf(f, "args[%d]", k->idx); break;
    case SGC_KV_PATH: fprintf(f, "path(args[%d])", k->idx); break;
    case SGC_KV_RAW: fprintf(f, "raw(args[%d])", k->idx); break;
    case SGC_KV_DIR:
        if (k->flags_idx >= 0)
            fprintf(f, "dir(args[%d], O_DIRECTORY in args[%d])", k->idx, k->flags_idx);
        else
            fprintf(f, "dir(args[%d])", k->idx);
        break;
    case SGC_KV_COMM: fputs("comm", f); break;
    case SGC_KV_PCOMM: fputs("pcomm", f); break;
    case SGC_KV_HOST: fputs("on_host", f); break;
    case SGC_KV_UNAME: {
        static const char *const ids[] = {"euid", "egid", "loginuid"};
        fprintf(f, "name(hdr.%s)", ids[k->idx >= 0 && k->idx < 3 ? k->idx : 0]);
        break;
    }
    case SGC_KV_ANC:
        if (k->idx)
            fprintf(f, "anc[%d]", k->idx);
        else
            fputs("anc[any]", f);
        break;
    case SGC_KV_EXEC:
        fprintf(f, "exec.%s",
                k->idx == SGC_KEX_SLOT_EXE       ? "argv0"
                : k->idx == SGC_KEX_SLOT_EXEPATH ? "exepath"
                : k->idx == SGC_KEX_SLOT_CMDLINE ? "cmdline"
                : k->idx == SGC_KEX_SLOT_ARGS    ? "args"
                                                 : "cwd");
        break;
    case SGC_KV_XFLAG: fputs("exec.exe_flags", f); break;
    case SGC_KV_ENV: fputs("exec.env", f); break;
    case SGC_KV_SOCK: {
        static const char *const fields[] = {"typechar",     "l4proto", "sockfamily", "connected",
                                             "name_changed", "port",    "ip",         "name",
                                             "tuple",        "addr"};
        static const char *const ends[] = {"client", "server", "local", "remote", "either"};
        fprintf(f, "sock.%s", k->idx >= 0 && k->idx < 10 ? fields[k->idx] : "?");
        if (k->idx == 5 || k->idx == 6)
            fprintf(f, "(%s)", ends[k->sock_end >= 0 && k->sock_end < 4 ? k->sock_end : 4]);
        break;
    }
    }
    if (k->src == SGC_KV_HDR || k->src == SGC_KV_REG || k->src == SGC_KV_RET)
        fprintf(f, ":%c%d", k->is_signed ? 's' : 'u', k->width);
    switch (k->kop) {
    case SGC_KOP_NUM_CMP: fprintf(f, " %s %" PRId64, sgc_op_name(k->cmp), k->num); break;
    case SGC_KOP_NUM_IN:
        fputs(" in (", f);
        for (int i = 0; i < k->nnums; i++) fprintf(f, "%s%" PRId64, i ? ", " : "", k->nums[i]);
        fputc(')', f);
        break;
    case SGC_KOP_BITS:
        fputs(" has", f);
        if (k->accset)
            fprintf(f, " accmode{%s%s%s}", k->accset & 1 ? "0" : "", k->accset & 2 ? "1" : "",
                    k->accset & 4 ? "2" : "");
        for (int i = 0; i < k->nmasks; i++) fprintf(f, " all(0x%" PRIx64 ")", k->masks[i]);
        break;
    case SGC_KOP_STR_SET: {
        const sgc_kset *s = pd->sets[k->set];
        /* no item count: the generated C (where this text is a comment)
         * stays the same when a list's items change (bpf_objcache.h) */
        fprintf(f, " %s set#%d", sgc_set_kind_name(s->kind), s->id);
        break;
    }
    case SGC_KOP_CIDR:
        if (k->nnums / 3 > SGC_KSOCK_MAX_ITEMS) {
            /* a list the kernel looks up in its address map: a hash of the
             * items (not the items: 100,000 of them made 4 MB of text),
             * after a '#' so that the generated C's comment can leave it out
             * and stay the same when the items change (bpf_objcache.h); an
             * equal hash of other items is told apart on interning */
            uint64_t h = 1469598103934665603ULL;
            for (int i = 0; i < k->nnums; i++) {
                h ^= (uint64_t)k->nums[i];
                h *= 1099511628211ULL;
            }
            fprintf(f, " in cidr map#%016" PRIx64, h);
            break;
        }
        fputs(" in cidr (", f);
        for (int i = 0; i + 2 < k->nnums; i += 3)
            fprintf(f, "%s%d/%d:%016" PRIx64 ":%016" PRIx64, i ? ", " : "", (int)(k->nums[i] >> 8),
                    (int)(k->nums[i] & 0xff), (uint64_t)k->nums[i + 1], (uint64_t)k->nums[i + 2]);
        fputc(')', f);
        break;
    case SGC_KOP_STR_GLOB:
        fputs(" glob \"", f);
        for (int i = 0; i < k->nsegs; i++) {
            if (i) fputc('*', f);
            for (const char *c = k->segs[i]; *c; c++) {
                if (*c == '"' || *c == '\\' || *c == '*') fputc('\\', f);
                fputc(*c, f);
            }
        }
        fputc('"', f);
        break;
    case SGC_KOP_STR_SCAN:
        fprintf(f, " %s \"", k->num ? "icontains" : "contains");
        for (int i = 0; i < 2; i++)
            for (const unsigned char *c = (const unsigned char *)k->segs[i]; *c; c++) {
                /* '*' escaped: the text is a comment of the generated C */
                if (*c < 0x20 || *c >= 0x7f)
                    fprintf(f, "\\x%02x", *c);
                else if (*c == '"' || *c == '\\' || *c == '*')
                    fprintf(f, "\\%c", *c);
                else
                    fputc(*c, f);
            }
        fputs(k->nsegs ? "...\"" : "\"", f); /* the first 16 bytes of a longer one */
        break;
    case SGC_KOP_HOST: fprintf(f, " ? %s : UNKNOWN", k->num ? "TRUE" : "FALSE"); break;
    case SGC_KOP_SOCKNAME:
        fputs(" in renderings (", f);
        for (int i = 0; i + 5 < k->nnums; i += 6)
            fprintf(f, "%s%d/%d:%016" PRIx64 ":%016" PRIx64 ":%016" PRIx64 ":%016" PRIx64 ":%x",
                    i ? ", " : "", (int)(k->nums[i] >> 8), (int)(k->nums[i] & 0xff),
                    (uint64_t)k->nums[i + 1], (uint64_t)k->nums[i + 2], (uint64_t)k->nums[i + 3],
                    (uint64_t)k->nums[i + 4], (unsigned)k->nums[i + 5]);
        fputc(')', f);
        break;
    }
    fclose(f);
    return buf;
}

/* Whether a and b have the same numbers (the texts of hashed address
 * lists are equal for equal hashes only). */
static bool same_nums(const sgc_katom *a, const sgc_katom *b)
{
    return a->nnums == b->nnums &&
           (!a->nnums || !memcmp(a->nums, b->nums, (size_t)a->nnums * sizeof *a->nums));
}

int sgc_pd_intern_katom(sgc_pushdown *pd, sgc_katom *k)
{
    k->cls = k->src == SGC_KV_PATH || k->src == SGC_KV_RAW || k->src == SGC_KV_DIR ||
                     k->src == SGC_KV_HOST || k->src == SGC_KV_SOCK || k->src == SGC_KV_UNAME ||
                     k->src == SGC_KV_ANC || k->src == SGC_KV_EXEC || k->src == SGC_KV_XFLAG ||
                     k->src == SGC_KV_ENV
                 ? SGC_PD_PARTIAL
                 : SGC_PD_EXACT;
    char *text = katom_text(pd, k);
    int i = sgc_strindex_get(&pd->katom_index, text, strlen(text));
    /* a hashed address list (katom_text) equal in hash only: another atom */
    for (int n = 1; i >= 0 && !same_nums(pd->katoms[i], k); n++) {
        char *t = NULL;
        size_t base = strcspn(text, "~");
        if (asprintf(&t, "%.*s~%d", (int)base, text, n) < 0) abort();
        free(text);
        text = t;
        i = sgc_strindex_get(&pd->katom_index, text, strlen(text));
    }
    if (i >= 0) {
        free(text);
        free(k->nums);
        k->nums = NULL;
        return i;
    }
    sgc_katom *c = malloc(sizeof *c);
    if (!c) abort();
    *c = *k;
    c->text = text;
    c->id = pd->nkatoms;
    k->nums = NULL;
    pd->katoms = realloc(pd->katoms, (size_t)(pd->nkatoms + 1) * sizeof *pd->katoms);
    if (!pd->katoms) abort();
    pd->katoms[pd->nkatoms++] = c;
    sgc_strindex_put(&pd->katom_index, c->text, strlen(c->text), c->id);
    return c->id;
}

/* ---- sets ------------------------------------------------------------------ */

/* Add an item once (idx: the items so far, for linear-time dedup). */
static void set_add(sgc_kset *s, sgc_strindex *idx, const char *item, size_t len, uint8_t verdict)
{
    int i = sgc_strindex_get(idx, item, len);
    if (i >= 0) {
        if (verdict < s->verdict[i]) s->verdict[i] = verdict; /* TRUE wins over UNKNOWN */
        return;
    }
    int n = s->nitems;
    if (n < 4 || (n & (n - 1)) == 0) { /* capacity: the next power of two */
        size_t cap = n < 4 ? 4 : (size_t)n * 2;
        s->items = realloc(s->items, cap * sizeof *s->items);
        s->verdict = realloc(s->verdict, cap);
        if (!s->items || !s->verdict) abort();
    }
    s->items[n] = strndup(item, len);
    if (!s->items[n]) abort();
    s->verdict[n] = verdict;
    s->nitems++;
    sgc_strindex_put(idx, s->items[n], len, n);
}

static bool set_equal(const sgc_kset *a, const sgc_kset *b)
{
    if (a->kind != b->kind || a->comm != b->comm || a->nitems != b->nitems) return false;
    for (int i = 0; i < a->nitems; i++)
        if (strcmp(a->items[i], b->items[i]) || a->verdict[i] != b->verdict[i]) return false;
    return true;
}

static uint64_t set_hash(const sgc_kset *s)
{
    uint8_t head[2] = {(uint8_t)s->kind, s->comm};
    uint64_t h = sgc_strhash((const char *)head, sizeof head);
    for (int i = 0; i < s->nitems; i++) {
        h = sgc_strhash_more(h, s->items[i], strlen(s->items[i]) + 1);
        h = sgc_strhash_more(h, (const char *)&s->verdict[i], 1);
    }
    return h;
}

static void set_free(sgc_kset *s)
{
    for (int i = 0; i < s->nitems; i++) free(s->items[i]);
    free(s->items);
    free(s->verdict);
    free(s);
}

/* Normalize the items the way the kernel compares them:
 *  - comm: the kernel's comm has at most 15 chars; a longer name can only
 *    show as its first 15, which is then UNKNOWN (verdict 2);
 *  - paths: the kernel decides only strings up to SGC_KSTR_MAX, so a longer
 *    item can never match a decided path and is dropped;
 *  - pmatch: "/a/b" matches "/a/b" and everything below it, so it becomes
 *    the exact item "/a/b" plus the prefix "/a/b/" (see the codegen). */
int sgc_pd_intern_set(sgc_pushdown *pd, sgc_set_kind kind, bool comm, const char *const *items,
                      int nitems)
{
    sgc_kset *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->kind = kind;
    s->comm = comm;
    sgc_strindex idx;
    sgc_strindex_init(&idx);
    for (int i = 0; i < nitems; i++) {
        size_t len = strlen(items[i]);
        if (comm) {
            if (len < SGC_COMM_LEN)
                set_add(s, &idx, items[i], len, 1);
            else
                set_add(s, &idx, items[i], SGC_COMM_LEN - 1, 2);
        } else if (kind == SGC_SET_PMATCH) {
            while (len > 1 && items[i][len - 1] == '/') len--;
            if (len <= SGC_KSTR_MAX - 1) set_add(s, &idx, items[i], len, 1);
        } else if (len <= SGC_KSTR_MAX) {
            set_add(s, &idx, items[i], len, 1);
        }
    }
    sgc_strindex_free(&idx);
    /* equal sets have equal hashes: the index finds the first set with this
     * hash; only a hash collision falls back to comparing with every set */
    s->hash = set_hash(s);
    int same = sgc_strindex_get(&pd->set_index, (const char *)&s->hash, sizeof s->hash);
    if (same >= 0) {
        for (int i = same; i < pd->nsets; i++)
            if (set_equal(pd->sets[i], s)) {
                set_free(s);
                return i;
            }
    }
    s->id = pd->nsets + 1; /* ids start at 1: 0 is never a valid key */
    pd->sets = realloc(pd->sets, (size_t)(pd->nsets + 1) * sizeof *pd->sets);
    if (!pd->sets) abort();
    pd->sets[pd->nsets++] = s;
    sgc_strindex_put(&pd->set_index, (const char *)&s->hash, sizeof s->hash, pd->nsets - 1);
    return pd->nsets - 1;
}

void sgc_pd_free_sets_and_katoms(sgc_pushdown *pd)
{
    sgc_strindex_free(&pd->katom_index);
    sgc_strindex_free(&pd->set_index);
    for (int i = 0; i < pd->nsets; i++) set_free(pd->sets[i]);
    free(pd->sets);
    for (int i = 0; i < pd->nkatoms; i++) {
        free(pd->katoms[i]->nums);
        free(pd->katoms[i]->text);
        free(pd->katoms[i]);
    }
    free(pd->katoms);
}
