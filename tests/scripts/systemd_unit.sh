#!/bin/bash
# packaging/systemd/sgc.service: `systemd-analyze verify` accepts it (ExecStart
# pointed at this build's binary, man pages not looked up: the package test
# checks the installed man page), and `systemd-analyze security --offline`
# rates it at most 2.5 ("OK"). Falco's falco-modern-bpf.service, written from
# the settings its packaging ships (Falco 0.44), is measured the same way
# for comparison (8.6 "EXPOSED" with systemd 252) and must score worse.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
if ! command -v systemd-analyze > /dev/null; then
    [ "${CI:-}" = true ] && fail "systemd-analyze missing (package systemd)"
    echo "SKIP: systemd-analyze missing"
    exit 0
fi
unit=$SGC_SRC/packaging/systemd/sgc.service

sed "s|^ExecStart=/usr/bin/sgc |ExecStart=$SGC |" "$unit" > "$tmp/sgc.service"
grep -q "^ExecStart=$SGC run" "$tmp/sgc.service" || fail "ExecStart is not /usr/bin/sgc run ..."
systemd-analyze verify --man=no "$tmp/sgc.service" > "$tmp/verify.out" 2>&1 ||
    { cat "$tmp/verify.out" >&2; fail "systemd-analyze verify rejected the unit"; }
[ ! -s "$tmp/verify.out" ] || { cat "$tmp/verify.out" >&2; fail "systemd-analyze verify warned"; }
echo "ok: systemd-analyze verify"

# what the issue asks of the unit, literally
for want in 'Type=notify' 'ExecReload=kill -HUP $MAINPID' 'Restart=on-failure' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
    'ProtectKernelTunables=yes' 'RestrictRealtime=yes' 'UMask=0077' \
    'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_PTRACE CAP_DAC_READ_SEARCH' \
    'AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_SYS_PTRACE CAP_DAC_READ_SEARCH' \
    'User=sgc'; do
    grep -qxF "$want" "$unit" || fail "the unit lacks '$want'"
done
grep -q '^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$' "$unit" || fail "RestrictAddressFamilies"

score() { # UNIT -> the overall exposure number
    systemd-analyze security --offline=true "$1" 2>&1 | tee "$tmp/security.out" |
        sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
}
ours=$(score "$tmp/sgc.service")
[ -n "$ours" ] || { cat "$tmp/security.out" >&2; fail "no exposure score"; }
cat > "$tmp/falco-modern-bpf.service" << 'UNIT'
[Unit]
Description=Falco with the modern eBPF probe (settings of Falco's packaged unit)
[Service]
Type=simple
User=root
ExecStart=/usr/bin/falco -o engine.kind=modern_ebpf
ExecReload=kill -1 $MAINPID
UMask=0077
TimeoutSec=30
RestartSec=15s
Restart=on-failure
PrivateTmp=true
NoNewPrivileges=yes
ProtectHome=read-only
ProtectSystem=full
ProtectKernelTunables=true
RestrictRealtime=true
RestrictAddressFamilies=~AF_PACKET
StandardOutput=null
[Install]
WantedBy=multi-user.target
UNIT
falco=$(score "$tmp/falco-modern-bpf.service")
echo "exposure: sgc.service $ours, falco-modern-bpf.service $falco"
python3 -c "import sys; o, f = map(float, sys.argv[1:]); sys.exit(not (o <= 2.5 and o < f))" \
    "$ours" "$falco" || fail "sgc.service exposure $ours (want <= 2.5 and below Falco's $falco)"
echo ok
