/* System tables generated from the kernel and libc headers, checked against
 * the same constants as this test program sees them through the libc headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "systables.h"

static void test_syscalls(void **state)
{
    (void)state;
    assert_int_equal(sgc_syscall_nr("openat"), 257);
    assert_int_equal(sgc_syscall_nr("execve"), 59);
    assert_int_equal(sgc_syscall_nr("read"), 0);
    assert_int_equal(sgc_syscall_nr("openat"), SYS_openat);
    assert_int_equal(sgc_syscall_nr("execveat"), SYS_execveat);
    assert_int_equal(sgc_syscall_nr("clone3"), SYS_clone3);
    assert_int_equal(sgc_syscall_nr("pread64"), SYS_pread64);
    assert_string_equal(sgc_syscall_name(59), "execve");
    assert_string_equal(sgc_syscall_name(SYS_ptrace), "ptrace");
    assert_int_equal(sgc_syscall_nr("opne"), -1);
    assert_int_equal(sgc_syscall_nr(""), -1);
    assert_null(sgc_syscall_name(-1));
    assert_null(sgc_syscall_name(100000));
    assert_true(sgc_syscall_max_nr() >= SYS_openat2);
}

static void test_events(void **state)
{
    (void)state;
    int open_id = sgc_event_id("openat");
    assert_true(open_id >= 0);
    assert_true(sgc_event_is_syscall(open_id));
    assert_int_equal(sgc_event_syscall_nr(open_id), 257);
    assert_int_equal(sgc_event_id_of_syscall(257), open_id);
    assert_string_equal(sgc_event_name(open_id), "openat");

    /* Falco's own name for a syscall event. */
    int pread = sgc_event_id("pread");
    assert_true(pread >= 0);
    assert_true(sgc_event_is_syscall(pread));
    assert_int_equal(sgc_event_syscall_nr(pread), SYS_pread64);

    /* Non-syscall events are event types too. */
    const char *others[] = {"procexit",      "container",   "switch",
                            "signaldeliver", "pluginevent", "asyncevent"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        int id = sgc_event_id(others[i]);
        assert_true(id >= 0);
        assert_false(sgc_event_is_syscall(id));
        assert_int_equal(sgc_event_syscall_nr(id), -1);
    }
    assert_int_equal(sgc_event_id("opne"), -1);
    assert_int_equal(sgc_event_id(NULL), -1);
    assert_null(sgc_event_name(-1));
    assert_null(sgc_event_name(sgc_event_count()));

    /* Every syscall number maps to the event of its name (indexed lookup). */
    int nsys = 0;
    for (int nr = 0; nr <= sgc_syscall_max_nr(); nr++) {
        const char *name = sgc_syscall_name(nr);
        if (!name) {
            assert_int_equal(sgc_event_id_of_syscall(nr), -1);
            continue;
        }
        nsys++;
        assert_int_equal(sgc_syscall_nr(name), nr);
        assert_int_equal(sgc_event_id_of_syscall(nr), sgc_event_id(name));
    }
    assert_true(nsys > 300);

    /* Ids are dense, names unique and round-trip. */
    int n = sgc_event_count();
    assert_true(n > 350);
    for (int id = 0; id < n; id++) {
        const char *name = sgc_event_name(id);
        assert_non_null(name);
        assert_int_equal(sgc_event_id(name), id);
    }
}

static void test_errno(void **state)
{
    (void)state;
    assert_int_equal(sgc_errno_value("ENOENT"), 2);
    assert_int_equal(sgc_errno_value("ENOENT"), ENOENT);
    assert_int_equal(sgc_errno_value("EACCES"), EACCES);
    assert_int_equal(sgc_errno_value("EINPROGRESS"), EINPROGRESS);
    assert_int_equal(sgc_errno_value("EWOULDBLOCK"), EWOULDBLOCK);
    assert_int_equal(sgc_errno_value("ENOTSUP"), ENOTSUP);
    assert_int_equal(sgc_errno_value("EACCESS"), -1);
    assert_string_equal(sgc_errno_name(ENOENT), "ENOENT");
    /* The primary name, not the alias defined after it. */
    assert_string_equal(sgc_errno_name(EAGAIN), "EAGAIN");
    assert_string_equal(sgc_errno_name(EDEADLK), "EDEADLK");
    assert_string_equal(sgc_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
    /* Every primary name is what its value renders as. */
    int n;
    const sgc_flag_name *t = sgc_flagset_table(SGC_FLAGSET_ERRNO, &n);
    assert_true(n > 120);
    for (int i = 0; i < n; i++)
        if (!t[i].alias) assert_string_equal(sgc_errno_name((int)t[i].value), t[i].name);
    assert_null(sgc_errno_name(0));
    assert_null(sgc_errno_name(-2));
    assert_null(sgc_errno_name(100000));
}

static void test_open_flags(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_TRUNC", &v));
    assert_int_equal(v, O_TRUNC);
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_CREAT", &v));
    assert_int_equal(v, O_CREAT);
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_CLOEXEC", &v));
    assert_int_equal(v, O_CLOEXEC);
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_RDONLY", &v));
    assert_int_equal(v, 0);
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_TMPFILE", &v));
    assert_int_equal(v, O_TMPFILE);
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_SYNC", &v));
    assert_int_equal(v, O_SYNC);
    /* The kernel's O_LARGEFILE, not glibc's 0 on 64-bit. */
    assert_true(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_LARGEFILE", &v));
    assert_int_equal(v, 0100000);
    assert_false(sgc_flagset_value(SGC_FLAGSET_OPEN, "O_TRUNCC", &v));
    assert_string_equal(sgc_flagset_name_of(SGC_FLAGSET_OPEN, O_NONBLOCK), "O_NONBLOCK");
    int n;
    const sgc_flag_name *t = sgc_open_flags(&n);
    assert_true(n >= 18);
    assert_null(t[n].name); /* sentinel */
    assert_int_equal(sgc_flagset_of_name("O_TRUNC"), SGC_FLAGSET_OPEN);
}

static void test_caps(void **state)
{
    (void)state;
    assert_int_equal(sgc_cap_bit("CAP_SYS_ADMIN"), 21);
    assert_int_equal(sgc_cap_bit("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
    assert_int_equal(sgc_cap_bit("CAP_BPF"), CAP_BPF);
    assert_int_equal(sgc_cap_bit("CAP_CHOWN"), 0);
    assert_string_equal(sgc_cap_name(CAP_SYS_PTRACE), "CAP_SYS_PTRACE");
    assert_int_equal(sgc_cap_count(), CAP_LAST_CAP + 1);
    assert_int_equal(sgc_cap_bit("CAP_LAST_CAP"), -1);
    assert_int_equal(sgc_cap_bit("CAP_SYS_ADMN"), -1);
    assert_null(sgc_cap_name(-1));
    assert_int_equal(sgc_flagset_of_name("CAP_NET_RAW"), SGC_FLAGSET_CAP);
}

static void test_other_sets(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(sgc_flagset_value(SGC_FLAGSET_CLONE, "CLONE_NEWUSER", &v));
    assert_int_equal(v, CLONE_NEWUSER);
    assert_true(sgc_flagset_value(SGC_FLAGSET_SOCKET_FAMILY, "AF_INET", &v));
    assert_int_equal(v, AF_INET);
    assert_true(sgc_flagset_value(SGC_FLAGSET_SOCKET_FAMILY, "AF_PACKET", &v));
    assert_int_equal(v, AF_PACKET);
    assert_true(sgc_flagset_value(SGC_FLAGSET_SOCKET_FAMILY, "AF_UNIX", &v));
    assert_int_equal(v, AF_UNIX);
    assert_false(sgc_flagset_value(SGC_FLAGSET_SOCKET_FAMILY, "AF_MAX", &v));
    assert_true(sgc_flagset_value(SGC_FLAGSET_SOCKET_TYPE, "SOCK_RAW", &v));
    assert_int_equal(v, SOCK_RAW);
    assert_true(sgc_flagset_value(SGC_FLAGSET_PTRACE, "PTRACE_SETREGS", &v));
    assert_int_equal(v, 13);
    assert_true(sgc_flagset_value(SGC_FLAGSET_PTRACE, "PTRACE_SEIZE", &v));
    assert_int_equal(v, 0x4206);
    assert_true(sgc_flagset_value(SGC_FLAGSET_PTRACE, "PTRACE_TRACEME", &v));
    assert_int_equal(v, 0);
    assert_false(sgc_flagset_value(SGC_FLAGSET_PTRACE, "PTRACE_O_TRACEFORK", &v));
    assert_false(sgc_flagset_value(SGC_FLAGSET_PTRACE, "PTRACE_EVENT_FORK", &v));
    assert_true(sgc_flagset_value(SGC_FLAGSET_MODE, "S_ISUID", &v));
    assert_int_equal(v, S_ISUID);
    assert_true(sgc_flagset_value(SGC_FLAGSET_MODE, "S_IXOTH", &v));
    assert_int_equal(v, S_IXOTH);
    assert_false(sgc_flagset_value(SGC_FLAGSET_MODE, "S_IFMT", &v));
    assert_true(sgc_flagset_value(SGC_FLAGSET_SIGNAL, "SIGKILL", &v));
    assert_int_equal(v, SIGKILL);
    assert_true(sgc_flagset_value(SGC_FLAGSET_SIGNAL, "SIGSYS", &v));
    assert_int_equal(v, SIGSYS);
    assert_string_equal(sgc_flagset_name_of(SGC_FLAGSET_SIGNAL, SIGCHLD), "SIGCHLD");
    assert_false(sgc_flagset_value(SGC_FLAGSET_SIGNAL, "SIGRTMIN", &v));
    for (int s = 0; s < SGC_FLAGSET__COUNT; s++) {
        int n;
        assert_non_null(sgc_flagset_table((sgc_flagset)s, &n));
        assert_true(n > 0);
        assert_non_null(sgc_flagset_name((sgc_flagset)s));
    }
    assert_null(sgc_flagset_table(SGC_FLAGSET__COUNT, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syscalls), cmocka_unit_test(test_events),
        cmocka_unit_test(test_errno),    cmocka_unit_test(test_open_flags),
        cmocka_unit_test(test_caps),     cmocka_unit_test(test_other_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
