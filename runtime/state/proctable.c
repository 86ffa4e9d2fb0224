/* The process table: storage (stable entries in chunks, a chained hash by
 * pid), the live LRU list and the exited FIFO, eviction and reaping. */
#include "proctable_int.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SHIFT 10
#define CHUNK_SIZE  (1u << CHUNK_SHIFT)
#define NONE        (-1)

typedef struct {
    int32_t head, tail; /* head = oldest */
    uint32_t n;
} plist;

struct sgc_proctable {
    sgc_proctable_config cfg;
    sgc_proc **chunks; /* entries never move: callers may hold pointers */
    uint32_t nchunks, nalloc;
    int32_t free_head; /* free entries chained through hnext */
    int32_t *buckets;
    uint32_t nbuckets; /* power of two */
    uint32_t count;
    plist live, exited;
    sgc_proc_image *empty; /* shared by entries nothing is known about */
    struct sgc_usercache *users;
    struct sgc_containers *containers;
    struct sgc_dnsnames *dns;
    sgc_proctable_stats st;
};

static sgc_proc *ent(const sgc_proctable *t, int32_t i)
{
    return &t->chunks[(uint32_t)i >> CHUNK_SHIFT][(uint32_t)i & (CHUNK_SIZE - 1)];
}

static int32_t idx_of(const sgc_proctable *t, const sgc_proc *p)
{
    (void)t;
    return p->slot;
}

static uint32_t hash_pid(uint32_t pid) { return pid * 2654435761u; }

/* ---- images --------------------------------------------------------------- */

static void img_track(sgc_proctable *t, sgc_proc_image *img)
{
    t->st.images++;
    t->st.image_bytes += sgc_proc_image_size(img);
}

static void img_unref(sgc_proctable *t, sgc_proc_image *img)
{
    if (img && --img->refs == 0) {
        t->st.images--;
        t->st.image_bytes -= sgc_proc_image_size(img);
        free(img);
    }
}

static void release(sgc_proctable *t, int32_t i);

/* Keep the images within their byte budget: reclaim exited entries first,
 * then the least recently seen; never `keep`, the entry being updated. */
static void enforce_image_budget(sgc_proctable *t, const sgc_proc *keep)
{
    while (t->st.image_bytes > t->cfg.max_image_bytes) {
        int32_t victim = t->exited.head;
        bool live = false;
        if (victim == -1) {
            victim = t->live.head;
            live = true;
        }
        if (victim == -1) return;
        if (keep && victim == keep->slot) {
            /* only `keep` is left at the head: try the next one */
            victim = ent(t, victim)->lnext;
            if (victim == -1) return;
        }
        release(t, victim);
        if (live)
            t->st.evicted_live++;
        else
            t->st.evicted_exited++;
    }
}

static sgc_proc_image *img_ref(sgc_proc_image *img)
{
    img->refs++;
    return img;
}

/* ---- lists ---------------------------------------------------------------- */

static void list_unlink(sgc_proctable *t, plist *l, int32_t i)
{
    sgc_proc *p = ent(t, i);
    if (p->lprev != NONE)
        ent(t, p->lprev)->lnext = p->lnext;
    else
        l->head = p->lnext;
    if (p->lnext != NONE)
        ent(t, p->lnext)->lprev = p->lprev;
    else
        l->tail = p->lprev;
    p->lprev = p->lnext = NONE;
    l->n--;
}

static void list_push_tail(sgc_proctable *t, plist *l, int32_t i)
{
    sgc_proc *p = ent(t, i);
    p->lnext = NONE;
    p->lprev = l->tail;
    if (l->tail != NONE)
        ent(t, l->tail)->lnext = i;
    else
        l->head = i;
    l->tail = i;
    l->n++;
}

/* ---- hash ----------------------------------------------------------------- */

static int rehash(sgc_proctable *t, uint32_t nb)
{
    int32_t *b = malloc(nb * sizeof *b);
    if (!b) return -1;
    for (uint32_t k = 0; k < nb; k++) b[k] = NONE;
    for (uint32_t k = 0; k < t->nbuckets; k++) {
        int32_t i = t->buckets[k];
        while (i != NONE) {
            sgc_proc *p = ent(t, i);
            int32_t next = p->hnext;
            uint32_t h = hash_pid(p->pid) & (nb - 1);
            p->hnext = b[h];
            b[h] = i;
            i = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
    return 0;
}

static void hash_remove(sgc_proctable *t, int32_t i)
{
    sgc_proc *p = ent(t, i);
    int32_t *link = &t->buckets[hash_pid(p->pid) & (t->nbuckets - 1)];
    while (*link != NONE && *link != i) link = &ent(t, *link)->hnext;
    if (*link == i) *link = p->hnext;
    p->hnext = NONE;
}

/* ---- entries -------------------------------------------------------------- */

static void release(sgc_proctable *t, int32_t i)
{
    sgc_proc *p = ent(t, i);
    hash_remove(t, i);
    list_unlink(t, p->exited ? &t->exited : &t->live, i);
    img_unref(t, p->img);
    memset(p, 0, sizeof *p);
    p->lprev = p->lnext = NONE;
    p->hnext = t->free_head;
    t->free_head = i;
    t->count--;
}

/* A free entry index: from the free list, a new slot, or by eviction. */
static int32_t take_slot(sgc_proctable *t)
{
    if (t->free_head == NONE && t->nalloc < t->cfg.max_entries) {
        uint32_t c = t->nalloc >> CHUNK_SHIFT;
        if (c == t->nchunks) {
            sgc_proc **nc = realloc(t->chunks, (c + 1) * sizeof *nc);
            if (!nc) return NONE;
            t->chunks = nc;
            t->chunks[c] = calloc(CHUNK_SIZE, sizeof(sgc_proc));
            if (!t->chunks[c]) return NONE;
            t->nchunks++;
        }
        int32_t i = (int32_t)t->nalloc++;
        ent(t, i)->hnext = t->free_head;
        t->free_head = i;
    }
    if (t->free_head == NONE) {
        /* Full: reclaim the oldest exited entry, else the least recently
         * seen live one. */
        if (t->exited.head != NONE) {
            release(t, t->exited.head);
            t->st.evicted_exited++;
        } else if (t->live.head != NONE) {
            release(t, t->live.head);
            t->st.evicted_live++;
        } else {
            return NONE;
        }
    }
    int32_t i = t->free_head;
    t->free_head = ent(t, i)->hnext;
    return i;
}

static sgc_proc *insert(sgc_proctable *t, uint32_t pid, uint64_t now_ns)
{
    if (t->count + 1 > t->nbuckets && rehash(t, t->nbuckets * 2) < 0) return NULL;
    int32_t i = take_slot(t);
    if (i == NONE) return NULL;
    sgc_proc *p = ent(t, i);
    memset(p, 0, sizeof *p);
    p->slot = i;
    p->pid = pid;
    p->loginuid = SGC_LOGINUID_UNSET;
    p->last_seen_ns = now_ns;
    p->img = img_ref(t->empty);
    uint32_t h = hash_pid(pid) & (t->nbuckets - 1);
    p->hnext = t->buckets[h];
    t->buckets[h] = i;
    list_push_tail(t, &t->live, i);
    t->count++;
    return p;
}

/* ---- public --------------------------------------------------------------- */

sgc_proctable *sgc_proctable_new(const sgc_proctable_config *cfg)
{
    sgc_proctable *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cfg.max_entries = 131072;
    t->cfg.max_exited = 4096;
    t->cfg.exited_linger_ns = 5000000000ull;
    t->cfg.max_depth = 64;
    t->cfg.max_image_bytes = 256ull << 20;
    if (cfg) {
        if (cfg->max_entries) t->cfg.max_entries = cfg->max_entries < 2 ? 2 : cfg->max_entries;
        if (cfg->max_exited) t->cfg.max_exited = cfg->max_exited;
        if (cfg->exited_linger_ns) t->cfg.exited_linger_ns = cfg->exited_linger_ns;
        if (cfg->max_depth) t->cfg.max_depth = cfg->max_depth;
        if (cfg->max_image_bytes) t->cfg.max_image_bytes = cfg->max_image_bytes;
    }
    t->free_head = NONE;
    t->live.head = t->live.tail = NONE;
    t->exited.head = t->exited.tail = NONE;
    sgc_proc_image_spec host = {.container_id = "host"};
    t->empty = sgc_proc_image_build(&host, NULL, false);
    if (!t->empty || rehash(t, 1024) < 0) {
        sgc_proctable_free(t);
        return NULL;
    }
    img_track(t, t->empty);
    return t;
}

void sgc_proctable_free(sgc_proctable *t)
{
    if (!t) return;
    for (uint32_t c = 0; c < t->nchunks; c++) {
        for (uint32_t k = 0; k < CHUNK_SIZE; k++) {
            sgc_proc *p = &t->chunks[c][k];
            if (p->img && p->img->refs && --p->img->refs == 0) free(p->img);
        }
        free(t->chunks[c]);
    }
    if (t->empty && --t->empty->refs == 0) free(t->empty);
    free(t->chunks);
    free(t->buckets);
    free(t);
}

const sgc_proctable_config *sgc_proctable_get_config(const sgc_proctable *t) { return &t->cfg; }

sgc_proc *sgc_proctable_find(sgc_proctable *t, uint32_t pid)
{
    int32_t i = t->buckets[hash_pid(pid) & (t->nbuckets - 1)];
    while (i != NONE) {
        sgc_proc *p = ent(t, i);
        if (p->pid == pid) return p;
        i = p->hnext;
    }
    return NULL;
}

sgc_proc *sgc_proctable_get_or_create(sgc_proctable *t, uint32_t pid, uint64_t now_ns)
{
    sgc_proc *p = sgc_proctable_find(t, pid);
    if (p) return p;
    t->st.created_unknown++;
    return insert(t, pid, now_ns);
}

void sgc_proctable_remove(sgc_proctable *t, uint32_t pid)
{
    sgc_proc *p = sgc_proctable_find(t, pid);
    if (p) release(t, idx_of(t, p));
}

int sgc_proc_set_image(sgc_proctable *t, sgc_proc *p, const sgc_proc_image_spec *spec, bool update)
{
    sgc_proc_image *img = sgc_proc_image_build(spec, update ? p->img : NULL, update);
    if (!img) return -1;
    img_track(t, img);
    img_unref(t, p->img);
    p->img = img;
    enforce_image_budget(t, p);
    return 0;
}

sgc_proc *sgc_proctable_parent(sgc_proctable *t, const sgc_proc *p)
{
    if (!p->ppid || p->ppid == p->pid) return NULL;
    sgc_proc *q = sgc_proctable_find(t, p->ppid);
    if (q && q->start_ns && p->start_ns && q->start_ns > p->start_ns)
        return NULL; /* the pid was reused by a younger process */
    return q;
}

void sgc_proctable_walk_ancestors(sgc_proctable *t, const sgc_proc *p,
                                  bool (*fn)(const sgc_proc *anc, void *ud), void *ud)
{
    uint32_t seen[64];
    uint32_t nseen = 0;
    seen[nseen++] = p->pid;
    const sgc_proc *cur = p;
    for (uint32_t depth = 0; depth < t->cfg.max_depth; depth++) {
        const sgc_proc *q = sgc_proctable_parent(t, cur);
        if (!q) return;
        for (uint32_t k = 0; k < nseen; k++)
            if (seen[k] == q->pid) return; /* a cycle: the lineage ends here */
        if (nseen < sizeof seen / sizeof seen[0]) seen[nseen++] = q->pid;
        if (!fn(q, ud)) return;
        cur = q;
    }
}

typedef struct {
    int want, at;
    sgc_proc *found;
} nth_ctx;

static bool nth_visit(const sgc_proc *anc, void *ud)
{
    nth_ctx *c = ud;
    if (++c->at == c->want) {
        c->found = (sgc_proc *)anc;
        return false;
    }
    return true;
}

sgc_proc *sgc_proctable_ancestor(sgc_proctable *t, const sgc_proc *p, int n)
{
    if (n < 0) return NULL;
    if (n == 0) return (sgc_proc *)p;
    nth_ctx c = {n, 0, NULL};
    sgc_proctable_walk_ancestors(t, p, nth_visit, &c);
    return c.found;
}

sgc_proc *sgc_proctable_fork(sgc_proctable *t, uint32_t parent_pid, uint32_t child_pid,
                             uint64_t ts_ns)
{
    t->st.forks++;
    sgc_proc *par = sgc_proctable_get_or_create(t, parent_pid, ts_ns);
    if (!par) return NULL;
    sgc_proc *c = sgc_proctable_find(t, child_pid);
    if (c && !c->exited && c->last_seen_ns > ts_ns) {
        /* The child's own events overtook the fork record (another CPU's
         * ring order): what they told us is newer than the parent's copy. */
        c->ppid = parent_pid;
        if (!c->start_ns) c->start_ns = ts_ns;
        return c;
    }
    if (c) /* a stale entry of a reused pid */
        release(t, idx_of(t, c));
    /* The parent is active: keep it at the recent end of the LRU. */
    if (!par->exited) {
        list_unlink(t, &t->live, par->slot);
        list_push_tail(t, &t->live, par->slot);
    }
    /* Snapshot the parent: making room for the child may evict it. */
    sgc_proc snap = *par;
    img_ref(snap.img);
    c = insert(t, child_pid, ts_ns);
    if (!c) {
        img_unref(t, snap.img);
        return NULL;
    }
    int32_t slot = c->slot, hnext = c->hnext, lprev = c->lprev, lnext = c->lnext;
    img_unref(t, c->img);
    *c = snap; /* takes over snap's image reference */
    c->slot = slot;
    c->hnext = hnext;
    c->lprev = lprev;
    c->lnext = lnext;
    c->pid = child_pid;
    c->vpid = 0; /* unknown until the child's own first event */
    c->ppid = parent_pid;
    c->start_ns = ts_ns;
    c->exit_ns = 0;
    c->last_seen_ns = ts_ns;
    c->exited = false;
    return c;
}

sgc_proc *sgc_proctable_exec(sgc_proctable *t, uint32_t pid, const sgc_proc_image_spec *spec,
                             uint64_t ts_ns)
{
    t->st.execs++;
    sgc_proc *p = sgc_proctable_get_or_create(t, pid, ts_ns);
    if (!p) return NULL;
    sgc_proc_image *img = sgc_proc_image_build(spec, p->img, false);
    if (!img) return NULL;
    img_track(t, img);
    img_unref(t, p->img);
    p->img = img;
    p->last_seen_ns = ts_ns;
    enforce_image_budget(t, p);
    return p;
}

void sgc_proctable_exit(sgc_proctable *t, uint32_t pid, uint64_t ts_ns)
{
    sgc_proc *p = sgc_proctable_find(t, pid);
    if (!p || p->exited) return;
    t->st.exits++;
    int32_t i = idx_of(t, p);
    list_unlink(t, &t->live, i);
    p->exited = true;
    p->exit_ns = ts_ns;
    list_push_tail(t, &t->exited, i);
    while (t->exited.n > t->cfg.max_exited) {
        release(t, t->exited.head);
        t->st.evicted_exited++;
    }
}

void sgc_proctable_reap(sgc_proctable *t, uint64_t now_ns)
{
    while (t->exited.head != NONE) {
        sgc_proc *p = ent(t, t->exited.head);
        if (p->exit_ns + t->cfg.exited_linger_ns > now_ns) break;
        release(t, t->exited.head);
        t->st.reaped++;
    }
}

sgc_proc *sgc_proctable_touch_hdr(sgc_proctable *t, const struct sgc_event_hdr *h)
{
    sgc_proc *p = sgc_proctable_get_or_create(t, h->pid, h->ts_ns);
    if (!p) return NULL;
    if (!p->exited) {
        int32_t i = idx_of(t, p);
        list_unlink(t, &t->live, i);
        list_push_tail(t, &t->live, i);
    }
    if (h->ppid) p->ppid = h->ppid;
    p->uid = h->uid;
    p->gid = h->gid;
    p->euid = h->euid;
    p->egid = h->egid;
    p->loginuid = h->loginuid;
    p->tty = h->tty;
    p->sid = h->sid;
    if (h->tid == h->pid) {
        if (h->vpid) p->vpid = h->vpid;
        if (h->start_ns) p->start_ns = h->start_ns;
    }
    p->vpgid = h->vpgid;
    p->cap_effective = h->cap_effective;
    p->cap_permitted = h->cap_permitted;
    if (h->comm[0]) {
        memcpy(p->comm, h->comm, SGC_PROC_COMM_MAX);
        p->comm[SGC_PROC_COMM_MAX - 1] = '\0';
    }
    if (h->ts_ns > p->last_seen_ns) p->last_seen_ns = h->ts_ns;
    return p;
}

static const char *blob_str(const sgc_evt *ev, unsigned tag, size_t *len)
{
    const sgc_blob *b = sgc_evt_blob(ev, tag);
    if (!b) return NULL;
    *len = strnlen((const char *)b->p, b->len);
    return (const char *)b->p;
}

sgc_proc *sgc_proctable_apply(sgc_proctable *t, const sgc_evt *ev)
{
    const struct sgc_event_hdr *h = ev->hdr;
    sgc_proc *p = NULL;
    sgc_proctable_reap(t, h->ts_ns);
    switch (h->kind) {
    case SGC_REC_SYSCALL: return sgc_proctable_touch_hdr(t, h);
    case SGC_REC_PROC_EXEC: {
        sgc_proc_image_spec spec = {0};
        spec.exepath = blob_str(ev, SGC_BLOB_EXE, &spec.exepath_len);
        spec.cwd = blob_str(ev, SGC_BLOB_CWD, &spec.cwd_len);
        spec.cgroup = blob_str(ev, SGC_BLOB_CGROUP, &spec.cgroup_len);
        const sgc_blob *b = sgc_evt_blob(ev, SGC_BLOB_ARGV);
        if (b) sgc_proc_spec_set_argv(&spec, (const char *)b->p, b->len);
        b = sgc_evt_blob(ev, SGC_BLOB_ENV);
        if (b) {
            spec.env = (const char *)b->p;
            spec.env_len = b->len;
        }
        b = sgc_evt_blob(ev, SGC_BLOB_EXE_FLAGS);
        if (b && b->len >= sizeof(uint32_t)) {
            spec.has_exe_flags = true;
            memcpy(&spec.exe_flags, b->p, sizeof(uint32_t));
        }
        p = sgc_proctable_touch_hdr(t, h);
        if (p) p = sgc_proctable_exec(t, h->pid, &spec, h->ts_ns);
        return p;
    }
    case SGC_REC_PROC_FORK: {
        bool thread = h->flags & SGC_EVF_IS_THREAD;
        if (h->args[0] && h->args[0] != h->pid) {
            /* the header describes the parent (event files): args[0] is
             * the child */
            p = sgc_proctable_touch_hdr(t, h);
            if (p && !thread) sgc_proctable_fork(t, h->pid, (uint32_t)h->args[0], h->ts_ns);
            return sgc_proctable_find(t, h->pid);
        }
        /* The kernel's record describes the child; args[2] is the creating
         * process (else the child's parent). The child starts as a copy of
         * it (arguments, executable, cwd, container), as in libsinsp, until
         * its own exec; then it takes its own credentials from the header. */
        uint32_t parent = h->args[2] ? (uint32_t)h->args[2] : h->ppid;
        if (!thread && parent && parent != h->pid) sgc_proctable_fork(t, parent, h->pid, h->ts_ns);
        return sgc_proctable_touch_hdr(t, h);
    }
    case SGC_REC_PROC_EXIT:
        p = sgc_proctable_find(t, h->pid);
        if (p && h->tid == h->pid) sgc_proctable_exit(t, h->pid, h->ts_ns);
        return p;
    default: return NULL;
    }
}

void sgc_proctable_get_stats(const sgc_proctable *t, sgc_proctable_stats *st)
{
    *st = t->st;
    st->entries = t->count;
    st->live = t->live.n;
    st->exited = t->exited.n;
    st->table_bytes = (uint64_t)t->nchunks * CHUNK_SIZE * sizeof(sgc_proc) +
                      (uint64_t)t->nbuckets * sizeof(int32_t) + sizeof *t;
}

void sgc_proctable_foreach(sgc_proctable *t, bool (*fn)(sgc_proc *p, void *ud), void *ud)
{
    for (plist *l = &t->live; l; l = (l == &t->live) ? &t->exited : NULL) {
        int32_t i = l->head;
        while (i != NONE) {
            int32_t next = ent(t, i)->lnext;
            if (!fn(ent(t, i), ud)) return;
            i = next;
        }
    }
}

void sgc_proctable_attach(sgc_proctable *t, struct sgc_usercache *users,
                          struct sgc_containers *containers)
{
    t->users = users;
    t->containers = containers;
}

struct sgc_usercache *sgc_proctable_users(const sgc_proctable *t) { return t->users; }

struct sgc_containers *sgc_proctable_containers(const sgc_proctable *t) { return t->containers; }

void sgc_proctable_attach_dns(sgc_proctable *t, struct sgc_dnsnames *dns) { t->dns = dns; }

struct sgc_dnsnames *sgc_proctable_dns(const sgc_proctable *t) { return t->dns; }
