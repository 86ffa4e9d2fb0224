/* The artifact's LISTS section (format 4): the named lists the conditions
 * use whole, in binary, so that reading a 100,000-item list costs its bytes
 * and an offset an item, not a JSON value each (issue 18). Internal to the
 * artifact writer and reader; docs/artifact.md has the layout. */
#ifndef SGC_ARTIFACT_LISTS_H
#define SGC_ARTIFACT_LISTS_H

#include "artifact.h"
#include "artifact_bytes.h"

/* Append the section's bytes for a->lists (built or read form). */
void sgc_artifact_put_lists(sgc_obuf *b, const sgc_artifact *a);

/* Parse the section into a->lists (read form: packed items). 0, or -1 with
 * a message ("artifact corrupt: ..."); what was parsed is freed with a. */
int sgc_artifact_parse_lists(sgc_artifact *a, const uint8_t *p, size_t len, char *err,
                             size_t errlen);

#endif
