/* Event files: reading lines, the header, and turning each event object
 * into a raw record plus table updates (see eventfile.h and
 * docs/event-format.md). */
#include "eventfile_int.h"

#include "evtype.h"
#include "systables.h"

#include <asm/unistd_64.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Events without "ts" follow the previous one by 1 µs; the first starts here
 * (2024-01-01T00:00:00Z), so hand-written files replay deterministically. */
#define DEFAULT_START_TS 1704067200000000000ull
#define DEFAULT_STEP_NS  1000ull
/* Made-up pids (processes without one) count down from here: above any
 * real pid (pid_max is at most 2^22). */
#define FAKE_PID_BASE    0x7ffffff0u

static sgc_eventfile *new_file(const char *name, const sgc_eventfile_env *env, FILE *errs)
{
    sgc_eventfile *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->name = strdup(name);
    f->env = *env;
    f->errs = errs ? errs : stderr;
    f->next_fake_pid = FAKE_PID_BASE;
    return f;
}

sgc_eventfile *sgc_eventfile_open(const char *path, const sgc_eventfile_env *env, FILE *errs,
                                  char *err, size_t errlen)
{
    FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!fp) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    sgc_eventfile *f = new_file(path, env, errs);
    if (!f) {
        if (fp != stdin) fclose(fp);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->fp = fp;
    f->close_fp = fp != stdin;
    return f;
}

sgc_eventfile *sgc_eventfile_open_buffer(const char *name, const char *buf, size_t len,
                                         const sgc_eventfile_env *env, FILE *errs)
{
    sgc_eventfile *f = new_file(name, env, errs);
    if (f) {
        f->buf = buf;
        f->buflen = len;
    }
    return f;
}

void sgc_eventfile_close(sgc_eventfile *f)
{
    if (!f) return;
    if (f->close_fp) fclose(f->fp);
    if (f->cur) json_decref(f->cur);
    free(f->expect);
    free(f->line);
    free(f->hostname);
    free(f->name);
    free(f);
}

const char *sgc_eventfile_hostname(const sgc_eventfile *f) { return f->hostname; }

int sgc_eventfile_errors(const sgc_eventfile *f) { return f->errors; }

int sgc_eventfile_lines(const sgc_eventfile *f) { return f->lineno; }

static void report(sgc_eventfile *f)
{
    fprintf(f->errs, "%s:%d: error: %s\n", f->name, f->lineno, f->errmsg);
    f->errors++;
    f->errmsg[0] = '\0';
}

/* The next line without its newline; NULL at the end. */
static const char *read_line(sgc_eventfile *f, size_t *len)
{
    if (f->fp) {
        ssize_t n = getline(&f->line, &f->linecap, f->fp);
        if (n < 0) return NULL;
        while (n > 0 && (f->line[n - 1] == '\n' || f->line[n - 1] == '\r')) f->line[--n] = '\0';
        f->lineno++;
        *len = (size_t)n;
        return f->line;
    }
    if (f->bufpos >= f->buflen) return NULL;
    const char *start = f->buf + f->bufpos;
    const char *nl = memchr(start, '\n', f->buflen - f->bufpos);
    size_t n = nl ? (size_t)(nl - start) : f->buflen - f->bufpos;
    f->bufpos += n + (nl ? 1 : 0);
    if (n + 1 > f->linecap) {
        char *nb = realloc(f->line, n + 1);
        if (!nb) return NULL;
        f->line = nb;
        f->linecap = n + 1;
    }
    memcpy(f->line, start, n);
    while (n > 0 && f->line[n - 1] == '\r') n--;
    f->line[n] = '\0';
    f->lineno++;
    *len = n;
    return f->line;
}

static bool is_blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return *s == '\0' || *s == '#';
}

static bool parse_header(sgc_eventfile *f, json_t *obj)
{
    json_t *v = json_object_get(obj, "sgc_events");
    if (!json_is_integer(v))
        return sgc_ef_fail(f, "\"sgc_events\" must be the format version number");
    if (json_integer_value(v) < SGC_EVENTFILE_MIN_VERSION ||
        json_integer_value(v) > SGC_EVENTFILE_VERSION)
        return sgc_ef_fail(f,
                           "event file version %lld is not supported (this sgc reads versions "
                           "%d to %d)",
                           (long long)json_integer_value(v), SGC_EVENTFILE_MIN_VERSION,
                           SGC_EVENTFILE_VERSION);
    const char *key;
    json_object_foreach(obj, key, v)
    {
        if (!strcmp(key, "sgc_events") || !strcmp(key, "comment") || !strcmp(key, "source") ||
            !strcmp(key, "created") || !strcmp(key, "kernel") || !strcmp(key, "sgc_version"))
            continue;
        if (!strcmp(key, "hostname")) {
            if (!json_is_string(v)) return sgc_ef_fail(f, "header: hostname must be a string");
            free(f->hostname);
            f->hostname = strdup(json_string_value(v));
        } else if (!strcmp(key, "dns")) {
            if (!sgc_ef_apply_dns(f, v)) return false;
        } else if (!strcmp(key, "start_ts")) {
            uint64_t ts;
            if (!sgc_ef_time(f, v, "start_ts", &ts)) return false;
            f->last_ts = ts - DEFAULT_STEP_NS;
        } else {
            return sgc_ef_fail(f, "header: unknown key '%s'", key);
        }
    }
    return true;
}

/* The syscall number of an event type name (Falco's names included). */
static int type_nr(const char *type)
{
    int nr = sgc_syscall_nr(type);
    if (nr >= 0) return nr;
    int id = sgc_event_id(type);
    return id >= 0 ? sgc_event_syscall_nr(id) : -1;
}

static void fill_hdr(struct sgc_event_hdr *h, const sgc_proc *p, uint32_t tid, uint64_t ts)
{
    h->ts_ns = ts;
    h->pid = p->pid;
    h->tid = tid ? tid : p->pid;
    h->ppid = p->ppid;
    h->uid = p->uid;
    h->gid = p->gid;
    h->euid = p->euid;
    h->egid = p->egid;
    h->loginuid = p->loginuid;
    h->tty = p->tty;
    h->sid = p->sid;
    h->vpid = p->vpid;
    h->vpgid = p->vpgid;
    h->cap_effective = p->cap_effective;
    h->cap_permitted = p->cap_permitted;
    h->start_ns = p->start_ns;
    memcpy(h->comm, p->comm, sizeof h->comm);
}

/* Exec blobs from the (already updated) process image. */
static void add_exec_blobs(sgc_record_builder *b, const sgc_proc *p)
{
    const sgc_proc_image *img = p->img;
    sgc_record_add_blob(b, SGC_BLOB_EXE, img->exepath, img->exepath_len + 1u, 0);
    size_t argv_len = img->exe_len + 1u + img->args_len;
    char *argv = malloc(argv_len);
    if (argv) {
        memcpy(argv, img->exe, img->exe_len + 1u);
        memcpy(argv + img->exe_len + 1, img->args, img->args_len);
        sgc_record_add_blob(b, SGC_BLOB_ARGV, argv, argv_len, 0);
        free(argv);
    }
    if (img->env_len) sgc_record_add_blob(b, SGC_BLOB_ENV, img->env, img->env_len, 0);
    sgc_record_add_blob(b, SGC_BLOB_CWD, img->cwd, img->cwd_len + 1u, 0);
    /* no cgroup blob: the container id the image already has is kept */
    if (img->has_exe_flags)
        sgc_record_add_blob(b, SGC_BLOB_EXE_FLAGS, &img->exe_flags, sizeof img->exe_flags, 0);
}

static bool set_expect(sgc_eventfile *f, json_t *v, sgc_replay_event *out)
{
    if (!json_is_array(v))
        return sgc_ef_fail(f, "\"expect\" must be an array of rule names ([] for none)");
    size_t n = json_array_size(v);
    if ((int)n > f->expect_cap) {
        const char **ne = realloc(f->expect, (n + 1) * sizeof *ne);
        if (!ne) return sgc_ef_fail(f, "out of memory");
        f->expect = ne;
        f->expect_cap = (int)n;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) return sgc_ef_fail(f, "\"expect\": rule names must be strings");
        f->expect[i] = json_string_value(s);
    }
    out->has_expect = true;
    out->expect = f->expect;
    out->nexpect = (int)n;
    return true;
}

static bool is_fork_syscall(int nr)
{
    return nr == __NR_clone || nr == __NR_fork || nr == __NR_vfork || nr == __NR_clone3;
}

/* One event object. Returns 1 with *out filled, 0 when the line only changed
 * context, -1 on error (message in f->errmsg). */
/* What an event line is ("kind"). */
typedef enum { K_SYSCALL, K_EXEC, K_FORK, K_EXIT, K_PROC, K_CONTAINER, K_DNS } line_kind;

static bool parse_kind(sgc_eventfile *f, json_t *obj, line_kind *k)
{
    static const struct {
        const char *name;
        line_kind k;
    } kinds[] = {
        {"syscall", K_SYSCALL}, {"exec", K_EXEC},           {"fork", K_FORK}, {"exit", K_EXIT},
        {"proc", K_PROC},       {"container", K_CONTAINER}, {"dns", K_DNS},
    };
    const char *kind = "syscall";
    json_t *v = json_object_get(obj, "kind");
    if (v) {
        if (!json_is_string(v)) return sgc_ef_fail(f, "\"kind\" must be a string");
        kind = json_string_value(v);
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kind, kinds[i].name)) {
            *k = kinds[i].k;
            return true;
        }
    return sgc_ef_fail(f, "unknown kind '%s' (syscall, exec, fork, exit, proc, container, dns)",
                       kind);
}

/* The record an event line becomes, and its syscall number. */
static bool record_kind(sgc_eventfile *f, json_t *obj, line_kind k, int64_t ret,
                        enum sgc_record_kind *rk, int *nr)
{
    *rk = SGC_REC_SYSCALL;
    *nr = 0;
    switch (k) {
    case K_SYSCALL: {
        json_t *t = json_object_get(obj, "type");
        if (!json_is_string(t))
            return sgc_ef_fail(f, "a syscall event needs \"type\" (the syscall name)");
        *nr = type_nr(json_string_value(t));
        if (*nr < 0) return sgc_ef_fail(f, "unknown syscall '%s'", json_string_value(t));
        /* A successful exec reaches the runtime as the kernel's exec record. */
        if ((*nr == __NR_execve || *nr == __NR_execveat) && ret >= 0) *rk = SGC_REC_PROC_EXEC;
        return true;
    }
    case K_EXEC:
        *rk = SGC_REC_PROC_EXEC;
        *nr = __NR_execve;
        return true;
    case K_FORK:
        *rk = SGC_REC_PROC_FORK;
        *nr = __NR_clone;
        return true;
    default: *rk = SGC_REC_PROC_EXIT; return true;
    }
}

/* The process an event line is about: "pid" names it, "proc" describes it;
 * then its "user", "group" and "container". NULL after a message. */
static sgc_proc *line_process(sgc_eventfile *f, json_t *obj, line_kind k, uint32_t pid, bool exec,
                              uint64_t ts)
{
    json_t *v;
    sgc_proc *p = NULL;
    if ((v = json_object_get(obj, "proc"))) {
        if (!(p = sgc_ef_apply_proc(f, v, pid, ts, 0, exec))) return NULL;
    } else if (pid) {
        p = sgc_proctable_get_or_create(f->env.pt, pid, ts);
    } else if (k != K_PROC) {
        /* a bare event: a process nothing is known about */
        p = sgc_proctable_get_or_create(f->env.pt, f->next_fake_pid--, ts);
    }
    if (!p) return sgc_ef_fail(f, "kind proc needs a \"proc\" object"), NULL;
    if ((v = json_object_get(obj, "user")) && !sgc_ef_apply_user(f, v, p)) return NULL;
    if ((v = json_object_get(obj, "group")) && !sgc_ef_apply_group(f, v, p)) return NULL;
    if ((v = json_object_get(obj, "container"))) {
        char cid[65];
        const char *known_id =
            p->img->cid_len && strcmp(p->img->container_id, "host") ? p->img->container_id : NULL;
        if (!sgc_ef_apply_container(f, v, known_id, cid)) return NULL;
        sgc_proc_image_spec spec = {.container_id = cid};
        if (sgc_proc_set_image(f->env.pt, p, &spec, true) != 0)
            return sgc_ef_fail(f, "out of memory"), NULL;
    }
    return p;
}

/* Build the kernel's record for the line into f->rec and decode it. */
static bool build_record(sgc_eventfile *f, json_t *obj, enum sgc_record_kind rk, int nr,
                         int64_t ret, bool have_ret, sgc_proc *p, uint32_t tid, uint64_t ts,
                         sgc_replay_event *out)
{
    uint64_t x;
    json_t *v;
    sgc_record_builder b;
    sgc_record_begin(&b, f->rec, sizeof f->rec, rk, (uint32_t)nr, 0);
    fill_hdr(b.hdr, p, tid, ts);
    b.hdr->ret = ret;
    if (rk == SGC_REC_PROC_FORK) {
        if (!(v = json_object_get(obj, "child")) || !sgc_ef_u64(f, v, "child", &x))
            return sgc_ef_fail(f, "kind fork needs \"child\": the new pid");
        b.hdr->args[0] = x;
        b.hdr->ret = 0;
        if (json_is_true(json_object_get(obj, "thread"))) b.hdr->flags |= SGC_EVF_IS_THREAD;
    }
    if ((v = json_object_get(obj, "args")) && !sgc_ef_apply_args(f, nr, v, &b, &have_ret))
        return false;
    if ((v = json_object_get(obj, "fd")) && !sgc_ef_apply_fd(f, v, &b)) return false;
    if (rk == SGC_REC_SYSCALL)
        sgc_creds_after_syscall(b.hdr); /* as the kernel reports them at exit */
    if (rk == SGC_REC_PROC_EXEC) add_exec_blobs(&b, p);
    if (!sgc_record_finish(&b))
        return sgc_ef_fail(f, "event too large for a record (%d bytes)", SGC_RECORD_MAX);
    if (sgc_decode(f->rec, sizeof f->rec, &out->ev) != SGC_DECODE_OK)
        return sgc_ef_fail(f, "internal: the record built for this event does not decode");
    return true;
}

/* The record through the process table, as live: an exec keeps the image
 * facts its record does not carry, a fork syscall makes the child. */
static bool apply_record(sgc_eventfile *f, json_t *obj, enum sgc_record_kind rk, int nr,
                         int64_t ret, sgc_proc *p, uint64_t ts, sgc_replay_event *out)
{
    sgc_proc_image saved = *p->img;
    out->proc = sgc_proctable_apply(f->env.pt, &out->ev);
    if (rk == SGC_REC_PROC_EXEC && out->proc) {
        sgc_proc_image_spec meta = {.exe_ino = saved.exe_ino,
                                    .exe_ctime_ns = saved.exe_ctime_ns,
                                    .exe_mtime_ns = saved.exe_mtime_ns};
        if ((meta.exe_ino || meta.exe_ctime_ns || meta.exe_mtime_ns) &&
            sgc_proc_set_image(f->env.pt, out->proc, &meta, true) != 0)
            return sgc_ef_fail(f, "out of memory");
    }
    if (rk == SGC_REC_SYSCALL && is_fork_syscall(nr) && ret > 0 &&
        !json_is_true(json_object_get(obj, "thread")))
        sgc_proctable_fork(f->env.pt, p->pid, (uint32_t)ret, ts);
    return true;
}

/* One event line: 1 with an event in *out, 0 for a line that only updates
 * state (proc, container, dns), -1 after a message. */
static int handle_event(sgc_eventfile *f, json_t *obj, sgc_replay_event *out)
{
    static const char *const known[] = {
        "kind", "ts",    "type",      "pid",   "tid",    "res",    "args",    "fd",  "proc",
        "user", "group", "container", "child", "thread", "expect", "comment", "dns", NULL};
    if (!sgc_ef_check_keys(f, obj, NULL, known)) return -1;
    line_kind k = K_SYSCALL;
    if (!parse_kind(f, obj, &k)) return -1;
    json_t *v;
    if (k != K_DNS && json_object_get(obj, "dns"))
        return sgc_ef_fail(f, "\"dns\" belongs in the header or a kind dns line"), -1;
    if (k == K_DNS) {
        if (!(v = json_object_get(obj, "dns")))
            return sgc_ef_fail(f, "kind dns needs a \"dns\" object"), -1;
        return sgc_ef_apply_dns(f, v) ? 0 : -1;
    }

    uint64_t ts = f->last_ts ? f->last_ts + DEFAULT_STEP_NS : DEFAULT_START_TS;
    if ((v = json_object_get(obj, "ts")) && !sgc_ef_time(f, v, "ts", &ts)) return -1;
    f->last_ts = ts;

    if (k == K_CONTAINER) {
        char cid[65];
        if (!(v = json_object_get(obj, "container")))
            return sgc_ef_fail(f, "kind container needs a \"container\" object"), -1;
        return sgc_ef_apply_container(f, v, NULL, cid) ? 0 : -1;
    }

    int64_t ret = 0;
    if ((v = json_object_get(obj, "res")) && !sgc_ef_res(f, v, &ret)) return -1;
    bool have_ret = v != NULL;
    enum sgc_record_kind rk;
    int nr;
    if (!record_kind(f, obj, k, ret, &rk, &nr)) return -1;
    uint64_t pid = 0, tid = 0;
    if (((v = json_object_get(obj, "pid")) && !sgc_ef_u64(f, v, "pid", &pid)) ||
        ((v = json_object_get(obj, "tid")) && !sgc_ef_u64(f, v, "tid", &tid)))
        return -1;
    sgc_proc *p =
        line_process(f, obj, k, (uint32_t)pid, k != K_PROC && rk == SGC_REC_PROC_EXEC, ts);
    if (!p) return -1;
    if ((v = json_object_get(obj, "expect")) && !set_expect(f, v, out)) return -1;
    if (k == K_PROC) return 0;
    if (!build_record(f, obj, rk, nr, ret, have_ret, p, (uint32_t)tid, ts, out) ||
        !apply_record(f, obj, rk, nr, ret, p, ts, out))
        return -1;
    return 1;
}

int sgc_eventfile_next(sgc_eventfile *f, sgc_replay_event *out)
{
    for (;;) {
        size_t len;
        const char *line = read_line(f, &len);
        if (!line) return 0;
        if (is_blank_or_comment(line)) continue;
        if (f->cur) {
            json_decref(f->cur);
            f->cur = NULL;
        }
        json_error_t jerr;
        json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!obj) {
            sgc_ef_fail(f, "invalid JSON at column %d: %s", jerr.column, jerr.text);
            report(f);
            continue;
        }
        f->cur = obj;
        if (!json_is_object(obj)) {
            sgc_ef_fail(f, "each line must be a JSON object");
            report(f);
            continue;
        }
        if (!f->header_seen) {
            f->header_seen = true;
            if (json_object_get(obj, "sgc_events")) {
                if (!parse_header(f, obj)) report(f);
                continue;
            }
            sgc_ef_fail(f, "the first line must be the header {\"sgc_events\": %d}",
                        SGC_EVENTFILE_VERSION);
            report(f);
            /* and read this line as an event all the same */
        } else if (json_object_get(obj, "sgc_events")) {
            sgc_ef_fail(f, "a header line after the first line");
            report(f);
            continue;
        }
        memset(out, 0, sizeof *out);
        out->line = f->lineno;
        int r = handle_event(f, obj, out);
        if (r < 0) {
            report(f);
            continue;
        }
        if (r > 0) {
            out->ev.evtnum = ++f->evtnum; /* evt.num counts from 1, as in Falco */
            return 1;
        }
    }
}
