# Shell helpers for tests that run real containers with Podman. Source it:
#
#   . "$SGC_SRC/tests/containers/lib.sh"
#   ctr_require            # podman + root, else skip (SKIP: reason, exit 0) or fail on CI
#   ctr_build_image        # localhost/sgc-test-busybox:latest, from busybox-static
#   id=$(ctr_run NAME [podman run options...] -- [command...])
#   ctr_api_service SOCK LOG   podman's Docker API on unix socket SOCK, stopped at exit
#
# Every container started with ctr_run is removed when the shell exits, also
# on failure (an EXIT trap; callers that need their own cleanup add it with
# ctr_on_exit CMD instead of replacing the trap).

SGC_CTR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CONTAINERS_CONF="$SGC_CTR_DIR/containers.conf"
SGC_CTR_IMAGE=${SGC_CTR_IMAGE:-localhost/sgc-test-busybox:latest}
# names of started containers, in a file: ctr_run runs in $(...) subshells
_ctr_names=$(mktemp)
_ctr_exit_cmds=()

_ctr_cleanup() {
    local rc=$? name cmd
    while read -r name; do
        podman rm -f -t 0 "$name" >/dev/null 2>&1 || podman rm -f "$name" >/dev/null 2>&1 || true
    done < "$_ctr_names"
    rm -f "$_ctr_names"
    for cmd in "${_ctr_exit_cmds[@]}"; do
        eval "$cmd" || true
    done
    exit $rc
}
trap _ctr_cleanup EXIT

ctr_on_exit() { _ctr_exit_cmds+=("$1"); }

# Skip (print the reason, exit 0, as tests/scripts/lib/live.sh does) when
# podman or root is missing; on CI (CI=true) the same condition is a failure.
ctr_require() {
    local missing=()
    [ "$(id -u)" -eq 0 ] || missing+=("root")
    command -v podman >/dev/null || missing+=("podman")
    command -v runc >/dev/null || missing+=("runc")
    [ -x /bin/busybox ] || missing+=("/bin/busybox (busybox-static)")
    [ ${#missing[@]} -eq 0 ] && return 0
    local why="needs ${missing[*]} (Debian: apt-get install podman runc busybox-static)"
    if [ "${CI:-}" = true ]; then
        echo "FAIL: container test $why" >&2
        exit 1
    fi
    echo "SKIP: container test $why"
    exit 0
}

# Build the test image from the machine's static busybox, once: a rootfs with
# busybox and its applet links, imported with `podman import` (no registry).
ctr_build_image() {
    podman image exists "$SGC_CTR_IMAGE" && return 0
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/root"
    cp /bin/busybox "$root/bin/busybox"
    local applet
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    ln -s bin "$root/sbin"
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    echo 'root:x:0:' > "$root/etc/group"
    tar -C "$root" -cf "$root.tar" .
    podman import -q --change 'CMD ["/bin/sh"]' "$root.tar" "$SGC_CTR_IMAGE" >/dev/null
    local rc=$?
    rm -rf "$root" "$root.tar"
    return $rc
}

# ctr_run NAME [podman run options...] -- [command...]: start a detached
# container named NAME from the test image; prints its full id.
ctr_run() {
    local name=$1 opts=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    [ $# -gt 0 ] || set -- sleep 600
    echo "$name" >> "$_ctr_names" # before the run: a half-started one is removed too
    podman run -d --name "$name" "${opts[@]}" "$SGC_CTR_IMAGE" "$@"
}

# ctr_api_service SOCK LOG: serve podman's Docker-compatible API on the unix
# socket SOCK (its output in LOG) until the shell exits; fails (exit 1, LOG
# printed) when the socket does not appear within 10 s.
ctr_api_service() {
    local sock=$1 log=$2 pid
    podman system service --time=0 "unix://$sock" > "$log" 2>&1 &
    pid=$!
    ctr_on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
    for _ in $(seq 100); do [ -S "$sock" ] && return 0; sleep 0.1; done
    cat "$log" >&2
    echo "FAIL: podman service did not start" >&2
    exit 1
}
