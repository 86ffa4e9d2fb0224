#!/usr/bin/env bash
# `sgc parse`: output, exit status and error format of the command line.
set -u
SGC=${SGC:?path to the sgc binary}
SGC_CORPUS=${SGC_CORPUS:-}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS STDOUT-EXACT -- ARGS...
expect_out() {
    local want_rc=$1 want_out=$2; shift 3
    local out rc
    out=$("$SGC" parse "$@" 2>/dev/null); rc=$?
    [ "$rc" = "$want_rc" ] || fail "sgc parse $*: exit $rc, want $want_rc"
    [ "$out" = "$want_out" ] || fail "sgc parse $*: stdout '$out', want '$want_out'"
}

expect_out 0 '(and (in evt.type (list "open" "openat")) (startswith fd.name "/etc/"))' -- \
    --syntax-only 'evt.type in (open,openat) and fd.name startswith /etc/'
expect_out 0 '(and (macro spawned_process) (= proc.name "bash"))' -- \
    --syntax-only 'spawned_process and proc.name = bash'
expect_out 0 '(= unknown.field "x")' -- --syntax-only 'unknown.field = x'
expect_out 0 '(= proc.name "bash")' -- 'proc.name = bash'
expect_out 0 '(startswith proc.name "-x")' -- --syntax-only -- 'proc.name startswith -x'

# errors: file:line:col: error: message, the line, a caret under the column
err=$("$SGC" parse --syntax-only 'proc.name = bash and
  fd.name contains"x"' 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] || fail "syntax error: exit $rc, want 1"
want='<cmdline>:2:19: error: expected a blank after '"'"'contains'"'"'
    fd.name contains"x"
                    ^'
[ "$err" = "$want" ] || fail "syntax error output:
$err
want:
$want"

# without --syntax-only: catalog check, and names need a rules file
"$SGC" parse 'proc.nme = bash' >/dev/null 2>&1; rc=$?
[ "$rc" = 1 ] || fail "unknown field without --syntax-only: exit $rc, want 1"
out=$("$SGC" parse 'spawned_process' 2>&1); rc=$?
[ "$rc" = 1 ] || fail "macro without --syntax-only: exit $rc, want 1"
case $out in *"1:1: error: undefined macro 'spawned_process'"*) ;; *) fail "undefined macro message: $out";; esac
out=$("$SGC" parse 'proc.name in shells' 2>&1); rc=$?
[ "$rc" = 1 ] || fail "list name without --syntax-only: exit $rc, want 1"
case $out in *"1:14: error: undefined list 'shells'"*) ;; *) fail "undefined list message: $out";; esac

# usage
"$SGC" parse --help | grep -q 'usage: sgc parse' || fail "--help"
"$SGC" parse >/dev/null 2>&1; [ $? = 2 ] || fail "no argument: want exit 2"
"$SGC" parse a b >/dev/null 2>&1; [ $? = 2 ] || fail "two conditions: want exit 2"
"$SGC" parse --bogus a >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option: want exit 2"

# every condition of the corpus rule files parses (when python3-yaml is there)
if [ -n "$SGC_CORPUS" ] && python3 -c 'import yaml' 2>/dev/null; then
    python3 - "$SGC" "$SGC_CORPUS" <<'PY' || fail "corpus conditions"
import glob, subprocess, sys, yaml
sgc, corpus = sys.argv[1], sys.argv[2]
n = bad = 0
for f in sorted(glob.glob(corpus + '/*.yaml')):
    for item in yaml.safe_load(open(f)) or []:
        if isinstance(item, dict) and 'condition' in item:
            n += 1
            r = subprocess.run([sgc, 'parse', '--syntax-only', '--', item['condition']],
                               capture_output=True, text=True)
            if r.returncode != 0:
                bad += 1
                print(f, item.get('rule') or item.get('macro'), r.stderr.strip())
print(f"corpus: {n} conditions, {bad} rejected")
sys.exit(1 if bad or n == 0 else 0)
PY
fi

[ "$fails" = 0 ] && echo "parse_cli: all passed"
exit $((fails > 0))
