# Real services the output tests start themselves (sourced, not run):
#
#   svc_require CMD...           the commands exist (else skip; fail on CI)
#   svc_in_private_mounts NAME   run this script again in a private mount
#                                namespace (sets tmp there)
#   svc_free_port                a free loopback TCP port
#   svc_certs DIR                CA, server (127.0.0.1/localhost) and client
#                                certificates made with openssl: DIR/{ca,server,client}.{pem,key}
#   svc_nats DIR PORT [mtls] [js]  nats-server with TLS (mtls: client certs
#                                required) and JetStream (store DIR/js); sets nats_pid
#   svc_wait_port PORT           until something listens (bounded)
#   svc_alert_rules FILE PREFIX  a rule alerting (Warning, "I12 trigger") on opens
#                                of paths starting with PREFIX; triggers: cat PREFIX*
#
# Needs $tmp and live.sh's fail/live_skip.

# Run this script ($0) again in a private mount namespace (a private /dev
# for rsyslogd's /dev/log), once: outside, make $tmp (sgc-NAME.XXXXXX,
# removed at exit unless KEEP_TMP), check root/BPF, rsyslogd and unshare,
# and exit with the inner run's status; inside, set tmp and return.
svc_in_private_mounts() {
    if [ -z "${SGC_IN_PRIVATE_MOUNTS:-}" ]; then
        tmp=$(mktemp -d "/tmp/sgc-$1.XXXXXX")
        trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
        live_require_bpf
        svc_require rsyslogd unshare
        export SGC_IN_PRIVATE_MOUNTS=1 SGC_PRIVATE_TMP="$tmp"
        local rc=0
        unshare -m --propagation private bash "$0" || rc=$?
        exit "$rc"
    fi
    tmp=$SGC_PRIVATE_TMP
}

svc_require() {
    local c
    for c in "$@"; do
        command -v "$c" > /dev/null || live_skip "$c is not installed (scripts/deps.sh)"
    done
}

svc_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

svc_wait_port() {
    local port=$1 i
    for i in $(seq 100); do
        if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
            return 0
        fi
        sleep 0.1
    done
    fail "nothing listens on 127.0.0.1:$port"
}

svc_certs() {
    local d=$1
    mkdir -p "$d"
    (
        cd "$d"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sgc-i12 test CA" \
            -keyout ca.key -out ca.pem 2> /dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > srv.ext
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key \
            -out server.csr 2> /dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile srv.ext -out server.pem 2> /dev/null
        printf 'extendedKeyUsage=clientAuth\n' > cli.ext
        openssl req -newkey rsa:2048 -nodes -subj "/CN=sgc-client" -keyout client.key \
            -out client.csr 2> /dev/null
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile cli.ext -out client.pem 2> /dev/null
    ) || fail "openssl could not make the test certificates"
    [ -s "$d/client.pem" ] || fail "openssl made no client certificate"
}

svc_nats() {
    local d=$1 port=$2 mtls=${3:-} js=${4:-}
    {
        echo "listen: 127.0.0.1:$port"
        echo "tls {"
        echo "  cert_file: \"$tmp/certs/server.pem\""
        echo "  key_file: \"$tmp/certs/server.key\""
        echo "  ca_file: \"$tmp/certs/ca.pem\""
        [ "$mtls" = mtls ] && echo "  verify: true"
        echo "  timeout: 5"
        echo "}"
        if [ "$js" = js ]; then
            echo "jetstream { store_dir: \"$d/js\", max_memory_store: 64MB, max_file_store: 256MB }"
        fi
    } > "$d/nats.conf"
    nats-server -c "$d/nats.conf" > "$d/nats.log" 2>&1 &
    nats_pid=$!
    live_pids+=("$nats_pid")
    svc_wait_port "$port"
}

svc_alert_rules() {
    cat > "$1" << YAML
- rule: I12 trigger
  desc: test rule of the output tests
  condition: evt.type in (open, openat, openat2) and fd.name startswith $2
  output: trigger (file=%fd.name proc=%proc.name)
  priority: WARNING
YAML
}

# In a private mount namespace only (unshare -m): a fresh /dev (tmpfs with
# the few device nodes sgc needs) and a real rsyslogd on its /dev/log,
# writing "LEVEL FACILITY PROGRAM: MSG" lines to FILE.
svc_rsyslog_private() {
    local out=$1 n
    mount -t tmpfs -o mode=755 sgc-i12-dev /dev
    for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
        set -- $n
        mknod -m 666 "/dev/$1" c "$2" "$3"
    done
    ln -s /proc/self/fd /dev/fd
    ln -s /proc/self/fd/0 /dev/stdin
    ln -s /proc/self/fd/1 /dev/stdout
    ln -s /proc/self/fd/2 /dev/stderr
    mkdir -p "$tmp/rsyslog"
    cat > "$tmp/rsyslog.conf" << CONF
global(workDirectory="$tmp/rsyslog")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="i12" type="string" string="%syslogseverity-text% %syslogfacility-text% %programname%: %msg%\n")
*.* action(type="omfile" file="$out" template="i12")
CONF
    rsyslogd -n -f "$tmp/rsyslog.conf" -i "$tmp/rsyslog.pid" > "$tmp/rsyslogd.log" 2>&1 &
    live_pids+=($!)
    for _ in $(seq 100); do [ -S /dev/log ] && break; sleep 0.1; done
    [ -S /dev/log ] || { cat "$tmp/rsyslogd.log"; fail "rsyslogd made no /dev/log"; }
}
