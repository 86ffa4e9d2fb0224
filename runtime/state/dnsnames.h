/* What names resolve to which addresses, for fd.cip.name, fd.sip.name,
 * fd.lip.name and fd.rip.name.
 *
 * Falco does not reverse-resolve addresses: its DNS manager resolves the
 * names a rule compares these fields with, and `fd.sip.name = N` holds when
 * the server address is one of N's addresses. This table holds the same
 * knowledge, name -> addresses, looked up by address. Live, a background
 * resolver fills it from the rules' names (dnsnames_resolve.h); in replay,
 * the event file's header states it ("dns", docs/event-format.md).
 *
 * Thread-safe: the resolver thread writes while the evaluator reads. */
#ifndef SGC_DNSNAMES_H
#define SGC_DNSNAMES_H

#include "arena.h"
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_dnsnames sgc_dnsnames;

typedef struct sgc_dns_addr {
    int family; /* AF_INET (addr[0..3]) or AF_INET6 */
    uint8_t addr[16];
} sgc_dns_addr;

sgc_dnsnames *sgc_dnsnames_new(void);
void sgc_dnsnames_free(sgc_dnsnames *d);

/* NAME now resolves to exactly these addresses (a fresh resolution replaces
 * the previous one). Returns 0, -1 when out of memory. */
int sgc_dnsnames_set(sgc_dnsnames *d, const char *name, const sgc_dns_addr *addrs, int n);

/* The names that resolve to an address (in table order),
 * copied into the arena: returns how many (0: none), with their strings and
 * lengths in names and lens. */
int sgc_dnsnames_names_of(sgc_dnsnames *d, int family, const uint8_t addr[16], sgc_arena *a,
                          const char ***names, size_t **lens);

/* Visit every (name, address) pair, a name's pairs together, in table
 * order (under the table's read lock: fn must not call back into it). */
void sgc_dnsnames_foreach(sgc_dnsnames *d,
                          void (*fn)(const char *name, const sgc_dns_addr *a, void *ud), void *ud);

/* Number of (name, address) pairs held. */
size_t sgc_dnsnames_size(sgc_dnsnames *d);

#endif
