/* Internals shared by the event-file reader's files. */
#ifndef SGC_EVENTFILE_INT_H
#define SGC_EVENTFILE_INT_H

#include "eventfile.h"

#include <jansson.h>

struct sgc_eventfile {
    char *name;
    FILE *fp; /* NULL when reading a buffer */
    bool close_fp;
    const char *buf;
    size_t buflen, bufpos;
    char *line;
    size_t linecap;
    int lineno, errors;
    bool header_seen;
    char *hostname;
    sgc_eventfile_env env;
    FILE *errs;
    uint64_t last_ts;
    uint32_t next_fake_pid;
    uint64_t evtnum; /* events returned so far (evt.num of the next is +1) */
    json_t *cur;     /* the current line, kept while its strings are in use */
    const char **expect;
    int expect_cap;
    char errmsg[512]; /* the current line's error, set by the helpers */
    _Alignas(8) uint8_t rec[SGC_RECORD_MAX];
};

/* All helpers return false after writing a message to f->errmsg. */
__attribute__((format(printf, 2, 3))) bool sgc_ef_fail(sgc_eventfile *f, const char *fmt, ...);

/* Every key of obj is one of known (NULL-terminated) and holds a string,
 * number, boolean, array or object. `what` names the object in the message
 * ("proc.parent"); NULL for an event line's own keys. */
bool sgc_ef_check_keys(sgc_eventfile *f, json_t *obj, const char *what, const char *const *known);

/* Numbers: JSON integers, or strings holding a decimal/0x-hex number. */
bool sgc_ef_u64(sgc_eventfile *f, json_t *v, const char *what, uint64_t *out);
bool sgc_ef_s64(sgc_eventfile *f, json_t *v, const char *what, int64_t *out);
/* A time: ns since the epoch (integer) or RFC 3339 text with up to 9 fraction
 * digits ("2024-05-01T12:00:00.5Z"). */
bool sgc_ef_time(sgc_eventfile *f, json_t *v, const char *what, uint64_t *out);

/* Apply a "proc" object (and its "parent" chain, "container", "user",
 * "group") to the tables; returns the entry. default_pid is used when the
 * object has no pid (0: make one up). With `exec`, the object describes a
 * new program: argv[0], arguments and name not given are not inherited (they
 * default to the executable's path and basename). */
sgc_proc *sgc_ef_apply_proc(sgc_eventfile *f, json_t *obj, uint32_t default_pid, uint64_t ts,
                            int depth, bool exec);
/* A "container" object: fills the container table, returns its full id in
 * id_out (NULL when the object names no id and none is known). */
bool sgc_ef_apply_container(sgc_eventfile *f, json_t *obj, const char *known_id, char id_out[65]);
bool sgc_ef_apply_user(sgc_eventfile *f, json_t *obj, sgc_proc *p);
bool sgc_ef_apply_group(sgc_eventfile *f, json_t *obj, sgc_proc *p);

/* The header's "dns" object {"name": ["ip", ...], ...}: what each name
 * resolves to, for fd.*ip.name (ignored when the table has no dnsnames). */
bool sgc_ef_apply_dns(sgc_eventfile *f, json_t *obj);

/* Fill record arguments of syscall nr from an "args" object. */
bool sgc_ef_apply_args(sgc_eventfile *f, int nr, json_t *args, sgc_record_builder *b,
                       bool *have_ret);
/* "res": a number, an errno name (ENOENT -> -2) or SUCCESS. */
bool sgc_ef_res(sgc_eventfile *f, json_t *v, int64_t *out);
/* An "fd" object: the fd's path and/or socket tuple. */
bool sgc_ef_apply_fd(sgc_eventfile *f, json_t *fd, sgc_record_builder *b);

#endif
