/* The Falco event type of a decoded record, as an event id of
 * schema/systables.h (dense, so the evaluator indexes rules by it). */
#ifndef SGC_EVTYPE_H
#define SGC_EVTYPE_H

#include "decode.h"

/* Call once before evaluating (builds the syscall-number cache); the
 * evaluator's build does it. Safe to call again. */
void sgc_evtype_init(void);

/* The syscall number the record stands for: SYSCALL records their nr, exec
 * records execve (or execveat), fork records clone (unless nr says which),
 * -1 for records that are not syscalls (exit, drop). */
int sgc_evt_syscall_nr(const sgc_evt *ev);

/* Event id (sgc_event_id space), or -1 when the record has no Falco type. */
int sgc_evt_type_id(const sgc_evt *ev);

/* Falco's name for the record's type ("openat", "procexit"), or NULL. */
const char *sgc_evt_type_name(const sgc_evt *ev);

#endif
