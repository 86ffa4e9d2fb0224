/* A Falco alert as the responder receives it: the JSON Falco's json_output,
 * http_output and falcosidekick send ({"hostname","output","output_fields",
 * "priority","rule","source","tags","time"}, and falcosidekick's "uuid").
 *
 * Each alert gets an id: sgc's own ("sgc.alert.id" in output_fields, see
 * docs/response.md), else falcosidekick's "uuid", else the sha256 of the
 * body. The dedup key is the hash of what makes two alerts "identical":
 * rule, priority, source, hostname and output_fields without the time
 * fields and the id. */
#ifndef SGC_RP_ALERT_H
#define SGC_RP_ALERT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RP_ALERT_ID_FIELD  "sgc.alert.id"
#define RP_ALERT_MAX_BYTES (1u << 20) /* a bigger body is refused */

typedef struct rp_alert {
    json_t *root;
    const char *rule, *source, *hostname;
    int prio;       /* sgc_priority */
    json_t *tags;   /* array or NULL */
    json_t *fields; /* output_fields object or NULL */
    char id[80];
    char dedup_key[65];
} rp_alert;

/* Parse one alert; false with a one-line reason when it is not one (not JSON,
 * not an object, no string "rule", no valid "priority", wrong types). */
bool rp_alert_parse(const char *buf, size_t len, rp_alert *a, char *err, size_t errlen);
void rp_alert_free(rp_alert *a);

/* An output field's value as text (numbers printed, null as "<NA>"); NULL
 * when the alert has no such field. tmp holds printed numbers. */
const char *rp_alert_field(const rp_alert *a, const char *field, char *tmp, size_t tmplen);
/* The integer value of a field (a number, or a string of digits); false when
 * absent or not an integer. */
bool rp_alert_field_int(const rp_alert *a, const char *field, long long *out);

#endif
