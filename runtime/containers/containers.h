/* What is known about containers beyond their id (container.name,
 * container.image.*, container.privileged, container.mounts, and the
 * k8s.* fields Falco derives from CRI container labels), keyed by the full
 * container id. Live (`sgc run`), the container engine client fills it
 * (container_engine.h: sgc_container_engine_store, on the runloop's thread),
 * so these fields are <NA> until a container's lookup finishes, and stay so
 * when no runtime answers; an event file's "container" objects fill the
 * table in replay. */
#ifndef SGC_CONTAINERS_H
#define SGC_CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sgc_container_mount {
    char *source, *dest, *mode, *propagation;
    bool rw;
} sgc_container_mount;

typedef struct sgc_container_info {
    char *id; /* full id */
    char *name, *type, *image, *image_id, *image_repository, *image_tag, *image_digest, *ip;
    int privileged;    /* -1 unknown, 0, 1 */
    uint64_t start_ts; /* ns since the epoch, 0 unknown */
    sgc_container_mount *mounts;
    int nmounts;
    char **label_keys, **label_values; /* CRI labels (io.kubernetes.pod.name, ...) */
    int nlabels;
    uint64_t alive_ns; /* bookkeeping (pipeline): when a live process was last
                                  * seen in it, monotonic ns; 0 not yet */
} sgc_container_info;

typedef struct sgc_containers sgc_containers;

sgc_containers *sgc_containers_new(void);
void sgc_containers_free(sgc_containers *c);
/* The entry of a full id, or NULL. */
const sgc_container_info *sgc_containers_find(const sgc_containers *c, const char *id);
/* The entry of id, created empty (privileged unknown) when absent; the
 * caller fills it with sgc_container_set_str etc. NULL on OOM. */
sgc_container_info *sgc_containers_upsert(sgc_containers *c, const char *id);
/* Number of entries, and entry i (0 <= i < count; order changes on remove). */
int sgc_containers_count(const sgc_containers *c);
sgc_container_info *sgc_containers_at(sgc_containers *c, int i);
/* Drop the entry of id (a container that exited); false when absent. */
bool sgc_containers_remove(sgc_containers *c, const char *id);
/* Replace one string member (a pointer to a member of info). */
void sgc_container_set_str(char **member, const char *value);
int sgc_container_add_mount(sgc_container_info *ci, const char *source, const char *dest,
                            const char *mode, bool rw, const char *propagation);
int sgc_container_set_label(sgc_container_info *ci, const char *key, const char *value);
/* Empty an entry's mounts and labels (before it is filled again, so a
 * second lookup of the same id replaces them instead of adding to them). */
void sgc_container_info_clear_lists(sgc_container_info *ci);
const char *sgc_container_label(const sgc_container_info *ci, const char *key);

#endif
