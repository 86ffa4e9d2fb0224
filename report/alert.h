/* One alert line of Falco's (and sgc's) JSON output, parsed for the report:
 * {"time": RFC 3339, "rule", "priority", "source", "hostname", "output",
 *  "output_fields": {...}, "tags": [...]} (docs/outputs.md).
 *
 * The parser is a validating, allocation-free JSON scanner (a line is parsed
 * in ~1 us, against ~10 us building a jansson tree): it accepts exactly the
 * JSON objects jansson accepts (strict RFC 8259, UTF-8 checked, \u0000 in
 * strings allowed but not in keys, integers within int64, finite reals,
 * depth <= 2048; the fuzzer tests/fuzz/fuzz_report.c holds it to that) and
 * extracts only what the report groups by. Duplicate keys: the last wins. */
#ifndef SGC_REPORT_ALERT_H
#define SGC_REPORT_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Falco's priorities, most severe first; SGC_RPRIO_UNKNOWN for other text. */
enum {
    SGC_RPRIO_EMERGENCY,
    SGC_RPRIO_ALERT,
    SGC_RPRIO_CRITICAL,
    SGC_RPRIO_ERROR,
    SGC_RPRIO_WARNING,
    SGC_RPRIO_NOTICE,
    SGC_RPRIO_INFORMATIONAL,
    SGC_RPRIO_DEBUG,
    SGC_RPRIO_UNKNOWN,
    SGC_RPRIO_N
};

/* "Emergency" ... "Debug", "Unknown". */
const char *sgc_rprio_name(int prio);
/* Case-insensitive Falco spelling ("info" accepted); SGC_RPRIO_UNKNOWN otherwise. */
int sgc_rprio_parse(const char *s, size_t n);

typedef struct sgc_rstr {
    const char *p; /* NULL when absent (or not a string); not NUL-terminated */
    size_t n;
} sgc_rstr;

typedef struct sgc_alert {
    int64_t time_ns; /* "time", else output_fields evt.time / evt.time.iso8601;
                             1970..2199, else the line is not an alert */
    int prio;        /* SGC_RPRIO_* ("priority"; absent = unknown) */
    sgc_rstr rule, hostname, source, output, time;
    sgc_rstr image;     /* container.image, else repository[:tag]; absent on the host */
    sgc_rstr container; /* container.name (absent on the host) */
    sgc_rstr k8s_ns;    /* k8s.ns.name */
    /* output_fields as found (absent when missing or not strings) */
    sgc_rstr of_cid, of_cname, of_image, of_repo, of_tag, of_ns, of_time_iso;
    bool of_time_set;
    int64_t of_time;
    /* decoded strings (escapes) live here; reused from line to line */
    char *scratch;
    size_t scratch_cap, scratch_len;
    char image_buf[512];
} sgc_alert;

enum { SGC_ALERT_OK = 0, SGC_ALERT_SYNTAX = -1, SGC_ALERT_NOT_ALERT = -2 };

void sgc_alert_init(sgc_alert *a);
void sgc_alert_free(sgc_alert *a);
/* Parse line[0..len) (no newline). SGC_ALERT_OK; SGC_ALERT_SYNTAX when it
 * is not a JSON object; SGC_ALERT_NOT_ALERT when it is one but has no "rule"
 * string or no valid time. The reason is in err. The strings point into line
 * or a's scratch, valid until the next parse. */
int sgc_alert_parse(sgc_alert *a, const char *line, size_t len, char *err, size_t errlen);

#endif
