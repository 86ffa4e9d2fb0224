/* Loading respond.yaml (see respond_config.h for the keys). */
#include "respond_config.h"
#include "playbook_yaml.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define CODE "RESPOND_CONFIG"

void rp_config_defaults(rp_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->dedup_window = 5;
    cfg->http_address = strdup("127.0.0.1");
    cfg->http_port = 2803;
    cfg->rate_per_sec = 100;
    cfg->rate_burst = 200;
}

static void free_strv(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void nats_free(rp_nats_conf *n)
{
    free_strv(n->servers, n->nservers);
    free_strv(n->subjects, n->nsubjects);
    free(n->durable);
    free(n->stream);
    free(n->credentials);
    free(n->user);
    free(n->password);
    free(n->token);
    free(n->tls.ca);
    free(n->tls.cert);
    free(n->tls.key);
    free(n->tls.server_name);
}

void rp_config_free(rp_config *cfg)
{
    free(cfg->path);
    free_strv(cfg->rules_files, cfg->nrules_files);
    free_strv(cfg->falco_rules_files, cfg->nfalco_rules_files);
    free(cfg->audit_log);
    free(cfg->state_file);
    free_strv(cfg->allow_names, cfg->nallow_names);
    free_strv(cfg->allow_containers, cfg->nallow_containers);
    free_strv(cfg->container_sockets, cfg->ncontainer_sockets);
    free(cfg->http_address);
    nats_free(&cfg->nats);
    nats_free(&cfg->notify_nats_conf);
    free(cfg->notify_nats_subject);
    free(cfg->webhook_url);
    free(cfg->webhook_ca);
    json_decref(cfg->webhook_headers);
    free_strv(cfg->default_notifiers, cfg->ndefault_notifiers);
    memset(cfg, 0, sizeof *cfg);
}

typedef struct ctx {
    rp_ydoc *d;
    const char *dir;
} ctx;

/* A file name relative to the config's directory. */
static char *rel_path(ctx *c, const char *s)
{
    if (s[0] == '/' || !c->dir) return strdup(s);
    char *r = NULL;
    if (asprintf(&r, "%s/%s", c->dir, s) < 0) return NULL;
    return r;
}

static bool get_str(ctx *c, const yaml_node_t *v, const char *key, char **out, bool path)
{
    const char *s = rp_ystr(v);
    if (!s || !*s) {
        rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "'%s' must be a non-empty string", key);
        return false;
    }
    free(*out);
    *out = path ? rel_path(c, s) : strdup(s);
    return true;
}

static bool get_list(ctx *c, const yaml_node_t *v, const char *key, char ***out, int *n, bool path)
{
    if (rp_yis_scalar(v) && *rp_ystr(v)) {
        /* one string for a list of one (Falco's and Talon's configs accept it) */
        free_strv(*out, *n);
        *out = calloc(1, sizeof **out);
        (*out)[0] = path ? rel_path(c, rp_ystr(v)) : strdup(rp_ystr(v));
        *n = 1;
        return true;
    }
    if (!v || v->type != YAML_SEQUENCE_NODE) {
        rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "'%s' must be a list of strings", key);
        return false;
    }
    free_strv(*out, *n);
    *out = NULL;
    *n = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *e = rp_ynode(c->d, *it);
        const char *s = rp_ystr(e);
        if (!s || !*s) {
            rp_ydiag(c->d, SGC_SEV_ERROR, CODE, e, "'%s' must be a list of strings", key);
            return false;
        }
        char **nv = realloc(*out, (size_t)(*n + 1) * sizeof *nv);
        if (!nv) return false;
        *out = nv;
        (*out)[(*n)++] = path ? rel_path(c, s) : strdup(s);
    }
    return true;
}

static bool get_bool(ctx *c, const yaml_node_t *v, const char *key, bool *out)
{
    int b = rp_ybool(v);
    if (b < 0) {
        rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "'%s' must be true or false", key);
        return false;
    }
    *out = b;
    return true;
}

static bool get_num(ctx *c, const yaml_node_t *v, const char *key, double lo, double hi,
                    double *out)
{
    const char *s = rp_ystr(v);
    char *end = NULL;
    double x = s ? strtod(s, &end) : 0;
    if (!s || !*s || *end || x < lo || x > hi) {
        rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "'%s' must be a number from %g to %g", key, lo, hi);
        return false;
    }
    *out = x;
    return true;
}

static bool want_map(ctx *c, const yaml_node_t *v, const char *key)
{
    if (v && v->type == YAML_MAPPING_NODE) return true;
    rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "'%s' must be a mapping", key);
    return false;
}

typedef bool (*key_fn)(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud);

static void each_key(ctx *c, const yaml_node_t *m, key_fn fn, void *ud, const char *where)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rp_ynode(c->d, p->key), *v = rp_ynode(c->d, p->value);
        const char *ks = rp_ystr(k);
        if (!ks || !fn(c, ks, k, v, ud))
            rp_ydiag(c->d, SGC_SEV_ERROR, CODE, k, "unknown key '%s'%s%s", ks ? ks : "?",
                     where ? " in " : "", where ? where : "");
    }
}

static bool tls_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_tls *t = ud;
    (void)k;
    if (!strcmp(key, "ca") || !strcmp(key, "cacert"))
        get_str(c, v, key, &t->ca, true);
    else if (!strcmp(key, "cert") || !strcmp(key, "certfile"))
        get_str(c, v, key, &t->cert, true);
    else if (!strcmp(key, "key") || !strcmp(key, "keyfile"))
        get_str(c, v, key, &t->key, true);
    else if (!strcmp(key, "server_name"))
        get_str(c, v, key, &t->server_name, false);
    else if (!strcmp(key, "enabled"))
        get_bool(c, v, key, &t->enabled);
    else
        return false;
    return true;
}

static bool nats_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_nats_conf *n = ud;
    (void)k;
    if (!strcmp(key, "servers") || !strcmp(key, "url") || !strcmp(key, "hostport"))
        get_list(c, v, key, &n->servers, &n->nservers, false);
    else if (!strcmp(key, "subjects") || !strcmp(key, "subject"))
        get_list(c, v, key, &n->subjects, &n->nsubjects, false);
    else if (!strcmp(key, "durable"))
        get_str(c, v, key, &n->durable, false);
    else if (!strcmp(key, "stream"))
        get_str(c, v, key, &n->stream, false);
    else if (!strcmp(key, "credentials"))
        get_str(c, v, key, &n->credentials, true);
    else if (!strcmp(key, "user"))
        get_str(c, v, key, &n->user, false);
    else if (!strcmp(key, "password"))
        get_str(c, v, key, &n->password, false);
    else if (!strcmp(key, "token"))
        get_str(c, v, key, &n->token, false);
    else if (!strcmp(key, "tls")) {
        if (want_map(c, v, "tls")) {
            n->tls.enabled = true;
            each_key(c, v, tls_key, &n->tls, "tls");
        }
    } else
        return false;
    return true;
}

static bool http_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    (void)k;
    double port;
    if (!strcmp(key, "listen_address"))
        get_str(c, v, key, &cfg->http_address, false);
    else if (!strcmp(key, "listen_port")) {
        if (get_num(c, v, key, 1, 65535, &port)) cfg->http_port = (int)port;
    } else if (!strcmp(key, "enabled"))
        get_bool(c, v, key, &cfg->in_http);
    else
        return false;
    return true;
}

static bool inputs_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    (void)k;
    if (!strcmp(key, "stdin"))
        get_bool(c, v, key, &cfg->in_stdin);
    else if (!strcmp(key, "http")) {
        if (want_map(c, v, key)) {
            cfg->in_http = true;
            each_key(c, v, http_key, cfg, "http");
        }
    } else if (!strcmp(key, "nats")) {
        if (want_map(c, v, key)) {
            cfg->in_nats = true;
            each_key(c, v, nats_key, &cfg->nats, "nats");
            if (!cfg->nats.nservers)
                rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "the nats input needs 'servers'");
            if (!cfg->nats.nsubjects)
                rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "the nats input needs 'subjects'");
        }
    } else
        return false;
    return true;
}

static bool rate_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    (void)k;
    if (!strcmp(key, "actions_per_second"))
        get_num(c, v, key, 0, 1e9, &cfg->rate_per_sec);
    else if (!strcmp(key, "burst"))
        get_num(c, v, key, 1, 1e9, &cfg->rate_burst);
    else
        return false;
    return true;
}

static bool allow_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    (void)k;
    if (!strcmp(key, "process_names"))
        get_list(c, v, key, &cfg->allow_names, &cfg->nallow_names, false);
    else if (!strcmp(key, "containers"))
        get_list(c, v, key, &cfg->allow_containers, &cfg->nallow_containers, false);
    else
        return false;
    return true;
}

static bool notifier_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    if (!strcmp(key, "nats")) {
        if (want_map(c, v, key)) {
            cfg->notify_nats = true;
            each_key(c, v, nats_key, &cfg->notify_nats_conf, "notifiers.nats");
            if (cfg->notify_nats_conf.nsubjects != 1)
                rp_ydiag(c->d, SGC_SEV_ERROR, CODE, v, "notifiers.nats needs one 'subject'");
        }
    } else if (!strcmp(key, "webhook")) {
        if (want_map(c, v, key)) {
            yaml_node_t *u = rp_yget(c->d, v, "url", NULL);
            const char *s = rp_ystr(u);
            if (s && *s) {
                cfg->notify_webhook = true;
                get_str(c, u, "url", &cfg->webhook_url, false);
            }
            yaml_node_t *ca = rp_yget(c->d, v, "ca", NULL);
            if (ca) get_str(c, ca, "ca", &cfg->webhook_ca, true);
            yaml_node_t *h = rp_yget(c->d, v, "headers", NULL);
            if (h) cfg->webhook_headers = rp_yjson(c->d, h);
        }
    } else {
        rp_ydiag(c->d, SGC_SEV_WARNING, CODE, k,
                 "notifier '%s' is not supported by sgc respond; ignored", key);
    }
    return true;
}

static const char *const talon_ignored[] = {
    "kubeconfig", "log_format", "watch_rules", "print_all_events", "otel", "aws", "minio", NULL};

static bool top_key(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *ud)
{
    rp_config *cfg = ud;
    for (int i = 0; talon_ignored[i]; i++)
        if (!strcmp(key, talon_ignored[i])) {
            rp_ydiag(c->d, SGC_SEV_WARNING, CODE, k,
                     "Talon setting '%s' has no meaning for sgc respond; ignored", key);
            return true;
        }
    if (!strcmp(key, "rules_files"))
        get_list(c, v, key, &cfg->rules_files, &cfg->nrules_files, true);
    else if (!strcmp(key, "falco_rules_files"))
        get_list(c, v, key, &cfg->falco_rules_files, &cfg->nfalco_rules_files, true);
    else if (!strcmp(key, "dry_run"))
        get_bool(c, v, key, &cfg->dry_run);
    else if (!strcmp(key, "audit_log"))
        get_str(c, v, key, &cfg->audit_log, true);
    else if (!strcmp(key, "state_file"))
        get_str(c, v, key, &cfg->state_file, true);
    else if (!strcmp(key, "dedup_window"))
        get_num(c, v, key, 0, 86400, &cfg->dedup_window);
    else if (!strcmp(key, "deduplication")) {
        if (want_map(c, v, key)) {
            yaml_node_t *w = rp_yget(c->d, v, "time_window_seconds", NULL);
            if (w) get_num(c, w, "time_window_seconds", 0, 86400, &cfg->dedup_window);
        }
    } else if (!strcmp(key, "rate_limit")) {
        if (want_map(c, v, key)) each_key(c, v, rate_key, cfg, "rate_limit");
    } else if (!strcmp(key, "allowlist")) {
        if (want_map(c, v, key)) each_key(c, v, allow_key, cfg, "allowlist");
    } else if (!strcmp(key, "container_sockets"))
        get_list(c, v, key, &cfg->container_sockets, &cfg->ncontainer_sockets, false);
    else if (!strcmp(key, "inputs")) {
        if (want_map(c, v, key)) each_key(c, v, inputs_key, cfg, "inputs");
    } else if (!strcmp(key, "listen_address") || !strcmp(key, "listen_port")) {
        cfg->in_http = true;
        http_key(c, key, k, v, cfg);
    } else if (!strcmp(key, "notifiers")) {
        if (want_map(c, v, key)) each_key(c, v, notifier_key, cfg, "notifiers");
    } else if (!strcmp(key, "default_notifiers"))
        get_list(c, v, key, &cfg->default_notifiers, &cfg->ndefault_notifiers, false);
    else
        return inputs_key(c, key, k, v, cfg);
    return true;
}

int rp_config_load(rp_config *cfg, const char *path, sgc_diags *diags)
{
    rp_config_defaults(cfg);
    cfg->path = strdup(path);
    rp_ydoc d;
    if (!rp_ydoc_open(&d, cfg->path, NULL, 0, diags)) {
        int e = d.errors;
        rp_ydoc_close(&d);
        return e;
    }
    char *pcopy = strdup(path);
    ctx c = {&d, dirname(pcopy)};
    yaml_node_t *root = rp_ydoc_root(&d);
    if (!root || root->type != YAML_MAPPING_NODE)
        rp_ydiag(&d, SGC_SEV_ERROR, CODE, root, "the configuration must be a mapping");
    else
        each_key(&c, root, top_key, cfg, NULL);
    if (root && !d.errors && !cfg->nrules_files)
        rp_ydiag(&d, SGC_SEV_ERROR, CODE, root, "'rules_files' is required");
    if (!cfg->in_stdin && !cfg->in_nats) cfg->in_http = true;
    if (!cfg->state_file && cfg->audit_log &&
        asprintf(&cfg->state_file, "%s.state", cfg->audit_log) < 0)
        cfg->state_file = NULL;
    for (int i = 0; i < cfg->ndefault_notifiers; i++) {
        const char *n = cfg->default_notifiers[i];
        if (strcmp(n, "nats") && strcmp(n, "webhook"))
            rp_ydiag(&d, SGC_SEV_WARNING, CODE, root,
                     "default notifier '%s' is not supported by sgc respond; ignored", n);
    }
    int e = d.errors;
    free(pcopy);
    rp_ydoc_close(&d);
    return e;
}
