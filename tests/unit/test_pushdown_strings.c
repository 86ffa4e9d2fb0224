/* The string atoms the kernel decides on opens beyond set lookups:
 * fd.nameraw (the name as given, any form, when copied whole), fd.directory
 * (dirname of a clean absolute path, or the path itself for an O_DIRECTORY
 * open), and `contains` / simple `glob` over fd.name, fd.nameraw and
 * fd.directory. Each kernel atom is checked for exactness against the
 * userspace evaluator (runtime/), the reference semantics: whenever the
 * reference kernel evaluator (tests/support/pushdown_eval.c) says TRUE or FALSE,
 * the evaluator says the same. test_codegen.c checks the BPF program against
 * that reference; test_bpf_soundness.c covers these atoms in random rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <fcntl.h>

#include "pushdown_eval.h"
#include "eval_fixture.h"
#include "ops.h"
#include "pushdown.h"

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))

static const char *const atoms[] = {
    "fd.nameraw contains '../'",
    "fd.nameraw glob '*../*../*'",
    "fd.nameraw startswith ../",
    "fd.nameraw = /etc/shadow",
    "fd.nameraw in (shadow, ../etc/shadow, /tmp/x)",
    "fd.nameraw endswith shadow",
    "fd.nameraw glob '*'",
    "fd.nameraw glob '../*'",
    "fd.nameraw contains /",
    "fd.nameraw != /etc/shadow",
    "fd.directory in (/etc/sudoers.d, /etc/pam.d)",
    "fd.directory = /etc",
    "fd.directory = /",
    "fd.directory != /etc",
    "fd.directory startswith /etc",
    "fd.directory pmatch (/etc)",
    "fd.directory in (/var/log, /dev/log)",
    "fd.directory contains ssh",
    "fd.directory glob '/home/*/.ssh'",
    "fd.directory glob '*'",
    "fd.name contains /.ssh/",
    "fd.name contains id_rsa",
    "fd.name glob '/home/*/.ssh/*'",
    "fd.name glob /proc/*/environ",
    "fd.name glob '*'",
    "fd.name glob '/etc/*'",
    "fd.name glob '*shadow'",
    "fd.name glob '/etc/*d*o*w'",
    "fd.name glob '/tmp/**x'",
    "fd.name contains shadow",
    "fd.name contains a",
    "fd.name glob '/etc/shadow'",
    "fd.name glob '*/*/*/*/*'",
    "fd.name glob 'etc*'",
};

/* classified to userspace: outside what the kernel matches */
static const char *const userspace_atoms[] = {
    "fd.name contains averyverylongneedle",
    "fd.name glob '/etc/?hadow'",
    "fd.name glob '/etc/[sp]*'",
    "fd.directory endswith .d",
    "fd.nameraw pmatch (/etc)",
    "fd.name icontains SHADOW",
    "fd.name glob '/a/*/b/*/c/*/d/*/e/*/f/*/g'",
    "fd.name glob '/averylongprefix/*'",
};

static const char *const paths[] = {
    "/etc/shadow",
    "/etc/sudoers.d/x",
    "/etc/pam.d/sshd",
    "/etc",
    "/",
    "/x",
    "/tmp/x",
    "/tmp/xx",
    "../etc/shadow",
    "a/../../b",
    "../../x",
    "/etc/../etc/shadow",
    "//etc/shadow",
    "/etc/./x",
    "shadow",
    "/home/u/.ssh/id_rsa",
    "/home/u/.ssh",
    "/root/.ssh/authorized_keys",
    "/proc/1/environ",
    "/proc/self/environ",
    "/proc/environ",
    "/var/log/syslog",
    "/dev/log",
    "/etc/",
    "",
    "/etc/shadowshadow",
    "/a/b/c/d/e",
    "/etcx/y",
    "../",
    "..",
    "/tmp/.../x",
    "/home/a/.ssh/.ssh/",
    "/etc/pwd.d/shadow",
    "/etc/sudoers.d",
};

typedef struct one {
    sgc_source *src;
    sgc_node *cond;
    sgc_filter *exact;
    sgc_pushdown *pd;
} one;

static void one_build(one *o, const char *atom)
{
    char text[512];
    snprintf(text, sizeof text, "evt.type in (open, openat, openat2, creat) and %s", atom);
    o->src = sgc_source_new(NULL, text, strlen(text));
    sgc_diags d;
    sgc_diags_init(&d);
    o->cond = sgc_parse_condition(o->src, NULL, &d);
    sgc_diags_free(&d);
    if (!o->cond) fail_msg("does not parse: %s", text);
    char err[256];
    o->exact = sgc_filter_compile(o->cond, err, sizeof err);
    if (!o->exact) fail_msg("evaluator rejects %s: %s", text, err);
    o->pd = sgc_pushdown_build_conditions((const sgc_node *const *)&o->cond, NULL, 1);
}

static void one_free(one *o)
{
    sgc_pushdown_free(o->pd);
    sgc_filter_free(o->exact);
    sgc_node_free(o->cond);
    sgc_source_free(o->src);
}

/* The kernel atom of the condition's last atom at nr, or -1. */
static int katom_at(one *o, int nr)
{
    int last = o->pd->atoms.n - 1;
    sgc_pd_verdict v = sgc_pushdown_classify(o->pd, last, nr);
    return v.katom;
}

static void test_classification(void **state)
{
    (void)state;
    for (int i = 0; i < N(atoms); i++) {
        one o;
        one_build(&o, atoms[i]);
        static const int nrs[] = {__NR_open, __NR_openat, __NR_openat2, __NR_creat};
        for (int j = 0; j < N(nrs); j++)
            if (katom_at(&o, nrs[j]) < 0)
                fail_msg("%s is not a kernel atom on syscall %d", atoms[i], nrs[j]);
        /* not an open: userspace (fd.nameraw, fd.directory come from the fd table) */
        if (strncmp(atoms[i], "fd.name ", 8) && katom_at(&o, __NR_read) >= 0)
            fail_msg("%s decided on read", atoms[i]);
        one_free(&o);
    }
    for (int i = 0; i < N(userspace_atoms); i++) {
        one o;
        one_build(&o, userspace_atoms[i]);
        if (katom_at(&o, __NR_openat) >= 0)
            fail_msg("%s should be left to userspace", userspace_atoms[i]);
        one_free(&o);
    }
}

static void test_exact_where_decided(void **state)
{
    (void)state;
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    sgc_proctable *pt = sgc_proctable_new(NULL);
    static fx_event E;
    static const int nrs[] = {__NR_open, __NR_openat, __NR_openat2, __NR_creat};
    static const int64_t rets[] = {3, -2};
    static const uint64_t flagsv[] = {O_RDONLY, O_WRONLY | O_CREAT, O_RDONLY | O_DIRECTORY};
    long decided = 0, undecided = 0, checks = 0, bad = 0, trues = 0;
    for (int a = 0; a < N(atoms); a++) {
        one o;
        one_build(&o, atoms[a]);
        for (int n = 0; n < N(nrs); n++)
            for (int p = 0; p < N(paths); p++)
                for (int r = 0; r < N(rets); r++)
                    for (int f = 0; f < N(flagsv); f++)
                        for (int trunc = 0; trunc < 2; trunc++) {
                            int nr = nrs[n];
                            struct sgc_event_hdr *h =
                                fx_begin(&E, SGC_REC_SYSCALL, (uint32_t)nr, rets[r]);
                            int reg = nr == __NR_open || nr == __NR_creat ? 0 : 1;
                            if (reg == 1) h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
                            /* flags: open arg 1, openat/openat2 arg 2 */
                            h->args[nr == __NR_open ? 1 : 2] = flagsv[f];
                            const char *path = paths[p];
                            sgc_record_add_blob(&E.b, SGC_BLOB_ARG0 + (unsigned)reg, path,
                                                strlen(path) + 1, trunc ? SGC_BLOBF_TRUNCATED : 0);
                            sgc_record_add_str(&E.b, SGC_BLOB_CWD, "/work");
                            const sgc_evt *ev = fx_done(&E);
                            int k = katom_at(&o, nr);
                            assert_true(k >= 0);
                            sgc_kleene kv = sgc_katom_eval(o.pd, k, ev);
                            sgc_extract_ctx cx;
                            memset(&cx, 0, sizeof cx);
                            cx.scratch = &arena;
                            cx.pt = pt;
                            cx.hostname = "testhost";
                            sgc_proc *pr = sgc_proctable_apply(pt, ev);
                            sgc_arena_reset(&arena);
                            sgc_extract_ctx_reset(&cx, ev, pr);
                            bool m = sgc_filter_eval(o.exact, &cx);
                            checks++;
                            if (kv == SGC_K_UNKNOWN) {
                                undecided++;
                                continue;
                            }
                            decided++;
                            trues += kv == SGC_K_TRUE;
                            if ((kv == SGC_K_TRUE) != m) {
                                if (bad++ < 10)
                                    fprintf(
                                        stderr,
                                        "MISMATCH: %s on nr=%d path=\"%s\" ret=%lld flags=%#llx: "
                                        "kernel %s, evaluator %s\n",
                                        atoms[a], nr, path, (long long)rets[r],
                                        (unsigned long long)flagsv[f], sgc_kleene_name(kv),
                                        m ? "match" : "no match");
                            }
                            /* the filter as a whole: FALSE drops only what does not match */
                            uint64_t cand[1];
                            bool pass = sgc_pushdown_eval(o.pd, ev, cand);
                            if (m && !pass && bad++ < 10)
                                fprintf(stderr, "DROPPED A MATCH: %s path=\"%s\"\n", atoms[a],
                                        path);
                        }
        one_free(&o);
    }
    fprintf(stderr, "%ld checks: %ld decided (%ld true), %ld undecided, %ld mismatches\n", checks,
            decided, trues, undecided, bad);
    assert_int_equal(bad, 0);
    assert_true(decided > checks / 3 && trues > decided / 20 && undecided > checks / 10);
    sgc_proctable_free(pt);
    sgc_arena_free(&arena);
}

/* The glob matcher of the reference against the evaluator's on random
 * strings over a small alphabet (so that segments recur). */
static void test_glob_segments_random(void **state)
{
    (void)state;
    unsigned seed = 77;
    const char alpha[] = "ab./";
    long n = 0, yes = 0;
    for (int it = 0; it < 20000; it++) {
        char pat[32], s[40];
        int pl = 0, sl = 0;
        int np = 1 + (int)(rand_r(&seed) % 12);
        for (int i = 0; i < np; i++)
            pat[pl++] = rand_r(&seed) % 4 == 0 ? '*' : alpha[rand_r(&seed) % 4];
        pat[pl] = 0;
        int ns = (int)(rand_r(&seed) % 16);
        for (int i = 0; i < ns; i++) s[sl++] = alpha[rand_r(&seed) % 4];
        s[sl] = 0;
        sgc_katom k;
        memset(&k, 0, sizeof k);
        /* split as the classifier does */
        const char *p = pat;
        for (;;) {
            const char *star = strchr(p, '*');
            size_t len = star ? (size_t)(star - p) : strlen(p);
            if (len > SGC_KSEG_MAX || k.nsegs == SGC_KGLOB_MAX_SEGS) {
                k.nsegs = -1;
                break;
            }
            memcpy(k.segs[k.nsegs], p, len);
            k.segs[k.nsegs++][len] = 0;
            if (!star) break;
            p = star + 1;
        }
        if (k.nsegs < 2) continue;
        bool want = sgc_glob_match(pat, strlen(pat), s, (size_t)sl, false);
        bool got = sgc_kglob_match(&k, s, (size_t)sl);
        if (want != got) fail_msg("glob '%s' on '%s': evaluator %d, kernel %d", pat, s, want, got);
        n++;
        yes += want;
    }
    assert_true(n > 5000 && yes > n / 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_exact_where_decided),
        cmocka_unit_test(test_glob_segments_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
