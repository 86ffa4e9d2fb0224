/* The container a process runs in, derived from its cgroup path the way
 * container runtimes lay their cgroups out:
 *
 *   docker       /docker/<id>                       (cgroupfs driver)
 *                /system.slice/docker-<id>.scope    (systemd driver)
 *   containerd   /kubepods/<qos>/pod<uid>/<id>      (cgroupfs)
 *                .../cri-containerd-<id>.scope      (systemd)
 *                ...:cri-containerd:<id>            (SystemdCgroup = false)
 *   cri-o        .../crio-<id>.scope, .../crio-<id>
 *   podman       .../libpod-<id>.scope, .../libpod-<id>.scope/container
 *
 * <id> is 64 lowercase hex digits. The innermost match wins (a container in a
 * container reports its own id). No match means the host: "host", as Falco
 * reports it. podman's `libpod-conmon-<id>.scope` holds conmon, the monitor
 * that runs on the host next to the container, so it is the host too. */
#ifndef SGC_CONTAINER_ID_H
#define SGC_CONTAINER_ID_H

#include <stddef.h>

#define SGC_CONTAINER_ID_LEN       64 /* full id */
#define SGC_CONTAINER_SHORT_ID_LEN 12 /* container.id, as Falco reports it */

/* `cgroup` is one cgroup path or the whole text of /proc/PID/cgroup
 * ("hierarchy:controllers:path" lines). Writes the full id (or "host") to
 * out, NUL-terminated, and returns its length (64, or 4 for "host"). */
size_t sgc_container_id_from_cgroup(const char *cgroup, size_t len,
                                    char out[SGC_CONTAINER_ID_LEN + 1]);

#endif
