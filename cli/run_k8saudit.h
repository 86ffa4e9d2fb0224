/* `sgc run`'s event sources: which run (--enable-source/--disable-source, as
 * Falco), the k8s_audit source's options (--k8s-audit-*, the keys of
 * sgc.yaml's k8s_audit section), and running it next to, or instead of, the
 * kernel capture. */
#ifndef SGC_CLI_RUN_K8SAUDIT_H
#define SGC_CLI_RUN_K8SAUDIT_H

#include "ka_source.h"
#include "ruleset.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct run_sources {
    const char *enable[8]; /* --enable-source, in order */
    int nenable;
    const char *disable[8]; /* --disable-source */
    int ndisable;
    sgc_k8s_audit_config k8s; /* k8s.enabled: from the config (or --k8s-audit-* given) */
    const char *files[64];    /* --k8s-audit-file storage */
    const char *cluster_name;
    /* decided by run_sources_resolve */
    bool syscall_on, k8s_on;
} run_sources;

void run_sources_init(run_sources *rs);

/* Consume one source option at argv[*i] (advancing *i past its value).
 * Returns 1 when consumed, 0 when not a source option, 2 on a usage error
 * (printed). */
int run_sources_parse(run_sources *s, int argc, char **argv, int *i, const char *prog);

/* Decide which sources run. Returns 0, or 2 on a usage error (printed). */
int run_sources_resolve(run_sources *s, const char *prog);

/* Warn about the enabled rules of sources that do not run (Falco skips
 * them too). */
void run_sources_warn_skipped(const run_sources *s, const sgc_ruleset *rules, const char *prog);

/* The options' help text. */
void run_sources_usage(FILE *out);

/* Print the k8s_audit source's counters. */
void run_k8saudit_summary(FILE *out, const char *prog, const sgc_ka_source_stats *st);

/* Wait for SIGINT/SIGTERM or DURATION_S (0: no limit), for a run without
 * kernel capture. */
void run_wait_for_stop(double duration_s);

#endif
