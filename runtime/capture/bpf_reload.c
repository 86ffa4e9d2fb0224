/* Reload: a new rule set's BPF programs take over from the running ones
 * without a gap or an overlap (bpf_loader.h, "reload"). */
#include "bpf_loader.h"
#include "bpf_loader_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "caps.h"
#include "sgc_event.h"

struct sgc_bpf_next {
    struct bpf_object *obj;
    struct sgc_bpf_options opts;
};

static bool has_stub(const struct sgc_bpf *b, const char *tp)
{
    for (int i = 0; i < b->nlinks; i++)
        if (b->link_tp[i] && !strcmp(b->link_tp[i], tp)) return true;
    return false;
}

/* Load the handler and the stubs of syscalls no stub hooks yet; never the
 * lifecycle programs (the first load's stay attached) or the raw stub. */
static int select_next_programs(const struct sgc_bpf *b, struct sgc_bpf_next *n, char *err,
                                size_t errlen)
{
    if (sgc_bpf_select_programs(n->obj, &n->opts, err, errlen)) return -1;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, n->obj)
    {
        const char *name = bpf_program__name(prog);
        if (!strncmp(name, "sgc_proc_", 9) || !strcmp(name, "sgc_sys_exit"))
            bpf_program__set_autoload(prog, false);
        else if (!strncmp(name, "sgc_exit_", 9) && strcmp(name, "sgc_exit_handler") &&
                 bpf_program__autoload(prog) && has_stub(b, name + 9))
            bpf_program__set_autoload(prog, false);
    }
    return 0;
}

static int reuse(struct bpf_object *obj, const char *name, int fd, char *err, size_t errlen)
{
    struct bpf_map *m = bpf_object__find_map_by_name(obj, name);
    if (m && bpf_map__reuse_fd(m, fd) == 0) return 0;
    snprintf(err, errlen, "the new BPF object cannot share the map %s: %s", name,
             m ? strerror(errno) : "missing");
    return -1;
}

static struct sgc_bpf_next *prepare(const struct sgc_bpf *b, const struct sgc_bpf_options *opts,
                                    char *err, size_t errlen)
{
    struct sgc_bpf_next *n = calloc(1, sizeof *n);
    if (!n) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    n->opts = *opts;
    n->opts.strategy = b->opts.strategy; /* the stubs attached decide */
    n->opts.ringbuf_bytes = b->opts.ringbuf_bytes;
    extern const char sgc_capture_bpf_obj[];
    extern const char sgc_capture_bpf_obj_end[];
    const void *data = opts->obj_data ? opts->obj_data : sgc_capture_bpf_obj;
    size_t size =
        opts->obj_data ? opts->obj_size : (size_t)(sgc_capture_bpf_obj_end - sgc_capture_bpf_obj);
    LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "sgc_capture");
    n->obj = bpf_object__open_mem(data, size, &open_opts);
    if (!n->obj) {
        snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
        goto fail;
    }
    if (sgc_bpf_size_maps(n->obj, &n->opts, err, errlen) ||
        select_next_programs(b, n, err, errlen) ||
        reuse(n->obj, "sgc_events", b->events_fd, err, errlen) ||
        reuse(n->obj, "sgc_counters", b->counters_fd, err, errlen) ||
        reuse(n->obj, "sgc_exit_tail", b->exit_tail_fd, err, errlen) ||
        reuse(n->obj, "sgc_raw_tail", b->raw_tail_fd, err, errlen))
        goto fail;
    /* the new handler reads the maps the first load's lifecycle programs
     * keep: the processes on the host (a map of its own would stay empty:
     * container.id = host unknown, sound but unfiltered), the parked fork
     * records it must send (capture_lazyfork.h) and the host's user names
     * the runtime keeps (filter_users.h) */
    const int opt_fds[] = {b->cid_fd, b->lazy_fork_fd, b->lazy_parents_fd, b->unames_fd,
                           b->exec_tail_fd};
    for (size_t i = 0; i < SGC_BPF_NOPTIONAL_SHARED; i++) {
        const char *name = sgc_bpf_optional_shared[i];
        if (opt_fds[i] >= 0 && bpf_object__find_map_by_name(n->obj, name) &&
            reuse(n->obj, name, opt_fds[i], err, errlen))
            goto fail;
    }
    /* a new object that cannot send parked records (an older artifact's)
     * turns parking off */
    if (!bpf_object__find_map_by_name(n->obj, "sgc_lazy_fork")) n->opts.lazy_fork = false;
    if (bpf_object__load(n->obj)) {
        int e = errno;
        sgc_bpf_log_dump_on_failure();
        snprintf(err, errlen, "loading the new BPF programs failed (%s)", strerror(e));
        goto fail;
    }
    if (sgc_bpf_fill_maps(n->obj, &n->opts, err, errlen)) goto fail;
    if (opts->before_attach && opts->before_attach(opts->before_attach_ud, n->obj, err, errlen))
        goto fail;
    return n;
fail:
    sgc_bpf_next_free(n);
    return NULL;
}

struct sgc_bpf_next *sgc_bpf_prepare(const struct sgc_bpf *b, const struct sgc_bpf_options *opts,
                                     char *err, size_t errlen)
{
    sgc_caps_raise_load();
    struct sgc_bpf_next *n = prepare(b, opts, err, errlen);
    sgc_caps_lower_load();
    return n;
}

/* The lifecycle programs read the first load's configuration: the
 * environment copied at exec and deferred fork records follow the new
 * rules. */
static void update_lifecycle_config(struct sgc_bpf *b, const struct sgc_bpf_options *o)
{
    uint32_t zero = 0;
    struct sgc_config cfg;
    if (bpf_map_lookup_elem(b->config_fd, &zero, &cfg)) return;
    cfg.env_max = o->env_max;
    cfg.lazy_fork = o->lazy_fork && b->lazy_fork_fd >= 0;
    bpf_map_update_elem(b->config_fd, &zero, &cfg, BPF_ANY);
}

/* Links of stubs whose syscall the new set does not watch move to gone[]. */
static int take_dropped_stubs(struct sgc_bpf *b, const struct sgc_bpf_options *o,
                              struct bpf_link **gone)
{
    int ngone = 0, kept = 0;
    for (int i = 0; i < b->nlinks; i++) {
        if (b->link_tp[i] && !sgc_bpf_is_interesting_tp(o, b->link_tp[i])) {
            gone[ngone++] = b->links[i];
            free(b->link_tp[i]);
            continue;
        }
        b->links[kept] = b->links[i];
        b->link_tp[kept++] = b->link_tp[i];
    }
    b->nlinks = kept;
    return ngone;
}

static int commit(struct sgc_bpf *b, struct sgc_bpf_next *n, char *err, size_t errlen)
{
    int first_new = b->nlinks;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, n->obj)
    {
        const char *name = bpf_program__name(prog);
        if (!bpf_program__autoload(prog) || strncmp(name, "sgc_exit_", 9) ||
            !strcmp(name, "sgc_exit_handler"))
            continue;
        if (sgc_bpf_add_link(b, prog, err, errlen)) goto rollback;
    }
    bool raw = b->opts.strategy == SGC_HOOK_RAW_SYSCALLS;
    if (sgc_bpf_install_exec_handler(n->obj, b->exec_tail_fd, err, errlen)) goto rollback;
    if (sgc_bpf_install_handler(n->obj, &n->opts, raw ? b->raw_tail_fd : b->exit_tail_fd, err,
                                errlen)) {
        char ignored[64]; /* the old exec handler back: its update cannot fail either */
        sgc_bpf_install_exec_handler(b->obj, b->exec_tail_fd, ignored, sizeof ignored);
        goto rollback;
    }
    /* from here on, every event runs the new handler */
    update_lifecycle_config(b, &n->opts);
    struct bpf_link *gone[MAX_LINKS];
    int ngone = take_dropped_stubs(b, &n->opts, gone);
    sgc_bpf_detach_links(gone, ngone);
    bpf_object__close(b->obj);
    b->obj = n->obj;
    n->obj = NULL;
    return 0;
rollback: /* the added stubs ran the old handler, which ignores their syscalls */
    sgc_bpf_detach_links(b->links + first_new, b->nlinks - first_new);
    for (int i = first_new; i < b->nlinks; i++) free(b->link_tp[i]);
    b->nlinks = first_new;
    return -1;
}

int sgc_bpf_commit(struct sgc_bpf *b, struct sgc_bpf_next *n, char *err, size_t errlen)
{
    sgc_caps_raise_load();
    int rc = commit(b, n, err, errlen);
    sgc_caps_lower_load();
    sgc_bpf_next_free(n);
    return rc;
}

void sgc_bpf_next_free(struct sgc_bpf_next *n)
{
    if (!n) return;
    bpf_object__close(n->obj);
    free(n);
}

uint16_t sgc_bpf_next_gen(const struct sgc_bpf_next *n) { return n->opts.gen ? n->opts.gen : 1; }
