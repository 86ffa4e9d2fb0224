#!/usr/bin/env bash
# The k8s_audit webhook end to end: `sgc run --enable-source k8s_audit`
# serves HTTPS with client-certificate verification on a loopback port;
# Falco's k8s_audit rules (unmodified) judge what curl POSTs as an EventList
# and as single events; bad requests get the k8saudit plugin's status codes,
# are counted in the summary, and neither stop the server nor lose the good
# events of the same stream. No kernel capture (no root needed).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-i13-webhook.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/k8saudit.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
command -v curl > /dev/null || fail "curl missing"
command -v openssl > /dev/null || fail "openssl missing"
rules="$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml"
ka_make_certs "$tmp/pki" || fail "openssl could not make the test certificates"
port=$(ka_free_port)
url="https://127.0.0.1:$port/k8s-audit"

ka_start run run --enable-source k8s_audit --json -o "$tmp/alerts.json" \
    --k8s-audit-listen-address 127.0.0.1 --k8s-audit-listen-port "$port" \
    --k8s-audit-tls-cert "$tmp/pki/server.crt" --k8s-audit-tls-key "$tmp/pki/server.key" \
    --k8s-audit-tls-client-ca "$tmp/pki/ca.crt" --k8s-audit-max-batch-bytes 100000 "$rules"
grep -q "webhook listening on https://127.0.0.1:$port/k8s-audit" "$tmp/run.err" || fail "no listen line"
if grep -q 'attached' "$tmp/run.err"; then fail "k8s_audit alone attached BPF programs"; fi

post() { # EXPECTED-STATUS DATA-FILE [CURL-ARGS...]
    local want=$1 data=$2
    shift 2
    local got
    got=$(curl -sS -o "$tmp/body" -w '%{http_code}' --cacert "$tmp/pki/ca.crt" \
        --cert "$tmp/pki/client.crt" --key "$tmp/pki/client.key" "$@" \
        --data-binary @"$data" "$url") || got="curl-error"
    [ "$got" = "$want" ] || fail "expected HTTP $want, got $got ($* $(head -c 200 "$tmp/body" 2>/dev/null))"
}
json=(-H 'Content-Type: application/json' -X POST)

# An EventList: a secret read and a deployment deletion, both alert.
{
    printf '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":['
    ka_event e1 ResponseComplete get secrets db-password-e1
    printf ','
    ka_event e2 ResponseComplete delete deployments web-e2
    printf ']}'
} > "$tmp/list.json"
post 200 "$tmp/list.json" "${json[@]}"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=db-password-e1
wait_alert "$tmp/alerts.json" "K8s Deployment Deleted" ka.target.name=web-e2

# One by one, with the charset parameter an API server may add.
for i in 1 2 3; do
    ka_event "s$i" ResponseComplete create configmaps "cm-single-$i" > "$tmp/one.json"
    post 200 "$tmp/one.json" -H 'Content-Type: application/json; charset=utf-8' -X POST
done
for i in 1 2 3; do
    wait_alert "$tmp/alerts.json" "K8s ConfigMap Created" "ka.target.name=cm-single-$i"
done
python3 - "$tmp/alerts.json" <<'PY' || fail "alert format"
import json, socket, sys
for line in open(sys.argv[1]):
    a = json.loads(line)
    assert a["source"] == "k8s_audit", a
    assert a["hostname"] == socket.gethostname(), a
    assert a["time"] == "2024-05-01T12:00:00.100000000Z", a
    assert a["priority"] and a["rule"] and a["output"], a
PY

# Bad requests: the plugin's status codes.
echo '{}' > "$tmp/empty.json"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/pki/ca.crt" --cert "$tmp/pki/client.crt" \
    --key "$tmp/pki/client.key" "$url")
[ "$code" = 405 ] || fail "GET answered $code, not 405"
post 400 "$tmp/empty.json" -H 'Content-Type: text/plain' -X POST
head -c 150000 /dev/zero | tr '\0' ' ' > "$tmp/big.json"
post 400 "$tmp/big.json" "${json[@]}"
printf '{"kind":"EventList","items":[' > "$tmp/bad.json"
post 200 "$tmp/bad.json" "${json[@]}"          # malformed JSON: dropped, answered 200 as the plugin
# an event without stageTimestamp next to a good one: the good one alerts
{
    printf '{"kind":"EventList","items":['
    ka_event nots ResponseComplete get secrets no-ts | sed 's/,"stageTimestamp":"[^"]*"//'
    printf ','
    ka_event good ResponseComplete get secrets after-bad-e5
    printf ']}'
} > "$tmp/mixed.json"
post 200 "$tmp/mixed.json" "${json[@]}"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=after-bad-e5
no_alert "$tmp/alerts.json" ka.target.name=no-ts
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/pki/ca.crt" "${json[@]}" \
    --data-binary @"$tmp/one.json" "$url" 2>/dev/null || true)
[ "$code" = 403 ] || [ "$code" = 000 ] || fail "no client certificate answered $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/pki/ca.crt" --cert "$tmp/pki/rogue.crt" \
    --key "$tmp/pki/rogue.key" "${json[@]}" --data-binary @"$tmp/one.json" "$url" 2>/dev/null || true)
[ "$code" = 403 ] || [ "$code" = 000 ] || fail "a certificate of another CA answered $code"

# Still serving after all that.
ka_event last ResponseComplete delete services svc-last > "$tmp/last.json"
post 200 "$tmp/last.json" "${json[@]}"
wait_alert "$tmp/alerts.json" "K8s Service Deleted" ka.target.name=svc-last

live_stop "$ka_pid"
s="$tmp/run.err"
grep -q 'k8s_audit: 7 events evaluated, 7 alerts' "$s" || { cat "$s" >&2; fail "events evaluated"; }
for want in '1 not POST (405)' '1 wrong content type (400)' '1 too large (400)' \
    '1 malformed JSON' '1 without stageTimestamp' '2 client certificate rejected (403)' \
    '0 events dropped'; do
    grep -qF "$want" "$s" || { cat "$s" >&2; fail "summary lacks '$want'"; }
done
echo ok
