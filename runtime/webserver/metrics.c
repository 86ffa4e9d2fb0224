/* See metrics.h. */
#include "metrics.h"

#include "sha256.h"
#include "systables.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void family(sgc_strbuf *b, const char *name, const char *type, const char *help)
{
    sgc_strbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* a label value: \ " and newline escaped */
static void label(sgc_strbuf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            sgc_strbuf_printf(b, "\\%c", *v);
        else if (*v == '\n')
            sgc_strbuf_puts(b, "\\n");
        else
            sgc_strbuf_put(b, v, 1);
    }
}

static void counter(sgc_strbuf *b, const char *name, const char *help, uint64_t v)
{
    family(b, name, "counter", help);
    sgc_strbuf_printf(b, "%s %" PRIu64 "\n", name, v);
}

static void gauge(sgc_strbuf *b, const char *name, const char *help, double v)
{
    family(b, name, "gauge", help);
    sgc_strbuf_printf(b, "%s %.17g\n", name, v);
}

static void kernel(const sgc_metrics_input *in, sgc_strbuf *b)
{
    counter(b, "sgc_kernel_events_seen_total", "Events of watched syscalls that reached a hook.",
            in->kernel.seen);
    counter(b, "sgc_kernel_events_filtered_total", "Events dropped by the kernel filter.",
            in->kernel.filtered);
    counter(b, "sgc_kernel_events_passed_total",
            "Syscall event records written to the ring buffer.", in->kernel.passed);
    counter(b, "sgc_kernel_lifecycle_seen_total",
            "Process exec/fork/exit lifecycle hooks that fired (not in events_seen).",
            in->kernel.lc_seen);
    counter(b, "sgc_kernel_lifecycle_passed_total",
            "Process lifecycle records written to the ring buffer (not in events_passed).",
            in->kernel.lc_passed);
    counter(b, "sgc_kernel_exec_no_rule_total",
            "Exec records the kernel filter found no rule for (in lifecycle_passed).",
            in->kernel.exec_no_rule);
    family(b, "sgc_kernel_events_lost_total", "counter", "Records lost in the kernel, by reason.");
    sgc_strbuf_printf(b, "sgc_kernel_events_lost_total{reason=\"ring_buffer_full\"} %" PRIu64 "\n",
                      in->kernel.rb_fail);
    sgc_strbuf_printf(b, "sgc_kernel_events_lost_total{reason=\"no_scratch\"} %" PRIu64 "\n",
                      in->kernel.no_scratch);
    counter(b, "sgc_kernel_records_truncated_total", "Records whose data was cut.",
            in->kernel.too_big);
    if (in->ringbuf_size) {
        gauge(b, "sgc_ringbuf_used_bytes", "Ring buffer bytes written and not yet read.",
              (double)in->ringbuf_used);
        gauge(b, "sgc_ringbuf_size_bytes", "Ring buffer size.", (double)in->ringbuf_size);
    }
    family(b, "sgc_events_received_total", "counter",
           "Records that reached userspace, by syscall.");
    for (int i = 0; i < in->nsyscalls; i++) {
        if (!in->by_syscall[i]) continue;
        const char *name = sgc_syscall_name(i);
        sgc_strbuf_puts(b, "sgc_events_received_total{syscall=\"");
        if (name)
            label(b, name);
        else
            sgc_strbuf_printf(b, "%d", i);
        sgc_strbuf_printf(b, "\"} %" PRIu64 "\n", in->by_syscall[i]);
    }
    counter(b, "sgc_decode_errors_total", "Records that could not be decoded.", in->decode_errors);
    counter(b, "sgc_events_evaluated_total", "Events evaluated against the rules.", in->evaluated);
}

static void alerts(const sgc_metrics_input *in, sgc_strbuf *b)
{
    family(b, "sgc_alerts_total", "counter", "Alerts raised, by rule and priority.");
    for (int i = 0; i < in->nalerts; i++) {
        sgc_strbuf_puts(b, "sgc_alerts_total{rule=\"");
        label(b, in->alerts[i].rule);
        sgc_strbuf_printf(b, "\",priority=\"%s\"} %" PRIu64 "\n",
                          sgc_priority_name((sgc_priority)in->alerts[i].priority), in->alerts[i].n);
    }
    counter(b, "sgc_drop_alerts_total", "Internal alerts about lost events.", in->drop_alerts);
}

static void outputs(const sgc_metrics_input *in, sgc_strbuf *b)
{
    static const struct {
        const char *name, *type, *help;
    } fams[] = {
        {"sgc_output_sent_total", "counter", "Alerts delivered, by output."},
        {"sgc_output_failed_total", "counter", "Alerts not delivered after retries, by output."},
        {"sgc_output_retried_total", "counter", "Delivery retries, by output."},
        {"sgc_output_dropped_total", "counter",
         "Alerts dropped from a full queue or at exit, by output."},
        {"sgc_output_queue_depth", "gauge", "Alerts queued for an output."},
    };
    int n = in->q ? sgc_outq_count(in->q) : 0;
    sgc_outq_stats st[SGC_OUTQ_MAX_OUTPUTS];
    for (int i = 0; i < n; i++) sgc_outq_get_stats(in->q, i, &st[i]);
    for (size_t f = 0; f < sizeof fams / sizeof *fams; f++) {
        family(b, fams[f].name, fams[f].type, fams[f].help);
        for (int i = 0; i < n; i++) {
            uint64_t v = f == 0   ? st[i].sent
                         : f == 1 ? st[i].failed
                         : f == 2 ? st[i].retried
                         : f == 3 ? st[i].dropped
                                  : st[i].depth;
            sgc_strbuf_printf(b, "%s{output=\"%s\"} %" PRIu64 "\n", fams[f].name, st[i].name, v);
        }
    }
}

/* CPU seconds and RSS bytes of this process, from /proc/self */
static void process(const sgc_metrics_input *in, sgc_strbuf *b)
{
    double cpu = 0, rss = 0;
    long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/stat", "r");
    if (f) {
        char buf[1024];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = 0;
        const char *p = strrchr(buf, ')');
        unsigned long ut = 0, st = 0;
        long rsspages = 0;
        /* after "pid (comm)": state ppid pgrp session tty tpgid flags minflt
         * cminflt majflt cmajflt utime stime cutime cstime priority nice
         * threads itrealvalue starttime vsize rss */
        if (p && sscanf(p + 2,
                        "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d "
                        "%*d %*d %*d %*u %*u %ld",
                        &ut, &st, &rsspages) == 3) {
            cpu = (double)(ut + st) / (double)tick;
            rss = (double)rsspages * (double)page;
        }
        fclose(f);
    }
    family(b, "sgc_process_cpu_seconds_total", "counter", "User and system CPU time of sgc.");
    sgc_strbuf_printf(b, "sgc_process_cpu_seconds_total %.3f\n", cpu);
    gauge(b, "sgc_process_resident_memory_bytes", "Resident memory of sgc.", rss);
    gauge(b, "sgc_process_start_time_seconds", "When sgc started (epoch seconds).", in->start_s);
}

void sgc_metrics_render(const sgc_metrics_input *in, sgc_strbuf *b)
{
    family(b, "sgc_build_info", "gauge", "The sgc version.");
    sgc_strbuf_printf(b, "sgc_build_info{version=\"%s\"} 1\n", SGC_VERSION);
    kernel(in, b);
    alerts(in, b);
    outputs(in, b);
    gauge(b, "sgc_proctable_entries", "Processes in the process table.", in->pt.entries);
    gauge(b, "sgc_container_cache_entries", "Containers in the container cache.", in->containers);
    family(b, "sgc_reloads_total", "counter", "Rule and configuration reloads, by result.");
    sgc_strbuf_printf(b, "sgc_reloads_total{result=\"ok\"} %" PRIu64 "\n", in->reloads_ok);
    sgc_strbuf_printf(b, "sgc_reloads_total{result=\"failed\"} %" PRIu64 "\n", in->reloads_failed);
    gauge(b, "sgc_last_reload_timestamp_seconds", "When the running rules were loaded.",
          in->last_reload_s);
    family(b, "sgc_loaded_file_info", "gauge",
           "Rules and configuration files in use, with sha256.");
    for (int i = 0; i < in->nfiles; i++) {
        sgc_strbuf_printf(b, "sgc_loaded_file_info{kind=\"%s\",path=\"", in->files[i].kind);
        label(b, in->files[i].path);
        sgc_strbuf_printf(b, "\",sha256=\"%s\"} 1\n", in->files[i].sha256);
    }
    process(in, b);
}

int sgc_metrics_file_sha256(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    sgc_sha256 s;
    sgc_sha256_init(&s);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sgc_sha256_update(&s, buf, n);
    fclose(f);
    uint8_t d[32];
    sgc_sha256_final(&s, d);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
    return 0;
}
