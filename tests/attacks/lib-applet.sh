#!/bin/bash
# lib-applet.sh DIR NAME ARGS...: exec busybox applet NAME from a symlink in
# DIR, so that the process's name (comm) is NAME. Used by the attack scripts.
dir=$1 name=$2
shift 2
[ -e "$dir/$name" ] || ln -sf "$(command -v busybox)" "$dir/$name"
exec "$dir/$name" "$@"
