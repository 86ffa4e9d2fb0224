# Helpers for the respond tests: a free loopback port, a CA with server and
# client certificates, a nats-server with TLS (mutual) and JetStream, and
# waiting for a condition. Source it after setting $tmp.

rp_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rp_require() {
    local missing=() c
    for c in "$@"; do command -v "$c" >/dev/null || missing+=("$c"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "${CI:-}" = true ]; then echo "FAIL: needs ${missing[*]}" >&2; exit 1; fi
    echo "SKIP: needs ${missing[*]}"; exit 0
}

# rp_certs DIR: ca.pem, server.pem/server.key (localhost, 127.0.0.1), client.pem/client.key
rp_certs() {
    local d=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sgc-i14-test-ca" \
        -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" \
        -out "$d/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$d/server.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -days 2 -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=sgc-respond" -keyout "$d/client.key" \
        -out "$d/client.csr" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
    openssl x509 -req -in "$d/client.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -days 2 -extfile "$d/client.ext" -out "$d/client.pem" 2>/dev/null
}

# rp_nats_start DIR PORT: nats-server with mutual TLS and JetStream; pid in $rp_nats_pid
rp_nats_start() {
    local d=$1 port=$2
    mkdir -p "$d/js"
    cat > "$d/nats.conf" <<EOC
listen: 127.0.0.1:$port
jetstream { store_dir: "$d/js" }
tls {
  cert_file: "$d/server.pem"
  key_file: "$d/server.key"
  ca_file: "$d/ca.pem"
  verify: true
  timeout: 5
}
EOC
    nats-server -c "$d/nats.conf" > "$d/nats.log" 2>&1 &
    rp_nats_pid=$!
    local i
    for i in $(seq 100); do
        grep -q "Server is ready" "$d/nats.log" && return 0
        sleep 0.1
    done
    cat "$d/nats.log" >&2
    return 1
}

# rp_wait SECONDS COMMAND...: until the command succeeds
rp_wait() {
    local t=$1 i
    shift
    for i in $(seq $((t * 10))); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# rp_alert RULE ID [FIELDS-JSON]: one Falco JSON alert
rp_alert() {
    printf '{"hostname":"i14","output":"test","output_fields":{%s"sgc.alert.id":"%s","evt.time":1},"priority":"Warning","rule":"%s","source":"syscall","tags":["test"],"time":"2026-01-01T00:00:00.000000000Z"}\n' \
        "${3:+$3,}" "$2" "$1"
}
