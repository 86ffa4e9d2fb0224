/* A set of strings with a timestamp each: the responder's handled alert ids
 * and its deduplication window. Bounded: past max entries the oldest are
 * dropped. Not thread-safe (the responder holds its lock). */
#ifndef SGC_RP_IDSET_H
#define SGC_RP_IDSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rp_idset rp_idset;

rp_idset *rp_idset_new(size_t max);
void rp_idset_free(rp_idset *s);
/* The time stored for key, or false when absent. */
bool rp_idset_get(rp_idset *s, const char *key, double *t);
/* Insert or update key's time. */
void rp_idset_put(rp_idset *s, const char *key, double t);
size_t rp_idset_size(const rp_idset *s);

#endif
