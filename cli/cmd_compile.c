/* sgc compile [OPTIONS] RULES... -o FILE
 * Rules files -> front end -> pushdown split -> BPF C -> clang -> one
 * artifact file that `sgc run FILE` loads without clang or the YAML
 * (docs/artifact.md). Nothing is written when the rules have errors or any
 * phase fails. */
#include "artifact.h"
#include "util.h"
#include "artifact_build.h"
#include "cache.h"
#include "commands.h"
#include "diag_format.h"
#include "frontend.h"
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fputs("usage: sgc compile [OPTIONS] RULES... -o FILE\n"
          "\n"
          "Compile rules files into an artifact: the BPF object with the kernel filter,\n"
          "the map contents of its constant sets, and a manifest of the rules (resolved\n"
          "conditions, outputs, priorities). 'sgc run FILE' loads it without clang.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE    the artifact to write (required)\n"
          "  --no-pushdown        no kernel filter: every event of the rules' syscalls goes\n"
          "                       to userspace (Falco's architecture); needs no clang\n"
          "  --clang PATH         the clang to use (default: $SGC_CLANG, clang-19, clang)\n"
          "  --templates DIR      BPF templates to use instead of the embedded ones\n"
          "  --keep-build-dir     keep the generated BPF C and objects (path on stderr)\n"
          "  --no-cache           always run clang (by default a kernel filter compiled\n"
          "                       before, by this sgc and clang, is taken from\n"
          "                       $XDG_CACHE_HOME/sgc/objects or ~/.cache/sgc/objects:\n"
          "                       rules that differ only in list items reuse it)\n"
          "  -v, --verbose        phase timings and the clang command line\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 written, 1 rule errors or a failed phase (nothing written), 2 usage\n",
          out);
}

/* Read the serialized bytes back as `sgc run` will: a round-trip bug is
 * caught here, at compile time, not on the target machine. */
static int self_check(const uint8_t *data, size_t len, char *err, size_t errlen)
{
    sgc_artifact *back = sgc_artifact_parse(data, len, err, errlen);
    if (!back) return -1;
    sgc_ruleset *rs = sgc_artifact_ruleset(back, err, errlen);
    sgc_artifact_free(back);
    if (!rs) return -1;
    sgc_ruleset_free(rs);
    return 0;
}

static void summary(const char *path, const sgc_artifact *a, size_t len,
                    const sgc_kernel_filter_stats *st)
{
    int enabled = 0;
    for (int i = 0; i < a->nrules; i++) enabled += a->rules[i].enabled;
    int entries = 0;
    for (int i = 0; i < a->nmaps; i++) entries += (int)a->maps[i].nentries;
    char why[160];
    printf("sgc compile: wrote %s (%zu bytes): %d rules (%d enabled), %d syscalls\n", path, len,
           a->nrules, enabled, a->nsyscalls);
    if (a->flags & SGC_ARTF_PUSHDOWN)
        printf("  kernel filter: generated, %d candidate word%s, %d map entr%s in %d map%s\n",
               a->cand_words, a->cand_words == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies",
               a->nmaps, a->nmaps == 1 ? "" : "s");
    if (a->flags & SGC_ARTF_PUSHDOWN) { /* the numbers of sgc lint's kernel filter warnings */
        fputs("  kernel filter shape: ", stdout);
        sgc_kernel_filter_stats_print(stdout, st);
        fputc('\n', stdout);
    } else if (sgc_artifact_too_big_reason(a, why, sizeof why))
        printf("  kernel filter: none: %s; every event of these syscalls goes to userspace\n", why);
    else
        printf("  kernel filter: none (--no-pushdown): every event of these syscalls goes to "
               "userspace\n");
}

int cmd_compile(int argc, char **argv)
{
    const char *out = NULL;
    bool verbose = false, no_cache = false;
    sgc_artifact_build_opts bo = {0};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = a;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(files);
            return 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = true;
        } else if (!strcmp(a, "--no-pushdown")) {
            bo.no_pushdown = true;
        } else if (!strcmp(a, "--keep-build-dir")) {
            bo.bpf.keep_dir = true;
        } else if (!strcmp(a, "--no-cache")) {
            no_cache = true;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value) {
            out = argv[++i];
        } else if (!strcmp(a, "--clang") && has_value) {
            bo.bpf.clang = argv[++i];
        } else if (!strcmp(a, "--templates") && has_value) {
            bo.bpf.templates_dir = argv[++i];
        } else {
            bool needs = !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--clang") ||
                         !strcmp(a, "--templates");
            fprintf(stderr, "sgc compile: %s '%s'\n",
                    needs ? "missing value for" : "unknown option", a);
            usage(stderr);
            free(files);
            return 2;
        }
    }
    if (!out || !nfiles) {
        fprintf(stderr, "sgc compile: %s\n",
                !nfiles ? "needs at least one rules file" : "needs -o FILE");
        usage(stderr);
        free(files);
        return 2;
    }
    bo.bpf.verbose = verbose;
    /* kept-build-dir users want to see clang run */
    if (!no_cache && !bo.bpf.keep_dir) bo.bpf.object_cache_dir = sgc_cache_objects_dir(NULL);

    double t0 = sgc_now_ms();
    sgc_frontend fe;
    sgc_frontend_opts fo = {0};
    int errors = sgc_frontend_run(&fe, files, nfiles, &fo);
    double t1 = sgc_now_ms();
    if (errors) {
        sgc_diags_print_text(stderr, fe.diags);
        fprintf(stderr, "sgc compile: %d error%s: %s not written\n", errors, errors == 1 ? "" : "s",
                out);
        sgc_frontend_free(&fe);
        free(files);
        return 1;
    }
    char err[1024] = "";
    sgc_artifact_timing t;
    /* the front end's warnings and the kernel filter's shape, as sgc lint
     * warns about it, in one sorted report */
    sgc_kernel_filter_stats filter_stats = {0};
    bo.filter_lint = fe.diags;
    bo.filter_stats = &filter_stats;
    int from = fe.diags->n;
    sgc_artifact *a = sgc_artifact_build(&fe, files, nfiles, &bo, &t, err, sizeof err);
    sgc_frontend_finish_diags(&fe, from);
    if (fe.diags->n) sgc_diags_print_text(stderr, fe.diags);
    sgc_frontend_free(&fe);
    double t2 = sgc_now_ms();
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = a ? sgc_artifact_serialize(a, &data, &len, err, sizeof err) : -1;
    double t3 = sgc_now_ms();
    if (rc == 0 && self_check(data, len, err, sizeof err) != 0) {
        /* prefix the reader's message in place (bounded: the tail may be cut) */
        static const char prefix[] = "internal error: the artifact does not read back: ";
        size_t keep = sizeof err - sizeof prefix;
        memmove(err + sizeof prefix - 1, err, keep);
        err[sizeof err - 1] = '\0';
        memcpy(err, prefix, sizeof prefix - 1);
        rc = -1;
    }
    double t4 = sgc_now_ms();
    if (rc == 0) rc = sgc_artifact_write_bytes(out, data, len, err, sizeof err);
    double t5 = sgc_now_ms();
    if (rc == 0) {
        summary(out, a, len, &filter_stats);
        if (verbose)
            fprintf(stderr,
                    "sgc compile: timings (ms): front end %.1f, manifest %.1f, pushdown %.1f, "
                    "codegen %.1f, clang %.1f, serialize %.1f, read-back check %.1f, write %.1f, "
                    "total %.1f\n",
                    t1 - t0, t.manifest_ms, t.pushdown_ms, t.codegen_ms, t.clang_ms, t3 - t2,
                    t4 - t3, t5 - t4, t5 - t0);
    } else {
        fprintf(stderr, "sgc compile: %s; %s not written\n", err, out);
    }
    free(data);
    sgc_artifact_free(a);
    free(files);
    return rc == 0 ? 0 : 1;
}
