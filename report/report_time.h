/* Times and durations for `sgc report`: RFC 3339 alert times to nanoseconds
 * since the epoch, the --since/--until/--interval option values, and UTC
 * formatting. Pure functions, no locale, no time zone database. */
#ifndef SGC_REPORT_TIME_H
#define SGC_REPORT_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SGC_NS_PER_S INT64_C(1000000000)

/* An RFC 3339 / ISO 8601 time "YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+hh:mm|-hh:mm]"
 * (no zone = UTC) in s[0..n) to ns since the epoch. Years 1678..2261 (the
 * int64 range). False on anything else, trailing text included. */
bool sgc_rtime_parse_iso(const char *s, size_t n, int64_t *ns);

/* A duration "90s", "1m", "1h30m", "2d", "500ms" (units ns us ms s m h d,
 * summed left to right) to ns; false when empty, unitless, zero or overflowing. */
bool sgc_rtime_parse_duration(const char *s, int64_t *ns);

/* A --since/--until value: an ISO time as above, "@SECONDS" since the epoch,
 * "now", or "-DURATION" (that long before now_ns). False with a message in
 * err when the value is none of these. */
bool sgc_rtime_parse_point(const char *s, int64_t now_ns, int64_t *ns, char *err, size_t errlen);

/* "2024-05-01T12:00:00Z" (with ".123456789" when with_ns and the time has a
 * fraction); buf needs 40 bytes. */
void sgc_rtime_format(int64_t ns, bool with_ns, char *buf, size_t len);

/* A duration as people write it: "1m", "1h 30m", "2d 3h", "45s", "250ms". */
void sgc_rtime_format_duration(int64_t ns, char *buf, size_t len);

/* Floor division (buckets of negative times go down, not toward zero). */
int64_t sgc_rtime_floor_div(int64_t a, int64_t b);

#endif
