#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sgc_lint_ruleset(const sgc_ruleset *rs, sgc_diags *d) {
    sgc_lint_unused(rs, d);
    sgc_lint_shadowed(rs, d);
    sgc_lint_duplicate_items(rs, d);
    sgc_lint_na_checks(rs, d);
    sgc_lint_conditions(rs, d);
}

const char *sgc_lint_item_name(char *buf, size_t size, const char *kind, const char *name) {
    snprintf(buf, size, "%s '%s'", kind, name);
    return buf;
}

void sgc_lint_add_at_pos(sgc_diags *d, const char *code, sgc_pos pos, const char *item,
                         const char *fmt, ...) {
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    sgc_diag_add(d, SGC_SEV_WARNING, code, pos.file, pos.line, pos.col, "%s", msg ? msg : fmt);
    sgc_diag_set_item(d, item);
    free(msg);
}

sgc_loc sgc_lint_rule_cond_loc(const sgc_rule *r) {
    sgc_loc loc = {r->cond_src, 0};
    if (!r->cond_src) return loc;
    while (loc.off < r->cond_src->len && strchr(" \t\r\n", r->cond_src->text[loc.off])) loc.off++;
    return loc;
}

bool sgc_lint_rule_is_checked(const sgc_rule *r) {
    return !r->unknown_source && (!r->source || !strcmp(r->source, "syscall"));
}
