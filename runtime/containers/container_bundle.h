/* Container metadata learned when a container is created, before its first
 * process runs: from the OCI bundle the runtime is handed (config.json) and,
 * for Podman/CRI-O storage, the storage's container list (containers.json,
 * which names the image). The runtime API (container_engine.h) is asked
 * later and may find nothing for a container that has already exited and
 * been removed (`podman run --rm IMAGE /bin/true`); what the bundle said is
 * kept then, so containers of any lifetime carry their metadata.
 *
 * Where the bundle comes from: the exec of the container's monitor or OCI
 * runtime, whose command line names it (sgc_container_bundle_cmdline):
 *   conmon ... -c ID -b BUNDLE -n NAME ...                 (Podman, CRI-O)
 *   runc|crun ... create|run [--bundle|-b BUNDLE] ... ID    (any engine) */
#ifndef SGC_CONTAINER_BUNDLE_H
#define SGC_CONTAINER_BUNDLE_H

#include "containers.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sgc_bundle_ref {
    char id[65];      /* full container id (64 hex digits) */
    char bundle[512]; /* bundle directory (holds config.json) */
    char name[256];   /* container name when the command line gives it, else "" */
} sgc_bundle_ref;

/* Does this command line (exe = argv[0]'s base name or path, args =
 * argv[1..] NUL-separated, args_len bytes) create a container? Fills ref. */
bool sgc_container_bundle_cmdline(const char *exe, const char *args, size_t args_len,
                                  sgc_bundle_ref *ref);

/* Fill ci (its id already set) from ref: name (ref's, else the storage's),
 * type ("podman" when the bundle's io.container.manager annotation is libpod,
 * "cri-o" for CRI-O, else "docker"), image and its repository/tag from the
 * storage's containers.json when there is one, privileged (Podman's
 * io.podman.annotations.privileged annotation; otherwise an OCI spec with
 * no masked paths and CAP_SYS_ADMIN in its bounding set), mounts (bind
 * mounts: source, destination, rw). 0, or -1 when config.json cannot be
 * read or parsed (ci unchanged). */
int sgc_container_bundle_read(const sgc_bundle_ref *ref, sgc_container_info *ci);

/* The same from config.json's text (and containers.json's, or NULL), for
 * tests and fuzzing. 0, or -1 when config is not an OCI config object. */
int sgc_container_bundle_parse(const char *config, size_t len, const char *storage_list,
                               size_t slen, const sgc_bundle_ref *ref, sgc_container_info *ci);

#endif
