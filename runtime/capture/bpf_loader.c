/* libbpf: open the capture object from memory, configure, load, attach,
 * consume the ring buffer, read counters. */
#include "bpf_loader.h"
#include "bpf_loader_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_syscalls.h"
#include "caps.h"
#include "hostroot.h"
#include "sgc_event.h"

_Static_assert(SGC_NR_EXECVE == __NR_execve && SGC_NR_EXECVEAT == __NR_execveat,
               "capture.h: the exec syscalls' numbers");

/* the object compiled from bpf-templates/capture.bpf.c (cmake/bpf.cmake) */
extern const char sgc_capture_bpf_obj[];
extern const char sgc_capture_bpf_obj_end[];

/* ---- libbpf logging: quiet unless verbose, but keep what a failure needs */

static struct {
    bool verbose;
    char buf[1 << 16];
    size_t len;
} g_log;

static void log_append(const char *text, size_t len)
{
    const size_t cap = sizeof g_log.buf - 1;
    if (len > cap) { /* a verifier log: its end says why */
        text += len - cap;
        len = cap;
    }
    if (g_log.len + len > cap) { /* drop the oldest text */
        size_t drop = g_log.len + len - cap;
        memmove(g_log.buf, g_log.buf + drop, g_log.len - drop);
        g_log.len -= drop;
    }
    memcpy(g_log.buf + g_log.len, text, len);
    g_log.len += len;
    g_log.buf[g_log.len] = 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (g_log.verbose) return vfprintf(stderr, fmt, ap);
    if (level == LIBBPF_DEBUG) return 0;
    /* warnings (incl. the verifier log of a rejected program) are kept and
     * shown only if loading fails */
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return n;
    char *text = malloc((size_t)n + 1);
    if (!text) return -1;
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    log_append(text, (size_t)n);
    free(text);
    return n;
}

void sgc_bpf_log_reset(bool verbose)
{
    g_log.verbose = verbose;
    g_log.len = 0;
    g_log.buf[0] = 0;
    libbpf_set_print(libbpf_print);
}

void sgc_bpf_log_dump_on_failure(void)
{
    if (!g_log.verbose && g_log.len) fprintf(stderr, "libbpf log:\n%s", g_log.buf);
}

/* ---- options ----------------------------------------------------------- */

struct sgc_bpf_options sgc_bpf_default_options(void)
{
    struct sgc_bpf_options o = {0};
    o.strategy = sgc_bpf_pick_strategy();
    o.proc_events = true;
    o.wakeup_bytes = 256 * 1024; /* batching halves the capture cost */
    o.wakeup_us = 1000;          /* ...but no record waits long for it */
    o.snaplen = 80;              /* Falco's default snaplen */
    return o;
}

const char *sgc_hook_strategy_name(enum sgc_hook_strategy s)
{
    return s == SGC_HOOK_RAW_SYSCALLS ? "raw_syscalls" : "per-syscall";
}

bool sgc_bpf_is_interesting_tp(const struct sgc_bpf_options *o, const char *tp)
{
    for (size_t i = 0; i < o->nsyscalls; i++) {
        const struct sgc_syscall_info *info = sgc_syscall_by_nr(o->syscalls[i]);
        if (info && strcmp(info->tracepoint, tp) == 0) return true;
    }
    return false;
}

static bool tracepoint_exists(const char *tp)
{
    char path[256];
    snprintf(path, sizeof path, "/sys/kernel/tracing/events/syscalls/sys_exit_%s", tp);
    if (faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) == 0) return true;
    snprintf(path, sizeof path, "/sys/kernel/debug/tracing/events/syscalls/sys_exit_%s", tp);
    return faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) == 0;
}

/* Choose which programs get loaded; report syscalls this strategy cannot hook. */
int sgc_bpf_select_programs(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                            size_t errlen)
{
    for (size_t i = 0; i < o->nsyscalls; i++) {
        const struct sgc_syscall_info *info = sgc_syscall_by_nr(o->syscalls[i]);
        if (!info) {
            snprintf(err, errlen, "syscall number %d is not supported by the capture programs",
                     o->syscalls[i]);
            return -1;
        }
        if (o->strategy != SGC_HOOK_PER_SYSCALL) continue;
        char name[64];
        snprintf(name, sizeof name, "sgc_exit_%s", info->tracepoint);
        if (!bpf_object__find_program_by_name(obj, name) || !tracepoint_exists(info->tracepoint)) {
            snprintf(err, errlen,
                     "syscall %s has no syscalls/sys_exit_%s tracepoint here; use the "
                     "raw_syscalls hook strategy",
                     info->name, info->tracepoint);
            return -1;
        }
    }
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, obj)
    {
        const char *name = bpf_program__name(prog);
        bool load;
        if (strcmp(name, "sgc_sys_exit") == 0 || strcmp(name, "sgc_sys_exit_handler") == 0)
            load = o->strategy == SGC_HOOK_RAW_SYSCALLS;
        else if (strcmp(name, "sgc_exit_handler") == 0)
            load = o->strategy == SGC_HOOK_PER_SYSCALL;
        else if (strncmp(name, "sgc_exit_", 9) == 0)
            load = o->strategy == SGC_HOOK_PER_SYSCALL && sgc_bpf_is_interesting_tp(o, name + 9);
        else if (strncmp(name, "sgc_proc_", 9) == 0 || strcmp(name, "sgc_exec_handler") == 0)
            load = o->proc_events;
        else if (strcmp(name, "sgc_filter_test") == 0)
            load = o->filter_test;
        else
            load = true; /* programs a generated object adds */
        bpf_program__set_autoload(prog, load);
    }
    struct bpf_map *test_input = bpf_object__find_map_by_name(obj, "sgc_test_input");
    if (test_input) bpf_map__set_autocreate(test_input, o->filter_test);
    return 0;
}

int sgc_bpf_size_maps(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                      size_t errlen)
{
    int ncpus = libbpf_num_possible_cpus();
    struct bpf_map *scratch = bpf_object__find_map_by_name(obj, "sgc_scratch");
    struct bpf_map *events = bpf_object__find_map_by_name(obj, "sgc_events");
    if (ncpus <= 0 || !scratch || !events) {
        snprintf(err, errlen, "BPF object lacks the capture maps (sgc_scratch, sgc_events)");
        return -1;
    }
    if (bpf_map__set_max_entries(scratch, (unsigned)ncpus * SGC_SCRATCH_SLOTS)) return -1;
    uint32_t n = o->ringbuf_bytes ? o->ringbuf_bytes : SGC_RINGBUF_DEFAULT;
    if (n < 4096 || (n & (n - 1))) {
        snprintf(err, errlen, "ring buffer size %u is not a power of two >= 4096", n);
        return -1;
    }
    if (bpf_map__set_max_entries(events, n)) return -1;
    return o->before_load ? o->before_load(o->before_attach_ud, obj, err, errlen) : 0;
}

int sgc_bpf_fill_maps(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                      size_t errlen)
{
    struct bpf_map *cfg_map = bpf_object__find_map_by_name(obj, "sgc_config");
    struct bpf_map *sys_map = bpf_object__find_map_by_name(obj, "sgc_syscalls");
    if (!cfg_map || !sys_map) {
        snprintf(err, errlen, "BPF object lacks the maps sgc_config / sgc_syscalls");
        return -1;
    }
    struct sgc_config cfg = {
        .self_tgid = (uint32_t)sgc_host_pid(), /* the kernel sees host PIDs */
        .nopushdown = o->nopushdown,
        .env_max = o->env_max,
        /* only where the syscall handler sends parked records (an older
         * artifact's object has neither) */
        .lazy_fork = o->lazy_fork && bpf_object__find_map_by_name(obj, "sgc_lazy_fork"),
        .snaplen = o->snaplen,
        .wakeup_bytes = o->wakeup_bytes,
        .wakeup_ns = o->wakeup_us * 1000u,
    };
    uint32_t zero = 0;
    if (bpf_map__update_elem(cfg_map, &zero, sizeof zero, &cfg, sizeof cfg, BPF_ANY)) {
        snprintf(err, errlen, "cannot set sgc_config: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < o->nsyscalls; i++) {
        const struct sgc_syscall_info *info = sgc_syscall_by_nr(o->syscalls[i]);
        uint32_t key = (uint32_t)info->nr;
        struct sgc_syscall_spec spec = info->spec;
        spec.gen = o->gen ? o->gen : 1;
        for (size_t k = 0; k < o->ndata_syscalls && o->snaplen; k++)
            if (o->data_syscalls[k] == info->nr) sgc_syscall_data_spec(info->nr, &spec);
        if (bpf_map__update_elem(sys_map, &key, sizeof key, &spec, sizeof spec, BPF_ANY)) {
            snprintf(err, errlen, "cannot set interest for %s: %s", info->name, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Programs that are loaded but never attached: the handlers are reached by
 * tail call, sgc_filter_test by BPF_PROG_TEST_RUN. */
static bool is_attached(const struct bpf_program *prog)
{
    const char *name = bpf_program__name(prog);
    return strcmp(name, "sgc_exit_handler") != 0 && strcmp(name, "sgc_sys_exit_handler") != 0 &&
           strcmp(name, "sgc_exec_handler") != 0 && strcmp(name, "sgc_filter_test") != 0;
}

/* Put the loaded program `prog` (what: its name in messages) in slot 0 of
 * the program array tail_fd. */
static int put_in_slot0(const struct bpf_program *prog, int tail_fd, const char *what, char *err,
                        size_t errlen)
{
    uint32_t zero = 0;
    int fd = bpf_program__fd(prog);
    if (fd < 0 || bpf_map_update_elem(tail_fd, &zero, &fd, BPF_ANY)) {
        snprintf(err, errlen, "cannot install the %s: %s", what, strerror(fd < 0 ? EBADF : errno));
        return -1;
    }
    return 0;
}

/* The stubs tail-call the strategy's handler through slot 0 of its
 * program array (a reload replaces it there). */
int sgc_bpf_install_handler(struct bpf_object *obj, const struct sgc_bpf_options *o, int tail_fd,
                            char *err, size_t errlen)
{
    bool raw = o->strategy == SGC_HOOK_RAW_SYSCALLS;
    struct bpf_program *handler =
        bpf_object__find_program_by_name(obj, raw ? "sgc_sys_exit_handler" : "sgc_exit_handler");
    if (!handler || bpf_program__fd(handler) < 0) {
        snprintf(err, errlen, "the BPF object lacks the syscall exit handler");
        return -1;
    }
    return put_in_slot0(handler, tail_fd, "syscall exit handler", err, errlen);
}

int sgc_bpf_install_exec_handler(struct bpf_object *obj, int tail_fd, char *err, size_t errlen)
{
    struct bpf_program *handler = bpf_object__find_program_by_name(obj, "sgc_exec_handler");
    if (tail_fd < 0 || !handler || !bpf_program__autoload(handler)) return 0;
    return put_in_slot0(handler, tail_fd, "exec handler", err, errlen);
}

/* The tracepoint name of a per-syscall stub ("openat" for sgc_exit_openat),
 * NULL for the other programs. */
static const char *stub_tracepoint(const struct bpf_program *prog)
{
    const char *name = bpf_program__name(prog);
    if (strncmp(name, "sgc_exit_", 9) || !strcmp(name, "sgc_exit_handler")) return NULL;
    return name + 9;
}

int sgc_bpf_add_link(struct sgc_bpf *b, struct bpf_program *prog, char *err, size_t errlen)
{
    if (b->nlinks == MAX_LINKS) {
        snprintf(err, errlen, "too many programs to attach (max %d)", MAX_LINKS);
        return -1;
    }
    const char *tp = stub_tracepoint(prog);
    char *tp_copy = tp ? strdup(tp) : NULL;
    if (tp && !tp_copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct bpf_link *link = bpf_program__attach(prog);
    if (!link) {
        snprintf(err, errlen, "cannot attach %s (%s): %s", bpf_program__name(prog),
                 bpf_program__section_name(prog), strerror(errno));
        free(tp_copy);
        return -1;
    }
    b->links[b->nlinks] = link;
    b->link_tp[b->nlinks++] = tp_copy;
    return 0;
}

const char *const sgc_bpf_optional_shared[SGC_BPF_NOPTIONAL_SHARED] = {
    "sgc_cid", "sgc_lazy_fork", "sgc_lazy_parents", "sgc_unames", "sgc_exec_tail"};

/* The shared maps every generation's programs write through (reload). */
static int keep_shared_fds(struct sgc_bpf *b, char *err, size_t errlen)
{
    static const char *const names[] = {"sgc_events", "sgc_counters", "sgc_config", "sgc_exit_tail",
                                        "sgc_raw_tail"};
    int *fds[] = {&b->events_fd, &b->counters_fd, &b->config_fd, &b->exit_tail_fd, &b->raw_tail_fd};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int fd = bpf_object__find_map_fd_by_name(b->obj, names[i]);
        *fds[i] = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (*fds[i] < 0) {
            snprintf(err, errlen, "the BPF object lacks the map %s", names[i]);
            return -1;
        }
    }
    /* optional: objects of artifacts written by older versions lack them */
    int *opt_fds[] = {&b->cid_fd, &b->lazy_fork_fd, &b->lazy_parents_fd, &b->unames_fd,
                      &b->exec_tail_fd};
    for (size_t i = 0; i < SGC_BPF_NOPTIONAL_SHARED; i++) {
        int fd = bpf_object__find_map_fd_by_name(b->obj, sgc_bpf_optional_shared[i]);
        *opt_fds[i] = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);
    }
    return 0;
}

static int attach_all(struct sgc_bpf *b, char *err, size_t errlen)
{
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, b->obj)
    {
        if (!bpf_program__autoload(prog) || !is_attached(prog)) continue;
        if (sgc_bpf_add_link(b, prog, err, errlen)) return -1;
    }
    return 0;
}

static int ringbuf_sample(void *ctx, void *data, size_t size)
{
    struct sgc_bpf *b = ctx;
    return b->on_record ? b->on_record(b->ctx, data, size) : 0;
}

static struct sgc_bpf *open_load_attach(const struct sgc_bpf_options *o, sgc_record_fn on_record,
                                        void *ctx, char *err, size_t errlen);

struct sgc_bpf *sgc_bpf_open(const struct sgc_bpf_options *o, sgc_record_fn on_record, void *ctx,
                             char *err, size_t errlen)
{
    sgc_caps_raise_load(); /* lowered again below, whatever happens */
    struct sgc_bpf *b = sgc_bpf_preflight(o->strategy, err, errlen)
                            ? NULL
                            : open_load_attach(o, on_record, ctx, err, errlen);
    sgc_caps_lower_load();
    return b;
}

static struct sgc_bpf *open_load_attach(const struct sgc_bpf_options *o, sgc_record_fn on_record,
                                        void *ctx, char *err, size_t errlen)
{
    sgc_bpf_log_reset(o->verbose);
    struct sgc_bpf *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->on_record = on_record;
    b->ctx = ctx;
    b->opts = *o;
    b->events_fd = b->counters_fd = b->config_fd = b->exit_tail_fd = b->raw_tail_fd = -1;
    b->cid_fd = b->lazy_fork_fd = b->lazy_parents_fd = b->unames_fd = b->exec_tail_fd = -1;

    const void *data = o->obj_data ? o->obj_data : sgc_capture_bpf_obj;
    size_t size =
        o->obj_data ? o->obj_size : (size_t)(sgc_capture_bpf_obj_end - sgc_capture_bpf_obj);
    LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "sgc_capture");
    b->obj = bpf_object__open_mem(data, size, &open_opts);
    if (!b->obj) {
        snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
        goto fail;
    }
    if (sgc_bpf_size_maps(b->obj, o, err, errlen) ||
        sgc_bpf_select_programs(b->obj, o, err, errlen))
        goto fail;
    if (bpf_object__load(b->obj)) {
        int e = errno;
        sgc_bpf_log_dump_on_failure();
        snprintf(err, errlen, "loading the BPF programs failed (%s)%s", strerror(e),
                 e == EACCES || e == EINVAL ? ": rejected by the verifier, log above" : "");
        goto fail;
    }
    if (keep_shared_fds(b, err, errlen) || sgc_bpf_fill_maps(b->obj, o, err, errlen) ||
        sgc_bpf_install_handler(
            b->obj, o, o->strategy == SGC_HOOK_RAW_SYSCALLS ? b->raw_tail_fd : b->exit_tail_fd, err,
            errlen) ||
        sgc_bpf_install_exec_handler(b->obj, b->exec_tail_fd, err, errlen))
        goto fail;
    if (o->before_attach && o->before_attach(o->before_attach_ud, b->obj, err, errlen)) goto fail;
    if (attach_all(b, err, errlen)) goto fail;
    b->rb = ring_buffer__new(b->events_fd, ringbuf_sample, b, NULL);
    if (!b->rb) {
        snprintf(err, errlen, "cannot set up the ring buffer: %s", strerror(errno));
        goto fail;
    }
    return b;
fail:
    sgc_bpf_close(b);
    return NULL;
}

int sgc_bpf_poll(struct sgc_bpf *b, int timeout_ms)
{
    int n = ring_buffer__poll(b->rb, timeout_ms);
    /* with batched wakeups (wakeup_bytes) records can be pending without
     * a wakeup: the timeout is when they get delivered */
    if (n == 0) n = ring_buffer__consume(b->rb);
    return n;
}

int sgc_bpf_drain(struct sgc_bpf *b) { return ring_buffer__consume(b->rb); }

int sgc_bpf_epoll_fd(const struct sgc_bpf *b) { return ring_buffer__epoll_fd(b->rb); }

int sgc_bpf_read_counters(const struct sgc_bpf *b, struct sgc_bpf_counters *out)
{
    int ncpus = libbpf_num_possible_cpus();
    if (ncpus <= 0) return ncpus ? ncpus : -EINVAL;
    uint64_t *vals = calloc((size_t)ncpus, sizeof *vals);
    uint64_t sums[SGC_CNT__COUNT] = {0};
    if (!vals) return -ENOMEM;
    for (uint32_t k = 0; k < SGC_CNT__COUNT; k++) {
        if (bpf_map_lookup_elem(b->counters_fd, &k, vals)) {
            int e = -errno;
            free(vals);
            return e;
        }
        for (int c = 0; c < ncpus; c++) sums[k] += vals[c];
    }
    free(vals);
    out->seen = sums[SGC_CNT_SEEN];
    out->filtered = sums[SGC_CNT_FILTERED];
    out->passed = sums[SGC_CNT_PASSED];
    out->rb_fail = sums[SGC_CNT_RB_FAIL];
    out->too_big = sums[SGC_CNT_TOO_BIG];
    out->no_scratch = sums[SGC_CNT_NO_SCRATCH];
    out->lc_seen = sums[SGC_CNT_LC_SEEN];
    out->lc_passed = sums[SGC_CNT_LC_PASSED];
    out->exec_no_rule = sums[SGC_CNT_EXEC_NO_RULE];
    return 0;
}

int sgc_bpf_prog_stats(const struct sgc_bpf *b, const char *name_prefix, uint64_t *run_time_ns,
                       uint64_t *run_cnt)
{
    *run_time_ns = *run_cnt = 0;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, b->obj)
    {
        int fd = bpf_program__fd(prog);
        if (fd < 0 ||
            (name_prefix && strncmp(bpf_program__name(prog), name_prefix, strlen(name_prefix))))
            continue;
        struct bpf_prog_info info;
        uint32_t len = sizeof info;
        memset(&info, 0, sizeof info);
        if (bpf_obj_get_info_by_fd(fd, &info, &len)) return -errno;
        *run_time_ns += info.run_time_ns;
        *run_cnt += info.run_cnt;
    }
    return 0;
}

int sgc_bpf_filter_test(struct sgc_bpf *b, void *rec, size_t size)
{
    struct bpf_program *prog = bpf_object__find_program_by_name(b->obj, "sgc_filter_test");
    struct bpf_map *input = bpf_object__find_map_by_name(b->obj, "sgc_test_input");
    if (!prog || !input || bpf_program__fd(prog) < 0 || bpf_map__fd(input) < 0)
        return -ENOENT; /* not loaded: set opts.filter_test */
    size_t vsize = bpf_map__value_size(input);
    if (size > vsize || size < sizeof(struct sgc_event_hdr)) return -EINVAL;
    char *value = calloc(1, vsize);
    if (!value) return -ENOMEM;
    uint32_t zero = 0;
    int ret = 0;
    /* the filter's kept answers (the value's last SGC_F_KEEP_BYTES) stay from
     * the runs before, as from one live event to the next; the rest is the
     * record and zeros */
    if (vsize > SGC_F_KEEP_BYTES && size <= vsize - SGC_F_KEEP_BYTES &&
        bpf_map_lookup_elem(bpf_map__fd(input), &zero, value) == 0)
        memset(value, 0, vsize - SGC_F_KEEP_BYTES);
    memcpy(value, rec, size);
    if (bpf_map_update_elem(bpf_map__fd(input), &zero, value, BPF_ANY)) {
        ret = -errno;
        goto out;
    }
    __u64 args[1] = {0};
    LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = args, .ctx_size_in = sizeof args);
    if (bpf_prog_test_run_opts(bpf_program__fd(prog), &run)) {
        ret = -errno;
        goto out;
    }
    if (bpf_map_lookup_elem(bpf_map__fd(input), &zero, value)) {
        ret = -errno;
        goto out;
    }
    memcpy(rec, value, size);
    ret = (int)run.retval;
out:
    free(value);
    return ret;
}

int sgc_bpf_attached_count(const struct sgc_bpf *b) { return b->nlinks; }

/* Detaching a tracepoint waits for an RCU grace period (~70 ms here);
 * detaching from several threads lets the waits overlap. */
#define DETACH_THREADS 16

struct detach_job {
    struct bpf_link **links;
    int n, first;
};

static void *detach_some(void *arg)
{
    struct detach_job *job = arg;
    for (int i = job->first; i < job->n; i += DETACH_THREADS) bpf_link__destroy(job->links[i]);
    return NULL;
}

void sgc_bpf_detach_links(struct bpf_link **links, int n)
{
    pthread_t threads[DETACH_THREADS];
    struct detach_job jobs[DETACH_THREADS];
    bool started[DETACH_THREADS] = {false};
    for (int t = 0; t < DETACH_THREADS && t < n; t++) {
        jobs[t] = (struct detach_job){links, n, t};
        started[t] = pthread_create(&threads[t], NULL, detach_some, &jobs[t]) == 0;
        if (!started[t]) detach_some(&jobs[t]);
    }
    for (int t = 0; t < DETACH_THREADS; t++)
        if (started[t]) pthread_join(threads[t], NULL);
}

static void detach_all(struct sgc_bpf *b)
{
    sgc_bpf_detach_links(b->links, b->nlinks);
    for (int i = 0; i < b->nlinks; i++) free(b->link_tp[i]);
    b->nlinks = 0;
}

void sgc_bpf_close(struct sgc_bpf *b)
{
    if (!b) return;
    ring_buffer__free(b->rb);
    detach_all(b);
    bpf_object__close(b->obj);
    int fds[] = {b->events_fd,   b->counters_fd, b->config_fd,    b->exit_tail_fd,
                 b->raw_tail_fd, b->cid_fd,      b->lazy_fork_fd, b->lazy_parents_fd,
                 b->unames_fd,   b->exec_tail_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0) close(fds[i]);
    free(b);
}

#include <sys/mman.h> /* here, with the one function that needs it */

/* libbpf 1.1 has no ring__avail_data_size: read the two position pages of
 * the ring buffer map (consumer at page 0, producer at page 1, both
 * readable by any mapping) and its size from the map. */
int sgc_bpf_ring_usage(const struct sgc_bpf *b, uint64_t *used, uint64_t *size)
{
    if (!b || !b->obj) return -1;
    struct bpf_map *m = bpf_object__find_map_by_name(b->obj, "sgc_events");
    int fd = m ? bpf_map__fd(m) : -1;
    if (fd < 0) return -1;
    long pg = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, 2 * (size_t)pg, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return -1;
    uint64_t cons = __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
    uint64_t prod = __atomic_load_n((const uint64_t *)((const char *)p + pg), __ATOMIC_ACQUIRE);
    munmap(p, 2 * (size_t)pg);
    *used = prod > cons ? prod - cons : 0;
    *size = bpf_map__max_entries(m);
    return 0;
}
