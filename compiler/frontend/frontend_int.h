/* Phases of the front end (frontend.h), one file each. */
#ifndef SGC_FRONTEND_INT_H
#define SGC_FRONTEND_INT_H

#include "ruleset.h"

/* Type check conditions and outputs; findings go to rs->diags. */
void sgc_frontend_typecheck(sgc_ruleset *rs);

#endif
