/* The artifact: one file that `sgc compile` writes and `sgc run FILE` loads
 * on a machine without clang or the rules files. docs/artifact.md has the
 * byte layout; in short:
 *
 *   header (40 bytes)   magic, format version, flags, section count, header
 *                       size, total size, CRC-32 of everything after the
 *                       header, CRC-32 of the header itself
 *   section table       per section: type, offset, size
 *   sections            BPF object (ELF), manifest (JSON), map contents,
 *                       named lists
 *
 * The reader validates magic, version, sizes and both checksums before it
 * parses anything, then parses with bounds checks; on any error it returns
 * NULL with one message and keeps nothing. A read artifact is immutable. */
#ifndef SGC_ARTIFACT_H
#define SGC_ARTIFACT_H

#include "ruleset.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SGC_ARTIFACT_MAGIC       "\x7fSGCART\n" /* 8 bytes */
#define SGC_ARTIFACT_VERSION     4
#define SGC_ARTIFACT_HEADER_SIZE 40

/* header flags */
#define SGC_ARTF_PUSHDOWN       (1u << 0) /* the BPF object carries a generated kernel filter */
/* none: the rule set is larger than one kernel filter holds
 * (sgc_kernel_filter_too_many, sgc_kernel_filter_too_big) */
#define SGC_ARTF_FILTER_TOO_BIG (1u << 1)

/* section types */
enum {
    SGC_ARTS_BPF_OBJECT = 1, /* ELF bytes for libbpf */
    SGC_ARTS_MANIFEST = 2,   /* JSON text: rules, syscalls, inputs */
    SGC_ARTS_MAPS = 3,       /* binary: contents of the filter's maps */
    SGC_ARTS_LISTS = 4,      /* binary: the named lists (optional when reading) */
};

typedef struct sgc_artifact_rule {
    char *name;
    char *desc;
    sgc_priority priority;
    char *source; /* "syscall" */
    char **tags;
    int ntags;
    char *output;    /* output template, NULL when the rule has none */
    char *condition; /* resolved condition in Falco syntax (macros and
                                 lists expanded, exceptions appended); NULL when
                                 the rule has none to run (skipped rules) */
    bool enabled;
    int bit;    /* bit in the candidate bitmap; -1 when disabled */
    char *file; /* where it was defined (for messages) */
    int line;
} sgc_artifact_rule;

/* A named list the conditions use by name (`x in name`), stored once
 * however many rules use it (issue 18). */
typedef struct sgc_artifact_list {
    char *name;
    char **items; /* as built: expanded items, as strings */
    bool *quoted; /* as built: per item, written in quotes */
    int nitems;
    sgc_strpack *pack; /* as read from a file: the items packed (items and
                          quoted NULL), shared with the rule set built */
} sgc_artifact_list;

/* One BPF map's initial contents: nentries records of key then value, in
 * one of two forms (exactly one is non-NULL): */
typedef struct sgc_artifact_map {
    char *name;
    uint32_t key_size, value_size;
    uint32_t nentries;
    uint8_t *data;     /* as built: nentries * (key_size + value_size) bytes */
    uint8_t *packed;   /* as read from a file (checked), the stored form:
                          per entry a u16 length and the key without its
                          trailing zero bytes, then the same for the value;
                          a quarter of `data` for LPM keys of short strings */
    size_t packed_len; /* bytes of packed */
} sgc_artifact_map;

/* Entries of a map in order, whichever its form: sgc_artifact_map_next
 * writes the next one's key (key_size bytes) and value (value_size bytes)
 * and returns true, or false after the last. */
typedef struct sgc_artifact_map_iter {
    const sgc_artifact_map *m;
    uint32_t next;
    size_t off; /* in packed */
} sgc_artifact_map_iter;

void sgc_artifact_map_iter_init(sgc_artifact_map_iter *it, const sgc_artifact_map *m);
bool sgc_artifact_map_next(sgc_artifact_map_iter *it, uint8_t *key, uint8_t *value);

typedef struct sgc_artifact_input {
    char *name;      /* rules file as given to sgc compile */
    char sha256[65]; /* of its contents, hex */
    uint64_t size;
} sgc_artifact_input;

typedef struct sgc_artifact {
    uint32_t flags;    /* SGC_ARTF_* */
    char *sgc_version; /* the sgc that wrote it */
    int event_version; /* SGC_EVENT_VERSION of its BPF object's records */
    char *arch;        /* "x86_64": syscall numbers are this ABI's */
    uint8_t *bpf_obj;
    size_t bpf_obj_size;
    sgc_artifact_rule *rules; /* every rule, in definition order */
    int nrules;
    int cand_words; /* u64 words of the candidate bitmap (0 without pushdown) */
    int *syscalls;  /* syscall numbers of interest, ascending */
    int nsyscalls;
    sgc_artifact_map *maps;
    int nmaps;
    sgc_artifact_input *inputs;
    int ninputs;
    char *required_engine_version; /* NULL when no file set one */
    sgc_artifact_list *lists;      /* lists the conditions name; the LISTS section */
    int nlists;
} sgc_artifact;

/* ---- reading ------------------------------------------------------------ */

/* Is the file an artifact (its first bytes are the magic)? 1 yes, 0 no
 * (including unreadable or too short: the caller then tries YAML). */
int sgc_artifact_is_artifact(const char *path);
bool sgc_artifact_has_magic(const void *data, size_t size);

/* Read and validate a whole artifact. NULL with a message in err on any
 * error, e.g. "artifact truncated: expected 81234 bytes, got 4096",
 * "artifact corrupt: checksum mismatch", "unsupported artifact format
 * version 2 (this sgc reads version 1)". */
sgc_artifact *sgc_artifact_read(const char *path, char *err, size_t errlen);
sgc_artifact *sgc_artifact_parse(const void *data, size_t size, char *err, size_t errlen);
void sgc_artifact_free(sgc_artifact *a);
/* Free the artifact's lists (nlists becomes 0) once sgc_artifact_ruleset
 * has copied them into a rule set: a run keeps one copy of each item. */
void sgc_artifact_drop_lists(sgc_artifact *a);
/* Free what only sgc_artifact_ruleset reads (each rule's description,
 * tags, output and condition: NULL after), once it has built the rule set;
 * names, bits and positions stay. */
void sgc_artifact_drop_rule_texts(sgc_artifact *a);

/* A rule set rebuilt from the manifest, for the engine and the outputs:
 * every rule with its name, priority, source, tags, output and enabled
 * flag, and `resolved` re-parsed from the stored condition and type checked
 * (so rule i of the set has the candidate bit of the artifact's rule i).
 * NULL with a message when a condition no longer parses or type checks
 * (nothing is half built). Free with sgc_ruleset_free (loader.h). */
sgc_ruleset *sgc_artifact_ruleset(const sgc_artifact *a, char *err, size_t errlen);
/* Once every reader of the conditions has compiled them (the engine, the
 * outputs, the DNS names): free a rule set of sgc_artifact_ruleset's
 * condition trees, the lists they share and the condition texts; names,
 * priorities, tags and outputs stay (issue 18). */
void sgc_artifact_ruleset_drop_conditions(sgc_ruleset *rs);

struct bpf_object;
/* Write the artifact's map contents into a loaded (not yet attached) BPF
 * object. 0, or -1 with a message. */
int sgc_artifact_populate_maps(const sgc_artifact *a, struct bpf_object *obj, char *err,
                               size_t errlen);

/* Size the object's constant-set maps (sgc_fset_*) to the artifact's
 * entries, before it is loaded: the object may come from the BPF object
 * cache, built for lists of other sizes (bpf_objcache.h). Other maps only
 * grow to fit. 0, or -1 with a message. */
int sgc_artifact_size_maps(const sgc_artifact *a, struct bpf_object *obj, char *err, size_t errlen);

/* ---- writing ------------------------------------------------------------ */

/* Serialize to bytes (malloc'd). 0, or -1 with a message. */
int sgc_artifact_serialize(const sgc_artifact *a, uint8_t **out, size_t *outlen, char *err,
                           size_t errlen);
/* Serialize and write to path atomically (a temporary file in the same
 * directory, renamed over path): a failed write leaves no file behind. */
int sgc_artifact_write(const sgc_artifact *a, const char *path, char *err, size_t errlen);
/* The same for bytes already serialized. */
int sgc_artifact_write_bytes(const char *path, const uint8_t *data, size_t len, char *err,
                             size_t errlen);

/* ---- the manifest (artifact_manifest.c; exposed for tests) ----------------- */
char *sgc_artifact_manifest_json(const sgc_artifact *a); /* malloc'd */
int sgc_artifact_manifest_parse(sgc_artifact *a, const char *json, size_t len, char *err,
                                size_t errlen);

#endif
