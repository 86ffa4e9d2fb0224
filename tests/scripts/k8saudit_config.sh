#!/usr/bin/env bash
# The k8s_audit source configured by sgc.yaml's `k8s_audit` section (the keys
# of the issue: enabled, listen_address, listen_port, path), not by flags:
# `sgc run -c` serves the webhook on the configured address and path, an
# audit event POSTed there raises the Falco rule's alert through the
# configured file output, and a wrong path gets 404. No kernel capture.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-k8s-config.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/k8saudit.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
command -v curl > /dev/null || fail "curl missing"
export SGC_NO_DEFAULT_CONFIG=1
port=$(ka_free_port)
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml]
json_output: true
stdout_output: {enabled: false}
syslog_output: {enabled: false}
file_output: {enabled: true, filename: $tmp/alerts.json}
k8s_audit:
  enabled: true
  listen_address: 127.0.0.1
  listen_port: $port
  path: /audit-in
YAML
ka_start run run -c "$tmp/sgc.yaml" --enable-source k8s_audit
grep -q "webhook listening on http://127.0.0.1:$port/audit-in" "$tmp/run.err" || fail "$(cat "$tmp/run.err")"
event='{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"cfg-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods/web-0","verb":"get","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"default","name":"web-0","apiVersion":"v1"},"responseStatus":{"code":200},"stageTimestamp":"2024-05-01T12:00:01.123456Z"}'
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$event" "http://127.0.0.1:$port/audit-in")
[ "$code" = 200 ] || fail "POST to the configured path: HTTP $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$event" "http://127.0.0.1:$port/k8s-audit")
[ "$code" = 404 ] || fail "POST to the default path: HTTP $code, expected 404"
for _ in $(seq 50); do
    grep -q '"rule":"Disallowed K8s User"' "$tmp/alerts.json" 2> /dev/null && break
    sleep 0.1
done
grep -q '"rule":"Disallowed K8s User"' "$tmp/alerts.json" || fail "no alert in the configured file"
grep -q '"ka.user.name":"mallory"' "$tmp/alerts.json" || fail "$(cat "$tmp/alerts.json")"
grep -q '"source":"k8s_audit"' "$tmp/alerts.json" || fail "source"
echo "ok: k8s_audit from sgc.yaml: webhook on /audit-in, alert in the file output"
