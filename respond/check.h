/* `sgc respond --check`: what the playbooks say against the detection rules
 * they respond to: a match on a rule name that no loaded rules file defines
 * (error), an action needing an output field (proc.pid, container.id, ...)
 * that a matched rule does not output (error), an output_fields condition
 * on a field a matched rule does not output (warning: it can never be
 * equal). */
#ifndef SGC_RP_CHECK_H
#define SGC_RP_CHECK_H

#include "playbook.h"
#include "ruleset.h"

/* Adds diagnostics to pb->diags; returns the number of errors added. */
int rp_playbook_check(rp_playbook *pb, const sgc_ruleset *rs);

#endif
