#!/bin/bash
# sgc run and sgc record refuse clearly, attach nothing and do not crash:
# rules with errors (diagnostics, exit 1), an output file that cannot be
# opened (exit 1), usage errors (exit 2), and BPF unavailable to an
# unprivileged user (the preflight's reason, exit 1). Needs no BPF; the
# unprivileged case needs root to drop privileges (skipped otherwise).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
expect_status() { # WANT CMD... : run, check the exit status, keep stderr in $tmp/err
    local want=$1 rc=0
    shift
    timeout 60 "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = "$want" ] || { cat "$tmp/err" >&2; fail "'$*' exited $rc, expected $want"; }
    if grep -q 'attached [0-9]* programs' "$tmp/err"; then fail "'$*' attached programs"; fi
}

cat > "$tmp/bad.yaml" << 'YAML'
- rule: Broken
  desc: a condition that does not parse
  condition: evt.type = open and (fd.name startswith /etc
  output: "%fd.name"
  priority: WARNING
YAML
for cmd in run record; do
    args=()
    [ "$cmd" = record ] && args=(-o "$tmp/events.jsonl")
    expect_status 1 "$SGC" "$cmd" "${args[@]}" "$tmp/bad.yaml"
    grep -q 'bad.yaml:3' "$tmp/err" || fail "$cmd: the diagnostic does not point at bad.yaml:3"
    grep -q 'nothing attached' "$tmp/err" || fail "$cmd: does not say nothing was attached"
    expect_status 1 "$SGC" "$cmd" "${args[@]}" "$tmp/missing.yaml"
    expect_status 2 "$SGC" "$cmd" "${args[@]}" --bogus
    grep -q "unknown option '--bogus'" "$tmp/err" || fail "$cmd: unknown option not named"
    expect_status 2 "$SGC" "$cmd" "${args[@]}" --duration soon
    grep -q 'positive number of seconds' "$tmp/err" || fail "$cmd: bad --duration not explained"
done
expect_status 2 "$SGC" record
grep -q 'needs -o EVENTS' "$tmp/err" || fail "record without -o not explained"
expect_status 2 "$SGC" run --min-priority loud
expect_status 2 "$SGC" run --ringbuf-bytes 1000

# an output file that cannot be opened: refused before attaching
expect_status 1 "$SGC" run -o /proc/sgc-no-such-dir/alerts.json
grep -q "cannot open output file '/proc/sgc-no-such-dir/alerts.json'" "$tmp/err" ||
    fail "the output file error does not name the file"

# BPF refused to an unprivileged user: the reason, not a crash
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
    for cmd in run record; do
        args=()
        [ "$cmd" = record ] && args=(-o "$tmp/events.jsonl")
        chmod 777 "$tmp"
        expect_status 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$SGC" "$cmd" "${args[@]}" --duration 1
        grep -q "sgc $cmd: cannot start capture: insufficient privileges" "$tmp/err" ||
            fail "$cmd as nobody: no clear privilege error"
    done
else
    echo "SKIP (part): unprivileged case needs root to drop privileges"
fi
echo ok
