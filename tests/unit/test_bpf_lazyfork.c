/* Kernel test of deferred fork records (bpf-templates/capture_lazyfork.h):
 * with lazy_fork on, a child that neither execs nor has a passed syscall
 * event leaves no record at all, and every other child's fork record still
 * arrives, before anything else of that child and before its own children's.
 * With lazy_fork off every fork and exit arrives. Real programs, real
 * forks. Needs root and BPF: with CI=true a missing capability FAILS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_loader.h"
#include "bpf_records.h"

/* The capture with openat of interest and no filter (every open passes), or
 * NULL after skip() when BPF is unavailable here. */
static struct sgc_bpf *open_capture(struct recs *rs, bool lazy)
{
    if (!recs_bpf_usable(SGC_HOOK_PER_SYSCALL)) {
        skip();
        return NULL;
    }
    static int nrs[] = {SYS_openat};
    struct sgc_bpf_options o = sgc_bpf_default_options();
    o.syscalls = nrs;
    o.nsyscalls = 1;
    o.lazy_fork = lazy;
    char err[512];
    struct sgc_bpf *b = sgc_bpf_open(&o, recs_collect, rs, err, sizeof err);
    if (!b) fail_msg("sgc_bpf_open: %s", err);
    return b;
}

/* The children, each exiting with _exit (no atexit work, no stray opens). */
static void quiet_child(void) { _exit(0); }

static void opening_child(void)
{
    int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
    _exit(fd >= 0 ? 0 : 1);
}

static void exec_child(void)
{
    execl("/bin/true", "true", (char *)NULL);
    _exit(127);
}

/* A child that forks an opening grandchild and reports its pid. */
static int g_pipe[2];
static void parent_child(void)
{
    pid_t g = fork();
    if (g == 0) opening_child();
    if (write(g_pipe[1], &g, sizeof g) != sizeof g) _exit(1);
    int st;
    waitpid(g, &st, 0);
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

/* A child that forks a parked grandchild (blocked until the child's end of
 * a close-on-exec pipe is gone), reports its pid, then execs or exits: the
 * grandchild's fork record must precede that exec or exit record. */
static bool g_exec_after;
static void creator_child(void)
{
    int hold[2];
    if (pipe2(hold, O_CLOEXEC)) _exit(1);
    pid_t g = fork();
    if (g == 0) {
        close(hold[1]);
        char c;
        (void)!read(hold[0], &c, 1); /* EOF once the creator execs or exits */
        _exit(0);
    }
    if (write(g_pipe[1], &g, sizeof g) != sizeof g) _exit(1);
    if (g_exec_after) exec_child();
    _exit(0);
}

static pid_t run_child(void (*body)(void))
{
    pid_t p = fork();
    assert_true(p >= 0);
    if (p == 0) body();
    int st;
    assert_int_equal(waitpid(p, &st, 0), p);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return p;
}

/* Poll until pid's exit record arrived (or a bound passed), then drain. */
static void settle(struct sgc_bpf *b, struct recs *rs, pid_t last)
{
    for (int i = 0; i < 30 && !recs_find_kind(rs, (unsigned)last, SGC_REC_PROC_EXIT); i++)
        sgc_bpf_poll(b, 100);
    sgc_bpf_drain(b);
}

static void assert_before(const struct recs *rs, pid_t a, unsigned ka, pid_t b_, unsigned kb)
{
    long pa = recs_pos_kind(rs, (unsigned)a, ka), pb = recs_pos_kind(rs, (unsigned)b_, kb);
    assert_true(pa >= 0);
    assert_true(pb >= 0);
    assert_true(pa < pb);
}

static void test_lazy_children(void **state)
{
    (void)state;
    struct recs rs = {0};
    struct sgc_bpf *b = open_capture(&rs, true);
    if (!b) return;
    assert_int_equal(pipe(g_pipe), 0);
    pid_t quiet = run_child(quiet_child);
    pid_t opener = run_child(opening_child);
    pid_t execer = run_child(exec_child);
    pid_t parent = run_child(parent_child);
    pid_t grandchild;
    assert_int_equal(read(g_pipe[0], &grandchild, sizeof grandchild), sizeof grandchild);
    /* a last child that is known for sure: its exit record ends the wait */
    pid_t last = run_child(opening_child);
    settle(b, &rs, last);

    /* nothing of the quiet child */
    assert_null(recs_find_kind(&rs, (unsigned)quiet, SGC_REC_PROC_FORK));
    assert_null(recs_find_kind(&rs, (unsigned)quiet, SGC_REC_PROC_EXIT));
    /* the opener: fork record (parked, header only), then its open, then exit */
    const struct sgc_event_hdr *f = recs_find_kind(&rs, (unsigned)opener, SGC_REC_PROC_FORK);
    assert_non_null(f);
    assert_int_equal(f->cand_words, 0);
    assert_int_equal(f->size, sizeof *f);
    assert_int_equal(f->args[2], (uint64_t)getpid());
    assert_non_null(recs_find_sys(&rs, (unsigned)opener, SYS_openat, 0));
    assert_before(&rs, opener, SGC_REC_PROC_FORK, opener, SGC_REC_SYSCALL);
    assert_before(&rs, opener, SGC_REC_SYSCALL, opener, SGC_REC_PROC_EXIT);
    /* the exec'ing child: fork, exec, exit in order */
    assert_before(&rs, execer, SGC_REC_PROC_FORK, execer, SGC_REC_PROC_EXEC);
    assert_before(&rs, execer, SGC_REC_PROC_EXEC, execer, SGC_REC_PROC_EXIT);
    /* a parent that only forked: its record precedes its child's */
    assert_before(&rs, parent, SGC_REC_PROC_FORK, grandchild, SGC_REC_PROC_FORK);
    assert_before(&rs, grandchild, SGC_REC_PROC_FORK, grandchild, SGC_REC_SYSCALL);
    assert_non_null(recs_find_kind(&rs, (unsigned)parent, SGC_REC_PROC_EXIT));

    sgc_bpf_close(b);
    recs_free(&rs);
    close(g_pipe[0]);
    close(g_pipe[1]);
}

static void creator_case(bool exec_after)
{
    struct recs rs = {0};
    struct sgc_bpf *b = open_capture(&rs, true);
    if (!b) return;
    assert_int_equal(pipe(g_pipe), 0);
    g_exec_after = exec_after;
    pid_t creator = run_child(creator_child);
    pid_t grandchild;
    assert_int_equal(read(g_pipe[0], &grandchild, sizeof grandchild), sizeof grandchild);
    settle(b, &rs, creator);
    for (int i = 0; i < 30 && !recs_find_kind(&rs, (unsigned)grandchild, SGC_REC_PROC_EXIT); i++)
        sgc_bpf_poll(b, 100);
    sgc_bpf_drain(b);
    assert_before(&rs, grandchild, SGC_REC_PROC_FORK, creator,
                  exec_after ? SGC_REC_PROC_EXEC : SGC_REC_PROC_EXIT);
    /* once sent, its exit is sent too */
    assert_non_null(recs_find_kind(&rs, (unsigned)grandchild, SGC_REC_PROC_EXIT));
    sgc_bpf_close(b);
    recs_free(&rs);
    close(g_pipe[0]);
    close(g_pipe[1]);
}

static void test_creator_execs(void **state)
{
    (void)state;
    creator_case(true);
}

static void test_creator_exits(void **state)
{
    (void)state;
    creator_case(false);
}

static void test_eager_children(void **state)
{
    (void)state;
    struct recs rs = {0};
    struct sgc_bpf *b = open_capture(&rs, false);
    if (!b) return;
    pid_t quiet = run_child(quiet_child);
    settle(b, &rs, quiet);
    const struct sgc_event_hdr *f = recs_find_kind(&rs, (unsigned)quiet, SGC_REC_PROC_FORK);
    assert_non_null(f);
    assert_before(&rs, quiet, SGC_REC_PROC_FORK, quiet, SGC_REC_PROC_EXIT);
    sgc_bpf_close(b);
    recs_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lazy_children),
        cmocka_unit_test(test_creator_execs),
        cmocka_unit_test(test_creator_exits),
        cmocka_unit_test(test_eager_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
