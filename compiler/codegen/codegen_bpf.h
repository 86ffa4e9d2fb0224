/* BPF C generation for the kernel filter of a pushdown split.
 *
 * The output is one header that capture.bpf.c includes through
 * capture_filter.h (-DSGC_GENERATED_FILTER='"file.h"' -DSGC_CAND_WORDS=n):
 * the fixed helpers of bpf-templates/filter_helpers.h, one function per
 * group of syscalls, a dispatch switch on the syscall number, and the two
 * hooks of the contract, sgc_filter_early() (header only: path atoms are
 * UNKNOWN) and sgc_filter() (whole record: sets the candidate bitmap).
 *
 * Constant string sets are not in the code: the generator lists the map
 * entries the loader writes before attaching (sgc_bpf_gen_populate). */
#ifndef SGC_CODEGEN_BPF_H
#define SGC_CODEGEN_BPF_H

#include "pushdown.h"
#include <stdint.h>
#include <stdio.h>

#define SGC_FSET_LPM_MAP     "sgc_fset_lpm"
#define SGC_FSET_COMM_MAP    "sgc_fset_comm"
/* Address lists of more than SGC_KSOCK_MAX_ITEMS items (codegen_bpf_sock.c):
 * an LPM trie, key {u32 prefixlen; data: the atom's id (big endian), the
 * family (4 or 6), the 16 address bytes, 3 bytes of padding}; an item of b
 * prefix bits is an entry of 40 + b bits, value one byte (1). */
#define SGC_FSET_ADDR_MAP    "sgc_fset_addr"
#define SGC_FADDR_KEY_SIZE   28
#define SGC_FLPM_KEY_SIZE    260 /* struct sgc_flpm_key: u32 prefixlen + 256 bytes */
#define SGC_FCOMM_KEY_SIZE   20  /* struct sgc_fcomm_key: u32 plane + char[16] */
/* Map values (struct sgc_fval): 2 bits per set of the entry's plane (set
 * slot i: bits 2*(i%4) of byte i/4; 0 FALSE, 1 TRUE, 2 UNKNOWN). Comm
 * entries: per comm equality set, whether the comm is in it; LPM entries:
 * per other set, the verdict of the set's longest item that prefixes the
 * entry. So one lookup per string answers every set of a group. */
#define SGC_FVAL_SIZE        64
#define SGC_FCOMM_PLANE_SETS (SGC_FVAL_SIZE * 4)
#define SGC_FCOMM_PLANES     4 /* more comm sets than this many planes: UNKNOWN */

typedef struct sgc_bpf_map_entry {
    const char *map; /* SGC_FSET_LPM_MAP, SGC_FSET_COMM_MAP or SGC_FSET_ADDR_MAP */
    uint32_t key_size;
    uint32_t value_size; /* SGC_FVAL_SIZE, or 1 (SGC_FSET_ADDR_MAP) */
    uint8_t key[SGC_FLPM_KEY_SIZE];
    uint8_t value[SGC_FVAL_SIZE]; /* verdict bits, see above */
    int set;                      /* index into pd->sets of the first set with this entry */
} sgc_bpf_map_entry;

/* The comm slot of pd->sets[set] (an equality set on comm): plane *
 * SGC_FCOMM_PLANE_SETS + slot, numbered in order of the sets; -1 for
 * any other set. */
int sgc_codegen_comm_index(const sgc_pushdown *pd, int set);
/* The LPM slot of pd->sets[set] (any set not on comm equality), numbered
 * the same way; -1 for a comm equality set. */
int sgc_codegen_lpm_index(const sgc_pushdown *pd, int set);
/* The 2-bit verdict of slot i in an entry's value (comm or LPM). */
int sgc_codegen_comm_verdict(const sgc_bpf_map_entry *e, int slot);

typedef struct sgc_bpf_gen {
    char *source; /* the generated header */
    size_t source_len;
    sgc_bpf_map_entry *entries;
    int nentries;
    int lpm_entries, comm_entries, addr_entries;
    int cand_words;
} sgc_bpf_gen;

/* Rule-bit words the in-kernel enforcement covers (filter_helpers.h
 * SGC_ENF_WORDS): rules with a bit beyond are enforced from userspace. */
#define SGC_ENF_MAX_WORDS 16

/* Does the kernel filter decide `rule` exactly at syscall nr, so that
 * `sgc run --enforce RULE=kill` kills in the kernel there? */
bool sgc_codegen_rule_exact_at(const sgc_pushdown *pd, int rule, int nr);

/* Generate the filter of pd. Returns 0. */
int sgc_codegen_bpf(const sgc_pushdown *pd, sgc_bpf_gen *out);
void sgc_bpf_gen_free(sgc_bpf_gen *g);

/* Whether socket atom k (an address or network list) is tested in the
 * sgc_fset_addr map: a list of more than SGC_KSOCK_MAX_ITEMS items (fewer
 * are compared inline). */
bool sgc_codegen_addr_in_map(const sgc_katom *k);

/* One line per map entry: map, set, verdict, the string as stored. */
void sgc_bpf_gen_print_maps(FILE *out, const sgc_bpf_gen *g, const sgc_pushdown *pd);

/* Internal (codegen_bpf_maps.c): fill g->entries from pd's sets and the
 * address lists of its socket atoms. */
void sgc_codegen_bpf_entries(const sgc_pushdown *pd, sgc_bpf_gen *g);

/* Internal (codegen_bpf_sock.c): the expression of a socket atom (src
 * SGC_KV_SOCK) inside a group function (s in scope), a
 * SGC_F_* value; and whether pd has one (the filter then asks the capture
 * for the socket blobs before it runs: SGC_F_SOCK); whether one reads the
 * address argument (it is then read before the filter: SGC_F_SOCKADDR). */
void sgc_codegen_sock_atom(FILE *o, const sgc_katom *k);
bool sgc_codegen_has_sock(const sgc_pushdown *pd);
bool sgc_codegen_has_sockaddr(const sgc_pushdown *pd);

/* Internal (codegen_bpf_task.c): the process-context parts a kernel atom
 * reads (a mask of SGC_TF_* parts), and the emission, after the group
 * functions, of sgc_f_task_fields_nr(nr): the parts nr's group reads, which
 * the capture fills before the filter runs. */
unsigned sgc_codegen_task_parts(const sgc_katom *k);
void sgc_codegen_emit_task_fields(FILE *o, const sgc_pushdown *pd, const unsigned *group_parts);

struct bpf_object;
/* Write every entry into the maps of a loaded object. Returns 0, or -1 with
 * a message in err. */
int sgc_bpf_gen_populate(const sgc_bpf_gen *g, struct bpf_object *obj, char *err, size_t errlen);

#endif
