/* Preflight: say clearly why BPF capture cannot work here, before libbpf
 * fails with an errno. */
#include "bpf_loader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39
#define CAP_SYS_ADMIN_BIT 21

static const char *const tracefs_events[] = {
    "/sys/kernel/tracing/events/syscalls",
    "/sys/kernel/debug/tracing/events/syscalls",
};

/* Effective capabilities of this process, from /proc/self/status. */
static int read_cap_effective(unsigned long long *caps)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int found = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "CapEff: %llx", caps) == 1) {
            found = 0;
            break;
        }
    fclose(f);
    return found;
}

static int has_tracefs_syscalls(void)
{
    for (size_t i = 0; i < sizeof tracefs_events / sizeof tracefs_events[0]; i++)
        if (access(tracefs_events[i], R_OK) == 0)
            return 1;
    return 0;
}

int sgc_bpf_preflight(enum sgc_hook_strategy strategy, char *err, size_t errlen)
{
    unsigned long long caps = 0;
    if (read_cap_effective(&caps) < 0) {
        snprintf(err, errlen, "cannot read /proc/self/status to check capabilities");
        return -1;
    }
    int has_bpf = (caps >> CAP_BPF_BIT) & 1, has_perfmon = (caps >> CAP_PERFMON_BIT) & 1;
    int has_admin = (caps >> CAP_SYS_ADMIN_BIT) & 1;
    if (!has_admin && !(has_bpf && has_perfmon)) {
        snprintf(err, errlen,
                 "insufficient privileges: loading BPF needs root, or CAP_BPF and CAP_PERFMON "
                 "(this process: euid %u, CAP_BPF %s, CAP_PERFMON %s)",
                 (unsigned)geteuid(), has_bpf ? "yes" : "no", has_perfmon ? "yes" : "no");
        return -1;
    }
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
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
    if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
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
