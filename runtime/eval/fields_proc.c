/* proc.* and thread.* extractors: the process-table entry of the event's
 * process and its ancestors, with Falco's semantics:
 *   proc.name     the comm (15 chars), proc.exe argv[0], proc.exepath the file;
 *   proc.args     argv[1..] joined by spaces; proc.cmdline = name + args;
 *   proc.aname[N] the N-th ancestor (0 = self); proc.aname without an index
 *                 is the list of all strict ancestors, so `proc.aname = sshd`
 *                 and `proc.aname in (...)` match when any ancestor does;
 *   proc.sname / proc.vpgid.name  the session / process-group leader: the
 *                 entry with that pid, or else the eldest ancestor sharing the id;
 *   thread.cap_*  capability sets as names separated by spaces.
 * Fields whose facts the runtime does not collect (page faults, fd counts,
 * cpu) are <NA>. */
#include "fields_ctx.h"
#include "proctable.h"
#include "systables.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PROC_OR_NA(cx)                                                                             \
    do {                                                                                           \
        if (!(cx)->proc) return false;                                                             \
    } while (0)

static void set_cstr(sgc_val *out, const char *s) { sgc_val_set_str(out, s, strlen(s)); }

/* ---- per-entry renderings (shared by self/parent/ancestor fields) -------- */

typedef enum { R_NAME, R_EXE, R_EXEPATH, R_CMDLINE, R_ENV, R_PID } rendering;

/* Join a NUL-separated list with single spaces (into the arena). */
static const char *join_list(sgc_arena *a, const char *list, size_t len, size_t *out_len)
{
    if (len && list[len - 1] == '\0') len--;
    char *s = sgc_arena_strndup(a, list, len);
    if (!s) return NULL;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\0') s[i] = ' ';
    *out_len = len;
    return s;
}

static const char *cmdline_of(sgc_arena *a, const sgc_proc *p, const char *first, size_t *out_len)
{
    const sgc_proc_image *img = p->img;
    size_t flen = strlen(first);
    size_t alen =
        img->args_len && img->args[img->args_len - 1] == '\0' ? img->args_len - 1 : img->args_len;
    char *s = sgc_arena_alloc(a, flen + 1 + alen + 1);
    if (!s) return NULL;
    memcpy(s, first, flen);
    size_t n = flen;
    if (img->nargs) {
        s[n++] = ' ';
        for (size_t i = 0; i < alen; i++) s[n++] = img->args[i] ? img->args[i] : ' ';
    }
    s[n] = '\0';
    *out_len = n;
    return s;
}

static bool render(sgc_extract_ctx *cx, const sgc_proc *p, rendering r, sgc_val *out)
{
    size_t n;
    const char *s;
    switch (r) {
    case R_NAME: set_cstr(out, p->comm); return true;
    case R_EXE: sgc_val_set_str(out, p->img->exe, p->img->exe_len); return true;
    case R_EXEPATH: sgc_val_set_str(out, p->img->exepath, p->img->exepath_len); return true;
    case R_CMDLINE:
        s = cmdline_of(cx->scratch, p, p->comm, &n);
        if (!s) return false;
        sgc_val_set_str(out, s, n);
        return true;
    case R_ENV:
        s = join_list(cx->scratch, p->img->env, p->img->env_len, &n);
        if (!s) return false;
        sgc_val_set_str(out, s, n);
        return true;
    case R_PID: sgc_val_set_s64(out, p->pid); return true;
    }
    return false;
}

static sgc_proc *parent_of(sgc_extract_ctx *cx)
{
    if (!cx->proc || !cx->pt) return NULL;
    return sgc_proctable_parent(cx->pt, cx->proc);
}

/* ---- self ----------------------------------------------------------------- */

#define SELF(fname, r)                                                                             \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        PROC_OR_NA(cx);                                                                            \
        return render(cx, cx->proc, r, out);                                                       \
    }
SELF(x_name, R_NAME)
SELF(x_exe, R_EXE)
SELF(x_exepath, R_EXEPATH)
SELF(x_cmdline, R_CMDLINE)
SELF(x_pid, R_PID)

#define PARENT(fname, r)                                                                           \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        sgc_proc *pp = parent_of(cx);                                                              \
        return pp && render(cx, pp, r, out);                                                       \
    }
/* proc.pname: the comm of the kernel's real_parent as the record carries it
 * (hdr.pcomm, filled at the event), so the kernel filter and the evaluator
 * read the same value. The process table's parent entry can lag behind it:
 * a reparented child (its parent exited: the subreaper or init is the
 * parent now), a parent the table never saw, or a parent that renamed itself
 * since its last event. Records without a pcomm (event files without one,
 * synthetic events; the kernel leaves it empty when the parent is the idle
 * task, as for init) take the table's parent. docs/explain.md. */
static bool x_pname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const struct sgc_event_hdr *h = cx->ev ? cx->ev->hdr : NULL;
    if (h && h->pcomm[0] && h->kind != SGC_REC_CONTAINER) {
        sgc_val_set_str(out, h->pcomm, strnlen(h->pcomm, SGC_PROC_COMM_MAX - 1));
        return true;
    }
    sgc_proc *pp = parent_of(cx);
    return pp && render(cx, pp, R_NAME, out);
}
PARENT(x_pexe, R_EXE)
PARENT(x_pexepath, R_EXEPATH)
PARENT(x_pcmdline, R_CMDLINE)

/* ---- ancestors: proc.aname[N] and the any-ancestor list -------------------- */

typedef struct {
    sgc_extract_ctx *cx;
    rendering r;
    sgc_val *items;
    int n, cap;
} anc_list;

static bool list_push(anc_list *l, const sgc_val *v);

static bool collect(const sgc_proc *anc, void *ud)
{
    anc_list *l = ud;
    sgc_val v;
    return !render(l->cx, anc, l->r, &v) || list_push(l, &v);
}

static bool ancestor_field(sgc_extract_ctx *cx, const sgc_field_ref *ref, rendering r, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (ref->arg) {
        if (ref->argnum < 0 || !cx->pt) return ref->argnum == 0 && render(cx, cx->proc, r, out);
        sgc_proc *a = sgc_proctable_ancestor(cx->pt, cx->proc, (int)ref->argnum);
        return a && render(cx, a, r, out);
    }
    /* No index: every strict ancestor (conditions match when any does). */
    anc_list l = {cx, r, NULL, 0, 0};
    if (cx->pt) sgc_proctable_walk_ancestors(cx->pt, cx->proc, collect, &l);
    out->kind = SGC_VAL_LIST;
    out->list.items = l.items;
    out->list.n = l.n;
    return true;
}

#define ANCESTOR(fname, r)                                                                         \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        return ancestor_field(cx, ref, r, out);                                                    \
    }

/* proc.aname: the kernel's real_parent chain as the record carries it
 * (SGC_BLOB_ANCESTORS, sent when the rules read proc.aname), as the kernel
 * filter reads it (bpf-templates/filter_anc.h): ancestor 0 is proc.name, 1
 * proc.pname (x_pname), 2..n+1 the blob's comms, none past the root (the
 * blob's `end`: <NA>), and the process table's beyond what the record
 * carries or without a blob (event files, rule sets without proc.aname).
 * docs/explain.md, "Parents: the kernel's view". */
static const struct sgc_ancestors *rec_ancestors(const sgc_extract_ctx *cx)
{
    const struct sgc_event_hdr *h = cx->ev ? cx->ev->hdr : NULL;
    if (!h || h->kind == SGC_REC_CONTAINER) return NULL;
    return sgc_evt_ancestors(cx->ev);
}

static bool list_push(anc_list *l, const sgc_val *v)
{
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 16;
        sgc_val *ni = sgc_arena_alloc(l->cx->scratch, (size_t)nc * sizeof *ni);
        if (!ni) return false;
        if (l->n) memcpy(ni, l->items, (size_t)l->n * sizeof *ni);
        l->items = ni;
        l->cap = nc;
    }
    l->items[l->n++] = *v;
    return true;
}

typedef struct {
    anc_list *l;
    int skip; /* table ancestors already listed from the record */
} anc_after;

static bool collect_after(const sgc_proc *anc, void *ud)
{
    anc_after *w = ud;
    if (w->skip > 0) return w->skip--, true;
    return collect(anc, w->l);
}

static bool x_aname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    const struct sgc_ancestors *a = rec_ancestors(cx);
    const char *c;
    if (ref->arg) {
        if (ref->argnum == 1) return x_pname(cx, ref, out);
        if (a && ref->argnum >= 2) {
            int st = sgc_anc_level(a, (int)ref->argnum, &c);
            if (st == SGC_ANC_ABSENT) return false;
            if (st == SGC_ANC_HAVE) {
                sgc_val_set_str(out, c, strnlen(c, SGC_PROC_COMM_MAX - 1));
                return true;
            }
        }
        return ancestor_field(cx, ref, R_NAME, out);
    }
    /* No index: every strict ancestor (conditions match when any does). */
    anc_list l = {cx, R_NAME, NULL, 0, 0};
    sgc_val v;
    if ((!a || a->end != 1) && x_pname(cx, ref, &v) && !list_push(&l, &v)) return false;
    anc_after w = {&l, 1};
    if (a) {
        for (int i = 0; i < a->n; i++) {
            sgc_val_set_str(&v, a->comm[i], strnlen(a->comm[i], SGC_PROC_COMM_MAX - 1));
            if (!list_push(&l, &v)) return false;
        }
        w.skip += a->n;
    }
    if ((!a || !a->end) && cx->proc && cx->pt)
        sgc_proctable_walk_ancestors(cx->pt, cx->proc, collect_after, &w);
    out->kind = SGC_VAL_LIST;
    out->list.items = l.items;
    out->list.n = l.n;
    return true;
}
ANCESTOR(x_aexe, R_EXE)
ANCESTOR(x_aexepath, R_EXEPATH)
ANCESTOR(x_acmdline, R_CMDLINE)
ANCESTOR(x_apid, R_PID)

/* ---- arguments, environment, cwd ------------------------------------------ */

static bool x_args(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    size_t n;
    const char *s = join_list(cx->scratch, cx->proc->img->args, cx->proc->img->args_len, &n);
    if (!s) return false;
    sgc_val_set_str(out, s, n);
    return true;
}

static bool x_exeline(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    /* Falco: proc.exe, a space, then the arguments (the space even without any). */
    size_t n;
    const char *args = join_list(cx->scratch, cx->proc->img->args, cx->proc->img->args_len, &n);
    if (!args) return false;
    size_t len;
    const char *s = sgc_arena_printf(cx->scratch, &len, "%s %s", cx->proc->img->exe, args);
    if (!s) return false;
    sgc_val_set_str(out, s, len);
    return true;
}

static bool x_cmdnargs(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_u64(out, cx->proc->img->nargs);
    return true;
}

static bool x_cmdlenargs(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    /* characters of the arguments, separators (our NULs) excluded */
    sgc_val_set_u64(out, (uint64_t)(cx->proc->img->args_len - cx->proc->img->nargs));
    return true;
}

static bool env_value(sgc_extract_ctx *cx, const sgc_proc *p, const char *name, sgc_val *out)
{
    size_t n = 0;
    const char *v = sgc_proc_image_getenv(p->img, name, strlen(name), &n);
    /* Falco renders an unset variable as an empty string. */
    sgc_val_set_str(out, v ? v : "", v ? n : 0);
    return true;
}

static bool x_env(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (ref->arg && *ref->arg) return env_value(cx, cx->proc, ref->arg, out);
    return render(cx, cx->proc, R_ENV, out);
}

typedef struct {
    const char *name;
    sgc_extract_ctx *cx;
    sgc_val *out;
    bool found;
} env_search;

static bool find_env_in(const sgc_proc *anc, void *ud)
{
    env_search *s = ud;
    size_t n;
    const char *v = sgc_proc_image_getenv(anc->img, s->name, strlen(s->name), &n);
    if (v && n) {
        sgc_val_set_str(s->out, v, n);
        s->found = true;
        return false;
    }
    return true;
}

/* proc.aenv: [N] the env of ancestor N; [NAME] the first non-empty value of
 * NAME among the ancestors; no argument: every ancestor's env (any). */
static bool x_aenv(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!ref->arg || !*ref->arg || ref->argnum == 0) {
        if (!ref->arg || !*ref->arg) return ancestor_field(cx, ref, R_ENV, out);
        return render(cx, cx->proc, R_ENV, out);
    }
    if (ref->argnum > 0) {
        sgc_proc *a = cx->pt ? sgc_proctable_ancestor(cx->pt, cx->proc, (int)ref->argnum) : NULL;
        return a && render(cx, a, R_ENV, out);
    }
    env_search s = {ref->arg, cx, out, false};
    if (cx->pt) sgc_proctable_walk_ancestors(cx->pt, cx->proc, find_env_in, &s);
    if (!s.found) sgc_val_set_str(out, "", 0);
    return true;
}

static bool x_cwd(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    const sgc_proc_image *img = cx->proc->img;
    if (!img->cwd_len) return false;
    /* Falco keeps the working directory with a trailing slash. */
    if (img->cwd[img->cwd_len - 1] == '/') {
        sgc_val_set_str(out, img->cwd, img->cwd_len);
        return true;
    }
    size_t n;
    const char *s = sgc_arena_printf(cx->scratch, &n, "%s/", img->cwd);
    if (!s) return false;
    sgc_val_set_str(out, s, n);
    return true;
}

/* ---- ids -------------------------------------------------------------------- */

static bool x_ppid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_s64(out, cx->proc->ppid);
    return true;
}

static bool x_vpid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->vpid) return false;
    sgc_val_set_s64(out, cx->proc->vpid);
    return true;
}

static bool x_pvpid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_proc *pp = parent_of(cx);
    if (!pp || !pp->vpid) return false;
    sgc_val_set_s64(out, pp->vpid);
    return true;
}

static bool x_sid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_s64(out, cx->proc->sid);
    return true;
}

static bool x_vpgid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_s64(out, cx->proc->vpgid);
    return true;
}

static bool x_tty(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_u64(out, cx->proc->tty);
    return true;
}

/* The leader of the session (or process group) `id`: outside a pid
 * namespace the entry whose pid is the id; else (or when that entry is
 * gone) the eldest ancestor that still shares the id. */
typedef struct {
    bool by_sid;
    uint32_t id;
    const sgc_proc *leader;
} leader_search;

static bool eldest_sharing(const sgc_proc *anc, void *ud)
{
    leader_search *s = ud;
    if ((s->by_sid ? anc->sid : anc->vpgid) != s->id) return false;
    s->leader = anc;
    return true;
}

static const sgc_proc *leader_of(sgc_extract_ctx *cx, bool by_sid)
{
    const sgc_proc *p = cx->proc;
    uint32_t id = by_sid ? p->sid : p->vpgid;
    bool in_pidns = p->vpid && p->vpid != p->pid;
    if (!in_pidns && cx->pt) {
        sgc_proc *l = sgc_proctable_find(cx->pt, id);
        if (l) return l;
    }
    leader_search s = {by_sid, id, p};
    if (cx->pt) sgc_proctable_walk_ancestors(cx->pt, p, eldest_sharing, &s);
    return s.leader;
}

#define LEADER(fname, by_sid, r)                                                                   \
    static bool fname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)                 \
    {                                                                                              \
        PROC_OR_NA(cx);                                                                            \
        return render(cx, leader_of(cx, by_sid), r, out);                                          \
    }
LEADER(x_sname, true, R_NAME)
LEADER(x_sid_exe, true, R_EXE)
LEADER(x_sid_exepath, true, R_EXEPATH)
LEADER(x_vpgid_name, false, R_NAME)
LEADER(x_vpgid_exe, false, R_EXE)
LEADER(x_vpgid_exepath, false, R_EXEPATH)

static bool x_is_sid_leader(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    uint32_t vpid = cx->proc->vpid ? cx->proc->vpid : cx->proc->pid;
    sgc_val_set_bool(out, cx->proc->sid == vpid);
    return true;
}

static bool x_is_vpgid_leader(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    uint32_t vpid = cx->proc->vpid ? cx->proc->vpid : cx->proc->pid;
    sgc_val_set_bool(out, cx->proc->vpgid == vpid);
    return true;
}

/* The eldest shell (comm ending in "sh") among the process and its ancestors. */
static bool note_shell(const sgc_proc *anc, void *ud)
{
    const sgc_proc **found = ud;
    size_t n = strlen(anc->comm);
    if (n >= 2 && anc->comm[n - 2] == 's' && anc->comm[n - 1] == 'h') *found = anc;
    return true;
}

static bool x_loginshellid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    const sgc_proc *found = NULL;
    note_shell(cx->proc, &found);
    if (cx->pt) sgc_proctable_walk_ancestors(cx->pt, cx->proc, note_shell, &found);
    if (!found) return false;
    sgc_val_set_s64(out, found->pid);
    return true;
}

/* ---- times -------------------------------------------------------------------- */

static bool x_duration(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    uint64_t now = cx->ev->hdr->ts_ns, start = cx->proc->start_ns;
    if (!start) return false;
    sgc_val_set_u64(out, now > start ? now - start : 0);
    return true;
}

static bool x_ppid_duration(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_proc *pp = parent_of(cx);
    if (!pp || !pp->start_ns) return false;
    uint64_t now = cx->ev->hdr->ts_ns;
    sgc_val_set_u64(out, now > pp->start_ns ? now - pp->start_ns : 0);
    return true;
}

static bool x_pid_ts(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->start_ns) return false;
    sgc_val_set_u64(out, (uint64_t)((int64_t)cx->proc->start_ns + cx->boot_to_wall_ns));
    return true;
}

static bool x_ppid_ts(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_proc *pp = parent_of(cx);
    if (!pp || !pp->start_ns) return false;
    sgc_val_set_u64(out, (uint64_t)((int64_t)pp->start_ns + cx->boot_to_wall_ns));
    return true;
}

/* ---- the executable file -------------------------------------------------------- */

/* Falco's executable flags default to false when not collected. */
static bool exe_flag(sgc_extract_ctx *cx, uint32_t bit, sgc_val *out)
{
    PROC_OR_NA(cx);
    const sgc_proc_image *img = cx->proc->img;
    sgc_val_set_bool(out, img->has_exe_flags && (img->exe_flags & bit));
    return true;
}

static bool x_is_exe_writable(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    return exe_flag(cx, SGC_EXE_WRITABLE, out);
}

static bool x_is_exe_upper_layer(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    return exe_flag(cx, SGC_EXE_UPPER_LAYER, out);
}

static bool x_is_exe_from_memfd(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    return exe_flag(cx, SGC_EXE_FROM_MEMFD, out);
}

static bool x_exe_ino(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->img->exe_ino) return false;
    sgc_val_set_s64(out, (int64_t)cx->proc->img->exe_ino);
    return true;
}

static bool x_exe_ctime(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->img->exe_ctime_ns) return false;
    sgc_val_set_u64(out, cx->proc->img->exe_ctime_ns);
    return true;
}

static bool x_exe_mtime(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->img->exe_mtime_ns) return false;
    sgc_val_set_u64(out, cx->proc->img->exe_mtime_ns);
    return true;
}

/* Time from the executable's last status change to the process start. */
static bool x_exe_ctime_to_start(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    uint64_t ctime = cx->proc->img->exe_ctime_ns;
    if (!ctime || !cx->proc->start_ns) return false;
    int64_t start = (int64_t)cx->proc->start_ns + cx->boot_to_wall_ns;
    if (start <= (int64_t)ctime) return false;
    sgc_val_set_u64(out, (uint64_t)(start - (int64_t)ctime));
    return true;
}

static bool x_false(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    sgc_val_set_bool(out, false);
    return true;
}

static bool x_na(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out) { return false; }

/* ---- thread.* ----------------------------------------------------------------- */

static bool x_tid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_val_set_s64(out, cx->ev->hdr->tid);
    return true;
}

static bool x_vtid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    /* The record carries the namespace id of the main thread only. */
    if (cx->ev->hdr->tid != cx->ev->hdr->pid || !cx->ev->hdr->vpid) return false;
    sgc_val_set_s64(out, cx->ev->hdr->vpid);
    return true;
}

static bool x_ismain(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_val_set_bool(out, cx->ev->hdr->tid == cx->ev->hdr->pid);
    return true;
}

static bool x_nametid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    size_t n;
    const char *s =
        sgc_arena_printf(cx->scratch, &n, "%s%" PRIu32, cx->proc->comm, cx->ev->hdr->tid);
    if (!s) return false;
    sgc_val_set_str(out, s, n);
    return true;
}

/* "CAP_CHOWN CAP_DAC_OVERRIDE ...", in bit order; "" for an empty set. */
static bool caps_value(sgc_extract_ctx *cx, uint64_t caps, sgc_val *out)
{
    char *buf = sgc_arena_alloc(cx->scratch, 64 * 28 + 1);
    if (!buf) return false;
    size_t n = 0;
    for (int bit = 0; bit < 64; bit++) {
        if (!(caps & (1ull << bit))) continue;
        const char *name = sgc_cap_name(bit);
        char tmp[24];
        if (!name) {
            snprintf(tmp, sizeof tmp, "CAP_%d", bit);
            name = tmp;
        }
        if (n) buf[n++] = ' ';
        size_t l = strlen(name);
        memcpy(buf + n, name, l);
        n += l;
    }
    buf[n] = '\0';
    sgc_val_set_str(out, buf, n);
    return true;
}

static bool x_cap_permitted(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    return caps_value(cx, cx->proc->cap_permitted, out);
}

static bool x_cap_effective(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    return caps_value(cx, cx->proc->cap_effective, out);
}

static bool x_cap_inheritable(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    PROC_OR_NA(cx);
    if (!cx->proc->has_cap_inheritable) return false;
    return caps_value(cx, cx->proc->cap_inheritable, out);
}

#define ARG SGC_EXF_ARG_ALLOWED
/* The extractors of this file, each named by its row in schema/fields.def
 * (the EXTRACTOR column): a row without its extractor does not link. */
const sgc_extractor sgc_x_proc_name = {x_name, NULL, 0};
const sgc_extractor sgc_x_proc_pname = {x_pname, NULL, 0};
const sgc_extractor sgc_x_proc_aname = {x_aname, NULL, ARG};
const sgc_extractor sgc_x_proc_exe = {x_exe, NULL, 0};
const sgc_extractor sgc_x_proc_pexe = {x_pexe, NULL, 0};
const sgc_extractor sgc_x_proc_aexe = {x_aexe, NULL, ARG};
const sgc_extractor sgc_x_proc_exepath = {x_exepath, NULL, 0};
const sgc_extractor sgc_x_proc_pexepath = {x_pexepath, NULL, 0};
const sgc_extractor sgc_x_proc_aexepath = {x_aexepath, NULL, ARG};
const sgc_extractor sgc_x_proc_args = {x_args, NULL, 0};
const sgc_extractor sgc_x_proc_cmdline = {x_cmdline, NULL, 0};
const sgc_extractor sgc_x_proc_pcmdline = {x_pcmdline, NULL, 0};
const sgc_extractor sgc_x_proc_acmdline = {x_acmdline, NULL, ARG};
const sgc_extractor sgc_x_proc_cmdnargs = {x_cmdnargs, NULL, 0};
const sgc_extractor sgc_x_proc_cmdlenargs = {x_cmdlenargs, NULL, 0};
const sgc_extractor sgc_x_proc_exeline = {x_exeline, NULL, 0};
const sgc_extractor sgc_x_proc_env = {x_env, NULL, ARG};
const sgc_extractor sgc_x_proc_aenv = {x_aenv, NULL, ARG};
const sgc_extractor sgc_x_proc_cwd = {x_cwd, NULL, 0};
const sgc_extractor sgc_x_proc_loginshellid = {x_loginshellid, NULL, 0};
const sgc_extractor sgc_x_proc_tty = {x_tty, NULL, 0};
const sgc_extractor sgc_x_proc_pid = {x_pid, NULL, 0};
const sgc_extractor sgc_x_proc_ppid = {x_ppid, NULL, 0};
const sgc_extractor sgc_x_proc_apid = {x_apid, NULL, ARG};
const sgc_extractor sgc_x_proc_vpid = {x_vpid, NULL, 0};
const sgc_extractor sgc_x_proc_pvpid = {x_pvpid, NULL, 0};
const sgc_extractor sgc_x_proc_sid = {x_sid, NULL, 0};
const sgc_extractor sgc_x_proc_sname = {x_sname, NULL, 0};
const sgc_extractor sgc_x_proc_sid_exe = {x_sid_exe, NULL, 0};
const sgc_extractor sgc_x_proc_sid_exepath = {x_sid_exepath, NULL, 0};
const sgc_extractor sgc_x_proc_vpgid = {x_vpgid, NULL, 0};
const sgc_extractor sgc_x_proc_vpgid_name = {x_vpgid_name, NULL, 0};
const sgc_extractor sgc_x_proc_vpgid_exe = {x_vpgid_exe, NULL, 0};
const sgc_extractor sgc_x_proc_vpgid_exepath = {x_vpgid_exepath, NULL, 0};
const sgc_extractor sgc_x_proc_duration = {x_duration, NULL, 0};
const sgc_extractor sgc_x_proc_ppid_duration = {x_ppid_duration, NULL, 0};
const sgc_extractor sgc_x_proc_pid_ts = {x_pid_ts, NULL, 0};
const sgc_extractor sgc_x_proc_ppid_ts = {x_ppid_ts, NULL, 0};
const sgc_extractor sgc_x_proc_is_exe_writable = {x_is_exe_writable, NULL, 0};
const sgc_extractor sgc_x_proc_is_exe_upper_layer = {x_is_exe_upper_layer, NULL, 0};
const sgc_extractor sgc_x_proc_is_exe_from_memfd = {x_is_exe_from_memfd, NULL, 0};
const sgc_extractor sgc_x_proc_is_sid_leader = {x_is_sid_leader, NULL, 0};
const sgc_extractor sgc_x_proc_is_vpgid_leader = {x_is_vpgid_leader, NULL, 0};
const sgc_extractor sgc_x_proc_exe_ino = {x_exe_ino, NULL, 0};
const sgc_extractor sgc_x_proc_exe_ino_ctime = {x_exe_ctime, NULL, 0};
const sgc_extractor sgc_x_proc_exe_ino_mtime = {x_exe_mtime, NULL, 0};
const sgc_extractor sgc_x_proc_exe_ino_ctime_duration_proc_start = {x_exe_ctime_to_start, NULL, 0};
const sgc_extractor sgc_x_proc_exe_ino_ctime_duration_pidns_start = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_pidns_init_start_ts = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_is_container_healthcheck = {x_false, NULL, 0};
const sgc_extractor sgc_x_proc_is_container_liveness_probe = {x_false, NULL, 0};
const sgc_extractor sgc_x_proc_is_container_readiness_probe = {x_false, NULL, 0};
const sgc_extractor sgc_x_proc_fdopencount = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_fdlimit = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_fdusage = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_vmsize = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_vmrss = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_vmswap = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_nthreads = {x_na, NULL, 0};
const sgc_extractor sgc_x_proc_nchilds = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_cap_permitted = {x_cap_permitted, NULL, 0};
const sgc_extractor sgc_x_thread_cap_inheritable = {x_cap_inheritable, NULL, 0};
const sgc_extractor sgc_x_thread_cap_effective = {x_cap_effective, NULL, 0};
const sgc_extractor sgc_x_thread_pfmajor = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_pfminor = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_tid = {x_tid, NULL, 0};
const sgc_extractor sgc_x_thread_ismain = {x_ismain, NULL, 0};
const sgc_extractor sgc_x_thread_vtid = {x_vtid, NULL, 0};
const sgc_extractor sgc_x_thread_nametid = {x_nametid, NULL, 0};
const sgc_extractor sgc_x_thread_exectime = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_totexectime = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_cgroups = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_cgroup = {x_na, NULL, SGC_EXF_DOTTED_ARG};
const sgc_extractor sgc_x_thread_cpu = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_cpu_user = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_cpu_system = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_vmsize = {x_na, NULL, 0};
const sgc_extractor sgc_x_thread_vmrss = {x_na, NULL, 0};
