/* user.* and group.* extractors. Like Falco, user.uid and group.gid are the
 * effective ids (what the kernel checks access against); names come from the
 * user cache, which reads the process's own container's account files.
 * user.loginuid is -1 when unset (Falco's rendering of 0xffffffff). */
#include "fields_ctx.h"
#include "proctable.h"
#include "usercache.h"

#include <string.h>

static const sgc_user *user_of(sgc_extract_ctx *cx, uint32_t uid)
{
    sgc_usercache *uc = cx->pt ? sgc_proctable_users(cx->pt) : NULL;
    if (!uc) return NULL;
    return sgc_usercache_user(uc, sgc_proc_container_id(cx->proc), cx->proc->pid, uid);
}

static bool str_or_na(const char *s, sgc_val *out)
{
    if (!s) return false;
    sgc_val_set_str(out, s, strlen(s));
    return true;
}

static bool x_uid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    sgc_val_set_u64(out, cx->proc->euid);
    return true;
}

static bool x_user_name(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    const sgc_user *u = user_of(cx, cx->proc->euid);
    return u && str_or_na(u->name, out);
}

static bool x_homedir(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    const sgc_user *u = user_of(cx, cx->proc->euid);
    return u && str_or_na(u->homedir, out);
}

static bool x_shell(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    const sgc_user *u = user_of(cx, cx->proc->euid);
    return u && str_or_na(u->shell, out);
}

static bool x_loginuid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    uint32_t l = cx->proc->loginuid;
    sgc_val_set_s64(out, l == SGC_LOGINUID_UNSET ? -1 : (int64_t)l);
    return true;
}

static bool x_loginname(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc || cx->proc->loginuid == SGC_LOGINUID_UNSET) return false;
    const sgc_user *u = user_of(cx, cx->proc->loginuid);
    return u && str_or_na(u->name, out);
}

static bool x_gid(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    if (!cx->proc) return false;
    sgc_val_set_u64(out, cx->proc->egid);
    return true;
}

static bool x_group_name(sgc_extract_ctx *cx, const sgc_field_ref *ref, sgc_val *out)
{
    sgc_usercache *uc = cx->pt ? sgc_proctable_users(cx->pt) : NULL;
    if (!cx->proc || !uc) return false;
    const sgc_group *g =
        sgc_usercache_group(uc, sgc_proc_container_id(cx->proc), cx->proc->pid, cx->proc->egid);
    return str_or_na(g->name, out);
}

/* The extractors of this file, each named by its row in schema/fields.def
 * (the EXTRACTOR column): a row without its extractor does not link. */
const sgc_extractor sgc_x_user_uid = {x_uid, NULL, 0};
const sgc_extractor sgc_x_user_name = {x_user_name, NULL, 0};
const sgc_extractor sgc_x_user_homedir = {x_homedir, NULL, 0};
const sgc_extractor sgc_x_user_shell = {x_shell, NULL, 0};
const sgc_extractor sgc_x_user_loginuid = {x_loginuid, NULL, 0};
const sgc_extractor sgc_x_user_loginname = {x_loginname, NULL, 0};
const sgc_extractor sgc_x_group_gid = {x_gid, NULL, 0};
const sgc_extractor sgc_x_group_name = {x_group_name, NULL, 0};

/* For the evt.* side: a uid argument rendered by name (evt.arg.uid). */
const char *sgc_ctx_user_name(sgc_extract_ctx *cx, uint32_t uid)
{
    if (!cx->proc) return NULL;
    const sgc_user *u = user_of(cx, uid);
    return u ? u->name : NULL;
}
