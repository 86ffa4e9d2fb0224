/* Lookups over the tables generated from the system headers
 * (cmake/gen_systables.cmake writes build/gen/sgc_gen_*.c). */
#include "systables_int.h"

#include <stddef.h>
#include <string.h>

extern const sgc_flag_name sgc_gen_syscalls[];
extern const int sgc_gen_syscalls_count;
extern const sgc_flag_name sgc_gen_errnos[];
extern const int sgc_gen_errnos_count;
extern const sgc_flag_name sgc_gen_open_flags[];
extern const int sgc_gen_open_flags_count;
extern const sgc_flag_name sgc_gen_caps[];
extern const int sgc_gen_caps_count;
extern const sgc_flag_name sgc_gen_clone_flags[];
extern const int sgc_gen_clone_flags_count;
extern const sgc_flag_name sgc_gen_socket_families[];
extern const int sgc_gen_socket_families_count;
extern const sgc_flag_name sgc_gen_socket_types[];
extern const int sgc_gen_socket_types_count;
extern const sgc_flag_name sgc_gen_ptrace_requests[];
extern const int sgc_gen_ptrace_requests_count;
extern const sgc_flag_name sgc_gen_mode_bits[];
extern const int sgc_gen_mode_bits_count;
extern const sgc_flag_name sgc_gen_signals[];
extern const int sgc_gen_signals_count;

typedef struct {
    const char *name;
    const sgc_flag_name *table;
    const int *count;
} flagset_info;

static const flagset_info flagsets[SGC_FLAGSET__COUNT] = {
    [SGC_FLAGSET_OPEN] = {"open_flags", sgc_gen_open_flags, &sgc_gen_open_flags_count},
    [SGC_FLAGSET_ERRNO] = {"errno", sgc_gen_errnos, &sgc_gen_errnos_count},
    [SGC_FLAGSET_CAP] = {"capabilities", sgc_gen_caps, &sgc_gen_caps_count},
    [SGC_FLAGSET_CLONE] = {"clone_flags", sgc_gen_clone_flags, &sgc_gen_clone_flags_count},
    [SGC_FLAGSET_SOCKET_FAMILY] = {"socket_families", sgc_gen_socket_families,
                                   &sgc_gen_socket_families_count},
    [SGC_FLAGSET_SOCKET_TYPE] = {"socket_types", sgc_gen_socket_types, &sgc_gen_socket_types_count},
    [SGC_FLAGSET_PTRACE] = {"ptrace_requests", sgc_gen_ptrace_requests,
                            &sgc_gen_ptrace_requests_count},
    [SGC_FLAGSET_MODE] = {"mode_bits", sgc_gen_mode_bits, &sgc_gen_mode_bits_count},
    [SGC_FLAGSET_SIGNAL] = {"signals", sgc_gen_signals, &sgc_gen_signals_count},
};

static const sgc_flag_name *find_name(const sgc_flag_name *t, int n, const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].name, name)) return &t[i];
    return NULL;
}

static const sgc_flag_name *find_value(const sgc_flag_name *t, int n, uint64_t value)
{
    for (int i = 0; i < n; i++)
        if (!t[i].alias && t[i].value == value) return &t[i];
    return NULL;
}

/* ---- dense value -> primary name indexes, built once at load time ---- *
 * The runtime renders errno names, capabilities and syscall names per event;
 * these make that a table lookup instead of a scan. */

#define DENSE_MAX 1024

typedef struct {
    const char *name[DENSE_MAX];
    int size; /* 1 + largest value indexed */
} dense_index;

static dense_index syscall_index, errno_index, cap_index;

static void dense_build(dense_index *ix, const sgc_flag_name *t, int n)
{
    for (int i = 0; i < n; i++) {
        if (t[i].alias || t[i].value >= DENSE_MAX || ix->name[t[i].value]) continue;
        ix->name[t[i].value] = t[i].name;
        if ((int)t[i].value + 1 > ix->size) ix->size = (int)t[i].value + 1;
    }
}

/* Values beyond DENSE_MAX (none today) fall back to a scan. */
static const char *dense_get(const dense_index *ix, const sgc_flag_name *t, int n, uint64_t v)
{
    if (v < DENSE_MAX) return (int)v < ix->size ? ix->name[v] : NULL;
    const sgc_flag_name *f = find_value(t, n, v);
    return f ? f->name : NULL;
}

__attribute__((constructor)) static void build_indexes(void)
{
    dense_build(&syscall_index, sgc_gen_syscalls, sgc_gen_syscalls_count);
    dense_build(&errno_index, sgc_gen_errnos, sgc_gen_errnos_count);
    dense_build(&cap_index, sgc_gen_caps, sgc_gen_caps_count);
}

/* ---- syscalls ---- */

int sgc_syscall_nr(const char *name)
{
    const sgc_flag_name *e = find_name(sgc_gen_syscalls, sgc_gen_syscalls_count, name);
    return e ? (int)e->value : -1;
}

const char *sgc_syscall_name(int nr)
{
    if (nr < 0) return NULL;
    return dense_get(&syscall_index, sgc_gen_syscalls, sgc_gen_syscalls_count, (uint64_t)nr);
}

int sgc_syscall_max_nr(void)
{
    int max = -1;
    for (int i = 0; i < sgc_gen_syscalls_count; i++)
        if ((int)sgc_gen_syscalls[i].value > max) max = (int)sgc_gen_syscalls[i].value;
    return max;
}

int sgc__syscall_count(void) { return sgc_gen_syscalls_count; }
const sgc_flag_name *sgc__syscall_at(int i)
{
    return i >= 0 && i < sgc_gen_syscalls_count ? &sgc_gen_syscalls[i] : NULL;
}

/* ---- errno ---- */

const char *sgc_errno_name(int e)
{
    if (e <= 0) return NULL;
    return dense_get(&errno_index, sgc_gen_errnos, sgc_gen_errnos_count, (uint64_t)e);
}

int sgc_errno_value(const char *name)
{
    const sgc_flag_name *f = find_name(sgc_gen_errnos, sgc_gen_errnos_count, name);
    return f ? (int)f->value : -1;
}

/* ---- capabilities ---- */

const char *sgc_cap_name(int bit)
{
    if (bit < 0) return NULL;
    return dense_get(&cap_index, sgc_gen_caps, sgc_gen_caps_count, (uint64_t)bit);
}

int sgc_cap_bit(const char *name)
{
    const sgc_flag_name *f = find_name(sgc_gen_caps, sgc_gen_caps_count, name);
    return f ? (int)f->value : -1;
}

int sgc_cap_count(void) { return sgc_gen_caps_count; }

/* ---- flag sets ---- */

const sgc_flag_name *sgc_flagset_table(sgc_flagset set, int *n)
{
    if ((int)set < 0 || set >= SGC_FLAGSET__COUNT) {
        if (n) *n = 0;
        return NULL;
    }
    if (n) *n = *flagsets[set].count;
    return flagsets[set].table;
}

const char *sgc_flagset_name(sgc_flagset set)
{
    return (int)set >= 0 && set < SGC_FLAGSET__COUNT ? flagsets[set].name : NULL;
}

bool sgc_flagset_value(sgc_flagset set, const char *name, uint64_t *value)
{
    int n;
    const sgc_flag_name *t = sgc_flagset_table(set, &n);
    const sgc_flag_name *f = t ? find_name(t, n, name) : NULL;
    if (f && value) *value = f->value;
    return f != NULL;
}

const char *sgc_flagset_name_of(sgc_flagset set, uint64_t value)
{
    int n;
    const sgc_flag_name *t = sgc_flagset_table(set, &n);
    const sgc_flag_name *f = t ? find_value(t, n, value) : NULL;
    return f ? f->name : NULL;
}

int sgc_flagset_of_name(const char *name)
{
    for (int s = 0; s < SGC_FLAGSET__COUNT; s++)
        if (find_name(flagsets[s].table, *flagsets[s].count, name)) return s;
    return -1;
}

const sgc_flag_name *sgc_open_flags(int *n) { return sgc_flagset_table(SGC_FLAGSET_OPEN, n); }
const sgc_flag_name *sgc_clone_flags(int *n) { return sgc_flagset_table(SGC_FLAGSET_CLONE, n); }
const sgc_flag_name *sgc_socket_families(int *n)
{
    return sgc_flagset_table(SGC_FLAGSET_SOCKET_FAMILY, n);
}
const sgc_flag_name *sgc_socket_types(int *n)
{
    return sgc_flagset_table(SGC_FLAGSET_SOCKET_TYPE, n);
}
const sgc_flag_name *sgc_ptrace_requests(int *n)
{
    return sgc_flagset_table(SGC_FLAGSET_PTRACE, n);
}
const sgc_flag_name *sgc_mode_bits(int *n) { return sgc_flagset_table(SGC_FLAGSET_MODE, n); }
const sgc_flag_name *sgc_signals(int *n) { return sgc_flagset_table(SGC_FLAGSET_SIGNAL, n); }
