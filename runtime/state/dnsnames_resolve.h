/* Live name resolution for fd.*ip.name: the names rules compare these
 * fields with are resolved in a background thread (never on the event path)
 * into an sgc_dnsnames table, and re-resolved periodically, as Falco's DNS
 * manager does. Each lookup is bounded by a timeout; a name that does not
 * resolve simply matches no address. */
#ifndef SGC_DNSNAMES_RESOLVE_H
#define SGC_DNSNAMES_RESOLVE_H

#include "dnsnames.h"
#include "ruleset.h"

/* The distinct names the enabled rules compare fd.cip.name, fd.sip.name,
 * fd.lip.name or fd.rip.name with (=, !=, in). Returns the count (0: none)
 * and a malloc'd array of malloc'd strings in *names; -1 when out of memory. */
int sgc_dns_rule_names(const sgc_ruleset *rs, char ***names);
void sgc_dns_names_free(char **names, int n);

typedef struct sgc_dns_resolver sgc_dns_resolver;

/* Start resolving `names` (copied) into d: at once, then every refresh_s
 * seconds; each lookup gives up after timeout_ms. NULL when no thread could
 * be started (or n is 0). */
sgc_dns_resolver *sgc_dns_resolver_start(sgc_dnsnames *d, char *const *names, int n,
                                         unsigned refresh_s, unsigned timeout_ms);
/* Stop and join (a lookup in flight is cancelled within 0.1 s, unless glibc
 * cannot cancel it: then its own resolver timeout bounds the wait). NULL is
 * fine. */
void sgc_dns_resolver_stop(sgc_dns_resolver *r);
/* Completed rounds over all names (for tests). */
unsigned sgc_dns_resolver_rounds(sgc_dns_resolver *r);

#endif
