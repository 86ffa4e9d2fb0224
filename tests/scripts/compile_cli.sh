#!/usr/bin/env bash
# `sgc compile`: usage errors exit 2, rule errors exit 1 and write nothing
# (not even over an existing file), a good rules file gives an artifact with
# the magic, --no-pushdown needs no clang, -v reports phase timings, and the
# kernel filter's lint warnings and shape are printed as sgc lint has them.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_CORPUS:?Falco rule files}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect_rc() {
    local want=$1; shift
    set +e
    "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$tmp/out" "$tmp/err"; fail "$* exited $rc, expected $want"; }
}

cat > "$tmp/good.yaml" <<'Y'
- list: shells
  items: [bash, sh]
- macro: spawned
  condition: evt.type = execve
- rule: Shell spawned
  desc: a shell
  condition: spawned and proc.name in (shells) and not user.name = nobody
  output: shell %proc.name by %user.name
  priority: WARNING
  tags: [test]
- rule: Shadow read
  desc: x
  condition: evt.type in (open, openat) and fd.name = /etc/shadow and proc.name != sshd
  output: read %fd.name
  priority: ERROR
Y
cat > "$tmp/bad.yaml" <<'Y'
- rule: Broken
  desc: x
  condition: proc.name = bash and (
  output: x
  priority: WARNING
Y

# usage
expect_rc 2 "$SGC" compile "$tmp/good.yaml"
expect_rc 2 "$SGC" compile -o "$tmp/x.sgca"
expect_rc 2 "$SGC" compile --bogus "$tmp/good.yaml" -o "$tmp/x.sgca"
expect_rc 0 "$SGC" compile --help
grep -q "usage: sgc compile" "$tmp/out" || fail "--help prints no usage"

# rule errors: diagnostics, exit 1, no file; an existing file is untouched
expect_rc 1 "$SGC" compile "$tmp/bad.yaml" -o "$tmp/bad.sgca"
grep -q "LOAD_ERR_COMPILE_CONDITION" "$tmp/err" || fail "no diagnostic for the bad condition"
grep -q "not written" "$tmp/err" || fail "does not say the output was not written"
[ ! -e "$tmp/bad.sgca" ] || fail "an artifact was written for rules with errors"
echo keep > "$tmp/existing.sgca"
expect_rc 1 "$SGC" compile "$tmp/bad.yaml" -o "$tmp/existing.sgca"
[ "$(cat "$tmp/existing.sgca")" = keep ] || fail "an existing output was replaced on error"
ls "$tmp" | grep -q tmp && fail "a temporary file was left behind"

# a missing rules file
expect_rc 1 "$SGC" compile "$tmp/nope.yaml" -o "$tmp/nope.sgca"
[ ! -e "$tmp/nope.sgca" ] || fail "artifact written for a missing file"

# --no-pushdown: no clang needed
expect_rc 0 env SGC_CLANG=/nonexistent/clang "$SGC" compile --no-pushdown "$tmp/good.yaml" -o "$tmp/np.sgca"
grep -q "kernel filter: none" "$tmp/out" || fail "--no-pushdown output does not say there is no filter"
head -c 8 "$tmp/np.sgca" | od -c | head -1 | grep -q "S   G   C   A   R   T" || fail "no magic"

# without clang and without --no-pushdown: a clear error, nothing written
expect_rc 1 env SGC_CLANG=/nonexistent/clang "$SGC" compile "$tmp/good.yaml" -o "$tmp/nc.sgca"
grep -q "no clang found" "$tmp/err" || fail "missing clang not named"
[ ! -e "$tmp/nc.sgca" ] || fail "artifact written without clang"

# an output that is not a regular file (a FIFO here, /dev/null for users) is
# written in place, never renamed over
mkfifo "$tmp/fifo"
cat "$tmp/fifo" > "$tmp/from-fifo" &
reader=$!
expect_rc 0 "$SGC" compile --no-pushdown "$tmp/good.yaml" -o "$tmp/fifo"
wait "$reader"
[ -p "$tmp/fifo" ] || fail "the FIFO output was replaced by a file"
cmp -s "$tmp/from-fifo" "$tmp/np.sgca" || fail "the artifact written to a FIFO differs"

# with pushdown (clang), -v timings
if command -v clang-19 > /dev/null || command -v clang > /dev/null; then
    expect_rc 0 "$SGC" compile -v "$tmp/good.yaml" -o "$tmp/pd.sgca"
    grep -q "kernel filter: generated" "$tmp/out" || fail "no kernel filter reported"
    grep -q "timings (ms): front end" "$tmp/err" || fail "-v prints no timings"
    grep -q "clang" "$tmp/err" || fail "-v does not show the clang command"
    cmp -s "$tmp/pd.sgca" "$tmp/np.sgca" && fail "pushdown and no-pushdown artifacts are identical"
    grep -q "kernel filter shape: 3 syscall groups; nothing left to userspace by a size limit" "$tmp/out" ||
        fail "no kernel filter shape summary: $(cat "$tmp/out")"
    # what sgc lint warns about the kernel filter, compile prints too, with its numbers
    lint_case="$SGC_SRC/tests/lint/cases/kernel_filter_long_list.yaml"
    expect_rc 0 "$SGC" compile "$lint_case" -o "$tmp/ll.sgca"
    grep -q "kernel_filter_long_list.yaml:28:37: warning: \[SGC_KERNEL_FILTER_USERSPACE\] fd.sport in (...) has 17 items" "$tmp/err" ||
        fail "compile does not print lint's long-list warning: $(cat "$tmp/err")"
    grep -q "left to userspace by a size limit: 0 rules too large for one function, 1 check on a long port list" "$tmp/out" ||
        fail "compile's summary does not count the long lists: $(cat "$tmp/out")"
fi
echo "compile_cli: ok"
