/* sgc's internal alerts (source "internal"): conditions of sgc itself that
 * the people reading alerts must see, sent like rule alerts to every
 * output: "sgc internal: output loss", "sgc internal: reload failed", ...
 *
 *   text:  12:34:56.123456789: Critical RULE. WHAT
 *   JSON:  {"hostname":..,"output":..,"output_fields":{"evt.time":..,FIELDS},
 *           "priority":..,"rule":..,"source":"internal","tags":[],"time":..}
 * (keys sorted, as the rule alerts; output, output_fields and tags as the
 * json_include_* keys say). */
#ifndef SGC_OUTPUT_INTERNAL_ALERT_H
#define SGC_OUTPUT_INTERNAL_ALERT_H

#include "output.h"

#include <stdint.h>

/* Render one internal alert (json or text) at now_wall_ns. fields: extra
 * output_fields members, each ",\"key\":value" (NULL: none). */
void sgc_internal_alert_render(const sgc_output_config *cfg, bool json, const char *hostname,
                               int64_t now_wall_ns, int priority, const char *rule,
                               const char *what, const char *fields, sgc_strbuf *out);

/* Queue it to cfg->queue's outputs (text and, when an output wants it,
 * JSON), or without a queue write it to cfg's stdout and file (one flushed
 * line, appended); nothing when less severe than cfg->min_priority. 0, or
 * -1 when it could not be rendered (memory) or written. */
int sgc_internal_alert_emit(const sgc_output_config *cfg, int priority, const char *rule,
                            const char *what, const char *fields);

#endif
