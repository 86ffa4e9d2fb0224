/* Compiled outputs of a whole rule set, looked up by rule index. */
#include "output.h"

#include <stdlib.h>
#include <string.h>

int sgc_rule_outputs_build(sgc_rule_outputs *ro, const sgc_ruleset *rs, sgc_diags *diags)
{
    int errors = 0;
    ro->n = rs->nrules;
    ro->by_index = calloc((size_t)rs->nrules + 1, sizeof *ro->by_index);
    if (!ro->by_index) return -1;
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!r->enabled || !r->output_src || r->index < 0 || r->index >= ro->n) continue;
        char err[256];
        sgc_output_format *f = sgc_output_format_compile(r->output_src->text, err, sizeof err);
        if (!f) {
            /* keep the template as literal text, so the alert still says something */
            errors++;
            if (diags) {
                sgc_diag_add(diags, SGC_SEV_ERROR, "SGC_OUTPUT_COMPILE", r->pos.file, r->pos.line,
                             r->pos.col, "%s", err);
                sgc_diag_set_item(diags, r->name);
            }
            continue;
        }
        ro->by_index[r->index] = f;
    }
    return errors;
}

void sgc_rule_outputs_free(sgc_rule_outputs *ro)
{
    for (int i = 0; i < ro->n; i++) sgc_output_format_free(ro->by_index[i]);
    free(ro->by_index);
    ro->by_index = NULL;
    ro->n = 0;
}

sgc_alert sgc_rule_outputs_alert(const sgc_rule_outputs *ro, const sgc_rule *r)
{
    const sgc_output_format *f =
        (r->index >= 0 && r->index < ro->n) ? ro->by_index[r->index] : NULL;
    return sgc_alert_of_rule(r, f);
}
