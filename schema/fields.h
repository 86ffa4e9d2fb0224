/* The field catalog: name, type, argument form, flags and description of
 * every field (proc.name, fd.name, evt.arg.flags, ...), defined once in
 * fields.def. The type checker resolves condition and output fields here; the
 * runtime maps the numeric ids (SGC_F_*) to its extractors. */
#ifndef SGC_FIELDS_H
#define SGC_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SGC_FT_STRING,  /* text (Falco's charbuf) */
    SGC_FT_BYTEBUF, /* binary data (evt.buffer): string operators, bcontains */
    SGC_FT_INT8,
    SGC_FT_INT16,
    SGC_FT_INT32,
    SGC_FT_INT64,
    SGC_FT_UINT8,
    SGC_FT_UINT16,
    SGC_FT_UINT32,
    SGC_FT_UINT64,
    SGC_FT_DOUBLE,
    SGC_FT_BOOL,
    SGC_FT_IPADDR,    /* IPv4/IPv6 address; compares with addresses and CIDRs */
    SGC_FT_IPNET,     /* network match (fd.net): compares with CIDRs and addresses */
    SGC_FT_PORT,      /* TCP/UDP port number */
    SGC_FT_L4PROTO,   /* transport protocol rendered as a name (tcp, udp, ...) */
    SGC_FT_FLAGS,     /* a bit set rendered as names (CAP_SYS_ADMIN ...): string operators */
    SGC_FT_MODE,      /* file mode bits */
    SGC_FT_FD,        /* file descriptor number */
    SGC_FT_PID,       /* process or thread id */
    SGC_FT_ERRNO,     /* return value rendered as text: SUCCESS or an errno name */
    SGC_FT_SYSCALLID, /* syscall number */
    SGC_FT_ABSTIME,   /* nanoseconds since the epoch */
    SGC_FT_RELTIME,   /* a duration in nanoseconds */
    SGC_FT_DYN,       /* type depends on the argument (evt.rawarg.NAME) */
    SGC_FT__COUNT
} sgc_ftype;

/* How a type compares: what the type checker and evaluator care about. */
typedef enum {
    SGC_FCLASS_STRING,  /* string operators; literal is text */
    SGC_FCLASS_NUMERIC, /* = != < <= > >= in; literal is a number */
    SGC_FCLASS_BOOL,    /* = != in; literal is true/false */
    SGC_FCLASS_IP,      /* = != in; literal is an address or a CIDR */
    SGC_FCLASS_DYN      /* decided per event; any literal */
} sgc_fclass;

/* Argument forms (bit set). */
enum {
    SGC_ARG_BRACKET = 1 << 0,  /* name[ARG] accepted */
    SGC_ARG_DOTTED = 1 << 1,   /* name.ARG accepted (evt.arg.flags) */
    SGC_ARG_REQUIRED = 1 << 2, /* the argument cannot be omitted */
    SGC_ARG_NUMERIC = 1 << 3   /* a bracket argument must be an integer */
};

/* Field flags (bit set). */
enum {
    SGC_FF_LIST = 1 << 0,        /* list-valued (fd.types): in, intersects, exists */
    SGC_FF_DEPRECATED = 1 << 1,  /* still accepted, warned about */
    SGC_FF_FILTER_ONLY = 1 << 2, /* usable in conditions, not in outputs (fd.net) */
    SGC_FF_OUTPUT_ONLY = 1 << 3, /* usable in outputs, not in conditions */
    SGC_FF_ANY_ANCESTOR = 1 << 4 /* without an index, matches any ancestor (proc.aname):
                                    conditions only, no transformers */
};

typedef enum {
#define F(id, name, type, arg, flags, ex, kernel, desc) SGC_F_##id,
#include "fields.def"
    SGC_F__SYSCALL_END, /* the fields below belong to the k8s_audit source */
    SGC_F__KA_BEFORE = SGC_F__SYSCALL_END - 1,
#include "fields_k8saudit.def"
#undef F
    SGC_F__COUNT
} sgc_field_id;

/* What the kernel filter can decide of a field (fields.def, KERNEL). */
typedef enum {
    SGC_FK_NONE,   /* userspace only */
    SGC_FK_EXACT,  /* decided exactly wherever the syscall carries it */
    SGC_FK_PARTIAL /* decided for some syscalls or values, UNKNOWN otherwise */
} sgc_fkernel;

typedef struct sgc_field_def {
    sgc_field_id id;  /* stable numeric id (position in fields.def) */
    const char *name; /* "proc.aname" */
    sgc_ftype type;
    unsigned arg;       /* SGC_ARG_* bits; 0 = no argument */
    unsigned flags;     /* SGC_FF_* bits */
    sgc_fkernel kernel; /* what the kernel filter can decide of it */
    const char *desc;
} sgc_field_def;

/* Exact lookup by catalog name; NULL if unknown. */
const sgc_field_def *sgc_field_lookup(const char *name);
/* By id; NULL if out of range. */
const sgc_field_def *sgc_field_by_id(int id);
/* The whole catalog, in id order. */
const sgc_field_def *sgc_fields_all(int *n);

/* Resolve a field of the syscall source as written in a condition or output: NAME is the dotted
 * name ("evt.arg.flags", "proc.aname"), BRACKET_ARG the text inside [...] or
 * NULL. Dotted arguments are split off the longest catalog name that accepts
 * them: evt.arg.flags -> (evt.arg, "flags"); *dotted_arg (if non-NULL) then
 * points into NAME, else it is set to NULL. On error returns NULL and, when
 * ERR is non-NULL, sets *err to a malloc'd message (Falco's wording for
 * unknown fields, plus a suggestion). */
const sgc_field_def *sgc_field_resolve(const char *name, const char *bracket_arg,
                                       const char **dotted_arg, char **err);

/* Event sources (a rule's `source:`). Each has its own field catalog: the
 * syscall source the fields of fields.def, k8s_audit those of
 * fields_k8saudit.def plus the evt.* fields every source has (Falco's
 * generic event fields: evt.num, evt.time, evt.hostname, ...). */
typedef enum { SGC_SRC_SYSCALL = 0, SGC_SRC_K8S_AUDIT = 1, SGC_SRC__COUNT } sgc_evsource;

/* The source named NAME ("syscall", "k8s_audit"), or -1 when unknown. */
int sgc_evsource_parse(const char *name);
const char *sgc_evsource_name(sgc_evsource s);
/* Does the source have a kernel part (BPF filter)? Only syscall has. */
bool sgc_evsource_in_kernel(sgc_evsource s);
/* Is field F part of source S's catalog? */
bool sgc_field_in_source(const sgc_field_def *f, sgc_evsource s);
/* sgc_field_resolve within one source's catalog: a field of another source
 * is "nonexistent" there, as in Falco. */
const sgc_field_def *sgc_field_resolve_src(sgc_evsource s, const char *name,
                                           const char *bracket_arg, const char **dotted_arg,
                                           char **err);

/* The closest catalog name to NAME (edit distance), or NULL if nothing is
 * close enough to be a plausible typo. */
const char *sgc_field_suggest(const char *name);

/* Edit distance between two names (for "did you mean" suggestions). */
int sgc_name_distance(const char *a, const char *b);

/* The class of the field (proc for proc.*, fs.path for fs.path.*, ...). */
const char *sgc_field_class(const sgc_field_def *f, char *buf, int bufsize);

/* "string", "uint32", "ipaddr", ... */
const char *sgc_ftype_name(sgc_ftype t);
/* "none", "exact", "partial" */
const char *sgc_fkernel_name(sgc_fkernel k);
sgc_fclass sgc_ftype_class(sgc_ftype t);
bool sgc_ftype_is_numeric(sgc_ftype t);
bool sgc_ftype_is_signed(sgc_ftype t);
/* Short description of the argument form: "none", "index, optional",
 * "key, required", "name or index, required", ... */
const char *sgc_field_arg_desc(const sgc_field_def *f);

#endif
