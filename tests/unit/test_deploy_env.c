/* What a deployment sets around sgc: HOST_ROOT (paths, the host's accounts
 * through the user cache, the host PID), SGC_HOSTNAME, systemd's
 * NOTIFY_SOCKET (path and abstract), and the capability table and check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "caps.h"
#include "hostroot.h"
#include "sd_notify.h"
#include "usercache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char g_root[64];

/* HOST_ROOT is read once per process: set before the first use (main). */
static void test_host_path_prefix(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(sgc_host_root(), g_root);
    assert_non_null(sgc_host_path(out, sizeof out, "/proc"));
    char want[256];
    snprintf(want, sizeof want, "%s/proc", g_root);
    assert_string_equal(out, want);
    /* too long: NULL and an empty string, never a cut path */
    char small[8];
    assert_null(sgc_host_path(small, sizeof small, "/proc/self/status"));
    assert_string_equal(small, "");
}

/* the host's accounts come from HOST_ROOT/etc, not this system's */
static void test_host_accounts_under_root(void **state)
{
    (void)state;
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_NSS);
    assert_string_equal(sgc_usercache_user(c, "host", 1, 0)->name, "hostadmin");
    assert_string_equal(sgc_usercache_group(c, "host", 1, 0)->name, "hostwheel");
    /* an id the host's file lacks stays unknown: no fallback to NSS */
    assert_null(sgc_usercache_user(c, "host", 1, 4242)->name);
    sgc_usercache_free(c);
}

/* HOST_ROOT/proc/self is this process in the host's numbering; without a
 * proc there, getpid() */
static void test_host_pid(void **state)
{
    (void)state;
    assert_int_equal(sgc_host_pid(), (unsigned)getpid());
    char link[128];
    snprintf(link, sizeof link, "%s/proc/self", g_root);
    assert_int_equal(symlink("424242", link), 0);
    assert_int_equal(sgc_host_pid(), 424242u);
    unlink(link);
}

static void test_hostname_env(void **state)
{
    (void)state;
    char buf[64];
    setenv("SGC_HOSTNAME", "node-7", 1);
    assert_int_equal(sgc_host_name(buf, sizeof buf), 0);
    assert_string_equal(buf, "node-7");
    unsetenv("SGC_HOSTNAME");
    char want[64] = "";
    gethostname(want, sizeof want - 1);
    assert_int_equal(sgc_host_name(buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static int bind_dgram(struct sockaddr_un *sa, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)sa, len), 0);
    return fd;
}

static void test_sd_notify(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(sgc_sd_notify("READY=1"), 0); /* not under systemd */
    /* a path socket */
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", g_root);
    int fd = bind_dgram(&sa, sizeof sa);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    assert_int_equal(sgc_sd_notify("READY=1\nSTATUS=x"), 1);
    char got[64] = "";
    assert_int_equal(recv(fd, got, sizeof got - 1, 0), 16);
    assert_string_equal(got, "READY=1\nSTATUS=x");
    close(fd);
    unlink(sa.sun_path);
    /* an abstract one: "@name" */
    struct sockaddr_un ab = {.sun_family = AF_UNIX};
    char name[64];
    snprintf(name, sizeof name, "@sgc-test-notify-%d", (int)getpid());
    memcpy(ab.sun_path, name, strlen(name));
    ab.sun_path[0] = '\0';
    fd = bind_dgram(&ab, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name)));
    setenv("NOTIFY_SOCKET", name, 1);
    assert_int_equal(sgc_sd_notify("STOPPING=1"), 1);
    memset(got, 0, sizeof got);
    assert_int_equal(recv(fd, got, sizeof got - 1, 0), 10);
    assert_string_equal(got, "STOPPING=1");
    close(fd);
    /* not a path nor abstract: refused */
    setenv("NOTIFY_SOCKET", "relative", 1);
    assert_int_equal(sgc_sd_notify("READY=1"), -1);
    unsetenv("NOTIFY_SOCKET");
}

static void test_caps_table_and_check(void **state)
{
    (void)state;
    size_t n;
    const sgc_cap_need *need = sgc_caps_needed(&n);
    assert_int_equal(n, 4);
    const char *names[] = {"CAP_BPF", "CAP_PERFMON", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(need[i].name, names[i]);
        assert_true(need[i].why && *need[i].why);
    }
    char err[512] = "";
    int rc = sgc_caps_check(err, sizeof err);
    if (geteuid() == 0) {
        assert_int_equal(rc, 0);
    } else { /* an unprivileged run: the first missing one is named */
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, "missing capability CAP_"));
    }
}

int main(void)
{
    /* a HOST_ROOT with an /etc of its own, before anything reads it */
    snprintf(g_root, sizeof g_root, "/tmp/sgc-test-hostroot.XXXXXX");
    if (!mkdtemp(g_root)) return 1;
    char path[128];
    snprintf(path, sizeof path, "%s/etc", g_root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/passwd", g_root);
    FILE *f = fopen(path, "w");
    fputs("hostadmin:x:0:0:admin:/root:/bin/sh\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/etc/group", g_root);
    f = fopen(path, "w");
    fputs("hostwheel:x:0:\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/proc", g_root);
    mkdir(path, 0755);
    char env[96];
    snprintf(env, sizeof env, "%s/", g_root); /* a trailing slash is dropped */
    setenv("HOST_ROOT", env, 1);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_path_prefix), cmocka_unit_test(test_host_accounts_under_root),
        cmocka_unit_test(test_host_pid),         cmocka_unit_test(test_hostname_env),
        cmocka_unit_test(test_sd_notify),        cmocka_unit_test(test_caps_table_and_check),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
    if (system(cmd) != 0) rc = rc ? rc : 1;
    return rc;
}
