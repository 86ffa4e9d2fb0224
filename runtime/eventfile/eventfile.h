/* The event file: sgc's recorded-events format (JSON Lines, versioned),
 * written by hand or by `sgc record`, read by `sgc replay`. docs/event-format.md
 * is the reference.
 *
 * Reading turns every event line into the same structures the live path
 * uses: a raw record (bpf-templates/shared/sgc_event.h, built and then decoded with
 * schema/decode.h) and process-table updates, so evaluation is identical.
 * Process context given inline ("proc", "user", "container" objects) updates
 * the process table, user cache and container table before the record is
 * applied.
 *
 * A malformed line is reported as `FILE:LINE: error: MESSAGE` on the error
 * stream and counted; reading continues with the next line. */
#ifndef SGC_EVENTFILE_H
#define SGC_EVENTFILE_H

#include "containers.h"
#include "decode.h"
#include "proctable.h"
#include "usercache.h"
#include <stdbool.h>
#include <stdio.h>

/* The version this sgc writes; it reads every version from 1 up to it.
 * 2 added the header's "dns" table and {"hex": ...} buffers. */
#define SGC_EVENTFILE_VERSION     2
#define SGC_EVENTFILE_MIN_VERSION 1

/* Where the context goes (not owned). */
typedef struct sgc_eventfile_env {
    sgc_proctable *pt;
    sgc_usercache *users;       /* may be NULL: "user" objects are then ignored */
    sgc_containers *containers; /* may be NULL: "container" objects are then ignored */
} sgc_eventfile_env;

typedef struct sgc_eventfile sgc_eventfile;

/* Open a file ("-" = stdin). NULL with a message when it cannot be read. */
sgc_eventfile *sgc_eventfile_open(const char *path, const sgc_eventfile_env *env, FILE *errs,
                                  char *err, size_t errlen);
/* Read from a memory buffer (tests); `name` is used in messages. */
sgc_eventfile *sgc_eventfile_open_buffer(const char *name, const char *buf, size_t len,
                                         const sgc_eventfile_env *env, FILE *errs);
void sgc_eventfile_close(sgc_eventfile *f);

/* One event, ready to evaluate: the decoded record (valid until the next
 * call) and its process entry (may be NULL for records without one). */
typedef struct sgc_replay_event {
    sgc_evt ev; /* ev.evtnum: 1 for the first event, then +1 */
    sgc_proc *proc;
    int line; /* line number in the file */
    /* "expect": the rule names this event must match (case files); valid
     * until the next call. has_expect is false when the line has none. */
    bool has_expect;
    const char **expect;
    int nexpect;
} sgc_replay_event;

/* Read up to the next event to evaluate. Lines that only update context
 * (process snapshots, forks/exits given as context, containers) are applied
 * and skipped. Returns 1 with *out filled, 0 at the end of the file. Bad lines
 * are reported, counted and skipped. */
int sgc_eventfile_next(sgc_eventfile *f, sgc_replay_event *out);

/* From the header line. */
const char *sgc_eventfile_hostname(const sgc_eventfile *f); /* NULL when not given */
int sgc_eventfile_errors(const sgc_eventfile *f);           /* malformed lines so far */
int sgc_eventfile_lines(const sgc_eventfile *f);            /* lines read so far */

/* ---- writing (sgc record) ------------------------------------------------ */

typedef struct sgc_eventfile_writer sgc_eventfile_writer;

/* Writes the header. boot_to_wall_ns converts the records' boot-based times
 * to the file's wall-clock times (0 when they already are). NULL on a write
 * error. */
sgc_eventfile_writer *sgc_eventfile_writer_open(FILE *out, const char *hostname,
                                                int64_t boot_to_wall_ns);
/* A process as known at start (a "proc" line), e.g. after the /proc scan. */
int sgc_eventfile_write_proc(sgc_eventfile_writer *w, const sgc_proc *p, uint64_t ts_ns);
/* One kernel record, with its header's credentials inline; DROP records and
 * records without a syscall name are skipped. Returns 0, -1 on write error. */
int sgc_eventfile_write_event(sgc_eventfile_writer *w, const sgc_evt *ev);
/* A "dns" line: what every name of the table resolves to at this point of
 * the recording (write it when the live table changes), so that replay
 * knows what fd.*ip.name knew live. */
struct sgc_dnsnames;
int sgc_eventfile_write_dns(sgc_eventfile_writer *w, struct sgc_dnsnames *d);
/* Flushes and frees (the stream stays open). */
int sgc_eventfile_writer_close(sgc_eventfile_writer *w);

#endif
