/* Falco's event-type names (the values `evt.type` can take) over the
 * syscall table generated from the kernel headers.
 *
 * Falco names most syscall events after the syscall. A few it names
 * differently (its own event for pread64 is "pread"), a few names exist only
 * on other architectures (stat64, mmap2, send/recv via socketcall), and some
 * events are not syscalls at all (scheduler, process exit, signal delivery,
 * container and plugin metadata). These names come from Falco's event table
 * (falcosecurity/libs driver/event_table.c); the kernel headers cannot supply
 * them. */
#include "systables_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *syscall; /* x86_64 syscall it stands for, NULL if none here */
} falco_alias;

/* Syscall events Falco names differently from the x86_64 syscall, and
 * syscall events of other architectures (accepted, never seen on x86_64). */
static const falco_alias falco_syscall_aliases[] = {
    {"pread", "pread64"}, {"pwrite", "pwrite64"}, {"umount", "umount2"}, {"stat64", NULL},
    {"lstat64", NULL},    {"fstat64", NULL},      {"mmap2", NULL},       {"llseek", NULL},
    {"send", NULL},       {"recv", NULL},         {"socketcall", NULL},
};

/* Falco events that are not syscalls. */
typedef struct {
    const char *name;
    const char *desc;
} falco_event;

static const falco_event falco_other_events[] = {
    {"syscall", "generic event of a syscall that has no dedicated event"},
    {"procexit", "a process exited"},
    {"switch", "scheduler context switch"},
    {"signaldeliver", "a signal was delivered to a process"},
    {"page_fault", "page fault"},
    {"procinfo", "periodic CPU usage of a process"},
    {"drop", "the driver started or stopped dropping events"},
    {"scapevent", "internal capture event"},
    {"container", "container metadata became available"},
    {"cpu_hotplug", "a CPU went online or offline"},
    {"k8s", "Kubernetes metadata (legacy)"},
    {"mesos", "Mesos metadata (legacy)"},
    {"tracer", "tracer span (legacy)"},
    {"notification", "internal notification"},
    {"infra", "infrastructure event (legacy)"},
    {"pluginevent", "an event from a plugin source"},
    {"asyncevent", "asynchronous metadata event"},
    {"useradded", "a user was added to the host's user table"},
    {"userdeleted", "a user was removed from the host's user table"},
    {"groupadded", "a group was added to the host's group table"},
    {"groupdeleted", "a group was removed from the host's group table"},
};

#define N_ALIASES ((int)(sizeof falco_syscall_aliases / sizeof falco_syscall_aliases[0]))
#define N_OTHER   ((int)(sizeof falco_other_events / sizeof falco_other_events[0]))

int sgc_event_count(void) { return sgc__syscall_count() + N_ALIASES + N_OTHER; }

const char *sgc_event_name(int id)
{
    int nsys = sgc__syscall_count();
    if (id < 0) return NULL;
    if (id < nsys) return sgc__syscall_at(id)->name;
    id -= nsys;
    if (id < N_ALIASES) return falco_syscall_aliases[id].name;
    id -= N_ALIASES;
    return id < N_OTHER ? falco_other_events[id].name : NULL;
}

const char *sgc_event_desc(int id)
{
    int nsys = sgc__syscall_count();
    if (id < nsys + N_ALIASES) return NULL;
    id -= nsys + N_ALIASES;
    return id < N_OTHER ? falco_other_events[id].desc : NULL;
}

/* ---- indexes, built once at load time: names sorted for bsearch, syscall
 * numbers to ids (the runtime maps every event's syscall number). ---- */

#define MAX_EVENTS 2048
#define MAX_NR     1024

static int sorted_ids[MAX_EVENTS];
static int nsorted;
static int id_of_nr[MAX_NR];

static int cmp_ids(const void *a, const void *b)
{
    return strcmp(sgc_event_name(*(const int *)a), sgc_event_name(*(const int *)b));
}

__attribute__((constructor)) static void build_event_indexes(void)
{
    int n = sgc_event_count();
    nsorted = n < MAX_EVENTS ? n : MAX_EVENTS;
    for (int id = 0; id < nsorted; id++) sorted_ids[id] = id;
    qsort(sorted_ids, (size_t)nsorted, sizeof sorted_ids[0], cmp_ids);
    for (int nr = 0; nr < MAX_NR; nr++) id_of_nr[nr] = -1;
    int nsys = sgc__syscall_count();
    for (int id = nsys - 1; id >= 0; id--) { /* the first id wins */
        uint64_t nr = sgc__syscall_at(id)->value;
        if (nr < MAX_NR) id_of_nr[nr] = id;
    }
}

static int cmp_name_id(const void *key, const void *elem)
{
    return strcmp((const char *)key, sgc_event_name(*(const int *)elem));
}

int sgc_event_id(const char *name)
{
    if (!name) return -1;
    const int *hit = bsearch(name, sorted_ids, (size_t)nsorted, sizeof sorted_ids[0], cmp_name_id);
    if (hit) return *hit;
    /* Only if the table outgrew the index. */
    for (int id = nsorted; id < sgc_event_count(); id++)
        if (!strcmp(sgc_event_name(id), name)) return id;
    return -1;
}

bool sgc_event_is_syscall(int id)
{
    int nsys = sgc__syscall_count();
    return id >= 0 && id < nsys + N_ALIASES;
}

int sgc_event_syscall_nr(int id)
{
    int nsys = sgc__syscall_count();
    if (id < 0) return -1;
    if (id < nsys) return (int)sgc__syscall_at(id)->value;
    id -= nsys;
    if (id < N_ALIASES && falco_syscall_aliases[id].syscall)
        return sgc_syscall_nr(falco_syscall_aliases[id].syscall);
    return -1;
}

int sgc_event_id_of_syscall(int nr)
{
    if (nr >= 0 && nr < MAX_NR) return id_of_nr[nr];
    int nsys = sgc__syscall_count();
    for (int id = 0; id < nsys; id++)
        if ((int)sgc__syscall_at(id)->value == nr) return id;
    return -1;
}
