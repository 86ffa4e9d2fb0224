/* Container metadata table (see containers.h): a small list; hosts run tens
 * to hundreds of containers and lookups happen only when a rule or an output
 * names a container.* field beyond the id. */
#include "containers.h"

#include <stdlib.h>
#include <string.h>

struct sgc_containers {
    sgc_container_info **v;
    int n, cap;
};

sgc_containers *sgc_containers_new(void) { return calloc(1, sizeof(sgc_containers)); }

void sgc_container_info_clear_lists(sgc_container_info *ci)
{
    for (int i = 0; i < ci->nmounts; i++) {
        free(ci->mounts[i].source);
        free(ci->mounts[i].dest);
        free(ci->mounts[i].mode);
        free(ci->mounts[i].propagation);
    }
    free(ci->mounts);
    ci->mounts = NULL;
    ci->nmounts = 0;
    for (int i = 0; i < ci->nlabels; i++) {
        free(ci->label_keys[i]);
        free(ci->label_values[i]);
    }
    free(ci->label_keys);
    free(ci->label_values);
    ci->label_keys = ci->label_values = NULL;
    ci->nlabels = 0;
}

static void info_free(sgc_container_info *ci)
{
    char **strs[] = {&ci->id,        &ci->name,         &ci->type,
                     &ci->image,     &ci->image_id,     &ci->image_repository,
                     &ci->image_tag, &ci->image_digest, &ci->ip};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) free(*strs[i]);
    sgc_container_info_clear_lists(ci);
    free(ci);
}

void sgc_containers_free(sgc_containers *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) info_free(c->v[i]);
    free(c->v);
    free(c);
}

const sgc_container_info *sgc_containers_find(const sgc_containers *c, const char *id)
{
    if (!c || !id) return NULL;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->v[i]->id, id)) return c->v[i];
    return NULL;
}

sgc_container_info *sgc_containers_upsert(sgc_containers *c, const char *id)
{
    sgc_container_info *ci = (sgc_container_info *)sgc_containers_find(c, id);
    if (ci) return ci;
    if (c->n == c->cap) {
        int nc = c->cap ? c->cap * 2 : 8;
        sgc_container_info **nv = realloc(c->v, (size_t)nc * sizeof *nv);
        if (!nv) return NULL;
        c->v = nv;
        c->cap = nc;
    }
    ci = calloc(1, sizeof *ci);
    if (!ci || !(ci->id = strdup(id))) {
        free(ci);
        return NULL;
    }
    ci->privileged = -1;
    c->v[c->n++] = ci;
    return ci;
}

int sgc_containers_count(const sgc_containers *c) { return c ? c->n : 0; }

sgc_container_info *sgc_containers_at(sgc_containers *c, int i)
{
    return c && i >= 0 && i < c->n ? c->v[i] : NULL;
}

bool sgc_containers_remove(sgc_containers *c, const char *id)
{
    if (!c || !id) return false;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->v[i]->id, id)) {
            info_free(c->v[i]);
            c->v[i] = c->v[--c->n];
            return true;
        }
    return false;
}

void sgc_container_set_str(char **member, const char *value)
{
    free(*member);
    *member = value ? strdup(value) : NULL;
}

int sgc_container_add_mount(sgc_container_info *ci, const char *source, const char *dest,
                            const char *mode, bool rw, const char *propagation)
{
    sgc_container_mount *nm = realloc(ci->mounts, (size_t)(ci->nmounts + 1) * sizeof *nm);
    if (!nm) return -1;
    ci->mounts = nm;
    sgc_container_mount *m = &nm[ci->nmounts++];
    m->source = strdup(source ? source : "");
    m->dest = strdup(dest ? dest : "");
    m->mode = strdup(mode ? mode : "");
    m->propagation = strdup(propagation ? propagation : "");
    m->rw = rw;
    return 0;
}

int sgc_container_set_label(sgc_container_info *ci, const char *key, const char *value)
{
    for (int i = 0; i < ci->nlabels; i++)
        if (!strcmp(ci->label_keys[i], key)) {
            sgc_container_set_str(&ci->label_values[i], value);
            return 0;
        }
    char **nk = realloc(ci->label_keys, (size_t)(ci->nlabels + 1) * sizeof *nk);
    if (!nk) return -1;
    ci->label_keys = nk;
    char **nv = realloc(ci->label_values, (size_t)(ci->nlabels + 1) * sizeof *nv);
    if (!nv) return -1;
    ci->label_values = nv;
    nk[ci->nlabels] = strdup(key);
    nv[ci->nlabels] = strdup(value ? value : "");
    ci->nlabels++;
    return 0;
}

const char *sgc_container_label(const sgc_container_info *ci, const char *key)
{
    for (int i = 0; i < ci->nlabels; i++)
        if (!strcmp(ci->label_keys[i], key)) return ci->label_values[i];
    return NULL;
}
