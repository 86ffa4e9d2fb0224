#!/usr/bin/env bash
# docs/fields.md must be what `sgc list-fields --markdown` prints today:
# regenerate it with `cmake --build BUILD --target docs-fields` after
# changing schema/fields.def.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_SRC:?source tree}"
if ! diff -u "$SGC_SRC/docs/fields.md" <("$SGC" list-fields --markdown); then
    echo "docs/fields.md is stale: run cmake --build BUILD --target docs-fields" >&2
    exit 1
fi
