/* Adding the processes that started before sgc to the kernel's sgc_cid map
 * (bpf-templates/capture_container.h), so that container.id = host is
 * decided for them too (bpf_loader.h: sgc_bpf_cid_seed).
 *
 * An entry is added only where none exists (BPF_NOEXIST): the lifecycle
 * hooks give every process that exec'd or was forked since they run an
 * entry, so a missing one means the process predates them, unless the
 * LRU evicted it. The LRU evicts only when its free nodes run out; every
 * entry ever created took a node, and the hooks create at most one per
 * lifecycle event (counted in LC_SEEN, which also counts exits and
 * threads). So while LC_SEEN plus the added entries stays below the map's
 * size less what the per-CPU free lists can hold, nothing was evicted:
 * checked before adding and again after, and when the check fails after,
 * the added entries are removed again (a missing entry is UNKNOWN, always
 * sound). */
#include "bpf_loader.h"
#include "bpf_loader_int.h"

#include <errno.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* The kernel's per-CPU LRU free-list refill target (kernel/bpf/
 * bpf_lru_list.c LOCAL_FREE_TARGET), doubled for the pending lists. */
#define LRU_CPU_SLACK 256

/* Whether `added` more entries certainly evicted nothing so far. */
static bool no_eviction(const struct sgc_bpf *b, uint64_t added)
{
    struct bpf_map_info info = {0};
    uint32_t len = sizeof info;
    struct sgc_bpf_counters c;
    int ncpus = libbpf_num_possible_cpus();
    if (ncpus <= 0 || bpf_obj_get_info_by_fd(b->cid_fd, &info, &len) ||
        sgc_bpf_read_counters(b, &c))
        return false;
    uint64_t slack = (uint64_t)LRU_CPU_SLACK * ((uint64_t)ncpus + 1);
    return c.lc_seen + added + slack < info.max_entries;
}

int sgc_bpf_cid_seed(struct sgc_bpf *b, const uint32_t *tgids, const uint64_t *cgroup_ids, size_t n)
{
    if (b->cid_fd < 0 || b->opts.nopushdown || !b->opts.proc_events) return 0;
    if (!no_eviction(b, n)) return 0;
    int added = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cgroup_ids[i]) continue;
        if (bpf_map_update_elem(b->cid_fd, &tgids[i], &cgroup_ids[i], BPF_NOEXIST) == 0)
            added++;
        else if (errno != EEXIST)
            break;
    }
    if (no_eviction(b, n)) return added;
    for (size_t i = 0; i < n; i++) bpf_map_delete_elem(b->cid_fd, &tgids[i]);
    return 0;
}
