/* Preflight: say clearly why BPF capture cannot work here, before libbpf
 * fails with an errno. */
#include "bpf_loader.h"
#include "caps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static const char *const tracefs_events[] = {
    "/sys/kernel/tracing/events/syscalls",
    "/sys/kernel/debug/tracing/events/syscalls",
};

/* Readable with this process's effective capabilities (access() would
 * check the real uid without them: CAP_DAC_READ_SEARCH opens tracefs). */
static int has_tracefs_syscalls(void)
{
    for (size_t i = 0; i < sizeof tracefs_events / sizeof tracefs_events[0]; i++)
        if (faccessat(AT_FDCWD, tracefs_events[i], R_OK | X_OK, AT_EACCESS) == 0) return 1;
    return 0;
}

enum sgc_hook_strategy sgc_bpf_pick_strategy(void)
{
    static int picked = -1;
    if (picked >= 0) return (enum sgc_hook_strategy)picked;
    const char *env = getenv("SGC_HOOK_STRATEGY");
    if (env && !strcmp(env, "raw_syscalls"))
        picked = SGC_HOOK_RAW_SYSCALLS;
    else if (env && !strcmp(env, "per-syscall"))
        picked = SGC_HOOK_PER_SYSCALL;
    else if (has_tracefs_syscalls() ||
             (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
              has_tracefs_syscalls()))
        picked = SGC_HOOK_PER_SYSCALL; /* the cheaper hook: docs/kernel.md */
    else /* no tracefs here (unprivileged, a container): tp_btf needs none */
        picked = SGC_HOOK_RAW_SYSCALLS;
    return (enum sgc_hook_strategy)picked;
}

static int preflight(enum sgc_hook_strategy strategy, char *err, size_t errlen);

int sgc_bpf_preflight(enum sgc_hook_strategy strategy, char *err, size_t errlen)
{
    sgc_caps_raise_load(); /* the probes create BPF maps */
    int rc = preflight(strategy, err, errlen);
    sgc_caps_lower_load();
    return rc;
}

static int preflight(enum sgc_hook_strategy strategy, char *err, size_t errlen)
{
    if (sgc_caps_check(err, errlen) != 0) return -1;
    if (faccessat(AT_FDCWD, "/sys/kernel/btf/vmlinux", R_OK, AT_EACCESS) != 0) {
        snprintf(err, errlen,
                 "kernel BTF missing: /sys/kernel/btf/vmlinux not readable (%s); sgc needs a "
                 "kernel built with CONFIG_DEBUG_INFO_BTF=y",
                 strerror(errno));
        return -1;
    }
    FILE *f = fopen("/sys/kernel/security/lockdown", "r");
    if (f) {
        char mode[128] = "";
        if (fgets(mode, sizeof mode, f) && strstr(mode, "[confidentiality]")) {
            fclose(f);
            snprintf(err, errlen,
                     "kernel lockdown is 'confidentiality': BPF programs may not read kernel "
                     "memory; boot with lockdown=integrity or none");
            return -1;
        }
        fclose(f);
    }
    errno = 0;
    int rb = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
    if (rb < 0 || (rb == 0 && errno == EPERM)) { /* bpf() refused: not the kernel's age */
        snprintf(err, errlen,
                 "cannot create a BPF map: %s (a seccomp profile that blocks bpf(), as "
                 "container runtimes' default ones do without CAP_SYS_ADMIN?)",
                 strerror(rb < 0 ? -rb : EPERM));
        return -1;
    }
    if (rb != 1) {
        snprintf(err, errlen, "BPF ring buffer not supported by this kernel (needs Linux >= 5.8)");
        return -1;
    }
    if (strategy == SGC_HOOK_PER_SYSCALL && !has_tracefs_syscalls()) {
        /* syscall tracepoints are found by id through tracefs; mount it if we may */
        if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0 ||
            !has_tracefs_syscalls()) {
            snprintf(err, errlen,
                     "tracefs with syscall events not available at /sys/kernel/tracing "
                     "(mount -t tracefs nodev /sys/kernel/tracing; kernel needs "
                     "CONFIG_FTRACE_SYSCALLS) — or use the raw_syscalls hook strategy");
            return -1;
        }
    }
    return 0;
}
