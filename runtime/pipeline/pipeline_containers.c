/* See pipeline_int.h: new containers, their held events, the `container`
 * event, exited containers forgotten (docs/containers.md). */
#include "pipeline_int.h"

#include "container_bundle.h"
#include "fields_ctx.h"
#include "procfs.h"
#include "usercache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* how often exited containers are looked for */
#define SWEEP_EVERY_NS 1000000000ull

static void held_free(held_evt *h)
{
    if (h->has_proc) free(h->snap.img);
    free(h);
}

void sgc_pipeline_free_pending(sgc_pipeline *p)
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

/* ---- holding the events of containers with a pending lookup ---------------- */

static pending_ctr *pending_find(sgc_pipeline *p, const char *id)
{
    for (pending_ctr *c = p->pending; c; c = c->next)
        if (!strcmp(c->id, id)) return c;
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
        if (c->holding && c->n && (!best || c->since_ns < best->since_ns)) best = c;
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
    if (!c->holding) return false;
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
    if (!c->n) c->since_ns = sgc_pipeline_now_ns();
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
    if (!sgc_containers_upsert(p->containers, full_id)) return false;
    const sgc_container_info *b = p->bundles ? sgc_containers_find(p->bundles, full_id) : NULL;
    if (b && !p->ce) sgc_container_engine_store(p->containers, b);
    bool asked = p->ce && (b ? sgc_container_engine_request_created(p->ce, full_id, pid)
                             : sgc_container_engine_request(p->ce, full_id, pid));
    if (!asked || pending_find(p, full_id)) return true;
    pending_ctr *c = calloc(1, sizeof *c);
    if (!c) return true;
    snprintf(c->id, sizeof c->id, "%s", full_id);
    c->holding = true;
    c->next = p->pending;
    p->pending = c;
    p->nholding++;
    return true;
}

void sgc_pipeline_attach_engine(sgc_pipeline *p, sgc_container_engine *eng) { p->ce = eng; }

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

/* Bundles remembered at most (containers created and not yet looked up). */
#define MAX_BUNDLES 256

/* A container monitor or OCI runtime creating a container: read its bundle
 * now, before the container's first process runs (container_bundle.h). */
static void learn_bundle(sgc_pipeline *p, const sgc_proc *proc)
{
    const sgc_proc_image *img = proc->img;
    sgc_bundle_ref ref;
    if (!img || !img->exepath ||
        !sgc_container_bundle_cmdline(img->exepath, img->args, img->args_len, &ref) ||
        sgc_containers_find(p->bundles, ref.id))
        return;
    while (sgc_containers_count(p->bundles) >= MAX_BUNDLES)
        sgc_containers_remove(p->bundles, sgc_containers_at(p->bundles, 0)->id);
    sgc_container_info *ci = sgc_containers_upsert(p->bundles, ref.id);
    if (!ci) return;
    if (sgc_container_bundle_read(&ref, ci) != 0) {
        sgc_containers_remove(p->bundles, ref.id);
        return;
    }
    p->bundles_read++;
    /* known already (no runtime API, or seen first): fill the gaps now */
    sgc_container_info *known = (sgc_container_info *)sgc_containers_find(p->containers, ref.id);
    if (known && !known->name && !known->type && known->privileged < 0 && !pending_find(p, ref.id))
        sgc_container_engine_store(p->containers, ci);
}

int sgc_pipeline_record(sgc_pipeline *p, const sgc_evt *ev)
{
    if (p->opts.procfs_fallback && ev->hdr->kind == SGC_REC_SYSCALL &&
        !sgc_proctable_find(p->pt, ev->hdr->pid))
        sgc_procfs_read_one(p->pt, NULL, ev->hdr->pid);
    sgc_proc *proc = sgc_proctable_apply(p->pt, ev);
    if (proc && ev->hdr->kind == SGC_REC_PROC_EXEC && p->bundles) learn_bundle(p, proc);
    if (proc && p->ce) {
        const char *cid = sgc_proc_container_id(proc);
        /* a new image may be the first process seen in a container */
        if (ev->hdr->kind == SGC_REC_PROC_EXEC) {
            see(p, cid, proc->pid);
            /* read the container's accounts now, while the process (and
             * its root) is alive: a held or short-lived process's events
             * are evaluated later, when /proc/PID/root may be gone */
            if (cid[0] && strcmp(cid, "host")) {
                sgc_usercache_user(p->users, cid, proc->pid, proc->uid);
                sgc_usercache_group(p->users, cid, proc->pid, proc->gid);
            }
        }
        if (p->nholding && cid[0] && strcmp(cid, "host")) {
            pending_ctr *c = pending_find(p, cid);
            if (c && c->holding && hold(p, c, ev, proc)) return 0;
        }
    }
    return sgc_pipeline_eval(p, ev, proc);
}

/* A lookup finished: keep what it found, the `container` event, then the
 * container's held events. */
static void on_ready(void *ud, const sgc_container_ready *r)
{
    sgc_pipeline *p = ud;
    /* a container gone before the runtime was asked (404) keeps what its
     * bundle said at creation */
    const sgc_container_info *b = sgc_containers_find(p->bundles, r->info->id);
    const sgc_container_info *src = r->status != SGC_CONTAINER_RESOLVED && b ? b : r->info;
    if (sgc_container_engine_store(p->containers, src) != 0)
        fprintf(stderr, "sgc: out of memory storing container metadata\n");
    if (b) sgc_containers_remove(p->bundles, r->info->id);
    if (sgc_pipeline_container_event(p, r->info->id, r->pid, 0) >= 0) p->container_events++;
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

uint32_t sgc_pipeline_held(const sgc_pipeline *p) { return p->held_events; }

typedef struct sweep_ctx {
    sgc_pipeline *p;
    sgc_container_info *last; /* processes of one container are often adjacent */
} sweep_ctx;

static bool mark_alive(sgc_proc *proc, void *ud)
{
    sweep_ctx *sc = ud;
    const char *cid = sgc_proc_container_id(proc);
    if (proc->exited || !cid[0] || !strcmp(cid, "host")) return true;
    sgc_container_info *ci =
        sc->last && !strcmp(sc->last->id, cid)
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
        if (!ci->alive_ns) ci->alive_ns = now; /* new: give it its time */
        if (now < ci->alive_ns + p->opts.container_gone_ns || pending_find(p, ci->id)) {
            i++;
            continue;
        }
        if (p->ce) sgc_container_engine_forget(p->ce, ci->id);
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
    if (p->ce && now >= p->last_sweep_ns + SWEEP_EVERY_NS) sweep(p, now);
}

void sgc_pipeline_finish_containers(sgc_pipeline *p)
{
    sgc_pipeline_poll_containers(p);
    for (pending_ctr *c = p->pending; c; c = c->next) pending_flush(p, c, true);
}

int sgc_pipeline_container_event(sgc_pipeline *p, const char *full_id, uint32_t pid, uint64_t ts_ns)
{
    if (!full_id || !*full_id || strlen(full_id) > SGC_CONTAINER_ID_MAX) return -1;
    _Alignas(8)
        uint8_t buf[sizeof(struct sgc_event_hdr) + 16 + SGC_ALIGN8(SGC_CONTAINER_ID_MAX + 1)];
    sgc_record_builder b;
    sgc_record_begin(&b, buf, sizeof buf, SGC_REC_CONTAINER, 0, 0);
    sgc_record_add_blob(&b, SGC_BLOB_CONTAINER_ID, full_id, strlen(full_id) + 1, 0);
    if (!sgc_record_finish(&b)) return -1;
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
    if (sgc_decode(buf, b.used, &ev) != SGC_DECODE_OK) return -1;
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
        for (int i = p->nannounced - 1; i >= 0 && !seen; i--) seen = !strcmp(p->announced[i], cid);
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
