/* Tables of the target system, generated at build time from the kernel and
 * libc headers (cmake/gen_systables.cmake): x86_64 syscall numbers, errno
 * names, open flags, capabilities, clone flags, socket families and types,
 * ptrace requests, mode bits, signals. Plus Falco's event-type names: every syscall
 * name, the names Falco gives some syscalls (pread for pread64, ...), and its
 * non-syscall events (procexit, container, switch, ...), which are all valid
 * `evt.type` values.
 *
 * Event ids are dense: [0, number of syscalls) are the syscalls in the order
 * of their numbers, then Falco's alternative syscall names, then the
 * non-syscall events. Ids are stable for one build of sgc, not across hosts. */
#ifndef SGC_SYSTABLES_H
#define SGC_SYSTABLES_H

#include <stdbool.h>
#include <stdint.h>

/* One named value. `alias` marks a second name for a value whose primary
 * name appears earlier in the same table (EWOULDBLOCK for EAGAIN, O_NDELAY for
 * O_NONBLOCK); renderers print primary names. */
typedef struct sgc_flag_name {
    const char *name;
    uint64_t value;
    bool alias;
} sgc_flag_name;

/* ---- syscalls (x86_64) ---- */
int sgc_syscall_nr(const char *name); /* -1 if unknown */
const char *sgc_syscall_name(int nr); /* NULL if unknown */
int sgc_syscall_max_nr(void);         /* highest known number */

/* ---- event types ---- */
int sgc_event_id(const char *evt_type_name); /* -1 if unknown */
int sgc_event_count(void);
const char *sgc_event_name(int id); /* NULL if out of range */
bool sgc_event_is_syscall(int id);
/* What a non-syscall event is ("a process exited"); NULL for syscalls. */
const char *sgc_event_desc(int id);
int sgc_event_syscall_nr(int id); /* -1 for non-syscall events */
/* The event id Falco reports for a syscall number (its own name for most,
 * e.g. pread64 -> "pread64"); -1 if unknown. */
int sgc_event_id_of_syscall(int nr);

/* ---- errno ---- */
const char *sgc_errno_name(int e);     /* primary name, NULL if unknown; e > 0 */
int sgc_errno_value(const char *name); /* -1 if unknown */

/* ---- capabilities ---- */
const char *sgc_cap_name(int bit); /* "CAP_SYS_ADMIN"; NULL if unknown */
int sgc_cap_bit(const char *name); /* -1 if unknown */
int sgc_cap_count(void);           /* number of known capabilities */

/* ---- flag and value sets: tables end with a {NULL} sentinel ---- */
typedef enum {
    SGC_FLAGSET_OPEN,          /* O_* (kernel values) */
    SGC_FLAGSET_ERRNO,         /* E* */
    SGC_FLAGSET_CAP,           /* CAP_* (value = bit number) */
    SGC_FLAGSET_CLONE,         /* CLONE_* */
    SGC_FLAGSET_SOCKET_FAMILY, /* AF_* */
    SGC_FLAGSET_SOCKET_TYPE,   /* SOCK_* (types and the CLOEXEC/NONBLOCK flags) */
    SGC_FLAGSET_PTRACE,        /* PTRACE_* requests */
    SGC_FLAGSET_MODE,          /* S_IRUSR, S_ISUID, ... permission bits */
    SGC_FLAGSET_SIGNAL,        /* SIGKILL, ... (value = signal number) */
    SGC_FLAGSET__COUNT
} sgc_flagset;

const sgc_flag_name *sgc_flagset_table(sgc_flagset set, int *n);
const char *sgc_flagset_name(sgc_flagset set); /* "open_flags", ... */
/* Name to value; false if the name is not in the set. */
bool sgc_flagset_value(sgc_flagset set, const char *name, uint64_t *value);
/* Value to its primary (non-alias) name; NULL if none has exactly that value. */
const char *sgc_flagset_name_of(sgc_flagset set, uint64_t value);

/* Shorthands. */
const sgc_flag_name *sgc_open_flags(int *n);
const sgc_flag_name *sgc_clone_flags(int *n);
const sgc_flag_name *sgc_socket_families(int *n);
const sgc_flag_name *sgc_socket_types(int *n);
const sgc_flag_name *sgc_ptrace_requests(int *n);
const sgc_flag_name *sgc_mode_bits(int *n);
const sgc_flag_name *sgc_signals(int *n);

/* Which flag set a rendered name belongs to ("O_TRUNC" -> OPEN), so the type
 * checker can recognise flag names; -1 if none. */
int sgc_flagset_of_name(const char *name);

#endif
