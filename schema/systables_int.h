/* Shared between systables.c and systables_events.c (not a public interface). */
#ifndef SGC_SYSTABLES_INT_H
#define SGC_SYSTABLES_INT_H

#include "systables.h"

/* The generated syscall table, in header order (by number). */
int sgc__syscall_count(void);
const sgc_flag_name *sgc__syscall_at(int i);

#endif
