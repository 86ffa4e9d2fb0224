/* Which parts of the process context (the SGC_TF_* parts of
 * bpf-templates/capture_task.h) the generated filter reads, per syscall
 * group. The capture reads those parts of the task before the filter runs
 * and the rest only for records that pass, so an open pays for the fields
 * of the open rules and not for the tty or capabilities an exec rule
 * tests. Emitted after the group functions: sgc_f_task_fields_nr(nr). */
#include "codegen_bpf.h"

#include <string.h>

/* The parts, in bit order of the masks this file computes. */
static const char *const part_names[] = {
    "SGC_TF_PID", "SGC_TF_PARENT", "SGC_TF_CRED", "SGC_TF_CAPS", "SGC_TF_LOGINUID",
    "SGC_TF_TTY", "SGC_TF_PIDNS",  "SGC_TF_NS",   "SGC_TF_MISC", "SGC_TF_COMM",
};
enum { NPARTS = sizeof part_names / sizeof part_names[0], ALL_PARTS = (1u << NPARTS) - 1 };
enum { PID = 1u << 0, PARENT = 1u << 1, CRED = 1u << 2, CAPS = 1u << 3, LOGINUID = 1u << 4 };
enum { TTY = 1u << 5, PIDNS = 1u << 6, NS = 1u << 7, MISC = 1u << 8, COMM = 1u << 9 };

/* The part a header member belongs to; all of them for a member not
 * listed (stays sound: every field is then read before the filter). */
static unsigned member_part(const char *member)
{
    static const struct {
        const char *m;
        unsigned part;
    } parts[] = {
        {"pid", PID},
        {"tid", PID},
        {"ppid", PARENT},
        {"pcomm", PARENT},
        {"uid", CRED},
        {"gid", CRED},
        {"euid", CRED},
        {"egid", CRED},
        {"cap_effective", CAPS},
        {"cap_permitted", CAPS},
        {"loginuid", LOGINUID},
        {"tty", TTY},
        {"vpid", PIDNS},
        {"vpgid", PIDNS},
        {"sid", PIDNS},
        {"pid_ns", PIDNS},
        {"mnt_ns", NS},
        {"net_ns", NS},
        {"cgroup_id", MISC},
        {"start_ns", MISC},
        {"comm", COMM},
    };
    for (size_t i = 0; member && i < sizeof parts / sizeof parts[0]; i++)
        if (!strcmp(parts[i].m, member)) return parts[i].part;
    return ALL_PARTS;
}

unsigned sgc_codegen_task_parts(const sgc_katom *k)
{
    switch (k->src) {
    case SGC_KV_HDR: return member_part(k->hdr_name);
    case SGC_KV_COMM: return COMM;
    case SGC_KV_PCOMM: return PARENT;
    case SGC_KV_ANC: return PARENT;      /* the walk starts from hdr.ppid and pcomm */
    case SGC_KV_HOST: return PID | MISC; /* keyed by hdr.pid, holds a cgroup_id */
    case SGC_KV_UNAME: return PID | MISC | (k->idx == SGC_KUN_LOGINUID ? LOGINUID : CRED);
    case SGC_KV_RET:
    case SGC_KV_REG:
    case SGC_KV_PATH:
    case SGC_KV_RAW:
    case SGC_KV_DIR:
    case SGC_KV_SOCK: return 0; /* the syscall's own values */
    case SGC_KV_EXEC:
    case SGC_KV_XFLAG:
    case SGC_KV_ENV: return 0; /* the exec record's blobs, kind and comm */
    }
    return ALL_PARTS; /* a source not listed here: every field, to stay sound */
}

static void print_parts(FILE *o, unsigned mask)
{
    fputs("(0", o);
    for (int i = 0; i < NPARTS; i++)
        if (mask & (1u << i)) fprintf(o, " | %s", part_names[i]);
    fputc(')', o);
}

void sgc_codegen_emit_task_fields(FILE *o, const sgc_pushdown *pd, const unsigned *group_parts)
{
    fputs("\n/* the process fields the filter reads for each syscall (capture_task.h),\n"
          " * filled before it runs; the rest only for records that pass */\n",
          o);
    /* a table, not a switch: one load whatever the number of groups; a
     * syscall of no group reads nothing (dropped), one beyond the table
     * (sgc_fall: every rule a candidate) nothing either */
    fprintf(o, "static const __u16 sgc_f_group_tf[%d] = {\n", pd->max_nr + 1);
    for (int g = 0; g < pd->ngroups; g++) {
        if (!group_parts[g]) continue;
        for (int i = 0; i < pd->groups[g].nnrs; i++) {
            fprintf(o, "    [%d] = ", pd->groups[g].nrs[i]);
            print_parts(o, group_parts[g]);
            fputs(",\n", o);
        }
    }
    fprintf(o,
            "};\n\n"
            "static __always_inline __u32 sgc_f_task_fields_nr(__u32 nr)\n{\n"
            "    return nr < %d ? sgc_f_group_tf[nr] : 0;\n}\n",
            pd->max_nr + 1);
}
