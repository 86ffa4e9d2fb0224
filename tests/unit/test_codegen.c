/* BPF code generation: the map entries for constant sets, the generated C
 * compiled with clang against the capture templates, the union of the three
 * corpus files through the verifier, and a generated filter run with
 * BPF_PROG_TEST_RUN on synthetic records, compared with the reference
 * evaluator (tests/support/pushdown_eval.c) verdict for verdict, bit for bit.
 * Needs root, clang-19 and BPF (available here and on CI: not skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pushdown_eval.h"
#include "codegen_bpf.h"
#include "decode.h"
#include "frontend.h"
#include "parse.h"
#include "pushdown.h"

#define HARNESS_CTX 4096

/* ---- helpers ----------------------------------------------------------------- */

typedef struct conds {
    sgc_source *src[64];
    sgc_node *cond[64];
    int n;
} conds;

static void add(conds *c, const char *text)
{
    c->src[c->n] = sgc_source_new(NULL, text, strlen(text));
    sgc_diags d;
    sgc_diags_init(&d);
    c->cond[c->n] = sgc_parse_condition(c->src[c->n], NULL, &d);
    if (!c->cond[c->n]) fail_msg("does not parse: %s", text);
    sgc_diags_free(&d);
    c->n++;
}

static void conds_free(conds *c)
{
    for (int i = 0; i < c->n; i++) {
        sgc_node_free(c->cond[i]);
        sgc_source_free(c->src[i]);
    }
}

static char tmpdir[256];

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Compile src (capture.bpf.c or the harness) with the generated filter. */
static int compile(const sgc_bpf_gen *g, const char *src, const char *obj)
{
    char bin[512], path[512], cmd[4096];
    snprintf(bin, sizeof bin, "%s", SGC_BIN);
    const char *build = dirname(bin);
    snprintf(path, sizeof path, "%s/filter.h", tmpdir);
    write_file(path, g->source, g->source_len);
    snprintf(cmd, sizeof cmd,
             "clang-19 -target bpf -g -O2 -D__TARGET_ARCH_x86 -Wall -Werror -I%s/gen/bpf "
             "-I%s/bpf-templates -I%s/bpf-templates/shared -I%s "
             "-DSGC_GENERATED_FILTER='\"filter.h\"' -DSGC_CAND_WORDS=%d "
             "-DSGC_F_LPM_ENTRIES=%d -DSGC_F_COMM_ENTRIES=%d -c %s -o %s 2>%s/clang.log",
             build, SGC_SRC_DIR, SGC_SRC_DIR, tmpdir, g->cand_words,
             g->lpm_entries ? g->lpm_entries : 1, g->comm_entries ? g->comm_entries : 1, src, obj,
             tmpdir);
    int rc = system(cmd);
    if (rc) {
        snprintf(cmd, sizeof cmd, "head -c 3000 %s/clang.log >&2", tmpdir);
        if (system(cmd)) {}
    }
    return rc;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sgc_codegen_XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd);
}

/* ---- map entries --------------------------------------------------------------- */

static bool has_lpm(const sgc_bpf_gen *g, const char *bytes, size_t len, uint8_t verdict)
{
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        uint32_t prefixlen;
        memcpy(&prefixlen, e->key, 4);
        if (e->key_size != SGC_FLPM_KEY_SIZE || prefixlen != 32 + len * 8 ||
            memcmp(e->key + 8, bytes, len))
            continue;
        for (int slot = 0; slot < SGC_FCOMM_PLANE_SETS; slot++)
            if (sgc_codegen_comm_verdict(e, slot) == verdict) return true;
    }
    return false;
}

static bool has_comm(const sgc_bpf_gen *g, const char *comm, uint8_t verdict)
{
    char key[16] = {0};
    size_t n = strlen(comm);
    memcpy(key, comm, n < 15 ? n : 15); /* a comm key: at most 15 bytes, NUL padded */
    for (int i = 0; i < g->nentries; i++) {
        const sgc_bpf_map_entry *e = &g->entries[i];
        if (e->key_size != SGC_FCOMM_KEY_SIZE || memcmp(e->key + 4, key, 16)) continue;
        for (int slot = 0; slot < SGC_FCOMM_PLANE_SETS; slot++)
            if (sgc_codegen_comm_verdict(e, slot) == verdict) return true;
    }
    return false;
}

static void test_map_entries(void **state)
{
    (void)state;
    conds c = {0};
    add(&c, "evt.type = openat and fd.name startswith /etc/ and fd.name endswith .log");
    add(&c, "evt.type = openat and fd.name in (/etc/shadow, /etc/passwd) and proc.name in (bash, "
            "dpkg-preconfigure)");
    add(&c, "evt.type = openat and fd.name pmatch (/usr/bin, /)");
    sgc_pushdown *pd = sgc_pushdown_build_conditions((const sgc_node *const *)c.cond, NULL, c.n);
    sgc_bpf_gen g;
    assert_int_equal(sgc_codegen_bpf(pd, &g), 0);
    assert_true(has_lpm(&g, "/etc/", 5, 1));        /* prefix: no NUL */
    assert_true(has_lpm(&g, "gol.", 4, 1));         /* suffix: reversed */
    assert_true(has_lpm(&g, "/etc/shadow", 12, 1)); /* equality: with its NUL */
    assert_true(has_lpm(&g, "/usr/bin", 9, 1));     /* pmatch: the item ... */
    assert_true(has_lpm(&g, "/usr/bin/", 9, 1));    /* ... and below it */
    assert_true(has_lpm(&g, "/", 1, 1));            /* pmatch of the root */
    assert_true(has_comm(&g, "bash", 1));
    assert_true(has_comm(&g, "dpkg-preconfigu", 2)); /* 15 chars of a longer name: UNKNOWN */
    assert_int_equal(g.comm_entries + g.lpm_entries + g.addr_entries, g.nentries);
    assert_non_null(strstr(g.source, "sgc_filter_early"));
    /* the set maps' sizes are build flags, not source: a list update keeps
     * the source (and the cached object) the same */
    assert_null(strstr(g.source, "SGC_F_LPM_ENTRIES"));
    assert_true(g.lpm_entries > 0 && g.comm_entries > 0);
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    conds_free(&c);
}

/* ---- the union of the corpus files compiles and verifies -------------------- */

static void test_corpus_union_compiles_and_verifies(void **state)
{
    (void)state;
    const char *files[] = {SGC_CORPUS_DIR "/falco_rules.yaml",
                           SGC_CORPUS_DIR "/falco-incubating_rules.yaml",
                           SGC_CORPUS_DIR "/falco-sandbox_rules.yaml"};
    sgc_frontend fe;
    sgc_frontend_opts opts = {0};
    assert_int_equal(sgc_frontend_run(&fe, files, 3, &opts), 0);
    sgc_pushdown *pd = sgc_pushdown_build(fe.rs);
    assert_true(pd->nrules > 50);
    sgc_bpf_gen g;
    sgc_codegen_bpf(pd, &g);
    char obj[512];
    snprintf(obj, sizeof obj, "%s/capture_corpus.o", tmpdir);
    assert_int_equal(compile(&g, SGC_SRC_DIR "/bpf-templates/capture.bpf.c", obj), 0);
    /* the harness holds the same filter in one program: load it (verifier) */
    snprintf(obj, sizeof obj, "%s/harness_corpus.o", tmpdir);
    assert_int_equal(compile(&g, SGC_SRC_DIR "/tests/bpf/filter_harness.bpf.c", obj), 0);
    struct bpf_object *o = bpf_object__open_file(obj, NULL);
    assert_non_null(o);
    int rc = bpf_object__load(o);
    if (rc) fail_msg("corpus filter rejected by the verifier: %d", rc);
    char err[256];
    if (sgc_bpf_gen_populate(&g, o, err, sizeof err)) fail_msg("%s", err);
    bpf_object__close(o);
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    sgc_frontend_free(&fe);
}

/* ---- BPF_PROG_TEST_RUN against the reference evaluator ------------------------ */

struct harness_out {
    int32_t verdict;
    uint32_t flags;
    uint64_t cand[64];
};

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void run_differential(const char *const *texts, int ntexts, int nevents)
{
    conds c = {0};
    for (int i = 0; i < ntexts; i++) add(&c, texts[i]);
    sgc_pushdown *pd = sgc_pushdown_build_conditions((const sgc_node *const *)c.cond, NULL, c.n);
    sgc_bpf_gen g;
    sgc_codegen_bpf(pd, &g);
    char obj[512];
    snprintf(obj, sizeof obj, "%s/harness.o", tmpdir);
    assert_int_equal(compile(&g, SGC_SRC_DIR "/tests/bpf/filter_harness.bpf.c", obj), 0);
    struct bpf_object *o = bpf_object__open_file(obj, NULL);
    assert_non_null(o);
    struct bpf_map *scratch = bpf_object__find_map_by_name(o, "sgc_scratch");
    assert_non_null(scratch);
    bpf_map__set_max_entries(scratch, (uint32_t)libbpf_num_possible_cpus());
    if (bpf_object__load(o)) fail_msg("harness rejected by the verifier");
    char err[256];
    if (sgc_bpf_gen_populate(&g, o, err, sizeof err)) fail_msg("%s", err);
    int prog = bpf_program__fd(bpf_object__find_program_by_name(o, "sgc_harness"));
    int prog_openat = bpf_program__fd(bpf_object__find_program_by_name(o, "sgc_harness_openat"));
    int out_fd = bpf_map__fd(bpf_object__find_map_by_name(o, "sgc_harness_out"));

    static const char *comms[] = {"bash", "cat", "sshd", "dpkg-preconfigu", "dpkg", "python3", ""};
    static const char *paths[] = {"/etc/shadow",
                                  "/etc/passwd",
                                  "/etc/",
                                  "/etc",
                                  "/tmp/x.log",
                                  "shadow",
                                  "/etc/../etc/shadow",
                                  "//etc/shadow",
                                  "/usr/bin/ls",
                                  "/usr/binx",
                                  "/var/log/syslog",
                                  "/etc/./x",
                                  "../etc/shadow",
                                  "a/../../b",
                                  "/etc/passwd-",
                                  "/x",
                                  "/",
                                  NULL};
    static const int nrs[] = {__NR_openat,   __NR_open,   __NR_read,
                              __NR_unlinkat, __NR_setuid, __NR_ptrace};
    unsigned seed = 12345;
    int disagreements = 0, passed = 0, dropped = 0, undecided_paths = 0;
    for (int e = 0; e < nevents; e++) {
        _Alignas(8) unsigned char buf[HARNESS_CTX];
        memset(buf, 0, sizeof buf);
#define PICK(n) (int)(next(&seed) % (unsigned)(n))
        sgc_record_builder b;
        int nr = nrs[PICK(6)];
        sgc_record_begin(&b, buf, sizeof buf, SGC_REC_SYSCALL, (uint32_t)nr,
                         (uint16_t)g.cand_words);
        const char *comm = comms[PICK(7)];
        strncpy(b.hdr->comm, comm, 15);
        strncpy(b.hdr->pcomm, comms[PICK(7)], 15);
        b.hdr->euid = PICK(3) == 0 ? 0 : 1000;
        b.hdr->loginuid = PICK(2) ? 0xffffffffu : 1000;
        b.hdr->ret = PICK(4) == 0 ? -2 : 3;
        b.hdr->args[1] = PICK(3) == 0 ? 01 | 01000 : PICK(2) ? 02 : 0;
        b.hdr->args[2] =
            (PICK(3) == 0 ? 01 | 0100 : 0) | (PICK(4) == 0 ? 0200000 /* O_DIRECTORY */ : 0);
        b.hdr->args[0] = PICK(2) ? 16 /* PTRACE_ATTACH */ : 0;
        b.hdr->cap_effective = PICK(2) ? 1ull << 21 : 0;
        const char *p = paths[PICK((int)(sizeof paths / sizeof paths[0]))];
        int reg = nr == __NR_open ? 0 : 1;
        if (p)
            sgc_record_add_blob(&b, SGC_BLOB_ARG0 + (unsigned)reg, p, strlen(p) + 1,
                                PICK(8) == 0 ? SGC_BLOBF_TRUNCATED : 0);
        size_t size = sgc_record_finish(&b);
        assert_true(size > 0);
        sgc_evt ev;
        assert_int_equal(sgc_decode(buf, size, &ev), SGC_DECODE_OK);
        uint64_t want[64];
        bool want_pass = sgc_pushdown_eval(pd, &ev, want);
        if (want_pass)
            passed++;
        else
            dropped++;
        int grp = nr <= pd->max_nr ? pd->group_of_nr[nr] : -1;
        for (int k = 0; grp >= 0 && k < pd->groups[grp].nkatoms; k++) {
            int ka = pd->groups[grp].katoms[k];
            if (pd->katoms[ka]->src == SGC_KV_PATH &&
                sgc_katom_eval(pd, ka, &ev) == SGC_K_UNKNOWN) {
                undecided_paths++;
                break;
            }
        }

        uint64_t args[1] = {(uint64_t)(uintptr_t)buf};
        LIBBPF_OPTS(bpf_test_run_opts, topts, .ctx_in = args, .ctx_size_in = sizeof args);
        /* openat records also go through the one-syscall program */
        assert_int_equal(
            bpf_prog_test_run_opts(nr == __NR_openat && PICK(2) ? prog_openat : prog, &topts), 0);
        assert_int_equal(topts.retval, 0);
        struct harness_out got;
        uint32_t zero = 0;
        assert_int_equal(bpf_map_lookup_elem(out_fd, &zero, &got), 0);
        bool same = (got.verdict != 0) == want_pass;
        for (int w = 0; w < g.cand_words && same && want_pass; w++) same = got.cand[w] == want[w];
        if (!same) {
            if (disagreements++ < 5)
                fprintf(stderr,
                        "disagreement: nr=%d comm=%s path=%s: bpf %d/%llx, reference %d/%llx\n", nr,
                        comm, p ? p : "(none)", got.verdict, (unsigned long long)got.cand[0],
                        want_pass, (unsigned long long)want[0]);
        }
    }
    fprintf(stderr, "%d events: %d passed, %d dropped, %d with an undecided path\n", nevents,
            passed, dropped, undecided_paths);
    assert_int_equal(disagreements, 0);
    /* the comparison means something only if both outcomes occurred */
    assert_true(passed > nevents / 10 && dropped > nevents / 10 && undecided_paths > 0);
    bpf_object__close(o);
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    conds_free(&c);
}

static void test_bpf_matches_reference(void **state)
{
    (void)state;
    const char *rules[] = {
        "evt.type in (open, openat) and fd.name startswith /etc/ and not proc.name in (sshd, "
        "dpkg-preconfigure)",
        "evt.type = openat and evt.is_open_write = true and fd.name endswith .log",
        "evt.type in (open, openat) and fd.name pmatch (/usr/bin) and user.uid = 0",
        "evt.type = openat and evt.arg.flags contains O_TRUNC and not user.name = root",
        "evt.type = unlinkat and evt.arg.name in (/etc/shadow, /etc/passwd)",
        "evt.type = ptrace and evt.arg.request contains PTRACE_ATTACH and proc.pname = bash",
        "evt.type = setuid and user.loginuid != -1 and thread.cap_effective contains CAP_SYS_ADMIN",
        "evt.type = openat and evt.res = ENOENT and proc.name startswith dpkg",
        "evt.type = read and proc.cmdline contains x",
        "evt.type in (open, openat) and (fd.name = /etc/passwd or not proc.name = cat)",
        "evt.type = openat and fd.typechar = f and fd.num >= 0 and not fd.name startswith /etc/",
        "evt.type = openat and not fd.typechar = d",
        "evt.type in (open, openat) and fd.directory in (/etc, /usr/bin) and not fd.nameraw "
        "contains '../'",
        "evt.type = openat and fd.name glob '/etc/*ss*d' and not proc.name = cat",
        "evt.type in (open, openat) and (fd.nameraw glob '*../*../*' or fd.directory startswith "
        "/var)",
        "evt.type in (open, openat) and fd.name contains sh and not fd.directory pmatch (/etc)",
        "evt.type = openat and (fd.nameraw in (shadow, ../etc/shadow) or fd.nameraw endswith .log)",
        "evt.type = open and fd.directory = / and fd.name glob '*'",
    };
    run_differential(rules, (int)(sizeof rules / sizeof *rules), 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_entries),
        cmocka_unit_test(test_bpf_matches_reference),
        cmocka_unit_test(test_corpus_union_compiles_and_verifies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
