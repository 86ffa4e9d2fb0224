/* The process table: lifecycle (fork/exec/exit), lineage, bounds, /proc
 * bootstrap, and the proc.* extractors over it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "field_fixture.h"

#include "fields_ctx.h"
#include "procfs.h"
#include "proctable.h"
#include "usercache.h"

#include <asm/unistd_64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sgc_proc *exec_simple(sgc_proctable *t, uint32_t pid, const char *comm, const char *exepath,
                             const char *argv, size_t argv_len, uint64_t ts)
{
    sgc_proc_image_spec spec = {0};
    spec.exepath = exepath;
    spec.exepath_len = strlen(exepath);
    sgc_proc_spec_set_argv(&spec, argv, argv_len);
    spec.cwd = "/home/u";
    spec.cwd_len = 7;
    spec.env = "A=1\0PATH=/bin\0";
    spec.env_len = 14;
    sgc_proc *p = sgc_proctable_exec(t, pid, &spec, ts);
    assert_non_null(p);
    snprintf(p->comm, sizeof p->comm, "%s", comm);
    return p;
}

static void test_fork_exec_exit(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    sgc_proc *init = exec_simple(t, 1, "systemd", "/usr/lib/systemd/systemd", "/sbin/init", 11, 10);
    init->start_ns = 1;
    sgc_proc *c = sgc_proctable_fork(t, 1, 100, 20);
    assert_non_null(c);
    assert_int_equal(c->ppid, 1);
    assert_string_equal(c->comm, "systemd");                 /* a fork copies the parent */
    assert_ptr_equal(c->img, sgc_proctable_find(t, 1)->img); /* ...sharing its image */
    c = exec_simple(t, 100, "bash", "/usr/bin/bash", "-bash\0-i", 9, 30);
    assert_string_equal(c->img->exe, "-bash");
    assert_string_equal(c->img->exepath, "/usr/bin/bash");
    assert_int_equal(c->img->nargs, 1);
    assert_string_equal(sgc_proc_image_arg(c->img, 1, NULL), "-i");
    assert_ptr_not_equal(c->img, sgc_proctable_find(t, 1)->img);
    size_t n;
    assert_string_equal(sgc_proc_image_getenv(c->img, "PATH", 4, &n), "/bin");
    assert_null(sgc_proc_image_getenv(c->img, "PAT", 3, &n));

    sgc_proctable_exit(t, 100, 40);
    sgc_proc *e = sgc_proctable_find(t, 100);
    assert_non_null(e); /* kept for late events */
    assert_true(e->exited);
    sgc_proctable_reap(t, 40 + 1000); /* before the linger time */
    assert_non_null(sgc_proctable_find(t, 100));
    sgc_proctable_reap(t, 40 + 5000000000ull);
    assert_null(sgc_proctable_find(t, 100));
    sgc_proctable_stats st;
    sgc_proctable_get_stats(t, &st);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.reaped, 1);
    sgc_proctable_free(t);
}

static void test_ancestors(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    const char *names[] = {"systemd", "sshd", "sshd", "bash", "sudo", "cat"};
    for (uint32_t i = 0; i < 6; i++) {
        uint32_t pid = 10 * (i + 1);
        if (i) sgc_proctable_fork(t, pid - 10, pid, 100 + i);
        sgc_proc *p = exec_simple(t, pid, names[i], "/x", "x", 2, 100 + i);
        if (!i) p->start_ns = 50;
    }
    sgc_proc *cat = sgc_proctable_find(t, 60);
    assert_string_equal(sgc_proctable_ancestor(t, cat, 0)->comm, "cat");
    assert_string_equal(sgc_proctable_ancestor(t, cat, 1)->comm, "sudo");
    assert_string_equal(sgc_proctable_ancestor(t, cat, 3)->comm, "sshd");
    assert_string_equal(sgc_proctable_ancestor(t, cat, 5)->comm, "systemd");
    assert_null(sgc_proctable_ancestor(t, cat, 6));

    /* pid reuse: a "parent" younger than its child is not the parent */
    sgc_proc *sudo = sgc_proctable_find(t, 50);
    sudo->start_ns = cat->start_ns + 1;
    assert_null(sgc_proctable_parent(t, cat));
    sudo->start_ns = cat->start_ns - 1;

    /* a cycle in ppids ends the walk instead of looping */
    sgc_proc *init = sgc_proctable_find(t, 10);
    init->ppid = 60;
    init->start_ns = 0;
    cat->start_ns = 0;
    int depth = 0;
    while (sgc_proctable_ancestor(t, cat, depth + 1)) depth++;
    assert_true(depth <= 5);
    sgc_proctable_free(t);
}

/* A fork storm stays within the entry cap, evicting exited entries first,
 * and children share their parent's image (memory per child is the entry). */
static void test_fork_storm_bounds(void **state)
{
    sgc_proctable_config cfg = {.max_entries = 1000, .max_exited = 100};
    sgc_proctable *t = sgc_proctable_new(&cfg);
    exec_simple(t, 1, "init", "/sbin/init", "init", 5, 1);
    for (uint32_t i = 0; i < 20000; i++) {
        uint32_t pid = 1000 + i;
        assert_non_null(sgc_proctable_fork(t, 1, pid, 10 + i));
        if (i % 2) sgc_proctable_exit(t, pid, 10 + i);
    }
    sgc_proctable_stats st;
    sgc_proctable_get_stats(t, &st);
    assert_true(st.entries <= 1000);
    assert_true(st.exited <= 100);
    assert_true(st.evicted_live > 0);
    assert_non_null(sgc_proctable_find(t, 1000 + 19999)); /* the newest is kept */
    assert_int_equal(st.images, 2); /* the empty image and init's, shared by all */
    /* init is touched by every fork: the LRU keeps it */
    assert_non_null(sgc_proctable_find(t, 1));
    sgc_proctable_free(t);
}

/* An exec storm of big, distinct images stays within the image budget. */
static void test_image_budget(void **state)
{
    sgc_proctable_config cfg = {.max_image_bytes = 1 << 20};
    sgc_proctable *t = sgc_proctable_new(&cfg);
    char env[4000];
    memset(env, 'e', sizeof env - 1);
    env[sizeof env - 1] = '\0';
    for (uint32_t i = 0; i < 2000; i++) {
        sgc_proc_image_spec spec = {.exe = "x", .exe_len = 1, .env = env, .env_len = sizeof env};
        assert_non_null(sgc_proctable_exec(t, 100 + i, &spec, i));
    }
    sgc_proctable_stats st;
    sgc_proctable_get_stats(t, &st);
    assert_true(st.image_bytes <= (1 << 20));
    assert_true(st.evicted_live > 0);
    assert_non_null(sgc_proctable_find(t, 100 + 1999)); /* the newest stays */
    sgc_proctable_free(t);
}

static void test_strings_bounded(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    size_t big = 3 * SGC_PROC_STR_MAX;
    char *argv = malloc(big);
    for (size_t i = 0; i < big; i++) argv[i] = (i % 100 == 99) ? '\0' : 'a';
    sgc_proc_image_spec spec = {0};
    sgc_proc_spec_set_argv(&spec, argv, big);
    spec.env = argv;
    spec.env_len = big;
    spec.exepath = argv;
    spec.exepath_len = big;
    sgc_proc *p = sgc_proctable_exec(t, 5, &spec, 1);
    assert_true(p->img->args_len <= SGC_PROC_STR_MAX);
    assert_true(p->img->env_len <= SGC_PROC_STR_MAX);
    assert_true(p->img->exepath_len < SGC_PROC_STR_MAX);
    /* a cut list is still terminated, its last item cut short */
    assert_int_equal(p->img->args[p->img->args_len - 1], '\0');
    assert_true(p->img->nargs >= 40);
    free(argv);
    sgc_proctable_free(t);
}

static void test_apply_records(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    _Alignas(8) uint8_t buf[4096];
    sgc_record_builder b;
    sgc_evt ev;

    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_EXEC, 59, 0);
    b.hdr->pid = b.hdr->tid = 42;
    b.hdr->ppid = 1;
    b.hdr->ts_ns = 1000;
    b.hdr->euid = 1000;
    b.hdr->loginuid = 1000;
    strcpy(b.hdr->comm, "curl");
    sgc_record_add_str(&b, SGC_BLOB_EXE, "/usr/bin/curl");
    sgc_record_add_blob(&b, SGC_BLOB_ARGV, "curl\0-s\0http://x", 17, 0);
    sgc_record_add_str(&b, SGC_BLOB_CWD, "/tmp");
    const char *cg =
        "0::/system.slice/"
        "docker-3f8a9c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8.scope";
    sgc_record_add_str(&b, SGC_BLOB_CGROUP, cg);
    assert_true(sgc_record_finish(&b) > 0);
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    sgc_proc *p = sgc_proctable_apply(t, &ev);
    assert_non_null(p);
    assert_string_equal(p->comm, "curl");
    assert_string_equal(p->img->exe, "curl");
    assert_int_equal(p->img->nargs, 2);
    assert_string_equal(p->img->cwd, "/tmp");
    assert_string_equal(sgc_proc_container_id(p),
                        "3f8a9c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8");

    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_FORK, 56, 0);
    b.hdr->pid = b.hdr->tid = 42;
    b.hdr->ts_ns = 2000;
    b.hdr->args[0] = 43;
    strcpy(b.hdr->comm, "curl");
    assert_true(sgc_record_finish(&b) > 0);
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    sgc_proctable_apply(t, &ev);
    sgc_proc *c = sgc_proctable_find(t, 43);
    assert_non_null(c);
    assert_int_equal(c->ppid, 42);
    assert_string_equal(c->img->exepath, "/usr/bin/curl");

    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_EXIT, 0, 0);
    b.hdr->pid = b.hdr->tid = 43;
    b.hdr->ts_ns = 3000;
    assert_true(sgc_record_finish(&b) > 0);
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    sgc_proctable_apply(t, &ev);
    assert_true(sgc_proctable_find(t, 43)->exited);
    sgc_proctable_free(t);
}

/* The kernel's fork record describes the child (header pid = the child,
 * args[0] = the child, args[2] = the creating process): the child starts
 * with the creator's image (libsinsp), and its own credentials. */
static void test_kernel_fork_record(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    _Alignas(8) uint8_t buf[4096];
    sgc_record_builder b;
    sgc_evt ev;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_EXEC, 59, 0);
    b.hdr->pid = b.hdr->tid = 0x7ffff000;
    b.hdr->ppid = 1;
    b.hdr->ts_ns = 1000;
    strcpy(b.hdr->comm, "python3");
    sgc_record_add_str(&b, SGC_BLOB_EXE, "/usr/bin/python3.11");
    sgc_record_add_blob(&b, SGC_BLOB_ARGV, "python3\0x.py\0arg", 16, 0);
    assert_true(sgc_record_finish(&b) > 0);
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    assert_non_null(sgc_proctable_apply(t, &ev));

    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_FORK, 0, 0);
    b.hdr->pid = b.hdr->tid = 0x7ffff001;
    b.hdr->ppid = 0x7ffff000;
    b.hdr->uid = b.hdr->euid = 1000;
    b.hdr->ts_ns = 2000;
    b.hdr->args[0] = 0x7ffff001;
    b.hdr->args[1] = 0x7ffff000;
    b.hdr->args[2] = 0x7ffff000;
    strcpy(b.hdr->comm, "python3");
    assert_true(sgc_record_finish(&b) > 0);
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    sgc_proc *c = sgc_proctable_apply(t, &ev);
    assert_non_null(c);
    assert_int_equal(c->pid, 0x7ffff001);
    assert_int_equal(c->ppid, 0x7ffff000);
    assert_int_equal(c->uid, 1000);
    assert_string_equal(c->img->exepath, "/usr/bin/python3.11");
    assert_string_equal(c->img->exe, "python3");
    assert_int_equal(c->img->nargs, 2);
    sgc_proctable_free(t);
}

static void test_procfs_finds_self_and_parent(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    int n = sgc_procfs_scan(t, NULL);
    assert_true(n > 1);
    sgc_proc *self = sgc_proctable_find(t, (uint32_t)getpid());
    assert_non_null(self);
    assert_int_equal(self->ppid, (uint32_t)getppid());
    assert_string_equal(self->comm, "test_proctable");
    assert_non_null(strstr(self->img->exepath, "test_proctable"));
    assert_non_null(strstr(self->img->exe, "test_proctable"));
    assert_true(self->img->cwd_len > 0);
    assert_true(self->start_ns > 0);
    assert_int_equal(self->euid, (uint32_t)geteuid());
    sgc_proc *parent = sgc_proctable_parent(t, self);
    assert_non_null(parent);
    assert_int_equal(parent->pid, (uint32_t)getppid());
    assert_true(parent->start_ns <= self->start_ns);
    sgc_proctable_free(t);
}

/* ---- extractors ---------------------------------------------------------- */

static void test_proc_fields(void **state)
{
    sgc_proctable *t = sgc_proctable_new(NULL);
    sgc_usercache *uc = sgc_usercache_new(0);
    sgc_usercache_set_user(uc, NULL, 1000, 1000, "alice", "/home/alice", "/bin/zsh");
    sgc_proctable_attach(t, uc, NULL);
    sgc_arena a;
    sgc_arena_init(&a, 0);
    exec_simple(t, 1, "systemd", "/lib/systemd/systemd", "/sbin/init", 11, 1)->start_ns = 1;
    sgc_proctable_fork(t, 1, 2, 2);
    exec_simple(t, 2, "sshd", "/usr/sbin/sshd", "sshd: alice", 12, 2);
    sgc_proctable_fork(t, 2, 3, 3);
    sgc_proc *p = exec_simple(t, 3, "cat", "/usr/bin/cat", "cat\0/etc/shadow\0-n", 19, 3);
    p->euid = 1000;
    p->loginuid = SGC_LOGINUID_UNSET;
    p->cap_effective = (1ull << 21) | 1; /* CAP_CHOWN, CAP_SYS_ADMIN */

    fx_assert_str(fx_extract_field(t, p, &a, "proc.name", NULL), "cat");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.exe", NULL), "cat");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.exepath", NULL), "/usr/bin/cat");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.args", NULL), "/etc/shadow -n");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.cmdline", NULL), "cat /etc/shadow -n");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.exeline", NULL), "cat /etc/shadow -n");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.pname", NULL), "sshd");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.pcmdline", NULL), "sshd");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.aname", "2"), "systemd");
    assert_int_equal(fx_extract_field(t, p, &a, "proc.aname", "3").kind, SGC_VAL_NA);
    fx_assert_str(fx_extract_field(t, p, &a, "proc.cwd", NULL), "/home/u/");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.env", NULL), "A=1 PATH=/bin");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.env", "PATH"), "/bin");
    fx_assert_str(fx_extract_field(t, p, &a, "proc.env", "NOPE"), "");
    sgc_val any = fx_extract_field(t, p, &a, "proc.aname", NULL);
    assert_int_equal(any.kind, SGC_VAL_LIST);
    assert_int_equal(any.list.n, 2);
    fx_assert_str(any.list.items[0], "sshd");
    fx_assert_str(any.list.items[1], "systemd");
    sgc_val apid = fx_extract_field(t, p, &a, "proc.apid", "1");
    assert_int_equal(apid.kind, SGC_VAL_S64);
    assert_int_equal(apid.s64, 2);
    fx_assert_str(fx_extract_field(t, p, &a, "thread.cap_effective", NULL),
                  "CAP_CHOWN CAP_SYS_ADMIN");
    fx_assert_str(fx_extract_field(t, p, &a, "user.name", NULL), "alice");
    fx_assert_str(fx_extract_field(t, p, &a, "user.shell", NULL), "/bin/zsh");
    sgc_val luid = fx_extract_field(t, p, &a, "user.loginuid", NULL);
    assert_int_equal(luid.kind, SGC_VAL_S64);
    assert_int_equal(luid.s64, -1);
    assert_int_equal(fx_extract_field(t, p, &a, "user.loginname", NULL).kind, SGC_VAL_NA);
    fx_assert_str(fx_extract_field(t, p, &a, "container.id", NULL), "host");
    fx_assert_str(fx_extract_field(t, p, &a, "container.name", NULL), "host");
    assert_int_equal(fx_extract_field(t, p, &a, "container.image.repository", NULL).kind,
                     SGC_VAL_NA);
    sgc_val dur = fx_extract_field(t, p, &a, "proc.duration", NULL);
    assert_int_equal(dur.kind, SGC_VAL_U64);
    assert_int_equal(dur.u64, 5000 - 3);

    sgc_arena_free(&a);
    sgc_usercache_free(uc);
    sgc_proctable_free(t);
}

static struct sgc_event_hdr cred_hdr(uint32_t nr, int64_t ret, uint64_t a0, uint64_t a1)
{
    struct sgc_event_hdr h = {.kind = SGC_REC_SYSCALL, .nr = nr, .ret = ret, .pid = 9, .tid = 9};
    h.uid = h.euid = 1000;
    h.gid = h.egid = 1000;
    h.args[0] = a0;
    h.args[1] = a1;
    return h;
}

/* The credentials a call leaves, applied to a record header (what the
 * kernel reports at exit; replay builds headers from the state before). */
static void test_creds_after_syscall(void **state)
{
    /* unprivileged setuid: the effective uid only */
    struct sgc_event_hdr h = cred_hdr(__NR_setuid, 0, 0, 0);
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.euid, 0);
    assert_int_equal(h.uid, 1000);
    /* with CAP_SETUID: every uid */
    h = cred_hdr(__NR_setuid, 0, 33, 0);
    h.cap_effective = 1ull << 7;
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.euid, 33);
    assert_int_equal(h.uid, 33);
    /* idempotent: a live header already has the new ids */
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.euid, 33);
    /* failed: unchanged */
    h = cred_hdr(__NR_setuid, -1, 0, 0);
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.euid, 1000);
    /* setregid(-1, 50): effective gid only */
    h = cred_hdr(__NR_setregid, 0, 0xffffffffu, 50);
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.egid, 50);
    assert_int_equal(h.gid, 1000);
    assert_int_equal(h.euid, 1000);
    /* setgid without CAP_SETGID */
    h = cred_hdr(__NR_setgid, 0, 7, 0);
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.egid, 7);
    assert_int_equal(h.gid, 1000);
    /* unshare(CLONE_NEWUSER): every capability; setns's nstype is args[1] */
    h = cred_hdr(__NR_unshare, 0, 0x10000000, 0);
    sgc_creds_after_syscall(&h);
    assert_true(h.cap_permitted & (1ull << 21));
    assert_true(h.cap_effective & (1ull << 21));
    assert_int_equal(h.cap_permitted >> 41, 0); /* no bits beyond the last capability */
    h = cred_hdr(__NR_setns, 0, 0x10000000, 0);
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.cap_permitted, 0);
    h = cred_hdr(__NR_setns, 0, 3, 0x10000000);
    sgc_creds_after_syscall(&h);
    assert_true(h.cap_permitted & (1ull << 21));
    /* not a syscall record: untouched */
    h = cred_hdr(__NR_setuid, 0, 0, 0);
    h.kind = SGC_REC_PROC_EXEC;
    sgc_creds_after_syscall(&h);
    assert_int_equal(h.euid, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fork_exec_exit),
        cmocka_unit_test(test_ancestors),
        cmocka_unit_test(test_fork_storm_bounds),
        cmocka_unit_test(test_strings_bounded),
        cmocka_unit_test(test_image_budget),
        cmocka_unit_test(test_apply_records),
        cmocka_unit_test(test_kernel_fork_record),
        cmocka_unit_test(test_procfs_finds_self_and_parent),
        cmocka_unit_test(test_proc_fields),
        cmocka_unit_test(test_creds_after_syscall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
