/* Event files: header, inline process context, kinds, arguments, and
 * malformed lines reported with their line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "dnsnames.h"
#include "eventfile.h"
#include "extract.h"

#include <asm/unistd_64.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    sgc_proctable *pt;
    sgc_usercache *uc;
    sgc_containers *cs;
    char *errbuf;
    size_t errlen;
    FILE *errs;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->pt = sgc_proctable_new(NULL);
    fx->uc = sgc_usercache_new(0);
    fx->cs = sgc_containers_new();
    sgc_proctable_attach(fx->pt, fx->uc, fx->cs);
    fx->errs = open_memstream(&fx->errbuf, &fx->errlen);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    fclose(fx->errs);
    free(fx->errbuf);
    sgc_containers_free(fx->cs);
    sgc_usercache_free(fx->uc);
    sgc_proctable_free(fx->pt);
    free(fx);
    return 0;
}

static sgc_eventfile *open_text(fixture *fx, const char *text)
{
    sgc_eventfile_env env = {fx->pt, fx->uc, fx->cs};
    return sgc_eventfile_open_buffer("t.jsonl", text, strlen(text), &env, fx->errs);
}

static const char *blob_str(const sgc_evt *ev, unsigned tag)
{
    const sgc_blob *b = sgc_evt_blob(ev, tag);
    return b ? (const char *)b->p : NULL;
}

static void test_syscall_with_inline_context(void **state)
{
    fixture *fx = *state;
    const char *text =
        "{\"sgc_events\": 1, \"hostname\": \"web-1\"}\n"
        "\n"
        "# comments and blank lines are skipped\n"
        "{\"ts\": \"2024-05-01T12:00:00.5Z\", \"type\": \"openat\", \"res\": \"ENOENT\", "
        "\"args\": {\"dirfd\": \"AT_FDCWD\", \"name\": \"/etc/shadow\", \"flags\": "
        "\"O_RDONLY|O_CLOEXEC\", \"mode\": \"0640\"}, "
        "\"proc\": {\"pid\": 300, \"cmdline\": \"cat /etc/shadow -n\", \"exepath\": "
        "\"/usr/bin/cat\", "
        "\"uid\": 1000, \"loginuid\": 1000, \"cap_effective\": \"CAP_CHOWN CAP_SYS_ADMIN\", "
        "\"env\": {\"HOME\": \"/home/a\"}, "
        "\"parent\": {\"pid\": 200, \"name\": \"bash\", \"parent\": {\"pid\": 100, \"name\": "
        "\"sshd\"}}}, "
        "\"user\": {\"name\": \"alice\", \"loginname\": \"alice\"}, \"expect\": [\"R1\", "
        "\"R2\"]}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(sgc_eventfile_hostname(f), "web-1");
    assert_int_equal(e.line, 4);
    const struct sgc_event_hdr *h = e.ev.hdr;
    assert_int_equal(h->kind, SGC_REC_SYSCALL);
    assert_int_equal(h->nr, __NR_openat);
    assert_int_equal(h->ts_ns, 1714564800500000000ull);
    assert_int_equal(h->ret, -2);
    assert_int_equal((int32_t)h->args[0], -100);
    assert_int_equal(h->args[2], O_RDONLY | O_CLOEXEC);
    assert_int_equal(h->args[3], 0640);
    assert_string_equal(blob_str(&e.ev, SGC_BLOB_ARG0 + 1), "/etc/shadow");
    assert_int_equal(h->pid, 300);
    assert_int_equal(h->euid, 1000);
    assert_int_equal(h->cap_effective, (1ull << 21) | 1);
    assert_non_null(e.proc);
    assert_string_equal(e.proc->comm, "cat");
    assert_string_equal(e.proc->img->exe, "/usr/bin/cat");
    assert_int_equal(e.proc->img->nargs, 2);
    assert_string_equal(sgc_proctable_ancestor(fx->pt, e.proc, 1)->comm, "bash");
    assert_string_equal(sgc_proctable_ancestor(fx->pt, e.proc, 2)->comm, "sshd");
    size_t n;
    assert_string_equal(sgc_proc_image_getenv(e.proc->img, "HOME", 4, &n), "/home/a");
    assert_string_equal(sgc_usercache_user(fx->uc, "host", 300, 1000)->name, "alice");
    assert_true(e.has_expect);
    assert_int_equal(e.nexpect, 2);
    assert_string_equal(e.expect[1], "R2");
    assert_int_equal(sgc_eventfile_next(f, &e), 0);
    assert_int_equal(sgc_eventfile_errors(f), 0);
    sgc_eventfile_close(f);
}

static void test_lifecycle_kinds(void **state)
{
    fixture *fx = *state;
    const char *text =
        "{\"sgc_events\": 1}\n"
        "{\"kind\": \"proc\", \"proc\": {\"pid\": 1, \"name\": \"systemd\"}}\n"
        "{\"kind\": \"fork\", \"pid\": 1, \"child\": 50}\n"
        "{\"kind\": \"exec\", \"pid\": 50, \"proc\": {\"exepath\": \"/usr/bin/nginx\", \"args\": "
        "[\"-g\", \"daemon off;\"], "
        "\"cgroup\": "
        "\"0::/system.slice/"
        "docker-3f8a9c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8.scope\", "
        "\"container\": {\"name\": \"web\", \"repository\": \"docker.io/library/nginx\", "
        "\"privileged\": true}}}\n"
        "{\"type\": \"clone\", \"pid\": 50, \"res\": 51}\n"
        "{\"kind\": \"exit\", \"pid\": 51}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* the fork record */
    assert_int_equal(e.ev.hdr->kind, SGC_REC_PROC_FORK);
    assert_int_equal(sgc_proctable_find(fx->pt, 50)->ppid, 1);
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* exec */
    assert_int_equal(e.ev.hdr->kind, SGC_REC_PROC_EXEC);
    assert_string_equal(blob_str(&e.ev, SGC_BLOB_EXE), "/usr/bin/nginx");
    assert_string_equal(e.proc->comm, "nginx");
    assert_string_equal(e.proc->img->args, "-g");
    const char *cid = sgc_proc_container_id(e.proc);
    assert_int_equal(strlen(cid), 64);
    const sgc_container_info *ci = sgc_containers_find(fx->cs, cid);
    assert_non_null(ci);
    assert_string_equal(ci->image_repository, "docker.io/library/nginx");
    assert_int_equal(ci->privileged, 1);
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* clone: also forks 51 */
    assert_int_equal(sgc_proctable_find(fx->pt, 51)->ppid, 50);
    assert_string_equal(sgc_proc_container_id(sgc_proctable_find(fx->pt, 51)), cid);
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* exit */
    assert_true(sgc_proctable_find(fx->pt, 51)->exited);
    assert_int_equal(sgc_eventfile_next(f, &e), 0);
    assert_int_equal(sgc_eventfile_errors(f), 0);
    sgc_eventfile_close(f);
}

static void test_malformed_lines(void **state)
{
    fixture *fx = *state;
    const char *text = "{\"type\": \"openat\"}\n"             /* 1: no header (read anyway) */
                       "{\"type\": \"openat\", \"pid\": 7}\n" /* 2: fine */
                       "{\"type\": \"nosuchcall\"}\n"         /* 3 */
                       "not json at all\n"                    /* 4 */
                       "[1, 2]\n"                             /* 5 */
                       "{\"type\": \"openat\", \"args\": {\"nme\": \"/x\"}}\n"             /* 6 */
                       "{\"type\": \"openat\", \"args\": {\"flags\": \"O_BOGUS\"}}\n"      /* 7 */
                       "{\"type\": \"openat\", \"proc\": {\"pid\": 9, \"nmae\": \"x\"}}\n" /* 8 */
                       "{\"sgc_events\": 1}\n"                                             /* 9 */
                       "{\"kind\": \"fork\", \"pid\": 1}\n"                                /* 10 */
                       "{\"type\": \"openat\", \"ts\": \"yesterday\"}\n"                   /* 11 */
                       "{\"type\": \"openat\", \"pid\": 8}\n"; /* 12: fine */
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    int good = 0;
    int lines[4];
    while (sgc_eventfile_next(f, &e) == 1) lines[good++] = e.line;
    assert_int_equal(good, 3);
    assert_int_equal(lines[0], 1);
    assert_int_equal(lines[1], 2);
    assert_int_equal(lines[2], 12);
    assert_int_equal(sgc_eventfile_errors(f), 10);
    fflush(fx->errs);
    const char *expect[] = {
        "t.jsonl:1: error: the first line must be the header",
        "t.jsonl:3: error: unknown syscall 'nosuchcall'",
        "t.jsonl:4: error: invalid JSON at column",
        "t.jsonl:5: error: each line must be a JSON object",
        "t.jsonl:6: error: openat has no argument 'nme' (known: fd, dirfd, name, flags, mode)",
        "t.jsonl:7: error: argument 'flags': unknown name 'O_BOGUS'",
        "t.jsonl:8: error: proc: unknown key 'nmae'",
        "t.jsonl:9: error: a header line after the first line",
        "t.jsonl:10: error: kind fork needs \"child\"",
        "t.jsonl:11: error: \"ts\": expected ns since the epoch or RFC 3339",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        if (!strstr(fx->errbuf, expect[i])) fail_msg("missing '%s' in:\n%s", expect[i], fx->errbuf);
    }
    sgc_eventfile_close(f);
}

static void test_version_and_sockets(void **state)
{
    fixture *fx = *state;
    const char *text = "{\"sgc_events\": 3}\n"
                       "{\"type\": \"connect\", \"res\": 0, \"args\": {\"fd\": 3, \"addr\": "
                       "\"169.254.169.254:80\"}, "
                       "\"fd\": {\"local\": \"10.0.0.5:40000\", \"remote\": "
                       "\"169.254.169.254:80\", \"proto\": \"tcp\"}}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    fflush(fx->errs);
    assert_non_null(strstr(fx->errbuf, "t.jsonl:1: error: event file version 3 is not supported"));
    const sgc_blob *b = sgc_evt_blob(&e.ev, SGC_BLOB_SOCKTUPLE);
    assert_non_null(b);
    struct sgc_socktuple t;
    memcpy(&t, b->p, sizeof t);
    assert_int_equal(t.family, 2 /* AF_INET */);
    assert_int_equal(t.rport, 80);
    assert_int_equal(t.lport, 40000);
    assert_int_equal(t.raddr[0], 169);
    assert_non_null(sgc_evt_blob(&e.ev, SGC_BLOB_SOCKADDR));
    sgc_eventfile_close(f);
}

/* What the writer (sgc record) writes, the reader turns back into the same
 * records: same header facts, same argument blobs. */
static void test_write_read_round_trip(void **state)
{
    fixture *fx = *state;
    static _Alignas(8) uint8_t recs[5][2048];
    sgc_evt evs[5];
    sgc_record_builder b;
    const char *argv = "curl\0-s\0http://169.254.169.254/";
    const char *env = "HOME=/root\0PATH=/bin";

    sgc_record_begin(&b, recs[0], sizeof recs[0], SGC_REC_PROC_EXEC, __NR_execve, 0);
    b.hdr->pid = b.hdr->tid = 77;
    b.hdr->ppid = 1;
    b.hdr->ts_ns = 1000;
    b.hdr->euid = b.hdr->uid = 1000;
    b.hdr->loginuid = SGC_LOGINUID_UNSET;
    b.hdr->cap_permitted = 1ull << 21;
    b.hdr->start_ns = 900;
    strcpy(b.hdr->comm, "curl");
    sgc_record_add_str(&b, SGC_BLOB_EXE, "/usr/bin/curl");
    sgc_record_add_blob(&b, SGC_BLOB_ARGV, argv, 32, 0);
    sgc_record_add_blob(&b, SGC_BLOB_ENV, env, 21, 0);
    sgc_record_add_str(&b, SGC_BLOB_CWD, "/root");
    uint32_t flags = SGC_EXE_UPPER_LAYER;
    sgc_record_add_blob(&b, SGC_BLOB_EXE_FLAGS, &flags, sizeof flags, 0);
    assert_true(sgc_record_finish(&b) > 0);

    sgc_record_begin(&b, recs[1], sizeof recs[1], SGC_REC_SYSCALL, __NR_openat, 0);
    b.hdr->pid = 77;
    b.hdr->tid = 78;
    b.hdr->ts_ns = 2000;
    b.hdr->ret = -13;
    b.hdr->args[0] = (uint64_t)(int64_t)-100;
    b.hdr->args[2] = O_WRONLY | O_CREAT;
    b.hdr->args[3] = 0600;
    b.hdr->euid = 1000;
    strcpy(b.hdr->comm, "curl");
    sgc_record_add_str(&b, SGC_BLOB_ARG0 + 1, "/etc/ld.so.preload");
    assert_true(sgc_record_finish(&b) > 0);

    sgc_record_begin(&b, recs[2], sizeof recs[2], SGC_REC_SYSCALL, __NR_connect, 0);
    b.hdr->pid = b.hdr->tid = 77;
    b.hdr->ts_ns = 3000;
    b.hdr->args[0] = 5;
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
    sin6.sin6_addr.s6_addr[15] = 1;
    sgc_record_add_blob(&b, SGC_BLOB_SOCKADDR, &sin6, sizeof sin6, 0);
    struct sgc_socktuple t = {.family = AF_INET,
                              .proto = IPPROTO_UDP,
                              .lport = 5353,
                              .rport = 53,
                              .laddr = {10, 0, 0, 2},
                              .raddr = {8, 8, 8, 8}};
    sgc_record_add_blob(&b, SGC_BLOB_SOCKTUPLE, &t, sizeof t, 0);
    assert_true(sgc_record_finish(&b) > 0);

    sgc_record_begin(&b, recs[3], sizeof recs[3], SGC_REC_PROC_FORK, __NR_clone, 0);
    b.hdr->pid = b.hdr->tid = 77;
    b.hdr->ts_ns = 4000;
    b.hdr->args[0] = 79;
    assert_true(sgc_record_finish(&b) > 0);

    sgc_record_begin(&b, recs[4], sizeof recs[4], SGC_REC_PROC_EXIT, 0, 0);
    b.hdr->pid = b.hdr->tid = 79;
    b.hdr->ts_ns = 5000;
    assert_true(sgc_record_finish(&b) > 0);

    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    sgc_eventfile_writer *w = sgc_eventfile_writer_open(mem, "rec-host", 1700000000000000000ll);
    assert_non_null(w);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(sgc_decode(recs[i], sizeof recs[i], &evs[i]), SGC_DECODE_OK);
        assert_int_equal(sgc_eventfile_write_event(w, &evs[i]), 0);
    }
    assert_int_equal(sgc_eventfile_writer_close(w), 0);
    fclose(mem);

    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    for (int i = 0; i < 5; i++) {
        const struct sgc_event_hdr *in = evs[i].hdr;
        if (sgc_eventfile_next(f, &e) != 1) fail_msg("record %d not read back; file:\n%s", i, text);
        const struct sgc_event_hdr *out = e.ev.hdr;
        assert_int_equal(out->kind, in->kind);
        assert_int_equal(out->ts_ns, in->ts_ns + 1700000000000000000ull);
        assert_int_equal(out->pid, in->pid);
        assert_int_equal(out->tid, in->tid);
        if (in->kind == SGC_REC_PROC_EXIT) continue;
        assert_int_equal(out->nr, in->nr);
        assert_int_equal(out->ret, in->ret);
        assert_int_equal(out->euid, in->euid);
        assert_int_equal(out->loginuid, in->loginuid);
        assert_int_equal(out->cap_permitted, in->cap_permitted);
        assert_memory_equal(out->args, in->args, sizeof in->args);
        for (unsigned tag = 0; tag < SGC_MAX_BLOB_TAGS; tag++) {
            const sgc_blob *bi = sgc_evt_blob(&evs[i], tag), *bo = sgc_evt_blob(&e.ev, tag);
            if (!bi) continue;
            if (!bo) fail_msg("record %d lost blob %u; file:\n%s", i, tag, text);
            size_t n = bi->len;
            if (tag != SGC_BLOB_SOCKTUPLE && tag != SGC_BLOB_SOCKADDR &&
                tag != SGC_BLOB_EXE_FLAGS && tag != SGC_BLOB_ARGV && tag != SGC_BLOB_ENV)
                n = strnlen((const char *)bi->p, bi->len); /* strings: up to the NUL */
            assert_true(bo->len >= n);
            assert_memory_equal(bo->p, bi->p, n);
        }
    }
    assert_int_equal(sgc_eventfile_next(f, &e), 0);
    assert_int_equal(sgc_eventfile_errors(f), 0);
    assert_string_equal(sgc_eventfile_hostname(f), "rec-host");
    sgc_proc *p = sgc_proctable_find(fx->pt, 77);
    assert_string_equal(p->img->exepath, "/usr/bin/curl");
    assert_true(p->img->exe_flags & SGC_EXE_UPPER_LAYER);
    sgc_eventfile_close(f);
    free(text);
}

/* A field of the event just read, rendered as outputs show it. */
static const char *field_of(fixture *fx, const sgc_replay_event *e, const char *name,
                            const char *arg, sgc_arena *a)
{
    sgc_field_ref ref;
    char err[256];
    if (!sgc_field_ref_init(&ref, name, arg, NULL, err, sizeof err)) fail_msg("%s: %s", name, err);
    sgc_extract_ctx cx = {.scratch = a, .pt = fx->pt};
    sgc_extract_ctx_reset(&cx, &e->ev, e->proc);
    sgc_val v;
    sgc_extract(&cx, &ref, &v);
    size_t n;
    const char *r = sgc_val_render(&v, a, &n);
    char *copy = sgc_arena_strndup(a, r, n);
    sgc_field_ref_release(&ref);
    return copy;
}

/* Credentials as the thread has them after the call (libsinsp's
 * parse_set*id_exit, parse_unshare_setns_exit): the header of a replayed
 * record says what the kernel would report at exit, and the table keeps it. */
static void test_credentials_after_call(void **state)
{
    fixture *fx = *state;
    const char *text =
        "{\"sgc_events\": 1}\n"
        /* 2: alice (no CAP_SETUID) becomes root: only the effective uid changes */
        "{\"type\": \"setuid\", \"res\": 0, \"args\": {\"uid\": 0}, \"proc\": {\"pid\": 50, "
        "\"uid\": 1000}}\n"
        /* 3: a later event of the same process: still uid 0 */
        "{\"type\": \"getpid\", \"res\": 50, \"pid\": 50}\n"
        /* 4: a failed call changes nothing */
        "{\"type\": \"setuid\", \"res\": \"EPERM\", \"args\": {\"uid\": 7}, \"proc\": {\"pid\": "
        "51, \"uid\": 1000}}\n"
        /* 5: setresuid(-1, 33, -1): -1 leaves an id as it is */
        "{\"type\": \"setresuid\", \"res\": 0, \"args\": {\"ruid\": -1, \"euid\": 33, \"suid\": "
        "-1}, \"proc\": {\"pid\": 52, \"uid\": 0}}\n"
        /* 6: setreuid(1000, 1000) */
        "{\"type\": \"setreuid\", \"res\": 0, \"args\": {\"ruid\": 1000, \"euid\": 1000}, "
        "\"proc\": {\"pid\": 53, \"uid\": 0}}\n"
        /* 7: unshare into a new user namespace: every capability */
        "{\"type\": \"unshare\", \"res\": 0, \"args\": {\"flags\": \"CLONE_NEWUSER|CLONE_NEWNS\"}, "
        "\"proc\": {\"pid\": 54, \"cap_permitted\": \"CAP_CHOWN\", \"cap_effective\": "
        "\"CAP_CHOWN\"}}\n"
        /* 8: another namespace only: unchanged */
        "{\"type\": \"unshare\", \"res\": 0, \"args\": {\"flags\": \"CLONE_NEWNS\"}, \"proc\": "
        "{\"pid\": 55, \"cap_permitted\": \"CAP_CHOWN\"}}\n"
        /* 9: setns into a user namespace */
        "{\"type\": \"setns\", \"res\": 0, \"args\": {\"fd\": 3, \"nstype\": \"CLONE_NEWUSER\"}, "
        "\"proc\": {\"pid\": 56, \"cap_permitted\": []}}\n"
        /* 10: a failed unshare: unchanged */
        "{\"type\": \"unshare\", \"res\": \"EPERM\", \"args\": {\"flags\": \"CLONE_NEWUSER\"}, "
        "\"proc\": {\"pid\": 57, \"cap_permitted\": []}}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    sgc_arena a;
    sgc_arena_init(&a, 0);

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_int_equal(e.ev.hdr->euid, 0);
    assert_int_equal(e.ev.hdr->uid, 1000);
    assert_string_equal(field_of(fx, &e, "user.uid", NULL, &a), "0");
    assert_int_equal(sgc_proctable_find(fx->pt, 50)->euid, 0);
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(field_of(fx, &e, "user.uid", NULL, &a), "0");

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(field_of(fx, &e, "user.uid", NULL, &a), "1000");

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_int_equal(e.ev.hdr->euid, 33);
    assert_int_equal(e.ev.hdr->uid, 0);
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_int_equal(e.ev.hdr->euid, 1000);
    assert_int_equal(e.ev.hdr->uid, 1000);

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    const char *caps = field_of(fx, &e, "thread.cap_permitted", NULL, &a);
    assert_non_null(strstr(caps, "CAP_SYS_ADMIN"));
    assert_non_null(strstr(caps, "CAP_CHOWN"));
    assert_non_null(strstr(field_of(fx, &e, "thread.cap_effective", NULL, &a), "CAP_SYS_ADMIN"));
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(field_of(fx, &e, "thread.cap_permitted", NULL, &a), "CAP_CHOWN");
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_non_null(strstr(field_of(fx, &e, "thread.cap_permitted", NULL, &a), "CAP_SYS_ADMIN"));
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_null(strstr(field_of(fx, &e, "thread.cap_permitted", NULL, &a), "CAP_SYS_ADMIN"));

    assert_int_equal(sgc_eventfile_next(f, &e), 0);
    assert_int_equal(sgc_eventfile_errors(f), 0);
    sgc_arena_free(&a);
    sgc_eventfile_close(f);
}

/* container.mount*[KEY]: the container plugin's regex search (in the
 * source; in the destination for .source), and no value without a match. */
static void test_container_mounts(void **state)
{
    fixture *fx = *state;
    const char *text =
        "{\"sgc_events\": 1}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 60, \"vpid\": 1, \"exepath\": \"/app\", "
        "\"container\": {\"id\": \"c0ffee000060\", \"mounts\": ["
        "{\"source\": \"/var/lib/docker/volumes/data\", \"dest\": \"/data\", \"rw\": true},"
        "{\"source\": \"/proc\", \"dest\": \"/host/proc\", \"rw\": false}]}}}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 61, \"vpid\": 1, \"exepath\": \"/app\", "
        "\"container\": {\"id\": \"c0ffee000061\"}}}\n"
        "{\"type\": \"execve\", \"proc\": {\"pid\": 62, \"exepath\": \"/bin/ls\"}}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    sgc_arena a;
    sgc_arena_init(&a, 0);

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "/proc*", &a), "/host/proc");
    /* a search, not a glob: "/" is found in the first mount's source */
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "/", &a), "/data");
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "volumes", &a), "/data");
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "^/proc$", &a), "/host/proc");
    assert_string_equal(field_of(fx, &e, "container.mount.source", "/host", &a), "/proc");
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "1", &a), "/host/proc");
    assert_string_equal(field_of(fx, &e, "container.mount.rdwr", "/proc", &a), "false");
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "/etc", &a), "<NA>");
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "2", &a), "<NA>");

    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* no mounts at all */
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "/", &a), "<NA>");
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* on the host */
    assert_string_equal(field_of(fx, &e, "container.mount.dest", "/", &a), "<NA>");

    /* a key that is no valid pattern is a compile error */
    sgc_field_ref ref;
    char err[256];
    assert_false(sgc_field_ref_init(&ref, "container.mount.dest", "[", NULL, err, sizeof err));
    assert_non_null(strstr(err, "not a valid pattern"));
    sgc_arena_free(&a);
    sgc_eventfile_close(f);
}

/* Buffers: {"hex": ...} gives raw bytes; text is its bytes without a NUL;
 * the writer uses hex exactly when the bytes are no JSON text. */
static void test_hex_buffers(void **state)
{
    fixture *fx = *state;
    const char *text =
        "{\"sgc_events\": 1}\n"
        "{\"type\": \"recvfrom\", \"res\": 5, \"args\": {\"fd\": 5, \"size\": 5, \"data\": "
        "{\"hex\": \"CAfe00babe\"}}}\n"
        "{\"type\": \"recvfrom\", \"res\": 3, \"args\": {\"fd\": 5, \"size\": 3, \"data\": "
        "\"GET\"}}\n"
        "{\"type\": \"recvfrom\", \"res\": 1, \"args\": {\"data\": {\"hex\": \"abc\"}}}\n"
        "{\"type\": \"recvfrom\", \"res\": 1, \"args\": {\"data\": {\"hex\": \"zz\"}}}\n"
        "{\"type\": \"recvfrom\", \"res\": 1, \"args\": {\"data\": {\"bytes\": \"00\"}}}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    static const uint8_t bin[] = {0xca, 0xfe, 0x00, 0xba, 0xbe};
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    const sgc_blob *b = sgc_evt_blob(&e.ev, SGC_BLOB_ARG0 + 1);
    assert_non_null(b);
    assert_int_equal(b->len, sizeof bin);
    assert_memory_equal(b->p, bin, sizeof bin);

    /* the writer gives these bytes back as hex, the reader reads them */
    char *out = NULL;
    size_t outlen = 0;
    FILE *mem = open_memstream(&out, &outlen);
    sgc_eventfile_writer *w = sgc_eventfile_writer_open(mem, NULL, 0);
    assert_int_equal(sgc_eventfile_write_event(w, &e.ev), 0);

    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    b = sgc_evt_blob(&e.ev, SGC_BLOB_ARG0 + 1);
    assert_int_equal(b->len, 3);
    assert_memory_equal(b->p, "GET", 3);
    assert_int_equal(sgc_eventfile_write_event(w, &e.ev), 0);
    assert_int_equal(sgc_eventfile_writer_close(w), 0);
    fclose(mem);
    assert_non_null(strstr(out, "\"data\":{\"hex\":\"cafe00babe\"}"));
    assert_non_null(strstr(out, "\"data\":\"GET\""));

    assert_int_equal(sgc_eventfile_next(f, &e), 0); /* three bad lines */
    assert_int_equal(sgc_eventfile_errors(f), 3);
    fflush(fx->errs);
    assert_non_null(
        strstr(fx->errbuf, "t.jsonl:4: error: argument 'data': odd number of hex digits"));
    assert_non_null(
        strstr(fx->errbuf, "t.jsonl:5: error: argument 'data': 'zz' is not a hex byte"));
    assert_non_null(
        strstr(fx->errbuf, "t.jsonl:6: error: argument 'data': expected a string or {\"hex\""));
    sgc_eventfile_close(f);

    sgc_eventfile *g = open_text(fx, out);
    assert_int_equal(sgc_eventfile_next(g, &e), 1);
    b = sgc_evt_blob(&e.ev, SGC_BLOB_ARG0 + 1);
    assert_int_equal(b->len, sizeof bin);
    assert_memory_equal(b->p, bin, sizeof bin);
    assert_int_equal(sgc_eventfile_next(g, &e), 1);
    assert_int_equal(sgc_evt_blob(&e.ev, SGC_BLOB_ARG0 + 1)->len, 3);
    sgc_eventfile_close(g);
    free(out);
}

/* Names and addresses for fd.*ip.name: the header's "dns", "dns" lines
 * (what sgc record writes), and their errors. */
static void test_dns_tables(void **state)
{
    fixture *fx = *state;
    sgc_dnsnames *dns = sgc_dnsnames_new();
    sgc_proctable_attach_dns(fx->pt, dns);
    const char *text =
        "{\"sgc_events\": 2, \"dns\": {\"k8s.example\": [\"10.96.0.1\"], \"v6.example\": "
        "[\"2001:db8::1\", \"10.0.0.9\"]}}\n"
        "{\"type\": \"connect\", \"res\": 0, \"args\": {\"fd\": 3, \"addr\": \"10.96.0.1:443\"}, "
        "\"fd\": {\"local\": \"10.0.0.5:40000\", \"remote\": \"10.96.0.1:443\"}}\n"
        "{\"kind\": \"dns\", \"dns\": {\"k8s.example\": [\"10.96.0.2\"]}}\n"
        "{\"type\": \"connect\", \"res\": 0, \"args\": {\"fd\": 3, \"addr\": \"10.96.0.1:443\"}, "
        "\"fd\": {\"local\": \"10.0.0.5:40000\", \"remote\": \"10.96.0.1:443\"}}\n"
        "{\"kind\": \"dns\", \"dns\": {\"bad.example\": [\"10.0.0.300\"]}}\n"
        "{\"type\": \"getpid\", \"dns\": {}}\n";
    sgc_eventfile *f = open_text(fx, text);
    sgc_replay_event e;
    sgc_arena a;
    sgc_arena_init(&a, 0);
    assert_int_equal(sgc_eventfile_next(f, &e), 1);
    assert_string_equal(field_of(fx, &e, "fd.sip.name", NULL, &a), "k8s.example");
    assert_int_equal(sgc_eventfile_next(f, &e), 1); /* after the dns line */
    assert_string_equal(field_of(fx, &e, "fd.sip.name", NULL, &a), "<NA>");
    assert_int_equal(sgc_eventfile_next(f, &e), 0);
    assert_int_equal(sgc_eventfile_errors(f), 2);
    fflush(fx->errs);
    assert_non_null(strstr(
        fx->errbuf,
        "t.jsonl:5: error: header: dns 'bad.example': '10.0.0.300' is no IPv4 or IPv6 address"));
    assert_non_null(
        strstr(fx->errbuf, "t.jsonl:6: error: \"dns\" belongs in the header or a kind dns line"));
    sgc_eventfile_close(f);

    /* the writer's dns line reads back into the same table */
    char *out = NULL;
    size_t outlen = 0;
    FILE *mem = open_memstream(&out, &outlen);
    sgc_eventfile_writer *w = sgc_eventfile_writer_open(mem, NULL, 0);
    assert_int_equal(sgc_eventfile_write_dns(w, dns), 0);
    assert_int_equal(sgc_eventfile_writer_close(w), 0);
    fclose(mem);
    assert_non_null(
        strstr(out, "{\"kind\":\"dns\",\"dns\":{\"v6.example\":[\"2001:db8::1\",\"10.0.0.9\"],"
                    "\"k8s.example\":[\"10.96.0.2\"]}}"));
    sgc_dnsnames *back = sgc_dnsnames_new();
    sgc_proctable_attach_dns(fx->pt, back);
    sgc_eventfile *g = open_text(fx, out);
    assert_int_equal(sgc_eventfile_next(g, &e), 0);
    fflush(fx->errs);
    if (sgc_eventfile_errors(g)) fail_msg("%s\n%s", out, fx->errbuf);
    assert_int_equal(sgc_dnsnames_size(back), 3);
    sgc_eventfile_close(g);
    free(out);
    sgc_proctable_attach_dns(fx->pt, NULL);
    sgc_dnsnames_free(back);
    sgc_dnsnames_free(dns);
    sgc_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_syscall_with_inline_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_and_sockets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_read_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_after_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_mounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hex_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dns_tables, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
