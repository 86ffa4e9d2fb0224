/* Building the kernel filter's BPF object: the generated filter header
 * (codegen_bpf.h) compiled with clang together with bpf-templates/ into
 * one ELF object with BTF and CO-RE relocations.
 *
 * Where the inputs come from, first match wins:
 *   1. opts->templates_dir, or $SGC_BPF_TEMPLATES: a directory holding
 *      capture.bpf.c and the other templates (and vmlinux.h, else the
 *      embedded one is used);
 *   2. the copy embedded in the sgc binary (cmake/bpf_templates.cmake):
 *      templates, vmlinux.h and the libbpf BPF headers, so `sgc compile`
 *      needs only clang.
 * The files are written to a private temporary directory, removed after. */
#ifndef SGC_BPF_BUILD_H
#define SGC_BPF_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_bpf_build_opts {
    const char *clang;         /* NULL: $SGC_CLANG, else clang-19, else clang */
    const char *templates_dir; /* NULL: $SGC_BPF_TEMPLATES, else embedded */
    bool keep_dir;             /* keep the work directory (printed to stderr) */
    bool verbose;              /* print the clang command line */
    /* Objects compiled before, by content (bpf_objcache.h): a build whose
     * generated source, clang and sgc are unchanged takes the object from
     * here instead of running clang. NULL: always run clang. Only with the
     * embedded templates (a templates directory may change under us). */
    const char *object_cache_dir;
    /* Sizes of the constant-set maps baked into the object (sgc_bpf_gen's
     * lpm_entries, comm_entries, addr_entries; 0 = 1). A loader may resize them before
     * loading (sgc_artifact_size_maps), so the object cache ignores them. */
    int lpm_entries, comm_entries, addr_entries;
} sgc_bpf_build_opts;

/* Compile capture.bpf.c with the generated filter `filter_src` (NULL: no
 * filter, every event of interest passes) and cand_words candidate words.
 * On success returns 0 and a malloc'd object in *obj. On failure -1 with a
 * message (clang's diagnostics go to stderr). */
int sgc_bpf_build(const char *filter_src, size_t filter_len, int cand_words,
                  const sgc_bpf_build_opts *opts, uint8_t **obj, size_t *objlen, char *err,
                  size_t errlen);

/* The clang that sgc_bpf_build would run, or NULL if none is found. */
const char *sgc_bpf_find_clang(const sgc_bpf_build_opts *opts);

/* ---- the embedded inputs (bpf_templates.c) ------------------------------- */
typedef struct sgc_bpf_template_file {
    const char *name; /* path inside the build directory: "capture.h", "bpf/bpf_helpers.h" */
    const char *start, *end;
} sgc_bpf_template_file;

/* The embedded files; *n = 0 when this binary was built without them. */
const sgc_bpf_template_file *sgc_bpf_templates_embedded(int *n);

#endif
