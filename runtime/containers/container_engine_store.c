/* The runloop's side of the engine: noticing containers on first sight,
 * and copying looked-up containers into its table (containers.h). */
#include "container_engine_int.h"
#include "proctable.h"

#include <stdlib.h>
#include <string.h>

int sgc_container_engine_store(sgc_containers *dst, const sgc_container_info *src)
{
    sgc_container_info *ci = sgc_containers_upsert(dst, src->id);
    if (!ci) return -1;
    if (ci == src) return 0;
    sgc_container_set_str(&ci->name, src->name);
    sgc_container_set_str(&ci->type, src->type);
    sgc_container_set_str(&ci->image, src->image);
    sgc_container_set_str(&ci->image_id, src->image_id);
    sgc_container_set_str(&ci->image_repository, src->image_repository);
    sgc_container_set_str(&ci->image_tag, src->image_tag);
    sgc_container_set_str(&ci->image_digest, src->image_digest);
    sgc_container_set_str(&ci->ip, src->ip);
    ci->privileged = src->privileged;
    ci->start_ts = src->start_ts;
    sgc_container_info_clear_lists(ci);
    for (int i = 0; i < src->nmounts; i++) {
        const sgc_container_mount *m = &src->mounts[i];
        if (sgc_container_add_mount(ci, m->source, m->dest, m->mode, m->rw, m->propagation) < 0)
            return -1;
    }
    for (int i = 0; i < src->nlabels; i++)
        if (sgc_container_set_label(ci, src->label_keys[i], src->label_values[i]) < 0) return -1;
    return 0;
}

bool sgc_container_engine_see(sgc_container_engine *eng, sgc_containers *table, const char *full_id,
                              uint32_t pid)
{
    if (!full_id || !*full_id || !strcmp(full_id, "host") || sgc_containers_find(table, full_id))
        return false;
    /* the empty entry (fields <NA>) marks it seen: one request per container */
    if (!sgc_containers_upsert(table, full_id)) return false;
    if (eng) sgc_container_engine_request(eng, full_id, pid);
    return true;
}

typedef struct see_all_ctx {
    sgc_container_engine *eng;
    sgc_containers *table;
    int n;
} see_all_ctx;

static bool see_one(sgc_proc *p, void *ud)
{
    see_all_ctx *c = ud;
    c->n += sgc_container_engine_see(c->eng, c->table, sgc_proc_container_id(p), p->pid);
    return true;
}

int sgc_container_engine_see_all(sgc_container_engine *eng, sgc_containers *table,
                                 struct sgc_proctable *pt)
{
    see_all_ctx c = {eng, table, 0};
    sgc_proctable_foreach(pt, see_one, &c);
    return c.n;
}
