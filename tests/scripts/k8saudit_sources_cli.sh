#!/usr/bin/env bash
# Choosing sources as Falco does: --enable-source restricts to the sources
# named, --disable-source removes one, disabling all is a usage error, and
# the rules of a source that does not run are skipped with a warning.
# Explain and replay know the source too. No kernel capture.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-i13-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
k8s="$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml"
cat > "$tmp/sys.yaml" <<'YAML'
- rule: shell
  desc: d
  condition: evt.type = execve and proc.name = bash
  output: "shell %proc.name"
  priority: WARNING
YAML
rc=0; "$SGC" run --disable-source syscall --disable-source k8s_audit "$k8s" 2> "$tmp/e" || rc=$?
[ $rc = 2 ] && grep -q 'every event source is disabled' "$tmp/e" || fail "all disabled: rc $rc"
rc=0; "$SGC" run --enable-source k8s_audit --disable-source k8s_audit "$k8s" 2> "$tmp/e" || rc=$?
[ $rc = 2 ] || fail "enabled and disabled: rc $rc"
rc=0; "$SGC" run --enable-source aws_cloudtrail "$k8s" 2> "$tmp/e" || rc=$?
[ $rc = 2 ] && grep -q "unknown source 'aws_cloudtrail'" "$tmp/e" || fail "unknown source: rc $rc"

"$SGC" run --enable-source k8s_audit --k8s-audit-listen-port 0 --duration 0.5 "$tmp/sys.yaml" "$k8s" \
    2> "$tmp/e" || { cat "$tmp/e" >&2; fail "k8s_audit only"; }
grep -q 'warning: 1 rule of source syscall skipped: the source is not enabled' "$tmp/e" || fail "no skip warning"
grep -q 'no kernel capture' "$tmp/e" || fail "no 'no kernel capture'"
if grep -q 'attached' "$tmp/e"; then fail "attached BPF with syscall disabled"; fi

# explain: k8s_audit rules run in userspace only
out=$("$SGC" explain "$k8s" --rule "Create Privileged Pod")
grep -q 'source: k8s_audit' <<<"$out" || fail "explain: no source"
grep -q 'evaluated in userspace only' <<<"$out" || fail "explain: userspace only"
"$SGC" explain --format json "$k8s" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(r["source"] == "k8s_audit" and r["kernel"] == "userspace-source" for r in d["rules"])
assert d["summary"]["userspace_sources"] == 48' || fail "explain json"

# replay: a syscall event file's rules and an audit log's rules stay apart
echo '{"kind":"Event","auditID":"x","verb":"get","objectRef":{"resource":"secrets","name":"s"},"stage":"ResponseComplete","responseStatus":{"code":200},"user":{"username":"admin"},"stageTimestamp":"2024-05-01T12:00:00Z"}' > "$tmp/a.jsonl"
out=$("$SGC" replay --source k8s_audit "$tmp/a.jsonl" "$tmp/sys.yaml" "$k8s")
grep -q 'K8s Secret Get Successfully' <<<"$out" || fail "replay: no alert"
rc=0; "$SGC" replay --source nope "$tmp/a.jsonl" "$k8s" 2> /dev/null || rc=$?
[ $rc = 2 ] || fail "replay unknown source: rc $rc"
echo 'not json' > "$tmp/bad.jsonl"
rc=0; "$SGC" replay --source k8s_audit "$tmp/bad.jsonl" "$k8s" 2> "$tmp/e" || rc=$?
[ $rc = 1 ] && grep -q 'bad.jsonl:1: malformed JSON' "$tmp/e" || fail "replay malformed: rc $rc"

# list-fields per source
lf=$("$SGC" list-fields --source k8s_audit)
grep -qE '^  ka\.req\.pod\.initContainers\.image\[N\] +string +' <<<"$lf" || fail "list-fields k8s_audit"
n=$("$SGC" list-fields --json --source k8s_audit | python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin) if f["name"].startswith("ka.")))')
[ "$n" = 100 ] || fail "$n ka.* fields, not 100"
lf=$("$SGC" list-fields --source syscall)
if grep -q '^  ka\.' <<<"$lf"; then fail "ka.* listed for syscall"; fi
echo ok
