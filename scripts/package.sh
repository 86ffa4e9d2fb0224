#!/usr/bin/env bash
# Build the Debian package dist/sgc_<version>_amd64.deb and the container
# image localhost/sgc:<version> (Containerfile, FROM scratch: see
# docs/deploying.md).
#
#   scripts/package.sh [--deb] [--image]     (default: both)
#
# Environment: SGC_PKG_BUILD  build directory to use (default build-pkg, an
#              optimized build made here, stripped; an existing one is reused)
#              SGC_DIST       output directory (default dist)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
want_deb=0 want_image=0
for a in "$@"; do
    case $a in
    --deb) want_deb=1 ;;
    --image) want_image=1 ;;
    *) echo "usage: scripts/package.sh [--deb] [--image]" >&2; exit 2 ;;
    esac
done
[ $want_deb = 1 ] || [ $want_image = 1 ] || want_deb=1 want_image=1

build=${SGC_PKG_BUILD:-$src/build-pkg}
dist=${SGC_DIST:-$src/dist}
version=$(sed -n 's/^project(sgc VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "package: no version in CMakeLists.txt" >&2; exit 1; }

# one packaging run at a time per build directory (tests run in parallel)
mkdir -p "$build"
exec 9> "$build/.package.lock"
flock 9
if [ ! -x "$build/sgc" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc > /dev/null 2>&1
fi
cmake --build "$build" -j2 --target sgc > /dev/null 2>&1 ||
    { echo "package: building sgc in $build failed" >&2; exit 1; }
mkdir -p "$dist"

build_deb() {
    local work stage
    work=$(mktemp -d)
    trap 'rm -rf "$work"' RETURN
    stage=$work/sgc_${version}_amd64
    install -D -m 0755 "$build/sgc" "$stage/usr/bin/sgc"
    strip --strip-unneeded "$stage/usr/bin/sgc"

    # configuration: the layout Falco users know
    install -d "$stage/etc/sgc"
    packaging/install_config.sh "$stage/etc/sgc/sgc.yaml"
    install -m 0644 stdlib-rules/sgc_rules.yaml "$stage/etc/sgc/sgc_rules.yaml"
    install -m 0644 packaging/sgc_rules.local.yaml "$stage/etc/sgc/sgc_rules.local.yaml"
    install -d -m 0755 "$stage/etc/sgc/rules.d" "$stage/etc/sgc/config.d"
    install -D -m 0644 packaging/logrotate/sgc "$stage/etc/logrotate.d/sgc"

    install -D -m 0644 packaging/systemd/sgc.service "$stage/lib/systemd/system/sgc.service"
    install -D -m 0644 packaging/completion/sgc.bash \
        "$stage/usr/share/bash-completion/completions/sgc"
    install -d "$stage/usr/share/man/man1"
    packaging/gen_manpage.sh "$stage/usr/bin/sgc" | gzip -9n > "$stage/usr/share/man/man1/sgc.1.gz"
    install -d "$stage/usr/share/doc/sgc"
    install -m 0644 README.md docs/deploying.md docs/running.md "$stage/usr/share/doc/sgc/"
    printf 'sgc\nLicense: see the sgc source repository.\n' > "$stage/usr/share/doc/sgc/copyright"

    # Depends: the shared libraries the binary links, as Debian names them
    mkdir -p "$work/src/debian"
    printf 'Source: sgc\n\nPackage: sgc\nArchitecture: amd64\n' > "$work/src/debian/control"
    local shlibs
    shlibs=$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/sgc" 2> /dev/null |
        sed -n 's/^shlibs:Depends=//p')
    [ -n "$shlibs" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; return 1; }

    mkdir -p "$stage/DEBIAN"
    install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm \
        "$stage/DEBIAN/"
    (cd "$stage" && find etc -type f | sed 's|^|/|' | sort) > "$stage/DEBIAN/conffiles"
    cat > "$stage/DEBIAN/control" << CONTROL
Package: sgc
Version: $version
Architecture: amd64
Maintainer: sgc developers <sgc@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $shlibs, adduser
Recommends: clang-19, logrotate
Section: admin
Priority: optional
Description: Falco-style runtime security rules compiled to eBPF
 sgc compiles runtime security rules written in Falco's rule language into
 eBPF programs that filter events in the kernel, and runs them (sgc run)
 with full process, file, network and container context in userspace.
 .
 This package holds the sgc command, the default rules in /etc/sgc, a
 hardened systemd unit running it as an unprivileged user with four
 capabilities, a man page, bash completion and a logrotate file.
 clang-19 lets sgc run compile the kernel filter of the rules; without it
 every event of the watched syscalls is evaluated in userspace.
CONTROL
    (cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z |
        xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
    local deb=$dist/sgc_${version}_amd64.deb
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" > /dev/null
    echo "package: $deb ($(du -h "$deb" | cut -f1)), Depends: $shlibs, adduser"
}

build_image() {
    local ctx
    ctx=$(mktemp -d)
    trap 'rm -rf "$ctx"' RETURN
    packaging/container/rootfs.sh "$build/sgc" "$ctx/rootfs"
    cp packaging/container/Containerfile "$ctx/"
    local tag=localhost/sgc:$version
    podman build -q --pull=never -t "$tag" -f "$ctx/Containerfile" "$ctx" > /dev/null
    echo "package: image $tag ($(podman image inspect "$tag" --format '{{.Size}}' |
        awk '{ printf "%.1f MB", $1 / 1e6 }'))"
}

[ $want_deb = 0 ] || build_deb
[ $want_image = 0 ] || build_image
