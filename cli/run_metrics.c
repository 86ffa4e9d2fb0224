/* See run_metrics.h. */
#include "run_metrics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void add_file(run_metrics *m, const char *kind, const char *path)
{
    sgc_metrics_file *v = realloc(m->files, ((size_t)m->nfiles + 1) * sizeof *v);
    if (!v) return;
    m->files = v;
    sgc_metrics_file *f = &v[m->nfiles];
    f->kind = kind;
    f->path = strdup(path); /* the configuration that named it may be reloaded */
    if (f->path && sgc_metrics_file_sha256(path, f->sha256) == 0)
        m->nfiles++;
    else
        free((char *)f->path);
}

static void free_files(run_metrics *m)
{
    for (int i = 0; i < m->nfiles; i++) free((char *)m->files[i].path);
    free(m->files);
    m->files = NULL;
    m->nfiles = 0;
}

static void add_files(run_metrics *m, const sgc_conf *c, const char *const *rules, int nrules)
{
    for (int i = 0; i < c->loaded_files.n; i++) add_file(m, "config", c->loaded_files.v[i]);
    for (int i = 0; i < nrules; i++) add_file(m, "rules", rules[i]);
}

void run_metrics_reloaded(run_metrics *m, bool ok, const sgc_conf *c, const char *const *rules,
                          int nrules)
{
    if (!ok) {
        m->reloads_failed++;
        return;
    }
    m->reloads_ok++;
    m->last_reload_s = wall_s();
    if (!m->ws) return;
    free_files(m);
    add_files(m, c, rules, nrules);
}

int run_metrics_start(run_metrics *m, const sgc_conf *c, const char *const *rules, int nrules,
                      char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->start_s = m->last_reload_s = wall_s();
    if (!c->webserver.enabled) return 0;
    sgc_webserver_opts wo = {
        .address = c->webserver.listen_address,
        .port = c->webserver.listen_port,
        .healthz_path = c->webserver.k8s_healthz_endpoint,
        .metrics = c->webserver.prometheus_metrics_enabled,
        .threads = c->webserver.threadiness,
        .ssl_pem = c->webserver.ssl_enabled ? c->webserver.ssl_certificate : NULL,
    };
    if (c->webserver.ssl_enabled && (!wo.ssl_pem || !*wo.ssl_pem)) {
        snprintf(err, errlen, "webserver.ssl_enabled needs webserver.ssl_certificate");
        return -1;
    }
    m->ws = sgc_webserver_start(&wo, err, errlen);
    if (!m->ws) return -1;
    add_files(m, c, rules, nrules);
    return 0;
}

void run_metrics_event(run_metrics *m, const sgc_evt *ev)
{
    if (m->ws && ev->hdr->nr < RUN_METRICS_NR) m->by_syscall[ev->hdr->nr]++;
}

void run_metrics_on_alert(void *ud, const char *rule, int priority)
{
    run_metrics *m = ud;
    if (!m->ws) return;
    /* by name: a reload brings the same rules at new addresses */
    uint32_t h = 2166136261u;
    for (const char *c = rule; *c; c++) h = (h ^ (uint8_t)*c) * 16777619u;
    for (int k = 0; k < RUN_METRICS_RULES; k++) {
        sgc_metrics_alert *a = &m->alerts[(h + (uint32_t)k) % RUN_METRICS_RULES];
        if (a->rule && a->priority == priority && !strcmp(a->rule, rule)) {
            a->n++;
            return;
        }
        if (!a->rule) {
            a->rule = strdup(rule);
            if (!a->rule) return;
            a->priority = priority;
            a->n = 1;
            m->nalerts++;
            return;
        }
    }
}

void run_metrics_tick(run_metrics *m, uint64_t now_ns, sgc_pipeline *pl, sgc_outq *q,
                      uint64_t drop_alerts)
{
    if (!m->ws || (m->last_publish_ns && now_ns - m->last_publish_ns < 1000000000ull)) return;
    m->last_publish_ns = now_ns;
    sgc_metrics_alert used[RUN_METRICS_RULES];
    int n = 0;
    for (int i = 0; i < RUN_METRICS_RULES && n < m->nalerts; i++)
        if (m->alerts[i].rule) used[n++] = m->alerts[i];
    sgc_pipeline_stats ps;
    sgc_pipeline_get_stats(pl, &ps);
    sgc_metrics_input in = {0};
    if (m->live) {
        in.kernel = m->live->kernel;
        in.ringbuf_used = m->live->ringbuf_used;
        in.ringbuf_size = m->live->ringbuf_size;
        in.records = m->live->records;
        in.decode_errors = m->live->decode_errors;
    }
    in.evaluated = ps.events;
    in.drop_alerts = drop_alerts;
    in.by_syscall = m->by_syscall;
    in.nsyscalls = RUN_METRICS_NR;
    in.alerts = used;
    in.nalerts = n;
    in.q = q;
    sgc_proctable_get_stats(sgc_pipeline_proctable(pl), &in.pt);
    in.containers = sgc_containers_count(sgc_pipeline_containers(pl));
    in.reloads_ok = m->reloads_ok;
    in.reloads_failed = m->reloads_failed;
    in.last_reload_s = m->last_reload_s;
    in.start_s = m->start_s;
    in.files = m->files;
    in.nfiles = m->nfiles;
    sgc_strbuf b = {0};
    sgc_metrics_render(&in, &b);
    if (b.p && !b.oom) sgc_webserver_publish(m->ws, b.p, b.len);
    sgc_strbuf_free(&b);
}

void run_metrics_stop(run_metrics *m)
{
    sgc_webserver_stop(m->ws);
    m->ws = NULL;
    free_files(m);
    for (int i = 0; i < RUN_METRICS_RULES; i++) free((char *)m->alerts[i].rule);
    memset(m->alerts, 0, sizeof m->alerts);
    m->nalerts = 0;
}
