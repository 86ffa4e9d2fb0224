/* Whether a playbook rule's match applies to an alert (Talon's semantics):
 * every criterion given must hold; rules: any name equal; priority: the
 * comparison against the alert's (">=Warning": Warning or more severe);
 * tags: any item whose tags the alert all has; output_fields: any item
 * whose conditions all hold ("k=v": present and equal as text; "k!=v":
 * absent or different); source: equal. */
#ifndef SGC_RP_MATCH_H
#define SGC_RP_MATCH_H

#include "rp_alert.h"
#include "playbook.h"

bool rp_rule_matches(const rp_rule *r, const rp_alert *a);

#endif
