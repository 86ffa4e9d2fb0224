#!/bin/bash
# The attack suite (tests/attacks/, README there): `sgc run` with the embedded
# default rules, every attack script performed for real, each announced alert
# asserted within 1 second with its output fields; then the benign workload
# (build sgc, unit tests, dpkg/apt-cache queries, a container that starts and
# exits) must raise no alert; then the same attacks with Falco's three corpus
# files loaded unmodified, asserting the corpus rules that cover them.
#
# Needs root and BPF (and podman for the container attacks, which skip
# without it). When they are missing: FAIL on CI (CI=true), SKIP otherwise.
# Environment: SGC_ATTACKS_ONLY=GLOB (some scripts), SGC_ATTACKS_PHASES
# (default,corpus), SGC_ATTACKS_NO_BENIGN=1, SGC_ATTACKS_REPORT=FILE (JSON).
set -uo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
SGC_CORPUS=${SGC_CORPUS:-$SGC_SRC/../shared/corpus/falco-rules}

skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: attack suite: $*"
        exit 1
    fi
    echo "SKIP: attack suite: $*"
    exit 0
}

[ "$(id -u)" -eq 0 ] || skip_or_fail "needs root"
help=$("$SGC" run --help 2>&1) || true
case "$help" in
    *"not implemented"*|"") skip_or_fail "sgc run is not implemented in this build" ;;
esac
[ -e /sys/kernel/btf/vmlinux ] || skip_or_fail "needs BPF with BTF (/sys/kernel/btf/vmlinux)"

args=(--sgc "$SGC" --src "$SGC_SRC" --corpus "$SGC_CORPUS")
[ -n "${SGC_ATTACKS_ONLY:-}" ] && args+=(--only "$SGC_ATTACKS_ONLY")
[ -n "${SGC_ATTACKS_PHASES:-}" ] && args+=(--phases "$SGC_ATTACKS_PHASES")
[ "${SGC_ATTACKS_NO_BENIGN:-0}" = 1 ] && args+=(--no-benign)
[ -n "${SGC_ATTACKS_REPORT:-}" ] && args+=(--report "$SGC_ATTACKS_REPORT")

python3 "$SGC_SRC/tests/attacks/run_suite.py" "${args[@]}"
rc=$?
[ $rc -eq 3 ] && skip_or_fail "sgc run could not start capturing (see above)"
exit $rc
