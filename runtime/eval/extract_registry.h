/* The extractor of every catalog field, indexed by field id: built from
 * schema/fields.def's EXTRACTOR column (extract_registry.c). */
#ifndef SGC_EXTRACT_REGISTRY_H
#define SGC_EXTRACT_REGISTRY_H

#include "extract.h"
#include "fields.h"

/* Indexed by sgc_field_id; every entry is non-NULL. */
extern const sgc_extractor *const sgc_extractor_registry[SGC_F__COUNT];

#endif
