#!/bin/bash
# The Debian package in a clean Debian 12 root built here from Debian's
# packages (mmdebstrap, the mirror apt uses; no image registry): build
# dist/sgc_<version>_amd64.deb with scripts/package.sh, `apt-get install
# ./sgc_*.deb` pulls exactly its Depends, then: the files, conffiles, man
# page naming every subcommand, bash completion, logrotate file, the sgc
# user, the installed sgc loading the installed rules (`sgc run --dry-run -c
# /etc/sgc/sgc.yaml` once the configuration loader is there: until then
# `sgc lint` of the installed rules), remove keeping the conffiles (changed
# ones too), purge removing everything the package put there.
# Needs root, mmdebstrap and the Debian mirror. SGC_DEBIAN_ROOT_TAR: a
# ready root tarball to reuse (else made once in the build directory).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-deb.XXXXXX)
root=$tmp/root
cleanup() {
    umount -l "$root/proc" 2> /dev/null || true
    umount -l "$root/dev" 2> /dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
skip() {
    [ "${CI:-}" = true ] && fail "$*"
    echo "SKIP: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (chroot)"
command -v mmdebstrap > /dev/null || skip "mmdebstrap missing (apt-get install mmdebstrap)"

# 1. the package
pkgbuild=${SGC_PKG_BUILD:-$SGC_SRC/build-pkg}
SGC_DIST=$tmp/dist SGC_PKG_BUILD=$pkgbuild "$SGC_SRC/scripts/package.sh" --deb
deb=$(ls "$tmp"/dist/sgc_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
[ "$(basename "$deb")" = "sgc_${version}_amd64.deb" ] || fail "package name $(basename "$deb")"
echo "ok: $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, Depends: $(dpkg-deb -f "$deb" Depends)"

# 2. a clean Debian 12 root (minimal + apt), from the mirror apt uses here
tar=${SGC_DEBIAN_ROOT_TAR:-$pkgbuild/debian-bookworm-root.tar}
if [ ! -s "$tar" ]; then
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2> /dev/null | head -n1)
    mirror=${mirror:-http://deb.debian.org/debian}
    mmdebstrap --quiet --mode=root --variant=apt --format=tar bookworm "$tar.part" "$mirror" ||
        skip "mmdebstrap could not build a Debian root from $mirror"
    mv "$tar.part" "$tar"
fi
mkdir -p "$root"
tar -C "$root" -xf "$tar"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
cp "$deb" "$root/tmp/"
in_root apt-get update -qq
in_root dpkg-query -W sgc 2> /dev/null && fail "the clean root already has sgc"

# 3. install: apt resolves the Depends from Debian's archive
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" > "$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "apt-get install ./sgc.deb failed"; }
in_root sgc version | grep -qx "sgc $version" || fail "installed sgc version"
echo "ok: installed: $(in_root sgc version)"
for f in /usr/bin/sgc /etc/sgc/sgc.yaml /etc/sgc/sgc_rules.yaml /etc/sgc/sgc_rules.local.yaml \
    /lib/systemd/system/sgc.service /etc/logrotate.d/sgc /usr/share/man/man1/sgc.1.gz \
    /usr/share/bash-completion/completions/sgc; do
    [ -f "$root$f" ] || fail "$f not installed"
done
[ -d "$root/etc/sgc/rules.d" ] || fail "/etc/sgc/rules.d not installed"
conffiles=$(in_root dpkg-query -W -f='${Conffiles}\n' sgc | awk 'NF { print $1 }' | sort | tr '\n' ' ')
for f in /etc/sgc/sgc.yaml /etc/sgc/sgc_rules.yaml /etc/sgc/sgc_rules.local.yaml /etc/logrotate.d/sgc; do
    case " $conffiles" in *" $f "*) ;; *) fail "$f is not a conffile ($conffiles)" ;; esac
done
echo "ok: conffiles: $conffiles"
# the local rules file: comments only
grep -v '^#' "$root/etc/sgc/sgc_rules.local.yaml" | grep -q . && fail "sgc_rules.local.yaml is not only comments"
in_root getent passwd sgc | grep -q '^sgc:' || fail "no sgc system user"
[ "$(in_root stat -c %U /var/log/sgc)" = sgc ] || fail "/var/log/sgc is not sgc's"
# man page: one section per subcommand of this sgc
cmds=$(in_root sgc --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
for c in $cmds; do
    zcat "$root/usr/share/man/man1/sgc.1.gz" | grep -qx ".SS sgc $c" || fail "man page lacks 'sgc $c'"
done
echo "ok: man page: $(echo $cmds)"
# bash completion: subcommands, and options of a subcommand
got=$(in_root bash -c '. /usr/share/bash-completion/completions/sgc
    COMP_WORDS=(sgc li); COMP_CWORD=1; _sgc_complete; echo "${COMPREPLY[*]}"
    COMP_WORDS=(sgc run --js); COMP_CWORD=2; _sgc_complete; echo "${COMPREPLY[*]}"')
[ "$got" = "$(printf 'lint list-fields\n--json')" ] || fail "bash completion gave: $got"
echo "ok: bash completion"
# logrotate accepts the file
in_root apt-get install -y -qq --no-install-recommends logrotate > /dev/null 2>&1 || fail "logrotate install"
in_root logrotate -d /etc/logrotate.d/sgc > "$tmp/logrotate.out" 2>&1 ||
    { cat "$tmp/logrotate.out" >&2; fail "logrotate rejects /etc/logrotate.d/sgc"; }
grep -qi error "$tmp/logrotate.out" && { cat "$tmp/logrotate.out" >&2; fail "logrotate: errors"; }
echo "ok: logrotate -d /etc/logrotate.d/sgc"

# 4. the installed sgc loads the installed configuration and rules
if in_root sgc run --help 2>&1 | grep -q -- '--dry-run'; then
    in_root sgc run --dry-run -c /etc/sgc/sgc.yaml > "$tmp/dry.out" 2>&1 ||
        { cat "$tmp/dry.out" >&2; fail "sgc run --dry-run -c /etc/sgc/sgc.yaml failed"; }
    echo "ok: sgc run --dry-run -c /etc/sgc/sgc.yaml"
else
    # WAITS ON the configuration loader (sgc run -c/--dry-run, another
    # issue): until it is merged, check the installed rules this way
    in_root sgc lint /etc/sgc/sgc_rules.yaml /etc/sgc/sgc_rules.local.yaml > "$tmp/lint.out" 2>&1 ||
        { cat "$tmp/lint.out" >&2; fail "the installed rules do not load"; }
    echo "ok: sgc lint of the installed rules (sgc run --dry-run -c not in this sgc yet)"
fi

# 5. remove keeps the conffiles, changed or not; purge removes the rest
echo "# changed by the admin" >> "$root/etc/sgc/sgc_rules.local.yaml"
echo "- list: mine" > "$root/etc/sgc/rules.d/mine.yaml"
echo "  items: [a]" >> "$root/etc/sgc/rules.d/mine.yaml"
in_root apt-get remove -y -qq sgc > /dev/null 2>&1 || fail "apt-get remove"
[ ! -e "$root/usr/bin/sgc" ] || fail "remove left /usr/bin/sgc"
for f in /etc/sgc/sgc.yaml /etc/sgc/sgc_rules.yaml /etc/sgc/sgc_rules.local.yaml; do
    [ -f "$root$f" ] || fail "remove deleted the conffile $f"
done
grep -q "changed by the admin" "$root/etc/sgc/sgc_rules.local.yaml" || fail "remove lost the change"
echo "ok: remove keeps the conffiles"
in_root apt-get purge -y -qq sgc > /dev/null 2>&1 || fail "apt-get purge"
for f in /usr/bin/sgc /etc/sgc/sgc.yaml /etc/sgc/sgc_rules.yaml /etc/sgc/sgc_rules.local.yaml \
    /lib/systemd/system/sgc.service /etc/logrotate.d/sgc /usr/share/man/man1/sgc.1.gz \
    /var/log/sgc /var/cache/sgc; do
    [ ! -e "$root$f" ] || fail "purge left $f"
done
[ -f "$root/etc/sgc/rules.d/mine.yaml" ] || fail "purge deleted a file the package does not own"
in_root dpkg-query -W -f='${Status}' sgc 2> /dev/null | grep -q 'not-installed' ||
    [ -z "$(in_root dpkg-query -W -f='${Status}' sgc 2> /dev/null)" ] || fail "sgc still known to dpkg"
echo "ok: purge removes the package's files, keeps the admin's own rules.d/mine.yaml"
echo ok
