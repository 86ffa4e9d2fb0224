#!/usr/bin/env bash
# Build sgc with AddressSanitizer + UBSan and run the whole test suite, then
# the fuzzers for a bounded time. Kernel tests load real BPF: on CI (CI=true)
# they fail when BPF is unavailable instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${SGC_FUZZ_SECONDS:-30}

echo "== format (clang-format-19, .clang-format)"
bash scripts/format.sh --check

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc -DSGC_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)"

echo "== tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 600

echo "== fuzz (${fuzz_seconds}s per target)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-19 -DSGC_FUZZ=ON -DSGC_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)"
for f in build-fuzz/tests/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  seeds="tests/fuzz/seeds/${name#fuzz_}"
  dict="tests/fuzz/$name.dict"
  mkdir -p "build-fuzz/corpus-$name"
  echo "-- $name"
  log="build-fuzz/$name.log"
  # the last lines on success; the sanitizer's whole report on a finding
  if ! "$f" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
       $( [ -f "$dict" ] && echo "-dict=$dict" ) \
       "build-fuzz/corpus-$name" $( [ -d "$seeds" ] && echo "$seeds" ) > "$log" 2>&1; then
    grep -v '^#[0-9]' "$log" | tail -n 80
    echo "fuzz: $name failed (its log: $log)"
    exit 1
  fi
  tail -n 3 "$log"
done
echo "fuzz: no crash, leak or sanitizer report"

echo "== build matrix (gcc, clang-19 x RelWithDebInfo, Release; warnings are errors; the Debug builds are the two above)"
bash scripts/build_matrix.sh --optimized
