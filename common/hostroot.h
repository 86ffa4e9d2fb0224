/* HOST_ROOT: where the host's filesystem is seen from, as in Falco. In a
 * container that mounts the host's /proc at /host/proc (and /etc at
 * /host/etc, the runtime sockets under /host/run), HOST_ROOT=/host makes sgc
 * read the host's processes, accounts and container runtime sockets there
 * instead of needing the host's PID namespace. Unset or empty: "/" (no
 * prefix). */
#ifndef SGC_HOSTROOT_H
#define SGC_HOSTROOT_H

#include <stddef.h>

/* The prefix, without a trailing slash: "" when HOST_ROOT is unset, empty or
 * "/". Read from the environment once; the string lives for the process. */
const char *sgc_host_root(void);

/* HOST_ROOT + path (an absolute path) into out. Returns out, or NULL when it
 * does not fit (out then holds an empty string). */
char *sgc_host_path(char *out, size_t outlen, const char *path);

/* This process's PID as the host sees it: the target of HOST_ROOT/proc/self
 * (a procfs shows its own PID namespace's numbers), else getpid(). The BPF
 * programs see host PIDs, so this is what they must ignore as "sgc itself". */
unsigned sgc_host_pid(void);

/* The name alerts carry as their hostname: $SGC_HOSTNAME when set (as
 * Falco's FALCO_HOSTNAME: a DaemonSet sets it to the node's name, the pod's
 * own hostname being the pod's), else gethostname(). Returns 0, or -1 (buf
 * then holds "localhost"). */
int sgc_host_name(char *buf, size_t len);

#endif
