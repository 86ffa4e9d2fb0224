# Helpers for the k8s_audit end-to-end tests (tests/scripts/k8saudit_*.sh).
# Sourced, not run.
#
#   ka_free_port              a free loopback TCP port
#   ka_make_certs DIR         a CA, a server certificate for 127.0.0.1 signed by
#                             it, a client certificate signed by it, and a
#                             client certificate signed by another CA (openssl)
#   ka_event ID STAGE VERB RESOURCE NAME [EXTRA-JSON]   one audit Event (one line)
#   ka_start NAME ARGS...     start `$SGC ARGS...` in the background (stderr to
#                             $tmp/NAME.err) and wait for the k8s_audit source's
#                             readiness; sets ka_pid

ka_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

ka_make_certs() {
    local d=$1
    mkdir -p "$d"
    (
        cd "$d"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sgc-i13-test-ca" \
            -keyout ca.key -out ca.crt 2> /dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key \
            -out server.csr 2> /dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile server.ext -out server.crt 2> /dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout client.key \
            -out client.csr 2> /dev/null
        printf 'extendedKeyUsage=clientAuth\n' > client.ext
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile client.ext -out client.crt 2> /dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=intruder" \
            -keyout rogue.key -out rogue.crt 2> /dev/null
    )
    [ -s "$d/server.crt" ] && [ -s "$d/client.crt" ] && [ -s "$d/rogue.crt" ]
}

ka_event() { # ID STAGE VERB RESOURCE NAME [EXTRA]
    local extra=${6:-}
    printf '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"%s","stage":"%s","requestURI":"/api/v1/namespaces/default/%s/%s","verb":"%s","user":{"username":"admin","groups":["system:masters"]},"sourceIPs":["127.0.0.1"],"objectRef":{"resource":"%s","namespace":"default","name":"%s","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T12:00:00.000000Z","stageTimestamp":"2024-05-01T12:00:00.100000Z"%s}' \
        "$1" "$2" "$4" "$5" "$3" "$4" "$5" "$extra"
}

ka_start() {
    local name=$1
    shift
    local err="$tmp/$name.err"
    "$SGC" "$@" 2> "$err" &
    ka_pid=$!
    live_pids+=("$ka_pid")
    local waited=0
    while ! grep -qE 'ready: k8s_audit source only|attached [0-9]* programs' "$err" 2> /dev/null; do
        if ! kill -0 "$ka_pid" 2> /dev/null; then
            cat "$err" >&2
            fail "sgc $name exited before it was ready"
        fi
        if [ "$waited" -ge $((LIVE_READY_TIMEOUT * 10)) ]; then
            cat "$err" >&2
            fail "sgc $name not ready after ${LIVE_READY_TIMEOUT}s"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}
