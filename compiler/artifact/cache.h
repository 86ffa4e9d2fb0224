/* The compile cache of `sgc run RULES.yaml`: artifacts kept under
 * $XDG_CACHE_HOME/sgc (default ~/.cache/sgc), named by a SHA-256 over the
 * rules files' contents (in order), the sgc version and the identity of the
 * sgc binary itself (size, mtime, inode: a rebuilt sgc never reuses an
 * artifact an older build wrote). A damaged cache entry is rebuilt; an
 * unwritable cache directory only costs the compile. */
#ifndef SGC_CACHE_H
#define SGC_CACHE_H

#include "artifact.h"
#include "artifact_build.h"
#include <stdio.h>

typedef struct sgc_cache_opts {
    const char *dir; /* NULL: $XDG_CACHE_HOME/sgc or ~/.cache/sgc */
    sgc_artifact_build_opts build;
    FILE *diag_out;        /* front-end diagnostics on a miss (NULL: stderr) */
    bool compile_in_child; /* on a miss, compile in a forked child that
                                       writes the cache entry, so the compiler's
                                       working memory never counts in this (long-
                                       running) process's RSS; no other thread
                                       may run at the call */
} sgc_cache_opts;

typedef struct sgc_cache_result {
    bool hit;                  /* loaded from the cache, nothing compiled */
    bool stored;               /* compiled and written to the cache */
    bool no_pushdown_fallback; /* no clang here: built without a kernel filter */
    char path[4096];           /* the cache entry ("" when there is no cache dir) */
} sgc_cache_result;

/* The artifact for these rules files: from the cache, or compiled (front
 * end, pushdown, clang) and stored. Without clang, falls back to an
 * artifact without a kernel filter (not stored) and says so in res. NULL
 * with a message when the rules have errors (diagnostics are printed) or
 * nothing could be built. */
sgc_artifact *sgc_cache_load(const char *const *files, int nfiles, const sgc_cache_opts *opts,
                             sgc_cache_result *res, char *err, size_t errlen);

/* The cache key (hex SHA-256) of these files; -1 if one cannot be read. */
int sgc_cache_key(const char *const *files, int nfiles, bool no_pushdown, char key[65]);

/* The cache directory in use (static storage); NULL when neither
 * XDG_CACHE_HOME nor HOME is set. */
const char *sgc_cache_dir(const sgc_cache_opts *opts);

/* Where compiled BPF objects are kept by content (sgc_bpf_build_opts'
 * object_cache_dir): DIR/objects under the cache directory (static
 * storage), or NULL. */
const char *sgc_cache_objects_dir(const sgc_cache_opts *opts);

#endif
