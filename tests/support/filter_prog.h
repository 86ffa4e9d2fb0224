/* Test support: the REAL capture program (bpf-templates/capture.bpf.c) built
 * with a generated kernel filter, loaded with only its BPF_PROG_TEST_RUN
 * entry (sgc_filter_test: sgc_filter_early() then sgc_filter() on a prepared
 * record, exactly the calls sgc_on_syscall_exit makes), and run on records
 * built in userspace.
 *
 *   sgc_tfilter t;
 *   if (sgc_tfilter_open(&t, &gen, err, sizeof err)) ...   // clang + verifier + maps
 *   int v = sgc_tfilter_run(&t, rec, size);   // SGC_TEST_PASS / _DROP / _DROP_EARLY;
 *                                             // rec gets the bitmap the filter wrote
 *   sgc_tfilter_close(&t);
 *
 * The object is compiled by the product's own builder (compiler/codegen/bpf_build.h,
 * what `sgc compile` runs) from the templates embedded in the build (or
 * $SGC_BPF_TEMPLATES), so the test exercises the code that ships. Header-only (static functions): unit
 * tests are single-file executables linked with sgccore. Needs root, BTF and
 * clang; sgc_tfilter_unavailable() says what is missing. */
#ifndef SGC_TEST_FILTER_PROG_H
#define SGC_TEST_FILTER_PROG_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpf_build.h"
#include "capture.h"
#include "codegen_bpf.h"

typedef struct sgc_tfilter {
    struct bpf_object *obj;
    int prog_fd, input_fd;
    size_t input_size;  /* value size of sgc_test_input (struct sgc_scratch) */
    unsigned char *buf; /* input_size bytes */
    double compile_s, load_s;
    size_t obj_size;
} sgc_tfilter;

static inline double sgc_tfilter_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sgc_tfilter_silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level == LIBBPF_DEBUG) return 0;
    return vfprintf(stderr, fmt, ap);
}

/* NULL when this process can build and test-run BPF programs; otherwise what
 * is missing (written into buf). */
static inline const char *sgc_tfilter_unavailable(char *buf, size_t n)
{
    if (geteuid() != 0) {
        snprintf(buf, n,
                 "not root (BPF_PROG_TEST_RUN of tracing programs needs CAP_BPF+CAP_PERFMON)");
        return buf;
    }
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
        snprintf(buf, n, "no kernel BTF (/sys/kernel/btf/vmlinux)");
        return buf;
    }
    if (!sgc_bpf_find_clang(NULL)) {
        snprintf(buf, n, "no clang (clang-19 or $SGC_CLANG) to build the BPF object");
        return buf;
    }
    int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sgc_probe", 4, 4, 1, NULL);
    if (fd < 0) {
        snprintf(buf, n, "bpf(BPF_MAP_CREATE) fails: %s", strerror(errno));
        return buf;
    }
    close(fd);
    return NULL;
}

static inline void sgc_tfilter_close(sgc_tfilter *t)
{
    if (t->obj) bpf_object__close(t->obj);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* Build capture.bpf.c with g's filter, load sgc_filter_test only, fill the
 * filter's maps. 0, or -1 with a message in err. */
static inline int sgc_tfilter_open(sgc_tfilter *t, const sgc_bpf_gen *g, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->prog_fd = t->input_fd = -1;
    libbpf_set_print(sgc_tfilter_silent);
    /* the constant-set maps sized as the generator counted their entries
     * (bpf_build.h; 0 would be 1 entry) */
    sgc_bpf_build_opts bo = {.lpm_entries = g->lpm_entries,
                             .comm_entries = g->comm_entries,
                             .addr_entries = g->addr_entries};
    /* the templates embedded at build time (what `sgc compile` uses), or
     * $SGC_BPF_TEMPLATES; the source tree's only when none are embedded */
    int nembedded = 0;
    sgc_bpf_templates_embedded(&nembedded);
#ifdef SGC_SRC_DIR
    if (!nembedded && !getenv("SGC_BPF_TEMPLATES")) bo.templates_dir = SGC_SRC_DIR "/bpf-templates";
#endif
    uint8_t *objdata = NULL;
    size_t objlen = 0;
    double t0 = sgc_tfilter_now();
    if (sgc_bpf_build(g->source, g->source_len, g->cand_words, &bo, &objdata, &objlen, err, errlen))
        return -1;
    t->compile_s = sgc_tfilter_now() - t0;
    t->obj_size = objlen;
    t0 = sgc_tfilter_now();
    LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "sgc_soundness");
    t->obj = bpf_object__open_mem(objdata, objlen, &oo);
    free(objdata);
    if (!t->obj || libbpf_get_error(t->obj)) {
        t->obj = NULL;
        snprintf(err, errlen, "libbpf cannot open the built object");
        return -1;
    }
    struct bpf_program *prog, *test = NULL;
    bpf_object__for_each_program(prog, t->obj)
    {
        bool is_test = strcmp(bpf_program__name(prog), "sgc_filter_test") == 0;
        bpf_program__set_autoload(prog, is_test);
        if (is_test) test = prog;
    }
    struct bpf_map *input = bpf_object__find_map_by_name(t->obj, "sgc_test_input");
    if (!test || !input) {
        snprintf(err, errlen, "the capture object has no sgc_filter_test / sgc_test_input");
        sgc_tfilter_close(t);
        return -1;
    }
    /* the ring buffer is not used by the test entry: keep it small */
    struct bpf_map *events = bpf_object__find_map_by_name(t->obj, "sgc_events");
    if (events) bpf_map__set_max_entries(events, 4096);
    if (bpf_object__load(t->obj)) {
        snprintf(err, errlen, "the filter program was rejected by the verifier (log above)");
        sgc_tfilter_close(t);
        return -1;
    }
    if (sgc_bpf_gen_populate(g, t->obj, err, errlen)) {
        sgc_tfilter_close(t);
        return -1;
    }
    t->load_s = sgc_tfilter_now() - t0;
    t->prog_fd = bpf_program__fd(test);
    t->input_fd = bpf_map__fd(input);
    t->input_size = bpf_map__value_size(input);
    t->buf = calloc(1, t->input_size);
    if (!t->buf) {
        snprintf(err, errlen, "out of memory");
        sgc_tfilter_close(t);
        return -1;
    }
    return 0;
}

/* Run the filter on rec (a complete record of size bytes). Returns an enum
 * sgc_test_verdict or a negative errno; rec is overwritten with the record
 * as the filter left it (candidate bitmap, header flags). */
static inline int sgc_tfilter_run(sgc_tfilter *t, void *rec, size_t size)
{
    if (size > t->input_size) return -EINVAL;
    /* what the filter keeps between events (the value's last
     * SGC_F_KEEP_BYTES, read back after the run before) carries over, as
     * from one live event to the next: consecutive records exercise it */
    size_t keep = t->input_size > SGC_F_KEEP_BYTES + size ? SGC_F_KEEP_BYTES : 0;
    memset(t->buf, 0, t->input_size - keep);
    memcpy(t->buf, rec, size);
    uint32_t zero = 0;
    if (bpf_map_update_elem(t->input_fd, &zero, t->buf, BPF_ANY)) return -errno;
    __u64 args[1] = {0};
    LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = args, .ctx_size_in = sizeof args);
    if (bpf_prog_test_run_opts(t->prog_fd, &run)) return -errno;
    if (bpf_map_lookup_elem(t->input_fd, &zero, t->buf)) return -errno;
    memcpy(rec, t->buf, size);
    return (int)run.retval;
}

#endif
