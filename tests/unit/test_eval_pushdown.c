/* The product's promise, checked in userspace: on random events shaped like
 * the corpus rules' syscalls, every rule the evaluator matches is a
 * candidate of the kernel filter's reference model (compiler/pushdown/pushdown.h):
 * "dropped by the filter" implies "matched by no rule". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "pushdown_eval.h"
#include "eval_fixture.h"
#include "loader.h"
#include "pushdown.h"
#include "resolve.h"

static const char *const paths[] = {"/etc/shadow",
                                    "/etc/passwd",
                                    "/etc/sudoers.d/x",
                                    "/root/.bash_history",
                                    "/usr/bin/ls",
                                    "/bin/sh",
                                    "/tmp/x",
                                    "/dev/shm/a",
                                    "/var/lib/docker/x",
                                    "/proc/1/environ",
                                    "/home/u/.ssh/authorized_keys",
                                    "rel/x",
                                    "../etc/shadow",
                                    "/etc/../etc/shadow",
                                    "/etc//shadow",
                                    "/var/log/syslog",
                                    "/etc/cron.d/x",
                                    "/sys/fs/cgroup/release_agent",
                                    "/usr/lib/x86_64-linux-gnu/liblzma.so.5",
                                    "/root/.ssh/id_rsa",
                                    "/var/run/docker.sock"};
static const char *const comms[] = {"bash", "sshd", "cat",    "python3", "nginx",
                                    "sudo", "apt",  "docker", "runc",    "curl"};
#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))

typedef struct {
    int n;
    const sgc_rule *r[64];
} hits;

static void on_match(const sgc_rule *r, sgc_extract_ctx *cx, void *ud)
{
    hits *h = ud;
    if (h->n < 64) h->r[h->n++] = r;
}

static void test_no_match_is_dropped(void **state)
{
    static const char *files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                                  "falco-sandbox_rules.yaml"};
    sgc_ruleset *rs = sgc_ruleset_new();
    for (int i = 0; i < 3; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SGC_CORPUS_DIR, files[i]);
        assert_int_equal(sgc_ruleset_load_file(rs, path), 0);
    }
    sgc_ruleset_resolve(rs);
    sgc_engine_opts o = sgc_engine_default_opts();
    o.mode = SGC_MATCH_ALL;
    o.ignore_candidates = true;
    sgc_engine *e = sgc_engine_build(rs, &o, NULL);
    sgc_pushdown *pd = sgc_pushdown_build(rs);
    sgc_proctable *pt = sgc_proctable_new(NULL);
    assert_non_null(e);
    assert_non_null(pd);
    assert_non_null(pt);
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    static fx_event E;
    static const int nrs[] = {
        __NR_openat,    __NR_open,         __NR_openat2,     __NR_creat,        __NR_unlinkat,
        __NR_renameat2, __NR_symlinkat,    __NR_linkat,      __NR_chmod,        __NR_fchmodat,
        __NR_connect,   __NR_socket,       __NR_setuid,      __NR_ptrace,       __NR_bpf,
        __NR_mount,     __NR_memfd_create, __NR_sendto,      __NR_accept4,      __NR_execve,
        __NR_unshare,   __NR_setns,        __NR_init_module, __NR_finit_module, __NR_userfaultfd,
        __NR_dup2,      __NR_mkdirat,      __NR_read};
    uint64_t *cand = calloc((size_t)pd->cand_words, sizeof *cand);
    assert_non_null(cand);
    srand(1);
    long matches = 0, dropped = 0;
    for (int it = 0; it < 60000; it++) {
        int nr = nrs[rand() % N(nrs)];
        int64_t ret = rand() % 4 == 0 ? -(rand() % 20) : rand() % 5;
        struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, (uint32_t)nr, ret);
        h->uid = h->euid = rand() % 3 ? 0 : 1000;
        h->pid = h->tid = (uint32_t)(100 + rand() % 50);
        snprintf(h->comm, sizeof h->comm, "%s", comms[rand() % N(comms)]);
        snprintf(h->pcomm, sizeof h->pcomm, "%s", comms[rand() % N(comms)]);
        for (int a = 0; a < SGC_NARGS; a++)
            h->args[a] = rand() % 2 ? (uint64_t)(rand() % 8) : (uint64_t)rand();
        if (rand() % 2) h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
        if (rand() % 2)
            h->args[2] = (uint64_t)(rand() % 4 == 0 ? O_RDONLY
                                    : rand() % 2    ? O_WRONLY | O_CREAT | O_TRUNC
                                                    : O_RDWR);
        for (int b = 0; b < 4; b++)
            if (rand() % 2) fx_str(&E, SGC_BLOB_ARG0 + (unsigned)b, paths[rand() % N(paths)]);
        if (rand() % 2) fx_str(&E, SGC_BLOB_CWD, rand() % 2 ? "/etc" : "/root");
        if ((nr == __NR_connect || nr == __NR_sendto || nr == __NR_accept4) && rand() % 2)
            fx_tuple(&E, AF_INET, IPPROTO_TCP, "10.0.0.1", 40000,
                     rand() % 2 ? "169.254.169.254" : "8.8.8.8", rand() % 2 ? 80 : 443);
        const sgc_evt *ev = fx_done(&E);

        memset(cand, 0, sizeof *cand * (size_t)pd->cand_words);
        bool pass = sgc_pushdown_eval(pd, ev, cand);
        dropped += !pass;

        sgc_arena_reset(&arena);
        sgc_extract_ctx cx;
        memset(&cx, 0, sizeof cx);
        cx.scratch = &arena;
        cx.pt = pt;
        sgc_extract_ctx_reset(&cx, ev, sgc_proctable_apply(pt, ev));
        hits hh = {0};
        sgc_engine_match(e, &cx, on_match, &hh);
        for (int i = 0; i < hh.n; i++) {
            matches++;
            int bit = -1;
            for (int k = 0, ord = 0; k < rs->nrules; k++) {
                if (!rs->rules[k]->enabled) continue;
                if (rs->rules[k] == hh.r[i]) bit = ord;
                ord++;
            }
            assert_true(bit >= 0);
            bool candidate = pass && ((cand[bit / 64] >> (bit % 64)) & 1u);
            if (!candidate)
                fail_msg("kernel model drops an event that rule '%s' matches (nr %d)",
                         hh.r[i]->name, nr);
        }
    }
    /* the sample must exercise both sides */
    assert_true(matches > 500);
    assert_true(dropped > 1000);
    free(cand);
    sgc_arena_free(&arena);
    sgc_proctable_free(pt);
    sgc_pushdown_free(pd);
    sgc_engine_free(e);
    sgc_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_no_match_is_dropped)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
