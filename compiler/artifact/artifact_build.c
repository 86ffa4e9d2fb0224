/* The compile pipeline: rule set -> pushdown -> BPF C -> clang -> artifact. */
#include "artifact_build.h"
#include "util.h"
#include "codegen_bpf.h"
#include "pushdown.h"
#include "sgc_event.h"
#include "sha256.h"
#include "syscall_interest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The capture object built without a filter (cmake/bpf.cmake). */
extern const char sgc_capture_bpf_obj[];
extern const char sgc_capture_bpf_obj_end[];

int sgc_file_sha256(const char *path, char hex[65], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    sgc_sha256 s;
    sgc_sha256_init(&s);
    uint8_t buf[65536];
    size_t n;
    uint64_t total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sgc_sha256_update(&s, buf, n);
        total += n;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        errno = EIO;
        return -1;
    }
    uint8_t d[32];
    sgc_sha256_final(&s, d);
    sgc_sha256_hex(d, hex);
    if (size) *size = total;
    return 0;
}

static char *xstrdup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* The shared lists a resolved condition names (sgc_node_to_condition_named
 * writes them by name), each stored once in a->lists. */
static int add_lists(sgc_artifact *a, const sgc_node *n)
{
    for (int i = 0; i < n->nkids; i++)
        if (add_lists(a, n->kids[i])) return -1;
    const sgc_value *v = n->kind == SGC_N_CHECK ? n->rhs : NULL;
    if (!v || v->kind != SGC_V_LIST || !v->share || !v->share->str) return 0;
    for (int i = 0; i < a->nlists; i++)
        if (!strcmp(a->lists[i].name, v->share->str)) return 0;
    sgc_artifact_list *l = realloc(a->lists, sizeof *l * (size_t)(a->nlists + 1));
    if (!l) return -1;
    a->lists = l;
    l = &a->lists[a->nlists++];
    *l = (sgc_artifact_list){0};
    l->name = strdup(v->share->str);
    l->items = calloc((size_t)v->nitems + 1, sizeof *l->items);
    l->quoted = calloc((size_t)v->nitems + 1, sizeof *l->quoted);
    if (!l->name || !l->items || !l->quoted) return -1;
    for (int i = 0; i < v->nitems; i++) {
        l->quoted[i] = v->items[i]->quoted;
        if (!(l->items[l->nitems++] = strdup(v->items[i]->str ? v->items[i]->str : ""))) return -1;
    }
    return 0;
}

static int fill_rules(sgc_artifact *a, const sgc_ruleset *rs)
{
    a->rules = calloc((size_t)rs->nrules + 1, sizeof *a->rules);
    if (!a->rules) return -1;
    int bit = 0;
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        sgc_artifact_rule *ar = &a->rules[a->nrules++];
        ar->name = strdup(r->name);
        ar->desc = xstrdup_or_null(r->desc);
        ar->priority = r->priority;
        ar->source = strdup(r->source ? r->source : "syscall");
        if (r->ntags) {
            ar->tags = calloc((size_t)r->ntags, sizeof *ar->tags);
            if (!ar->tags) return -1;
            for (int t = 0; t < r->ntags; t++)
                if (!(ar->tags[ar->ntags++] = strdup(r->tags[t]))) return -1;
        }
        ar->output = r->output_src ? strdup(r->output_src->text) : NULL;
        /* rules of other sources never run here: their conditions need not
         * load with the syscall field catalog */
        bool runs = r->resolved && !r->unknown_source;
        ar->condition = runs ? sgc_node_to_condition_named(r->resolved) : NULL;
        if (runs && add_lists(a, r->resolved)) return -1;
        ar->enabled = r->enabled;
        ar->bit = r->enabled ? bit++ : -1;
        ar->file = xstrdup_or_null(r->pos.file);
        ar->line = r->pos.line;
        if (!ar->name || !ar->source || (r->desc && !ar->desc) || (r->output_src && !ar->output) ||
            (runs && !ar->condition) || (r->pos.file && !ar->file))
            return -1;
    }
    return 0;
}

/* The syscalls to hook: those `sgc run` would watch for these rules
 * (compiler/pushdown/syscall_interest.h), less, with a kernel filter, those where
 * no rule group is left (the filter would drop all their events). */
static int fill_syscalls(sgc_artifact *a, const sgc_ruleset *rs, const sgc_pushdown *pd)
{
    sgc_interest in;
    if (sgc_interest_build(rs, &in)) return -1;
    a->syscalls = calloc((size_t)in.n + 1, sizeof *a->syscalls);
    if (!a->syscalls) {
        sgc_interest_free(&in);
        return -1;
    }
    for (int i = 0; i < in.n; i++) {
        int nr = in.nrs[i];
        if (!pd || (nr <= pd->max_nr && pd->group_of_nr[nr] >= 0)) a->syscalls[a->nsyscalls++] = nr;
    }
    sgc_interest_free(&in);
    return 0;
}

/* Map entries grouped by map, in order of first appearance. */
static int fill_maps(sgc_artifact *a, const sgc_bpf_gen *g)
{
    a->maps = calloc(4, sizeof *a->maps);
    if (!a->maps) return -1;
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        sgc_artifact_map *m = NULL;
        for (int k = 0; k < a->nmaps; k++)
            if (!strcmp(a->maps[k].name, e->map)) m = &a->maps[k];
        if (!m) {
            if (a->nmaps == 4) return -1;
            m = &a->maps[a->nmaps++];
            if (!(m->name = strdup(e->map))) return -1;
            m->key_size = e->key_size;
            m->value_size = e->value_size;
        }
        if (e->key_size != m->key_size || e->value_size != m->value_size) return -1;
        size_t rec = (size_t)m->key_size + m->value_size;
        uint32_t n = m->nentries;
        if (n < 4 || (n & (n - 1)) == 0) { /* capacity: the next power of two */
            uint8_t *d = realloc(m->data, rec * (n < 4 ? 4 : (size_t)n * 2));
            if (!d) return -1;
            m->data = d;
        }
        uint8_t *d = m->data;
        memcpy(d + rec * m->nentries, e->key, m->key_size);
        memcpy(d + rec * m->nentries + m->key_size, &e->value, m->value_size);
        m->nentries++;
    }
    return 0;
}

static int fill_inputs(sgc_artifact *a, const char *const *files, int nfiles, char *err,
                       size_t errlen)
{
    a->inputs = calloc((size_t)nfiles + 1, sizeof *a->inputs);
    if (!a->inputs) return -1;
    for (int i = 0; i < nfiles; i++) {
        sgc_artifact_input *in = &a->inputs[a->ninputs++];
        if (!(in->name = strdup(files[i]))) return -1;
        if (sgc_file_sha256(files[i], in->sha256, &in->size)) {
            snprintf(err, errlen, "cannot read %s: %s", files[i], strerror(errno));
            return -2;
        }
    }
    return 0;
}

bool sgc_artifact_too_big_reason(const sgc_artifact *a, char *buf, size_t n)
{
    if (!(a->flags & SGC_ARTF_FILTER_TOO_BIG)) return false;
    int enabled = 0;
    for (int i = 0; i < a->nrules; i++) enabled += a->rules[i].enabled;
    if (enabled > SGC_PD_MAX_RULES)
        snprintf(buf, n, "%d enabled rules, more than a kernel filter decides for (%d)", enabled,
                 SGC_PD_MAX_RULES);
    else
        snprintf(buf, n,
                 "the rule set needs more BPF functions than one program holds (sgc lint: "
                 "SGC_KERNEL_FILTER_USERSPACE)");
    return true;
}

/* The embedded capture object, without a kernel filter. */
static int no_kernel_filter(sgc_artifact *a, const sgc_ruleset *rs)
{
    size_t n = (size_t)(sgc_capture_bpf_obj_end - sgc_capture_bpf_obj);
    if (!(a->bpf_obj = malloc(n))) return -1;
    memcpy(a->bpf_obj, sgc_capture_bpf_obj, n);
    a->bpf_obj_size = n;
    return fill_syscalls(a, rs, NULL);
}

static int fill_kernel_part(sgc_artifact *a, const sgc_ruleset *rs,
                            const sgc_artifact_build_opts *opts, sgc_artifact_timing *t, char *err,
                            size_t errlen)
{
    /* more rules than a kernel filter decides for, or than its functions
     * hold (sgc lint warns, and so does compile through filter_lint): the
     * rules' syscalls are watched without one, as with --no-pushdown */
    if (opts->no_pushdown) return no_kernel_filter(a, rs);
    if (sgc_kernel_filter_too_many(rs, opts->filter_lint)) {
        a->flags |= SGC_ARTF_FILTER_TOO_BIG;
        return no_kernel_filter(a, rs);
    }
    double t0 = sgc_now_ms();
    sgc_pushdown *pd = sgc_pushdown_build(rs);
    if (!pd) {
        snprintf(err, errlen, "the pushdown split failed");
        return -2;
    }
    if (sgc_kernel_filter_too_big(pd, opts->filter_lint)) {
        sgc_pushdown_free(pd);
        a->flags |= SGC_ARTF_FILTER_TOO_BIG;
        return no_kernel_filter(a, rs);
    }
    if (opts->filter_lint) sgc_kernel_filter_lint_pd(rs, pd, opts->filter_lint, opts->filter_stats);
    double t1 = sgc_now_ms();
    sgc_bpf_gen g = {0};
    if (sgc_codegen_bpf(pd, &g) != 0) {
        sgc_pushdown_free(pd);
        snprintf(err, errlen, "BPF code generation failed");
        return -2;
    }
    double t2 = sgc_now_ms();
    sgc_bpf_build_opts bpf = opts->bpf;
    bpf.lpm_entries = g.lpm_entries;
    bpf.comm_entries = g.comm_entries;
    bpf.addr_entries = g.addr_entries;
    int rc = sgc_bpf_build(g.source, g.source_len, g.cand_words, &bpf, &a->bpf_obj,
                           &a->bpf_obj_size, err, errlen)
                 ? -2
                 : 0;
    double t3 = sgc_now_ms();
    a->flags |= SGC_ARTF_PUSHDOWN;
    a->cand_words = g.cand_words;
    if (rc == 0 && (fill_maps(a, &g) || fill_syscalls(a, rs, pd))) rc = -1;
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    if (t) {
        t->pushdown_ms = t1 - t0;
        t->codegen_ms = t2 - t1;
        t->clang_ms = t3 - t2;
    }
    return rc;
}

sgc_artifact *sgc_artifact_build(const sgc_frontend *fe, const char *const *files, int nfiles,
                                 const sgc_artifact_build_opts *opts, sgc_artifact_timing *timing,
                                 char *err, size_t errlen)
{
    sgc_artifact_build_opts none = {0};
    if (!opts) opts = &none;
    if (timing) memset(timing, 0, sizeof *timing);
    sgc_artifact *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const sgc_ruleset *rs = fe->rs;
    a->sgc_version = strdup(SGC_VERSION);
    a->arch = strdup("x86_64");
    a->event_version = SGC_EVENT_VERSION;
    a->required_engine_version = xstrdup_or_null(rs->required_engine_version);
    double t0 = sgc_now_ms();
    int rc = (!a->sgc_version || !a->arch) ? -1 : 0;
    if (rc == 0) rc = fill_rules(a, rs);
    if (rc == 0) rc = fill_inputs(a, files, nfiles, err, errlen);
    double t1 = sgc_now_ms();
    if (rc == 0) rc = fill_kernel_part(a, rs, opts, timing, err, errlen);
    if (timing) timing->manifest_ms = t1 - t0;
    if (rc) {
        if (rc == -1) snprintf(err, errlen, "out of memory building the artifact");
        sgc_artifact_free(a);
        return NULL;
    }
    return a;
}
