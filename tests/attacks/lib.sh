# Helpers for the attack scripts (sourced). Each script performs one real,
# reversible action and prints what the suite runner (tests/scripts/attacks.sh)
# must then find among the alerts of `sgc run --json`:
#
#   EXPECT T0 RULE|FIELD=VALUE|FIELD~GLOB...         default rules (embedded)
#   EXPECT_CORPUS T0 RULE|FIELD=VALUE|...            Falco's corpus rules
#
# T0 is the wall-clock time (ns) just before the action. FIELD=VALUE compares
# the alert's output_fields[FIELD] as text; FIELD~GLOB matches a shell pattern.
# A script that cannot perform its action here prints "SKIP: reason" and
# exits 77. Scripts run as root and undo what they did, also on failure.

set -u
ATTACKS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SGC_SRC=${SGC_SRC:-$(cd "$ATTACKS_DIR/../.." && pwd)}
# The distribution's python (comm "python3"), not a version manager's shim.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

now_ns() { date +%s%N; }

_attack_cleanups=()
attack_on_exit() { _attack_cleanups+=("$1"); }
_attack_cleanup() {
    local rc=$? c
    for c in "${_attack_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
    exit $rc
}
# Container scripts source tests/containers/lib.sh after this file: its EXIT
# trap replaces this one, so they register cleanups with ctr_on_exit.
trap _attack_cleanup EXIT

_emit() {
    local kind=$1 t0=$2 rule=$3
    shift 3
    local line="$kind $t0 $rule" kv
    for kv in "$@"; do line="$line|$kv"; done
    echo "$line"
}
# expect T0 RULE FIELD=VALUE...
expect() { _emit EXPECT "$@"; }
expect_corpus() { _emit EXPECT_CORPUS "$@"; }
# A corpus alert sgc is known not to raise yet: REASON first, then as
# expect_corpus. Reported as GAP (not a failure); reported as FIXED, and
# failing, once it does arrive, so the gap is moved back to expect_corpus.
expect_corpus_gap() { local reason=$1; shift; _emit EXPECT_CORPUS_GAP "$@" "gap_reason=$reason"; }

skip() {
    echo "SKIP: $*"
    exit 77
}

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }

# A private scratch directory, removed at exit: `scratch_dir; d=$SCRATCH`
# (not in a $(...) subshell, which would lose the cleanup).
scratch_dir() {
    SCRATCH=$(mktemp -d /tmp/sgc-attack.XXXXXX)
    attack_on_exit "rm -rf '$SCRATCH'"
}

# A free TCP port on this machine (asked from the kernel).
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1]); s.close()'
}

# running_container NAME: start a test container (sleep 60) named NAME and
# set ctr_id to its full id (tests/containers/lib.sh must be sourced). It
# then waits 1 s, so the container's start-up and its metadata lookup are
# over before the attack: the latency measured is the attack's own.
running_container() {
    ctr_build_image || skip "could not build the test image"
    ctr_id=$(ctr_run "$1" -- sleep 60) || exit 1
    sleep 1
}
