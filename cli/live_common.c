/* See live_common.h. */
#include "live_common.h"
#include "enforce.h"

#include "artifact_build.h"
#include "cache.h"
#include "caps.h"
#include "commands.h"
#include "config.h"
#include "diag_format.h"
#include "loader.h"
#include "systables.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_interest(const char *prog, const live_rules *lr, const live_load_opts *o)
{
    const sgc_interest *in = &lr->interest;
    bool verbose = o->verbose;
    if (in->nrules_any_type)
        fprintf(stderr,
                "%s: warning: %d rule%s do not restrict evt.type: every capturable syscall "
                "is watched\n",
                prog, in->nrules_any_type, in->nrules_any_type == 1 ? "" : "s");
    int shown = 0;
    for (int i = 0; i < in->nmissing; i++) {
        /* no syscall, but emitted in userspace (sgc run) */
        if (o->emits_container_events && !strcmp(in->missing[i], "container")) continue;
        if (!shown++)
            fprintf(stderr,
                    "%s: note: event types the rules name that cannot be captured here:", prog);
        fprintf(stderr, "%s %s", shown > 1 ? "," : "", in->missing[i]);
    }
    if (shown) fputc('\n', stderr);
    if (verbose) {
        fprintf(stderr, "%s: %d rules, watching:", prog, in->nrules);
        for (int i = 0; i < in->n; i++) fprintf(stderr, " %s", sgc_syscall_name(in->nrs[i]));
        fputc('\n', stderr);
    }
}

/* The interest list of an artifact: its syscalls (those its filter
 * dispatches on), restricted as for YAML. */
static int interest_of_artifact(const sgc_artifact *a, const sgc_ruleset *rs, sgc_interest *in)
{
    if (sgc_interest_build(rs, in) != 0) return -1;
    int *nrs = realloc(in->nrs, ((size_t)a->nsyscalls + 1) * sizeof *nrs);
    if (!nrs) return -1;
    in->nrs = nrs;
    in->n = 0;
    for (int i = 0; i < a->nsyscalls; i++)
        if (sgc_interest_capturable(a->syscalls[i])) in->nrs[in->n++] = a->syscalls[i];
    return 0;
}

/* The kernel's candidate bit i is the artifact's rule with bit i; the engine
 * numbers the enabled rules of its rule set in order. They must agree. */
static bool same_rule_bits(const sgc_artifact *a, const sgc_ruleset *rs)
{
    int bit = 0;
    for (int i = 0; i < rs->nrules; i++) {
        if (!rs->rules[i]->enabled) continue;
        int k = 0;
        while (k < a->nrules && a->rules[k].bit != bit) k++;
        if (k == a->nrules || strcmp(a->rules[k].name, rs->rules[i]->name)) return false;
        bit++;
    }
    for (int k = 0; k < a->nrules; k++)
        if (a->rules[k].bit >= bit) return false;
    return true;
}

/* Why artifact a, which has no kernel filter, has none. */
static void no_filter_reason(const sgc_artifact *a, char *buf, size_t n, const char *usual)
{
    if (!sgc_artifact_too_big_reason(a, buf, n)) snprintf(buf, n, "%s", usual);
}

/* Compile the loaded YAML (or embedded) rules into an artifact so the
 * generated kernel filter can run; on failure say why and go without. */
static void compile_filter(live_rules *lr, const char *prog, const char *const *files, int nfiles,
                           const live_load_opts *o, bool selected)
{
    char err[512] = "";
    sgc_artifact_build_opts bo = {0};
    if (!sgc_bpf_find_clang(&bo.bpf)) {
        snprintf(lr->why_no_filter, sizeof lr->why_no_filter,
                 "clang not found (set SGC_CLANG), or use 'sgc compile' elsewhere and run the "
                 "artifact");
        return;
    }
    if (nfiles && !selected) {
        /* the front end already printed the rules' diagnostics */
        FILE *quiet = fopen("/dev/null", "w");
        sgc_cache_opts co = {0};
        co.diag_out = quiet;
        co.compile_in_child = !o->reload; /* else threads run: no fork */
        sgc_cache_result res;
        lr->art = sgc_cache_load(files, nfiles, &co, &res, err, sizeof err);
        if (quiet) fclose(quiet);
        if (lr->art && o->verbose)
            fprintf(stderr, "%s: artifact %s%s\n", prog, res.hit ? "from the cache: " : "compiled",
                    res.hit      ? res.path
                    : res.stored ? " and cached"
                                 : "");
    } else {
        lr->art = sgc_artifact_build(&lr->fe, files, nfiles, &bo, NULL, err, sizeof err);
    }
    if (!lr->art) {
        snprintf(lr->why_no_filter, sizeof lr->why_no_filter, "compiling the filter failed: %s",
                 err);
        return;
    }
    if (!(lr->art->flags & SGC_ARTF_PUSHDOWN) || !same_rule_bits(lr->art, lr->rs)) {
        if (lr->art->flags & SGC_ARTF_PUSHDOWN)
            snprintf(lr->why_no_filter, sizeof lr->why_no_filter,
                     "the compiled rules do not match the loaded ones");
        else
            no_filter_reason(lr->art, lr->why_no_filter, sizeof lr->why_no_filter,
                             "the artifact has no kernel filter");
        sgc_artifact_free(lr->art);
        lr->art = NULL;
        return;
    }
    /* the engine runs the front end's rule set: the artifact's lists and
     * rule texts are not read again (its maps, names and bits are) */
    sgc_artifact_drop_lists(lr->art);
    sgc_artifact_drop_rule_texts(lr->art);
}

static int load_artifact(live_rules *lr, const char *prog, const char *path)
{
    char err[512] = "";
    lr->art = sgc_artifact_read(path, err, sizeof err);
    if (lr->art) lr->art_rs = sgc_artifact_ruleset(lr->art, err, sizeof err);
    if (!lr->art || !lr->art_rs) {
        fprintf(stderr, "%s: %s: %s; nothing attached\n", prog, path, err);
        return 1;
    }
    lr->rs = lr->art_rs;
    sgc_artifact_drop_lists(lr->art); /* copied into art_rs, as the texts below */
    sgc_artifact_drop_rule_texts(lr->art);
    if (!(lr->art->flags & SGC_ARTF_PUSHDOWN))
        no_filter_reason(lr->art, lr->why_no_filter, sizeof lr->why_no_filter,
                         "the artifact was compiled with --no-pushdown");
    return 0;
}

/* Can capture run here? Then keep only the capabilities it needs (main()
 * did so already for run and record, before any thread; again here for
 * other callers, still single-threaded). 0, or 1 after saying why not. */
static int capture_possible(const char *prog)
{
    char why[512];
    if (sgc_bpf_preflight(sgc_bpf_default_options().strategy, why, sizeof why) != 0 ||
        sgc_caps_restrict(why, sizeof why) != 0) {
        fprintf(stderr, "%s: cannot start capture: %s\n", prog, why);
        return 1;
    }
    return 0;
}

int live_rules_load(live_rules *lr, const char *prog, const char *const *files, int nfiles,
                    const live_load_opts *o)
{
    memset(lr, 0, sizeof *lr);
    int nart = 0;
    for (int i = 0; i < nfiles; i++) nart += sgc_artifact_is_artifact(files[i]) == 1;
    if (nart && nfiles > 1) {
        fprintf(stderr, "%s: an artifact is run alone, not with other rules files\n", prog);
        return 2;
    }
    if (nart) {
        if (load_artifact(lr, prog, files[0]) || (!o->reload && capture_possible(prog))) return 1;
        if (o->selection && o->selection->nrules)
            fprintf(stderr, "%s: warning: the rules: selection does not apply to an artifact\n",
                    prog);
        if (o->rules_only) return 0;
    } else {
        sgc_frontend_opts fopts = {0};
        fopts.embedded = sgc_embedded_rules;
        fopts.embedded_len = sgc_embedded_rules_len;
        fopts.embedded_name = sgc_embedded_rules_name;
        int nerrors = sgc_frontend_run(&lr->fe, files, nfiles, &fopts);
        if (nerrors || o->verbose) sgc_diags_print_text(stderr, lr->fe.diags);
        if (nerrors) {
            fprintf(stderr, "%s: %d error%s in the rules%s\n", prog, nerrors,
                    nerrors == 1 ? "" : "s", o->reload ? "" : "; nothing attached");
            return 1;
        }
        lr->rs = lr->fe.rs;
        bool selected = o->selection && o->selection->nrules > 0;
        if (selected) {
            int n = sgc_config_select_rules(o->selection, lr->fe.rs);
            if (o->verbose)
                fprintf(stderr, "%s: rules: selection changed %d rule%s\n", prog, n,
                        n == 1 ? "" : "s");
        }
        if (o->rules_only) return 0;
        /* rule errors first (useful anywhere), then no compile at all when
         * BPF cannot run here */
        if (!o->reload && capture_possible(prog)) return 1;
        if (!o->no_pushdown) compile_filter(lr, prog, files, nfiles, o, selected);
    }
    int rc = lr->art ? interest_of_artifact(lr->art, lr->rs, &lr->interest)
                     : sgc_interest_build(lr->rs, &lr->interest);
    if (rc != 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    /* the per-syscall hook strategy needs a tracepoint for each syscall */
    if (sgc_bpf_default_options().strategy == SGC_HOOK_PER_SYSCALL)
        sgc_interest_drop_untraceable(&lr->interest);
    if (!lr->interest.nrules) {
        if (o->syscall_optional) {
            fprintf(stderr, "%s: no enabled syscall rules: no kernel capture\n", prog);
            return 0;
        }
        fprintf(stderr, "%s: no enabled syscall rules to run; nothing attached\n", prog);
        return 1;
    }
    lr->filter = lr->art && (lr->art->flags & SGC_ARTF_PUSHDOWN) && !o->no_pushdown;
    if (!lr->filter && !o->no_pushdown && lr->why_no_filter[0])
        fprintf(stderr,
                "%s: note: no kernel filter, every event of the watched syscalls goes "
                "to userspace: %s\n",
                prog, lr->why_no_filter);
    print_interest(prog, lr, o);
    return 0;
}

void live_rules_free(live_rules *lr)
{
    sgc_interest_free(&lr->interest);
    if (lr->art_rs) sgc_ruleset_free(lr->art_rs);
    sgc_artifact_free(lr->art);
    if (lr->fe.rs) sgc_frontend_free(&lr->fe);
}

void live_rules_compiled(live_rules *lr)
{
    if (!lr->art_rs) return;
    sgc_artifact_ruleset_drop_conditions(lr->art_rs);
    malloc_trim(0);
}

bool live_parse_seconds(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v > 0) || v > 1e9) return false;
    *out = v;
    return true;
}

/* Between load and attach: the filter's constant sets, or it would drop
 * events that match a rule. */
static int size_filter_maps(void *ud, struct bpf_object *obj, char *err, size_t errlen)
{
    live_rules *lr = ud;
    return sgc_artifact_size_maps(lr->art, obj, err, errlen);
}

static int fill_filter_maps(void *ud, struct bpf_object *obj, char *err, size_t errlen)
{
    live_rules *lr = ud;
    if (sgc_artifact_populate_maps(lr->art, obj, err, errlen)) return -1;
    if (!lr->enforce) return 0;
    int n = lr->art->nrules;
    const char **names = calloc((size_t)n + 1, sizeof *names);
    int *bits = calloc((size_t)n + 1, sizeof *bits);
    int rc = -1;
    if (names && bits) {
        for (int i = 0; i < n; i++) {
            names[i] = lr->art->rules[i].name;
            bits[i] = lr->art->rules[i].bit;
        }
        rc = sgc_enforce_populate(lr->enforce, obj, names, bits, n, err, errlen);
    }
    free(names);
    free(bits);
    return rc;
}

struct sgc_bpf_options live_bpf_options(live_rules *lr, bool libbpf_debug)
{
    struct sgc_bpf_options o = sgc_bpf_default_options();
    o.syscalls = lr->interest.nrs;
    o.nsyscalls = (size_t)lr->interest.n;
    o.nopushdown = !lr->filter;
    o.verbose = libbpf_debug;
    o.proc_events = true; /* the process table needs exec/fork/exit */
    /* copy what the rules read and nothing more: the environment at exec
     * (proc.env), a prefix of the data buffers (evt.buffer) */
    o.env_max = lr->interest.reads_env ? SGC_BLOB_MAX : 0;
    o.lazy_fork = !lr->interest.reads_lifecycle;
    o.data_syscalls = lr->interest.data_nrs;
    o.ndata_syscalls = (size_t)lr->interest.ndata;
    /* Without its filter an artifact's object is the embedded capture
     * object plus dead code: run the embedded one, which always matches this
     * binary's record decoder. */
    if (lr->filter) {
        o.obj_data = lr->art->bpf_obj;
        o.obj_size = lr->art->bpf_obj_size;
        o.before_load = size_filter_maps;
        o.before_attach = fill_filter_maps;
        o.before_attach_ud = lr;
    }
    return o;
}

const char *live_mode(const live_rules *lr, const live_load_opts *o)
{
    return lr->filter ? "pushdown" : o->no_pushdown ? "no pushdown" : "no kernel filter";
}

int live_run(live_rules *lr, const live_load_opts *o, sgc_runloop_config *cfg,
             sgc_runloop_summary *sum, bool libbpf_debug, char *err, size_t errlen)
{
    uint32_t ringbuf_bytes = cfg->bpf.ringbuf_bytes;
    cfg->bpf = live_bpf_options(lr, libbpf_debug);
    cfg->bpf.ringbuf_bytes = ringbuf_bytes;
    cfg->mode = live_mode(lr, o);
    int rc = sgc_runloop_run(cfg, sum, err, errlen);
    if (rc == 0 || !lr->filter || sum->nprograms > 0) /* attached: not the filter's fault */
        return rc;
    /* stopped while loading (a load interrupted by the signal can fail):
     * the user asked to stop, not to run without the filter */
    if (sgc_runloop_stop_signal()) return rc;
    /* detection without the filter beats no detection */
    fprintf(stderr,
            "%s: warning: the kernel filter could not be loaded (%s); running without "
            "it, every event of the watched syscalls goes to userspace\n",
            cfg->prog, err);
    lr->filter = false;
    snprintf(lr->why_no_filter, sizeof lr->why_no_filter, "it could not be loaded");
    cfg->bpf = live_bpf_options(lr, libbpf_debug);
    cfg->bpf.ringbuf_bytes = ringbuf_bytes;
    cfg->mode = live_mode(lr, o);
    return sgc_runloop_run(cfg, sum, err, errlen);
}
