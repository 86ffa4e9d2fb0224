/* Capabilities for capture: the check naming a missing one, and the
 * restriction to least privilege (see caps.h). Raw capget/capset: three
 * calls do not justify a library dependency. */
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static const sgc_cap_need g_needed[] = {
    {CAP_BPF, "CAP_BPF", "to load the BPF programs and create their maps"},
    {CAP_PERFMON, "CAP_PERFMON", "to attach tracing programs and let them read kernel memory"},
    {CAP_SYS_PTRACE, "CAP_SYS_PTRACE",
     "to read /proc/PID/exe, cwd, environ and root of other users' processes"},
    {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH",
     "to read /proc, container files and tracefs whatever their modes"},
};
#define NNEEDED (sizeof g_needed / sizeof g_needed[0])

static bool g_restricted;

const sgc_cap_need *sgc_caps_needed(size_t *n)
{
    *n = NNEEDED;
    return g_needed;
}

bool sgc_caps_restricted(void) { return g_restricted; }

typedef struct {
    uint64_t eff, prm, inh;
} capsets;

static int caps_get(capsets *c)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &h, d) != 0) return -1;
    c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
    c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
    c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
    return 0;
}

static int caps_set(const capsets *c)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {
        {(uint32_t)c->eff, (uint32_t)c->prm, (uint32_t)c->inh},
        {(uint32_t)(c->eff >> 32), (uint32_t)(c->prm >> 32), (uint32_t)(c->inh >> 32)},
    };
    return syscall(SYS_capset, &h, d) == 0 ? 0 : -1;
}

#define BIT(cap) ((uint64_t)1 << (cap))

int sgc_caps_check(char *err, size_t errlen)
{
    capsets c;
    if (caps_get(&c) != 0) {
        snprintf(err, errlen, "cannot read this process's capabilities: %s", strerror(errno));
        return -1;
    }
    /* once restricted, the BPF capabilities are permitted, raised on load */
    uint64_t have = g_restricted ? c.prm : c.eff;
    for (size_t i = 0; i < NNEEDED; i++) {
        int cap = g_needed[i].cap;
        bool ok = have & BIT(cap);
        if (!ok && (cap == CAP_BPF || cap == CAP_PERFMON)) ok = have & BIT(CAP_SYS_ADMIN);
        if (!ok) {
            snprintf(err, errlen,
                     "insufficient privileges: missing capability %s, needed %s (run as root, "
                     "or with CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH; "
                     "this process: euid %u)",
                     g_needed[i].name, g_needed[i].why, (unsigned)geteuid());
            return -1;
        }
    }
    return 0;
}

static uint64_t load_set(const capsets *c)
{
    return (BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_SYS_ADMIN)) & c->prm;
}

static int last_cap(void)
{
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
    int last = 40;
    if (f) {
        if (fscanf(f, "%d", &last) != 1) last = 40;
        fclose(f);
    }
    return last < 63 ? last : 63;
}

int sgc_caps_restrict(char *err, size_t errlen)
{
    capsets c;
    if (caps_get(&c) != 0) {
        snprintf(err, errlen, "cannot read this process's capabilities: %s", strerror(errno));
        return -1;
    }
    uint64_t keep = 0;
    for (size_t i = 0; i < NNEEDED; i++) keep |= BIT(g_needed[i].cap);
    if (!(c.prm & BIT(CAP_BPF)))
        keep |= BIT(CAP_SYS_ADMIN); /* a kernel without CAP_BPF: CAP_SYS_ADMIN loads */
    keep &= c.prm;
    /* the bounding set: what any exec'd child could ever regain */
    if (c.eff & BIT(CAP_SETPCAP))
        for (int cap = 0; cap <= last_cap(); cap++)
            if (!(keep & BIT(cap)) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
                prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
                snprintf(err, errlen, "cannot drop capability %d from the bounding set: %s", cap,
                         strerror(errno));
                return -1;
            }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); /* EINVAL: no ambient caps */
    capsets n = {.prm = keep, .inh = 0};
    n.eff = keep & ~load_set(&(capsets){.prm = keep});
    if (caps_set(&n) != 0) {
        snprintf(err, errlen, "cannot restrict capabilities: %s", strerror(errno));
        return -1;
    }
    g_restricted = true;
    return 0;
}

static void set_load_caps(bool on)
{
    capsets c;
    if (!g_restricted || caps_get(&c) != 0) return;
    uint64_t l = load_set(&c);
    c.eff = on ? c.eff | l : c.eff & ~l;
    caps_set(&c); /* failure shows as the load's own EPERM */
}

/* Raised by nested callers (sgc_bpf_open around its preflight): only the
 * outermost pair changes the set. */
static _Thread_local int g_load_depth; /* capabilities are per thread */

void sgc_caps_raise_load(void)
{
    if (g_load_depth++ == 0) set_load_caps(true);
}

void sgc_caps_lower_load(void)
{
    if (g_load_depth > 0 && --g_load_depth == 0) set_load_caps(false);
}
