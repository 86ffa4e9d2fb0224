/* `sgc run` and `sgc replay` print the same alerts: kernel records through
 * the live pipeline, and the same records recorded to an event file and
 * replayed, give byte-identical output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "eventfile.h"
#include "frontend.h"
#include "pipeline.h"

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *rules =
    "- rule: Shadow read\n"
    "  desc: t\n"
    "  condition: evt.type = openat and fd.name = /etc/shadow and proc.pname = bash\n"
    "  output: \"read %fd.name by %proc.cmdline (user=%user.uid exe=%proc.exepath "
    "gp=%proc.aname[2] flags=%evt.arg.flags res=%evt.res)\"\n"
    "  priority: WARNING\n"
    "  tags: [t]\n"
    "- rule: Curl\n"
    "  desc: t\n"
    "  condition: evt.type = execve and proc.name = curl\n"
    "  output: \"curl %proc.args cwd=%proc.cwd parent=%proc.pname\"\n"
    "  priority: NOTICE\n";

static size_t build_records(uint8_t recs[][1024], sgc_evt *evs)
{
    sgc_record_builder b;
    size_t n = 0;
    /* bash (300) forks 301, which execs curl, then 300 forks 302 -> cat reads shadow */
    sgc_record_begin(&b, recs[n], 1024, SGC_REC_PROC_EXEC, __NR_execve, 0);
    b.hdr->pid = b.hdr->tid = 300;
    b.hdr->ppid = 1;
    b.hdr->ts_ns = 1000;
    strcpy(b.hdr->comm, "bash");
    sgc_record_add_str(&b, SGC_BLOB_EXE, "/usr/bin/bash");
    sgc_record_add_blob(&b, SGC_BLOB_ARGV, "bash\0-i", 8, 0);
    sgc_record_add_str(&b, SGC_BLOB_CWD, "/home/a");
    sgc_record_finish(&b);
    n++;
    for (uint32_t child = 301; child <= 302; child++) {
        sgc_record_begin(&b, recs[n], 1024, SGC_REC_PROC_FORK, __NR_clone, 0);
        b.hdr->pid = b.hdr->tid = 300;
        b.hdr->ppid = 1;
        b.hdr->ts_ns = 2000 + child;
        b.hdr->args[0] = child;
        strcpy(b.hdr->comm, "bash");
        sgc_record_finish(&b);
        n++;
        sgc_record_begin(&b, recs[n], 1024, SGC_REC_PROC_EXEC, __NR_execve, 0);
        b.hdr->pid = b.hdr->tid = child;
        b.hdr->ppid = 300;
        b.hdr->ts_ns = 3000 + child;
        b.hdr->euid = child == 302 ? 0 : 1000;
        strcpy(b.hdr->comm, child == 301 ? "curl" : "cat");
        sgc_record_add_str(&b, SGC_BLOB_EXE, child == 301 ? "/usr/bin/curl" : "/usr/bin/cat");
        if (child == 301)
            sgc_record_add_blob(&b, SGC_BLOB_ARGV, "curl\0-s\0x.io", 13, 0);
        else
            sgc_record_add_blob(&b, SGC_BLOB_ARGV, "cat\0/etc/shadow", 16, 0);
        sgc_record_add_str(&b, SGC_BLOB_CWD, "/home/a");
        sgc_record_finish(&b);
        n++;
    }
    sgc_record_begin(&b, recs[n], 1024, SGC_REC_SYSCALL, __NR_openat, 0);
    b.hdr->pid = b.hdr->tid = 302;
    b.hdr->ppid = 300;
    b.hdr->ts_ns = 5000;
    b.hdr->ret = 3;
    b.hdr->args[0] = (uint64_t)(int64_t)-100;
    b.hdr->args[2] = O_RDONLY | O_CLOEXEC;
    strcpy(b.hdr->comm, "cat");
    sgc_record_add_str(&b, SGC_BLOB_ARG0 + 1, "/etc/shadow");
    sgc_record_finish(&b);
    n++;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sgc_decode(recs[i], 1024, &evs[i]), SGC_DECODE_OK);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void run_both(bool json)
{
    char rpath[] = "/tmp/sgc_pipe_rules_XXXXXX", a[] = "/tmp/sgc_pipe_a_XXXXXX",
         b[] = "/tmp/sgc_pipe_b_XXXXXX";
    int fd = mkstemp(rpath);
    assert_int_equal(write(fd, rules, strlen(rules)), (ssize_t)strlen(rules));
    close(fd);
    close(mkstemp(a));
    close(mkstemp(b));
    sgc_frontend fe = {0};
    sgc_frontend_opts fo = {0};
    const char *files[] = {rpath};
    assert_int_equal(sgc_frontend_run(&fe, files, 1, &fo), 0);

    static uint8_t recs[16][1024] __attribute__((aligned(8)));
    sgc_evt evs[16];
    size_t n = build_records(recs, evs);
    const int64_t boot_to_wall = 1714564800000000000ll;
    char err[256];

    /* live */
    sgc_pipeline_opts po;
    sgc_pipeline_default_opts(&po);
    po.procfs_fallback = false;
    po.user_sources = 0;
    po.boot_to_wall_ns = boot_to_wall;
    po.out.json = json;
    po.out.to_stdout = false;
    po.out.file = a;
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_pipeline *live = sgc_pipeline_new(fe.rs, &po, &d, err, sizeof err);
    assert_non_null(live);
    assert_int_equal(sgc_pipeline_set_hostname(live, "h", err, sizeof err), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    sgc_eventfile_writer *w = sgc_eventfile_writer_open(mem, "h", boot_to_wall);
    int matches = 0;
    for (size_t i = 0; i < n; i++) {
        matches += sgc_pipeline_record(live, &evs[i]);
        sgc_eventfile_write_event(w, &evs[i]);
    }
    assert_int_equal(matches, 2);
    sgc_eventfile_writer_close(w);
    fclose(mem);
    sgc_pipeline_free(live);

    /* replay of the recording */
    po.boot_to_wall_ns = 0;
    po.out.file = b;
    sgc_pipeline *rp = sgc_pipeline_new(fe.rs, &po, &d, err, sizeof err);
    assert_non_null(rp);
    sgc_eventfile_env env = {sgc_pipeline_proctable(rp), sgc_pipeline_users(rp),
                             sgc_pipeline_containers(rp)};
    sgc_eventfile *f = sgc_eventfile_open_buffer("rec", text, len, &env, stderr);
    sgc_replay_event e;
    bool first = true;
    while (sgc_eventfile_next(f, &e) == 1) {
        if (first) {
            assert_int_equal(
                sgc_pipeline_set_hostname(rp, sgc_eventfile_hostname(f), err, sizeof err), 0);
            first = false;
        }
        sgc_pipeline_eval(rp, &e.ev, e.proc);
    }
    assert_int_equal(sgc_eventfile_errors(f), 0);
    sgc_eventfile_close(f);
    sgc_pipeline_free(rp);

    char *la = slurp(a), *lb = slurp(b);
    assert_non_null(strstr(la,
                           "read /etc/shadow by cat /etc/shadow (user=0 exe=/usr/bin/cat gp=<NA> "
                           "flags=O_RDONLY|O_CLOEXEC res=SUCCESS)"));
    assert_non_null(strstr(la, "curl -s x.io cwd=/home/a/ parent=bash"));
    assert_string_equal(la, lb);
    free(la);
    free(lb);
    free(text);
    sgc_diags_free(&d);
    sgc_frontend_free(&fe);
    unlink(rpath);
    unlink(a);
    unlink(b);
}

static void test_text_identical(void **state)
{
    setenv("TZ", "UTC", 1);
    run_both(false);
}

static void test_json_identical(void **state) { run_both(true); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_identical),
        cmocka_unit_test(test_json_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
