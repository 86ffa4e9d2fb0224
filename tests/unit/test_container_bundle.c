/* A container's metadata from its OCI bundle (runtime/containers/
 * container_bundle.c): which command lines create a container, and what
 * config.json and containers/storage's containers.json tell, including a
 * real bundle directory read from disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "container_bundle.h"
#include "containers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char podman_config[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"user\": {\"uid\": 0, \"gid\": 0},"
    " \"args\": [\"/bin/true\"], \"capabilities\": {\"bounding\": [\"CAP_CHOWN\"]}},"
    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    "  {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/srv/data\","
    "   \"options\": [\"rbind\", \"ro\"]},"
    "  {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\":"
    "   \"/var/lib/containers/storage/overlay-containers/" ID "/userdata/hosts\","
    "   \"options\": [\"bind\"]}],"
    " \"annotations\": {\"io.container.manager\": \"libpod\","
    "  \"io.podman.annotations.privileged\": \"TRUE\"}}";

static const char storage_list[] =
    "[{\"id\": \"ffff\", \"names\": [\"other\"]},"
    " {\"id\": \"" ID "\", \"names\": [\"web\"], \"image\": \"c78e\","
    "  \"metadata\": \"{\\\"image-name\\\":\\\"localhost/sgc-test-busybox:latest\\\","
    "\\\"name\\\":\\\"web\\\"}\"}]";

static void test_cmdlines(void **state)
{
    sgc_bundle_ref r;
    static const char conmon[] =
        "--api-version\0"
        "1\0"
        "-c\0" ID "\0-u\0" ID "\0-r\0/usr/bin/runc\0-b\0/var/lib/b/" ID "/userdata\0-n\0web";
    assert_true(sgc_container_bundle_cmdline("/usr/bin/conmon", conmon, sizeof conmon, &r));
    assert_string_equal(r.id, ID);
    assert_string_equal(r.bundle, "/var/lib/b/" ID "/userdata");
    assert_string_equal(r.name, "web");

    static const char runc[] =
        "--root\0/run/runc\0create\0--bundle\0/run/containerd/t/" ID "\0--pid-file\0/run/p\0" ID;
    assert_true(sgc_container_bundle_cmdline("runc", runc, sizeof runc, &r));
    assert_string_equal(r.id, ID);
    assert_string_equal(r.bundle, "/run/containerd/t/" ID);
    assert_string_equal(r.name, "");

    /* not a creation: runc start/state, a relative bundle, a short id, another program */
    static const char start[] = "start\0" ID;
    assert_false(sgc_container_bundle_cmdline("runc", start, sizeof start, &r));
    static const char rel[] = "create\0--bundle\0relative\0" ID;
    assert_false(sgc_container_bundle_cmdline("runc", rel, sizeof rel, &r));
    static const char shortid[] = "create\0-b\0/b\0abc";
    assert_false(sgc_container_bundle_cmdline("crun", shortid, sizeof shortid, &r));
    assert_false(sgc_container_bundle_cmdline("/usr/bin/bash", conmon, sizeof conmon, &r));
}

static void test_parse_podman(void **state)
{
    sgc_containers *t = sgc_containers_new();
    sgc_container_info *ci = sgc_containers_upsert(t, ID);
    sgc_bundle_ref r = {.id = ID, .bundle = "/b", .name = ""};
    assert_int_equal(sgc_container_bundle_parse(podman_config, strlen(podman_config), storage_list,
                                                strlen(storage_list), &r, ci),
                     0);
    assert_int_equal(ci->privileged, 1);
    assert_string_equal(ci->type, "podman");
    assert_string_equal(ci->name, "web");
    assert_string_equal(ci->image, "localhost/sgc-test-busybox:latest");
    assert_string_equal(ci->image_repository, "localhost/sgc-test-busybox");
    assert_string_equal(ci->image_tag, "latest");
    assert_string_equal(ci->image_id, "c78e");
    /* the user's bind mount, not proc nor the engine's own files */
    assert_int_equal(ci->nmounts, 1);
    assert_string_equal(ci->mounts[0].source, "/srv/data");
    assert_string_equal(ci->mounts[0].dest, "/data");
    assert_false(ci->mounts[0].rw);
    sgc_containers_free(t);
}

static void test_parse_generic_privileged(void **state)
{
    /* no annotation: privileged = no masked paths and CAP_SYS_ADMIN bounding */
    static const char priv[] =
        "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_SYS_ADMIN\"]}},"
        " \"linux\": {}}";
    static const char confined[] =
        "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_SYS_ADMIN\"]}},"
        " \"linux\": {\"maskedPaths\": [\"/proc/kcore\"]}}";
    sgc_containers *t = sgc_containers_new();
    sgc_container_info *ci = sgc_containers_upsert(t, ID);
    sgc_bundle_ref r = {.id = ID, .bundle = "/b", .name = "x"};
    assert_int_equal(sgc_container_bundle_parse(priv, strlen(priv), NULL, 0, &r, ci), 0);
    assert_int_equal(ci->privileged, 1);
    assert_string_equal(ci->type, "docker");
    assert_string_equal(ci->name, "x");
    assert_int_equal(sgc_container_bundle_parse(confined, strlen(confined), NULL, 0, &r, ci), 0);
    assert_int_equal(ci->privileged, 0);
    /* not an OCI config: refused, entry unchanged */
    assert_int_equal(sgc_container_bundle_parse("[1,2]", 5, NULL, 0, &r, ci), -1);
    assert_int_equal(sgc_container_bundle_parse("{\"process\": 1", 13, NULL, 0, &r, ci), -1);
    assert_int_equal(ci->privileged, 0);
    sgc_containers_free(t);
}

/* A bundle on disk laid out as containers/storage's:
 * DIR/overlay-containers/ID/userdata/config.json + DIR/overlay-containers/containers.json */
static void test_read_from_disk(void **state)
{
    char dir[] = "/tmp/sgc-bundle-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], bundle[400];
    snprintf(path, sizeof path, "%s/overlay-containers", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/overlay-containers/%s", dir, ID);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(bundle, sizeof bundle, "%s/overlay-containers/%s/userdata", dir, ID);
    assert_int_equal(mkdir(bundle, 0700), 0);
    snprintf(path, sizeof path, "%s/config.json", bundle);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(podman_config, f);
    fclose(f);
    char list[512];
    snprintf(list, sizeof list, "%s/overlay-containers/containers.json", dir);
    f = fopen(list, "w");
    assert_non_null(f);
    fputs(storage_list, f);
    fclose(f);

    sgc_containers *t = sgc_containers_new();
    sgc_container_info *ci = sgc_containers_upsert(t, ID);
    sgc_bundle_ref r = {.id = ID, .name = "from-conmon"};
    snprintf(r.bundle, sizeof r.bundle, "%s", bundle);
    assert_int_equal(sgc_container_bundle_read(&r, ci), 0);
    assert_int_equal(ci->privileged, 1);
    assert_string_equal(ci->name, "from-conmon");
    assert_string_equal(ci->image_repository, "localhost/sgc-test-busybox");
    /* gone: the bundle cannot be read any more */
    unlink(path);
    unlink(list);
    snprintf(r.bundle, sizeof r.bundle, "%s/none", dir);
    assert_int_equal(sgc_container_bundle_read(&r, ci), -1);
    sgc_containers_free(t);
    rmdir(bundle);
    snprintf(path, sizeof path, "%s/overlay-containers/%s", dir, ID);
    rmdir(path);
    snprintf(path, sizeof path, "%s/overlay-containers", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmdlines),
        cmocka_unit_test(test_parse_podman),
        cmocka_unit_test(test_parse_generic_privileged),
        cmocka_unit_test(test_read_from_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
