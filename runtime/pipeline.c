/* See pipeline.h. */
#include "pipeline.h"

#include "container_engine.h"
#include "dnsnames_resolve.h"
#include "fields_ctx.h"
#include "procfs.h"
#include "proctable_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One held event: the record as it came, and its process as it was then (a
 * copy, with a private copy of the image: the table moves on meanwhile). */
typedef struct held_evt {
    struct held_evt *next;
    uint64_t evtnum;
    size_t bytes;                /* what this holds, for the byte bound */
    bool has_proc;
    sgc_proc snap;               /* snap.img is owned */
    uint32_t size;
    uint64_t rec[];              /* 8-byte aligned record, `size` bytes */
} held_evt;

/* A container whose metadata lookup is pending. */
typedef struct pending_ctr {
    struct pending_ctr *next;
    char id[SGC_CONTAINER_ID_MAX + 1];
    bool holding;                /* its events are held (false after a bound) */
    uint64_t since_ns;           /* when its first event was held; 0: none yet */
    held_evt *head, *tail;
    uint32_t n;
} pending_ctr;

struct sgc_pipeline {
    sgc_pipeline_opts opts;
    sgc_engine *engine;
    sgc_rule_outputs ro;
    sgc_outputs *out;
    sgc_proctable *pt;
    sgc_usercache *users;
    sgc_containers *containers;
    sgc_dnsnames *dns;
    sgc_dns_resolver *resolver;
    sgc_arena scratch;
    const char *hostname;
    char *hostname_owned;
    const char **matched;
    int nmatched, cap;
    unsigned long long events, matches;
    uint64_t last_evtnum;   /* evt.num of the last evaluated event */
    /* containers, live */
    sgc_container_engine *ce;
    pending_ctr *pending;
    uint32_t nholding;          /* pending entries still holding */
    uint32_t held_events;       /* held right now */
    size_t held_bytes;
    uint64_t last_sweep_ns;
    unsigned long long container_events, held, released, expired, forgotten;
    /* replay: containers whose `container` event was emitted */
    char **announced;
    int nannounced, capannounced;
};

void sgc_pipeline_default_opts(sgc_pipeline_opts *o)
{
    memset(o, 0, sizeof *o);
    sgc_output_config_defaults(&o->out);
    o->engine = sgc_engine_default_opts();
    o->user_sources = SGC_USERS_NSS | SGC_USERS_PROCROOT;
    o->procfs_fallback = true;
    o->resolve_rule_names = true;
}

#define HOLD_MAX_EVENTS 4096u
#define HOLD_MAX_BYTES (8u << 20)
#define HOLD_MAX_WAIT_NS 1000000000ull
#define CONTAINER_GONE_NS 5000000000ull
#define SWEEP_EVERY_NS 1000000000ull

uint64_t sgc_pipeline_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Resolve the rules' fd.*ip.name names in the background (re-resolved every
 * minute; a lookup gives up after 5 s). */
static void start_resolver(sgc_pipeline *p, const sgc_ruleset *rs)
{
    char **names;
    int n = sgc_dns_rule_names(rs, &names);
    if (n <= 0)
        return;
    p->resolver = sgc_dns_resolver_start(p->dns, names, n, 60, 5000);
    sgc_dns_names_free(names, n);
}

sgc_pipeline *sgc_pipeline_new(const sgc_ruleset *rs, const sgc_pipeline_opts *opts,
                               sgc_diags *diags, char *err, size_t errlen)
{
    sgc_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->opts = *opts;
    if (!p->opts.hold_max_events)
        p->opts.hold_max_events = HOLD_MAX_EVENTS;
    if (!p->opts.hold_max_bytes)
        p->opts.hold_max_bytes = HOLD_MAX_BYTES;
    if (!p->opts.hold_max_wait_ns)
        p->opts.hold_max_wait_ns = HOLD_MAX_WAIT_NS;
    if (!p->opts.container_gone_ns)
        p->opts.container_gone_ns = CONTAINER_GONE_NS;
    sgc_arena_init(&p->scratch, 0);
    p->engine = sgc_engine_build(rs, &opts->engine, diags);
    p->pt = sgc_proctable_new(&opts->proctable);
    p->users = sgc_usercache_new(opts->user_sources);
    p->containers = sgc_containers_new();
    p->dns = sgc_dnsnames_new();
    if (!p->engine || !p->pt || !p->users || !p->containers || !p->dns ||
        sgc_rule_outputs_build(&p->ro, rs, diags) < 0) {
        snprintf(err, errlen, "out of memory");
        sgc_pipeline_free(p);
        return NULL;
    }
    sgc_proctable_attach(p->pt, p->users, p->containers);
    sgc_proctable_attach_dns(p->pt, p->dns);
    if (opts->resolve_rule_names)
        start_resolver(p, rs);
    return p;
}

int sgc_pipeline_set_hostname(sgc_pipeline *p, const char *hostname, char *err, size_t errlen)
{
    char *copy = hostname ? strdup(hostname) : NULL;
    free(p->hostname_owned);
    p->hostname_owned = copy;
    p->opts.out.hostname = copy;
    sgc_outputs_close(p->out);
    p->out = sgc_outputs_open(&p->opts.out, err, errlen);
    return p->out ? 0 : -1;
}

static void held_free(held_evt *h)
{
    if (h->has_proc)
        free(h->snap.img);
    free(h);
}

static void pending_free_all(sgc_pipeline *p)
{
    for (pending_ctr *c = p->pending, *next; c; c = next) {
        next = c->next;
        for (held_evt *h = c->head, *hn; h; h = hn) {
            hn = h->next;
            held_free(h);
        }
        free(c);
    }
    p->pending = NULL;
}

void sgc_pipeline_free(sgc_pipeline *p)
{
    if (!p)
        return;
    pending_free_all(p);
    for (int i = 0; i < p->nannounced; i++)
        free(p->announced[i]);
    free(p->announced);
    sgc_dns_resolver_stop(p->resolver);   /* before the table it fills */
    sgc_outputs_close(p->out);
    sgc_rule_outputs_free(&p->ro);
    sgc_engine_free(p->engine);
    sgc_proctable_free(p->pt);
    sgc_usercache_free(p->users);
    sgc_containers_free(p->containers);
    sgc_dnsnames_free(p->dns);
    sgc_arena_free(&p->scratch);
    free(p->matched);
    free(p->hostname_owned);
    free(p);
}

sgc_proctable *sgc_pipeline_proctable(sgc_pipeline *p) { return p->pt; }
sgc_usercache *sgc_pipeline_users(sgc_pipeline *p) { return p->users; }
sgc_containers *sgc_pipeline_containers(sgc_pipeline *p) { return p->containers; }
sgc_dnsnames *sgc_pipeline_dns(sgc_pipeline *p) { return p->dns; }

static void on_match(const sgc_rule *rule, sgc_extract_ctx *cx, void *ud)
{
    sgc_pipeline *p = ud;
    sgc_alert a = sgc_rule_outputs_alert(&p->ro, rule);
    sgc_outputs_emit(p->out, &a, cx);
    p->matches++;
    if (!p->opts.collect_matches)
        return;
    if (p->nmatched == p->cap) {
        int nc = p->cap ? p->cap * 2 : 8;
        const char **nm = realloc(p->matched, (size_t)nc * sizeof *nm);
        if (!nm)
            return;
        p->matched = nm;
        p->cap = nc;
    }
    p->matched[p->nmatched++] = rule->name;
}

int sgc_pipeline_eval(sgc_pipeline *p, const sgc_evt *ev, sgc_proc *proc)
{
    if (!p->out) {
        char err[256];
        if (sgc_pipeline_set_hostname(p, p->opts.out.hostname, err, sizeof err) != 0)
            return 0;
    }
    if (ev->evtnum > p->last_evtnum)
        p->last_evtnum = ev->evtnum;
    sgc_arena_reset(&p->scratch);
    sgc_extract_ctx cx = {0};
    cx.scratch = &p->scratch;
    cx.pt = p->pt;
    cx.hostname = p->opts.out.hostname;
    cx.user_name = sgc_ctx_user_name;
    cx.boot_to_wall_ns = p->opts.boot_to_wall_ns;
    sgc_extract_ctx_reset(&cx, ev, proc);
    p->nmatched = 0;
    p->events++;
    return sgc_engine_match(p->engine, &cx, on_match, p);
}

/* ---- holding the events of containers with a pending lookup ---------------- */

static pending_ctr *pending_find(sgc_pipeline *p, const char *id)
{
    for (pending_ctr *c = p->pending; c; c = c->next)
        if (!strcmp(c->id, id))
            return c;
    return NULL;
}

static void pending_unlink(sgc_pipeline *p, pending_ctr *c)
{
    for (pending_ctr **pp = &p->pending; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            return;
        }
}

/* Evaluate c's held events in order, then stop holding for it. */
static void pending_flush(sgc_pipeline *p, pending_ctr *c, bool expired)
{
    held_evt *h = c->head;
    c->head = c->tail = NULL;
    c->n = 0;
    if (c->holding) {
        c->holding = false;
        p->nholding--;
    }
    for (held_evt *next; h; h = next) {
        next = h->next;
        p->held_events--;
        p->held_bytes -= h->bytes;
        sgc_evt ev;
        if (sgc_decode(h->rec, h->size, &ev) == SGC_DECODE_OK) {
            ev.evtnum = h->evtnum;
            sgc_pipeline_eval(p, &ev, h->has_proc ? &h->snap : NULL);
        }
        if (expired)
            p->expired++;
        else
            p->released++;
        held_free(h);
    }
}

/* The oldest container still holding events (the first to expire). */
static pending_ctr *oldest_holding(sgc_pipeline *p)
{
    pending_ctr *best = NULL;
    for (pending_ctr *c = p->pending; c; c = c->next)
        if (c->holding && c->n && (!best || c->since_ns < best->since_ns))
            best = c;
    return best;
}

/* Hold ev (already applied to the table; proc its entry) for container c.
 * false: not held (evaluate it now). */
static bool hold(sgc_pipeline *p, pending_ctr *c, const sgc_evt *ev, const sgc_proc *proc)
{
    uint32_t size = ev->hdr->size;
    size_t img_size = proc ? sgc_proc_image_size(proc->img) : 0;
    size_t bytes = sizeof(held_evt) + SGC_ALIGN8(size) + img_size;
    /* make room: the oldest holder goes first (possibly c itself) */
    while (c->holding && (p->held_events + 1 > p->opts.hold_max_events ||
                          p->held_bytes + bytes > p->opts.hold_max_bytes)) {
        pending_ctr *o = oldest_holding(p);
        if (!o) /* nothing held, and this one alone is over the bound */
            return false;
        pending_flush(p, o, true);
    }
    if (!c->holding)
        return false;
    held_evt *h = malloc(sizeof *h + SGC_ALIGN8(size));
    sgc_proc_image *img = proc ? malloc(img_size) : NULL;
    if (!h || (proc && !img)) {
        free(h);
        free(img);
        return false;
    }
    h->next = NULL;
    h->evtnum = ev->evtnum;
    h->bytes = bytes;
    h->size = size;
    memcpy(h->rec, ev->hdr, size);
    h->has_proc = proc != NULL;
    if (proc) {
        const sgc_proc_image *src = proc->img;
        memcpy(img, src, img_size);
        img->refs = 1;
        img->exe = img->data + (src->exe - src->data);
        img->exepath = img->data + (src->exepath - src->data);
        img->cwd = img->data + (src->cwd - src->data);
        img->args = img->data + (src->args - src->data);
        img->env = img->data + (src->env - src->data);
        h->snap = *proc;
        h->snap.img = img;
    }
    if (!c->n)
        c->since_ns = sgc_pipeline_now_ns();
    if (c->tail)
        c->tail->next = h;
    else
        c->head = h;
    c->tail = h;
    c->n++;
    p->held_events++;
    p->held_bytes += bytes;
    p->held++;
    return true;
}

/* First sight of a container (exec records, the /proc scan): an entry in the
 * table (fields <NA>) and a lookup; its events are held until the lookup is
 * back. */
static bool see(sgc_pipeline *p, const char *full_id, uint32_t pid)
{
    if (!full_id || !*full_id || !strcmp(full_id, "host") ||
        sgc_containers_find(p->containers, full_id))
        return false;
    if (!sgc_containers_upsert(p->containers, full_id))
        return false;
    if (!p->ce || !sgc_container_engine_request(p->ce, full_id, pid) || pending_find(p, full_id))
        return true;
    pending_ctr *c = calloc(1, sizeof *c);
    if (!c)
        return true;
    snprintf(c->id, sizeof c->id, "%s", full_id);
    c->holding = true;
    c->next = p->pending;
    p->pending = c;
    p->nholding++;
    return true;
}

void sgc_pipeline_attach_engine(sgc_pipeline *p, sgc_container_engine *eng)
{
    p->ce = eng;
}

typedef struct see_all_ctx {
    sgc_pipeline *p;
    int n;
} see_all_ctx;

static bool see_one(sgc_proc *proc, void *ud)
{
    see_all_ctx *c = ud;
    c->n += see(c->p, sgc_proc_container_id(proc), proc->pid);
    return true;
}

int sgc_pipeline_see_all(sgc_pipeline *p)
{
    see_all_ctx c = {p, 0};
    sgc_proctable_foreach(p->pt, see_one, &c);
    return c.n;
}

int sgc_pipeline_record(sgc_pipeline *p, const sgc_evt *ev)
{
    if (p->opts.procfs_fallback && ev->hdr->kind == SGC_REC_SYSCALL &&
        !sgc_proctable_find(p->pt, ev->hdr->pid))
        sgc_procfs_read_one(p->pt, NULL, ev->hdr->pid);
    sgc_proc *proc = sgc_proctable_apply(p->pt, ev);
    if (proc && p->ce) {
        const char *cid = sgc_proc_container_id(proc);
        /* a new image may be the first process seen in a container */
        if (ev->hdr->kind == SGC_REC_PROC_EXEC)
            see(p, cid, proc->pid);
        if (p->nholding && cid[0] && strcmp(cid, "host")) {
            pending_ctr *c = pending_find(p, cid);
            if (c && c->holding && hold(p, c, ev, proc))
                return 0;
        }
    }
    return sgc_pipeline_eval(p, ev, proc);
}

/* A lookup finished: keep what it found, the `container` event, then the
 * container's held events. */
static void on_ready(void *ud, const sgc_container_ready *r)
{
    sgc_pipeline *p = ud;
    if (sgc_container_engine_store(p->containers, r->info) != 0)
        fprintf(stderr, "sgc: out of memory storing container metadata\n");
    if (sgc_pipeline_container_event(p, r->info->id, r->pid, 0) >= 0)
        p->container_events++;
    pending_ctr *c = pending_find(p, r->info->id);
    if (c) {
        pending_flush(p, c, false);
        pending_unlink(p, c);
        free(c);
    }
}

int sgc_pipeline_poll_containers(sgc_pipeline *p)
{
    return p->ce ? sgc_container_engine_poll_ready(p->ce, on_ready, p) : 0;
}

uint32_t sgc_pipeline_held(const sgc_pipeline *p)
{
    return p->held_events;
}

typedef struct sweep_ctx {
    sgc_pipeline *p;
    sgc_container_info *last;   /* processes of one container are often adjacent */
} sweep_ctx;

static bool mark_alive(sgc_proc *proc, void *ud)
{
    sweep_ctx *sc = ud;
    const char *cid = sgc_proc_container_id(proc);
    if (proc->exited || !cid[0] || !strcmp(cid, "host"))
        return true;
    sgc_container_info *ci = sc->last && !strcmp(sc->last->id, cid)
                                 ? sc->last
                                 : (sgc_container_info *)sgc_containers_find(sc->p->containers, cid);
    if (ci) {
        ci->alive_ns = sc->p->last_sweep_ns;
        sc->last = ci;
    }
    return true;
}

/* Containers with no live process for container_gone_ns leave the table and
 * the engine's cache (a restart with the same id is a new container). */
static void sweep(sgc_pipeline *p, uint64_t now)
{
    p->last_sweep_ns = now;
    sweep_ctx sc = {p, NULL};
    sgc_proctable_foreach(p->pt, mark_alive, &sc);
    for (int i = 0; i < sgc_containers_count(p->containers);) {
        sgc_container_info *ci = sgc_containers_at(p->containers, i);
        if (!ci->alive_ns)
            ci->alive_ns = now;   /* new: give it its time */
        if (now < ci->alive_ns + p->opts.container_gone_ns || pending_find(p, ci->id)) {
            i++;
            continue;
        }
        if (p->ce)
            sgc_container_engine_forget(p->ce, ci->id);
        sgc_containers_remove(p->containers, ci->id);
        p->forgotten++;
    }
}

void sgc_pipeline_tick(sgc_pipeline *p, uint64_t now)
{
    if (p->nholding)
        for (pending_ctr *c = p->pending; c; c = c->next)
            if (c->holding && c->n && now >= c->since_ns + p->opts.hold_max_wait_ns)
                pending_flush(p, c, true);
    if (p->ce && now >= p->last_sweep_ns + SWEEP_EVERY_NS)
        sweep(p, now);
}

void sgc_pipeline_finish_containers(sgc_pipeline *p)
{
    sgc_pipeline_poll_containers(p);
    for (pending_ctr *c = p->pending; c; c = c->next)
        pending_flush(p, c, true);
}

int sgc_pipeline_container_event(sgc_pipeline *p, const char *full_id, uint32_t pid,
                                 uint64_t ts_ns)
{
    if (!full_id || !*full_id || strlen(full_id) > SGC_CONTAINER_ID_MAX)
        return -1;
    _Alignas(8) uint8_t buf[sizeof(struct sgc_event_hdr) + 16 + SGC_ALIGN8(SGC_CONTAINER_ID_MAX + 1)];
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_CONTAINER, 0, 0);
    sgc_record_add_blob(&b, SGC_BLOB_CONTAINER_ID, full_id, strlen(full_id) + 1, 0);
    if (!sgc_record_finish(&b))
        return -1;
    struct sgc_event_hdr *h = b.hdr;
    if (!ts_ns) {
        struct timespec ts;
        clock_gettime(CLOCK_BOOTTIME, &ts);
        ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
    h->ts_ns = ts_ns;
    h->pid = h->tid = pid;
    sgc_proc *proc = pid ? sgc_proctable_find(p->pt, pid) : NULL;
    if (proc) {
        h->ppid = proc->ppid;
        h->vpid = proc->vpid;
        h->sid = proc->sid;
        h->vpgid = proc->vpgid;
    }
    sgc_evt ev;
    if (sgc_decode(buf, b.used, &ev) != SGC_DECODE_OK)
        return -1;
    /* Never 0: Falco's rules use `evt.num = 0` as their never_true constant,
     * so a 0 would switch every never_true exception on. Synthesized events
     * have no place of their own in the record sequence: they take the
     * number after the last evaluated event. */
    ev.evtnum = p->last_evtnum + 1;
    return sgc_pipeline_eval(p, &ev, proc);
}

int sgc_pipeline_replay_eval(sgc_pipeline *p, const sgc_evt *ev, sgc_proc *proc)
{
    const char *cid = proc ? sgc_proc_container_id(proc) : "";
    if (cid[0] && strcmp(cid, "host")) {
        bool seen = false;
        for (int i = p->nannounced - 1; i >= 0 && !seen; i--)
            seen = !strcmp(p->announced[i], cid);
        if (!seen) {
            if (p->nannounced == p->capannounced) {
                int nc = p->capannounced ? p->capannounced * 2 : 8;
                char **na = realloc(p->announced, (size_t)nc * sizeof *na);
                if (na) {
                    p->announced = na;
                    p->capannounced = nc;
                }
            }
            char *copy = p->nannounced < p->capannounced ? strdup(cid) : NULL;
            if (copy) {
                p->announced[p->nannounced++] = copy;
                /* the same record live builds: attributed to this process,
                 * at this event's time, evaluated before it */
                if (sgc_pipeline_container_event(p, cid, proc->pid, ev->hdr->ts_ns) >= 0)
                    p->container_events++;
            }
        }
    }
    return sgc_pipeline_eval(p, ev, proc);
}

const char *const *sgc_pipeline_last_matches(const sgc_pipeline *p, int *n)
{
    *n = p->nmatched;
    return p->matched;
}

void sgc_pipeline_get_stats(const sgc_pipeline *p, sgc_pipeline_stats *st)
{
    memset(st, 0, sizeof *st);
    st->events = p->events;
    st->matches = p->matches;
    st->container_events = p->container_events;
    st->held = p->held;
    st->released = p->released;
    st->expired = p->expired;
    st->containers_forgotten = p->forgotten;
    if (p->out)
        sgc_outputs_get_stats(p->out, &st->out);
}
