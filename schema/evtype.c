#include "evtype.h"
#include "systables.h"

#include <asm/unistd_64.h>
#include <pthread.h>
#include <stdbool.h>

/* nr -> event id, so per-event typing is one array load. */
#define NR_CACHE 1024
static int nr_to_id[NR_CACHE];
static int procexit_id = -1;
static int container_id = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    for (int nr = 0; nr < NR_CACHE; nr++) nr_to_id[nr] = sgc_event_id_of_syscall(nr);
    procexit_id = sgc_event_id("procexit");
    container_id = sgc_event_id("container");
}

void sgc_evtype_init(void) { pthread_once(&once, build); }

int sgc_evt_syscall_nr(const sgc_evt *ev)
{
    const struct sgc_event_hdr *h = ev->hdr;
    switch (h->kind) {
    case SGC_REC_SYSCALL: return (int)h->nr;
    case SGC_REC_PROC_EXEC: return h->nr == __NR_execveat ? __NR_execveat : __NR_execve;
    case SGC_REC_PROC_FORK:
        if (h->nr == __NR_fork || h->nr == __NR_vfork || h->nr == __NR_clone3) return (int)h->nr;
        return __NR_clone;
    default: return -1;
    }
}

int sgc_evt_type_id(const sgc_evt *ev)
{
    sgc_evtype_init();
    if (ev->hdr->kind == SGC_REC_PROC_EXIT) return procexit_id;
    if (ev->hdr->kind == SGC_REC_CONTAINER) return container_id;
    int nr = sgc_evt_syscall_nr(ev);
    if (nr < 0) return -1;
    return nr < NR_CACHE ? nr_to_id[nr] : sgc_event_id_of_syscall(nr);
}

const char *sgc_evt_type_name(const sgc_evt *ev)
{
    int id = sgc_evt_type_id(ev);
    return id < 0 ? NULL : sgc_event_name(id);
}
