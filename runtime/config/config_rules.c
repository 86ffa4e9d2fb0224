/* The `rules:` section applied to a loaded rule set (Falco's semantics):
 * items in order, each enabling or disabling the rules whose name matches
 * its glob (fnmatch) or that carry its tag. */
#include "config.h"
#include "ruleset.h"

#include <fnmatch.h>
#include <string.h>

static bool selects(const sgc_cfg_rule_sel *s, const sgc_rule *r)
{
    if (s->rule && fnmatch(s->rule, r->name, 0) == 0) return true;
    for (int t = 0; s->tag && t < r->ntags; t++)
        if (!strcmp(r->tags[t], s->tag)) return true;
    return false;
}

int sgc_config_select_rules(const sgc_conf *c, sgc_ruleset *rs)
{
    int changed = 0;
    for (int i = 0; i < c->nrules; i++) {
        for (int k = 0; k < rs->nrules; k++) {
            sgc_rule *r = rs->rules[k];
            /* a rule the front end skipped (unknown source or field) stays off */
            if (!selects(&c->rules[i], r) || (c->rules[i].enable && !r->resolved)) continue;
            changed += r->enabled != c->rules[i].enable;
            r->enabled = c->rules[i].enable;
        }
    }
    return changed;
}
