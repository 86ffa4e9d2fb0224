/* sgc respond's throughput: alerts handled per second by the responder core
 * (parse, exactly-once id, dedup, matching against 100 playbook rules, the
 * audit line of each action) with the actions in dry-run mode, so the
 * figure is the responder's own cost. The baseline, measured in the same
 * run, is parsing alone (rp_alert_parse: the JSON every input must read);
 * the ratio says what matching and bookkeeping add.
 *
 *   bench_respond [-n ALERTS] [-r PLAYBOOK_RULES]
 * prints "alerts=N rules=R parse_per_s=... handle_per_s=... ratio=..." */
#include "rp_alert.h"
#include "playbook.h"
#include "respond_config.h"
#include "responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *make_playbook(int nrules)
{
    size_t cap = 256 + (size_t)nrules * 400, len = 0;
    char *s = malloc(cap);
    len += (size_t)snprintf(s + len, cap - len,
                            "- action: Kill\n  actionner: process:kill\n"
                            "- action: Stop\n  actionner: container:stop\n");
    for (int i = 0; i < nrules; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "- rule: playbook %d\n  match:\n    rules: [Bench rule %d]\n"
                                "    priority: \">=Warning\"\n    output_fields: "
                                "[\"container.id!=host, proc.name!=sshd\"]\n"
                                "  actions: [{action: %s}]\n",
                                i, i, i % 2 ? "Kill" : "Stop");
    return s;
}

int main(int argc, char **argv)
{
    int n = 200000, nrules = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-r"))
            nrules = atoi(argv[i + 1]);
    }
    char *pbtext = make_playbook(nrules);
    rp_playbook pb;
    rp_playbook_init(&pb);
    if (rp_playbook_load(&pb, "bench.yaml", pbtext, strlen(pbtext)) || rp_playbook_finish(&pb)) {
        fprintf(stderr, "bench playbook does not load\n");
        return 1;
    }
    rp_config cfg;
    rp_config_defaults(&cfg);
    cfg.dry_run = true;
    cfg.rate_per_sec = 0;
    char audit[] = "/tmp/sgc-bench-respond-XXXXXX";
    int fd = mkstemp(audit);
    close(fd);
    cfg.audit_log = strdup(audit);
    char err[256];
    rp_responder *r = rp_responder_new(&cfg, &pb, NULL, err, sizeof err);
    if (!r) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    /* alerts: 1 in 10 matches a playbook rule (on a pid that does not exist,
     * so the dry-run kill stops at its checks); every one has its own id and
     * its own fields (no dedup) */
    char **alerts = malloc((size_t)n * sizeof *alerts);
    for (int i = 0; i < n; i++) {
        int rule = i % 10 == 0 ? (i / 10) % nrules : nrules + i % 1000;
        if (asprintf(
                &alerts[i],
                "{\"hostname\":\"bench\",\"output\":\"x\",\"output_fields\":{\"container.id\":"
                "\"abcdef012345\","
                "\"evt.time\":%d,\"proc.exepath\":\"/usr/bin/"
                "x\",\"proc.name\":\"x%d\",\"proc.pid\":%d,"
                "\"sgc.alert.id\":\"bench-%d\"},\"priority\":\"Critical\",\"rule\":\"Bench rule "
                "%d\","
                "\"source\":\"syscall\",\"tags\":[\"a\",\"b\"],\"time\":\"2026-01-01T00:00:00Z\"}",
                i, i, 4000000 + i, i, rule) < 0)
            return 1;
    }
    double t0 = now();
    for (int i = 0; i < n; i++) {
        rp_alert a;
        if (rp_alert_parse(alerts[i], strlen(alerts[i]), &a, err, sizeof err)) rp_alert_free(&a);
    }
    double parse_s = now() - t0;
    t0 = now();
    for (int i = 0; i < n; i++)
        rp_responder_handle(r, alerts[i], strlen(alerts[i]), "bench", err, sizeof err);
    double handle_s = now() - t0;
    rp_stats st;
    rp_responder_stats(r, &st);
    printf("alerts=%d rules=%d matched=%llu actions=%llu parse_per_s=%.0f handle_per_s=%.0f "
           "handle_vs_parse=%.2f\n",
           n, nrules, (unsigned long long)st.matched,
           (unsigned long long)(st.actions_dry_run + st.actions_refused + st.actions_ok),
           n / parse_s, n / handle_s, handle_s / parse_s);
    rp_responder_free(r);
    unlink(audit);
    for (int i = 0; i < n; i++) free(alerts[i]);
    free(alerts);
    free(pbtext);
    rp_playbook_free(&pb);
    rp_config_free(&cfg);
    return 0;
}
