/* user.name, group.name and user.loginname in the kernel filter (BPF side
 * only; included by filter_helpers.h, after the set maps).
 *
 * The evaluator names an id with its user cache, which reads the database
 * of the process's own container (runtime/state/usercache.h). The runtime
 * copies the names that cache gives the host's ids into sgc_unames
 * (runtime/pipeline/unames.c: filled at start, refilled when the host's
 * /etc/passwd or /etc/group change), so the filter decides a name only for
 * a process known to be on the host (sgc_f_cid_host, as container.id =
 * host) whose id has an entry; anything else is UNKNOWN. The generator
 * emits that host test and, for user.loginname, the evaluator's "no name
 * when loginuid is unset" (every comparison FALSE) around sgc_f_uname_in.
 * The name is compared with the constant sets like a path: one lookup in
 * sgc_fset_lpm (equality entries end with the NUL, prefix entries do not). */
#ifndef SGC_FILTER_USERS_H
#define SGC_FILTER_USERS_H

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SGC_UNAMES_ENTRIES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __u64); /* SGC_UNAME_KEY(kind, id) */
    __type(value, struct sgc_uname);
} sgc_unames SEC(".maps");

/* The name of id (kind SGC_UNAME_USER or SGC_UNAME_GROUP) against the set
 * in `slot` of `plane`: UNKNOWN when the id has no entry. */
__noinline int sgc_f_uname_in(struct sgc_scratch *s, __u32 kind, __u32 id, __u32 plane, __u32 slot)
{
    if (!s) return SGC_F_UNKNOWN;
    __u64 key = SGC_UNAME_KEY(kind, id);
    struct sgc_uname *n = bpf_map_lookup_elem(&sgc_unames, &key);
    if (!n) return SGC_F_UNKNOWN;
    __u32 len = n->len;
    if (len >= SGC_UNAME_MAX) return SGC_F_UNKNOWN; /* the runtime writes none */
    struct sgc_flpm_key *k = &sgc_f_fs(s)->luname;
    __builtin_memcpy(&k->data[4], n->name, SGC_UNAME_MAX);
    k->data[4 + (len & (SGC_UNAME_MAX - 1))] = 0;
    sgc_f_set_id(k->data, plane);
    k->prefixlen = 32 + (len + 1) * 8;
    struct sgc_fval *v = bpf_map_lookup_elem(&sgc_fset_lpm, k);
    return v ? sgc_f_bits(v->b, slot) : SGC_F_FALSE;
}

#endif
