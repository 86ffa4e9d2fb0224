#!/bin/bash
# Write the sgc.yaml that the package and the image install as
# /etc/sgc/sgc.yaml: the repository's etc/sgc.yaml (the configuration
# issue's commented example) when there is one, with its rules_files list
# replaced by the Falco layout the package installs (default rules, local
# rules, rules.d); else packaging/sgc.yaml.default. Usage:
# install_config.sh DEST
set -euo pipefail
dest=${1:?usage: install_config.sh DEST}
src=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$src/etc/sgc.yaml" ]; then
    install -m 0644 "$src/packaging/sgc.yaml.default" "$dest"
    exit 0
fi
awk '
    /^rules_files:/ {
        print "rules_files:"
        print "  - /etc/sgc/sgc_rules.yaml"
        print "  - /etc/sgc/sgc_rules.local.yaml"
        print "  - /etc/sgc/rules.d"
        skip = 1; done = 1; next
    }
    skip && /^[ \t]*-/ { next }
    { skip = 0; print }
    END { if (!done) exit 3 }
' "$src/etc/sgc.yaml" > "$dest.tmp" || {
    rm -f "$dest.tmp"
    echo "install_config: etc/sgc.yaml has no top-level rules_files list" >&2
    exit 1
}
chmod 0644 "$dest.tmp"
mv "$dest.tmp" "$dest"
