/* The evaluator: corpus-style conditions on synthetic events, field
 * renderings, the event-type index, candidates, first/all matching, and the
 * three corpus files compiled as a whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fields.h"
#include "dnsnames_resolve.h"

#include <asm/unistd_64.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "eval_fixture.h"
#include "loader.h"
#include "eval_int.h"
#include "evtype.h"
#include "path.h"
#include "resolve.h"

static sgc_arena arena;
static sgc_proctable *pt;
static fx_event E;

static const char *fake_user_name(sgc_extract_ctx *cx, uint32_t uid)
{
    return uid == 65534 ? "nobody" : uid == 0 ? "root" : NULL;
}

static sgc_extract_ctx ctx_for(const sgc_evt *ev)
{
    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &arena;
    cx.pt = pt;
    cx.hostname = "testhost";
    cx.user_name = fake_user_name;
    sgc_arena_reset(&arena);
    sgc_proc *p = pt ? sgc_proctable_apply(pt, ev) : NULL;
    sgc_extract_ctx_reset(&cx, ev, p);
    return cx;
}

/* Does `cond` hold for ev? */
static bool holds(const char *cond, const sgc_evt *ev)
{
    sgc_source *src;
    sgc_node *n = fx_parse(cond, &src);
    assert_non_null(n);
    char err[256];
    sgc_filter *f = sgc_filter_compile(n, err, sizeof err);
    if (!f) fail_msg("compile '%s': %s", cond, err);
    sgc_extract_ctx cx = ctx_for(ev);
    bool r = sgc_filter_eval(f, &cx);
    sgc_filter_free(f);
    /* the flat branch program agrees with the tree it was made from */
    sgc_prog prog;
    sgc_prog_init(&prog);
    cn_node *root = sgc_cn_compile(&prog, n, err, sizeof err);
    assert_non_null(root);
    cn_code code;
    assert_true(sgc_cn_linearize(root, &code));
    cx = ctx_for(ev);
    sgc_prog_begin(&prog, sgc_evt_type_id(ev));
    bool tree = sgc_cn_eval(&prog, root, &cx);
    sgc_prog_begin(&prog, sgc_evt_type_id(ev));
    bool flat = sgc_cn_run(&prog, &code, &cx);
    if (tree != r || flat != r) fail_msg("'%s': filter %d, tree %d, flat %d", cond, r, tree, flat);
    sgc_cn_code_free(&code);
    sgc_cn_free(root);
    sgc_prog_free(&prog);
    sgc_node_free(n);
    sgc_source_free(src);
    return r;
}

/* The rendering of one field for ev ("<NA>" when missing). */
static const char *field(const char *name, const char *arg, const sgc_evt *ev)
{
    static char out[512];
    sgc_field_ref ref;
    char err[256];
    if (!sgc_field_ref_init(&ref, name, arg, NULL, err, sizeof err))
        fail_msg("field %s: %s", name, err);
    sgc_extract_ctx cx = ctx_for(ev);
    sgc_val v;
    sgc_extract(&cx, &ref, &v);
    size_t len;
    const char *s = sgc_val_render(&v, &arena, &len);
    snprintf(out, sizeof out, "%.*s", (int)len, s);
    sgc_field_ref_release(&ref);
    return out;
}

static const sgc_evt *openat_ev(const char *path, uint64_t flags, uint64_t mode, int64_t ret,
                                const char *cwd)
{
    struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, ret);
    h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
    h->args[2] = flags;
    h->args[3] = mode;
    fx_str(&E, SGC_BLOB_ARG0 + 1, path);
    if (cwd) fx_str(&E, SGC_BLOB_CWD, cwd);
    return fx_done(&E);
}

static void test_open_fields(void **state)
{
    const sgc_evt *ev = openat_ev("/etc/shadow", O_WRONLY | O_TRUNC | O_CLOEXEC, 0, 3, NULL);
    assert_string_equal(field("evt.type", NULL, ev), "openat");
    assert_string_equal(field("evt.dir", NULL, ev), "<");
    assert_string_equal(field("evt.res", NULL, ev), "SUCCESS");
    assert_string_equal(field("evt.rawres", NULL, ev), "3");
    assert_string_equal(field("evt.failed", NULL, ev), "false");
    assert_string_equal(field("fd.name", NULL, ev), "/etc/shadow");
    assert_string_equal(field("fd.directory", NULL, ev), "/etc");
    assert_string_equal(field("fd.filename", NULL, ev), "shadow");
    assert_string_equal(field("fd.typechar", NULL, ev), "f");
    assert_string_equal(field("fd.type", NULL, ev), "file");
    assert_string_equal(field("fd.num", NULL, ev), "3");
    assert_string_equal(field("evt.arg.flags", NULL, ev), "O_WRONLY|O_TRUNC|O_CLOEXEC");
    assert_string_equal(field("evt.arg", "flags", ev), "O_WRONLY|O_TRUNC|O_CLOEXEC");
    assert_string_equal(field("evt.arg.name", NULL, ev), "/etc/shadow");
    assert_string_equal(field("evt.arg.dirfd", NULL, ev), "-100");
    assert_string_equal(field("evt.arg.fd", NULL, ev), "<f>/etc/shadow");
    assert_string_equal(field("evt.rawarg.fd", NULL, ev), "3");
    assert_string_equal(field("evt.arg", "1", ev), "-100");
    assert_string_equal(field("evt.rawarg.flags", NULL, ev), "524801");
    assert_string_equal(field("evt.is_open_write", NULL, ev), "true");
    assert_string_equal(field("evt.is_open_read", NULL, ev), "false");
    assert_string_equal(field("evt.hostname", NULL, ev), "testhost");
    assert_string_equal(field("fd.sip", NULL, ev), "<NA>");
    assert_string_equal(field("evt.arg.uid", NULL, ev), "<NA>");
    assert_string_equal(
        field("evt.args", NULL, ev),
        "fd=<f>/etc/shadow dirfd=-100 name=/etc/shadow flags=O_WRONLY|O_TRUNC|O_CLOEXEC mode=00");

    assert_true(holds("evt.type in (open,openat,openat2) and evt.is_open_write=true "
                      "and fd.typechar='f' and fd.num>=0",
                      ev));
    assert_false(holds("evt.type in (open,openat,openat2) and evt.is_open_read=true", ev));
    assert_true(holds("evt.arg.flags contains O_TRUNC", ev));
    assert_true(holds("evt.arg.flags contains \"O_TRUNC\"", ev));
    assert_false(holds("evt.arg.flags contains O_CREAT", ev));
    assert_true(holds("fd.name pmatch (/etc, /usr/bin)", ev));
    assert_true(holds("fd.directory in (/etc, /usr/sbin)", ev));
    assert_true(holds("evt.type = openat and not evt.type = open", ev));
    assert_true(holds("evt.type != open", ev));
    assert_false(holds("evt.type in (execve, connect)", ev));
    assert_true(holds("evt.type startswith open", ev));
    assert_true(holds("evt.res = SUCCESS and evt.rawres >= 0", ev));
    /* transformers and val() */
    assert_true(holds("toupper(fd.name) = /ETC/SHADOW", ev));
    assert_true(holds("basename(fd.name) = shadow", ev));
    assert_true(holds("len(fd.name) = 11", ev));
    assert_true(holds("concat(fd.directory, \"/\", fd.filename) = val(fd.name)", ev));
    assert_true(holds("fd.name = val(evt.arg.name)", ev));
    assert_false(holds("fd.name = val(fd.directory)", ev));
    /* `or` chains over one field are merged into one set test */
    assert_true(holds("fd.name startswith /usr or fd.name startswith /etc", ev));
    assert_false(holds("fd.name startswith /usr or fd.name startswith /var", ev));
    assert_true(holds("fd.name endswith x or fd.name endswith dow or evt.type = open", ev));
    assert_true(holds("fd.name contains zz or fd.name contains /sh", ev));
    assert_true(holds("fd.name = /x or fd.name in (/y, /etc/shadow)", ev));
    assert_false(holds("not (fd.name = /x or fd.name = /etc/shadow)", ev));
    assert_true(holds("fd.num = 1 or fd.num = 3", ev));
    assert_false(holds("fd.num = 1 or fd.num = 2", ev));
    assert_false(holds("fd.sip = 1.1.1.1 or fd.sip = 2.2.2.2", ev));
    assert_true(holds("not (fd.sip = 1.1.1.1 or fd.sip = 2.2.2.2)", ev));
    assert_true(holds("not fd.name startswith /usr or fd.name startswith /var", ev));
    /* missing values */
    assert_false(holds("fd.sip = 1.2.3.4", ev));
    assert_false(holds("fd.sip != 1.2.3.4", ev));
    assert_true(holds("not fd.sip exists", ev));
    assert_true(holds("fd.name exists", ev));
}

static void test_paths(void **state)
{
    assert_true(sgc_path_is_clean("/", 1));
    assert_true(sgc_path_is_clean("/etc/shadow", 11));
    assert_true(sgc_path_is_clean("/a/.b/..c", 9));
    assert_false(sgc_path_is_clean("/etc/", 5));
    assert_false(sgc_path_is_clean("//etc", 5));
    assert_false(sgc_path_is_clean("/etc/./x", 8));
    assert_false(sgc_path_is_clean("/etc/..", 7));
    assert_false(sgc_path_is_clean("etc", 3));
    assert_false(sgc_path_is_clean("", 0));
    static const char *const cases[][2] = {
        {"/etc//shadow", "/etc/shadow"},
        {"/etc/./shadow", "/etc/shadow"},
        {"/etc/../etc/shadow", "/etc/shadow"},
        {"/../..", "/"},
        {"/a/b/..", "/a"},
        {"/a/b/../../..", "/"},
        {"/a/./", "/a"},
        {"/", "/"},
        {"///", "/"},
        {"/a/..b/c", "/a/..b/c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i][0]);
        size_t n = sgc_path_normalize(buf, strlen(buf));
        assert_int_equal(n, strlen(cases[i][1]));
        assert_string_equal(buf, cases[i][1]);
    }
    size_t n;
    char *r = sgc_path_resolve(&arena, "/root", 5, "../etc/x", 8, &n);
    assert_string_equal(r, "/etc/x");
    r = sgc_path_resolve(&arena, "/", 1, "x", 1, &n);
    assert_string_equal(r, "/x");
}

static void test_open_failed_relative(void **state)
{
    /* A failed relative open: fd.name still resolves (Falco does too); there
     * is no fd, so fd.num is -1 and fd.typechar libsinsp's guess 'f'
     * (extract_from_null_fd), while fields of the fd object have no value. */
    const sgc_evt *ev = openat_ev("../etc/./shadow", O_RDONLY | O_DIRECTORY, 0, -ENOENT, "/root");
    assert_string_equal(field("fd.name", NULL, ev), "/etc/shadow");
    assert_string_equal(field("fd.nameraw", NULL, ev), "../etc/./shadow");
    assert_string_equal(field("fd.num", NULL, ev), "-1");
    assert_string_equal(field("fd.typechar", NULL, ev), "f"); /* even with O_DIRECTORY */
    assert_string_equal(field("fd.type", NULL, ev), "<NA>");
    assert_string_equal(field("fd.l4proto", NULL, ev), "<NA>");
    assert_false(holds("fd.l4proto exists", ev));
    assert_string_equal(field("fd.directory", NULL, ev), "/etc");
    assert_string_equal(field("fd.filename", NULL, ev), "<NA>"); /* none without an fd */
    /* Falco's open_file_failed macro */
    assert_true(holds("fd.typechar='f' and fd.num=-1 and evt.res startswith E", ev));
    assert_string_equal(field("evt.res", NULL, ev), "ENOENT");
    assert_string_equal(field("evt.rawres", NULL, ev), "-2");
    assert_string_equal(field("evt.failed", NULL, ev), "true");
    assert_string_equal(field("evt.arg.flags", NULL, ev), "O_RDONLY|O_DIRECTORY");
    assert_true(holds("evt.res startswith E and evt.rawres < 0", ev));
    assert_true(holds("evt.res = ENOENT", ev));
    assert_false(holds("evt.res = SUCCESS", ev));
    assert_true(holds("fd.nameraw contains '../' and fd.nameraw glob '*../*'", ev));
    assert_false(holds("fd.num >= 0", ev));
    assert_true(holds("evt.is_open_read = true", ev));

    /* relative without a known cwd: the path as given */
    ev = openat_ev("rel/x", O_RDONLY, 0, 4, NULL);
    assert_string_equal(field("fd.name", NULL, ev), "rel/x");
    assert_string_equal(field("fd.directory", NULL, ev), "<NA>");
    /* O_DIRECTORY makes a directory fd */
    ev = openat_ev("/var/lib/", O_RDONLY | O_DIRECTORY, 0, 5, NULL);
    assert_string_equal(field("fd.typechar", NULL, ev), "d");
    assert_string_equal(field("fd.name", NULL, ev), "/var/lib");
    assert_string_equal(field("fd.directory", NULL, ev), "/var/lib");
    /* creation with exec bits */
    ev = openat_ev("/tmp/x", O_WRONLY | O_CREAT, 0755, 6, NULL);
    assert_string_equal(field("evt.is_open_exec", NULL, ev), "true");
    assert_string_equal(field("evt.arg.mode", NULL, ev), "0755");
    ev = openat_ev("/tmp/x", O_WRONLY | O_CREAT, 0644, 6, NULL);
    assert_string_equal(field("evt.is_open_exec", NULL, ev), "false");
}

static void test_network(void **state)
{
    struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, __NR_connect, 0);
    h->args[0] = 7;
    fx_tuple(&E, AF_INET, IPPROTO_TCP, "10.0.0.5", 40000, "169.254.169.254", 80);
    const sgc_evt *ev = fx_done(&E);
    assert_string_equal(field("fd.name", NULL, ev), "10.0.0.5:40000->169.254.169.254:80");
    assert_string_equal(field("fd.typechar", NULL, ev), "4");
    assert_string_equal(field("fd.type", NULL, ev), "ipv4");
    assert_string_equal(field("fd.l4proto", NULL, ev), "tcp");
    assert_string_equal(field("fd.sockfamily", NULL, ev), "ip");
    assert_string_equal(field("fd.sip", NULL, ev), "169.254.169.254");
    assert_string_equal(field("fd.cip", NULL, ev), "10.0.0.5");
    assert_string_equal(field("fd.lip", NULL, ev), "10.0.0.5");
    assert_string_equal(field("fd.rip", NULL, ev), "169.254.169.254");
    assert_string_equal(field("fd.sport", NULL, ev), "80");
    assert_string_equal(field("fd.cport", NULL, ev), "40000");
    assert_string_equal(field("fd.lport", NULL, ev), "40000");
    assert_string_equal(field("fd.rport", NULL, ev), "80");
    assert_string_equal(field("fd.num", NULL, ev), "7");
    assert_string_equal(field("fd.connected", NULL, ev), "true");
    assert_string_equal(field("fd.sip.name", NULL, ev), "<NA>");
    assert_string_equal(field("fd.directory", NULL, ev), "<NA>");
    assert_string_equal(field("evt.arg.tuple", NULL, ev), "10.0.0.5:40000->169.254.169.254:80");
    assert_string_equal(field("evt.arg.fd", NULL, ev), "<4>10.0.0.5:40000->169.254.169.254:80");
    assert_true(holds("fd.sip = \"169.254.169.254\" and fd.sport = 80", ev));
    assert_true(holds("fd.sport = \"80\"", ev));
    assert_true(holds("fd.ip = 10.0.0.5 and fd.ip = 169.254.169.254", ev));
    assert_true(holds("fd.ip != \"0.0.0.0\" and fd.net != \"127.0.0.0/8\"", ev));
    assert_false(holds("fd.ip != 10.0.0.5", ev));
    assert_true(holds("fd.net = 10.0.0.0/8", ev)); /* one end inside */
    assert_false(holds("fd.snet in (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", ev));
    assert_true(holds("fd.cnet in (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", ev));
    assert_true(holds("fd.port in (80, 443)", ev));
    assert_true(holds("fd.rport in (80, 443) and fd.lport > 1024", ev));
    assert_true(holds("(evt.rawres >= 0 or evt.res = EINPROGRESS)", ev));
    assert_false(holds("fd.l4proto != tcp", ev));

    /* accept: the local end is the server */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_accept4, 9);
    fx_tuple(&E, AF_INET6, IPPROTO_TCP, "2001:db8::1", 22, "2001:db8::99", 51000);
    ev = fx_done(&E);
    assert_string_equal(field("fd.name", NULL, ev), "2001:db8::99:51000->2001:db8::1:22");
    assert_string_equal(field("fd.sip", NULL, ev), "2001:db8::1");
    assert_string_equal(field("fd.sport", NULL, ev), "22");
    assert_string_equal(field("fd.typechar", NULL, ev), "6");
    assert_string_equal(field("fd.num", NULL, ev), "9");
    assert_true(holds("fd.snet = 2001:db8::/32", ev));

    /* unconnected UDP sendto with an explicit destination */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_sendto, 20);
    h->args[0] = 5;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "8.8.8.8", &sin.sin_addr);
    sgc_record_add_blob(&E.b, SGC_BLOB_SOCKADDR, &sin, sizeof sin, 0);
    ev = fx_done(&E);
    assert_string_equal(field("fd.sip", NULL, ev), "8.8.8.8");
    assert_string_equal(field("fd.sport", NULL, ev), "53");
    assert_string_equal(field("fd.name_changed", NULL, ev), "true");
    assert_string_equal(field("fd.connected", NULL, ev), "false");

    /* socket(): domain and type renderings */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_socket, 4);
    h->args[0] = AF_PACKET;
    h->args[1] = SOCK_RAW | SOCK_CLOEXEC;
    ev = fx_done(&E);
    assert_string_equal(field("evt.arg.domain", NULL, ev), "AF_PACKET");
    assert_string_equal(field("evt.arg.type", NULL, ev), "SOCK_RAW|SOCK_CLOEXEC");
    assert_true(holds("evt.type=socket and evt.arg.domain contains AF_PACKET", ev));
    assert_false(holds("evt.arg.domain contains AF_INET", ev));
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_socket, 4);
    h->args[0] = AF_INET;
    h->args[1] = SOCK_DGRAM;
    ev = fx_done(&E);
    assert_string_equal(field("fd.l4proto", NULL, ev), "udp");
    assert_string_equal(field("fd.typechar", NULL, ev), "4");

    /* unix connect: named by its path */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_connect, 0);
    h->args[0] = 3;
    char sun[2 + 20] = {0};
    uint16_t fam = AF_UNIX;
    memcpy(sun, &fam, 2);
    memcpy(sun + 2, "/var/run/docker.sock", 20);
    sgc_record_add_blob(&E.b, SGC_BLOB_SOCKADDR, sun, sizeof sun, 0);
    ev = fx_done(&E);
    assert_string_equal(field("fd.name", NULL, ev), "/var/run/docker.sock");
    assert_string_equal(field("fd.typechar", NULL, ev), "u");
    assert_string_equal(field("fd.l4proto", NULL, ev), "<NA>");
}

static void test_other_syscalls(void **state)
{
    /* chmod with setuid */
    struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, __NR_fchmodat, 0);
    h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
    h->args[2] = S_ISUID | 0755;
    fx_str(&E, SGC_BLOB_ARG0 + 1, "/tmp/sh");
    const sgc_evt *ev = fx_done(&E);
    assert_true(
        holds("evt.arg.mode contains \"S_ISUID\" or evt.arg.mode contains \"S_ISGID\"", ev));
    assert_string_equal(field("evt.arg.filename", NULL, ev), "/tmp/sh");

    /* setuid renders the uid by name */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_setuid, 0);
    h->args[0] = 65534;
    ev = fx_done(&E);
    assert_string_equal(field("evt.arg.uid", NULL, ev), "nobody");
    assert_true(holds("evt.type = setuid and evt.arg.uid = nobody", ev));
    assert_false(holds("evt.arg.uid = root", ev));

    /* bpf cmd by name */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_bpf, 5);
    h->args[0] = 5;
    ev = fx_done(&E);
    assert_true(holds("evt.type = bpf and (evt.arg.cmd=5 or evt.arg.cmd=BPF_PROG_LOAD)", ev));
    assert_string_equal(field("evt.arg.res_or_fd", NULL, ev), "5");

    /* ptrace request */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_ptrace, 0);
    h->args[0] = 16; /* PTRACE_ATTACH */
    ev = fx_done(&E);
    assert_string_equal(field("evt.arg.request", NULL, ev), "PTRACE_ATTACH");

    /* symlinkat and fs.path.* */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_symlinkat, 0);
    h->args[1] = (uint64_t)(int64_t)AT_FDCWD;
    fx_str(&E, SGC_BLOB_ARG0 + 0, "/etc/shadow");
    fx_str(&E, SGC_BLOB_ARG0 + 2, "link");
    fx_str(&E, SGC_BLOB_CWD, "/tmp");
    ev = fx_done(&E);
    assert_string_equal(field("evt.arg.target", NULL, ev), "/etc/shadow");
    assert_string_equal(field("evt.arg.linkpath", NULL, ev), "link");
    assert_string_equal(field("fs.path.source", NULL, ev), "/etc/shadow");
    assert_string_equal(field("fs.path.target", NULL, ev), "/tmp/link");
    assert_string_equal(field("fs.path.name", NULL, ev), "<NA>");

    /* unlinkat of shell history, relative to an unknown dirfd */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_unlinkat, 0);
    h->args[0] = 5;
    fx_str(&E, SGC_BLOB_ARG0 + 1, ".bash_history");
    ev = fx_done(&E);
    assert_true(holds("evt.arg.name endswith \"ash_history\"", ev));
    assert_false(holds("evt.arg.path endswith \"ash_history\"", ev)); /* no such argument */
    assert_string_equal(field("fs.path.name", NULL, ev), ".bash_history");

    /* read on a pipe: fd typed from the kernel's fd path */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_read, 10);
    h->args[0] = 0;
    fx_str(&E, SGC_BLOB_FDPATH, "pipe:[12345]");
    fx_str(&E, SGC_BLOB_ARG0 + 1, "0123456789");
    ev = fx_done(&E);
    assert_string_equal(field("fd.typechar", NULL, ev), "p");
    assert_string_equal(field("fd.type", NULL, ev), "pipe");
    assert_string_equal(field("fd.num", NULL, ev), "0");
    assert_string_equal(field("evt.buffer", NULL, ev), "0123456789");
    assert_true(holds("evt.buffer bcontains 3435", ev));

    /* a return value outside the errno range renders as a number */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, INT64_MIN);
    ev = fx_done(&E);
    assert_string_equal(field("evt.res", NULL, ev), "-9223372036854775808");
    assert_string_equal(field("evt.arg.fd", NULL, ev), "-9223372036854775808");
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_bpf, -5000);
    ev = fx_done(&E);
    assert_string_equal(field("evt.arg.res_or_fd", NULL, ev), "-5000");

    /* an event of a syscall we name no arguments for */
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_futex, 0);
    ev = fx_done(&E);
    assert_string_equal(field("evt.type", NULL, ev), "futex");
    assert_string_equal(field("evt.arg.flags", NULL, ev), "<NA>");
    assert_string_equal(field("fd.name", NULL, ev), "<NA>");
    assert_false(holds("fd.name startswith /", ev));
    assert_false(holds("fd.name != /x", ev));
}

static const sgc_evt *exec_ev(uint32_t pid, uint32_t ppid, const char *exe, const char *argv,
                              size_t argv_len)
{
    struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_PROC_EXEC, __NR_execve, 0);
    h->pid = h->tid = pid;
    h->ppid = ppid;
    const char *base = strrchr(exe, '/');
    snprintf(h->comm, sizeof h->comm, "%s", base ? base + 1 : exe);
    fx_str(&E, SGC_BLOB_EXE, exe);
    sgc_record_add_blob(&E.b, SGC_BLOB_ARGV, argv, argv_len, 0);
    fx_str(&E, SGC_BLOB_CWD, "/root");
    fx_str(&E, SGC_BLOB_ARG0, exe);
    return fx_done(&E);
}

static void test_exec_and_process(void **state)
{
    static const char sshd_argv[] = "/usr/sbin/sshd\0-D";
    exec_ev(500, 1, "/usr/sbin/sshd", sshd_argv, sizeof sshd_argv);
    sgc_extract_ctx cx = ctx_for(&E.ev); /* applies the exec to the table */
    (void)cx;
    static const char bash_argv[] = "bash\0-c\0id";
    const sgc_evt *ev = exec_ev(600, 500, "/bin/bash", bash_argv, sizeof bash_argv);
    assert_string_equal(field("evt.type", NULL, ev), "execve");
    assert_string_equal(field("evt.arg.filename", NULL, ev), "/bin/bash");
    assert_string_equal(field("evt.arg.exe", NULL, ev), "bash");
    assert_string_equal(field("evt.arg.args", NULL, ev), "-c id");
    assert_true(holds("evt.type in (execve, execveat) and evt.dir = <", ev));
    assert_true(holds("proc.name = bash and proc.pname = sshd", ev));
    assert_true(holds("proc.aname = sshd", ev));
    assert_true(holds("proc.aname in (sshd, systemd)", ev));
    assert_true(holds("proc.aname[1] = sshd", ev));
    assert_false(holds("proc.aname[1] = bash", ev));
    assert_true(holds("proc.name in (bash, sh) and not proc.pname in (bash)", ev));
    assert_true(holds("proc.cmdline contains \"-c id\"", ev));
    /* any-ancestor fields are never merged: `=` and `in` differ there */
    assert_true(holds("proc.aname = nope or proc.aname in (sshd, nope2)", ev));
    assert_true(holds("proc.aname = sshd or proc.aname = nope", ev));
    assert_false(holds("proc.aname = nope or proc.aname = nope2", ev));

    /* proc.pname: the record's parent comm (the kernel's real_parent) wins
     * over the table's parent (here reparented, or renamed since) */
    struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, 0);
    h->pid = h->tid = 600;
    h->ppid = 500;
    snprintf(h->comm, sizeof h->comm, "bash");
    memcpy(h->pcomm, "systemd-the-15c", 16); /* 15 characters and the NUL, as the kernel's */
    ev = fx_done(&E);
    assert_string_equal(field("proc.pname", NULL, ev), "systemd-the-15c");
    assert_true(holds("proc.pname = systemd-the-15c and not proc.pname = sshd", ev));
    /* proc.aname[1] is proc.pname */
    assert_true(holds("proc.aname[1] = systemd-the-15c and not proc.aname[1] = sshd", ev));

    /* deeper ancestors: the record's (the kernel's real_parent chain), the
     * table's beyond what it carries */
    struct sgc_ancestors anc = {.n = 2};
    snprintf(anc.comm[0], SGC_COMM_LEN, "containerd");
    memcpy(anc.comm[1], "runc-is-15-char", 16);
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, 0);
    h->pid = h->tid = 600;
    h->ppid = 500;
    snprintf(h->comm, sizeof h->comm, "bash");
    snprintf(h->pcomm, sizeof h->pcomm, "tmux");
    sgc_record_add_blob(&E.b, SGC_BLOB_ANCESTORS, &anc, 8 + 2 * SGC_COMM_LEN, 0);
    ev = fx_done(&E);
    assert_string_equal(field("proc.aname", "2", ev), "containerd");
    assert_string_equal(field("proc.aname", "3", ev), "runc-is-15-char");
    assert_true(holds("proc.aname = tmux and proc.aname in (runc-is-15-char)", ev));
    assert_true(holds("proc.aname startswith contain and not proc.aname = bash", ev));
    assert_string_equal(field("proc.aname", "4", ev), "<NA>"); /* the table: 500's parent's */
    /* the chain ends at 4: nothing beyond, even from the table */
    anc.end = 4;
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, 0);
    h->pid = h->tid = 600;
    h->ppid = 500;
    snprintf(h->pcomm, sizeof h->pcomm, "tmux");
    sgc_record_add_blob(&E.b, SGC_BLOB_ANCESTORS, &anc, 8 + 2 * SGC_COMM_LEN, 0);
    ev = fx_done(&E);
    assert_false(holds("proc.aname[4] = x or proc.aname[4] != x or proc.aname[5] != x", ev));
    assert_true(holds("not proc.aname[4] = x and proc.aname[3] != x", ev));
    assert_false(holds("proc.aname = sshd", ev));
    /* no parent at all (init): no ancestor, whatever the table says */
    anc = (struct sgc_ancestors){.end = 1};
    h = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, 0);
    h->pid = h->tid = 600;
    sgc_record_add_blob(&E.b, SGC_BLOB_ANCESTORS, &anc, 8, 0);
    ev = fx_done(&E);
    assert_false(holds("proc.aname = sshd or proc.aname[2] = sshd or proc.aname[2] != sshd", ev));
}

/* ---- engine ---- */

static const char *rules_yaml = "- rule: Disabled\n"
                                "  desc: d\n"
                                "  condition: evt.type = openat\n"
                                "  output: x\n"
                                "  priority: NOTICE\n"
                                "  enabled: false\n"
                                "- list: sensitive_files\n"
                                "  items: [/etc/shadow, /etc/sudoers]\n"
                                "- macro: open_write\n"
                                "  condition: (evt.type in (open,openat,openat2) and "
                                "evt.is_open_write=true and fd.typechar='f' and fd.num>=0)\n"
                                "- macro: open_read\n"
                                "  condition: (evt.type in (open,openat,openat2) and "
                                "evt.is_open_read=true and fd.typechar='f' and fd.num>=0)\n"
                                "- rule: Write sensitive\n"
                                "  desc: d\n"
                                "  condition: open_write and fd.name in (sensitive_files)\n"
                                "  output: wrote %fd.name\n"
                                "  priority: ERROR\n"
                                "- rule: Read sensitive\n"
                                "  desc: d\n"
                                "  condition: open_read and fd.name in (sensitive_files)\n"
                                "  output: read %fd.name\n"
                                "  priority: WARNING\n"
                                "- rule: Any etc open\n"
                                "  desc: d\n"
                                "  condition: evt.type = openat and fd.name startswith /etc\n"
                                "  output: etc %fd.name\n"
                                "  priority: DEBUG\n"
                                "- rule: Connect\n"
                                "  desc: d\n"
                                "  condition: evt.type = connect and fd.sport = 80\n"
                                "  output: c\n"
                                "  priority: NOTICE\n";

static sgc_ruleset *load_rules(const char *yaml)
{
    sgc_ruleset *rs = sgc_ruleset_new();
    assert_int_equal(sgc_ruleset_load_buffer(rs, "test.yaml", yaml, strlen(yaml)), 0);
    assert_int_equal(sgc_ruleset_resolve(rs), 0);
    return rs;
}

typedef struct {
    const char *names[8];
    int n;
} hits;

static void on_match(const sgc_rule *r, sgc_extract_ctx *cx, void *ud)
{
    hits *h = ud;
    if (h->n < 8) h->names[h->n++] = r->name;
}

static int run(sgc_engine *e, const sgc_evt *ev, hits *h)
{
    memset(h, 0, sizeof *h);
    sgc_extract_ctx cx = ctx_for(ev);
    return sgc_engine_match(e, &cx, on_match, h);
}

static void test_engine(void **state)
{
    sgc_ruleset *rs = load_rules(rules_yaml);
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_engine_opts o = sgc_engine_default_opts();
    sgc_engine *e = sgc_engine_build(rs, &o, &d);
    assert_non_null(e);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(sgc_engine_nrules(e), 4); /* the disabled one is out */

    hits h;
    const sgc_evt *ev = openat_ev("/etc/shadow", O_RDWR, 0, 3, NULL);
    assert_int_equal(run(e, ev, &h), 1); /* first match only */
    assert_string_equal(h.names[0], "Write sensitive");

    sgc_engine_free(e);
    o.mode = SGC_MATCH_ALL;
    e = sgc_engine_build(rs, &o, &d);
    ev = openat_ev("/etc/shadow", O_RDWR, 0, 3, NULL);
    assert_int_equal(run(e, ev, &h), 3);
    assert_string_equal(h.names[0], "Write sensitive");
    assert_string_equal(h.names[1], "Read sensitive");
    assert_string_equal(h.names[2], "Any etc open");
    ev = openat_ev("/etc/hosts", O_RDONLY, 0, 3, NULL);
    assert_int_equal(run(e, ev, &h), 1);
    assert_string_equal(h.names[0], "Any etc open");
    ev = openat_ev("/home/x", O_RDONLY, 0, 3, NULL);
    assert_int_equal(run(e, ev, &h), 0);

    /* the type index: a read event meets no rule at all */
    sgc_engine_stats st0, st1;
    sgc_engine_get_stats(e, &st0);
    fx_begin(&E, SGC_REC_SYSCALL, __NR_read, 1);
    ev = fx_done(&E);
    assert_int_equal(run(e, ev, &h), 0);
    sgc_engine_get_stats(e, &st1);
    assert_int_equal(st1.rules_evaluated, st0.rules_evaluated);

    /* candidate bitmap: only rule bits set are evaluated; bits number the
     * enabled rules (the disabled first rule takes none): Any etc open is 2 */
    struct sgc_event_hdr *hd = fx_begin(&E, SGC_REC_SYSCALL, __NR_openat, 3);
    sgc_record_begin(&E.b, E.buf, sizeof E.buf, SGC_REC_SYSCALL, __NR_openat, 1);
    hd = E.b.hdr;
    hd->ret = 3;
    hd->args[0] = (uint64_t)(int64_t)AT_FDCWD;
    hd->args[2] = O_RDWR;
    hd->flags |= SGC_EVF_CANDIDATES;
    sgc_record_bitmap(&E.b)[0] = 1ull << 2;
    fx_str(&E, SGC_BLOB_ARG0 + 1, "/etc/shadow");
    ev = fx_done(&E);
    assert_int_equal(run(e, ev, &h), 1);
    assert_string_equal(h.names[0], "Any etc open");
    sgc_engine_free(e);

    /* minimum priority */
    o.min_priority = SGC_PRI_WARNING;
    e = sgc_engine_build(rs, &o, &d);
    assert_int_equal(sgc_engine_nrules(e), 2);
    sgc_engine_free(e);
    sgc_diags_free(&d);
    sgc_ruleset_free(rs);
}

static void test_engine_compile_errors(void **state)
{
    const char *yaml = "- rule: Bad regex\n"
                       "  desc: d\n"
                       "  condition: evt.type = openat and fd.name regex \"([a-\"\n"
                       "  output: x\n"
                       "  priority: NOTICE\n"
                       "- rule: Good\n"
                       "  desc: d\n"
                       "  condition: evt.type = openat\n"
                       "  output: x\n"
                       "  priority: NOTICE\n";
    sgc_ruleset *rs = sgc_ruleset_new();
    sgc_ruleset_load_buffer(rs, "t.yaml", yaml, strlen(yaml));
    sgc_ruleset_resolve(rs);
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_engine *e = sgc_engine_build(rs, NULL, &d);
    assert_non_null(e);
    assert_int_equal(sgc_engine_nrules(e), 1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.v[0].msg, "Bad regex"));
    sgc_engine_free(e);
    sgc_diags_free(&d);
    sgc_ruleset_free(rs);
}

static void test_corpus_compiles(void **state)
{
    static const char *files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                                  "falco-sandbox_rules.yaml"};
    sgc_ruleset *rs = sgc_ruleset_new();
    for (int i = 0; i < 3; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SGC_CORPUS_DIR, files[i]);
        assert_int_equal(sgc_ruleset_load_file(rs, path), 0);
    }
    sgc_ruleset_resolve(rs);
    sgc_diags d;
    sgc_diags_init(&d);
    sgc_engine *e = sgc_engine_build(rs, NULL, &d);
    assert_non_null(e);
    for (int i = 0; i < d.n; i++) fprintf(stderr, "corpus: %s\n", d.v[i].msg);
    assert_int_equal(d.nerrors, 0);
    int enabled = 0;
    for (int i = 0; i < rs->nrules; i++)
        enabled += rs->rules[i]->enabled && rs->rules[i]->resolved != NULL;
    assert_int_equal(sgc_engine_nrules(e), enabled);
    assert_true(enabled > 50);
    sgc_engine_free(e);
    sgc_diags_free(&d);
    sgc_ruleset_free(rs);
}

/* Random records of the syscalls the rules name, with random arguments and
 * blobs of random sizes (short tuples, sockaddrs without a family, paths
 * without NULs...): every evt.* and fd.* field extracts without crashing
 * (run under ASan in CI), and the corpus engine evaluates them. */
static void test_random_records(void **state)
{
    static const int nrs[] = {__NR_open,         __NR_openat,  __NR_openat2,  __NR_creat,
                              __NR_connect,      __NR_accept4, __NR_sendto,   __NR_recvfrom,
                              __NR_socket,       __NR_bind,    __NR_read,     __NR_write,
                              __NR_close,        __NR_execve,  __NR_unlinkat, __NR_renameat2,
                              __NR_symlinkat,    __NR_linkat,  __NR_chmod,    __NR_fchmodat,
                              __NR_setuid,       __NR_ptrace,  __NR_bpf,      __NR_mount,
                              __NR_memfd_create, __NR_futex,   9999};
    static const unsigned tags[] = {
        SGC_BLOB_ARG0,     SGC_BLOB_ARG0 + 1,  SGC_BLOB_ARG0 + 2, SGC_BLOB_ARG0 + 3, SGC_BLOB_CWD,
        SGC_BLOB_SOCKADDR, SGC_BLOB_SOCKTUPLE, SGC_BLOB_FDPATH,   SGC_BLOB_ARGV,     SGC_BLOB_EXE};
    sgc_ruleset *rs = sgc_ruleset_new();
    char path[1024];
    snprintf(path, sizeof path, "%s/falco_rules.yaml", SGC_CORPUS_DIR);
    assert_int_equal(sgc_ruleset_load_file(rs, path), 0);
    sgc_ruleset_resolve(rs);
    sgc_engine_opts o = sgc_engine_default_opts();
    o.mode = SGC_MATCH_ALL;
    sgc_engine *e = sgc_engine_build(rs, &o, NULL);
    assert_non_null(e);

    /* every evt.* and fd.* field, with an argument where one is needed */
    sgc_field_ref refs[128];
    int nrefs = 0;
    int nfields;
    const sgc_field_def *all = sgc_fields_all(&nfields);
    for (int i = 0; i < nfields && nrefs < 128; i++) {
        if (strncmp(all[i].name, "evt.", 4) && strncmp(all[i].name, "fd.", 3)) continue;
        char err[200];
        const char *arg = (all[i].arg & SGC_ARG_REQUIRED) ? "flags" : NULL;
        if (sgc_field_ref_init(&refs[nrefs], all[i].name, arg, NULL, err, sizeof err)) nrefs++;
    }
    assert_true(nrefs > 40);

    srand(7);
    for (int iter = 0; iter < 20000; iter++) {
        int nr = nrs[rand() % (int)(sizeof nrs / sizeof *nrs)];
        enum sgc_record_kind kind =
            nr == __NR_execve && rand() % 2 ? SGC_REC_PROC_EXEC : SGC_REC_SYSCALL;
        struct sgc_event_hdr *h = fx_begin(&E, kind, (uint32_t)nr, (int64_t)(rand() % 20) - 10);
        for (int a = 0; a < SGC_NARGS; a++)
            h->args[a] =
                rand() % 3 ? (uint64_t)(rand() % 200) : ((uint64_t)rand() << 33 | (uint64_t)rand());
        int nb = rand() % 5;
        uint32_t used = 0;
        for (int b = 0; b < nb; b++) {
            unsigned tag = tags[rand() % (int)(sizeof tags / sizeof *tags)];
            if (used & (1u << tag)) continue;
            used |= 1u << tag;
            uint8_t data[200];
            size_t len = (size_t)(rand() % (int)sizeof data);
            for (size_t i = 0; i < len; i++)
                data[i] = (uint8_t)(rand() % 4 == 0   ? '/'
                                    : rand() % 3 == 0 ? 0
                                                      : 'a' + rand() % 26);
            if (tag == SGC_BLOB_SOCKADDR && len >= 2 && rand() % 2) {
                uint16_t fam = (uint16_t)(rand() % 2 ? AF_INET : rand() % 2 ? AF_INET6 : AF_UNIX);
                memcpy(data, &fam, 2);
            }
            if (tag == SGC_BLOB_SOCKTUPLE && len >= 2 && rand() % 2) {
                uint16_t fam = (uint16_t)(rand() % 2 ? AF_INET : AF_INET6);
                memcpy(data, &fam, 2);
                if (rand() % 2) len = sizeof(struct sgc_socktuple);
            }
            sgc_record_add_blob(&E.b, tag, data, len, 0);
        }
        const sgc_evt *ev = fx_done(&E);
        sgc_extract_ctx cx = ctx_for(ev);
        for (int r = 0; r < nrefs; r++) {
            sgc_val v;
            sgc_extract(&cx, &refs[r], &v);
            size_t len;
            const char *txt = sgc_val_render(&v, &arena, &len);
            assert_non_null(txt);
        }
        sgc_engine_match(e, &cx, NULL, NULL);
    }
    for (int r = 0; r < nrefs; r++) sgc_field_ref_release(&refs[r]);
    sgc_engine_free(e);
    sgc_ruleset_free(rs);
}

static void test_failed_fd_creators(void **state)
{
    /* a failed socket()/accept() has no fd: fd.num -1, fd.typechar libsinsp's
     * guess '4', nothing of the fd object */
    fx_begin(&E, SGC_REC_SYSCALL, __NR_socket, -EMFILE);
    E.b.hdr->args[0] = AF_INET6;
    E.b.hdr->args[1] = SOCK_STREAM;
    const sgc_evt *ev = fx_done(&E);
    assert_string_equal(field("fd.num", NULL, ev), "-1");
    assert_string_equal(field("fd.typechar", NULL, ev), "4");
    assert_string_equal(field("fd.type", NULL, ev), "<NA>");
    assert_string_equal(field("fd.l4proto", NULL, ev), "<NA>");
    fx_begin(&E, SGC_REC_SYSCALL, __NR_accept4, -EAGAIN);
    ev = fx_done(&E);
    assert_string_equal(field("fd.num", NULL, ev), "-1");
    assert_string_equal(field("fd.typechar", NULL, ev), "4");
    assert_false(holds("fd.sip exists", ev));
    /* a syscall that creates no fd has no fd fields at all */
    fx_begin(&E, SGC_REC_SYSCALL, __NR_getpid, 1000);
    ev = fx_done(&E);
    assert_string_equal(field("fd.num", NULL, ev), "<NA>");
    assert_string_equal(field("fd.typechar", NULL, ev), "<NA>");
}

static const sgc_evt *connect_ev(const char *rip, uint16_t rport)
{
    fx_begin(&E, SGC_REC_SYSCALL, __NR_connect, 0);
    E.b.hdr->args[0] = 5;
    fx_tuple(&E, AF_INET, IPPROTO_TCP, "10.0.0.5", 40000, rip, rport);
    return fx_done(&E);
}

/* fd.*ip.name: Falco resolves the names of the rules and compares
 * addresses; sgc looks the address up in the name -> address table. */
static void test_ip_names(void **state)
{
    sgc_dnsnames *dns = sgc_dnsnames_new();
    sgc_proctable_attach_dns(pt, dns);
    sgc_dns_addr k8s = {.family = AF_INET, .addr = {10, 96, 0, 1}};
    sgc_dns_addr pool[2] = {{.family = AF_INET, .addr = {203, 0, 113, 103}},
                            {.family = AF_INET6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 3}}};
    assert_int_equal(sgc_dnsnames_set(dns, "kubernetes.default.svc.cluster.local", &k8s, 1), 0);
    assert_int_equal(sgc_dnsnames_set(dns, "pool.minexmr.com", pool, 2), 0);
    assert_int_equal(sgc_dnsnames_set(dns, "xmr.example", pool, 1), 0);

    const sgc_evt *ev = connect_ev("10.96.0.1", 443);
    assert_string_equal(field("fd.sip.name", NULL, ev), "kubernetes.default.svc.cluster.local");
    assert_true(holds("fd.sip.name = \"kubernetes.default.svc.cluster.local\"", ev));
    assert_false(holds("fd.sip.name != \"kubernetes.default.svc.cluster.local\"", ev));
    assert_true(holds("fd.sip.name != other.example", ev));
    assert_false(holds("fd.sip.name = other.example", ev));
    assert_string_equal(field("fd.cip.name", NULL, ev), "<NA>"); /* 10.0.0.5: unknown */
    assert_string_equal(field("fd.rip.name", NULL, ev), "kubernetes.default.svc.cluster.local");

    /* two names resolve to one address: either one matches */
    ev = connect_ev("203.0.113.103", 443);
    assert_true(holds("fd.sip.name in (a.example, xmr.example)", ev));
    assert_true(holds("fd.sip.name = pool.minexmr.com", ev));
    assert_false(holds("fd.sip.name != pool.minexmr.com", ev));
    assert_false(holds("fd.sip.name in (a.example, b.example)", ev));

    /* a fresh resolution replaces the old addresses */
    sgc_dns_addr moved = {.family = AF_INET, .addr = {10, 96, 0, 2}};
    assert_int_equal(sgc_dnsnames_set(dns, "kubernetes.default.svc.cluster.local", &moved, 1), 0);
    ev = connect_ev("10.96.0.1", 443);
    assert_false(holds("fd.sip.name = \"kubernetes.default.svc.cluster.local\"", ev));
    assert_int_equal(sgc_dnsnames_size(dns), 4);

    /* not a socket: no value (every operator false) */
    ev = openat_ev("/etc/hosts", O_RDONLY, 0, 3, NULL);
    assert_false(holds("fd.sip.name != x", ev));

    sgc_proctable_attach_dns(pt, NULL);
    sgc_dnsnames_free(dns);
    /* without a table (no knowledge at all): no value */
    ev = connect_ev("10.96.0.1", 443);
    assert_string_equal(field("fd.sip.name", NULL, ev), "<NA>");
}

/* The names rules compare fd.*ip.name with, and the live resolver (on
 * localhost, which resolves offline from /etc/hosts). */
static void test_ip_name_resolver(void **state)
{
    sgc_ruleset *rs = load_rules(
        "- list: pools\n  items: [localhost, b.invalid]\n"
        "- rule: r1\n  desc: d\n  condition: evt.type = connect and fd.sip.name in (pools)\n"
        "  output: o\n  priority: WARNING\n"
        "- rule: r2\n  desc: d\n  condition: evt.type = connect and fd.cip.name != a.invalid "
        "and fd.sip.name = localhost and fd.sip.name contains ignored\n"
        "  output: o\n  priority: WARNING\n");
    char **names;
    int n = sgc_dns_rule_names(rs, &names);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "localhost");
    assert_string_equal(names[1], "b.invalid");
    assert_string_equal(names[2], "a.invalid");

    sgc_dnsnames *dns = sgc_dnsnames_new();
    sgc_dns_resolver *r = sgc_dns_resolver_start(dns, names, 1, 3600, 2000);
    assert_non_null(r);
    for (int i = 0; i < 500 && sgc_dns_resolver_rounds(r) == 0; i++) usleep(10000);
    assert_true(sgc_dns_resolver_rounds(r) >= 1);
    sgc_dns_resolver_stop(r); /* prompt, although the next round is an hour away */
    sgc_arena a;
    sgc_arena_init(&a, 0);
    const char **found;
    size_t *lens;
    uint8_t lo[16] = {127, 0, 0, 1};
    assert_int_equal(sgc_dnsnames_names_of(dns, AF_INET, lo, &a, &found, &lens), 1);
    assert_string_equal(found[0], "localhost");
    sgc_arena_free(&a);
    sgc_dnsnames_free(dns);
    sgc_dns_names_free(names, n);
    sgc_ruleset_free(rs);
}

static int setup(void **state)
{
    sgc_arena_init(&arena, 0);
    pt = sgc_proctable_new(NULL);
    return pt ? 0 : -1;
}

static int teardown(void **state)
{
    sgc_proctable_free(pt);
    sgc_arena_free(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_fields),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_open_failed_relative),
        cmocka_unit_test(test_network),
        cmocka_unit_test(test_other_syscalls),
        cmocka_unit_test(test_exec_and_process),
        cmocka_unit_test(test_engine),
        cmocka_unit_test(test_engine_compile_errors),
        cmocka_unit_test(test_corpus_compiles),
        cmocka_unit_test(test_random_records),
        cmocka_unit_test(test_failed_fd_creators),
        cmocka_unit_test(test_ip_names),
        cmocka_unit_test(test_ip_name_resolver),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
