/* Container ids from cgroup paths: every runtime layout, and the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "container_id.h"

#include <string.h>

#define ID "3f8a9c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"

static void expect_id(const char *cgroup, const char *want)
{
    char out[SGC_CONTAINER_ID_LEN + 1];
    size_t n = sgc_container_id_from_cgroup(cgroup, strlen(cgroup), out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_docker(void **state)
{
    expect_id("/docker/" ID, ID);
    expect_id("/system.slice/docker-" ID ".scope", ID);
    expect_id("12:memory:/docker/" ID "\n0::/\n", ID);
}

static void test_containerd_crio(void **state)
{
    expect_id("/kubepods/besteffort/pod0b2a3c4d-1111-2222-3333-444455556666/" ID, ID);
    expect_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b2a_11.slice/"
              "cri-containerd-" ID ".scope",
              ID);
    expect_id("/kubepods-besteffort-pod0b2a.slice:cri-containerd:" ID, ID);
    expect_id("0::/kubepods.slice/kubepods-pod1.slice/crio-" ID ".scope", ID);
    expect_id("/kubepods/pod1/crio-" ID, ID);
}

static void test_podman(void **state)
{
    expect_id("/machine.slice/libpod-" ID ".scope", ID);
    expect_id("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
              ".scope/container",
              ID);
    /* conmon runs on the host next to the container */
    expect_id("/machine.slice/libpod-conmon-" ID ".scope", "host");
}

static void test_host(void **state)
{
    expect_id("0::/", "host");
    expect_id("0::/user.slice/user-0.slice/session-3.scope", "host");
    expect_id("0::/system.slice/docker.service", "host");
    expect_id("", "host");
    /* not 64 hex digits: not an id */
    expect_id("/docker/3f8a9c1b2d4e", "host");
    expect_id("/docker/"
              "3F8A9C1B2D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8",
              "host");
    expect_id("/system.slice/docker-" ID ".scopex", "host");
}

static void test_innermost_wins(void **state)
{
    const char *outer = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    char path[300];
    strcpy(path, "/docker/");
    strcat(path, outer);
    strcat(path, "/docker/" ID);
    expect_id(path, ID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docker),         cmocka_unit_test(test_containerd_crio),
        cmocka_unit_test(test_podman),         cmocka_unit_test(test_host),
        cmocka_unit_test(test_innermost_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
