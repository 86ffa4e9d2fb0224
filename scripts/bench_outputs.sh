#!/usr/bin/env bash
# The output engine's benchmark (issue 12), as root from the source tree
# after a build (BUILD=build by default):
#
#   scripts/bench_outputs.sh [SECONDS]
#
# Same machine, same run, alternating: the BASELINE is today's alert path
# (json alerts into one file, `-o FIFO`, stdout off); ALL has stdout off and
# file (the same FIFO), syslog (a real rsyslogd), HTTP (a local TLS server)
# and NATS (TLS + JetStream) all on. Workloads: bench/latency.c's burst
# (open as fast as possible, every open alerts: falco_rules.yaml +
# bench/rules/bench.yaml) and its 1,000 alerts/s latency mode (syscall time
# in the path; p99 syscall-to-read for the file FIFO and for a NATS
# subscriber). Prints the figures and ratios ALL/BASELINE and rewrites the
# "Outputs" block of docs/performance.md.
set -euo pipefail
secs=${1:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$src/build}
export SGC=$build/sgc SGC_SRC=$src SGC_BUILD=$build SGC_NO_DEFAULT_CONFIG=1
if [ -z "${SGC_I12_IN_NS:-}" ]; then
    export SGC_I12_IN_NS=1
    exec unshare -m --propagation private bash "$0" "$@"
fi
tmp=$(mktemp -d /tmp/sgc-i12-bench.XXXXXX)
. "$src/tests/scripts/lib/live.sh"
. "$src/tests/scripts/lib/services.sh"
trap 'live_cleanup; rm -rf "$tmp" /tmp/sgc-bench-lat/i12-$$' EXIT
live_require_bpf
svc_require nats-server rsyslogd python3 openssl
lat="$build/bench/sgc_bench_latency"
tool="$build/tests/nats_tool"
falco="$src/../shared/corpus/falco-rules/falco_rules.yaml"
rules=("$falco" "$src/bench/rules/bench.yaml")

svc_rsyslog_private "$tmp/syslog.out"
svc_certs "$tmp/certs"
nport=$(svc_free_port)
svc_nats "$tmp" "$nport" mtls js
hport=$(svc_free_port)
python3 "$src/tests/support/https_collector.py" "$hport" "$tmp/certs/server.pem" \
    "$tmp/certs/server.key" /dev/null > /dev/null 2>&1 &
live_pids+=($!)
svc_wait_port "$hport"

config() { # NAME FIFO all|base
    {
        echo "json_output: true"
        echo "stdout_output: {enabled: false}"
        echo "file_output: {enabled: true, keep_alive: true, filename: $2}"
        if [ "$3" = all ]; then
            echo "syslog_output: {enabled: true}"
            echo "http_output: {enabled: true, url: 'https://127.0.0.1:$hport/alerts',"
            echo "  ca_cert: $tmp/certs/ca.pem, mtls: true, client_cert: $tmp/certs/client.pem,"
            echo "  client_key: $tmp/certs/client.key, keep_alive: true}"
            echo "nats_output: {enabled: true, servers: ['tls://127.0.0.1:$nport'], jetstream: BENCH_$$,"
            echo "  tls: {ca_cert: $tmp/certs/ca.pem, client_cert: $tmp/certs/client.pem,"
            echo "  client_key: $tmp/certs/client.key}}"
        else
            echo "syslog_output: {enabled: false}"
        fi
    } > "$tmp/$1.yaml"
}

# run NAME all|base burst|latency -> $tmp/NAME.{trig,err,time,nats}
run() {
    local name=$1 kind=$2 mode=$3 d=/tmp/sgc-bench-lat/i12-$$
    mkdir -p "$d"
    rm -f "$tmp/fifo"
    mkfifo "$tmp/fifo"
    config "$name" "$tmp/fifo" "$kind"
    local targs=(--burst --threads 1)
    [ "$mode" = latency ] && targs=(--rate 1000)
    coproc TRIG { "$lat" --alerts "$tmp/fifo" --dir "$d" --duration "$secs" "${targs[@]}"; }
    read -r line <&"${TRIG[0]}"
    [ "$line" = ready ] || fail "trigger: $line"
    local subpid=
    if [ "$kind" = all ] && [ "$mode" = latency ]; then
        "$tool" sub "tls://127.0.0.1:$nport" 'falco.>' --ca "$tmp/certs/ca.pem" \
            --cert "$tmp/certs/client.pem" --key "$tmp/certs/client.key" --latency 1 \
            --timeout $((secs + 30)) --count 1000000000 --ready "$tmp/$name.ready" \
            > "$tmp/$name.nats" 2> /dev/null &
        subpid=$!
        for _ in $(seq 100); do [ -e "$tmp/$name.ready" ] && break; sleep 0.1; done
    fi
    "$SGC" run -c "$tmp/$name.yaml" "${rules[@]}" --stats-interval 1 2> "$tmp/$name.err" &
    local spid=$!
    for _ in $(seq 600); do grep -q 'attached' "$tmp/$name.err" && break; sleep 0.1; done
    sleep 0.3
    echo go >&"${TRIG[1]}"
    read -r line <&"${TRIG[0]}"
    sleep 1
    # sgc's own CPU (user + system) and peak RSS (VmHWM; not the compiler's)
    python3 - "$spid" > "$tmp/$name.time" << 'PY'
import os, sys
pid = sys.argv[1]
st = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
tck = os.sysconf("SC_CLK_TCK")
hwm = [l.split()[1] for l in open("/proc/%s/status" % pid) if l.startswith("VmHWM")][0]
print(0, int(st[11]) / tck, int(st[12]) / tck, hwm)
PY
    kill -INT "$spid"
    wait "$spid" || true
    echo end >&"${TRIG[1]}"
    read -r line <&"${TRIG[0]}"
    echo "$line" > "$tmp/$name.trig"
    wait "$TRIG_PID" 2> /dev/null || true
    if [ -n "$subpid" ]; then
        sleep 1
        kill -INT "$subpid" 2> /dev/null || true
        wait "$subpid" || true
    fi
    rm -rf "$d"
}

kv() { sed -n "s/.*\b$2=\([0-9.]*\).*/\1/p" "$tmp/$1.trig"; }
out_sent() { sed -n "s/.* $2 sent \([0-9]*\) failed \([0-9]*\) retried [0-9]* dropped \([0-9]*\).*/\1 \2 \3/p" "$tmp/$1.err"; }

for r in 1 2; do
    run base$r base burst
    run all$r all burst
done
run latbase base latency
run latall all latency

{
    echo "<!-- written by scripts/bench_outputs.sh; rerun it, do not edit -->"
    echo "## Outputs (issue 12)"
    echo
    echo "scripts/bench_outputs.sh $secs on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "BASELINE: JSON alerts into one file (a FIFO read by bench/latency.c), stdout off."
    echo "ALL: the same plus syslog (rsyslogd), HTTP (TLS + mTLS, Python http.server, one POST per alert)"
    echo "and NATS (TLS + mTLS, JetStream with acks), stdout off. Burst: bench/latency.c --burst for $secs s,"
    echo "falco_rules.yaml + bench/rules/bench.yaml; two rounds, alternated. Ratios are ALL / BASELINE of the same round."
    echo
    echo "| round | config | triggers/s | alerts to the file /s | file / baseline | syslog sent | http sent / failed / dropped | nats sent / failed / dropped | sgc CPU s | peak RSS MB | CPU ratio | RSS ratio |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    for r in 1 2; do
        for c in base all; do
            n=$c$r
            read -r el us sy rss < <(tail -1 "$tmp/$n.time")
            trig=$(kv "$n" triggers); ts=$(kv "$n" trigger_s); al=$(kv "$n" alerts)
            rate=$(python3 -c "print(round($trig/$ts))")
            arate=$(python3 -c "print(round($al/$ts))")
            cpu=$(python3 -c "print(round($us+$sy,2))")
            if [ "$c" = base ]; then b_arate=$arate; b_cpu=$cpu; b_rss=$rss; fi
            ratio=$(python3 -c "print('%.2f' % ($arate/$b_arate))")
            cr=$(python3 -c "print('%.2f' % ($cpu/$b_cpu))")
            rr=$(python3 -c "print('%.2f' % ($rss/$b_rss))")
            sy_s=$(out_sent "$n" syslog | cut -d' ' -f1); ht=$(out_sent "$n" http | tr ' ' /)
            na=$(out_sent "$n" nats | tr ' ' /)
            echo "| $r | $c | $rate | $arate | $ratio | ${sy_s:--} | ${ht:--} | ${na:--} | $cpu | $(python3 -c "print(round($rss/1024,1))") | $cr | $rr |"
        done
    done
    echo
    lb=$(kv latbase p99_us); la=$(kv latall p99_us)
    np=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' "$tmp/latall.nats")
    nn=$(sed -n 's/.*lat_n=\([0-9]*\).*/\1/p' "$tmp/latall.nats")
    echo "Latency at 1,000 alerts/s (syscall to alert read), p99: file BASELINE $lb us, file ALL $la us (ratio $(python3 -c "print('%.2f' % ($la/max($lb,1)))")), NATS subscriber ALL ${np:-?} us over ${nn:-0} alerts."
    echo
    echo "Every lost alert is counted: for each output sent + failed + dropped covers the alerts raised ('silent' = alerts - sent - failed - dropped; a negative value is the internal 'output loss' alerts, delivered too):"
    for n in all1 all2; do
        al=$(sed -n 's/.* \([0-9]*\) alerts (.*/\1/p' "$tmp/$n.err")
        for o in file syslog http nats; do
            read -r s f d <<< "$(out_sent "$n" $o)"
            echo "- $n $o: $al alerts, sent $s, failed $f, dropped $d, silent $((al - s - f - d))"
        done
    done
} > "$tmp/block.md"
cat "$tmp/block.md"
python3 "$src/bench/keep_section.py" "$src/docs/performance.md" outputs < "$tmp/block.md"
