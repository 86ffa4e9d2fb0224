# Helpers for the end-to-end tests that load BPF and perform real syscalls
# (tests/scripts/run_*.sh, record_*.sh). Sourced, not run: this directory is
# not globbed as tests.
#
#   live_begin [PREFIX]         $tmp, removed at exit with the sgc processes
#                               started; then the two checks below
#   live_require_bpf            skip (exit 0 with a SKIP line) when root/BPF are
#                               missing, or fail when CI=true
#   live_require_clang          the same when no clang can compile the kernel
#                               filter; sets clang
#   live_start NAME ARGS...     start `$SGC ARGS...` in the background, stderr to
#                               $tmp/NAME.err, and wait (bounded) for its
#                               readiness line; sets live_pid
#   live_expect_pushdown NAME   fail unless NAME's sgc runs the kernel filter
#   live_start_pair RULES       `sgc run --json` of RULES with the kernel filter
#                               ($tmp/pushdown.json, fails unless it runs) and
#                               with --no-pushdown, the oracle ($tmp/oracle.json);
#                               sets pushdown_pid and oracle_pid
#   live_stop [PID]             SIGINT, bounded wait; fails on a hang or a
#                               non-zero exit
#   wait_alert FILE RULE K=V... wait (bounded) for a JSON alert of RULE whose
#                               output_fields have those values
#   no_alert FILE K=V...        no alert has those output_fields values
#   live_exec_judged NAME MIN   NAME's summary counted >= MIN exec records no
#                               rule can match; sets live_judged
#   live_fake_container N       a docker-shaped cgroup v2 group (or skip); sets
#                               cg, root and short (its container.id)
#
# Every wait is bounded (LIVE_READY_TIMEOUT, LIVE_ALERT_TIMEOUT seconds) so a
# failure cannot hang CI.

: "${SGC:?}" "${SGC_SRC:?}"
LIVE_READY_TIMEOUT=${LIVE_READY_TIMEOUT:-240}
LIVE_ALERT_TIMEOUT=${LIVE_ALERT_TIMEOUT:-30}
LIVE_STOP_TIMEOUT=${LIVE_STOP_TIMEOUT:-60}
live_pids=()

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

live_skip() {
    if [ "${CI:-}" = true ]; then
        fail "root and BPF are required on CI: $*"
    fi
    echo "SKIP: $*"
    exit 0
}

live_require_bpf() {
    [ "$(id -u)" = 0 ] || live_skip "needs root to load BPF programs"
    [ -r /sys/kernel/btf/vmlinux ] || live_skip "kernel BTF (/sys/kernel/btf/vmlinux) missing"
    command -v python3 > /dev/null || live_skip "python3 missing"
    # compiled filters go to a private cache, not the user's
    export XDG_CACHE_HOME="$tmp/cache"
    # BPF build inputs for the kernel filter when this sgc does not embed
    # them: the source templates and this build's vmlinux.h
    if [ -z "${SGC_BPF_TEMPLATES:-}" ] && [ -f "${SGC_BUILD:-}/gen/bpf/vmlinux.h" ]; then
        mkdir -p "$tmp/bpf-templates"
        cp "$SGC_SRC"/bpf-templates/*.* "$SGC_SRC"/bpf-templates/shared/* "$SGC_BUILD/gen/bpf/vmlinux.h" "$tmp/bpf-templates/"
        export SGC_BPF_TEMPLATES="$tmp/bpf-templates"
    fi
}

# Kill whatever is still running at exit (a failing test must not leave BPF
# programs attached).
live_require_clang() {
    clang=${SGC_CLANG:-$(command -v clang-19 || command -v clang || true)}
    [ -n "$clang" ] || live_skip "clang not found: the kernel filter cannot be compiled"
}

live_cleanup() {
    for p in "${live_pids[@]}"; do
        if kill -0 "$p" 2> /dev/null; then
            kill -KILL "$p" 2> /dev/null || true
        fi
    done
}

live_start() {
    local name=$1
    shift
    local err="$tmp/$name.err"
    "$SGC" "$@" 2> "$err" &
    live_pid=$!
    live_pids+=("$live_pid")
    local waited=0
    while ! grep -q 'attached [0-9]* programs, watching [0-9]* syscalls' "$err" 2> /dev/null; do
        if ! kill -0 "$live_pid" 2> /dev/null; then
            cat "$err" >&2
            fail "sgc $name exited before attaching"
        fi
        if [ "$waited" -ge $((LIVE_READY_TIMEOUT * 10)) ]; then
            cat "$err" >&2
            fail "sgc $name not attached after ${LIVE_READY_TIMEOUT}s"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    grep 'attached' "$err" >&2
}

# live_expect_pushdown NAME: the instance started as NAME runs the kernel filter.
live_expect_pushdown() {
    grep -q 'watching [0-9]* syscalls (pushdown)' "$tmp/$1.err" || {
        cat "$tmp/$1.err" >&2
        fail "the kernel filter is not running"
    }
}

live_start_pair() {
    live_start pushdown run --json -o "$tmp/pushdown.json" "$1"
    pushdown_pid=$live_pid
    live_expect_pushdown pushdown
    live_start oracle run --no-pushdown --json -o "$tmp/oracle.json" "$1"
    oracle_pid=$live_pid
}

live_stop() {
    local pid=${1:-$live_pid}
    kill -INT "$pid" 2> /dev/null || fail "sgc (pid $pid) is not running at stop"
    local waited=0
    while kill -0 "$pid" 2> /dev/null; do
        if [ "$waited" -ge $((LIVE_STOP_TIMEOUT * 10)) ]; then
            kill -KILL "$pid"
            fail "sgc (pid $pid) did not stop within ${LIVE_STOP_TIMEOUT}s of SIGINT"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" = 0 ] || fail "sgc (pid $pid) exited with status $rc"
}

# The alert checker: JSON lines, one alert each. Conditions are K=V (the
# field rendered as text equals V: numbers as their decimal text, null as
# <NA>), K=~V (contains V), K!=V (differs; K!=~V: does not contain V).
_alert_py='
import json, sys, time
path, mode, rule, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
conds = [a.split("=", 1) for a in sys.argv[5:]]
def render(v):
    if v is None: return "<NA>"
    if isinstance(v, bool): return "true" if v else "false"
    return str(v)
def ok(a):
    if rule and a.get("rule") != rule: return False
    f = a.get("output_fields", {})
    for k, want in conds:
        neg = k.endswith("!")
        k = k.rstrip("!")
        if k not in f: return False
        got = render(f[k])
        hit = (want[1:] in got) if want.startswith("~") else (got == want)
        if hit == neg: return False
    return True
def scan():
    found, bad = [], []
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        return found, bad
    for n, l in enumerate(lines, 1):
        try:
            a = json.loads(l)
        except ValueError:
            bad.append(n); continue
        if ok(a): found.append(a)
    return found, bad
deadline = time.time() + timeout
while True:
    found, bad = scan()
    if bad:
        print("not JSON: %s line(s) %s" % (path, bad[:5])); sys.exit(3)
    if mode == "wait" and found:
        print(json.dumps(found[0], sort_keys=True)); sys.exit(0)
    if mode == "none":
        if found:
            print("unexpected: " + json.dumps(found[0], sort_keys=True)); sys.exit(1)
        sys.exit(0)
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(0.2)
'

wait_alert() {
    local file=$1 rule=$2
    shift 2
    if ! python3 -c "$_alert_py" "$file" wait "$rule" "$LIVE_ALERT_TIMEOUT" "$@" > "$tmp/alert.out"; then
        cat "$tmp/alert.out" >&2
        echo "--- alerts in $file:" >&2
        tail -n 20 "$file" >&2 || true
        fail "no alert '$rule' with $* within ${LIVE_ALERT_TIMEOUT}s"
    fi
    echo "ok: $rule: $(cut -c1-300 "$tmp/alert.out")"
}

no_alert() {
    local file=$1
    shift
    python3 -c "$_alert_py" "$file" none "" 0 "$@" > "$tmp/alert.out" ||
        fail "$(cat "$tmp/alert.out") (expected no alert with $*)"
}

# A cgroup (v2, the hierarchy the capture reads) laid out as docker's, so a
# process moved into it is "in a container" (container.id != host) without a
# container engine. Prints its path; cleaned by live_cgroup_remove.
live_fake_container_cgroup() {
    local root
    root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
    [ -n "$root" ] || return 1
    local cg="$root/docker/$1"
    mkdir -p "$cg" 2> /dev/null || return 1
    echo "$cg"
}

# live_fake_container N: live_fake_container_cgroup for the container id
# c1d000...N (skips the test when there is no writable cgroup v2); sets cg
# (its path), root (the hierarchy's root) and short (its container.id).
live_fake_container() {
    local id
    id=$(printf 'c1d%061d' "$1")
    cg=$(live_fake_container_cgroup "$id") || live_skip "no writable cgroup v2 hierarchy"
    root=$(dirname "$(dirname "$cg")")
    short=${id:0:12}
}

live_cgroup_remove() {
    local cg=$1
    [ -n "$cg" ] && [ -d "$cg" ] || return 0
    # wait (bounded) for its processes to be gone
    for _ in $(seq 50); do
        [ -s "$cg/cgroup.procs" ] || break
        sleep 0.1
    done
    rmdir "$cg" 2> /dev/null || true
    rmdir "$(dirname "$cg")" 2> /dev/null || true
}

# live_exec_judged NAME MIN: the stopped instance started as NAME counted, in
# its summary, at least MIN exec records no rule can match (judged by the
# kernel filter); the count is left in live_judged.
live_exec_judged() {
    live_judged=$(sed -n 's/.*kernel: \([0-9]*\) exec records no rule can match.*/\1/p' "$tmp/$1.err")
    [ -n "$live_judged" ] || {
        cat "$tmp/$1.err" >&2
        fail "no count of exec records no rule can match"
    }
    [ "$live_judged" -ge "$2" ] ||
        fail "only $live_judged exec records judged in the kernel (at least $2 benign)"
}

# live_begin [PREFIX]: the start of a live kernel test: a scratch directory
# $tmp (/tmp/PREFIX.XXXXXX, default sgc-e2e), removed at exit together with
# every sgc live_start started, and root, BPF and clang checked.
live_begin() {
    tmp=$(mktemp -d "/tmp/${1:-sgc-e2e}.XXXXXX")
    trap 'live_cleanup; rm -rf "$tmp"' EXIT
    live_require_bpf
    live_require_clang
}
