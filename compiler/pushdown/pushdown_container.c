/* container.id atoms in the kernel. The runtime derives a process's
 * container id from the cgroup path of its last exec (or its parent's at
 * fork); the capture's lifecycle hooks keep, per process, whether that path
 * can name no container at all, which makes the id "host"
 * (bpf-templates/capture_container.h). So for such a process the atom's
 * value is the atom evaluated on the constant "host", computed here; for any
 * other process (a container, one moved to another cgroup, ...) UNKNOWN.
 * The runtime adds the processes older than sgc that /proc shows on the
 * host (runtime/pipeline/cid_seed.c).
 * Decided: `=`, `!=` and `in` with constants (the evaluator's case-sensitive
 * string equality); anything else is left to userspace. */
#include "pushdown_int.h"

#include <string.h>

sgc_pd_verdict sgc_pd_classify_container_id(sgc_pushdown *pd, const sgc_ir_atom *a)
{
    bool host_matches = false;
    switch (a->op) {
    case SGC_OP_EQ:
    case SGC_OP_NE:
        if (a->nvals != 1 || a->rhs_is_list) break;
        host_matches = !strcmp(a->vals[0], "host");
        goto decided;
    case SGC_OP_IN:
        for (int i = 0; i < a->nvals; i++) host_matches |= !strcmp(a->vals[i], "host");
        goto decided;
    default: break;
    }
    return sgc_pd_userspace("container.id: only =, != and in are decided in the kernel");
decided:;
    sgc_katom k = {.src = SGC_KV_HOST, .kop = SGC_KOP_HOST};
    k.num = host_matches;
    k.negate = a->op == SGC_OP_NE;
    int id = sgc_pd_intern_katom(pd, &k);
    return (sgc_pd_verdict){pd->katoms[id]->cls, id, -1,
                            "decided for processes on the host, as sgc saw them exec (no cgroup "
                            "path component long enough to name a container) or read them in "
                            "/proc at start; UNKNOWN in containers and for processes moved to "
                            "another cgroup since",
                            false};
}
