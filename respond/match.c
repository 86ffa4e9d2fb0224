/* Matching alerts against playbook rules. */
#include "match.h"

#include <string.h>

static bool prio_ok(rp_cmp c, int want, int got)
{
    /* lower numbers are more severe: ">= Warning" is got <= want */
    switch (c) {
    case RP_CMP_NONE: return true;
    case RP_CMP_EQ: return got == want;
    case RP_CMP_NE: return got != want;
    case RP_CMP_GE: return got <= want;
    case RP_CMP_GT: return got < want;
    case RP_CMP_LE: return got >= want;
    case RP_CMP_LT: return got > want;
    }
    return false;
}

static bool has_tag(const rp_alert *a, const char *t)
{
    size_t i;
    json_t *e;
    if (!a->tags) return false;
    json_array_foreach(a->tags, i,
                       e) if (json_is_string(e) && !strcmp(json_string_value(e), t)) return true;
    return false;
}

static bool fitem_ok(const rp_fitem *it, const rp_alert *a)
{
    for (int i = 0; i < it->n; i++) {
        char tmp[64];
        const char *v = rp_alert_field(a, it->v[i].field, tmp, sizeof tmp);
        bool eq = v && !strcmp(v, it->v[i].value);
        if (it->v[i].neq ? eq : !eq) return false;
    }
    return true;
}

bool rp_rule_matches(const rp_rule *r, const rp_alert *a)
{
    if (r->nmatch_rules) {
        bool any = false;
        for (int i = 0; i < r->nmatch_rules && !any; i++) any = !strcmp(r->match_rules[i], a->rule);
        if (!any) return false;
    }
    if (!prio_ok(r->prio_cmp, r->prio, a->prio)) return false;
    if (r->source && strcmp(r->source, a->source)) return false;
    if (r->ntags) {
        bool any = false;
        for (int i = 0; i < r->ntags && !any; i++) {
            bool all = true;
            for (int j = 0; j < r->tags[i].n && all; j++) all = has_tag(a, r->tags[i].v[j]);
            any = all;
        }
        if (!any) return false;
    }
    if (r->nfields) {
        bool any = false;
        for (int i = 0; i < r->nfields && !any; i++) any = fitem_ok(&r->fields[i], a);
        if (!any) return false;
    }
    return true;
}
