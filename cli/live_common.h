/* What `sgc run` and `sgc record` share: where the rules and the BPF object
 * come from, the syscalls to watch, and the capture options.
 *
 * Rules come from
 *   - an artifact file (`sgc compile` output): its rule set, BPF object,
 *     kernel filter and map contents, no clang needed;
 *   - rules files, or the embedded rules when none are given: loaded and
 *     checked here (errors stop everything), then compiled to an artifact
 *     (rules files through the compile cache, compiler/artifact/cache.h) so the
 *     generated kernel filter runs. Without clang or with --no-pushdown, the
 *     embedded capture object runs with no filter: every event of the
 *     rules' syscalls reaches userspace (Falco's architecture).
 * Either way the engine evaluates the same rules in the same order, so the
 * kernel's candidate bits name the engine's rules. */
#ifndef SGC_CLI_LIVE_COMMON_H
#define SGC_CLI_LIVE_COMMON_H

#include "artifact.h"
#include "frontend.h"
#include "runloop.h"
#include "syscall_interest.h"
#include <stdbool.h>

typedef struct live_rules {
    sgc_frontend fe;         /* YAML or embedded rules (unused for an artifact) */
    sgc_artifact *art;       /* compiled or read artifact, NULL: embedded capture object */
    sgc_ruleset *art_rs;     /* rule set rebuilt from an artifact file */
    const sgc_ruleset *rs;   /* what the engine evaluates */
    sgc_interest interest;   /* syscalls to watch */
    bool filter;             /* the kernel filter runs (else every event passes) */
    char why_no_filter[640]; /* when !filter and pushdown was asked for (holds a 512-byte error) */
    struct sgc_enforce
        *enforce; /* sgc run --enforce: masks written before attaching (NULL: none) */
} live_rules;

typedef struct live_load_opts {
    bool verbose;
    bool no_pushdown; /* --no-pushdown: no filter, no compile */
    /* the caller emits Falco's `container` event itself (sgc run, from the
     * container engine client): not listed as an uncapturable event type */
    bool emits_container_events;
    /* the syscall source is disabled: load and check the rules only, no
     * BPF preflight, compile or interest list */
    bool rules_only;
    /* another source runs too: no syscall rules is not an error (then
     * lr->interest.nrules is 0 and nothing is captured) */
    bool syscall_optional;
    /* sgc.yaml's `rules:` selection, applied after loading (NULL: none);
     * with a selection the filter is compiled in this process from the
     * selected rules (the compile cache keys on files only) */
    const struct sgc_conf *selection;
    /* sgc run's reload: capture already runs (no preflight) and other
     * threads do too (the compile cache compiles in this process, never in
     * a forked child) */
    bool reload;
} live_load_opts;

/* Load the rules (files: YAML files, or one artifact; nfiles 0: the
 * embedded rules) and prepare the BPF object and interest list.
 * Diagnostics are printed on error (with verbose, warnings too). Returns 0,
 * 1 after printing why (rule errors, unreadable artifact), 2 on a usage
 * error (an artifact mixed with other files). */
int live_rules_load(live_rules *lr, const char *prog, const char *const *files, int nfiles,
                    const live_load_opts *o);
void live_rules_free(live_rules *lr);
/* The engine (and every other reader of the conditions) has compiled the
 * rules: an artifact's rule set drops its condition trees and lists (only
 * the engine evaluates them from here on; the outputs keep what they read)
 * and the heap gives back the pages freed, so that the BPF load that comes
 * next does not raise the peak (issue 18). */
void live_rules_compiled(live_rules *lr);

/* A number of seconds (> 0, fractions allowed); false when malformed. */
bool live_parse_seconds(const char *s, double *out);

/* Capture options for these rules (object, syscalls, filter on/off, map
 * contents written before attaching). */
struct sgc_bpf_options live_bpf_options(live_rules *lr, bool libbpf_debug);

/* The readiness line's mode: "pushdown", "no pushdown" or "no kernel filter". */
const char *live_mode(const live_rules *lr, const live_load_opts *o);

/* Run the capture loop with these rules' BPF options (cfg->bpf.ringbuf_bytes
 * is kept). When the object with the kernel filter cannot be loaded or
 * attached, say why and run without the filter rather than not at all.
 * Returns sgc_runloop_run's result. */
int live_run(live_rules *lr, const live_load_opts *o, sgc_runloop_config *cfg,
             sgc_runloop_summary *sum, bool libbpf_debug, char *err, size_t errlen);

#endif
