/* The list of per-class extractor tables (extract_registry.c). */
#ifndef SGC_EXTRACT_REGISTRY_H
#define SGC_EXTRACT_REGISTRY_H

#include "extract.h"

/* NULL-terminated. */
extern const sgc_extractor *const sgc_extractor_tables[];

#endif
