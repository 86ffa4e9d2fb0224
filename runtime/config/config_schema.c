/* The schema of sgc.yaml (falco.yaml's keys plus nats_output, k8s_audit,
 * enforce and sgc's own section) as a table, and the walk that checks the
 * merged tree against it and fills struct sgc_conf. Defaults live in
 * sgc_config_defaults (config_load.c). */
#include "config_int.h"

#include "ruleset.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
    T_SECTION, /* a map of further keys */
    T_BOOL,
    T_U16,
    T_U32,
    T_U64,
    T_INT,
    T_DOUBLE,
    T_STR,
    T_STRLIST,  /* a list of strings */
    T_STRLIST1, /* a list of strings, or one string */
    T_PRIORITY, /* emergency ... debug */
    T_MATCHING, /* rule_matching: first | all */
    T_DURATION, /* "1h", "30s", "500ms", "1h30m" -> ms */
    T_SECONDS,  /* positive number of seconds */
    T_CUSTOM,
    T_FALCO, /* a Falco key that does not apply to sgc: warned, ignored */
} ktype;

typedef struct key_def {
    const char *path;
    ktype t;
    size_t off;
    uint64_t min, max;
    int (*custom)(cfg_ctx *x, const char *key, const sgc_cnode *n);
} key_def;

#define O(f)          offsetof(sgc_conf, f)
#define BOOL(p, f)    {p, T_BOOL, O(f), 0, 0, NULL}
#define STR(p, f)     {p, T_STR, O(f), 0, 0, NULL}
#define SEC(p)        {p, T_SECTION, 0, 0, 0, NULL}
#define FALCO(p)      {p, T_FALCO, 0, 0, 0, NULL}
#define CUSTOM(p, fn) {p, T_CUSTOM, 0, 0, 0, fn}

static int cfg_ringbuf(cfg_ctx *x, const char *key, const sgc_cnode *n);

static const key_def schema[] = {
    CUSTOM("config_files", cfg_config_files),
    BOOL("watch_config_files", watch_config_files),
    {"rules_files", T_STRLIST1, O(rules_files), 0, 0, NULL},
    {"rules_file", T_STRLIST1, O(rules_files), 0, 0, NULL}, /* deprecated: warned by the loader */
    CUSTOM("rules", cfg_rules),
    {"priority", T_PRIORITY, O(priority), 0, 0, NULL},
    {"rule_matching", T_MATCHING, O(rule_matching_all), 0, 0, NULL},
    BOOL("json_output", json_output),
    BOOL("json_include_output_property", json_include_output_property),
    BOOL("json_include_message_property", json_include_message_property),
    BOOL("json_include_output_fields_property", json_include_output_fields_property),
    BOOL("json_include_tags_property", json_include_tags_property),
    BOOL("time_format_iso_8601", time_format_iso_8601),
    BOOL("buffered_outputs", buffered_outputs),
    SEC("outputs_queue"),
    {"outputs_queue.capacity", T_U64, O(outputs_queue_capacity), 0, 100000000, NULL},
    {"output_timeout", T_U32, O(output_timeout_ms), 1, 3600000, NULL},
    CUSTOM("append_output", cfg_append_output),
    CUSTOM("static_fields", cfg_static_fields),
    SEC("stdout_output"),
    BOOL("stdout_output.enabled", stdout_enabled),
    SEC("file_output"),
    BOOL("file_output.enabled", file_output.enabled),
    BOOL("file_output.keep_alive", file_output.keep_alive),
    STR("file_output.filename", file_output.filename),
    SEC("syslog_output"),
    BOOL("syslog_output.enabled", syslog_enabled),
    SEC("program_output"),
    BOOL("program_output.enabled", program_output.enabled),
    BOOL("program_output.keep_alive", program_output.keep_alive),
    STR("program_output.program", program_output.program),
    SEC("http_output"),
    BOOL("http_output.enabled", http_output.enabled),
    STR("http_output.url", http_output.url),
    STR("http_output.user_agent", http_output.user_agent),
    BOOL("http_output.insecure", http_output.insecure),
    STR("http_output.ca_cert", http_output.ca_cert),
    STR("http_output.ca_bundle", http_output.ca_bundle),
    STR("http_output.ca_path", http_output.ca_path),
    BOOL("http_output.mtls", http_output.mtls),
    STR("http_output.client_cert", http_output.client_cert),
    STR("http_output.client_key", http_output.client_key),
    BOOL("http_output.echo", http_output.echo),
    BOOL("http_output.compress_uploads", http_output.compress_uploads),
    BOOL("http_output.keep_alive", http_output.keep_alive),
    {"http_output.max_consecutive_timeouts", T_U32, O(http_output.max_consecutive_timeouts), 0,
     1000000, NULL},
    {"http_output.timeout", T_U32, O(http_output.timeout_ms), 1, 3600000, NULL},
    SEC("nats_output"),
    BOOL("nats_output.enabled", nats_output.enabled),
    {"nats_output.servers", T_STRLIST1, O(nats_output.servers), 0, 0, NULL},
    STR("nats_output.subject", nats_output.subject),
    SEC("nats_output.tls"),
    STR("nats_output.tls.ca_cert", nats_output.tls_ca_cert),
    STR("nats_output.tls.client_cert", nats_output.tls_client_cert),
    STR("nats_output.tls.client_key", nats_output.tls_client_key),
    BOOL("nats_output.tls.insecure", nats_output.tls_insecure),
    STR("nats_output.user", nats_output.user),
    STR("nats_output.password", nats_output.password),
    STR("nats_output.token", nats_output.token),
    STR("nats_output.creds", nats_output.creds),
    {"nats_output.min_priority", T_PRIORITY, O(nats_output.min_priority), 0, 0, NULL},
    STR("nats_output.jetstream", nats_output.jetstream),
    SEC("syscall_event_drops"),
    {"syscall_event_drops.threshold", T_DOUBLE, O(syscall_event_drops.threshold), 0, 1, NULL},
    CUSTOM("syscall_event_drops.actions", cfg_drop_actions),
    {"syscall_event_drops.rate", T_DOUBLE, O(syscall_event_drops.rate), 0, 1000000, NULL},
    {"syscall_event_drops.max_burst", T_DOUBLE, O(syscall_event_drops.max_burst), 0, 1000000, NULL},
    BOOL("syscall_event_drops.simulate_drops", syscall_event_drops.simulate_drops),
    SEC("webserver"),
    BOOL("webserver.enabled", webserver.enabled),
    {"webserver.threadiness", T_INT, O(webserver.threadiness), 0, 1024, NULL},
    {"webserver.listen_port", T_U16, O(webserver.listen_port), 0, 65535, NULL},
    STR("webserver.listen_address", webserver.listen_address),
    STR("webserver.k8s_healthz_endpoint", webserver.k8s_healthz_endpoint),
    BOOL("webserver.prometheus_metrics_enabled", webserver.prometheus_metrics_enabled),
    BOOL("webserver.ssl_enabled", webserver.ssl_enabled),
    STR("webserver.ssl_certificate", webserver.ssl_certificate),
    SEC("metrics"),
    BOOL("metrics.enabled", metrics.enabled),
    {"metrics.interval", T_DURATION, O(metrics.interval_ms), 100, UINT64_MAX, NULL},
    BOOL("metrics.output_rule", metrics.output_rule),
    STR("metrics.output_file", metrics.output_file),
    BOOL("metrics.rules_counters_enabled", metrics.rules_counters_enabled),
    BOOL("metrics.resource_utilization_enabled", metrics.resource_utilization_enabled),
    BOOL("metrics.state_counters_enabled", metrics.state_counters_enabled),
    BOOL("metrics.kernel_event_counters_enabled", metrics.kernel_event_counters_enabled),
    BOOL("metrics.kernel_event_counters_per_cpu_enabled",
         metrics.kernel_event_counters_per_cpu_enabled),
    BOOL("metrics.libbpf_stats_enabled", metrics.libbpf_stats_enabled),
    BOOL("metrics.convert_memory_to_mb", metrics.convert_memory_to_mb),
    BOOL("metrics.include_empty_values", metrics.include_empty_values),
    FALCO("metrics.plugins_metrics_enabled"),
    FALCO("metrics.kernel_iter_event_counters_enabled"),
    FALCO("metrics.jemalloc_stats_enabled"),
    BOOL("log_stderr", log_stderr),
    BOOL("log_syslog", log_syslog),
    {"log_level", T_PRIORITY, O(log_level), 0, 0, NULL},
    SEC("sgc"),
    BOOL("sgc.pushdown", sgc.pushdown),
    CUSTOM("sgc.ringbuf_bytes", cfg_ringbuf),
    {"sgc.stats_interval", T_SECONDS, O(sgc.stats_interval_s), 0, 0, NULL},
    {"sgc.duration", T_SECONDS, O(sgc.duration_s), 0, 0, NULL},
    SEC("k8s_audit"),
    BOOL("k8s_audit.enabled", k8s_audit.enabled),
    STR("k8s_audit.listen_address", k8s_audit.listen_address),
    {"k8s_audit.listen_port", T_U16, O(k8s_audit.listen_port), 0, 65535, NULL},
    STR("k8s_audit.path", k8s_audit.path),
    SEC("k8s_audit.tls"),
    STR("k8s_audit.tls.cert", k8s_audit.tls_cert),
    STR("k8s_audit.tls.key", k8s_audit.tls_key),
    STR("k8s_audit.tls.client_ca", k8s_audit.tls_client_ca),
    {"k8s_audit.max_event_bytes", T_U64, O(k8s_audit.max_event_bytes), 1, 1ull << 32, NULL},
    {"k8s_audit.max_batch_bytes", T_U64, O(k8s_audit.max_batch_bytes), 1, 1ull << 34, NULL},
    {"k8s_audit.files", T_STRLIST1, O(k8s_audit.files), 0, 0, NULL},
    CUSTOM("enforce", cfg_enforce),
    /* Falco's keys that do not apply to sgc */
    FALCO("engine"),
    FALCO("capture"),
    FALCO("load_plugins"),
    FALCO("plugins"),
    FALCO("plugins_hostinfo"),
    FALCO("buffer_format_base64"),
    FALCO("libs_logger"),
    FALCO("syscall_event_timeouts"),
    FALCO("base_syscalls"),
    FALCO("falco_libs"),
    FALCO("container_engines"),
    FALCO("grpc"),
    FALCO("grpc_output"),
    FALCO("modern_bpf"),
    FALCO("syscall_buf_size_preset"),
    FALCO("metadata_download"),
};

/* 0 (the default) or a power of two from 4096 to 1 GiB */
static int cfg_ringbuf(cfg_ctx *x, const char *key, const sgc_cnode *n)
{
    uint64_t v;
    if (cfg_u64(x, key, n, 0, 1u << 30, &v) != 0) return -1;
    if (v && (v < 4096 || (v & (v - 1)))) {
        cfg_error(x, n, "%s: %s is not 0 or a power of two >= 4096", key, n->str);
        return -1;
    }
    x->c->sgc.ringbuf_bytes = (uint32_t)v;
    return 0;
}

static const key_def *lookup(const char *path)
{
    for (size_t i = 0; i < sizeof schema / sizeof *schema; i++)
        if (!strcmp(schema[i].path, path)) return &schema[i];
    return NULL;
}

static void vreport(cfg_ctx *x, sgc_severity sev, const char *code, const sgc_cnode *at,
                    const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    sgc_diag_add(x->d, sev, code, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, "%s",
                 msg);
}

void cfg_error(cfg_ctx *x, const sgc_cnode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(x, SGC_SEV_ERROR, "SGC_CONFIG", at, fmt, ap);
    va_end(ap);
    x->nerrors++;
}

void cfg_warn(cfg_ctx *x, const sgc_cnode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(x, SGC_SEV_WARNING, "SGC_CONFIG", at, fmt, ap);
    va_end(ap);
}

const char *cfg_kind_name(const sgc_cnode *n)
{
    return n->kind == SGC_CN_MAP ? "a map" : n->kind == SGC_CN_SEQ ? "a list" : "nothing";
}

/* the value as a scalar text, or an error naming what it is */
static const char *scalar(cfg_ctx *x, const char *key, const sgc_cnode *n, const char *want)
{
    if (n->kind == SGC_CN_SCALAR && !sgc_cnode_is_null(n)) return n->str;
    if (n->kind == SGC_CN_SCALAR)
        cfg_error(x, n, "%s: expected %s, got nothing", key, want);
    else
        cfg_error(x, n, "%s: expected %s, got %s", key, want, cfg_kind_name(n));
    return NULL;
}

int cfg_bool(cfg_ctx *x, const char *key, const sgc_cnode *n, bool *out)
{
    const char *s = scalar(x, key, n, "a boolean (true or false)");
    if (!s) return -1;
    static const char *const yes[] = {"true", "yes", "on", "y"};
    static const char *const no[] = {"false", "no", "off", "n"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
            *out = !strcasecmp(s, yes[i]);
            return 0;
        }
    }
    cfg_error(x, n, "%s: expected a boolean (true or false), got '%s'", key, s);
    return -1;
}

int cfg_str(cfg_ctx *x, const char *key, const sgc_cnode *n, char **out)
{
    const char *s;
    if (n->kind == SGC_CN_SCALAR)
        s = sgc_cnode_is_null(n) ? "" : n->str;
    else {
        cfg_error(x, n, "%s: expected a string, got %s", key, cfg_kind_name(n));
        return -1;
    }
    char *dup = strdup(s);
    if (!dup) return -1;
    free(*out);
    *out = dup;
    return 0;
}

int cfg_u64(cfg_ctx *x, const char *key, const sgc_cnode *n, uint64_t min, uint64_t max,
            uint64_t *out)
{
    const char *s = scalar(x, key, n, "an integer");
    if (!s) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end || s[0] == '-' || s[0] == '+' || errno) {
        cfg_error(x, n, "%s: expected a non-negative integer, got '%s'", key, s);
        return -1;
    }
    if (v < min || v > max) {
        cfg_error(x, n, "%s: %s is out of range (%llu to %llu)", key, s, (unsigned long long)min,
                  (unsigned long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

void sgc_strlist_free(sgc_strlist *l)
{
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int sgc_strlist_push(sgc_strlist *l, const char *s)
{
    char **v = realloc(l->v, ((size_t)l->n + 1) * sizeof *v);
    if (!v) return -1;
    l->v = v;
    if (!(l->v[l->n] = strdup(s))) return -1;
    l->n++;
    return 0;
}

int cfg_strlist(cfg_ctx *x, const char *key, const sgc_cnode *n, bool scalar_ok, sgc_strlist *out)
{
    sgc_strlist l = {0};
    if (n->kind == SGC_CN_SCALAR && scalar_ok && !sgc_cnode_is_null(n)) {
        if (sgc_strlist_push(&l, n->str) != 0) return -1;
    } else if (n->kind == SGC_CN_SCALAR && sgc_cnode_is_null(n)) {
        /* nothing: an empty list */
    } else if (n->kind != SGC_CN_SEQ) {
        cfg_error(x, n, "%s: expected a list of strings, got %s", key, cfg_kind_name(n));
        return -1;
    } else {
        for (int i = 0; i < n->n; i++) {
            const sgc_cnode *it = n->vals[i];
            if (it->kind != SGC_CN_SCALAR || sgc_cnode_is_null(it)) {
                cfg_error(x, it, "%s[%d]: expected a string, got %s", key, i,
                          it->kind == SGC_CN_SCALAR ? "nothing" : cfg_kind_name(it));
                sgc_strlist_free(&l);
                return -1;
            }
            if (sgc_strlist_push(&l, it->str) != 0) {
                sgc_strlist_free(&l);
                return -1;
            }
        }
    }
    sgc_strlist_free(out);
    *out = l;
    return 0;
}

static int parse_priority(cfg_ctx *x, const char *key, const sgc_cnode *n, int *out)
{
    const char *s = scalar(x, key, n, "a priority");
    if (!s) return -1;
    int p = sgc_priority_parse(s);
    if (p < 0) {
        cfg_error(x, n,
                  "%s: unknown priority '%s' (emergency, alert, critical, error, warning, "
                  "notice, informational, debug)",
                  key, s);
        return -1;
    }
    *out = p;
    return 0;
}

/* "1h", "30s", "500ms", "1h30m", "2d" -> ms */
static int parse_duration(const char *s, uint64_t *ms)
{
    static const struct {
        const char *u;
        uint64_t ms;
    } units[] = {{"ms", 1},       {"s", 1000},      {"m", 60000},         {"h", 3600000},
                 {"d", 86400000}, {"w", 604800000}, {"y", 31536000000ull}};
    uint64_t total = 0;
    if (!*s) return -1;
    while (*s) {
        if (*s < '0' || *s > '9') return -1;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (v > 1000000000ull) return -1;
        s = end;
        size_t best = 0, bi = 0;
        for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
            size_t l = strlen(units[i].u);
            if (!strncmp(s, units[i].u, l) && l > best && !(l == 1 && s[0] == 'm' && s[1] == 's')) {
                best = l;
                bi = i;
            }
        }
        if (!best) return -1;
        total += v * units[bi].ms;
        s += best;
    }
    *ms = total;
    return 0;
}

static void apply_scalar(cfg_ctx *x, const key_def *k, const sgc_cnode *v)
{
    char *base = (char *)x->c;
    const char *s;
    uint64_t u;
    switch (k->t) {
    case T_BOOL: cfg_bool(x, k->path, v, (bool *)(base + k->off)); break;
    case T_STR: cfg_str(x, k->path, v, (char **)(base + k->off)); break;
    case T_U16:
    case T_U32:
    case T_U64:
    case T_INT: {
        uint64_t max = k->max ? k->max : UINT64_MAX;
        if (cfg_u64(x, k->path, v, k->min, max, &u) != 0) break;
        if (k->t == T_U16)
            *(uint16_t *)(base + k->off) = (uint16_t)u;
        else if (k->t == T_U32)
            *(uint32_t *)(base + k->off) = (uint32_t)u;
        else if (k->t == T_INT)
            *(int *)(base + k->off) = (int)u;
        else
            *(uint64_t *)(base + k->off) = u;
        break;
    }
    case T_DOUBLE: {
        if (!(s = scalar(x, k->path, v, "a number"))) break;
        char *end;
        double d = strtod(s, &end);
        if (end == s || *end || !isfinite(d)) {
            cfg_error(x, v, "%s: expected a number, got '%s'", k->path, s);
            break;
        }
        if (d < (double)k->min || d > (double)k->max) {
            cfg_error(x, v, "%s: %s is out of range (%llu to %llu)", k->path, s,
                      (unsigned long long)k->min, (unsigned long long)k->max);
            break;
        }
        *(double *)(base + k->off) = d;
        break;
    }
    case T_SECONDS: {
        if (!(s = scalar(x, k->path, v, "a number of seconds"))) break;
        char *end;
        double d = strtod(s, &end);
        if (end == s || *end || !(d >= 0) || d > 1e9) {
            cfg_error(x, v, "%s: expected a number of seconds, got '%s'", k->path, s);
            break;
        }
        *(double *)(base + k->off) = d;
        break;
    }
    case T_STRLIST:
    case T_STRLIST1:
        cfg_strlist(x, k->path, v, k->t == T_STRLIST1, (sgc_strlist *)(base + k->off));
        break;
    case T_PRIORITY: parse_priority(x, k->path, v, (int *)(base + k->off)); break;
    case T_MATCHING:
        if (!(s = scalar(x, k->path, v, "first or all"))) break;
        if (strcmp(s, "first") && strcmp(s, "all"))
            cfg_error(x, v, "%s: expected first or all, got '%s'", k->path, s);
        else
            *(bool *)(base + k->off) = !strcmp(s, "all");
        break;
    case T_DURATION:
        if (!(s = scalar(x, k->path, v, "a duration"))) break;
        if (parse_duration(s, &u) != 0 || u < k->min)
            cfg_error(x, v,
                      "%s: expected a duration of at least %llums such as 30s, 15m, 1h, "
                      "got '%s'",
                      k->path, (unsigned long long)k->min, s);
        else
            *(uint64_t *)(base + k->off) = u;
        break;
    case T_CUSTOM: k->custom(x, k->path, v); break;
    case T_SECTION:
    case T_FALCO: break;
    }
}

static void walk(cfg_ctx *x, const sgc_cnode *map, const char *prefix)
{
    for (int i = 0; i < map->n; i++) {
        const sgc_cnode *key = map->keys[i], *v = map->vals[i];
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key->str);
        const key_def *k = lookup(path);
        if (!k) {
            cfg_warn(x, key, "unknown key '%s' (ignored)", path);
            continue;
        }
        if (k->t == T_FALCO) {
            sgc_diag_add(x->d, SGC_SEV_WARNING, "SGC_CONFIG_FALCO_ONLY", key->file, key->line,
                         key->col, "'%s' is a Falco setting that does not apply to sgc (ignored)",
                         path);
            continue;
        }
        if (k->t == T_SECTION) {
            if (v->kind == SGC_CN_MAP)
                walk(x, v, path);
            else if (!sgc_cnode_is_null(v))
                cfg_error(x, v, "%s: expected a map of settings, got %s", path,
                          v->kind == SGC_CN_SEQ ? "a list" : "a value");
            continue;
        }
        apply_scalar(x, k, v);
    }
}

void cfg_apply_tree(cfg_ctx *x, const sgc_cnode *root)
{
    if (root->kind != SGC_CN_MAP) {
        cfg_error(x, root, "the configuration must be a map of settings, not %s",
                  root->kind == SGC_CN_SEQ ? "a list" : "a value");
        return;
    }
    if (sgc_cnode_get(root, "rules_file")) {
        const sgc_cnode *old = NULL;
        for (int i = 0; i < root->n; i++)
            if (!strcmp(root->keys[i]->str, "rules_file")) old = root->keys[i];
        if (sgc_cnode_get(root, "rules_files"))
            cfg_error(x, old, "rules_file and rules_files are both set: use rules_files only");
        else
            sgc_diag_add(x->d, SGC_SEV_WARNING, "SGC_CONFIG", old->file, old->line, old->col,
                         "'rules_file' is deprecated: use 'rules_files'");
    }
    walk(x, root, "");
}

const char *sgc_config_key(int i)
{
    int k = 0;
    for (size_t j = 0; j < sizeof schema / sizeof *schema; j++) {
        if (schema[j].t == T_FALCO || !strcmp(schema[j].path, "rules_file")) continue;
        if (k++ == i) return schema[j].path;
    }
    return NULL;
}
