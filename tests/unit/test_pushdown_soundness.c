/* The product's promise, tested: for random conditions over kernel-decidable
 * and userspace-only atoms and random events, whenever the kernel filter
 * (the reference kernel evaluator, which test_codegen.c checks against the
 * BPF program) says a rule is FALSE, the userspace evaluator (runtime/eval/eval.h,
 * the reference semantics) says it does not match. Every counterexample is
 * printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pushdown_eval.h"
#include "arena.h"
#include "decode.h"
#include "eval.h"
#include "parse.h"
#include "proctable.h"
#include "pushdown.h"

static const char *atoms[] = {
    "fd.name startswith /etc/",
    "fd.name = /etc/shadow",
    "fd.name in (/etc/shadow, /etc/passwd, /tmp/x.log)",
    "fd.name endswith .log",
    "fd.name pmatch (/usr/bin, /etc)",
    "fd.name contains shadow",
    "proc.name in (bash, cat, dpkg-preconfigure)",
    "proc.name = sshd",
    "proc.name startswith dpkg",
    "proc.pname = bash",
    "proc.pname in (bash, sshd, dpkg-preconfigure)",
    "container.id = host",
    "container.id != host",
    "container.id in (host, 0123456789ab)",
    "user.uid = 0",
    "user.uid != 0",
    "user.uid < 1000",
    "user.loginuid = -1",
    "user.loginuid != 1000",
    "evt.rawres >= 0",
    "evt.rawres < 0",
    "evt.res = ENOENT",
    "evt.res != ENOENT",
    "evt.res in (ENOENT, EACCES)",
    "evt.arg.flags contains O_TRUNC",
    "evt.arg.flags contains O_WR",
    "evt.arg.flags contains O_RDONLY",
    "evt.is_open_write = true",
    "evt.is_open_read = false",
    "evt.is_open_create = true",
    "thread.cap_effective contains CAP_SYS_ADMIN",
    "thread.cap_permitted icontains sys_",
    "proc.tty != 0",
    "proc.tty = 0",
    "proc.sid = 1",
    "proc.vpid = 1",
    "thread.tid > 100",
    "proc.pid in (100, 200)",
    "evt.type = openat",
    "evt.type in (open, openat)",
    "evt.type != unlinkat",
    "evt.arg.name = /etc/shadow",
    "evt.arg.name startswith /etc/",
    "evt.arg.request contains PTRACE_ATTACH",
    "evt.arg.request = PTRACE_TRACEME",
    "evt.arg.domain contains AF_PACKET",
    "user.name = root",
    "proc.cmdline contains x",
    "proc.name in ()",
    "fd.num >= 0",
    "fd.num != 3",
    "fd.num in (3, 4)",
    "fd.typechar = f",
    "fd.typechar != d",
    "fd.typechar = d",
    /* list modifiers (kernel: the expansion; oneof as its `or`, never TRUE) */
    "fd.name startswith anyof (/etc/, /usr/)",
    "fd.name = oneof (/etc/shadow, /etc/passwd, /etc/shadow)",
    "fd.name startswith oneof (/etc, /etc/sh)",
    "fd.name endswith allof (.log, x.log)",
    "fd.name != anyof (/etc/shadow, /etc/passwd)",
    "fd.name != allof (/etc/shadow, /tmp/x.log)",
    "proc.name = anyof (bash, sshd)",
    "proc.name != allof (bash, cat)",
    "proc.name != oneof (bash, cat)",
    "proc.name startswith allof (dpkg, dpkg-)",
    "proc.name = allof ()",
    "proc.name = anyof ()",
    "user.uid = oneof (0, 1000)",
    "evt.type = anyof (openat, open)",
    "evt.type != allof (openat, setuid)",
    "evt.type = oneof (openat, unlinkat)",
    "evt.type != anyof (open, open)",
    /* pmatch with wildcard, relative and unclean items */
    "fd.name pmatch (/etc/*)",
    "fd.name pmatch (/e?c, /usr/bin)",
    "fd.name pmatch (etc)",
    "fd.name pmatch (//etc/)",
    "fd.name pmatch (/*/shadow, /tmp)",
};
#define NATOMS (int)(sizeof atoms / sizeof atoms[0])

static unsigned seed = 4242;
static unsigned next(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
}
#define PICK(n) (int)(next() % (unsigned)(n))

/* snprintf whose truncation of a deep condition is accepted (the generator
 * only needs some condition; the cut keeps the run deterministic). */
__attribute__((format(printf, 3, 4))) static void put(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

/* A random condition of depth <= d. */
static void gen(char *out, size_t cap, int d)
{
    int k = d <= 0 ? 0 : PICK(4);
    if (k <= 1) {
        snprintf(out, cap, "%s", atoms[PICK(NATOMS)]);
        return;
    }
    char a[1024], b[1024];
    gen(a, sizeof a, d - 1);
    if (k == 2) {
        put(out, cap, "not (%s)", a);
        return;
    }
    gen(b, sizeof b, d - 1);
    put(out, cap, "(%s) %s (%s)", a, PICK(2) ? "and" : "or", b);
}

static const int nrs[] = {__NR_openat, __NR_open,   __NR_unlinkat, __NR_setuid,
                          __NR_ptrace, __NR_socket, __NR_read};
static const char *types[] = {"openat", "open", "unlinkat", "setuid", "ptrace", "socket", "read"};

static size_t make_event(unsigned char *buf, size_t cap, int *nr_out)
{
    static const char *comms[] = {"bash", "cat", "sshd", "dpkg-preconfigu", "dpkg", ""};
    static const char *paths[] = {"/etc/shadow",        "/etc/passwd",  "/etc",
                                  "/tmp/x.log",         "shadow",       "../etc/shadow",
                                  "/etc/../etc/shadow", "//etc/shadow", "/usr/bin/ls",
                                  "/usr/binx",          "/etc/"};
    int which = PICK(7);
    int nr = nrs[which];
    *nr_out = nr;
    sgc_record_builder b;
    sgc_record_begin(&b, buf, cap, SGC_REC_SYSCALL, (uint32_t)nr, 0);
    struct sgc_event_hdr *h = b.hdr;
    h->pid = PICK(2) ? 100 : 4321;
    h->cgroup_id = PICK(4) == 0 ? 5 : 0;
    h->tid = PICK(2) ? h->pid : h->pid + 1;
    h->ppid = PICK(3) ? 1 : 0;
    h->vpid = PICK(2) ? 1 : 0;
    h->sid = PICK(2);
    strncpy(h->comm, comms[PICK(6)], 15);
    strncpy(h->pcomm, comms[PICK(6)], 15);
    h->uid = h->euid = PICK(3) == 0 ? 0 : 1000;
    h->loginuid = PICK(2) ? 0xffffffffu : 1000;
    h->tty = PICK(2) ? 34816 : 0;
    h->ret = PICK(3) == 0 ? -(int64_t)(PICK(2) ? 2 : 13) : 3;
    h->cap_effective = PICK(2) ? 1ull << 21 : 0;
    h->cap_permitted = PICK(2) ? 1ull << 16 : 0;
    for (int i = 0; i < SGC_NARGS; i++) h->args[i] = 0;
    if (nr == __NR_openat || nr == __NR_unlinkat) h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
    uint64_t flags = (uint64_t)PICK(3) | (PICK(2) ? O_TRUNC : 0) | (PICK(2) ? O_CREAT : 0) |
                     (PICK(4) == 0 ? O_DIRECTORY : 0);
    if (nr == __NR_openat) h->args[2] = flags;
    if (nr == __NR_open) h->args[1] = flags;
    if (nr == __NR_ptrace) h->args[0] = PICK(2) ? 16 : 0;
    if (nr == __NR_socket) h->args[0] = PICK(2) ? 17 : 2;
    int reg = nr == __NR_open ? 0 : nr == __NR_openat || nr == __NR_unlinkat ? 1 : -1;
    if (reg >= 0 && PICK(6)) {
        const char *p = paths[PICK(11)];
        sgc_record_add_blob(&b, SGC_BLOB_ARG0 + (unsigned)reg, p, strlen(p) + 1,
                            PICK(10) == 0 ? SGC_BLOBF_TRUNCATED : 0);
    }
    if (PICK(2)) sgc_record_add_str(&b, SGC_BLOB_CWD, PICK(2) ? "/etc" : "/tmp");
    return sgc_record_finish(&b);
}

#define NRULES 50

/* The kernel's sgc_cid map: pid 100 is known to be on the host (its table
 * entry has the default image: "host") while in cgroup 0; 4321 is not in
 * the map. */
static bool on_host(const struct sgc_event_hdr *h) { return h->pid == 100 && h->cgroup_id == 0; }

static void test_kernel_false_implies_no_match(void **state)
{
    (void)state;
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    sgc_pushdown_eval_on_host = on_host;
    int pairs = 0, kernel_false = 0, matches = 0, bad = 0;
    for (int batch = 0; batch < 8; batch++) {
        sgc_source *src[NRULES];
        sgc_node *cond[NRULES];
        sgc_filter *exact[NRULES];
        char text[4096];
        for (int i = 0; i < NRULES; i++) {
            char body[3000];
            gen(body, sizeof body, 3);
            if (PICK(3))
                snprintf(text, sizeof text, "evt.type in (%s, %s) and (%s)", types[PICK(7)],
                         types[PICK(7)], body);
            else
                snprintf(text, sizeof text, "%s", body);
            src[i] = sgc_source_new(NULL, text, strlen(text));
            sgc_diags d;
            sgc_diags_init(&d);
            cond[i] = sgc_parse_condition(src[i], NULL, &d);
            sgc_diags_free(&d);
            if (!cond[i]) fail_msg("generated condition does not parse: %s", text);
            char err[256];
            exact[i] = sgc_filter_compile(cond[i], err, sizeof err);
            if (!exact[i]) fail_msg("evaluator rejects %s: %s", text, err);
        }
        sgc_pushdown *pd =
            sgc_pushdown_build_conditions((const sgc_node *const *)cond, NULL, NRULES);
        sgc_proctable *pt = sgc_proctable_new(NULL);
        for (int e = 0; e < 300; e++) {
            _Alignas(8) unsigned char buf[4096];
            int nr;
            size_t size = make_event(buf, sizeof buf, &nr);
            assert_true(size > 0);
            sgc_evt ev;
            assert_int_equal(sgc_decode(buf, size, &ev), SGC_DECODE_OK);
            uint64_t cand[4];
            bool pass = sgc_pushdown_eval(pd, &ev, cand);
            sgc_extract_ctx cx;
            memset(&cx, 0, sizeof cx);
            cx.scratch = &arena;
            cx.pt = pt;
            cx.hostname = "testhost";
            sgc_proc *p = sgc_proctable_apply(pt, &ev);
            for (int r = 0; r < NRULES; r++) {
                sgc_arena_reset(&arena);
                sgc_extract_ctx_reset(&cx, &ev, p);
                bool m = sgc_filter_eval(exact[r], &cx);
                bool cand_r = pass && ((cand[r / 64] >> (r % 64)) & 1);
                pairs++;
                matches += m;
                if (!cand_r) kernel_false++;
                if (m && !cand_r) {
                    if (bad++ < 10) {
                        char *c = sgc_node_to_condition(cond[r]);
                        fprintf(
                            stderr,
                            "COUNTEREXAMPLE: rule %s\n  event nr=%d comm=%.16s uid=%u ret=%lld\n",
                            c, nr, ev.hdr->comm, ev.hdr->euid, (long long)ev.hdr->ret);
                        free(c);
                    }
                }
            }
        }
        sgc_proctable_free(pt);
        sgc_pushdown_free(pd);
        for (int i = 0; i < NRULES; i++) {
            sgc_filter_free(exact[i]);
            sgc_node_free(cond[i]);
            sgc_source_free(src[i]);
        }
    }
    sgc_arena_free(&arena);
    sgc_pushdown_eval_on_host = NULL;
    fprintf(stderr,
            "%d (condition, event) pairs: %d kernel FALSE, %d matches, %d counterexamples\n", pairs,
            kernel_false, matches, bad);
    assert_int_equal(bad, 0);
    assert_true(pairs >= 10000);
    assert_true(kernel_false > pairs / 4 && matches > pairs / 50); /* both sides exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_false_implies_no_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
