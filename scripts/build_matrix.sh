#!/usr/bin/env bash
# Every build type with both compilers must build warning-free (-Werror is
# on in every build): gcc and clang-19 x Debug, RelWithDebInfo, Release.
# CI runs this after the tests; the sanitizer build (scripts/test.sh) is the
# one the tests run in. With --optimized, only RelWithDebInfo and Release:
# scripts/test.sh has built both Debug ones already (gcc with ASan+UBSan,
# clang-19 for the fuzzers), every target, with the same -Werror.
set -euo pipefail
cd "$(dirname "$0")/.."
types="Debug RelWithDebInfo Release"
[ "${1:-}" = "--optimized" ] && types="RelWithDebInfo Release"
for cc in gcc clang-19; do
    for type in $types; do
        dir=build-matrix/$cc-$type
        start=$(date +%s)
        cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_COMPILER="$cc" > /dev/null
        if ! cmake --build "$dir" -j"$(nproc)" > "$dir.log" 2>&1; then
            grep -E "error|warning" "$dir.log" | head -20
            echo "build-matrix: $cc $type FAILED (full log: $dir.log)"
            exit 1
        fi
        echo "build-matrix: $cc $type ok ($(( $(date +%s) - start )) s)"
    done
done
