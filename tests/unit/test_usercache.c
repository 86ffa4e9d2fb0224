/* User and group names: explicit entries, host NSS, a container's own
 * /etc/passwd read through /proc/PID/root, unknown ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "usercache.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_explicit_entries_win(void **state)
{
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_NSS);
    sgc_usercache_set_user(c, NULL, 0, 0, "toor", "/root", "/bin/sh");
    assert_string_equal(sgc_usercache_user(c, "host", 1, 0)->name, "toor");
    /* a container-scoped entry applies to that container only */
    sgc_usercache_set_user(c, "abc", 1000, 1000, "app", NULL, NULL);
    assert_string_equal(sgc_usercache_user(c, "abc", 1, 1000)->name, "app");
    assert_null(sgc_usercache_user(c, "abc", 1, 1000)->homedir);
    sgc_usercache_set_group(c, NULL, 4242, "wheel2");
    assert_string_equal(sgc_usercache_group(c, NULL, 1, 4242)->name, "wheel2");
    sgc_usercache_flush(c); /* explicit entries survive a flush */
    assert_string_equal(sgc_usercache_user(c, "", 1, 0)->name, "toor");
    sgc_usercache_free(c);
}

static void test_host_nss_and_unknown(void **state)
{
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_NSS);
    const sgc_user *u = sgc_usercache_user(c, "host", 1, 0);
    assert_string_equal(u->name, "root");
    assert_string_equal(u->homedir, "/root");
    assert_string_equal(sgc_usercache_group(c, "host", 1, 0)->name, "root");
    /* an id nobody has: known to be unknown (<NA>), and cached as such */
    assert_null(sgc_usercache_user(c, "host", 1, 3999999)->name);
    assert_null(sgc_usercache_user(c, "host", 1, 3999999)->name);
    sgc_usercache_free(c);

    /* without sources, only explicit entries exist */
    c = sgc_usercache_new(0);
    assert_null(sgc_usercache_user(c, "host", 1, 0)->name);
    sgc_usercache_free(c);
}

static void test_container_files(void **state)
{
    /* Our own root stands in for a container's: its /etc/passwd is read
     * through /proc/PID/root for a process "in" container c1. */
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_PROCROOT);
    const sgc_user *u = sgc_usercache_user(c, "c1", (uint32_t)getpid(), 0);
    assert_non_null(u->name);
    assert_string_equal(u->name, "root");
    assert_string_equal(sgc_usercache_group(c, "c1", (uint32_t)getpid(), 0)->name, "root");
    /* a container whose files cannot be read: unknown, except uid 0,
     * which is root as in libsinsp */
    assert_null(sgc_usercache_user(c, "c2", 0x7ffffff0u, 1000)->name);
    assert_string_equal(sgc_usercache_user(c, "c2", 0x7ffffff0u, 0)->name, "root");
    assert_string_equal(sgc_usercache_group(c, "c2", 0x7ffffff0u, 0)->name, "root");
    /* the process is gone but another of the container's is alive: its
     * files are read then (a failed read does not mark the container) */
    struct passwd *pw = getpwuid(getuid() ? getuid() : 1);
    if (pw) {
        uint32_t uid = pw->pw_uid;
        assert_null(sgc_usercache_user(c, "c3", 0x7ffffff0u, uid)->name);
        const sgc_user *u3 = sgc_usercache_user(c, "c3", (uint32_t)getpid(), uid);
        assert_non_null(u3->name);
        assert_string_equal(u3->name, pw->pw_name);
    }
    /* NSS is not consulted for containers */
    assert_null(sgc_usercache_user(c, "host", 1, 0)->name);
    sgc_usercache_free(c);
}

static bool has_id(const uint32_t *ids, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id) return true;
    return false;
}

/* The host's accounts imported at start (what the kernel's name map is
 * filled from, runtime/pipeline/unames.c): every id NSS enumerates, once,
 * with the name a lookup gives; explicit entries for the host or any
 * container among them, container-only ones not. */
static void test_import_host(void **state)
{
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_NSS);
    sgc_usercache_set_user(c, NULL, 3999990, 0, "anyone", NULL, NULL);
    sgc_usercache_set_user(c, "abc", 3999991, 0, "ctronly", NULL, NULL);
    sgc_usercache_import_host(c);
    uint32_t *ids;
    size_t n = sgc_usercache_host_ids(c, false, &ids);
    assert_true(has_id(ids, n, 0));
    assert_true(has_id(ids, n, 3999990));
    assert_false(has_id(ids, n, 3999991));
    for (size_t i = 1; i < n; i++) assert_true(ids[i - 1] < ids[i]); /* each once */
    struct passwd *pw;
    setpwent();
    while ((pw = getpwent())) assert_true(has_id(ids, n, pw->pw_uid));
    endpwent();
    free(ids);
    assert_string_equal(sgc_usercache_user(c, "host", 0, 0)->name, getpwuid(0)->pw_name);
    n = sgc_usercache_host_ids(c, true, &ids);
    assert_true(has_id(ids, n, 0));
    free(ids);
    assert_string_equal(sgc_usercache_group(c, "host", 0, 0)->name, "root");
    /* a flush forgets them; an import brings them back */
    sgc_usercache_flush(c);
    n = sgc_usercache_host_ids(c, false, &ids);
    assert_false(has_id(ids, n, 0));
    free(ids);
    sgc_usercache_import_host(c);
    n = sgc_usercache_host_ids(c, false, &ids);
    assert_true(has_id(ids, n, 0));
    free(ids);
    sgc_usercache_free(c);

    /* without NSS, nothing is imported */
    c = sgc_usercache_new(SGC_USERS_PROCROOT);
    sgc_usercache_import_host(c);
    assert_int_equal(sgc_usercache_host_ids(c, false, &ids), 0);
    free(ids);
    sgc_usercache_free(c);
}

/* A change of the host's accounts flushes the host's entries only: a
 * container's names, read while its processes lived, stay. */
static void test_flush_host(void **state)
{
    sgc_usercache *c = sgc_usercache_new(SGC_USERS_NSS | SGC_USERS_PROCROOT);
    assert_string_equal(sgc_usercache_user(c, "c1", (uint32_t)getpid(), 0)->name, "root");
    assert_string_equal(sgc_usercache_group(c, "c1", (uint32_t)getpid(), 0)->name, "root");
    struct passwd *pw = getpwuid(getuid() ? getuid() : 1);
    uint32_t other = pw ? pw->pw_uid : 0;
    const char *other_name = sgc_usercache_user(c, "c1", (uint32_t)getpid(), other)->name;
    assert_non_null(other_name);
    char keep[64];
    snprintf(keep, sizeof keep, "%s", other_name);
    sgc_usercache_set_user(c, "host", 3999992, 0, "hostexplicit", NULL, NULL);
    sgc_usercache_import_host(c);
    sgc_usercache_flush_host(c);
    uint32_t *ids;
    size_t n = sgc_usercache_host_ids(c, false, &ids);
    assert_true(has_id(ids, n, 3999992) && !has_id(ids, n, 0)); /* explicit entries stay */
    free(ids);
    /* the container's entries answer without its (gone) process */
    assert_string_equal(sgc_usercache_user(c, "c1", 0x7ffffff0u, other)->name, keep);
    assert_string_equal(sgc_usercache_group(c, "c1", 0x7ffffff0u, 0)->name, "root");
    /* the host's are looked up again */
    assert_string_equal(sgc_usercache_user(c, "host", 0, 0)->name, getpwuid(0)->pw_name);
    sgc_usercache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_explicit_entries_win), cmocka_unit_test(test_host_nss_and_unknown),
        cmocka_unit_test(test_container_files),      cmocka_unit_test(test_import_host),
        cmocka_unit_test(test_flush_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
