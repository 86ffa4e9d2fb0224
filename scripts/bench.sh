#!/usr/bin/env bash
# The benchmark suite, one command (issue 6; docs/performance.md):
#
#   scripts/bench.sh                 build (./build-bench unless --build DIR) and run
#                                    everything; writes docs/performance.md (~15 min)
#   scripts/bench.sh --smoke         the CI smoke: 2 rounds of 0.5 s, a subset; prints
#                                    the figures, writes nothing unless --out FILE
#   cmake --build BUILD --target bench    the same as the first form, in BUILD
#
# Other options go to bench/bench.py (--rounds N, --seconds S, --configs a,b,
# --workloads open,exec,..., --out FILE, --json FILE; see --help there).
# Needs root (BPF), python3, bpftool; bpftrace, redis-server and redis-tools
# for their configuration/workload (skipped with a note when missing):
#   apt-get install bpftrace redis-server redis-tools
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=""
args=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --build=*) build=${1#--build=}; shift ;;
    *) args+=("$1"); shift ;;
    esac
done
if [ -z "$build" ]; then
    build=$src/build-bench
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc > /dev/null
    cmake --build "$build" -j"$(nproc)" --target sgc bench_eval sgc_wl_open sgc_wl_exec \
        sgc_wl_tcp sgc_empty_tp sgc_bench_latency > /dev/null
fi
for b in sgc bench/sgc_wl_open bench/sgc_wl_exec bench/sgc_wl_tcp bench/sgc_empty_tp \
    bench/sgc_bench_latency bench/bench_eval; do
    [ -x "$build/$b" ] || { echo "bench: $build/$b is missing (build the project first)" >&2; exit 1; }
done
exec python3 "$src/bench/bench.py" --build "$build" ${args[@]+"${args[@]}"}
