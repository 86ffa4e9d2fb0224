/* Loading sgc.yaml: defaults, the main file, config_files merged with
 * Falco's strategies, -o overrides (dotted paths, list[i], YAML values),
 * -r, then the schema walk (config_schema.c). See config.h. */
#include "config_int.h"

#include "ruleset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONFIG_BYTES (16u << 20)

void sgc_config_defaults(sgc_conf *c)
{
    memset(c, 0, sizeof *c);
    c->priority = SGC_PRI_DEBUG;
    c->json_include_output_property = true;
    c->json_include_output_fields_property = true;
    c->json_include_tags_property = true;
    c->output_timeout_ms = 2000;
    c->stdout_enabled = true;
    c->file_output.filename = strdup("");
    c->program_output.program = strdup("");
    c->http_output.url = strdup("");
    c->http_output.user_agent = strdup("falcosecurity/falco");
    c->http_output.ca_cert = strdup("");
    c->http_output.ca_bundle = strdup("");
    c->http_output.ca_path = strdup("/etc/ssl/certs");
    c->http_output.client_cert = strdup("/etc/ssl/certs/client.crt");
    c->http_output.client_key = strdup("/etc/ssl/certs/client.key");
    c->http_output.max_consecutive_timeouts = 5;
    sgc_strlist_push(&c->nats_output.servers, "nats://127.0.0.1:4222");
    c->nats_output.subject = strdup("falco.<priority>.<rule>");
    c->nats_output.min_priority = SGC_PRI_DEBUG;
    c->syscall_event_drops.threshold = .1;
    c->syscall_event_drops.rate = .03333;
    c->syscall_event_drops.max_burst = 1;
    c->syscall_event_drops.actions = SGC_DROP_ACT_LOG | SGC_DROP_ACT_ALERT;
    c->webserver.listen_port = 8765;
    c->webserver.listen_address = strdup("127.0.0.1");
    c->webserver.k8s_healthz_endpoint = strdup("/healthz");
    c->webserver.prometheus_metrics_enabled = true;
    c->metrics.interval_ms = 3600000;
    c->metrics.output_rule = true;
    c->metrics.rules_counters_enabled = true;
    c->metrics.resource_utilization_enabled = true;
    c->metrics.state_counters_enabled = true;
    c->metrics.kernel_event_counters_enabled = true;
    c->metrics.libbpf_stats_enabled = true;
    c->metrics.convert_memory_to_mb = true;
    c->watch_config_files = true;
    c->log_stderr = true;
    c->log_level = SGC_PRI_INFORMATIONAL;
    c->sgc.pushdown = true;
    c->sgc.stats_interval_s = 10;
    c->k8s_audit.listen_address = strdup("127.0.0.1");
    c->k8s_audit.listen_port = 9765;
    c->k8s_audit.path = strdup("/k8s-audit");
    c->k8s_audit.max_event_bytes = 1u << 20;
    c->k8s_audit.max_batch_bytes = 16u << 20;
}

void sgc_config_free(sgc_conf *c)
{
    sgc_strlist_free(&c->loaded_files);
    sgc_strlist_free(&c->rules_files);
    cfg_sections_free(c);
    char **strs[] = {&c->file_output.filename,
                     &c->program_output.program,
                     &c->http_output.url,
                     &c->http_output.user_agent,
                     &c->http_output.ca_cert,
                     &c->http_output.ca_bundle,
                     &c->http_output.ca_path,
                     &c->http_output.client_cert,
                     &c->http_output.client_key,
                     &c->nats_output.subject,
                     &c->nats_output.tls_ca_cert,
                     &c->nats_output.tls_client_cert,
                     &c->nats_output.tls_client_key,
                     &c->nats_output.user,
                     &c->nats_output.password,
                     &c->nats_output.token,
                     &c->nats_output.creds,
                     &c->nats_output.jetstream,
                     &c->webserver.listen_address,
                     &c->webserver.k8s_healthz_endpoint,
                     &c->webserver.ssl_certificate,
                     &c->metrics.output_file,
                     &c->k8s_audit.listen_address,
                     &c->k8s_audit.path,
                     &c->k8s_audit.tls_cert,
                     &c->k8s_audit.tls_key,
                     &c->k8s_audit.tls_client_ca};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(*strs[i]);
    sgc_strlist_free(&c->nats_output.servers);
    sgc_strlist_free(&c->k8s_audit.files);
    memset(c, 0, sizeof *c);
}

/* ---- load context: names the trees point at ------------------------------ */

typedef struct loadctx {
    cfg_ctx x;
    sgc_strlist names; /* file names and -o labels, alive while trees are */
} loadctx;

static const char *keep_name(loadctx *l, const char *s)
{
    if (sgc_strlist_push(&l->names, s) != 0) return "?";
    return l->names.v[l->names.n - 1];
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(MAX_CONFIG_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_CONFIG_BYTES + 1, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (!buf || rerr || n > MAX_CONFIG_BYTES) {
        snprintf(err, errlen, "%s",
                 !buf   ? "out of memory"
                 : rerr ? "read error"
                        : "larger than 16 MiB");
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static sgc_cnode *load_tree(loadctx *l, const char *path)
{
    char err[256];
    size_t len;
    const char *name = keep_name(l, path);
    char *buf = read_file(path, &len, err, sizeof err);
    if (!buf) {
        sgc_diag_add(l->x.d, SGC_SEV_ERROR, "SGC_CONFIG", name, 0, 0,
                     "cannot read the configuration file: %s", err);
        l->x.nerrors++;
        return NULL;
    }
    sgc_cnode *t = sgc_cnode_parse(name, buf, len, l->x.d);
    free(buf);
    if (!t)
        l->x.nerrors++;
    else
        sgc_strlist_push(&l->x.c->loaded_files, path);
    return t;
}

/* ---- -o KEY=VALUE ---------------------------------------------------------- */

/* Set path (a.b, a[2].c) to val in root; takes val. 0, or -1 with an error. */
static int set_path(loadctx *l, sgc_cnode *root, const char *path, sgc_cnode *val,
                    const sgc_cnode *at)
{
    sgc_cnode *cur = root;
    const char *p = path;
    char seg[256];
    for (;;) {
        size_t n = strcspn(p, ".[");
        if (n == 0 || n >= sizeof seg) goto bad;
        memcpy(seg, p, n);
        seg[n] = 0;
        p += n;
        long idx = -1;
        if (*p == '[') {
            char *end;
            idx = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || idx < 0 || idx > 1000000) goto bad;
            p = end + 1;
        }
        bool last = !*p;
        if (!last && *p != '.') goto bad;
        if (!last) p++;
        sgc_cnode *child = sgc_cnode_get(cur, seg);
        if (idx < 0) {
            if (last) return sgc_cnode_map_set(cur, seg, val);
            if (!child || child->kind != SGC_CN_MAP) {
                child = sgc_cnode_new(SGC_CN_MAP, val->file, val->line, val->col);
                if (!child || sgc_cnode_map_set(cur, seg, child) != 0) goto oom;
            }
            cur = child;
            continue;
        }
        if (!child || child->kind != SGC_CN_SEQ) {
            child = sgc_cnode_new(SGC_CN_SEQ, val->file, val->line, val->col);
            if (!child || sgc_cnode_map_set(cur, seg, child) != 0) goto oom;
        }
        if (idx > child->n) {
            cfg_error(&l->x, at, "-o %s: index %ld is past the end of '%s' (%d item%s)", path, idx,
                      seg, child->n, child->n == 1 ? "" : "s");
            sgc_cnode_free(val);
            return -1;
        }
        if (last) {
            if (idx == child->n) return sgc_cnode_seq_push(child, val);
            sgc_cnode_free(child->vals[idx]);
            child->vals[idx] = val;
            return 0;
        }
        if (idx == child->n) {
            sgc_cnode *m = sgc_cnode_new(SGC_CN_MAP, val->file, val->line, val->col);
            if (!m || sgc_cnode_seq_push(child, m) != 0) goto oom;
        } else if (child->vals[idx]->kind != SGC_CN_MAP) {
            sgc_cnode_free(child->vals[idx]);
            child->vals[idx] = sgc_cnode_new(SGC_CN_MAP, val->file, val->line, val->col);
            if (!child->vals[idx]) goto oom;
        }
        cur = child->vals[idx];
    }
bad:
    cfg_error(&l->x, at, "-o: '%s' is not a key path (name, name.sub, name[index])", path);
    sgc_cnode_free(val);
    return -1;
oom:
    sgc_cnode_free(val);
    return -1;
}

/* includes: the config_files overrides (before the files are included) or
 * all the others (after: the command line wins) */
static void apply_overrides(loadctx *l, sgc_cnode *root, const sgc_config_args *a, bool includes)
{
    for (int i = 0; i < a->noverrides; i++) {
        const char *arg = a->overrides[i];
        bool is_inc = !strncmp(arg, "config_files", 12) && strchr("[.=", arg[12]);
        if (is_inc != includes) continue;
        char label[600];
        snprintf(label, sizeof label, "-o %s", arg);
        const char *name = keep_name(l, label);
        const char *eq = strchr(arg, '=');
        sgc_cnode at = {.kind = SGC_CN_SCALAR, .file = name, .line = 1, .col = 4};
        if (!eq || eq == arg) {
            cfg_error(&l->x, &at, "-o: expected KEY=VALUE, got '%s'", arg);
            continue;
        }
        /* columns count in the label: "-o " + the argument */
        sgc_cnode *val = sgc_cnode_parse_value(name, eq + 1, 3 + (int)(eq + 1 - arg), l->x.d);
        if (!val) {
            l->x.nerrors++;
            continue;
        }
        char *path = strndup(arg, (size_t)(eq - arg));
        if (path)
            set_path(l, root, path, val, &at);
        else
            sgc_cnode_free(val);
        free(path);
    }
}

/* ---- config_files ---------------------------------------------------------- */

typedef enum { MERGE_APPEND, MERGE_OVERRIDE, MERGE_ADD_ONLY } merge_strategy;

/* Falco merges an included file's top-level keys: add-only keeps existing
 * keys; append appends to lists and replaces the rest; override replaces. */
static void merge(sgc_cnode *root, sgc_cnode *inc, merge_strategy s)
{
    for (int i = 0; i < inc->n; i++) {
        const char *k = inc->keys[i]->str;
        sgc_cnode *old = sgc_cnode_get(root, k);
        sgc_cnode *v = inc->vals[i];
        if (old && s == MERGE_ADD_ONLY) continue;
        if (old && s == MERGE_APPEND && old->kind == SGC_CN_SEQ && v->kind == SGC_CN_SEQ) {
            for (int j = 0; j < v->n; j++) {
                sgc_cnode_seq_push(old, v->vals[j]);
                v->vals[j] = NULL;
            }
            continue;
        }
        inc->vals[i] = NULL;
        sgc_cnode_map_set(root, k, v);
    }
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sgc_config_list_dir(const char *dir, sgc_strlist *out)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    sgc_strlist names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        bool yaml = (n > 5 && !strcmp(e->d_name + n - 5, ".yaml")) ||
                    (n > 4 && !strcmp(e->d_name + n - 4, ".yml"));
        if (!yaml || e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) sgc_strlist_push(&names, path);
    }
    closedir(d);
    if (names.n) qsort(names.v, (size_t)names.n, sizeof *names.v, name_cmp);
    for (int i = 0; i < names.n; i++) sgc_strlist_push(out, names.v[i]);
    sgc_strlist_free(&names);
    return 0;
}

static void include_one(loadctx *l, sgc_cnode *root, const char *path, merge_strategy s)
{
    sgc_cnode *inc = load_tree(l, path);
    if (!inc) return;
    if (inc->kind != SGC_CN_MAP) {
        cfg_error(&l->x, inc, "the configuration must be a map of settings");
    } else {
        sgc_cnode *nested = sgc_cnode_get(inc, "config_files");
        if (nested) {
            cfg_warn(&l->x, nested,
                     "config_files in an included file is ignored (only the main file's count)");
            sgc_cnode_map_del(inc, "config_files");
        }
        merge(root, inc, s);
    }
    sgc_cnode_free(inc);
}

static void include_files(loadctx *l, sgc_cnode *root, const char *main_dir)
{
    sgc_cnode *cf = sgc_cnode_get(root, "config_files");
    if (!cf || cf->kind != SGC_CN_SEQ) return; /* the schema walk reports a wrong shape */
    sgc_cnode *list = sgc_cnode_dup(cf);       /* merging may replace root's entry */
    for (int i = 0; list && i < list->n; i++) {
        const sgc_cnode *it = list->vals[i], *p = it;
        merge_strategy s = MERGE_APPEND;
        if (it->kind == SGC_CN_MAP) {
            p = sgc_cnode_get(it, "path");
            const sgc_cnode *st = sgc_cnode_get(it, "strategy");
            if (st && st->kind == SGC_CN_SCALAR)
                s = !strcmp(st->str, "override")   ? MERGE_OVERRIDE
                    : !strcmp(st->str, "add-only") ? MERGE_ADD_ONLY
                                                   : MERGE_APPEND;
        }
        if (!p || p->kind != SGC_CN_SCALAR || sgc_cnode_is_null(p)) continue;
        char path[4096];
        if (p->str[0] == '/' || !main_dir)
            snprintf(path, sizeof path, "%s", p->str);
        else
            snprintf(path, sizeof path, "%s/%s", main_dir, p->str);
        struct stat st;
        if (stat(path, &st) != 0) {
            cfg_warn(&l->x, p, "config_files: '%s' does not exist (skipped)", path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            sgc_strlist files = {0};
            sgc_config_list_dir(path, &files);
            for (int j = 0; j < files.n; j++) include_one(l, root, files.v[j], s);
            sgc_strlist_free(&files);
        } else {
            include_one(l, root, path, s);
        }
    }
    sgc_cnode_free(list);
}

static void finish(loadctx *l, const sgc_config_args *a)
{
    sgc_conf *c = l->x.c;
    if (a && a->nrules > 0) {
        sgc_strlist_free(&c->rules_files);
        for (int i = 0; i < a->nrules; i++) sgc_strlist_push(&c->rules_files, a->rules[i]);
    }
    if (l->x.nerrors || l->x.d->nerrors) return; /* the checks below would only repeat an error */
    if (c->file_output.enabled && !c->file_output.filename[0]) {
        sgc_cnode at = {.file = c->loaded_files.n ? c->loaded_files.v[0] : NULL};
        cfg_error(&l->x, &at, "file_output is enabled without a filename");
    }
    if (c->program_output.enabled && !c->program_output.program[0])
        cfg_error(&l->x, NULL, "program_output is enabled without a program");
    if (c->http_output.enabled && !c->http_output.url[0])
        cfg_error(&l->x, NULL, "http_output is enabled without a url");
    if (c->nats_output.enabled && !c->nats_output.servers.n)
        cfg_error(&l->x, NULL, "nats_output is enabled without servers");
}

static int run(loadctx *l, sgc_cnode *root, const sgc_config_args *a, const char *main_dir)
{
    if (root && root->kind == SGC_CN_MAP) {
        if (a) apply_overrides(l, root, a, true);
        include_files(l, root, main_dir);
        if (a) apply_overrides(l, root, a, false);
    }
    if (root) cfg_apply_tree(&l->x, root);
    finish(l, a);
    sgc_cnode_free(root);
    sgc_strlist_free(&l->names);
    return l->x.nerrors || l->x.d->nerrors ? -1 : 0;
}

int sgc_config_load(sgc_conf *c, const sgc_config_args *a, sgc_diags *d)
{
    sgc_config_defaults(c);
    loadctx l = {.x = {.c = c, .d = d}};
    sgc_cnode *root;
    char *dir = NULL;
    if (a->file) {
        root = load_tree(&l, a->file);
        const char *slash = strrchr(a->file, '/');
        dir = slash ? strndup(a->file, (size_t)(slash - a->file + (slash == a->file))) : NULL;
    } else {
        /* no file: today's sgc run (no syslog, no log to syslog) */
        c->syslog_enabled = false;
        c->log_syslog = false;
        root = sgc_cnode_new(SGC_CN_MAP, NULL, 0, 0);
    }
    if (a->file && root) {
        c->syslog_enabled = true; /* Falco's defaults with a file */
        c->log_syslog = true;
    }
    int rc = run(&l, root, a, dir);
    free(dir);
    return rc;
}

int sgc_config_load_text(sgc_conf *c, const char *name, const char *text, size_t len, sgc_diags *d)
{
    sgc_config_defaults(c);
    c->syslog_enabled = true;
    c->log_syslog = true;
    loadctx l = {.x = {.c = c, .d = d}};
    sgc_cnode *root = sgc_cnode_parse(name, text, len, d);
    if (!root) l.x.nerrors++;
    return run(&l, root, NULL, NULL);
}

int sgc_config_rules_paths(const sgc_conf *c, sgc_strlist *out, sgc_diags *d)
{
    int nerr = 0;
    for (int i = 0; i < c->rules_files.n; i++) {
        const char *p = c->rules_files.v[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            sgc_diag_add(d, SGC_SEV_ERROR, "SGC_CONFIG", NULL, 0, 0,
                         "rules_files: cannot read '%s': %s", p, strerror(errno));
            nerr++;
        } else if (S_ISDIR(st.st_mode)) {
            if (sgc_config_list_dir(p, out) != 0) {
                sgc_diag_add(d, SGC_SEV_ERROR, "SGC_CONFIG", NULL, 0, 0,
                             "rules_files: cannot list '%s': %s", p, strerror(errno));
                nerr++;
            }
        } else {
            sgc_strlist_push(out, p);
        }
    }
    return nerr;
}
