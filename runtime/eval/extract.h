/* Field extraction: the context an extractor reads an event from, the
 * extractor signature, and the registry mapping field names to extractors.
 *
 * Every field class (evt.*, fd.*, fs.path.* in fields_evt.c/fields_fd.c;
 * proc.*, thread.*, user.*, group.*, container.*, k8s.* in the process
 * context files) exports one table of sgc_extractor entries. The evaluator
 * looks every field of a rule set up ONCE when it compiles the rules
 * (sgc_field_ref_init), so per event there is only an indirect call.
 *
 * Value lifetime: strings in an sgc_val point into the event record, the
 * process table or cx->scratch; they stay valid until the caller resets the
 * scratch arena (once per event). */
#ifndef SGC_EXTRACT_H
#define SGC_EXTRACT_H

#include "arena.h"
#include "decode.h"
#include "value.h"
#include <stdbool.h>
#include <stdint.h>

struct sgc_proc; /* a process-table entry (runtime/state/proctable.h) */
struct sgc_proctable;
struct sgc_field_def; /* catalog entry (schema/fields.h) */

/* Per-event facts that several fd.* fields need; computed on first use by
 * fields_fd.c and cached here (cleared by sgc_extract_ctx_reset). */
typedef struct sgc_fd_cache {
    bool done;
    char typechar;    /* 'f' file, '4' ipv4, '6' ipv6, 'u' unix, ... 0 = no fd */
    int64_t fdnum;    /* -1 when unknown */
    const char *name; /* fd.name rendering, NULL = <NA> */
    size_t name_len;
    const char *nameraw; /* the path as the syscall got it, NULL = <NA> */
    size_t nameraw_len;
    bool name_changed; /* this event gave the fd its name/address */
    bool connected;
    uint8_t l4proto; /* IPPROTO_TCP/UDP/ICMP/RAW, 0 unknown */
    bool have_tuple;
    struct sgc_socktuple tuple;
    bool server_is_local; /* inbound connection (accept) vs outbound */
    bool servsock;        /* bound or listening, no peer: only the local
                                 (server) end exists, as libsinsp's server
                                 sockets; fd.name is "ip:port" */
    bool name_pending;    /* name is the tuple's, rendered on first use */
    /* The event was to create an fd (open*, socket, accept*) and failed:
     * there is no fd, so fd.num is -1 and fd.typechar is libsinsp's guess
     * from the event type ('f' for opens, '4' for sockets); every other fd
     * field that needs the fd object (fd.type, fd.l4proto, ...) is <NA>. */
    bool create_failed;
    char guessed_typechar;
} sgc_fd_cache;

typedef struct sgc_extract_ctx sgc_extract_ctx;
struct sgc_extract_ctx {
    const sgc_evt *ev;        /* the decoded event */
    struct sgc_proc *proc;    /* its thread's process entry, or NULL */
    struct sgc_proctable *pt; /* for parent/ancestor lookups, or NULL */
    sgc_arena *scratch;       /* per-event scratch; reset by the caller */
    const char *hostname;     /* evt.hostname; NULL = gethostname() once */
    /* Boot-time to wall-clock offset (ns) for evt.time / evt.rawtime: the
     * header carries boot-based ns. Wall = ts_ns + boot_to_wall_ns. */
    int64_t boot_to_wall_ns;
    sgc_fd_cache fd; /* see above */
    /* uid -> user name, provided by the process-context side (cached
     * lookups); used where Falco renders a uid argument by name
     * (evt.arg.uid = nobody). NULL or a NULL result: numeric rendering. */
    const char *(*user_name)(struct sgc_extract_ctx *cx, uint32_t uid);
    void *user; /* free for the runtime's use */
    /* A k8s_audit event (schema/ka_event.h) for the ka.* and jevt.*
     * extractors (fields_ka.c); NULL for syscall events. `ev` then points at
     * a header-only record carrying the event's time and number. */
    const struct sgc_ka_event *ka;
    const char *ka_cluster; /* ka.cluster.name; NULL = <NA> */
};

/* Fill cx->fd for the current event (fields_fd.c); idempotent per event. */
void sgc_fd_resolve(sgc_extract_ctx *cx);
/* fd.name of the current event (rendered on first use), NULL when <NA>. */
const char *sgc_fd_name(sgc_extract_ctx *cx, size_t *len);

/* Prepare a context for a new event: sets ev/proc, clears per-event caches.
 * Does not reset the scratch arena (the caller owns it). */
void sgc_extract_ctx_reset(sgc_extract_ctx *cx, const sgc_evt *ev, struct sgc_proc *proc);

/* A field reference compiled once per rule set: which extractor, with which
 * argument. `priv` is for what the extractor's prepare step precomputes
 * (an argument index for evt.arg.NAME, an ancestor depth, ...). */
typedef struct sgc_field_ref {
    const struct sgc_extractor *ex;
    const char *name;                 /* the full name as written, e.g. "evt.arg.flags" */
    const char *arg;                  /* bracket or dotted argument, or NULL */
    long argnum;                      /* arg as a number, or -1 when not numeric/absent */
    const struct sgc_field_def *fdef; /* catalog entry when known, else NULL */
    intptr_t priv;
    void *priv_ptr;
    /* Set by a prepare step that allocates priv_ptr: frees it
     * (sgc_field_ref_release). NULL otherwise. */
    void (*release)(struct sgc_field_ref *ref);
} sgc_field_ref;

/* Extract one field. Returns false (or sets out->kind = SGC_VAL_NA) when the
 * value is missing (<NA>). */
typedef bool (*sgc_extract_fn)(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out);

/* Optional compile-time step: validate/precompute the argument. Return false
 * with a message in err to reject the field (e.g. unknown evt.arg name). */
typedef bool (*sgc_extract_prepare_fn)(sgc_field_ref *ref, char *err, size_t errlen);

enum {
    SGC_EXF_ARG_REQUIRED = 1u << 0, /* proc.aname[N]-style: needs an argument */
    SGC_EXF_ARG_ALLOWED = 1u << 1,  /* may take [arg] */
    SGC_EXF_DOTTED_ARG = 1u << 2,   /* evt.arg.NAME: name "evt.arg", arg "NAME" */
    /* fd.ip/fd.port/fd.net: a list of the client and server values where
     * `=`/`in` mean "either matches" and `!=` means "neither matches". */
    SGC_EXF_EITHER = 1u << 3,
};

/* One field's extractor: the object sgc_x_<EXTRACTOR> that its row of
 * schema/fields.def names. */
typedef struct sgc_extractor {
    sgc_extract_fn fn;
    sgc_extract_prepare_fn prepare; /* may be NULL */
    unsigned flags;                 /* SGC_EXF_* */
} sgc_extractor;

/* The extractor of catalog field `id` (SGC_F_*); NULL when out of range.
 * Every catalog row has one (extract_registry.c). */
const sgc_extractor *sgc_extractor_by_id(int id);

/* Find the extractor for a field as written ("evt.arg.flags", "proc.aname"
 * with arg "2"), and fill *ref. `arg` is the bracket argument or NULL.
 * Returns false with a message when the field has no extractor. */
bool sgc_field_ref_init(sgc_field_ref *ref, const char *field, const char *arg,
                        const struct sgc_field_def *fdef, char *err, size_t errlen);

/* Release what the extractor's prepare step allocated (no-op otherwise). */
void sgc_field_ref_release(sgc_field_ref *ref);

/* Look an extractor up by exact catalog name (NULL when the catalog has no
 * such field). */
const sgc_extractor *sgc_extractor_find(const char *name);

/* Extract through a compiled reference; always leaves *out initialized. */
static inline bool sgc_extract(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    out->kind = SGC_VAL_NA;
    if (!ref->ex->fn(cx, ref, out)) {
        out->kind = SGC_VAL_NA;
        return false;
    }
    return out->kind != SGC_VAL_NA;
}

/* Render a value as Falco prints it ("<NA>" when missing; IPs dotted or
 * RFC 5952; lists as "(a,b)"; bools "true"/"false"). The result (*len bytes,
 * NOT necessarily NUL-terminated when it is the value's own string) lives in
 * the arena, the event or a static string. */
const char *sgc_val_render(const sgc_val *v, sgc_arena *a, size_t *len);

/* Value constructors for extractors. */
static inline void sgc_val_set_str(sgc_val *v, const char *p, size_t len)
{
    v->kind = SGC_VAL_STR;
    v->str.p = p;
    v->str.len = len;
}
static inline void sgc_val_set_u64(sgc_val *v, uint64_t x)
{
    v->kind = SGC_VAL_U64;
    v->u64 = x;
}
static inline void sgc_val_set_s64(sgc_val *v, int64_t x)
{
    v->kind = SGC_VAL_S64;
    v->s64 = x;
}
static inline void sgc_val_set_bool(sgc_val *v, bool b)
{
    v->kind = SGC_VAL_BOOL;
    v->b = b;
}
/* NUL-terminated or up to len, whichever comes first (blobs may carry a NUL). */
void sgc_val_set_cstrn(sgc_val *v, const char *p, size_t maxlen);

#endif
