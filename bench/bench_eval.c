/* Benchmark (not a test): events evaluated per second on one core through
 * the rules of the three corpus files, on a synthetic mix resembling a busy
 * host: mostly read/write/close/futex/epoll, some opens of ordinary files,
 * a little network, few execs; most events match nothing.
 *
 * Each iteration does what the runtime does per record: decode, find the
 * process entry (exec records update the table), reset the per-event
 * context and scratch arena, match the rules.
 *
 *   bench_eval [CORPUS_DIR] [SECONDS] [heavy]   (defaults: the configured corpus, 3 s)
 *
 * `heavy` is a worst case instead: 40% opens (a third of them under /etc),
 * 5% execs, the rest as above. */
#include "decode.h"
#include "eval.h"
#include "extract.h"
#include "loader.h"
#include "proctable.h"
#include "resolve.h"

#include <arpa/inet.h>
#include <asm/unistd_64.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define NEVENTS 8192
#define MAXREC  1024

static _Alignas(8) uint8_t records[NEVENTS][MAXREC];
static size_t record_len[NEVENTS];

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

typedef struct {
    uint32_t pid, ppid;
    const char *comm, *exe;
    const char *argv;
    size_t argv_len;
} fake_proc;

/* argv as a NUL-separated literal and its exact size */
#define ARGV(lit) lit, sizeof(lit)

/* A few processes of a busy server. */
static const fake_proc procs[] = {
    {1, 0, "systemd", "/usr/lib/systemd/systemd", ARGV("/usr/lib/systemd/systemd\0--system")},
    {410, 1, "sshd", "/usr/sbin/sshd", ARGV("/usr/sbin/sshd\0-D")},
    {520, 1, "nginx", "/usr/sbin/nginx", ARGV("nginx\0-g\0daemon off;")},
    {530, 1, "postgres", "/usr/lib/postgresql/15/bin/postgres",
     ARGV("postgres\0-D\0/var/lib/postgresql")},
    {640, 1, "java", "/usr/bin/java", ARGV("java\0-jar\0/opt/app.jar")},
    {700, 410, "bash", "/bin/bash", ARGV("-bash")},
    {720, 1, "python3", "/usr/bin/python3", ARGV("python3\0/opt/worker.py")},
};
#define NPROCS (sizeof procs / sizeof procs[0])

static struct sgc_event_hdr *begin(sgc_record_builder *b, int i, enum sgc_record_kind kind,
                                   uint32_t nr, int64_t ret, const fake_proc *p)
{
    sgc_record_begin(b, records[i], MAXREC, kind, nr, 0);
    struct sgc_event_hdr *h = b->hdr;
    h->ret = ret;
    h->pid = h->tid = p->pid;
    h->ppid = p->ppid;
    h->uid = h->euid = p->pid == 520 ? 33 : 0;
    h->ts_ns = 1000000000ull + (uint64_t)i * 1000;
    snprintf(h->comm, sizeof h->comm, "%s", p->comm);
    return h;
}

static void add_tuple(sgc_record_builder *b, const char *lip, uint16_t lport, const char *rip,
                      uint16_t rport, int proto)
{
    struct sgc_socktuple t;
    memset(&t, 0, sizeof t);
    t.family = AF_INET;
    t.proto = (uint16_t)proto;
    t.lport = lport;
    t.rport = rport;
    inet_pton(AF_INET, lip, t.laddr);
    inet_pton(AF_INET, rip, t.raddr);
    sgc_record_add_blob(b, SGC_BLOB_SOCKTUPLE, &t, sizeof t, 0);
}

static const char *const files_read[] = {"/usr/lib/x86_64-linux-gnu/libc.so.6",
                                         "/proc/self/stat",
                                         "/etc/hosts",
                                         "/var/www/html/index.html",
                                         "/usr/share/zoneinfo/UTC",
                                         "/opt/app/config.yaml",
                                         "/sys/fs/cgroup/memory.max",
                                         "/etc/ld.so.cache"};
static const char *const files_write[] = {"/var/log/nginx/access.log", "/tmp/worker.tmp",
                                          "/var/lib/postgresql/15/main/pg_wal/000001"};

static bool heavy;

static void make_event(int i)
{
    sgc_record_builder b;
    const fake_proc *p = &procs[1 + rnd() % (NPROCS - 1)];
    uint32_t r = rnd() % 1000;
    if (heavy) {
        /* map 0..399 to opens, 400..449 to execs, the rest unchanged */
        uint32_t h = rnd() % 1000;
        r = h < 400 ? 860 + h % 80 : h < 450 ? 985 + h % 5 : r;
    }
    struct sgc_event_hdr *h;
    if (r < 300) { /* read */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_read, 512, p);
        h->args[0] = 5 + rnd() % 20;
        h->args[2] = 4096;
        sgc_record_add_str(&b, SGC_BLOB_FDPATH, files_read[rnd() % 8]);
    } else if (r < 520) { /* write */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_write, 128, p);
        h->args[0] = 1 + rnd() % 20;
        h->args[2] = 128;
        sgc_record_add_str(&b, SGC_BLOB_FDPATH, files_write[rnd() % 3]);
    } else if (r < 620) { /* close */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_close, 0, p);
        h->args[0] = 5 + rnd() % 20;
    } else if (r < 720) { /* futex */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_futex, 0, p);
    } else if (r < 800) { /* epoll_wait */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_epoll_wait, 1, p);
        h->args[0] = 4;
    } else if (r < 860) { /* recvfrom / sendto on connections */
        bool recv = rnd() & 1;
        h = begin(&b, i, SGC_REC_SYSCALL, recv ? __NR_recvfrom : __NR_sendto, 300, p);
        h->args[0] = 9;
        add_tuple(&b, "10.0.0.5", 443, "203.0.113.7", (uint16_t)(30000 + rnd() % 30000),
                  IPPROTO_TCP);
    } else if (r < 940) { /* opens of ordinary files */
        bool wr = rnd() % 4 == 0;
        const char *path = wr ? files_write[rnd() % 3] : files_read[rnd() % 8];
        if (heavy && rnd() % 3 == 0) path = rnd() % 2 ? "/etc/shadow" : "/etc/nginx/nginx.conf";
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_openat, 7, p);
        h->args[0] = (uint64_t)(int64_t)AT_FDCWD;
        h->args[2] = wr ? (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC);
        h->args[3] = 0644;
        sgc_record_add_str(&b, SGC_BLOB_ARG0 + 1, path);
    } else if (r < 970) { /* newfstatat */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_newfstatat, 0, p);
        sgc_record_add_str(&b, SGC_BLOB_ARG0 + 1, files_read[rnd() % 8]);
    } else if (r < 985) { /* outbound connect */
        h = begin(&b, i, SGC_REC_SYSCALL, __NR_connect, 0, p);
        h->args[0] = 11;
        add_tuple(&b, "10.0.0.5", (uint16_t)(40000 + rnd() % 20000), "10.0.0.9", 5432, IPPROTO_TCP);
    } else if (r < 990) { /* exec of a benign tool by bash */
        const fake_proc *bash = &procs[5];
        fake_proc child = {(uint32_t)(800 + rnd() % 50), bash->pid, "ls", "/usr/bin/ls",
                           ARGV("ls\0-la")};
        h = begin(&b, i, SGC_REC_PROC_EXEC, __NR_execve, 0, &child);
        sgc_record_add_str(&b, SGC_BLOB_EXE, child.exe);
        sgc_record_add_blob(&b, SGC_BLOB_ARGV, child.argv, child.argv_len, 0);
        sgc_record_add_str(&b, SGC_BLOB_CWD, "/root");
        sgc_record_add_str(&b, SGC_BLOB_ARG0, child.exe);
    } else { /* mmap, clock_nanosleep, getpid... */
        static const int nrs[] = {__NR_mmap, __NR_clock_nanosleep, __NR_getpid, __NR_lseek,
                                  __NR_fstat};
        h = begin(&b, i, SGC_REC_SYSCALL, (uint32_t)nrs[rnd() % 5], 0, p);
    }
    record_len[i] = sgc_record_finish(&b);
    if (!record_len[i]) {
        fprintf(stderr, "bench: record %d overflows\n", i);
        exit(1);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: the per-core figure stays meaningful when other
 * work shares the machine (wall time is printed too). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const sgc_rule *matched_rules[64];
static uint64_t matched_counts[64];

static void on_match(const sgc_rule *r, sgc_extract_ctx *cx, void *ud)
{
    (void)cx;
    (*(uint64_t *)ud)++;
    for (int i = 0; i < 64; i++) {
        if (!matched_rules[i]) matched_rules[i] = r;
        if (matched_rules[i] == r) {
            matched_counts[i]++;
            break;
        }
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : SGC_CORPUS_DIR;
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    heavy = argc > 3 && strcmp(argv[3], "heavy") == 0;
    static const char *files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                                  "falco-sandbox_rules.yaml"};
    sgc_ruleset *rs = sgc_ruleset_new();
    for (int i = 0; i < 3; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (sgc_ruleset_load_file(rs, path) != 0) {
            fprintf(stderr, "bench: cannot load %s\n", path);
            return 1;
        }
    }
    sgc_ruleset_resolve(rs);
    sgc_diags d;
    sgc_diags_init(&d);
    double t0 = now_s();
    sgc_engine *e = sgc_engine_build(rs, NULL, &d);
    double build_s = now_s() - t0;
    if (!e || d.nerrors) {
        fprintf(stderr, "bench: %d rules failed to compile\n", d.nerrors);
        for (int i = 0; i < d.n; i++) fprintf(stderr, "  %s\n", d.v[i].msg);
    }

    sgc_proctable *pt = sgc_proctable_new(NULL);
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    /* Give the table its processes: one exec record each. */
    for (size_t k = 0; k < NPROCS; k++) {
        sgc_record_builder b;
        begin(&b, 0, SGC_REC_PROC_EXEC, __NR_execve, 0, &procs[k]);
        sgc_record_add_str(&b, SGC_BLOB_EXE, procs[k].exe);
        sgc_record_add_blob(&b, SGC_BLOB_ARGV, procs[k].argv, procs[k].argv_len, 0);
        sgc_record_add_str(&b, SGC_BLOB_CWD, "/");
        size_t n = sgc_record_finish(&b);
        sgc_evt ev;
        if (n && sgc_decode(records[0], n, &ev) == SGC_DECODE_OK) sgc_proctable_apply(pt, &ev);
    }
    for (int i = 0; i < NEVENTS; i++) make_event(i);

    sgc_extract_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.scratch = &arena;
    cx.pt = pt;
    cx.hostname = "bench";
    uint64_t events = 0, matches = 0, decode_errors = 0;
    double start = now_s(), elapsed = 0, cpu0 = cpu_s();
    while (elapsed < seconds) {
        for (int i = 0; i < NEVENTS; i++) {
            sgc_evt ev;
            if (sgc_decode(records[i], record_len[i], &ev) != SGC_DECODE_OK) {
                decode_errors++;
                continue;
            }
            ev.evtnum = ++events;
            sgc_proc *p = sgc_proctable_apply(pt, &ev);
            sgc_extract_ctx_reset(&cx, &ev, p);
            sgc_engine_match(e, &cx, on_match, &matches);
            sgc_arena_reset(&arena);
        }
        elapsed = now_s() - start;
    }
    double pipeline_cpu = cpu_s() - cpu0, pipeline_wall = elapsed;
    sgc_engine_stats st;
    sgc_engine_get_stats(e, &st);
    double pipeline_rate = events / pipeline_cpu;

    /* Phase 2, the evaluator alone: records decoded and their process
     * entries looked up beforehand; per event only the context reset and
     * the rule matching are timed. */
    static sgc_evt evs[NEVENTS];
    static sgc_proc *ps[NEVENTS];
    for (int i = 0; i < NEVENTS; i++) {
        sgc_decode(records[i], record_len[i], &evs[i]);
        ps[i] = sgc_proctable_apply(pt, &evs[i]);
    }
    uint64_t eval_events = 0, eval_matches = 0;
    start = now_s();
    elapsed = 0;
    cpu0 = cpu_s();
    while (elapsed < seconds) {
        for (int i = 0; i < NEVENTS; i++) {
            evs[i].evtnum = ++eval_events;
            sgc_extract_ctx_reset(&cx, &evs[i], ps[i]);
            sgc_engine_match(e, &cx, on_match, &eval_matches);
            sgc_arena_reset(&arena);
        }
        elapsed = now_s() - start;
    }
    double eval_cpu = cpu_s() - cpu0;
    double eval_rate = eval_events / eval_cpu;

    printf("rules compiled:          %d (in %.1f ms)\n", sgc_engine_nrules(e), build_s * 1e3);
    printf("event mix:               %s, %d distinct records replayed in a loop\n",
           heavy ? "heavy (40%% opens, 5%% execs)" : "busy host", NEVENTS);
    printf("full pipeline (decode + process table + evaluation):\n");
    printf(
        "  events/s/core:         %.2f million (%.1f ns/event of CPU; %.2f s CPU in %.2f s wall)\n",
        pipeline_rate / 1e6, 1e9 / pipeline_rate, pipeline_cpu, pipeline_wall);
    printf("evaluation only (context reset + rule matching):\n");
    printf(
        "  events/s/core:         %.2f million (%.1f ns/event of CPU; %.2f s CPU in %.2f s wall)\n",
        eval_rate / 1e6, 1e9 / eval_rate, eval_cpu, elapsed);
    printf("rules evaluated/event:   %.3f\n", (double)st.rules_evaluated / (double)st.events);
    printf("field extractions/event: %.3f\n", (double)st.extractions / (double)st.events);
    printf("matches:                 %llu (%.4f%% of events)\n", (unsigned long long)matches,
           100.0 * (double)matches / (double)events);
    printf("decode errors:           %llu\n", (unsigned long long)decode_errors);
    for (int i = 0; i < 64 && matched_rules[i]; i++)
        printf("  matched %-50s %llu\n", matched_rules[i]->name,
               (unsigned long long)matched_counts[i]);
    sgc_engine_free(e);
    sgc_proctable_free(pt);
    sgc_arena_free(&arena);
    sgc_diags_free(&d);
    sgc_ruleset_free(rs);
    return 0;
}
