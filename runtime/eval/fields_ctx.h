/* The extractor tables of the process-context field classes (proc.*,
 * thread.*, user.*, group.*, container.*, k8s.*), for extract_registry.c. */
#ifndef SGC_FIELDS_CTX_H
#define SGC_FIELDS_CTX_H

#include "extract.h"

extern const sgc_extractor sgc_extractors_proc[];      /* proc.*, thread.* */
extern const sgc_extractor sgc_extractors_user[];      /* user.*, group.* */
extern const sgc_extractor sgc_extractors_container[]; /* container.*, k8s.* */

/* uid -> name for the event's process (its container's accounts); NULL when
 * unknown. Suitable as sgc_extract_ctx.user_name. */
const char *sgc_ctx_user_name(sgc_extract_ctx *cx, uint32_t uid);

#endif
