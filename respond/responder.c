/* The responder core (see responder.h): exactly-once ids, deduplication,
 * matching, the action chain, rate limit, audit log and notifiers. */
#include "responder.h"
#include "actionners.h"
#include "rp_alert.h"
#include "idset.h"
#include "match.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rp_responder {
    const rp_config *cfg;
    const rp_playbook *pb;
    pthread_mutex_t lock;
    FILE *audit;
    FILE *state;
    rp_idset *handled; /* alert ids */
    rp_idset *dedup;   /* dedup keys -> time acted */
    double tokens, last_refill;
    rp_notify *notify;
    rp_stats st;
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Alerts that already have a line in the audit log were handled: a crash
 * between an action and the state file still counts them once. */
static void load_audit_ids(rp_responder *r, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "alert_id"));
        if (id) rp_idset_put(r->handled, id, 0);
        json_decref(j);
    }
    free(line);
    fclose(f);
}

static void load_state(rp_responder *r, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            if (*line) rp_idset_put(r->handled, line, 0);
        }
        fclose(f);
    }
    r->state = fopen(path, "a");
}

rp_responder *rp_responder_new(const rp_config *cfg, const rp_playbook *pb, const char *state_file,
                               char *err, size_t errlen)
{
    rp_responder *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->cfg = cfg;
    r->pb = pb;
    pthread_mutex_init(&r->lock, NULL);
    r->handled = rp_idset_new(1u << 20);
    r->dedup = rp_idset_new(1u << 16);
    r->notify = rp_notify_new();
    r->tokens = cfg->rate_burst > 0 ? cfg->rate_burst : cfg->rate_per_sec;
    r->last_refill = mono_now();
    if (cfg->audit_log) {
        if (state_file) load_audit_ids(r, cfg->audit_log);
        r->audit = fopen(cfg->audit_log, "a");
        if (!r->audit) {
            snprintf(err, errlen, "cannot open audit log %s: %s", cfg->audit_log, strerror(errno));
            rp_responder_free(r);
            return NULL;
        }
    }
    if (state_file) {
        load_state(r, state_file);
        if (!r->state) {
            snprintf(err, errlen, "cannot open state file %s: %s", state_file, strerror(errno));
            rp_responder_free(r);
            return NULL;
        }
    }
    return r;
}

void rp_responder_free(rp_responder *r)
{
    if (!r) return;
    if (r->audit) fclose(r->audit);
    if (r->state) fclose(r->state);
    rp_idset_free(r->handled);
    rp_idset_free(r->dedup);
    rp_notify_free(r->notify);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

void rp_responder_stats(rp_responder *r, rp_stats *out)
{
    pthread_mutex_lock(&r->lock);
    *out = r->st;
    pthread_mutex_unlock(&r->lock);
}

/* Token bucket over executed actions. */
static bool take_token(rp_responder *r)
{
    if (r->cfg->rate_per_sec <= 0) return true;
    double now = mono_now();
    double burst = r->cfg->rate_burst > 0 ? r->cfg->rate_burst : r->cfg->rate_per_sec;
    r->tokens += (now - r->last_refill) * r->cfg->rate_per_sec;
    if (r->tokens > burst) r->tokens = burst;
    r->last_refill = now;
    if (r->tokens < 1) return false;
    r->tokens -= 1;
    return true;
}

static void iso_now(char *buf, size_t n)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char b[24];
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, n, "%.19s.%06dZ", b, (int)(ts.tv_nsec / 1000) % 1000000);
}

static json_t *outcome_json(const rp_alert *a, const rp_rule *rule, const rp_action *act,
                            rp_result res, const char *detail, double ms, bool dry,
                            const char *input)
{
    char t[64];
    iso_now(t, sizeof t);
    json_t *o = json_object();
    json_object_set_new(o, "time", json_string(t));
    json_object_set_new(o, "alert_id", json_string(a->id));
    json_object_set_new(o, "falco_rule", json_string(a->rule));
    json_object_set_new(o, "playbook_rule", json_string(rule->name));
    json_object_set_new(o, "action", json_string(act->name));
    json_object_set_new(o, "actionner", json_string(act->actionner ? act->actionner : ""));
    json_object_set(o, "parameters", act->params);
    json_object_set_new(o, "result", json_string(rp_result_name(res)));
    json_object_set_new(o, "detail", json_string(detail));
    json_object_set_new(o, "duration_ms", json_real(ms));
    json_object_set_new(o, "dry_run", json_boolean(dry));
    json_object_set_new(o, "input", json_string(input ? input : ""));
    return o;
}

static bool rule_notifies(const rp_responder *r, const rp_rule *rule, const char *name)
{
    const char *const *v = (const char *const *)rule->notifiers;
    int n = rule->nnotifiers;
    if (!n) {
        v = (const char *const *)r->cfg->default_notifiers;
        n = r->cfg->ndefault_notifiers;
    }
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], name)) return true;
    return false;
}

static void notify_outcome(rp_responder *r, const rp_rule *rule, const char *line)
{
    char err[256];
    if (r->cfg->notify_nats && rule_notifies(r, rule, "nats") &&
        rp_notify_nats_publish(r->notify, &r->cfg->notify_nats_conf,
                               r->cfg->notify_nats_conf.subjects[0], line, err, sizeof err))
        fprintf(stderr, "sgc respond: notifier nats: %s\n", err);
    if (r->cfg->notify_webhook && rule_notifies(r, rule, "webhook") &&
        rp_notify_webhook_post(r->cfg->webhook_url, r->cfg->webhook_headers, r->cfg->webhook_ca,
                               line, 5, err, sizeof err))
        fprintf(stderr, "sgc respond: notifier webhook: %s\n", err);
}

static void count(rp_responder *r, rp_result res)
{
    switch (res) {
    case RP_R_OK: r->st.actions_ok++; break;
    case RP_R_DRY_RUN: r->st.actions_dry_run++; break;
    case RP_R_ERROR:
    case RP_R_UNSUPPORTED: r->st.actions_failed++; break;
    case RP_R_REFUSED: r->st.actions_refused++; break;
    case RP_R_RATE_LIMITED: r->st.rate_limited++; break;
    }
}

/* Run one rule's actions in order (Talon: a failure stops the chain unless
 * ignore_errors; continue: false stops after the action). */
static void run_rule(rp_responder *r, const rp_rule *rule, const rp_alert *a, const char *raw,
                     const char *input)
{
    bool dry = r->cfg->dry_run || rule->dry_run == 1;
    json_t *outcomes = json_array();
    for (int i = 0; i < rule->nactions; i++) {
        const rp_action *act = &rule->actions[i];
        rp_act_env env = {r->cfg, a, raw, rule, act, outcomes, dry, r->notify};
        char detail[1024] = "";
        double t0 = mono_now();
        rp_result res;
        if (!dry && !take_token(r)) {
            res = RP_R_RATE_LIMITED;
            snprintf(detail, sizeof detail, "over the rate limit of %g actions/s",
                     r->cfg->rate_per_sec);
        } else {
            res = rp_act_run(&env, detail, sizeof detail);
        }
        double ms = (mono_now() - t0) * 1e3;
        count(r, res);
        json_t *o = outcome_json(a, rule, act, res, detail, ms, dry, input);
        char *line = json_dumps(o, JSON_COMPACT);
        if (line && r->audit) {
            fprintf(r->audit, "%s\n", line);
            fflush(r->audit);
        }
        if (line) notify_outcome(r, rule, line);
        free(line);
        json_array_append_new(outcomes, o);
        bool failed = res == RP_R_ERROR || res == RP_R_REFUSED || res == RP_R_UNSUPPORTED ||
                      res == RP_R_RATE_LIMITED;
        int ignore = act->ignore_errors > 0;
        int cont = act->cont >= 0 ? act->cont : rp_actionner_default_continue(act->actionner);
        if ((failed && !ignore) || !cont) break;
    }
    json_decref(outcomes);
}

static void mark_handled(rp_responder *r, const rp_alert *a)
{
    rp_idset_put(r->handled, a->id, 0);
    if (r->state) {
        fprintf(r->state, "%s\n", a->id);
        fflush(r->state);
    }
}

rp_handle_result rp_responder_handle(rp_responder *r, const char *buf, size_t len,
                                     const char *input, char *err, size_t errlen)
{
    rp_alert a;
    char why[256];
    if (!rp_alert_parse(buf, len, &a, why, sizeof why)) {
        pthread_mutex_lock(&r->lock);
        r->st.received++;
        r->st.malformed++;
        pthread_mutex_unlock(&r->lock);
        if (err) snprintf(err, errlen, "%s", why);
        return RP_MALFORMED;
    }
    pthread_mutex_lock(&r->lock);
    r->st.received++;
    rp_handle_result ret = RP_HANDLED;
    if (rp_idset_get(r->handled, a.id, NULL)) {
        r->st.duplicates++;
        ret = RP_DUPLICATE;
        goto out;
    }
    double now = mono_now(), last;
    if (r->cfg->dedup_window > 0 && rp_idset_get(r->dedup, a.dedup_key, &last) &&
        now - last < r->cfg->dedup_window) {
        r->st.deduplicated++;
        mark_handled(r, &a);
        goto out;
    }
    bool any = false;
    for (int i = 0; i < r->pb->nrules; i++) {
        const rp_rule *rule = &r->pb->rules[i];
        if (!rp_rule_matches(rule, &a)) continue;
        any = true;
        run_rule(r, rule, &a, buf, input);
        if (!rule->cont) break;
    }
    if (any) {
        r->st.matched++;
        rp_idset_put(r->dedup, a.dedup_key, now);
    }
    mark_handled(r, &a);
out:
    pthread_mutex_unlock(&r->lock);
    rp_alert_free(&a);
    return ret;
}
