/* Every field class's extractor table. A new class adds its table here. */
#include "extract_registry.h"
#include "fields_ctx.h"

const sgc_extractor *const sgc_extractor_tables[] = {
    sgc_extractors_evt,
    sgc_extractors_fd,
    sgc_extractors_proc,
    sgc_extractors_user,
    sgc_extractors_container,
    NULL,
};
