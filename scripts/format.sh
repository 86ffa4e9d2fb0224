#!/usr/bin/env bash
# Format sgc's C sources (.c, .h; not the X-macro tables in .def files) with
# clang-format-19 and .clang-format, or with
# --check list the files that differ and fail (CI). Generated and BPF
# template files are C too and follow the same style; flex/bison inputs
# (.l, .y) are not C and are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=${CLANG_FORMAT:-clang-format-19}
command -v "$fmt" > /dev/null || { echo "format: $fmt not found (apt-get install clang-format-19)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--check" ]; then
    bad=0
    for f in "${files[@]}"; do
        if ! "$fmt" --style=file "$f" | cmp -s - "$f"; then
            echo "format: $f is not formatted (run scripts/format.sh)"
            bad=$((bad + 1))
        fi
    done
    [ "$bad" = 0 ] && echo "format: ${#files[@]} files formatted" || exit 1
else
    "$fmt" --style=file -i "${files[@]}"
fi
