#!/bin/bash
# The BPF object cache (compiler/codegen/bpf_objcache.h): rules that differ
# only in list items (added, removed, changed; strings, names and long
# address lists) generate the same filter C, so
# the second compile takes the object from the cache instead of running clang;
# the artifact still carries its own lists: the cached object is sized and
# filled from it at load (sgc_artifact_size_maps), so an item only the new
# list has alerts and an item only the old list had does not. --no-cache runs
# clang again.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp" /tmp/objc' EXIT
live_require_bpf # also: XDG_CACHE_HOME=$tmp/cache
live_require_clang
# the cache keeps objects built from the binary's embedded templates only (a
# templates directory can change under it): use them
unset SGC_BPF_TEMPLATES

rules() { # PATHS NAMES ADDRESSES -> a rules file on stdout
    cat << YAML
- list: objcache_paths
  items: [$1]
- list: objcache_names
  items: [$2]
- list: objcache_c2
  items: [$3]
- rule: Objcache c2
  desc: d
  condition: evt.type = connect and evt.dir = < and fd.sip in (objcache_c2)
  output: "c2 %fd.sip"
  priority: WARNING
- rule: Objcache path
  desc: d
  condition: evt.type in (open, openat) and fd.name in (objcache_paths) and proc.name = objc-cat
  output: "path %fd.name"
  priority: WARNING
- rule: Objcache name
  desc: d
  condition: evt.type in (open, openat) and proc.name in (objcache_names) and fd.name = /etc/hostname
  output: "name %proc.name"
  priority: WARNING
YAML
}
# address lists longer than 16 live in the kernel's address map: their items
# do not reach the generated C either
addrs() { seq -s ', ' -f "$1.%g" 1 "$2"; }
rules "/tmp/objc/old1, /tmp/objc/old2, /tmp/objc/kept" "objc-old, objc-kept" "$(addrs 10.1.0 20)" > "$tmp/v1.yaml"
rules "/tmp/objc/kept, /tmp/objc/new1, /tmp/objc/new2, /tmp/objc/new3" "objc-kept, objc-new, objc-new2" \
    "$(addrs 10.2.0 25)" > "$tmp/v2.yaml"

"$SGC" compile -v "$tmp/v1.yaml" -o "$tmp/v1.sgca" 2> "$tmp/c1.err" || { cat "$tmp/c1.err"; fail "compile v1"; }
grep -q "^+ .*clang" "$tmp/c1.err" || fail "the first compile did not run clang"
"$SGC" compile -v "$tmp/v2.yaml" -o "$tmp/v2.sgca" 2> "$tmp/c2.err" || { cat "$tmp/c2.err"; fail "compile v2"; }
grep -q "BPF object from the cache" "$tmp/c2.err" || { cat "$tmp/c2.err"; fail "a list update ran clang again"; }
! grep -q "^+ .*clang" "$tmp/c2.err" || fail "clang ran on a cache hit"
"$SGC" compile -v --no-cache "$tmp/v2.yaml" -o "$tmp/v2b.sgca" 2> "$tmp/c3.err"
grep -q "^+ .*clang" "$tmp/c3.err" || fail "--no-cache did not run clang"
cmp -s "$tmp/v1.sgca" "$tmp/v2.sgca" && fail "the two artifacts are the same"

mkdir -p /tmp/objc
for f in old1 old2 kept new1 new2 new3; do : > "/tmp/objc/$f"; done
cp /bin/cat "$tmp/objc-cat"
for n in objc-old objc-kept objc-new objc-new2; do cp /bin/cat "$tmp/$n"; done
alerts="$tmp/alerts.json"
live_start run run --json -o "$alerts" "$tmp/v2.sgca"
"$tmp/objc-cat" /tmp/objc/old1 /tmp/objc/kept /tmp/objc/new1 /tmp/objc/new3 > /dev/null
for n in objc-old objc-kept objc-new objc-new2; do "$tmp/$n" /etc/hostname > /dev/null; done
wait_alert "$alerts" "Objcache path" fd.name=/tmp/objc/kept
wait_alert "$alerts" "Objcache path" fd.name=/tmp/objc/new1
wait_alert "$alerts" "Objcache path" fd.name=/tmp/objc/new3
wait_alert "$alerts" "Objcache name" proc.name=objc-kept
wait_alert "$alerts" "Objcache name" proc.name=objc-new
wait_alert "$alerts" "Objcache name" proc.name=objc-new2
sleep 1
no_alert "$alerts" fd.name=/tmp/objc/old1
no_alert "$alerts" proc.name=objc-old
live_stop "$live_pid"
# the kernel filter of the cached object did the filtering
grep -E 'kernel: [0-9]+ events seen, [1-9][0-9]* filtered' "$tmp/run.err" ||
    fail "the kernel filtered nothing"
echo "ok: a list update reuses the compiled object; the new artifact's lists are in force"
