/* The credentials a successful set*id / unshare / setns leaves the thread
 * with, applied to a record header before the process table and the rules see
 * it.
 *
 * Falco's parser updates the thread before its rules meet the exit event
 * (libsinsp parsers.cpp: parse_setuid_exit and friends set the thread's user
 * and group to the new effective id; parse_unshare_setns_exit gives a thread
 * that entered a new user namespace every capability). The kernel side of sgc
 * reads the task's credentials at syscall exit, so a live header already
 * carries them; this brings headers that were built from what was known
 * BEFORE the call (event files, see eventfile.c) to the same state. Applying
 * it to a live header changes nothing: it is idempotent. */
#include "proctable.h"

#include <asm/unistd_64.h>
#include <linux/capability.h>
#include <sched.h>

#define ID_UNCHANGED 0xffffffffu /* -1: "leave this id as it is" */

/* Every capability this build knows (libsinsp's sinsp_utils::get_max_caps). */
#define ALL_CAPS ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

static void set_id(uint32_t *id, uint64_t arg)
{
    if ((uint32_t)arg != ID_UNCHANGED) *id = (uint32_t)arg;
}

/* setuid(2)/setgid(2): a thread with CAP_SETUID/CAP_SETGID sets every id,
 * another one only the effective id (the call fails otherwise). */
static void set_single(uint32_t *real, uint32_t *effective, uint64_t arg, bool privileged)
{
    if (privileged) set_id(real, arg);
    set_id(effective, arg);
}

void sgc_creds_after_syscall(struct sgc_event_hdr *h)
{
    if (h->kind != SGC_REC_SYSCALL || h->ret < 0) return;
    switch (h->nr) {
    case __NR_setuid:
        if (h->ret == 0)
            set_single(&h->uid, &h->euid, h->args[0], h->cap_effective & (1ull << CAP_SETUID));
        return;
    case __NR_setgid:
        if (h->ret == 0)
            set_single(&h->gid, &h->egid, h->args[0], h->cap_effective & (1ull << CAP_SETGID));
        return;
    case __NR_setreuid:
    case __NR_setresuid: /* (ruid, euid[, suid]) */
        if (h->ret == 0) {
            set_id(&h->uid, h->args[0]);
            set_id(&h->euid, h->args[1]);
        }
        return;
    case __NR_setregid:
    case __NR_setresgid:
        if (h->ret == 0) {
            set_id(&h->gid, h->args[0]);
            set_id(&h->egid, h->args[1]);
        }
        return;
    case __NR_unshare: /* (flags) */
    case __NR_setns:   /* (fd, nstype) */
        if ((h->nr == __NR_unshare ? h->args[0] : h->args[1]) & CLONE_NEWUSER) {
            h->cap_effective = ALL_CAPS;
            h->cap_permitted = ALL_CAPS;
        }
        return;
    default: return;
    }
}
