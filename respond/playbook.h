/* Playbooks in Falco Talon's rules format: action definitions
 *   - action: NAME  (actionner, parameters, continue, ignore_errors, description)
 * and rules
 *   - rule: NAME    (match{rules, priority, tags, output_fields, source},
 *                    actions, continue, dry_run, notifiers, description)
 * read from one or more files in order. A later item with the name of an
 * earlier one overrides it (Talon's override files): the keys it gives
 * replace the earlier ones, parameters merge key by key.
 *
 * Every problem is a diagnostic with file:line:col; a playbook with an error
 * is not used (nothing half-loaded). */
#ifndef SGC_PLAYBOOK_H
#define SGC_PLAYBOOK_H

#include "diag.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct rp_pos {
    const char *file;
    int line, col;
} rp_pos;

/* One action: a definition, or a rule's use of one (with its overrides). */
typedef struct rp_action {
    char *name;
    rp_pos pos;
    char *actionner; /* "process:kill"; NULL until resolved */
    rp_pos actionner_pos;
    json_t *params;    /* object, never NULL */
    int cont;          /* continue: 1/0, -1 unset (actionner default) */
    int ignore_errors; /* 1/0, -1 unset (false) */
} rp_action;

/* output_fields conditions: items OR-ed, the conditions of an item AND-ed. */
typedef struct rp_fcond {
    char *field;
    char *value;
    bool neq;
} rp_fcond;
typedef struct rp_fitem {
    rp_fcond *v;
    int n;
    rp_pos pos;
} rp_fitem;
/* tags: items OR-ed, the tags of an item ("a, b") all needed. */
typedef struct rp_titem {
    char **v;
    int n;
} rp_titem;

typedef enum {
    RP_CMP_NONE,
    RP_CMP_EQ,
    RP_CMP_NE,
    RP_CMP_LT,
    RP_CMP_LE,
    RP_CMP_GT,
    RP_CMP_GE
} rp_cmp;

typedef struct rp_rule {
    char *name;
    rp_pos pos;
    char **match_rules;
    rp_pos *match_rules_pos;
    int nmatch_rules;
    rp_cmp prio_cmp;
    int prio; /* sgc_priority; lower is more severe */
    rp_titem *tags;
    int ntags;
    rp_fitem *fields;
    int nfields;
    char *source; /* NULL: any */
    rp_action *actions;
    int nactions;
    bool cont;   /* continue: default true */
    int dry_run; /* -1 unset */
    char **notifiers;
    int nnotifiers;
} rp_rule;

typedef struct rp_playbook {
    rp_action *defs;
    int ndefs;
    rp_rule *rules;
    int nrules;
    char **files;
    int nfiles; /* interned names (rp_pos.file) */
    sgc_diags diags;
} rp_playbook;

void rp_playbook_init(rp_playbook *pb);
void rp_playbook_free(rp_playbook *pb);

/* Load a file (text when given, else read from path), appending to pb.
 * Returns the number of errors added. */
int rp_playbook_load(rp_playbook *pb, const char *path, const char *text, size_t len);

/* After every file: resolve each rule's actions against the definitions
 * (actionner and parameters inherited, the rule's overrides on top), check
 * actionners and parameters. Returns the number of errors added. */
int rp_playbook_finish(rp_playbook *pb);

/* The actionners sgc implements, and Talon's that it recognises but does not
 * implement here (kubernetes:*, aws:*, ...): those load with a warning and
 * their actions report "unsupported" when they run. */
typedef enum { RP_ACT_UNKNOWN, RP_ACT_SUPPORTED, RP_ACT_UNSUPPORTED } rp_act_support;
rp_act_support rp_actionner_support(const char *name);
/* Whether the actionner stops the rule's next actions unless told otherwise
 * (Talon: kubernetes:terminate and similar). */
bool rp_actionner_default_continue(const char *name);

/* Parse "Warning", ">=Warning", "<Error", "!=Debug": false when malformed. */
bool rp_parse_priority(const char *s, rp_cmp *cmp, int *prio);
/* Parse an output_fields item "k=v, k2!=v2" into item (fields allocated);
 * false with *errcol (0-based offset in s) and a message when malformed. */
bool rp_parse_fitem(const char *s, rp_fitem *item, size_t *erroff, const char **err);

#endif
