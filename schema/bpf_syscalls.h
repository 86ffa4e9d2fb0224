/* The syscalls the capture programs know how to record: number (x86_64,
 * from <sys/syscall.h>), exit tracepoint name, and what to copy at exit. */
#ifndef SGC_BPF_SYSCALLS_H
#define SGC_BPF_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include "capture.h"

struct sgc_syscall_info {
    const char *name; /* Falco / libc name, e.g. "umount2" */
    int nr;
    const char *tracepoint; /* syscalls/sys_exit_<tracepoint> */
    struct sgc_syscall_spec spec;
};

extern const struct sgc_syscall_info sgc_syscall_table[];
extern const size_t sgc_syscall_table_len;

/* NULL when the capture programs do not know the syscall. */
const struct sgc_syscall_info *sgc_syscall_by_name(const char *name);
const struct sgc_syscall_info *sgc_syscall_by_nr(int nr);
/* Set spec's data_* fields when syscall nr has a data buffer the capture
 * can copy a prefix of (read, write, pread64, pwrite64, recvfrom, sendto);
 * false otherwise (spec unchanged). */
bool sgc_syscall_data_spec(int nr, struct sgc_syscall_spec *spec);

#endif
