/* YAML document helpers for the respond/ loaders (playbooks, respond.yaml):
 * a parsed document with positions (compiler/yamlmap.h), typed lookups, and
 * diagnostics at a node's file:line:col. */
#ifndef SGC_RP_YAML_H
#define SGC_RP_YAML_H

#include "diag.h"
#include "yamlmap.h"

#include <jansson.h>
#include <stdbool.h>
#include <yaml.h>

typedef struct rp_ydoc {
    const char *file; /* interned by the caller */
    char *buf;
    size_t len;
    sgc_yfile yf;
    yaml_document_t doc;
    bool has_doc;
    sgc_diags *diags;
    int errors;
} rp_ydoc;

/* Read (text NULL) or copy text, parse. false when the file cannot be read or
 * is not YAML (a diagnostic was added). An empty file is a document with no
 * root (rp_ydoc_root returns NULL). */
bool rp_ydoc_open(rp_ydoc *d, const char *file, const char *text, size_t len, sgc_diags *diags);
void rp_ydoc_close(rp_ydoc *d);

yaml_node_t *rp_ydoc_root(rp_ydoc *d);
yaml_node_t *rp_ynode(rp_ydoc *d, int id);
/* Value of key in a mapping (the last one); *keynode gets the key. */
yaml_node_t *rp_yget(rp_ydoc *d, const yaml_node_t *map, const char *key, yaml_node_t **keynode);
void rp_ypos(rp_ydoc *d, const yaml_node_t *n, int *line, int *col);

__attribute__((format(printf, 5, 6))) void rp_ydiag(rp_ydoc *d, sgc_severity sev, const char *code,
                                                    const yaml_node_t *at, const char *fmt, ...);

bool rp_yis_scalar(const yaml_node_t *n);
const char *rp_ystr(const yaml_node_t *n); /* scalar value or NULL */
/* true/false (also yes/no/on/off as YAML 1.1); -1 when not a boolean. */
int rp_ybool(const yaml_node_t *n);
/* A node as JSON: mappings to objects, sequences to arrays, plain scalars
 * that read as integers/reals/booleans/null to those, the rest to strings. */
json_t *rp_yjson(rp_ydoc *d, const yaml_node_t *n);

#endif
