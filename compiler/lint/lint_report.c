/* What the lint checks share: naming the item a finding is about, adding a
 * finding at a position, and which rules the syscall checks look at. */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sgc_lint_item_name(char *buf, size_t size, const char *kind, const char *name)
{
    snprintf(buf, size, "%s '%s'", kind, name);
    return buf;
}

void sgc_lint_add_at_pos(sgc_diags *d, const char *code, sgc_pos pos, const char *item,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sgc_diag_vadd(d, SGC_SEV_WARNING, code, pos.file, pos.line, pos.col, fmt, ap);
    va_end(ap);
    sgc_diag_set_item(d, item);
}

bool sgc_lint_rule_is_checked(const sgc_rule *r) { return !r->unknown_source; }
