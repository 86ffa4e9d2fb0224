#!/bin/bash
# Lay out the root filesystem of the sgc container image: the sgc binary,
# exactly the shared libraries it links (with their Debian package's
# copyright files), the dynamic loader, the default configuration and
# rules, and the few files glibc and sgc read. Everything comes from this
# Debian machine, nothing from a registry; Containerfile copies it into a
# FROM scratch image. Usage: rootfs.sh SGC_BINARY OUTDIR
set -euo pipefail
sgc=${1:?usage: rootfs.sh SGC_BINARY OUTDIR}
out=${2:?usage: rootfs.sh SGC_BINARY OUTDIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"/{usr/bin,usr/lib,usr/lib64,etc/sgc/rules.d,etc/sgc/config.d,tmp,var/cache/sgc,var/log/sgc,host,usr/share/doc}
# merged /usr, as Debian: /lib and /lib64 are links
ln -sfn usr/lib "$out/lib"
ln -sfn usr/lib64 "$out/lib64"
chmod 1777 "$out/tmp"
install -m 0755 "$sgc" "$out/usr/bin/sgc"
strip --strip-unneeded "$out/usr/bin/sgc"

# the libraries, resolved by the loader (their real paths), and the loader
copy_lib() {
    local f=$1 real
    real=$(readlink -f "$f")
    install -D -m "$(stat -c %a "$real")" "$real" "$out$f" # the loader must stay executable
    local pkg
    pkg=$(dpkg-query -S "$f" 2> /dev/null | head -n1 | cut -d: -f1 || true)
    if [ -n "$pkg" ] && [ -f "/usr/share/doc/$pkg/copyright" ]; then
        install -D -m 0644 "/usr/share/doc/$pkg/copyright" "$out/usr/share/doc/$pkg/copyright"
    fi
}
ldd "$sgc" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | sort -u > "$out/.libs"
# glibc loads libgcc_s at run time (pthread_exit and cancellation unwind
# through it: the output workers exit that way), so ldd does not list it
ldconfig -p | awk '/libgcc_s\.so\.1 .*x86-64/ { print $NF; exit }' >> "$out/.libs"
while read -r lib; do copy_lib "$lib"; done < "$out/.libs"
rm "$out/.libs"

# accounts of the image itself (the host's come from HOST_ROOT/etc)
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
: > "$out/etc/hosts"

# configuration: a mounted /etc/sgc replaces these
"$src/packaging/install_config.sh" "$out/etc/sgc/sgc.yaml"
install -m 0644 "$src/stdlib-rules/sgc_rules.yaml" "$out/etc/sgc/sgc_rules.yaml"
install -m 0644 "$src/packaging/sgc_rules.local.yaml" "$out/etc/sgc/sgc_rules.local.yaml"
