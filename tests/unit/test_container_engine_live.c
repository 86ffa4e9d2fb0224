/* A helper of tests/scripts/container_engine.sh, which runs real containers
 * and asserts what this prints; on its own (no arguments) it has nothing to
 * check and says so.
 *
 *   test_container_engine_live SOCKET TARGET...
 *
 * TARGET is a full container id, or pid:PID for the container of a process
 * (its id derived from /proc/PID/cgroup, as the runtime does it). Every
 * target goes through the asynchronous engine the way the runloop uses it:
 * request, wait on the ready fd, poll, store into a container table. Prints
 * one block of key=value lines per target, in the order given. */
#include "container_engine.h"
#include "container_id.h"

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct results {
    sgc_containers *table;
    sgc_container_lookup status[64];
    char ids[64][SGC_CONTAINER_ID_LEN + 1];
    int n;
} results;

static void on_ready(void *ud, const sgc_container_ready *ready)
{
    results *r = ud;
    if (r->n < 64) {
        snprintf(r->ids[r->n], sizeof r->ids[r->n], "%s", ready->info->id);
        r->status[r->n++] = ready->status;
    }
    sgc_container_engine_store(r->table, ready->info);
}

static bool id_of_target(const char *target, char id[SGC_CONTAINER_ID_LEN + 1])
{
    if (strncmp(target, "pid:", 4)) {
        snprintf(id, SGC_CONTAINER_ID_LEN + 1, "%s", target);
        return true;
    }
    char path[64], buf[8192];
    snprintf(path, sizeof path, "/proc/%s/cgroup", target + 4);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    sgc_container_id_from_cgroup(buf, n, id);
    return true;
}

static const char *or_na(const char *s) { return s ? s : "<NA>"; }

static void print_info(const char *target, const char *id, const results *r)
{
    printf("target=%s\nid=%s\n", target, id);
    const char *status = "pending";
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->ids[i], id)) status = sgc_container_lookup_name(r->status[i]);
    printf("status=%s\n", status);
    const sgc_container_info *ci = sgc_containers_find(r->table, id);
    if (!ci) {
        printf("\n");
        return;
    }
    printf("name=%s\ntype=%s\nimage=%s\nimage.repository=%s\nimage.tag=%s\nimage.id=%s\n",
           or_na(ci->name), or_na(ci->type), or_na(ci->image), or_na(ci->image_repository),
           or_na(ci->image_tag), or_na(ci->image_id));
    printf("privileged=%s\nip=%s\nstart_ts=%" PRIu64 "\n",
           ci->privileged < 0 ? "<NA>"
           : ci->privileged   ? "true"
                              : "false",
           or_na(ci->ip), ci->start_ts);
    for (int i = 0; i < ci->nmounts; i++) {
        const sgc_container_mount *m = &ci->mounts[i];
        printf("mount=%s:%s:%s:%s:%s\n", m->source, m->dest, m->mode, m->rw ? "true" : "false",
               m->propagation);
    }
    for (int i = 0; i < ci->nlabels; i++)
        printf("label.%s=%s\n", ci->label_keys[i], ci->label_values[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("test_container_engine_live: a helper of tests/scripts/container_engine.sh "
               "(usage: SOCKET TARGET...); nothing to check on its own\n");
        return 0;
    }
    const char *sockets[] = {argv[1]};
    sgc_container_engine_config cfg = {.sockets = sockets, .nsockets = 1, .timeout_ms = 2000};
    sgc_container_engine *eng = sgc_container_engine_new(&cfg);
    if (!eng) {
        fprintf(stderr, "cannot start the container engine\n");
        return 1;
    }
    int ntargets = argc - 2;
    char(*ids)[SGC_CONTAINER_ID_LEN + 1] = calloc((size_t)ntargets, sizeof *ids);
    results r = {.table = sgc_containers_new()};
    int asked = 0;
    for (int i = 0; i < ntargets; i++) {
        if (!id_of_target(argv[i + 2], ids[i])) {
            fprintf(stderr, "%s: cannot read its cgroup\n", argv[i + 2]);
            return 1;
        }
        asked += sgc_container_engine_request(eng, ids[i], 0);
    }
    /* as a runloop does: sleep on the ready fd, collect what is ready */
    for (int waited = 0; r.n < asked && waited < 15000; waited += 100) {
        struct pollfd p = {.fd = sgc_container_engine_ready_fd(eng), .events = POLLIN};
        if (poll(&p, 1, 100) > 0) sgc_container_engine_poll_ready(eng, on_ready, &r);
    }
    for (int i = 0; i < ntargets; i++) print_info(argv[i + 2], ids[i], &r);
    sgc_container_engine_stats st;
    sgc_container_engine_get_stats(eng, &st);
    printf("stats.requested=%" PRIu64 " stats.resolved=%" PRIu64 " stats.not_found=%" PRIu64
           " stats.unreachable=%" PRIu64 " stats.dropped=%" PRIu64 "\n",
           st.requested, st.resolved, st.not_found, st.unreachable, st.dropped);
    sgc_container_engine_free(eng);
    sgc_containers_free(r.table);
    free(ids);
    return 0;
}
