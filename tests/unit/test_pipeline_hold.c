/* The live pipeline with a container engine attached: a new container's
 * events wait for its metadata (bounded in time and count) and are then
 * evaluated in order, after the `container` event, each with its process as
 * it was; host events never wait; an unreachable runtime delays nothing past
 * the bound; containers whose processes are all gone are forgotten (table
 * entry and engine cache), so a restart is looked up again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "container_engine.h"
#include "eventfile.h"
#include "fake_http_server.h"
#include "frontend.h"
#include "pipeline.h"

#include <asm/unistd_64.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURES SGC_SRC_DIR "/tests/containers/fixtures/"
#define PRIV_ID  "0b855f157caa3532d1452e4a0666afd999dc5f955d523b85cc5c2ad9a02602be"
#define OTHER_ID "c84a193db66e210817b90c6e628d221cf7eb9486eb06dac35d0d26f56966c233"

static const char *rules =
    "- rule: Launch priv\n"
    "  desc: t\n"
    "  condition: evt.type = execve and proc.vpid = 1 and container.privileged = true\n"
    "  output: \"priv %container.name %proc.cmdline "
    "ns=%container.label[io.kubernetes.pod.namespace] "
    "pod=%container.label.io.kubernetes.pod.name\"\n"
    "  priority: WARNING\n"
    "- rule: Ctr event\n"
    "  desc: t\n"
    "  condition: evt.type = container\n"
    "  output: \"started %container.id %container.name\"\n"
    "  priority: NOTICE\n"
    "- rule: Any exec\n"
    "  desc: t\n"
    "  condition: evt.type = execve\n"
    "  output: \"exec %container.id %proc.cmdline priv=%container.privileged\"\n"
    "  priority: NOTICE\n";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Answer like podman for PRIV_ID, 404 for the rest. */
static void fake_podman(fake_server *s, int fd, const char *request)
{
    const char *body = s->data;
    char head[256];
    if (!strstr(request, "GET /containers/" PRIV_ID "/json ")) {
        const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}";
        fake_write(s, fd, nf, strlen(nf));
        return;
    }
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nLibpod-Api-Version: 4.3.1\r\nContent-Length: %zu\r\n\r\n",
                     strlen(body));
    fake_write(s, fd, head, (size_t)n);
    fake_write(s, fd, body, strlen(body));
}

typedef struct fixture {
    char rpath[64], out[64];
    sgc_frontend fe;
    sgc_pipeline *pl;
    sgc_container_engine *eng;
    fake_server *srv;
    char *body;
    uint64_t ts;
} fixture;

static void fx_open(fixture *f, const char *socket, const sgc_pipeline_opts *extra)
{
    memset(f, 0, sizeof *f);
    strcpy(f->rpath, "/tmp/sgc_hold_rules_XXXXXX");
    strcpy(f->out, "/tmp/sgc_hold_out_XXXXXX");
    int fd = mkstemp(f->rpath);
    assert_int_equal(write(fd, rules, strlen(rules)), (ssize_t)strlen(rules));
    close(fd);
    close(mkstemp(f->out));
    sgc_frontend_opts fo = {0};
    const char *files[] = {f->rpath};
    assert_int_equal(sgc_frontend_run(&f->fe, files, 1, &fo), 0);
    sgc_pipeline_opts po;
    sgc_pipeline_default_opts(&po);
    if (extra) {
        po.hold_max_events = extra->hold_max_events;
        po.hold_max_wait_ns = extra->hold_max_wait_ns;
        po.container_gone_ns = extra->container_gone_ns;
    }
    po.procfs_fallback = false;
    po.resolve_rule_names = false;
    po.user_sources = 0;
    po.engine.mode = SGC_MATCH_ALL;
    po.out.to_stdout = false;
    po.out.file = f->out;
    char err[256];
    sgc_diags d;
    sgc_diags_init(&d);
    f->pl = sgc_pipeline_new(f->fe.rs, &po, &d, err, sizeof err);
    sgc_diags_free(&d);
    assert_non_null(f->pl);
    assert_int_equal(sgc_pipeline_set_hostname(f->pl, "h", err, sizeof err), 0);
    if (!socket) {
        f->body = slurp(FIXTURES "podman_inspect_privileged.json");
        f->srv = fake_server_start(fake_podman, f->body);
        socket = f->srv->path;
    }
    const char *sockets[] = {socket};
    sgc_container_engine_config cfg = {.sockets = sockets, .nsockets = 1, .timeout_ms = 2000};
    f->eng = sgc_container_engine_new(&cfg);
    assert_non_null(f->eng);
    sgc_pipeline_attach_engine(f->pl, f->eng);
    f->ts = 1000;
}

static void fx_close(fixture *f)
{
    sgc_container_engine_free(f->eng);
    sgc_pipeline_free(f->pl);
    sgc_frontend_free(&f->fe);
    if (f->srv) fake_server_stop(f->srv);
    free(f->body);
    unlink(f->rpath);
    unlink(f->out);
}

/* An exec record of pid (vpid) in container cid ("" for the host): returns
 * the pipeline's match count. */
static int exec_in(fixture *f, uint32_t pid, uint32_t vpid, const char *cid, const char *argv,
                   size_t argv_len)
{
    static _Alignas(8) uint8_t buf[1024];
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_EXEC, __NR_execve, 0);
    b.hdr->pid = b.hdr->tid = pid;
    b.hdr->vpid = vpid;
    b.hdr->ppid = 1;
    b.hdr->ts_ns = f->ts++;
    strcpy(b.hdr->comm, argv);
    sgc_record_add_str(&b, SGC_BLOB_EXE, "/bin/busybox");
    sgc_record_add_blob(&b, SGC_BLOB_ARGV, argv, argv_len, 0);
    char cg[160];
    if (*cid)
        snprintf(cg, sizeof cg, "0::/machine.slice/libpod-%s.scope", cid);
    else
        snprintf(cg, sizeof cg, "0::/user.slice/user-0.slice");
    sgc_record_add_str(&b, SGC_BLOB_CGROUP, cg);
    assert_true(sgc_record_finish(&b));
    sgc_evt ev;
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    ev.evtnum = f->ts;
    return sgc_pipeline_record(f->pl, &ev);
}

static void exit_of(fixture *f, uint32_t pid)
{
    static _Alignas(8) uint8_t buf[256];
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_PROC_EXIT, 0, 0);
    b.hdr->pid = b.hdr->tid = pid;
    b.hdr->ts_ns = f->ts++;
    assert_true(sgc_record_finish(&b));
    sgc_evt ev;
    assert_int_equal(sgc_decode(buf, sizeof buf, &ev), SGC_DECODE_OK);
    ev.evtnum = f->ts;
    sgc_pipeline_record(f->pl, &ev);
}

/* Poll the engine (as sgc run's tick does) until cond or timeout. */
static void poll_until(fixture *f, unsigned long long container_events, int timeout_ms)
{
    int64_t end = fake_now_ms() + timeout_ms;
    sgc_pipeline_stats st;
    do {
        sgc_pipeline_poll_containers(f->pl);
        sgc_pipeline_get_stats(f->pl, &st);
        if (st.container_events >= container_events) return;
        fake_sleep_ms(10);
    } while (fake_now_ms() < end);
}

static char *output(fixture *f)
{
    sgc_pipeline_free(f->pl); /* flush the output */
    f->pl = NULL;
    return slurp(f->out);
}

static void test_held_until_metadata(void **state)
{
    fixture f;
    fx_open(&f, NULL, NULL);
    /* the container's first exec (vpid 1): held, nothing evaluated yet */
    assert_int_equal(exec_in(&f, 500, 1, PRIV_ID, "sh\0-c\0first", 12), 0);
    assert_int_equal(sgc_pipeline_held(f.pl), 1);
    /* a host exec meanwhile is not held */
    assert_int_equal(exec_in(&f, 600, 600, "", "true", 5), 1);
    /* the same process execs again before the answer: held too, in order,
     * and the first keeps its own command line */
    assert_int_equal(exec_in(&f, 500, 1, PRIV_ID,
                             "sleep\0"
                             "30",
                             9),
                     0);
    assert_int_equal(sgc_pipeline_held(f.pl), 2);
    poll_until(&f, 1, 3000);
    assert_int_equal(sgc_pipeline_held(f.pl), 0);
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.container_events, 1);
    assert_int_equal(st.held, 2);
    assert_int_equal(st.released, 2);
    assert_int_equal(st.expired, 0);
    /* later events of the resolved container go straight through */
    assert_int_equal(exec_in(&f, 501, 2, PRIV_ID, "id", 3), 1);
    char *text = output(&f);
    const char *host = strstr(text, "exec host true");
    const char *started = strstr(text, "started 0b855f157caa t1");
    const char *p1 = strstr(text, "priv t1 sh -c first ns=myns pod=mypod");
    const char *e1 = strstr(text, "exec 0b855f157caa sh -c first priv=true");
    const char *p2 = strstr(text, "priv t1 sleep 30 ns=myns pod=mypod");
    const char *e3 = strstr(text, "exec 0b855f157caa id priv=true");
    assert_non_null(host);
    assert_non_null(started);
    assert_non_null(p1);
    assert_non_null(e1);
    assert_non_null(p2);
    assert_non_null(e3);
    assert_true(host < started && started < p1 && p1 < p2 && p2 < e3);
    free(text);
    fx_close(&f);
}

static void test_unreachable_expires(void **state)
{
    fixture f;
    sgc_pipeline_opts o = {.hold_max_wait_ns = 50000000ull};
    fx_open(&f, "/nonexistent/sgc-test.sock", &o);
    uint64_t t0 = sgc_pipeline_now_ns();
    assert_int_equal(exec_in(&f, 500, 1, PRIV_ID, "sh", 3), 0);
    sgc_pipeline_tick(f.pl, t0 + 10000000ull); /* not yet */
    assert_int_equal(sgc_pipeline_held(f.pl), 1);
    sgc_pipeline_tick(f.pl, sgc_pipeline_now_ns() + 60000000ull);
    assert_int_equal(sgc_pipeline_held(f.pl), 0);
    /* past the bound, the container's events are no longer held */
    assert_int_equal(exec_in(&f, 501, 2, PRIV_ID, "id", 3), 1);
    /* the lookup fails after its retries: the `container` event still comes */
    poll_until(&f, 1, 3000);
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.held, 1);
    assert_int_equal(st.expired, 1);
    assert_int_equal(st.released, 0);
    assert_int_equal(st.container_events, 1);
    char *text = output(&f);
    assert_non_null(strstr(text, "exec 0b855f157caa sh priv=<NA>"));
    assert_null(strstr(text, "priv t1"));
    assert_non_null(strstr(text, "started 0b855f157caa <NA>"));
    free(text);
    fx_close(&f);
}

static void test_count_bound(void **state)
{
    fixture f;
    sgc_pipeline_opts o = {.hold_max_events = 2};
    fx_open(&f, "/nonexistent/sgc-test.sock", &o);
    assert_int_equal(exec_in(&f, 500, 1, PRIV_ID, "a", 2), 0);
    assert_int_equal(exec_in(&f, 501, 2, PRIV_ID, "b", 2), 0);
    assert_int_equal(sgc_pipeline_held(f.pl), 2);
    /* a second container's first exec: the oldest holder is evaluated to
     * make room */
    assert_int_equal(exec_in(&f, 700, 1, OTHER_ID, "c", 2), 0);
    assert_int_equal(sgc_pipeline_held(f.pl), 1);
    /* the first container no longer holds */
    assert_int_equal(exec_in(&f, 502, 3, PRIV_ID, "d", 2), 1);
    sgc_pipeline_finish_containers(f.pl);
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.held, 3);
    assert_int_equal(st.expired, 3);
    assert_int_equal(sgc_pipeline_held(f.pl), 0);
    char *text = output(&f);
    const char *a = strstr(text, "exec 0b855f157caa a "), *b = strstr(text, "exec 0b855f157caa b "),
               *c = strstr(text, "exec c84a193db66e c "), *d = strstr(text, "exec 0b855f157caa d ");
    assert_true(a && b && c && d && a < b && b < d && d < c);
    free(text);
    fx_close(&f);
}

static void test_exited_container_forgotten(void **state)
{
    fixture f;
    sgc_pipeline_opts o = {.container_gone_ns = 2000000000ull};
    fx_open(&f, NULL, &o);
    assert_int_equal(exec_in(&f, 500, 1, PRIV_ID, "sh", 3), 0);
    poll_until(&f, 1, 3000);
    sgc_containers *table = sgc_pipeline_containers(f.pl);
    assert_non_null(sgc_containers_find(table, PRIV_ID));
    uint64_t t = sgc_pipeline_now_ns();
    sgc_pipeline_tick(f.pl, t); /* alive */
    exit_of(&f, 500);
    sgc_pipeline_tick(f.pl, t + 1500000000ull); /* gone 1.5 s: kept */
    assert_non_null(sgc_containers_find(table, PRIV_ID));
    sgc_pipeline_tick(f.pl, t + 3000000000ull); /* gone 3 s: forgotten */
    assert_null(sgc_containers_find(table, PRIV_ID));
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.containers_forgotten, 1);
    /* restarted with the same id: looked up again, a new `container` event */
    assert_int_equal(exec_in(&f, 800, 1, PRIV_ID, "sh", 3), 0);
    poll_until(&f, 2, 3000);
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.container_events, 2);
    sgc_container_engine_stats es;
    sgc_container_engine_get_stats(f.eng, &es);
    assert_int_equal(es.requested, 2);
    assert_non_null(sgc_containers_find(table, PRIV_ID));
    fx_close(&f);
}

/* Replay emits the `container` event live would, before the container's
 * first event, once per container, with the file's metadata. */
static void test_replay_container_event(void **state)
{
    fixture f;
    fx_open(&f, "/nonexistent/sgc-test.sock", NULL);
    static const char file[] =
        "{\"sgc_events\": 2, \"hostname\": \"h\"}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 10, \"exepath\": \"/bin/true\"}}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 20, \"vpid\": 1, \"exepath\": \"/bin/sh\", "
        "\"container_id\": \"" PRIV_ID
        "\", \"container\": {\"name\": \"t1\", \"privileged\": true, "
        "\"labels\": {\"team\": \"red\"}}}}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 21, \"vpid\": 2, \"exepath\": \"/bin/id\", "
        "\"container_id\": \"" PRIV_ID "\"}}\n";
    sgc_eventfile_env env = {sgc_pipeline_proctable(f.pl), NULL, sgc_pipeline_containers(f.pl)};
    sgc_eventfile *ef = sgc_eventfile_open_buffer("t", file, sizeof file - 1, &env, stderr);
    assert_non_null(ef);
    sgc_replay_event e;
    while (sgc_eventfile_next(ef, &e) == 1) sgc_pipeline_replay_eval(f.pl, &e.ev, e.proc);
    assert_int_equal(sgc_eventfile_errors(ef), 0);
    sgc_eventfile_close(ef);
    sgc_pipeline_stats st;
    sgc_pipeline_get_stats(f.pl, &st);
    assert_int_equal(st.container_events, 1);
    char *text = output(&f);
    const char *host = strstr(text, "exec host true");
    const char *started = strstr(text, "started 0b855f157caa t1");
    const char *priv = strstr(text, "priv t1 sh ");
    const char *id = strstr(text, "exec 0b855f157caa id priv=true");
    assert_true(host && started && priv && id && host < started && started < priv && priv < id);
    assert_null(strstr(started + 1, "started "));
    free(text);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_until_metadata),
        cmocka_unit_test(test_unreachable_expires),
        cmocka_unit_test(test_count_bound),
        cmocka_unit_test(test_exited_container_forgotten),
        cmocka_unit_test(test_replay_container_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
