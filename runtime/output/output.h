/* Alerts: rendering a matched rule's output the way Falco prints it, and
 * writing it to stdout and/or a file.
 *
 * Text (one line):
 *   12:34:56.123456789: Warning Sensitive file opened (user=root ...)
 * time of day in local time (evt.time), or with time_iso8601 the UTC
 * evt.time.iso8601 form; then the priority and the rendered output.
 *
 * JSON (one object per line, keys in Falco's order):
 *   {"hostname":H,"output":TEXT-LINE,"output_fields":{...},"priority":P,
 *    "rule":R,"source":S,"tags":[...sorted],"time":"2024-05-01T12:00:00.123456789Z"}
 * output_fields has every %field of the output by its written name, plus
 * evt.time (ns since the epoch); numbers are JSON numbers, booleans JSON
 * booleans, <NA> is null, everything else a string.
 *
 * docs/outputs.md describes the options. */
#ifndef SGC_OUTPUT_H
#define SGC_OUTPUT_H

#include "extract.h"
#include "ruleset.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The output field carrying each JSON alert's stable id (sgc respond's
 * deduplication and exactly-once handling key on it). */
#define SGC_ALERT_ID_FIELD    "sgc.alert.id"
#define SGC_ENFORCEMENT_FIELD "sgc.enforcement"

typedef struct sgc_output_format sgc_output_format;

/* append_output (Falco 0.44), one entry, its templates compiled: for the
 * alerts of the rules it matches (source, every one of tags, rule name;
 * NULL/0: any), extra_output is rendered after the output, separated by a
 * space (its fields join output_fields, as the rule's own), and each extra
 * field is added to output_fields: with a format, the rendered text as a
 * string; without one (fields[i].format NULL), the field named by the key
 * with its typed value. Extra fields do not change the text line. */
typedef struct sgc_output_extra_field {
    const char *key;
    const sgc_output_format *format; /* NULL: the field `key` itself, raw */
    const sgc_output_format *raw;    /* the compiled "%key" of a raw field */
} sgc_output_extra_field;

typedef struct sgc_output_append {
    const char *source, *rule;
    const char *const *tags;
    int ntags;
    const sgc_output_format *extra_output; /* NULL: none */
    const sgc_output_extra_field *fields;
    int nfields;
} sgc_output_append;

typedef struct sgc_output_config {
    bool json;                /* JSON lines instead of text */
    bool time_iso8601;        /* text prefix in ISO 8601 (UTC) */
    int min_priority;         /* SGC_PRI_*: less severe alerts are dropped (default: debug) */
    const char *hostname;     /* NULL: this machine's name */
    bool to_stdout;           /* default true */
    const char *file;         /* also append alerts here (NULL: no file) */
    bool file_keep_alive;     /* keep the file open between alerts (else reopen each time) */
    bool json_include_output; /* Falco's json_include_output_property (default true) */
    bool json_include_tags;   /* json_include_tags_property (default true) */
    bool json_include_output_fields; /* default true */
    bool json_include_message;       /* json_include_message_property: "message" = the
                                        output without time and priority (default false) */
    /* static_fields: added to output_fields as strings (sorted with them) */
    const char *const *static_keys;
    const char *const *static_values;
    int nstatic;
    /* append_output entries, in order */
    const sgc_output_append *append;
    int nappend;
    /* The output engine (runtime/output/outq.h): when set, alerts are
     * rendered once and queued for its outputs instead of being written
     * here (to_stdout and file are then ignored). */
    struct sgc_outq *queue;
    /* called for each alert emitted (at or above min_priority), on the
     * emitting thread (sgc run counts alerts by rule for /metrics) */
    void (*on_alert)(void *ud, const char *rule, int priority);
    void *on_alert_ud;
} sgc_output_config;

void sgc_output_config_defaults(sgc_output_config *c);

/* A growable string. */
typedef struct sgc_strbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sgc_strbuf;

void sgc_strbuf_put(sgc_strbuf *b, const char *s, size_t n);
void sgc_strbuf_puts(sgc_strbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void sgc_strbuf_printf(sgc_strbuf *b, const char *fmt, ...);
void sgc_strbuf_free(sgc_strbuf *b);
/* A JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD. */
void sgc_strbuf_json_str(sgc_strbuf *b, const char *s, size_t n);

/* A rule's output template, compiled once: literal text and field
 * references (extractors resolved). Declared above. */

/* NULL with a message in err when the template does not parse or names a
 * field without an extractor. */
sgc_output_format *sgc_output_format_compile(const char *tmpl, char *err, size_t errlen);
void sgc_output_format_free(sgc_output_format *f);

/* What an alert is about. */
typedef struct sgc_alert {
    const char *rule;
    sgc_priority priority;
    const char *source; /* "syscall" */
    const char *const *tags;
    int ntags;
    const sgc_output_format *fmt;
    const char *raw_output;  /* printed as is when fmt is NULL */
    const char *enforcement; /* sgc run --enforce: what was done (NULL/"" none);
                                      * output_fields["sgc.enforcement"], and appended to
                                      * the text line */
} sgc_alert;

/* The alert from a loaded rule (fmt compiled separately). */
sgc_alert sgc_alert_of_rule(const sgc_rule *r, const sgc_output_format *fmt);

/* Render one alert (no trailing newline) into out, appending. The event is
 * cx's; cx->scratch holds temporary renderings. */
void sgc_alert_render(const sgc_output_config *cfg, const char *hostname, const sgc_alert *a,
                      sgc_extract_ctx *cx, sgc_strbuf *out);

/* Does an append_output entry apply to this alert? */
bool sgc_output_append_matches(const sgc_output_append *ap, const sgc_alert *a);

/* Render only the output template, as Falco's "output" message part. */
void sgc_output_format_render(const sgc_output_format *f, sgc_extract_ctx *cx, sgc_strbuf *out);

/* Every rule's compiled output, by rule index (sgc_rule.index). A template
 * that does not compile is reported in diags (SGC_OUTPUT_COMPILE, an error)
 * and that rule's alerts print its output text as written. */
typedef struct sgc_rule_outputs {
    sgc_output_format **by_index;
    int n;
} sgc_rule_outputs;

int sgc_rule_outputs_build(sgc_rule_outputs *ro, const sgc_ruleset *rs, sgc_diags *diags);
void sgc_rule_outputs_free(sgc_rule_outputs *ro);
/* The alert for a matched rule. */
sgc_alert sgc_rule_outputs_alert(const sgc_rule_outputs *ro, const sgc_rule *r);

/* ---- sinks ----------------------------------------------------------------- */

typedef struct sgc_outputs sgc_outputs;

typedef struct sgc_output_stats {
    unsigned long long emitted, filtered, write_errors;
} sgc_output_stats;

/* NULL with a message when the file cannot be opened. */
sgc_outputs *sgc_outputs_open(const sgc_output_config *cfg, char *err, size_t errlen);
/* Is an alert of this priority at or above the minimum? */
bool sgc_outputs_wants(const sgc_outputs *o, sgc_priority p);
/* Render and write one alert (dropped silently, and counted, when below the
 * minimum priority). Returns 0, or -1 when a write failed. */
int sgc_outputs_emit(sgc_outputs *o, const sgc_alert *a, sgc_extract_ctx *cx);
void sgc_outputs_get_stats(const sgc_outputs *o, sgc_output_stats *st);
void sgc_outputs_close(sgc_outputs *o);
/* Direct stdout writes elsewhere (tests): NULL restores stdout. */
void sgc_outputs_set_stream(sgc_outputs *o, FILE *f);

#endif
