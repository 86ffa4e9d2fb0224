/* The exec-record atoms (proc.exe, proc.exepath, proc.cwd, proc.cmdline,
 * proc.args, proc.env, proc.is_exe_*:
 * compiler/pushdown/pushdown_exec.c, bpf-templates/filter_exec.h) on
 * hand-built records, each atom's value written down per record, and
 * checked three ways:
 *   1. the exact userspace evaluator (process table after the record, an
 *      older image before it) agrees with every value the kernel decides;
 *   2. the reference kernel evaluator (tests/support/pushdown_eval_exec.c)
 *      gives exactly the values written down;
 *   3. the generated filter, run with BPF_PROG_TEST_RUN on each record
 *      (tests/support/filter_prog.h), gives them too: rule 2i is
 *      "evt.type = execve and A_i", rule 2i+1 "... and not A_i", so their
 *      two candidate bits say TRUE (1,0), FALSE (0,1) or UNKNOWN (1,1).
 * The records: whole blobs, missing blobs, flagged, without a NUL, empty,
 * over-long, a cwd at the length limit with and without its '/', command
 * lines and environments (cut, faulted, empty items, long, a comm empty),
 * and a
 * syscall exit carrying the same blobs (always UNKNOWN: there the evaluator
 * reads the process table). Step 3 needs root, BTF, clang and BPF: skipped
 * with the reason otherwise, failed when CI=true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <asm/unistd_64.h>

#include "eval_fixture.h"
#include "frontend.h"
#include "pushdown.h"
#include "pushdown_eval.h"
#include "pushdown_split.h"

#include "../support/filter_prog.h"

static const char *const atoms[] = {
    "proc.exe startswith /dev/shm/",                   /* 0 */
    "proc.exe = /usr/bin/true",                        /* 1 */
    "proc.exe in (true, ./x)",                         /* 2 */
    "proc.exe endswith /true",                         /* 3 */
    "proc.exe contains shm",                           /* 4 */
    "proc.exe glob '/dev/*/x'",                        /* 5 */
    "proc.exepath = /usr/bin/true",                    /* 6 */
    "proc.exepath startswith /dev/shm/",               /* 7 */
    "proc.exepath != memfd:x",                         /* 8 */
    "proc.cwd = /tmp/",                                /* 9 */
    "proc.cwd startswith /dev/shm/",                   /* 10 */
    "proc.cwd = /",                                    /* 11 */
    "proc.is_exe_from_memfd = true",                   /* 12 */
    "proc.is_exe_writable = false",                    /* 13 */
    "proc.is_exe_upper_layer != true",                 /* 14 */
    "proc.is_exe_from_memfd in (true)",                /* 15 */
    "proc.cwd endswith aaaa/",                         /* 16 */
    "proc.cmdline contains stratum+tcp",               /* 17 */
    "proc.cmdline = 'x -c ls'",                        /* 18 */
    "proc.cmdline startswith 'x -c'",                  /* 19 */
    "proc.args = '-c ls'",                             /* 20 */
    "proc.args icontains '-C L'",                      /* 21 */
    "proc.cmdline contains ' -o '",                    /* 22 */
    "proc.env icontains GLIBC_TUNABLES",               /* 23 */
    "proc.env contains 'PATH=/bin HOME'",              /* 24 */
    "proc.args = ''",                                  /* 25 */
    "proc.cmdline = x",                                /* 26 */
    "proc.cmdline contains 'xmrig -o stratum+tcp://'", /* 27: its first 16 bytes */
};
#define NATOMS ((int)(sizeof atoms / sizeof atoms[0]))

/* A blob of the record: absent when p is NULL. */
typedef struct blob {
    const char *p;
    size_t len;
    uint8_t flags;
} blob;

typedef struct rec {
    const char *what;
    enum sgc_record_kind kind;
    blob argv, exe, cwd, flags;
    const char *want; /* NATOMS values: T, F or U */
    blob env;         /* none when not given */
    const char *comm; /* "x" when not given */
} rec;

#define S(s)  {s, sizeof(s), 0} /* a string and its NUL (or a list) */
#define FL(v) {(const char *)&(v), 4, 0}
#define NONE  {NULL, 0, 0}

static const uint32_t f_writable = SGC_EXE_WRITABLE;
static const uint32_t f_memfd_upper = SGC_EXE_FROM_MEMFD | SGC_EXE_UPPER_LAYER;
static const uint32_t f_none = 0;
static char long_exe[301], cwd249[250], cwd250[251];
static char argv300[304], argv250[253], env_long[3000], env_none[4000];

static const rec recs[] = {
    {"whole blobs", SGC_REC_PROC_EXEC, S("/usr/bin/true"), S("/usr/bin/true"), S("/tmp"),
     FL(f_writable),
     "FTFTFFTFTTFFFFTFF"
     "FFFFFFUUTTF",
     NONE, NULL},
    {"/dev/shm, memfd and upper layer", SGC_REC_PROC_EXEC, S("/dev/shm/x\0-c\0ls"), S("/dev/shm/x"),
     S("/dev/shm"), FL(f_memfd_upper),
     "TFFFTTFTTFTFTTFTF"
     "FTTTTFUUFFF",
     NONE, NULL},
    {"no exe path, no flags (the older image's stay)", SGC_REC_PROC_EXEC, S("true"), NONE, S("/"),
     NONE,
     "FFTFFFUUUFFTUUUUF"
     "FFFFFFUUTTF",
     NONE, NULL},
    {"a syscall exit with the same blobs", SGC_REC_SYSCALL, S("/usr/bin/true"), S("/usr/bin/true"),
     S("/tmp"), FL(f_writable),
     "UUUUUUUUUUUUUUUUU"
     "UUUUUUUUUUU",
     NONE, NULL},
    {"argv truncated after argv[0], exe path without a NUL, cwd truncated, short flags",
     SGC_REC_PROC_EXEC,
     {"/dev/shm/x\0-c", 13, SGC_BLOBF_TRUNCATED},
     {"abc", 3, 0},
     {"/dev/shm", 9, SGC_BLOBF_TRUNCATED},
     {"\1\0", 2, 0},
     "TFFFTTUUUUUUUUUUU"
     "FFTFFFUUFFF",
     NONE,
     NULL},
    {"argv cut in argv[0], exe path faulted",
     SGC_REC_PROC_EXEC,
     {"/dev/shm/x", 10, SGC_BLOBF_TRUNCATED},
     {"", 0, SGC_BLOBF_FAULT},
     S("/"),
     FL(f_none),
     "UUUUUUUUUFFTFTTFF"
     "FFFFFFUUTTF",
     NONE,
     NULL},
    {"faulted flags",
     SGC_REC_PROC_EXEC,
     S("/usr/bin/true"),
     S("/usr/bin/true"),
     S("/tmp/"),
     {(const char *)&f_memfd_upper, 4, SGC_BLOBF_FAULT},
     "FTFTFFTFTTFFUUUUF"
     "FFFFFFUUTTF",
     NONE,
     NULL},
    {"empty argv[0] and cwd, over-long exe path",
     SGC_REC_PROC_EXEC,
     S(""),
     {long_exe, 301, 0},
     S(""),
     FL(f_none),
     "FFFFFFUUUUUUFTTFU"
     "FFFFFFUUTTF",
     NONE,
     NULL},
    {"a 249-byte cwd: 250 with its '/'",
     SGC_REC_PROC_EXEC,
     S("./x"),
     S("/x"),
     {cwd249, 250, 0},
     FL(f_none),
     "FFTFFFFFTFTFFTTFT"
     "FFFFFFUUTTF",
     NONE,
     NULL},
    {"a 250-byte cwd: too long with its '/'",
     SGC_REC_PROC_EXEC,
     S("./x"),
     S("/x"),
     {cwd250, 251, 0},
     FL(f_none),
     "FFTFFFFFTUUUFTTFU"
     "FFFFFFUUTTF",
     NONE,
     NULL},
    {"a miner's command line, GLIBC_TUNABLES in lowercase in the environment", SGC_REC_PROC_EXEC,
     S("xmrig\0-o\0stratum+tcp://pool:3333"), S("/usr/bin/xmrig"), S("/tmp"), FL(f_none),
     "FFFFFFFFTTFFFTTFF"
     "TFFFFTTFFFU",
     S("PATH=/bin\0glibc_tunables=x"), "xmrig"},
    {"arguments cut without a final NUL, an empty one; the environment cut",
     SGC_REC_PROC_EXEC,
     {"sh\0-c\0\0-C Ls", 12, SGC_BLOBF_TRUNCATED},
     S("/bin/sh"),
     S("/"),
     FL(f_writable),
     "FFFFFFFFTFFTFFTFF"
     "FFFFTFFTFFF",
     {"PATH=/bin\0HOME=/root\0GLIBC_TUN", 31, SGC_BLOBF_TRUNCATED},
     "sh"},
    {"argv and environment faulted",
     SGC_REC_PROC_EXEC,
     {"", 0, SGC_BLOBF_FAULT},
     S("/usr/bin/true"),
     S("/tmp"),
     FL(f_none),
     "UUUUUUTFTTFFFTTFF"
     "UUUUUUUUUUU",
     {"", 0, SGC_BLOBF_FAULT},
     NULL},
    {"an empty comm, 300 bytes of arguments, GLIBC_TUNABLES 2900 bytes into the environment",
     SGC_REC_PROC_EXEC,
     {argv300, sizeof argv300, 0},
     S("/bin/ls"),
     S("/tmp"),
     FL(f_none),
     "FFFFFFFFTTFFFTTFF"
     "UUUUUUTFUUU",
     {env_long, sizeof env_long, SGC_BLOBF_TRUNCATED},
     ""},
    {"250 bytes of arguments (a 252-byte command line), 4000 bytes of environment",
     SGC_REC_PROC_EXEC,
     {argv250, sizeof argv250, 0},
     S("/bin/a"),
     S("/tmp"),
     FL(f_none),
     "FFFFFFFFTTFFFTTFF"
     "UUUFFUFFFUU",
     {env_none, sizeof env_none, 0},
     NULL},
};
#define NRECS ((int)(sizeof recs / sizeof recs[0]))

static void fill_long(void)
{
    memset(long_exe, 'e', 300);
    long_exe[0] = '/';
    long_exe[300] = 0;
    memcpy(cwd249, "/dev/shm/", 9);
    memset(cwd249 + 9, 'a', 240);
    cwd249[249] = 0;
    memcpy(cwd250, "/dev/shm/", 9);
    memset(cwd250 + 9, 'a', 241);
    cwd250[250] = 0;
    memcpy(argv300, "ls\0", 3); /* then 300 bytes of one argument and its NUL */
    memset(argv300 + 3, 'a', 300);
    memcpy(argv250, "a\0", 2); /* then 250 bytes and a NUL */
    memset(argv250 + 2, 'b', 250);
    memcpy(env_long, "V=", 2); /* 'g's and GLIBC_TUNABLES at 2900 */
    memset(env_long + 2, 'g', 2897);
    memcpy(env_long + 2900, "GLIBC_TUNABLES=glibc.malloc", 27);
    for (size_t i = 0; i < sizeof env_none - 1; i++) /* items of 'G's and '_'s */
        env_none[i] = i % 50 == 49 ? '\0' : i % 7 == 0 ? '_' : 'G';
}

static void add_blob(fx_event *e, unsigned tag, const blob *b)
{
    if (b->p) sgc_record_add_blob(&e->b, tag, b->p, b->len, b->flags);
}

/* Record r, with cand_words candidate words, into e (decoded). */
static const sgc_evt *build(fx_event *e, const rec *r, uint16_t cand_words)
{
    sgc_record_begin(&e->b, e->buf, sizeof e->buf, r->kind, __NR_execve, cand_words);
    struct sgc_event_hdr *h = e->b.hdr;
    h->pid = h->tid = 4242;
    h->ppid = 1;
    h->ts_ns = 2000000000ull;
    h->ret = r->kind == SGC_REC_SYSCALL ? -2 : 0;
    memset(h->comm, 0, sizeof h->comm);
    strcpy(h->comm, r->comm ? r->comm : "x");
    sgc_record_add_str(&e->b, SGC_BLOB_ARG0, "/usr/bin/true");
    add_blob(e, SGC_BLOB_EXE, &r->exe);
    add_blob(e, SGC_BLOB_ARGV, &r->argv);
    add_blob(e, SGC_BLOB_ENV, &r->env);
    add_blob(e, SGC_BLOB_CWD, &r->cwd);
    add_blob(e, SGC_BLOB_EXE_FLAGS, &r->flags);
    size_t n = sgc_record_finish(&e->b);
    assert_true(n > 0);
    assert_int_equal(sgc_decode(e->buf, n, &e->ev), SGC_DECODE_OK);
    return &e->ev;
}

static fx_event E;

/* ---- 1. the evaluator agrees with every decided value ------------------- */

/* Whether each of filters[0..NATOMS) holds on r (into m[]), for a process
 * whose older image (exec'd before) had other values everywhere (so a
 * value kept from it shows). */
static void evaluate(sgc_filter *const *filters, const rec *r, bool *m)
{
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    sgc_proctable *pt = sgc_proctable_new(NULL);
    assert_non_null(pt);
    static const rec older = {"older",
                              SGC_REC_PROC_EXEC,
                              S("/dev/shm/old\0-x"),
                              S("/dev/shm/old"),
                              S("/dev/shm/old"),
                              FL(f_memfd_upper),
                              NULL,
                              S("GLIBC_TUNABLES=1\0PATH=/bin\0HOME=/"),
                              "old"};
    sgc_proctable_apply(pt, build(&E, &older, 0));
    const sgc_evt *ev = build(&E, r, 0);
    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &arena;
    cx.pt = pt;
    sgc_proc *p = sgc_proctable_apply(pt, ev);
    for (int a = 0; a < NATOMS; a++) {
        sgc_extract_ctx_reset(&cx, ev, p);
        m[a] = sgc_filter_eval(filters[a], &cx);
    }
    sgc_proctable_free(pt);
    sgc_arena_free(&arena);
}

static void test_evaluator_agrees(void **state)
{
    (void)state;
    sgc_source *src[NATOMS];
    sgc_node *cond[NATOMS];
    sgc_filter *filters[NATOMS];
    for (int a = 0; a < NATOMS; a++) {
        char text[256], err[256];
        snprintf(text, sizeof text, "evt.type = execve and %s", atoms[a]);
        cond[a] = fx_parse(text, &src[a]);
        filters[a] = cond[a] ? sgc_filter_compile(cond[a], err, sizeof err) : NULL;
        if (!filters[a]) fail_msg("%s does not compile", text);
    }
    for (int i = 0; i < NRECS; i++) {
        bool m[NATOMS];
        evaluate(filters, &recs[i], m);
        for (int a = 0; a < NATOMS; a++)
            if (recs[i].want[a] != 'U' && m[a] != (recs[i].want[a] == 'T'))
                fail_msg("%s: `%s` is %c in the kernel, not in the evaluator", recs[i].what,
                         atoms[a], recs[i].want[a]);
    }
    for (int a = 0; a < NATOMS; a++) {
        sgc_filter_free(filters[a]);
        sgc_node_free(cond[a]);
        sgc_source_free(src[a]);
    }
}

/* ---- the rule set: A_i and not A_i --------------------------------------- */

typedef struct ruleset {
    sgc_source *src[2 * NATOMS];
    sgc_node *cond[2 * NATOMS];
    sgc_pushdown *pd;
} ruleset;

static void ruleset_build(ruleset *rs)
{
    for (int i = 0; i < 2 * NATOMS; i++) {
        char text[256];
        snprintf(text, sizeof text, "evt.type = execve and %s(%s)", i % 2 ? "not " : "",
                 atoms[i / 2]);
        rs->cond[i] = fx_parse(text, &rs->src[i]);
        assert_non_null(rs->cond[i]);
    }
    rs->pd = sgc_pushdown_build_conditions((const sgc_node *const *)rs->cond, NULL, 2 * NATOMS);
    assert_non_null(rs->pd);
}

static void ruleset_free(ruleset *rs)
{
    sgc_pushdown_free(rs->pd);
    for (int i = 0; i < 2 * NATOMS; i++) {
        sgc_node_free(rs->cond[i]);
        sgc_source_free(rs->src[i]);
    }
}

/* Atom a's value from the candidate bits of its two rules. */
static char value_of(const uint64_t *cand, int a)
{
    int pos = (int)(cand[(2 * a) / 64] >> ((2 * a) % 64) & 1);
    int neg = (int)(cand[(2 * a + 1) / 64] >> ((2 * a + 1) % 64) & 1);
    return pos && neg ? 'U' : pos ? 'T' : neg ? 'F' : '-';
}

/* Every rule is decided partially in the kernel: its exec atom is a kernel
 * atom at execve (test_pushdown.c checks the classes per syscall). */
static void test_rules_are_partial(void **state)
{
    (void)state;
    ruleset rs;
    ruleset_build(&rs);
    for (int r = 0; r < 2 * NATOMS; r++) {
        assert_int_equal(sgc_pushdown_rule_status(rs.pd, r), SGC_PD_RULE_PARTIAL);
    }
    ruleset_free(&rs);
}

/* ---- 2. the reference kernel evaluator ----------------------------------- */

static void test_reference(void **state)
{
    (void)state;
    ruleset rs;
    ruleset_build(&rs);
    int g = rs.pd->group_of_nr[__NR_execve];
    assert_true(g >= 0);
    const sgc_pd_group *grp = &rs.pd->groups[g];
    assert_int_equal(grp->nrules, 2 * NATOMS);
    for (int i = 0; i < NRECS; i++) {
        const sgc_evt *ev = build(&E, &recs[i], (uint16_t)rs.pd->cand_words);
        uint64_t cand[4] = {0};
        for (int k = 0; k < grp->nrules; k++)
            if (sgc_pushdown_eval_formula(rs.pd, grp->rules[k].f, ev) != SGC_K_FALSE)
                cand[grp->rules[k].rule / 64] |= 1ull << (grp->rules[k].rule % 64);
        for (int a = 0; a < NATOMS; a++)
            if (value_of(cand, a) != recs[i].want[a])
                fail_msg("%s: `%s` is %c in the reference, %c written", recs[i].what, atoms[a],
                         value_of(cand, a), recs[i].want[a]);
    }
    ruleset_free(&rs);
}

/* ---- 3. the generated filter --------------------------------------------- */

static void test_bpf(void **state)
{
    (void)state;
    char why[256];
    const char *missing = sgc_tfilter_unavailable(why, sizeof why);
    if (missing) {
        const char *ci = getenv("CI");
        if (ci && !strcmp(ci, "true")) fail_msg("the exec atoms' BPF test cannot run: %s", missing);
        fprintf(stderr, "SKIP: needs BPF here: %s\n", missing);
        skip();
    }
    ruleset rs;
    ruleset_build(&rs);
    sgc_bpf_gen g;
    assert_int_equal(sgc_codegen_bpf(rs.pd, &g), 0);
    sgc_tfilter t;
    char err[512];
    if (sgc_tfilter_open(&t, &g, err, sizeof err)) fail_msg("%s", err);
    /* twice over: the second time the filter's kept answers for the same
     * strings (struct sgc_fkeep) are used */
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < NRECS; i++) {
            build(&E, &recs[i], (uint16_t)g.cand_words);
            int v = sgc_tfilter_run(&t, E.buf, E.b.hdr->size);
            assert_true(v >= 0);
            const uint64_t *cand =
                (const uint64_t *)(const void *)(E.buf + sizeof(struct sgc_event_hdr));
            for (int a = 0; a < NATOMS; a++)
                if (value_of(cand, a) != recs[i].want[a])
                    fail_msg("%s: `%s` is %c in the kernel, %c written (verdict %d)", recs[i].what,
                             atoms[a], value_of(cand, a), recs[i].want[a], v);
        }
    sgc_tfilter_close(&t);
    sgc_bpf_gen_free(&g);
    ruleset_free(&rs);
}

/* ---- the same in a split group ---------------------------------------- */

/* 300 rules at execve: more than a chunk holds, so the group is cut into
 * chunks with index guards over the exec strings' sets, a rule table and
 * atom functions (pushdown_split.h, pushdown_index.h), the scans of the
 * command line and environment at the end of its call chains; the
 * filter's bitmap must be the reference's on every record, rule for rule. */
static void test_bpf_split_group(void **state)
{
    (void)state;
    char why[256];
    if (sgc_tfilter_unavailable(why, sizeof why)) skip(); /* said by test_bpf */
    enum { N = 300 };
    sgc_source *src[N];
    sgc_node *cond[N];
    for (int i = 0; i < N; i++) {
        char text[256];
        int k = i / 3;
        if (i % 3 == 0)
            snprintf(text, sizeof text, "evt.type = execve and proc.exe = /opt/a%d", k);
        else if (i % 3 == 1)
            snprintf(text, sizeof text,
                     "evt.type = execve and proc.cwd startswith /srv/%d/ and not proc.exepath "
                     "endswith /b%d and not proc.cmdline contains \"stratum%d+tcp\"",
                     k, k, k);
        else
            snprintf(text, sizeof text,
                     "evt.type = execve and proc.is_exe_writable = true and proc.exe startswith "
                     "/opt/c%d and (proc.env icontains GLIBC_%d or proc.args icontains \"-O%d\")",
                     k, k, k);
        cond[i] = fx_parse(text, &src[i]);
        assert_non_null(cond[i]);
    }
    sgc_pushdown *pd = sgc_pushdown_build_conditions((const sgc_node *const *)cond, NULL, N);
    sgc_pd_split sp;
    sgc_pd_split_group(pd, pd->group_of_nr[__NR_execve], 0, 0, &sp);
    assert_false(sgc_pd_split_whole(&sp));
    sgc_pd_split_free(&sp);
    sgc_bpf_gen g;
    assert_int_equal(sgc_codegen_bpf(pd, &g), 0);
    sgc_tfilter t;
    char err[512];
    if (sgc_tfilter_open(&t, &g, err, sizeof err)) fail_msg("%s", err);
    static const uint32_t writable = SGC_EXE_WRITABLE;
    const rec probes[] = {
        {"a7", SGC_REC_PROC_EXEC, S("/opt/a7"), S("/x/b7"), S("/srv/7"), FL(writable), NULL, NONE,
         NULL},
        {"c12", SGC_REC_PROC_EXEC, S("/opt/c12x"), S("/x/b8"), S("/srv/8/y"), FL(writable), NULL,
         NONE, NULL},
        {"c12 not writable", SGC_REC_PROC_EXEC, S("/opt/c12"), S("/x"), S("/srv/99/"), FL(f_none),
         NULL, NONE, NULL},
        {"no flags, relative", SGC_REC_PROC_EXEC, S("./opt/a1"), S("/b1"), S("/srv/1"), NONE, NULL,
         NONE, NULL},
        {"stratum7", SGC_REC_PROC_EXEC, S("x\0-o\0stratum7+tcp://p"), S("/x/b8"), S("/srv/7/"),
         FL(f_none), NULL, NONE, NULL},
        {"c11 with glibc_11", SGC_REC_PROC_EXEC, S("/opt/c11\0-x"), S("/x"), S("/"), FL(writable),
         NULL, S("A=1\0glibc_11=1"), NULL},
        {"c14 with -o14", SGC_REC_PROC_EXEC, S("/opt/c14\0-o14"), S("/x"), S("/"), FL(writable),
         NULL, S("A=1"), NULL},
    };
    int checked = 0, passed = 0;
    for (int i = 0; i < NRECS + (int)(sizeof probes / sizeof probes[0]); i++) {
        const rec *r = i < NRECS ? &recs[i] : &probes[i - NRECS];
        const sgc_evt *ev = build(&E, r, (uint16_t)g.cand_words);
        uint64_t want[8] = {0};
        const sgc_pd_group *grp = &pd->groups[pd->group_of_nr[__NR_execve]];
        for (int k = 0; k < grp->nrules; k++)
            if (sgc_pushdown_eval_formula(pd, grp->rules[k].f, ev) != SGC_K_FALSE)
                want[grp->rules[k].rule / 64] |= 1ull << (grp->rules[k].rule % 64);
        int v = sgc_tfilter_run(&t, E.buf, E.b.hdr->size);
        assert_true(v >= 0);
        passed += v == SGC_TEST_PASS;
        const uint64_t *cand =
            (const uint64_t *)(const void *)(E.buf + sizeof(struct sgc_event_hdr));
        for (int b = 0; b < N; b++, checked++)
            if ((cand[b / 64] >> (b % 64) & 1) != (want[b / 64] >> (b % 64) & 1))
                fail_msg("%s: rule %d is %s a candidate in the kernel", r->what, b,
                         want[b / 64] >> (b % 64) & 1 ? "not" : "");
    }
    assert_true(passed > 0 && passed < NRECS + 7); /* some records are dropped */
    fprintf(stderr, "split group: %d rule verdicts checked\n", checked);
    sgc_tfilter_close(&t);
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    for (int i = 0; i < N; i++) {
        sgc_node_free(cond[i]);
        sgc_source_free(src[i]);
    }
}

/* ---- 4. falco_rules.yaml on the exec of /bin/true ------------------------ */

/* A string blob with its NUL, as the capture writes them. */
static void add_cstr(unsigned tag, const char *s)
{
    sgc_record_add_blob(&E.b, tag, s, strlen(s) + 1, 0);
}

/* What the exec workload (bench/wl_exec.c) sends: a host process (the
 * capture's sgc_cid map says so), user 1000 (named in the sgc_unames map,
 * as the runtime fills it), running /bin/true from a shell, with the
 * environment when env is not NULL (the capture copies it when a rule
 * reads proc.env). With the exec atoms no rule of the files is left a
 * candidate: the kernel drops the record (the exec filter then wakes no
 * reader). */
static void drop_exec_of_true(const char *const *files, int nfiles, const char *env, size_t env_len)
{
    char why[256];
    if (sgc_tfilter_unavailable(why, sizeof why)) skip(); /* said by test_bpf */
    sgc_frontend fe;
    sgc_frontend_opts opts = {0};
    assert_int_equal(sgc_frontend_run(&fe, files, nfiles, &opts), 0);
    sgc_pushdown *pd = sgc_pushdown_build(fe.rs);
    sgc_bpf_gen g;
    assert_int_equal(sgc_codegen_bpf(pd, &g), 0);
    sgc_tfilter t;
    char err[512];
    if (sgc_tfilter_open(&t, &g, err, sizeof err)) fail_msg("%s", err);
    struct bpf_map *cid = bpf_object__find_map_by_name(t.obj, "sgc_cid");
    assert_non_null(cid);
    uint32_t pid = 4242;
    uint64_t cgroup = 77;
    assert_int_equal(bpf_map__update_elem(cid, &pid, 4, &cgroup, 8, BPF_ANY), 0);
    /* the host's user 1000, as the runtime copies the user database */
    struct bpf_map *unames = bpf_object__find_map_by_name(t.obj, "sgc_unames");
    assert_non_null(unames);
    uint64_t ukey = SGC_UNAME_KEY(SGC_UNAME_USER, 1000);
    struct sgc_uname uname = {.len = 6, .name = "tester"};
    assert_int_equal(bpf_map__update_elem(unames, &ukey, 8, &uname, sizeof uname, BPF_ANY), 0);

    sgc_record_begin(&E.b, E.buf, sizeof E.buf, SGC_REC_PROC_EXEC, __NR_execve,
                     (uint16_t)g.cand_words);
    struct sgc_event_hdr *h = E.b.hdr;
    h->pid = h->tid = pid;
    h->ppid = 4000;
    h->cgroup_id = cgroup;
    h->uid = h->euid = h->gid = h->egid = h->loginuid = 1000;
    memcpy(h->comm, "true", 5);
    memcpy(h->pcomm, "bash", 5);
    add_cstr(SGC_BLOB_ARG0, "/bin/true");
    add_cstr(SGC_BLOB_EXE, "/usr/bin/true");
    add_cstr(SGC_BLOB_ARGV, "/bin/true");
    if (env) sgc_record_add_blob(&E.b, SGC_BLOB_ENV, env, env_len, 0);
    add_cstr(SGC_BLOB_CWD, "/work");
    add_cstr(SGC_BLOB_CGROUP, "/user.slice/user-1000.slice/session-1.scope");
    uint32_t flags = 0;
    sgc_record_add_blob(&E.b, SGC_BLOB_EXE_FLAGS, &flags, sizeof flags, 0);
    size_t n = sgc_record_finish(&E.b);
    assert_true(n > 0);
    int v = sgc_tfilter_run(&t, E.buf, n);
    const uint64_t *cand = (const uint64_t *)(const void *)(E.buf + sizeof(struct sgc_event_hdr));
    for (int r = 0; r < pd->nrules; r++)
        if (cand[r / 64] >> (r % 64) & 1) fprintf(stderr, "candidate: %s\n", pd->rules[r].name);
    assert_int_equal(v, SGC_TEST_DROP);
    sgc_tfilter_close(&t);
    sgc_bpf_gen_free(&g);
    sgc_pushdown_free(pd);
    sgc_frontend_free(&fe);
}

static void test_falco_rules_drop_exec_of_true(void **state)
{
    (void)state;
    const char *files[] = {SGC_CORPUS_DIR "/falco_rules.yaml"};
    drop_exec_of_true(files, 1, NULL, 0);
}

/* The three files read proc.cmdline (the Stratum miners, reverse shells)
 * and proc.env (GLIBC_TUNABLES) at exec: decided in the kernel too. */
static void test_all_rules_drop_exec_of_true(void **state)
{
    (void)state;
    const char *files[] = {SGC_CORPUS_DIR "/falco_rules.yaml",
                           SGC_CORPUS_DIR "/falco-incubating_rules.yaml",
                           SGC_CORPUS_DIR "/falco-sandbox_rules.yaml"};
    static const char env[] = "SHELL=/bin/bash\0PWD=/work\0LOGNAME=tester\0HOME=/home/tester\0"
                              "LANG=C.UTF-8\0TERM=xterm-256color\0USER=tester\0SHLVL=1\0"
                              "PATH=/usr/local/bin:/usr/bin:/bin\0_=/bin/true";
    drop_exec_of_true(files, 3, env, sizeof env);
}

int main(void)
{
    fill_long();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_are_partial),
        cmocka_unit_test(test_evaluator_agrees),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_bpf),
        cmocka_unit_test(test_bpf_split_group),
        cmocka_unit_test(test_falco_rules_drop_exec_of_true),
        cmocka_unit_test(test_all_rules_drop_exec_of_true),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
