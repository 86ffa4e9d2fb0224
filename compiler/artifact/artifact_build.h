/* From rules to an artifact: the compile pipeline behind `sgc compile` and
 * the cache of `sgc run RULES.yaml`.
 *
 *   front end (already run, no errors) -> pushdown split -> BPF C (codegen)
 *   -> clang -> artifact (BPF object + manifest + map contents)
 *
 * With no_pushdown the artifact carries the embedded capture object with no
 * kernel filter (every event of the rules' syscalls reaches userspace) and
 * no maps; no clang is needed then. */
#ifndef SGC_ARTIFACT_BUILD_H
#define SGC_ARTIFACT_BUILD_H

#include "artifact.h"
#include "bpf_build.h"
#include "codegen_lint.h"
#include "frontend.h"

typedef struct sgc_artifact_build_opts {
    bool no_pushdown;
    sgc_bpf_build_opts bpf;
    /* when set (and without no_pushdown): sgc lint's warnings about the
     * kernel filter (codegen_lint.h) are added to filter_lint, and their
     * numbers written to filter_stats (which must then be set too) */
    sgc_diags *filter_lint;
    sgc_kernel_filter_stats *filter_stats;
} sgc_artifact_build_opts;

/* Wall-clock milliseconds per phase (front end: the caller's). */
typedef struct sgc_artifact_timing {
    double pushdown_ms, codegen_ms, clang_ms, manifest_ms;
} sgc_artifact_timing;

/* Build the artifact of a front end run (fe->rs resolved, no errors);
 * files are the rules files it loaded (for their names and content
 * hashes; nfiles 0 = the embedded rules). NULL with a message on failure. */
sgc_artifact *sgc_artifact_build(const sgc_frontend *fe, const char *const *files, int nfiles,
                                 const sgc_artifact_build_opts *opts, sgc_artifact_timing *timing,
                                 char *err, size_t errlen);

/* Why artifact a has no kernel filter when the rule set was too large for
 * one (SGC_ARTF_FILTER_TOO_BIG): the rule count or the function count, in
 * buf. false (buf untouched) for any other artifact. */
bool sgc_artifact_too_big_reason(const sgc_artifact *a, char *buf, size_t n);

/* SHA-256 (hex) and size of a file's contents. 0, or -1 with errno set. */
int sgc_file_sha256(const char *path, char hex[65], uint64_t *size);

#endif
