/* libFuzzer target: any bytes as an alert arriving on an input (stdin line,
 * HTTP body, NATS message): parsed, matched against a playbook of every
 * match kind, and handled by a responder in dry-run mode (no action touches
 * the machine). Malformed JSON, missing or mistyped fields and huge bodies
 * must be refused cleanly. */
#include "rp_alert.h"
#include "match.h"
#include "playbook.h"
#include "respond_config.h"
#include "responder.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char playbook[] =
    "- action: Kill\n  actionner: process:kill\n"
    "- action: Stop\n  actionner: container:stop\n"
    "- action: Quarantine\n  actionner: file:quarantine\n  parameters: {dir: /nonexistent/q}\n"
    "- rule: by name\n  match: {rules: [Terminal shell in container], priority: '>=Warning'}\n"
    "  actions: [{action: Kill}, {action: Stop}]\n"
    "- rule: by fields\n  match:\n    tags: ['container, shell', mitre]\n"
    "    output_fields: ['container.id!=host, proc.name=sh', 'fd.name=/etc/shadow']\n"
    "    source: syscall\n  actions: [{action: Quarantine}]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rp_playbook pb;
    static rp_config cfg;
    static rp_responder *r;
    if (!r) {
        rp_playbook_init(&pb);
        rp_playbook_load(&pb, "fuzz-playbook.yaml", playbook, strlen(playbook));
        rp_playbook_finish(&pb);
        rp_config_defaults(&cfg);
        cfg.dry_run = true;
        char err[256];
        r = rp_responder_new(&cfg, &pb, NULL, err, sizeof err);
        if (!r) return 0;
    }
    rp_alert a;
    char err[256];
    if (rp_alert_parse((const char *)data, size, &a, err, sizeof err)) {
        for (int i = 0; i < pb.nrules; i++) (void)rp_rule_matches(&pb.rules[i], &a);
        char tmp[64];
        (void)rp_alert_field(&a, "proc.pid", tmp, sizeof tmp);
        rp_alert_free(&a);
    }
    rp_responder_handle(r, (const char *)data, size, "fuzz", err, sizeof err);
    return 0;
}
