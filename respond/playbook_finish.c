/* The semantic half of playbook loading: priorities and output_fields
 * conditions (parsers shared with the matcher), the actionner catalogue, and
 * resolving each rule's actions against the definitions with their
 * parameters checked. */
#include "playbook.h"
#include "ruleset.h"
#include "signals.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CODE "RESPOND_PLAYBOOK"

typedef enum { P_STR, P_INT, P_BOOL, P_STRLIST, P_MAP, P_SIGNAL, P_ABSPATH, P_URL } ptype;
typedef struct pdesc {
    const char *name;
    ptype type;
    bool required;
} pdesc;
typedef struct adesc {
    const char *name;
    const pdesc *params;
} adesc;

static const pdesc p_kill[] = {{"signal", P_SIGNAL, false}, {NULL, 0, false}};
static const pdesc p_stop[] = {{"timeout", P_INT, false}, {NULL, 0, false}};
static const pdesc p_none[] = {{NULL, 0, false}};
static const pdesc p_disc[] = {{"networks", P_STRLIST, false}, {NULL, 0, false}};
static const pdesc p_quar[] = {
    {"dir", P_ABSPATH, false}, {"field", P_STR, false}, {NULL, 0, false}};
static const pdesc p_exec[] = {{"command", P_STR, true},
                               {"shell", P_ABSPATH, false},
                               {"timeout", P_INT, false},
                               {NULL, 0, false}};
static const pdesc p_nats[] = {{"subject", P_STR, true},
                               {"servers", P_STRLIST, false},
                               {"tls", P_MAP, false},
                               {"credentials", P_ABSPATH, false},
                               {NULL, 0, false}};
static const pdesc p_hook[] = {{"url", P_URL, true},
                               {"headers", P_MAP, false},
                               {"ca", P_ABSPATH, false},
                               {"timeout", P_INT, false},
                               {NULL, 0, false}};

static const adesc actionners[] = {
    {"process:kill", p_kill},         {"container:stop", p_stop},
    {"container:kill", p_kill},       {"container:pause", p_none},
    {"container:disconnect", p_disc}, {"file:quarantine", p_quar},
    {"exec:script", p_exec},          {"notify:nats", p_nats},
    {"notify:webhook", p_hook},       {NULL, NULL},
};

/* Talon's categories that need a cluster or a cloud account. */
static const char *const unsupported_prefixes[] = {
    "kubernetes:", "cilium:", "calico:", "aws:", "gcp:", "minio:", NULL};

static const adesc *find_actionner(const char *name)
{
    for (int i = 0; actionners[i].name; i++)
        if (!strcmp(actionners[i].name, name)) return &actionners[i];
    return NULL;
}

rp_act_support rp_actionner_support(const char *name)
{
    if (!name) return RP_ACT_UNKNOWN;
    if (find_actionner(name)) return RP_ACT_SUPPORTED;
    for (int i = 0; unsupported_prefixes[i]; i++)
        if (!strncmp(name, unsupported_prefixes[i], strlen(unsupported_prefixes[i])) &&
            name[strlen(unsupported_prefixes[i])])
            return RP_ACT_UNSUPPORTED;
    return RP_ACT_UNKNOWN;
}

bool rp_actionner_default_continue(const char *name)
{
    /* as in Talon: after the pod or node is gone there is nothing to act on */
    return !(name && (!strcmp(name, "kubernetes:terminate") || !strcmp(name, "kubernetes:delete") ||
                      !strcmp(name, "kubernetes:drain")));
}

bool rp_parse_priority(const char *s, rp_cmp *cmp, int *prio)
{
    static const struct {
        const char *op;
        rp_cmp c;
    } ops[] = {
        {">=", RP_CMP_GE}, {"<=", RP_CMP_LE}, {"!=", RP_CMP_NE}, {"==", RP_CMP_EQ},
        {">", RP_CMP_GT},  {"<", RP_CMP_LT},  {"=", RP_CMP_EQ},
    };
    while (*s == ' ') s++;
    *cmp = RP_CMP_EQ;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strncmp(s, ops[i].op, strlen(ops[i].op))) {
            *cmp = ops[i].c;
            s += strlen(ops[i].op);
            break;
        }
    while (*s == ' ') s++;
    char name[32];
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    if (!n || n >= sizeof name) return false;
    memcpy(name, s, n);
    name[n] = 0;
    int p = sgc_priority_parse(name);
    if (p < 0) return false;
    *prio = p;
    return true;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

static void fitem_clear(rp_fitem *it)
{
    for (int i = 0; i < it->n; i++) {
        free(it->v[i].field);
        free(it->v[i].value);
    }
    free(it->v);
    memset(it, 0, sizeof *it);
}

bool rp_parse_fitem(const char *s, rp_fitem *item, size_t *erroff, const char **err)
{
    memset(item, 0, sizeof *item);
    size_t off = 0, len = strlen(s);
    while (off <= len) {
        size_t end = off;
        while (end < len && s[end] != ',') end++;
        const char *part = s + off;
        size_t plen = end - off;
        const char *eq = memchr(part, '=', plen);
        size_t lead = 0;
        while (lead < plen && isspace((unsigned char)part[lead])) lead++;
        if (!eq || eq == part + lead || (eq == part + lead + 1 && part[lead] == '!')) {
            *erroff = off + lead;
            *err = "expected field=value or field!=value";
            fitem_clear(item);
            return false;
        }
        bool neq = eq > part && eq[-1] == '!';
        char *field = trim_dup(part, (size_t)(eq - part) - (neq ? 1 : 0));
        char *value = trim_dup(eq + 1, plen - (size_t)(eq + 1 - part));
        bool bad = !field || !*field || strpbrk(field, " \t\"'");
        if (bad || !value) {
            free(field);
            free(value);
            *erroff = off + lead;
            *err = "the field name is not valid";
            fitem_clear(item);
            return false;
        }
        rp_fcond *nv = realloc(item->v, (size_t)(item->n + 1) * sizeof *nv);
        if (!nv) {
            free(field);
            free(value);
            fitem_clear(item);
            *err = "out of memory";
            return false;
        }
        item->v = nv;
        item->v[item->n++] = (rp_fcond){field, value, neq};
        off = end + 1;
    }
    return true;
}

static const char *ptype_text(ptype t)
{
    switch (t) {
    case P_STR: return "a string";
    case P_INT: return "a non-negative integer";
    case P_BOOL: return "true or false";
    case P_STRLIST: return "a list of strings";
    case P_MAP: return "a mapping";
    case P_SIGNAL: return "a signal name (SIGKILL, TERM) or number";
    case P_ABSPATH: return "an absolute path";
    case P_URL: return "an http:// or https:// URL";
    }
    return "?";
}

static bool ptype_ok(ptype t, json_t *v)
{
    switch (t) {
    case P_STR: return json_is_string(v) && *json_string_value(v);
    case P_INT: return json_is_integer(v) && json_integer_value(v) >= 0;
    case P_BOOL: return json_is_boolean(v);
    case P_MAP: return json_is_object(v);
    case P_SIGNAL:
        if (json_is_integer(v)) return json_integer_value(v) > 0 && json_integer_value(v) < 65;
        return json_is_string(v) && rp_signal_parse(json_string_value(v)) > 0;
    case P_ABSPATH: return json_is_string(v) && json_string_value(v)[0] == '/';
    case P_URL:
        return json_is_string(v) && (!strncmp(json_string_value(v), "http://", 7) ||
                                     !strncmp(json_string_value(v), "https://", 8));
    case P_STRLIST: {
        if (!json_is_array(v)) return false;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) if (!json_is_string(e)) return false;
        return true;
    }
    }
    return false;
}

static void diag_at(rp_playbook *pb, sgc_severity sev, rp_pos p, const char *fmt, const char *a,
                    const char *b, const char *c)
{
    sgc_diag_add(&pb->diags, sev, CODE, p.file, p.line, p.col, fmt, a, b, c);
}

/* Check the actionner of a and its parameters; errors counted. */
static int check_action(rp_playbook *pb, const rp_action *a, bool warn_unsupported)
{
    rp_pos at = a->actionner ? a->actionner_pos : a->pos;
    switch (rp_actionner_support(a->actionner)) {
    case RP_ACT_UNKNOWN:
        diag_at(pb, SGC_SEV_ERROR, at, "unknown actionner '%s' in action '%s'%s", a->actionner,
                a->name, "");
        return 1;
    case RP_ACT_UNSUPPORTED:
        if (!warn_unsupported) return 0;
        diag_at(pb, SGC_SEV_WARNING, at,
                "actionner '%s' of action '%s' is not supported by sgc respond%s: the action "
                "is reported as unsupported when it runs",
                a->actionner, a->name,
                !strncmp(a->actionner, "kubernetes:", 11)
                    ? " yet (Kubernetes actionners come later)"
                    : "");
        return 0;
    case RP_ACT_SUPPORTED: break;
    }
    const adesc *ad = find_actionner(a->actionner);
    int errs = 0;
    const char *key;
    json_t *v;
    json_object_foreach(a->params, key, v)
    {
        const pdesc *pd = NULL;
        for (int i = 0; ad->params[i].name; i++)
            if (!strcmp(ad->params[i].name, key)) pd = &ad->params[i];
        if (!pd) {
            diag_at(pb, SGC_SEV_ERROR, a->pos,
                    "unknown parameter '%s' for actionner '%s' in action '%s'", key, a->actionner,
                    a->name);
            errs++;
        } else if (!ptype_ok(pd->type, v)) {
            diag_at(pb, SGC_SEV_ERROR, a->pos, "parameter '%s' of action '%s' must be %s", key,
                    a->name, ptype_text(pd->type));
            errs++;
        }
    }
    for (int i = 0; ad->params[i].name; i++)
        if (ad->params[i].required && !json_object_get(a->params, ad->params[i].name)) {
            diag_at(pb, SGC_SEV_ERROR, a->pos, "action '%s' (%s) needs parameter '%s'", a->name,
                    a->actionner, ad->params[i].name);
            errs++;
        }
    return errs;
}

int rp_playbook_finish(rp_playbook *pb)
{
    int errs = 0;
    for (int i = 0; i < pb->ndefs; i++) {
        if (!pb->defs[i].actionner) {
            diag_at(pb, SGC_SEV_ERROR, pb->defs[i].pos, "action '%s' has no actionner%s%s",
                    pb->defs[i].name, "", "");
            errs++;
        } else {
            errs += check_action(pb, &pb->defs[i], true);
        }
    }
    for (int r = 0; r < pb->nrules; r++) {
        rp_rule *rule = &pb->rules[r];
        for (int k = 0; k < rule->nactions; k++) {
            rp_action *use = &rule->actions[k];
            const rp_action *def = NULL;
            for (int i = 0; i < pb->ndefs; i++)
                if (!strcmp(pb->defs[i].name, use->name)) def = &pb->defs[i];
            bool own_actionner = use->actionner != NULL;
            bool own = own_actionner || json_object_size(use->params);
            if (!def && !use->actionner) {
                diag_at(pb, SGC_SEV_ERROR, use->pos,
                        "action '%s' of rule '%s' is not defined and gives no actionner", use->name,
                        rule->name, "");
                errs++;
                continue;
            }
            if (def) {
                /* the definition, with the rule's keys on top */
                json_t *merged = json_deep_copy(def->params);
                json_object_update(merged, use->params);
                json_decref(use->params);
                use->params = merged;
                if (!use->actionner && def->actionner) {
                    use->actionner = strdup(def->actionner);
                    use->actionner_pos = def->actionner_pos;
                }
                if (use->cont < 0) use->cont = def->cont;
                if (use->ignore_errors < 0) use->ignore_errors = def->ignore_errors;
            }
            if (use->actionner && own) errs += check_action(pb, use, own_actionner);
        }
    }
    return errs;
}
