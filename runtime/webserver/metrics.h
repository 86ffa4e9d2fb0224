/* Prometheus metrics of `sgc run` (text format 0.0.4), rendered from a
 * snapshot of the detection thread's counters. Names (docs/metrics.md):
 *   sgc_kernel_events_seen_total, _filtered_total, _passed_total,
 *   sgc_kernel_events_lost_total{reason}, sgc_kernel_records_truncated_total
 *   sgc_ringbuf_used_bytes, sgc_ringbuf_size_bytes
 *   sgc_events_received_total{syscall}   records that reached userspace
 *   sgc_decode_errors_total, sgc_events_evaluated_total
 *   sgc_alerts_total{rule,priority}, sgc_drop_alerts_total
 *   sgc_output_sent_total{output}, _failed_total, _retried_total,
 *   _dropped_total, sgc_output_queue_depth{output}
 *   sgc_proctable_entries, sgc_container_cache_entries
 *   sgc_reloads_total{result}, sgc_last_reload_timestamp_seconds
 *   sgc_loaded_file_info{kind,path,sha256}
 *   sgc_process_cpu_seconds_total, sgc_process_resident_memory_bytes,
 *   sgc_process_start_time_seconds, sgc_build_info{version} */
#ifndef SGC_WEBSERVER_METRICS_H
#define SGC_WEBSERVER_METRICS_H

#include "bpf_loader.h"
#include "output.h"
#include "outq.h"
#include "proctable.h"
#include <stdint.h>

typedef struct sgc_metrics_alert {
    const char *rule;
    int priority;
    uint64_t n;
} sgc_metrics_alert;

typedef struct sgc_metrics_file {
    const char *kind; /* "rules" or "config" */
    const char *path;
    char sha256[65];
} sgc_metrics_file;

typedef struct sgc_metrics_input {
    struct sgc_bpf_counters kernel;
    uint64_t ringbuf_used, ringbuf_size; /* ring buffer fill; size 0: not known */
    uint64_t records, decode_errors, evaluated, drop_alerts;
    const uint64_t *by_syscall; /* records per syscall number */
    int nsyscalls;
    const sgc_metrics_alert *alerts;
    int nalerts;
    sgc_outq *q; /* may be NULL */
    sgc_proctable_stats pt;
    int containers;
    uint64_t reloads_ok, reloads_failed;
    double last_reload_s; /* epoch seconds, 0: never */
    double start_s;       /* epoch seconds */
    const sgc_metrics_file *files;
    int nfiles;
} sgc_metrics_input;

void sgc_metrics_render(const sgc_metrics_input *in, sgc_strbuf *out);

/* hex SHA-256 of a file; -1 when it cannot be read */
int sgc_metrics_file_sha256(const char *path, char out[65]);

#endif
