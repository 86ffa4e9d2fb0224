/* sgc run --enforce: options, the kernel's masks, the userspace kill. */
#include "enforce.h"
#include "proc_signal.h"
#include "sgc_event.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENF_WORDS 16 /* filter_helpers.h SGC_ENF_WORDS */

const char *sgc_enf_action_name(sgc_enf_action a)
{
    return a == SGC_ENF_KILL ? "kill" : a == SGC_ENF_AUDIT ? "audit" : "none";
}

int sgc_enforce_add(sgc_enforce *e, const char *arg, char *err, size_t errlen)
{
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg) {
        snprintf(err, errlen, "--enforce wants RULE=kill or RULE=audit, not '%s'", arg);
        return -1;
    }
    sgc_enf_action a;
    if (!strcmp(eq + 1, "kill"))
        a = SGC_ENF_KILL;
    else if (!strcmp(eq + 1, "audit"))
        a = SGC_ENF_AUDIT;
    else {
        snprintf(err, errlen, "--enforce action '%s' is neither kill nor audit", eq + 1);
        return -1;
    }
    sgc_enforce_rule *nv = realloc(e->v, (size_t)(e->n + 1) * sizeof *nv);
    if (!nv) return -1;
    e->v = nv;
    e->v[e->n].rule = strndup(arg, (size_t)(eq - arg));
    e->v[e->n++].action = a;
    return 0;
}

static int push(char ***v, int *n, const char *s)
{
    char **nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    (*v)[(*n)++] = strdup(s);
    return 0;
}

static bool looks_like_container(const char *s)
{
    /* a container id (hex, 12..64) or a name given as container:NAME */
    size_t n = strlen(s), i = 0;
    if (!strncmp(s, "container:", 10)) return true;
    if (n < 12 || n > 64) return false;
    for (; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

int sgc_enforce_allow(sgc_enforce *e, const char *s)
{
    if (looks_like_container(s))
        return push(&e->allow_containers, &e->nallow_containers,
                    !strncmp(s, "container:", 10) ? s + 10 : s);
    return push(&e->allow_names, &e->nallow_names, s);
}

void sgc_enforce_free(sgc_enforce *e)
{
    for (int i = 0; i < e->n; i++) free(e->v[i].rule);
    free(e->v);
    for (int i = 0; i < e->nallow_names; i++) free(e->allow_names[i]);
    free(e->allow_names);
    for (int i = 0; i < e->nallow_containers; i++) free(e->allow_containers[i]);
    free(e->allow_containers);
    memset(e, 0, sizeof *e);
}

sgc_enf_action sgc_enforce_action(const sgc_enforce *e, const char *rule)
{
    for (int i = 0; e && i < e->n; i++)
        if (!strcmp(e->v[i].rule, rule)) return e->v[i].action;
    return SGC_ENF_NONE;
}

int sgc_enforce_populate(sgc_enforce *e, struct bpf_object *obj, const char *const *names,
                         const int *rule_bits, int n, char *err, size_t errlen)
{
    struct bpf_map *m = bpf_object__find_map_by_name(obj, "sgc_enforce");
    struct bpf_map *prot = bpf_object__find_map_by_name(obj, "sgc_enforce_protect");
    struct bpf_map *comm = bpf_object__find_map_by_name(obj, "sgc_enforce_comm");
    e->kernel = false;
    if (!m || !prot || !comm || !e->n) return 0;
    uint64_t words[2 * ENF_WORDS + 1] = {0};
    for (int i = 0; i < n; i++) {
        sgc_enf_action a = sgc_enforce_action(e, names[i]);
        int b = rule_bits[i];
        if (a == SGC_ENF_NONE || b < 0 || b >= 64 * ENF_WORDS) continue;
        /* a container allowlist needs userspace's view: audit in the kernel */
        bool kill = a == SGC_ENF_KILL && !e->nallow_containers;
        words[(kill ? 0 : ENF_WORDS) + b / 64] |= 1ULL << (b % 64);
    }
    /* slot 2 * ENF_WORDS: any mask set (filter_helpers.h SGC_ENF_ANY): the
     * capture runs the filter's early pass, where it enforces, only then
     * (an artifact of an older build has no such slot, and always runs it) */
    for (int k = 0; k < 2 * ENF_WORDS; k++) words[2 * ENF_WORDS] |= words[k];
    uint32_t nslots = bpf_map__max_entries(m) > 2 * ENF_WORDS ? 2 * ENF_WORDS + 1 : 2 * ENF_WORDS;
    for (uint32_t k = 0; k < nslots; k++)
        if (bpf_map__update_elem(m, &k, sizeof k, &words[k], sizeof words[k], BPF_ANY)) {
            snprintf(err, errlen, "writing the enforcement masks failed");
            return -1;
        }
    uint32_t self = (uint32_t)getpid();
    uint8_t one = 1;
    if (bpf_map__update_elem(prot, &self, sizeof self, &one, 1, BPF_ANY)) {
        snprintf(err, errlen, "writing the protected pids failed");
        return -1;
    }
    for (int i = 0; i < e->nallow_names; i++) {
        char key[16] = {0};
        strncpy(key, e->allow_names[i], 15);
        if (bpf_map__update_elem(comm, key, sizeof key, &one, 1, BPF_ANY)) {
            snprintf(err, errlen, "writing the allowlist failed");
            return -1;
        }
    }
    e->kernel = true;
    return 0;
}

static bool container_allowed(const sgc_enforce *e, const char *id, const char *name)
{
    for (int i = 0; i < e->nallow_containers; i++) {
        const char *a = e->allow_containers[i];
        if ((id && *id && !strncmp(id, a, strlen(id) < strlen(a) ? strlen(id) : strlen(a)) &&
             strlen(id) >= 12 && strlen(a) >= 12) ||
            (name && !strcmp(name, a)))
            return true;
    }
    return false;
}

void sgc_enforce_on_match(const sgc_enforce *e, const char *rule, unsigned hflags, int pid,
                          const char *exepath, const char *container_id, const char *container_name,
                          char *out, size_t n)
{
    sgc_enf_action a = sgc_enforce_action(e, rule);
    out[0] = 0;
    if (a == SGC_ENF_NONE) return;
    if (hflags & SGC_EVF_KILLED) {
        snprintf(out, n, "killed in the kernel (SIGKILL at the syscall exit)");
        return;
    }
    if (hflags & SGC_EVF_KILL_SPARED) {
        snprintf(out, n, "not killed: pid 1, sgc, a kernel thread or an allowlisted name (kernel)");
        return;
    }
    bool in_kernel = (hflags & SGC_EVF_KILL_AUDIT) != 0;
    if (container_allowed(e, container_id, container_name)) {
        snprintf(out, n, "not killed: container %s is on the allowlist",
                 container_name && *container_name ? container_name : container_id);
        return;
    }
    bool dry = a == SGC_ENF_AUDIT;
    if (dry && in_kernel) { /* the kernel checked pid 1, protected and allowlisted names */
        snprintf(out, n, "audit: would have been killed in the kernel");
        return;
    }
    char detail[256];
    sgc_signal_result r =
        sgc_proc_signal(pid, SIGKILL, exepath, 0, (const char *const *)e->allow_names,
                        e->nallow_names, dry, detail, sizeof detail);
    if (dry && r == SGC_SIG_DRY_RUN)
        snprintf(out, n, "audit: would have been killed %s",
                 in_kernel ? "in the kernel" : "from userspace");
    else if (r == SGC_SIG_OK)
        snprintf(out, n, "killed from userspace: %s", detail);
    else
        snprintf(out, n, "%s%s", dry ? "audit: would not be killed: " : "not killed: ", detail);
}
