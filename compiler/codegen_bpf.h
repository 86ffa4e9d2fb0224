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

#define SGC_FSET_LPM_MAP "sgc_fset_lpm"
#define SGC_FSET_COMM_MAP "sgc_fset_comm"
#define SGC_FLPM_KEY_SIZE 260   /* struct sgc_flpm_key: u32 prefixlen + 256 bytes */
#define SGC_FCOMM_KEY_SIZE 20   /* struct sgc_fcomm_key: u32 set + char[16] */

typedef struct sgc_bpf_map_entry {
    const char *map;        /* SGC_FSET_LPM_MAP or SGC_FSET_COMM_MAP */
    uint32_t key_size;
    uint8_t key[SGC_FLPM_KEY_SIZE];
    uint8_t value;          /* 1 = TRUE, 2 = UNKNOWN */
    int set;                /* index into pd->sets (for descriptions) */
} sgc_bpf_map_entry;

typedef struct sgc_bpf_gen {
    char *source;           /* the generated header */
    size_t source_len;
    sgc_bpf_map_entry *entries;
    int nentries;
    int lpm_entries, comm_entries;
    int cand_words;
} sgc_bpf_gen;

/* Generate the filter of pd. Returns 0. */
int sgc_codegen_bpf(const sgc_pushdown *pd, sgc_bpf_gen *out);
void sgc_bpf_gen_free(sgc_bpf_gen *g);

/* One line per map entry: map, set, verdict, the string as stored. */
void sgc_bpf_gen_print_maps(FILE *out, const sgc_bpf_gen *g, const sgc_pushdown *pd);

/* Internal (codegen_bpf_maps.c): fill g->entries from pd's sets. */
void sgc_codegen_bpf_entries(const sgc_pushdown *pd, sgc_bpf_gen *g);

struct bpf_object;
/* Write every entry into the maps of a loaded object. Returns 0, or -1 with
 * a message in err. */
int sgc_bpf_gen_populate(const sgc_bpf_gen *g, struct bpf_object *obj, char *err, size_t errlen);

#endif
