/* What the text and HTML renderers share: how many rows each view shows,
 * number formatting and the summary sentence. */
#ifndef SGC_REPORT_RENDER_COMMON_H
#define SGC_REPORT_RENDER_COMMON_H

#include "report.h"

#include <stddef.h>
#include <stdint.h>

#define SGC_TOP_NODES    20
#define SGC_TOP_RULES    10 /* pie slices; the rest is "Other rules" */
#define SGC_TOP_GROUPS   10 /* images, containers, namespaces */
#define SGC_RECENT_RULES 50 /* rules in the "most recent alerts" table */

/* "1,234,567" (buf >= 32 bytes). */
const char *sgc_rfmt_count(uint64_t n, char *buf, size_t len);
/* "12.3%" of part in whole ("0%" when whole is 0). */
const char *sgc_rfmt_pct(uint64_t part, uint64_t whole, char *buf, size_t len);
/* "2024-05-01 12:00:00" (UTC, no zone letter) */
const char *sgc_rfmt_time(int64_t ns, char *buf, size_t len);
/* How many priorities (of SGC_RPRIO_N) have alerts in c. */
int sgc_rfmt_nprios(const uint64_t *by_prio);
/* Indices of the rule's recent alerts, newest first; their number. */
int sgc_rrule_newest_first(const sgc_rrule *ru, int order[SGC_REPORT_RECENT]);

#endif
