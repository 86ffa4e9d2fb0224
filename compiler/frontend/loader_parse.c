/* After each file: parse the conditions that this file defined or changed
 * (appends change a condition's text, so parsing waits for the file's end). */
#include "loader_internal.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>

/* Name the item in the diagnostics a parse added. */
static void tag_new(sgc_ruleset *rs, int from, const char *kind, const char *name)
{
    for (int i = from; i < rs->diags.n; i++) {
        if (rs->diags.v[i].item) continue;
        char *s = NULL;
        if (asprintf(&s, "%s '%s'", kind, name) >= 0) rs->diags.v[i].item = s;
    }
}

void sgc_ld_parse_dirty(sgc_ruleset *rs)
{
    for (int i = 0; i < rs->nmacros; i++) {
        sgc_macro *m = rs->macros[i];
        if (!m->dirty) continue;
        m->dirty = false;
        sgc_node_free(m->ast);
        int from = rs->diags.n;
        m->ast = sgc_parse_condition(m->cond_src, NULL, &rs->diags);
        tag_new(rs, from, "macro", m->name);
    }
    for (int i = 0; i < rs->nrules; i++) {
        sgc_rule *r = rs->rules[i];
        if (!r->dirty) continue;
        r->dirty = false;
        sgc_node_free(r->ast);
        sgc_node_free(r->exc_ast);
        r->exc_ast = NULL;
        int from = rs->diags.n;
        r->ast = sgc_parse_condition(r->cond_src, NULL, &rs->diags);
        r->exc_src = sgc_ld_exceptions_source(rs, r);
        if (r->exc_src) r->exc_ast = sgc_parse_condition(r->exc_src, NULL, &rs->diags);
        tag_new(rs, from, "rule", r->name);
    }
}
