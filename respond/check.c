/* Cross-checking playbooks against the loaded detection rules. */
#include "check.h"
#include "actionners.h"
#include "output_fmt.h"

#include <stdlib.h>
#include <string.h>

static const sgc_rule *find_rule(const sgc_ruleset *rs, const char *name)
{
    for (int i = 0; i < rs->nrules; i++)
        if (!strcmp(rs->rules[i]->name, name)) return rs->rules[i];
    return NULL;
}

/* Whether the rule's output template has %field. */
static bool outputs(const sgc_rule *r, const char *field)
{
    if (!r->output_src) return false;
    sgc_output_fmt f = {0};
    uint32_t off;
    char *err = NULL;
    sgc_output_fmt_parse(r->output_src->text, r->output_src->len, &f, &off, &err);
    free(err);
    bool found = false;
    for (int i = 0; i < f.nsegs && !found; i++)
        if (f.segs[i].kind == SGC_OSEG_FIELD && !strcmp(f.segs[i].text, field)) found = true;
    sgc_output_fmt_free(&f);
    return found;
}

/* One of the '|'-separated alternatives is output; *first gets the first. */
static bool outputs_any(const sgc_rule *r, const char *alts, char *first, size_t n)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", alts);
    char *save = NULL;
    bool any = false;
    first[0] = 0;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        if (!first[0]) snprintf(first, n, "%s", t);
        any |= outputs(r, t);
    }
    return any;
}

static int check_rule(rp_playbook *pb, const rp_rule *pr, const sgc_ruleset *rs)
{
    int errs = 0;
    for (int i = 0; i < pr->nmatch_rules; i++) {
        rp_pos p = pr->match_rules_pos[i];
        const sgc_rule *r = find_rule(rs, pr->match_rules[i]);
        if (!r) {
            sgc_diag_add(&pb->diags, SGC_SEV_ERROR, "RESPOND_UNKNOWN_RULE", p.file, p.line, p.col,
                         "rule '%s' matches Falco rule '%s', which no loaded rules file defines",
                         pr->name, pr->match_rules[i]);
            errs++;
            continue;
        }
        for (int k = 0; k < pr->nactions; k++) {
            const rp_action *a = &pr->actions[k];
            const char *const *needs = rp_actionner_needs(a->actionner);
            const char *fld = json_string_value(json_object_get(a->params, "field"));
            for (int j = 0; needs[j]; j++) {
                char first[128];
                const char *alts =
                    (fld && !strcmp(a->actionner, "file:quarantine")) ? fld : needs[j];
                if (outputs_any(r, alts, first, sizeof first)) continue;
                sgc_diag_add(
                    &pb->diags, SGC_SEV_ERROR, "RESPOND_MISSING_FIELD", a->pos.file, a->pos.line,
                    a->pos.col,
                    "action '%s' (%s) needs output field %s, which rule '%s' does not output",
                    a->name, a->actionner, strchr(alts, '|') ? alts : first, r->name);
                errs++;
            }
        }
        for (int f = 0; f < pr->nfields; f++)
            for (int c = 0; c < pr->fields[f].n; c++) {
                const rp_fcond *fc = &pr->fields[f].v[c];
                if (outputs(r, fc->field)) continue;
                rp_pos fp = pr->fields[f].pos;
                sgc_diag_add(&pb->diags, SGC_SEV_WARNING, "RESPOND_FIELD_NOT_OUTPUT", fp.file,
                             fp.line, fp.col,
                             "output_fields condition on %s, which rule '%s' does not output "
                             "(the alert never has it)",
                             fc->field, r->name);
            }
    }
    return errs;
}

int rp_playbook_check(rp_playbook *pb, const sgc_ruleset *rs)
{
    int errs = 0;
    for (int i = 0; i < pb->nrules; i++) errs += check_rule(pb, &pb->rules[i], rs);
    return errs;
}
