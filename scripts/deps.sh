#!/usr/bin/env bash
# Install what building and testing sgc needs on Debian 12 (run as root).
set -euo pipefail
packages=(
  build-essential cmake pkg-config flex bison
  libyaml-dev libpcre2-dev libbpf-dev libelf-dev zlib1g-dev libcmocka-dev libjansson-dev
  clang-19 llvm-19 libclang-rt-19-dev clang-format-19 bpftool linux-libc-dev python3 python3-yaml python3-jsonschema
  podman runc busybox-static catatonit uidmap slirp4netns
  bpftrace redis-server redis-tools
  chromium  # sgc report: tests/scripts/report_html.sh renders the HTML page
  time      # GNU time: peak RSS in bench/report_bench.py
  libmicrohttpd-dev libgnutls28-dev libnats-dev nats-server libcurl4-openssl-dev openssl curl
  rsyslog     # syslog_output, log_syslog: the tests start their own rsyslogd
  prometheus  # promtool checks a live /metrics scrape
  systemd mmdebstrap dpkg-dev fakeroot util-linux  # packaging: scripts/package.sh, its tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
else
  echo "deps: all present"
fi
