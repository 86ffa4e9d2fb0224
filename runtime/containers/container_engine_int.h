/* Internals shared by the container engine's files. */
#ifndef SGC_CONTAINER_ENGINE_INT_H
#define SGC_CONTAINER_ENGINE_INT_H

#include "container_engine.h"

/* One socket's answer about full_id. *timed_out tells a hung runtime from
 * an absent one (the worker stops asking a hung one for a while). */
sgc_container_lookup sgc_container_engine_lookup_socket(const char *socket, const char *full_id,
                                                        int timeout_ms, size_t max_response,
                                                        sgc_containers *into, bool *timed_out,
                                                        char *err, size_t errlen);

#endif
