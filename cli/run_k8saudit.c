/* `sgc run`'s sources and the k8s_audit options (run_k8saudit.h). */
#include "run_k8saudit.h"

#include "fields.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void run_sources_init(run_sources *s)
{
    memset(s, 0, sizeof *s);
    sgc_k8s_audit_config_defaults(&s->k8s);
}

void run_sources_usage(FILE *out)
{
    fputs("event sources (docs/k8s-audit.md):\n"
          "  --enable-source S    run only the sources given this way (syscall, k8s_audit);\n"
          "                       --enable-source k8s_audit alone captures no syscall\n"
          "  --disable-source S   do not run source S\n"
          "  --k8s-audit          enable the k8s_audit source (sgc.yaml: k8s_audit.enabled);\n"
          "                       any --k8s-audit-* option enables it too\n"
          "  --k8s-audit-listen-address A  webhook address (default 0.0.0.0)\n"
          "  --k8s-audit-listen-port N     webhook port (default 9765; 0: no webhook)\n"
          "  --k8s-audit-path P            webhook path (default /k8s-audit)\n"
          "  --k8s-audit-tls-cert F        serve HTTPS with this PEM certificate\n"
          "  --k8s-audit-tls-key F         its PEM key (default: in the cert file)\n"
          "  --k8s-audit-tls-client-ca F   require client certificates signed by this CA\n"
          "  --k8s-audit-max-event-bytes N largest event (default 262144)\n"
          "  --k8s-audit-max-batch-bytes N largest request body or log line (default 12582912)\n"
          "  --k8s-audit-file F            follow this audit log (JSON lines; repeatable)\n"
          "  --k8s-audit-cluster-name N    the value of ka.cluster.name\n",
          out);
}

static bool parse_size(const char *v, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || !*v || n == 0) return false;
    *out = (size_t)n;
    return true;
}

int run_sources_parse(run_sources *s, int argc, char **argv, int *i, const char *prog)
{
    const char *o = argv[*i];
    if (strcmp(o, "--k8s-audit") == 0) {
        s->k8s.enabled = true;
        return 1;
    }
    static const char *const with_value[] = {"--enable-source",
                                             "--disable-source",
                                             "--k8s-audit-listen-address",
                                             "--k8s-audit-listen-port",
                                             "--k8s-audit-path",
                                             "--k8s-audit-tls-cert",
                                             "--k8s-audit-tls-key",
                                             "--k8s-audit-tls-client-ca",
                                             "--k8s-audit-max-event-bytes",
                                             "--k8s-audit-max-batch-bytes",
                                             "--k8s-audit-file",
                                             "--k8s-audit-cluster-name",
                                             NULL};
    int k = 0;
    while (with_value[k] && strcmp(with_value[k], o)) k++;
    if (!with_value[k]) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: missing value for '%s'\n", prog, o);
        return 2;
    }
    const char *v = argv[++*i];
    if (!strcmp(o, "--enable-source") || !strcmp(o, "--disable-source")) {
        if (sgc_evsource_parse(v) < 0) {
            fprintf(stderr, "%s: unknown source '%s' (syscall, k8s_audit)\n", prog, v);
            return 2;
        }
        bool en = !strcmp(o, "--enable-source");
        int *n = en ? &s->nenable : &s->ndisable;
        if (*n < 8) (en ? s->enable : s->disable)[(*n)++] = v;
        return 1;
    }
    s->k8s.enabled = true; /* configuring the source asks for it */
    if (!strcmp(o, "--k8s-audit-listen-address"))
        s->k8s.listen_address = v;
    else if (!strcmp(o, "--k8s-audit-path"))
        s->k8s.path = v;
    else if (!strcmp(o, "--k8s-audit-tls-cert"))
        s->k8s.tls.cert = v;
    else if (!strcmp(o, "--k8s-audit-tls-key"))
        s->k8s.tls.key = v;
    else if (!strcmp(o, "--k8s-audit-tls-client-ca"))
        s->k8s.tls.client_ca = v;
    else if (!strcmp(o, "--k8s-audit-cluster-name"))
        s->cluster_name = v;
    else if (!strcmp(o, "--k8s-audit-file")) {
        if (s->k8s.nfiles >= 64) {
            fprintf(stderr, "%s: at most 64 --k8s-audit-file\n", prog);
            return 2;
        }
        s->files[s->k8s.nfiles++] = v;
        s->k8s.files = s->files;
    } else if (!strcmp(o, "--k8s-audit-listen-port")) {
        char *end;
        long p = strtol(v, &end, 10);
        if (*end || !*v || p < 0 || p > 65535) {
            fprintf(stderr, "%s: %s needs a port number, not '%s'\n", prog, o, v);
            return 2;
        }
        s->k8s.listen_port = (int)p;
    } else {
        size_t *dst = !strcmp(o, "--k8s-audit-max-event-bytes") ? &s->k8s.max_event_bytes
                                                                : &s->k8s.max_batch_bytes;
        if (!parse_size(v, dst)) {
            fprintf(stderr, "%s: %s needs a positive number of bytes, not '%s'\n", prog, o, v);
            return 2;
        }
    }
    return 1;
}

static bool listed(const char *const *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], name)) return true;
    return false;
}

int run_sources_resolve(run_sources *s, const char *prog)
{
    /* As Falco: every source available runs unless --enable-source names
     * some (then only those); --disable-source removes. k8s_audit is
     * available when configured (k8s_audit.enabled, --k8s-audit) or named
     * by --enable-source. */
    if (s->nenable) {
        s->syscall_on = listed(s->enable, s->nenable, "syscall");
        s->k8s_on = listed(s->enable, s->nenable, "k8s_audit");
    } else {
        s->syscall_on = true;
        s->k8s_on = s->k8s.enabled;
    }
    for (int i = 0; i < s->ndisable; i++) {
        if (listed(s->enable, s->nenable, s->disable[i])) {
            fprintf(stderr, "%s: source '%s' is both enabled and disabled\n", prog, s->disable[i]);
            return 2;
        }
    }
    if (listed(s->disable, s->ndisable, "syscall")) s->syscall_on = false;
    if (listed(s->disable, s->ndisable, "k8s_audit")) s->k8s_on = false;
    if (!s->syscall_on && !s->k8s_on) {
        fprintf(stderr, "%s: every event source is disabled: enable at least one\n", prog);
        return 2;
    }
    s->k8s.enabled = s->k8s_on;
    return 0;
}

void run_sources_warn_skipped(const run_sources *s, const sgc_ruleset *rules, const char *prog)
{
    int counts[SGC_SRC__COUNT] = {0};
    for (int i = 0; i < rules->nrules; i++) {
        const sgc_rule *r = rules->rules[i];
        int src = r->source ? sgc_evsource_parse(r->source) : SGC_SRC_SYSCALL;
        if (r->enabled && !r->unknown_source && src >= 0) counts[src]++;
    }
    bool on[SGC_SRC__COUNT] = {s->syscall_on, s->k8s_on};
    for (int src = 0; src < SGC_SRC__COUNT; src++)
        if (counts[src] && !on[src])
            fprintf(stderr,
                    "%s: warning: %d rule%s of source %s skipped: the source is not "
                    "enabled (--enable-source %s)\n",
                    prog, counts[src], counts[src] == 1 ? "" : "s",
                    sgc_evsource_name((sgc_evsource)src), sgc_evsource_name((sgc_evsource)src));
}

void run_k8saudit_summary(FILE *out, const char *prog, const sgc_ka_source_stats *s)
{
    sgc_ka_source_stats st = *s;
    fprintf(out,
            "%s: k8s_audit: %llu events evaluated, %llu alerts; webhook: %llu requests, %llu ok, "
            "%llu not POST (405), %llu wrong path (404), %llu wrong content type (400), "
            "%llu too large (400), %llu client certificate rejected (403), %llu queue full (503)\n"
            "%s: k8s_audit: rejected: %llu malformed JSON, %llu not audit events, "
            "%llu without stageTimestamp, %llu bad stageTimestamp, %llu events too large, "
            "%llu lines too long; files: %llu lines, %llu rotations; %llu events dropped\n",
            prog, st.events_evaluated, st.alerts, st.requests, st.requests_ok, st.bad_method,
            st.bad_path, st.bad_content_type, st.body_too_large, st.client_cert_rejected,
            st.queue_full, prog, st.bad_json, st.not_audit, st.no_timestamp, st.bad_timestamp,
            st.event_too_large, st.line_too_long, st.file_lines, st.file_rotations,
            st.events_dropped);
}

static volatile sig_atomic_t g_stop;

static void on_stop(int sig) { g_stop = sig; }

void run_wait_for_stop(double duration_s)
{
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    struct timespec start, now, tick = {0, 100000000L};
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!g_stop) {
        nanosleep(&tick, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el =
            (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        if (duration_s > 0 && el >= duration_s) break;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}
