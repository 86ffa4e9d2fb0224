/* See cid_seed.h. */
#include "cid_seed.h"

#include "cgroup2.h"
#include "container_id.h"
#include "hostroot.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    uint32_t *pids;
    size_t n, cap;
} pid_list;

static bool collect(sgc_proc *p, void *ud)
{
    pid_list *l = ud;
    if (p->exited || strcmp(sgc_proc_container_id(p), "host")) return true;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        uint32_t *np = realloc(l->pids, cap * sizeof *np);
        if (!np) return false;
        l->pids = np;
        l->cap = cap;
    }
    l->pids[l->n++] = p->pid;
    return true;
}

static ssize_t read_small(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n >= 0) buf[n] = '\0';
    return n;
}

/* kthreadd (pid 2, parent 0) exists only in the initial PID namespace. */
static bool initial_pid_ns(const char *procroot)
{
    char path[512], buf[512];
    snprintf(path, sizeof path, "%s/2/status", procroot);
    if (read_small(path, buf, sizeof buf) <= 0) return false;
    return strstr(buf, "Name:\tkthreadd\n") && strstr(buf, "\nPPid:\t0\n");
}

int sgc_cid_seed(struct sgc_bpf *b, sgc_proctable *pt)
{
    char procroot[256];
    if (!sgc_host_path(procroot, sizeof procroot, "/proc") || !initial_pid_ns(procroot)) return 0;
    pid_list l = {0};
    sgc_proctable_foreach(pt, collect, &l);
    uint64_t *ids = calloc(l.n ? l.n : 1, sizeof *ids);
    char *text = malloc(8192);
    int added = 0;
    if (ids && text) {
        for (size_t i = 0; i < l.n; i++) {
            char path[512], cid[SGC_CONTAINER_ID_LEN + 1];
            snprintf(path, sizeof path, "%s/%u/cgroup", procroot, l.pids[i]);
            ssize_t n = read_small(path, text, 8192);
            /* unreadable, cut, or in a container now: not offered */
            if (n <= 0 || n >= 8191) continue;
            sgc_container_id_from_cgroup(text, (size_t)n, cid);
            if (strcmp(cid, "host")) continue;
            ids[i] = sgc_cgroup2_id(text, (size_t)n);
        }
        added = sgc_bpf_cid_seed(b, l.pids, ids, l.n);
    }
    free(text);
    free(ids);
    free(l.pids);
    return added;
}
