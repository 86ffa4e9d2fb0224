/* The container engine: parsing real `GET /containers/{id}/json` responses
 * (podman's, captured on a test machine, and docker's shape with Kubernetes
 * labels), image reference splitting, times, copying into the runloop's
 * table, and the asynchronous engine against a fake runtime: resolution,
 * deduplication, an absent runtime, a hung one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "field_fixture.h"

#include "container_engine.h"
#include "fake_http_server.h"
#include "fields_ctx.h"
#include "proctable.h"

#define FIXTURES        SGC_SRC_DIR "/tests/containers/fixtures/"
#define PODMAN_PRIV_ID  "0b855f157caa3532d1452e4a0666afd999dc5f955d523b85cc5c2ad9a02602be"
#define PODMAN_PLAIN_ID "c84a193db66e210817b90c6e628d221cf7eb9486eb06dac35d0d26f56966c233"
#define DOCKER_K8S_ID   "8d1b7a2c3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const sgc_container_info *parse_fixture(sgc_containers *t, const char *file,
                                               const char *type, const char *id)
{
    size_t len;
    char *json = slurp(file, &len);
    char err[256] = "";
    bool ok = sgc_container_engine_parse_inspect(json, len, type, id, t, err, sizeof err);
    if (!ok) fail_msg("%s: %s", file, err);
    free(json);
    const sgc_container_info *ci = sgc_containers_find(t, id);
    assert_non_null(ci);
    return ci;
}

static void expect_mount(const sgc_container_mount *m, const char *src, const char *dst,
                         const char *mode, bool rw, const char *prop)
{
    assert_string_equal(m->source, src);
    assert_string_equal(m->dest, dst);
    assert_string_equal(m->mode, mode);
    assert_int_equal(m->rw, rw);
    assert_string_equal(m->propagation, prop);
}

static void test_podman_privileged(void **state)
{
    sgc_containers *t = sgc_containers_new();
    const sgc_container_info *ci =
        parse_fixture(t, FIXTURES "podman_inspect_privileged.json", "podman", PODMAN_PRIV_ID);
    assert_string_equal(ci->name, "t1");
    assert_string_equal(ci->type, "podman");
    assert_string_equal(ci->image, "localhost/sgc-test-busybox:latest");
    assert_string_equal(ci->image_repository, "localhost/sgc-test-busybox");
    assert_string_equal(ci->image_tag, "latest");
    assert_null(ci->image_digest);
    assert_string_equal(ci->image_id,
                        "47ffe7351313663defa2d3797fd926792e8bc2fa96de0172e19cb49517127e29");
    assert_int_equal(ci->privileged, 1);
    assert_int_equal(ci->nmounts, 1);
    expect_mount(&ci->mounts[0], "/tmp/ctrsrc", "/data", "", false, "rprivate");
    assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.name"), "mypod");
    assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.namespace"), "myns");
    assert_string_equal(ci->ip, "10.88.0.2");
    /* State.StartedAt 2026-11-28T13:36:00.477406615Z */
    assert_int_equal(ci->start_ts, 1795872960477406615ull);
    sgc_containers_free(t);
}

static void test_podman_plain(void **state)
{
    sgc_containers *t = sgc_containers_new();
    const sgc_container_info *ci =
        parse_fixture(t, FIXTURES "podman_inspect_plain.json", "podman", PODMAN_PLAIN_ID);
    assert_string_equal(ci->name, "t2");
    assert_int_equal(ci->privileged, 0);
    assert_int_equal(ci->nmounts, 1);
    expect_mount(&ci->mounts[0], "/tmp/ctrsrc", "/srv/data", "", true, "rprivate");
    assert_int_equal(ci->nlabels, 0);
    assert_null(sgc_container_label(ci, "io.kubernetes.pod.name"));
    sgc_containers_free(t);
}

static void test_docker_k8s(void **state)
{
    sgc_containers *t = sgc_containers_new();
    const sgc_container_info *ci =
        parse_fixture(t, FIXTURES "docker_inspect_k8s.json", "docker", DOCKER_K8S_ID);
    assert_string_equal(ci->name, "k8s_nginx_web-7d4b9c6f5-x2x9z_shop_0b2a3c4d-1111-2222-3333-"
                                  "444455556666_0");
    assert_string_equal(ci->type, "docker");
    assert_string_equal(ci->image_repository, "registry.example.com:5000/team/nginx");
    assert_string_equal(ci->image_tag, "1.25.5");
    assert_string_equal(ci->image_digest,
                        "sha256:32e76d4f34f80e479964a0fbd4c5b4f6967b5322c8d004e9cf0cb81c93510766");
    assert_string_equal(ci->image_id,
                        "a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6");
    assert_int_equal(ci->privileged, 0);
    assert_int_equal(ci->nmounts, 3);
    expect_mount(&ci->mounts[0], "/var/lib/kubelet/pods/0b2a/volumes/kubernetes.io~configmap/conf",
                 "/etc/nginx/conf.d", "ro", false, "rprivate");
    expect_mount(&ci->mounts[1], "/var/run/docker.sock", "/var/run/docker.sock", "", true,
                 "rprivate");
    expect_mount(&ci->mounts[2], "/var/lib/docker/volumes/cache/_data", "/var/cache/nginx", "z",
                 true, "");
    assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.name"), "web-7d4b9c6f5-x2x9z");
    assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.namespace"), "shop");
    /* no top-level address on a user-defined network: the network's */
    assert_string_equal(ci->ip, "172.18.0.7");
    assert_int_equal(ci->start_ts, 1714564801500000000ull);
    sgc_containers_free(t);
}

static bool parse_str(sgc_containers *t, const char *json, const char *expect_id, char *err)
{
    return sgc_container_engine_parse_inspect(json, strlen(json), "docker", expect_id, t, err, 256);
}

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void test_parse_rejects(void **state)
{
    sgc_containers *t = sgc_containers_new();
    char err[256];
    assert_false(parse_str(t, "{\"Id\": ", NULL, err));
    assert_non_null(strstr(err, "bad JSON"));
    assert_false(parse_str(t, "[1, 2]", NULL, err));
    assert_false(parse_str(t, "{\"Name\": \"/x\"}", NULL, err));
    assert_non_null(strstr(err, "no \"Id\""));
    assert_false(parse_str(t, "{\"Id\": \"abc\"}", NULL, err));
    assert_false(parse_str(t, "{\"Id\": \"" ID_A "\"}", DOCKER_K8S_ID, err));
    assert_non_null(strstr(err, "asked for"));
    assert_null(sgc_containers_find(t, ID_A));
    sgc_containers_free(t);
}

static void test_parse_minimal_and_types(void **state)
{
    /* fields absent or of the wrong type stay unknown; nothing crashes */
    sgc_containers *t = sgc_containers_new();
    char err[256];
    assert_true(parse_str(t,
                          "{\"Id\": \"" ID_A "\", \"Name\": 7, \"HostConfig\": {\"Privileged\": "
                          "\"yes\"}, \"Mounts\": [1, {\"Source\": \"/s\"}], \"Config\": "
                          "{\"Labels\": {\"a\": 1, \"b\": \"2\"}, \"Image\": null}}",
                          ID_A, err));
    const sgc_container_info *ci = sgc_containers_find(t, ID_A);
    assert_null(ci->name);
    assert_null(ci->image);
    assert_null(ci->image_repository);
    assert_int_equal(ci->privileged, -1);
    assert_int_equal(ci->start_ts, 0);
    assert_int_equal(ci->nmounts, 1);
    expect_mount(&ci->mounts[0], "/s", "", "", false, "");
    assert_int_equal(ci->nlabels, 1);
    assert_string_equal(sgc_container_label(ci, "b"), "2");
    /* parsing the same id again replaces its lists rather than adding */
    assert_true(
        parse_str(t, "{\"Id\": \"" ID_A "\", \"Mounts\": [{\"Source\": \"/t\"}]}", ID_A, err));
    assert_int_equal(ci->nmounts, 1);
    assert_string_equal(ci->mounts[0].source, "/t");
    assert_int_equal(ci->nlabels, 0);
    sgc_containers_free(t);
}

static void expect_split(const char *image, const char *repo, const char *tag, const char *digest)
{
    char *r, *t, *d;
    assert_int_equal(sgc_container_image_split(image, &r, &t, &d), 0);
    assert_string_equal(r, repo);
    assert_string_equal(t, tag);
    assert_string_equal(d, digest);
    free(r);
    free(t);
    free(d);
}

static void test_image_split(void **state)
{
    expect_split("nginx", "nginx", "latest", "");
    expect_split("nginx:1.25", "nginx", "1.25", "");
    expect_split("library/nginx:1.25", "library/nginx", "1.25", "");
    expect_split("localhost/sgc-test-busybox:latest", "localhost/sgc-test-busybox", "latest", "");
    expect_split("localhost:5000/foo", "localhost:5000/foo", "latest", "");
    expect_split("localhost:5000/foo/bar:dev", "localhost:5000/foo/bar", "dev", "");
    expect_split("docker.io/library/redis@sha256:abc", "docker.io/library/redis", "latest",
                 "sha256:abc");
    expect_split("quay.io/a/b:c@sha256:d", "quay.io/a/b", "c", "sha256:d");
    expect_split("", "", "latest", "");
}

static void test_times(void **state)
{
    assert_int_equal(sgc_container_parse_time("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(sgc_container_parse_time("1970-01-01T00:00:01Z"), 1000000000ull);
    assert_int_equal(sgc_container_parse_time("2024-05-01T12:00:00Z"), 1714564800000000000ull);
    assert_int_equal(sgc_container_parse_time("2024-05-01T14:00:00.25+02:00"),
                     1714564800250000000ull);
    assert_int_equal(sgc_container_parse_time("2024-05-01T12:00:00.1234567891Z"),
                     1714564800123456789ull);
    assert_int_equal(sgc_container_parse_time("0001-01-01T00:00:00Z"), 0);
    assert_int_equal(sgc_container_parse_time("2024-05-01"), 0);
    assert_int_equal(sgc_container_parse_time("2024-05-01T12:00:00Zjunk"), 0);
    assert_int_equal(sgc_container_parse_time(NULL), 0);
}

static void test_store(void **state)
{
    sgc_containers *staging = sgc_containers_new();
    const sgc_container_info *src =
        parse_fixture(staging, FIXTURES "docker_inspect_k8s.json", "docker", DOCKER_K8S_ID);
    sgc_containers *table = sgc_containers_new();
    /* the runloop may have made an empty entry on first sight */
    sgc_containers_upsert(table, DOCKER_K8S_ID);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(sgc_container_engine_store(table, src), 0);
        const sgc_container_info *ci = sgc_containers_find(table, DOCKER_K8S_ID);
        assert_non_null(ci);
        assert_ptr_not_equal(ci, src);
        assert_string_equal(ci->image_tag, "1.25.5");
        assert_int_equal(ci->privileged, 0);
        assert_int_equal(ci->start_ts, src->start_ts);
        assert_int_equal(ci->nmounts, 3); /* replaced, not appended */
        assert_int_equal(ci->nlabels, src->nlabels);
        expect_mount(&ci->mounts[2], "/var/lib/docker/volumes/cache/_data", "/var/cache/nginx", "z",
                     true, "");
        assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.namespace"), "shop");
    }
    sgc_containers_free(staging);
    sgc_containers_free(table);
}

/* ---- the asynchronous engine against a fake runtime -------------------------- */

/* Answer like podman: the fixture for its id (chunked, with podman's
 * header), 404 for any other. */
static void fake_podman(fake_server *s, int fd, const char *request)
{
    const char *body = s->data;
    if (!strstr(request, "GET /containers/" PODMAN_PRIV_ID "/json ")) {
        const char *nf = "HTTP/1.1 404 Not Found\r\nLibpod-Api-Version: 4.3.1\r\n"
                         "Content-Length: 2\r\n\r\n{}";
        fake_write(s, fd, nf, strlen(nf));
        return;
    }
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLibpod-Api-Version: "
                     "4.3.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    fake_write(s, fd, head, (size_t)n);
    /* two chunks, as a streaming encoder would send */
    size_t len = strlen(body), half = len / 2;
    n = snprintf(head, sizeof head, "%zx\r\n", half);
    fake_write(s, fd, head, (size_t)n);
    fake_write(s, fd, body, half);
    n = snprintf(head, sizeof head, "\r\n%zx\r\n", len - half);
    fake_write(s, fd, head, (size_t)n);
    fake_write(s, fd, body + half, len - half);
    fake_write(s, fd, "\r\n0\r\n\r\n", 7);
}

typedef struct collected {
    int n;
    sgc_container_lookup status[8];
    uint32_t pid[8];
    sgc_containers *table;
} collected;

static void collect(void *ud, const sgc_container_ready *r)
{
    collected *c = ud;
    if (c->n < 8) {
        c->status[c->n] = r->status;
        c->pid[c->n] = r->pid;
    }
    c->n++;
    assert_int_equal(sgc_container_engine_store(c->table, r->info), 0);
}

/* Wait on the ready fd (as a runloop's epoll would) and collect until `want`
 * results arrived or timeout_ms passed. */
static void wait_results(sgc_container_engine *eng, collected *c, int want, int timeout_ms)
{
    int64_t end = fake_now_ms() + timeout_ms;
    while (c->n < want && fake_now_ms() < end) {
        struct pollfd p = {.fd = sgc_container_engine_ready_fd(eng), .events = POLLIN};
        if (poll(&p, 1, 50) > 0) sgc_container_engine_poll_ready(eng, collect, c);
    }
}

static void test_engine_resolves(void **state)
{
    size_t len;
    char *body = slurp(FIXTURES "podman_inspect_privileged.json", &len);
    fake_server *s = fake_server_start(fake_podman, body);
    /* the first socket is absent: the engine moves on to the next */
    const char *sockets[] = {"/nonexistent/docker.sock", s->path};
    sgc_container_engine_config cfg = {.sockets = sockets, .nsockets = 2, .timeout_ms = 2000};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    assert_non_null(eng);
    collected c = {.table = sgc_containers_new()};

    assert_true(sgc_container_engine_request(eng, PODMAN_PRIV_ID, 4242));
    assert_true(sgc_container_engine_request(eng, PODMAN_PRIV_ID, 4242)); /* deduplicated */
    wait_results(eng, &c, 1, 3000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.status[0], SGC_CONTAINER_RESOLVED);
    assert_int_equal(c.pid[0], 4242);
    const sgc_container_info *ci = sgc_containers_find(c.table, PODMAN_PRIV_ID);
    assert_non_null(ci);
    assert_string_equal(ci->name, "t1");
    assert_string_equal(ci->type, "podman");
    assert_int_equal(ci->privileged, 1);
    assert_string_equal(ci->image_repository, "localhost/sgc-test-busybox");
    assert_string_equal(sgc_container_label(ci, "io.kubernetes.pod.namespace"), "myns");

    /* asked again: nothing new; forgotten, then asked: looked up again */
    assert_true(sgc_container_engine_request(eng, PODMAN_PRIV_ID, 4242));
    fake_sleep_ms(100);
    assert_int_equal(sgc_container_engine_poll_ready(eng, collect, &c), 0);
    sgc_container_engine_forget(eng, PODMAN_PRIV_ID);
    assert_true(sgc_container_engine_request(eng, PODMAN_PRIV_ID, 4242));
    wait_results(eng, &c, 2, 3000);
    assert_int_equal(c.n, 2);

    sgc_container_engine_stats st;
    sgc_container_engine_get_stats(eng, &st);
    assert_int_equal(st.requested, 2);
    assert_int_equal(st.resolved, 2);
    assert_int_equal(st.dropped, 0);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
    fake_server_stop(s);
    free(body);
}

/* One field of process p, as a rule or an output would read it. */

static void test_engine_to_fields(void **state)
{
    /* a process whose cgroup is podman's (cgroupfs manager), the engine
     * resolving its container, the runloop storing it: the container.* and
     * k8s.* fields of the process's events read the runtime's answer */
    sgc_proctable *t = sgc_proctable_new(NULL);
    sgc_containers *table = sgc_containers_new();
    sgc_proctable_attach(t, NULL, table);
    sgc_arena a;
    sgc_arena_init(&a, 0);
    const char *cgroup = "4:memory:/libpod_parent/libpod-" PODMAN_PRIV_ID "\n0::/libpod_parent/"
                         "libpod-" PODMAN_PRIV_ID "\n";
    sgc_proc_image_spec spec = {
        .exepath = "/bin/sh", .exepath_len = 7, .cgroup = cgroup, .cgroup_len = strlen(cgroup)};
    sgc_proc *p = sgc_proctable_exec(t, 77, &spec, 10);
    assert_non_null(p);
    sgc_proc_image_spec host_spec = {
        .exepath = "/bin/true", .exepath_len = 9, .cgroup = "0::/user.slice", .cgroup_len = 14};
    assert_non_null(sgc_proctable_exec(t, 78, &host_spec, 10));
    fx_assert_str(fx_extract_field(t, p, &a, "container.id", NULL), "0b855f157caa");
    assert_int_equal(fx_extract_field(t, p, &a, "container.name", NULL).kind, SGC_VAL_NA);
    assert_int_equal(fx_extract_field(t, p, &a, "container.privileged", NULL).kind, SGC_VAL_NA);

    size_t len;
    char *body = slurp(FIXTURES "podman_inspect_privileged.json", &len);
    fake_server *s = fake_server_start(fake_podman, body);
    const char *sockets[] = {s->path};
    sgc_container_engine_config cfg = {.sockets = sockets, .nsockets = 1};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    collected c = {.table = table};
    /* start-up: every process's container is seen once; the host is not one */
    assert_int_equal(sgc_container_engine_see_all(eng, table, t), 1);
    assert_false(sgc_container_engine_see(eng, table, sgc_proc_container_id(p), p->pid));
    assert_false(sgc_container_engine_see(eng, table, "host", 78));
    wait_results(eng, &c, 1, 3000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.pid[0], 77);

    fx_assert_str(fx_extract_field(t, p, &a, "container.name", NULL), "t1");
    fx_assert_str(fx_extract_field(t, p, &a, "container.type", NULL), "podman");
    fx_assert_str(fx_extract_field(t, p, &a, "container.image.repository", NULL),
                  "localhost/sgc-test-busybox");
    fx_assert_str(fx_extract_field(t, p, &a, "container.image.tag", NULL), "latest");
    sgc_val priv = fx_extract_field(t, p, &a, "container.privileged", NULL);
    assert_int_equal(priv.kind, SGC_VAL_BOOL);
    assert_true(priv.b);
    fx_assert_str(fx_extract_field(t, p, &a, "container.mounts", NULL),
                  "/tmp/ctrsrc:/data::false:rprivate");
    fx_assert_str(fx_extract_field(t, p, &a, "container.mount.dest", "/tmp/ctrsrc"), "/data");
    fx_assert_str(fx_extract_field(t, p, &a, "container.ip", NULL), "10.88.0.2");
    fx_assert_str(fx_extract_field(t, p, &a, "k8s.pod.name", NULL), "mypod");
    fx_assert_str(fx_extract_field(t, p, &a, "k8s.ns.name", NULL), "myns");
    /* container.label[KEY] and container.labels: Config.Labels as the runtime gave them */
    fx_assert_str(fx_extract_field(t, p, &a, "container.label", "io.kubernetes.pod.namespace"),
                  "myns");
    assert_int_equal(fx_extract_field(t, p, &a, "container.label", "no.such.label").kind,
                     SGC_VAL_NA);
    fx_assert_str(fx_extract_field(t, p, &a, "container.labels", NULL),
                  "io.kubernetes.pod.name:mypod, io.kubernetes.pod.namespace:myns");

    sgc_container_engine_free(eng);
    fake_server_stop(s);
    free(body);
    sgc_arena_free(&a);
    sgc_proctable_free(t);
    sgc_containers_free(table);
}

static void test_engine_sockets_from_env(void **state)
{
    size_t len;
    char *body = slurp(FIXTURES "podman_inspect_privileged.json", &len);
    fake_server *s = fake_server_start(fake_podman, body);
    char env[300];
    snprintf(env, sizeof env, "/nonexistent/x.sock::%s", s->path);
    setenv("SGC_CONTAINER_SOCKETS", env, 1);
    sgc_container_engine *eng = sgc_container_engine_new(NULL);
    unsetenv("SGC_CONTAINER_SOCKETS");
    collected c = {.table = sgc_containers_new()};
    assert_true(sgc_container_engine_request(eng, PODMAN_PRIV_ID, 7));
    wait_results(eng, &c, 1, 3000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.status[0], SGC_CONTAINER_RESOLVED);
    assert_int_equal(c.pid[0], 7);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
    fake_server_stop(s);
    free(body);
}

static void test_blocking_lookup(void **state)
{
    size_t len;
    char *body = slurp(FIXTURES "podman_inspect_privileged.json", &len);
    fake_server *s = fake_server_start(fake_podman, body);
    const char *sockets[] = {"/nonexistent/docker.sock", s->path};
    sgc_containers *t = sgc_containers_new();
    char err[256];
    assert_int_equal(
        sgc_container_engine_lookup(sockets, 2, PODMAN_PRIV_ID, 2000, 1 << 20, t, err, sizeof err),
        SGC_CONTAINER_RESOLVED);
    assert_string_equal(sgc_containers_find(t, PODMAN_PRIV_ID)->name, "t1");
    assert_int_equal(
        sgc_container_engine_lookup(sockets, 2, ID_A, 2000, 1 << 20, t, err, sizeof err),
        SGC_CONTAINER_NOT_FOUND);
    assert_non_null(strstr(err, "HTTP 404"));
    assert_int_equal(
        sgc_container_engine_lookup(sockets, 1, ID_A, 2000, 1 << 20, t, err, sizeof err),
        SGC_CONTAINER_UNREACHABLE);
    assert_non_null(strstr(err, "cannot connect"));
    /* a body over the bound is refused, not truncated */
    assert_int_equal(
        sgc_container_engine_lookup(sockets + 1, 1, PODMAN_PRIV_ID, 2000, 1000, t, err, sizeof err),
        SGC_CONTAINER_NOT_FOUND);
    assert_non_null(strstr(err, "too large"));
    sgc_containers_free(t);
    fake_server_stop(s);
    free(body);
}

static void test_engine_not_found_and_bad_ids(void **state)
{
    fake_server *s = fake_server_start(fake_podman, "{}");
    const char *sockets[] = {s->path};
    sgc_container_engine_config cfg = {
        .sockets = sockets, .nsockets = 1, .max_tries = 2, .retry_ms = 20};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    collected c = {.table = sgc_containers_new()};
    assert_false(sgc_container_engine_request(eng, "host", 4242));
    assert_false(sgc_container_engine_request(
        eng, "0B855F157CAA3532D1452E4A0666AFD999DC5F955D523B85CC5C2AD9A02602BE", 4242));
    assert_true(sgc_container_engine_request(eng, ID_A, 4242));
    wait_results(eng, &c, 1, 3000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.status[0], SGC_CONTAINER_NOT_FOUND);
    const sgc_container_info *ci = sgc_containers_find(c.table, ID_A);
    assert_non_null(ci);
    assert_null(ci->name);
    assert_int_equal(ci->privileged, -1);
    assert_int_equal(atomic_load(&s->served), 2); /* tried twice */
    sgc_container_engine_stats st;
    sgc_container_engine_get_stats(eng, &st);
    assert_int_equal(st.dropped, 2);
    assert_int_equal(st.not_found, 1);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
    fake_server_stop(s);
}

/* A container whose creation was seen: its 404 is final, asked once, and
 * delivered without the retry wait. */
static void test_engine_created_not_found_is_final(void **state)
{
    fake_server *s = fake_server_start(fake_podman, "{}");
    const char *sockets[] = {s->path};
    sgc_container_engine_config cfg = {
        .sockets = sockets, .nsockets = 1, .max_tries = 3, .retry_ms = 2000};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    collected c = {.table = sgc_containers_new()};
    int64_t t0 = fake_now_ms();
    assert_true(sgc_container_engine_request_created(eng, ID_A, 4242));
    wait_results(eng, &c, 1, 5000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.status[0], SGC_CONTAINER_NOT_FOUND);
    assert_true(fake_now_ms() - t0 < 1500); /* the first retry would wait 2 s */
    assert_int_equal(atomic_load(&s->served), 1);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
    fake_server_stop(s);
}

static void test_engine_unreachable_costs_nothing(void **state)
{
    const char *sockets[] = {"/nonexistent/a.sock", "/nonexistent/b.sock"};
    sgc_container_engine_config cfg = {
        .sockets = sockets, .nsockets = 2, .max_tries = 3, .retry_ms = 10};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    collected c = {.table = sgc_containers_new()};
    int64_t t0 = fake_now_ms();
    assert_true(sgc_container_engine_request(eng, ID_A, 4242));
    assert_true(fake_now_ms() - t0 < 50);
    wait_results(eng, &c, 1, 3000);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.status[0], SGC_CONTAINER_UNREACHABLE);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
}

static void test_engine_hung_runtime(void **state)
{
    /* a runtime that accepts and never answers: requests still return at
     * once, the lookup gives up after the timeout, freeing does not hang */
    fake_server *s = fake_server_start(fake_reply_hang, NULL);
    const char *sockets[] = {s->path};
    sgc_container_engine_config cfg = {
        .sockets = sockets, .nsockets = 1, .timeout_ms = 150, .max_tries = 1};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    collected c = {.table = sgc_containers_new()};
    int64_t t0 = fake_now_ms();
    for (int i = 0; i < 100; i++) {
        char id[65];
        snprintf(id, sizeof id, "%064x", i + 1);
        assert_true(sgc_container_engine_request(eng, id, 4242));
    }
    assert_true(fake_now_ms() - t0 < 50);
    wait_results(eng, &c, 100, 5000);
    assert_int_equal(c.n, 100);
    /* one timeout, then the hung socket is skipped: far less than 100 x 150 ms */
    assert_true(fake_now_ms() - t0 < 2000);
    for (int i = 0; i < 8; i++) assert_int_equal(c.status[i], SGC_CONTAINER_UNREACHABLE);
    sgc_container_engine_free(eng);
    sgc_containers_free(c.table);
    fake_server_stop(s);
}

static void test_engine_queue_bound(void **state)
{
    fake_server *s = fake_server_start(fake_reply_hang, NULL);
    const char *sockets[] = {s->path};
    sgc_container_engine_config cfg = {
        .sockets = sockets, .nsockets = 1, .timeout_ms = 300, .max_queued = 4, .max_tries = 1};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    int accepted = 0;
    for (int i = 0; i < 20; i++) {
        char id[65];
        snprintf(id, sizeof id, "%064x", i + 1);
        accepted += sgc_container_engine_request(eng, id, 4242);
    }
    /* 4 queued (+1 the worker may already have taken) */
    assert_true(accepted >= 4 && accepted <= 5);
    sgc_container_engine_stats st;
    sgc_container_engine_get_stats(eng, &st);
    assert_int_equal(st.dropped, (uint64_t)(20 - accepted));
    /* freeing with work queued and results unpolled leaks nothing */
    sgc_container_engine_free(eng);
    fake_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_podman_privileged),
        cmocka_unit_test(test_podman_plain),
        cmocka_unit_test(test_docker_k8s),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_minimal_and_types),
        cmocka_unit_test(test_image_split),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_engine_resolves),
        cmocka_unit_test(test_engine_to_fields),
        cmocka_unit_test(test_blocking_lookup),
        cmocka_unit_test(test_engine_sockets_from_env),
        cmocka_unit_test(test_engine_not_found_and_bad_ids),
        cmocka_unit_test(test_engine_created_not_found_is_final),
        cmocka_unit_test(test_engine_unreachable_costs_nothing),
        cmocka_unit_test(test_engine_hung_runtime),
        cmocka_unit_test(test_engine_queue_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
