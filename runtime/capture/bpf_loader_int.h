/* The loader's state and steps, shared by bpf_loader.c (the first load) and
 * bpf_reload.c (a new rule set's programs replacing the running ones). Not
 * for other parts: they use bpf_loader.h. */
#ifndef SGC_BPF_LOADER_INT_H
#define SGC_BPF_LOADER_INT_H

#include "bpf_loader.h"

#include <bpf/libbpf.h>
#include <stdbool.h>

#define MAX_LINKS 128

struct sgc_bpf {
    struct bpf_object *obj; /* the running generation's object */
    struct bpf_link *links[MAX_LINKS];
    char *link_tp[MAX_LINKS]; /* a per-syscall stub's tracepoint ("openat"), else NULL */
    int nlinks;
    struct ring_buffer *rb;
    /* Maps every generation shares (a reload's object reuses them): the
     * ring buffer, the counters, the first object's configuration (read
     * by the process lifecycle programs, which stay attached), and the
     * program arrays whose slot 0 holds the running syscall exit handler. */
    int events_fd, counters_fd, config_fd, exit_tail_fd, raw_tail_fd;
    /* Kept by the lifecycle programs and read by every generation's
     * handler; -1 when the first object has none (an older artifact):
     * the processes on the host (capture_cid.h), the parked fork records
     * and their creators (capture_lazyfork.h), the host's user and group
     * names (filter_users.h), and the program array whose slot 0 holds the
     * running exec handler (its filter is the rule set's). In the order of
     * sgc_bpf_optional_shared. */
    int cid_fd, lazy_fork_fd, lazy_parents_fd, unames_fd, exec_tail_fd;
    struct sgc_bpf_options opts; /* of the first load (strategy, ring size) */
    sgc_record_fn on_record;
    void *ctx;
};

#define SGC_BPF_NOPTIONAL_SHARED 5
extern const char *const sgc_bpf_optional_shared[SGC_BPF_NOPTIONAL_SHARED];

/* libbpf's messages: kept quiet (unless verbose) and shown on failure. */
void sgc_bpf_log_reset(bool verbose);
void sgc_bpf_log_dump_on_failure(void);

bool sgc_bpf_is_interesting_tp(const struct sgc_bpf_options *o, const char *tp);
/* Autoload for the first load: the strategy's stubs and handler, the
 * lifecycle programs; -1 (err) when a syscall cannot be hooked. */
int sgc_bpf_select_programs(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                            size_t errlen);
/* Before the load: the scratch and ring buffer maps, then o->before_load. */
int sgc_bpf_size_maps(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                      size_t errlen);
/* sgc_config and the interest map (each spec stamped with o->gen). */
int sgc_bpf_fill_maps(struct bpf_object *obj, const struct sgc_bpf_options *o, char *err,
                      size_t errlen);
/* Put obj's handler for o->strategy in slot 0 of the program array tail_fd:
 * one atomic update, after which every event runs this handler. */
int sgc_bpf_install_handler(struct bpf_object *obj, const struct sgc_bpf_options *o, int tail_fd,
                            char *err, size_t errlen);
/* Put obj's exec handler in slot 0 of the program array tail_fd (the
 * attached sgc_proc_exec tail-calls it); nothing when tail_fd < 0 or obj
 * has none loaded (an older artifact's object: its sgc_proc_exec does the
 * work itself). */
int sgc_bpf_install_exec_handler(struct bpf_object *obj, int tail_fd, char *err, size_t errlen);
/* Attach prog and remember its link (and stub tracepoint) in b. */
int sgc_bpf_add_link(struct sgc_bpf *b, struct bpf_program *prog, char *err, size_t errlen);
/* Destroy links, several at once (each waits for an RCU grace period). */
void sgc_bpf_detach_links(struct bpf_link **links, int n);

#endif
