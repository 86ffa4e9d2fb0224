#!/usr/bin/env python3
"""Writes rule_cases.jsonl: for every rule of the corpus's k8s_audit_rules.yaml
that one event can fire, a realistic audit event that fires it and a near
miss that fires nothing, each preceded by '# expect:' (sgc replay --check).
The expectations are written here by hand from the rules, not computed by
sgc. Edit the cases below (or rule_cases.jsonl directly) to add more."""
import json, itertools, sys

seq = itertools.count(1)

def ev(verb, resource=None, name=None, ns="default", user="admin", sub=None, code=200,
       stage="ResponseComplete", req=None, resp=None, uri=None, groups=None, decision="allow",
       extra=None):
    n = next(seq)
    if uri is None:
        base = f"/api/v1/namespaces/{ns}/{resource}" if ns else f"/api/v1/{resource}"
        uri = base + (f"/{name}" if name and verb not in ("create",) else "") + (f"/{sub}" if sub else "")
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
         "auditID": f"5f1c3c1e-0000-4000-8000-{n:012d}", "stage": stage, "requestURI": uri,
         "verb": verb,
         "user": {"username": user, "groups": groups or ["system:authenticated"]},
         "sourceIPs": ["192.168.49.1"], "userAgent": "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819"}
    if resource:
        o = {"resource": resource, "apiVersion": "v1"}
        if ns: o["namespace"] = ns
        if name: o["name"] = name
        if sub: o["subresource"] = sub
        e["objectRef"] = o
    e["responseStatus"] = {"metadata": {}, "code": code}
    if req is not None: e["requestObject"] = req
    if resp is not None: e["responseObject"] = resp
    e["requestReceivedTimestamp"] = f"2024-05-01T12:00:{n % 60:02d}.100000Z"
    e["stageTimestamp"] = f"2024-05-01T12:00:{n % 60:02d}.123456Z"
    e["annotations"] = {"authorization.k8s.io/decision": decision,
                        "authorization.k8s.io/reason": "RBAC: allowed by ClusterRoleBinding \"cluster-admin\""}
    if extra: e.update(extra)
    return e

def pod(name, containers, ns="default", **spec):
    s = {"containers": containers}
    s.update(spec)
    return {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name, "namespace": ns}, "spec": s}

def ctr(name, image, **sc):
    c = {"name": name, "image": image}
    if sc: c["securityContext"] = sc
    return c

def pod_create(name, containers, ns="default", code=201, **spec):
    return ev("create", "pods", name, ns, code=code, req=pod(name, containers, ns, **spec),
              resp={"kind": "Pod", "metadata": {"name": name, "namespace": ns}})

def role_create(kind, name, rules, code=201, ns=None):
    res = "clusterroles" if kind == "ClusterRole" else "roles"
    return ev("create", res, name, ns, code=code,
              req={"kind": kind, "apiVersion": "rbac.authorization.k8s.io/v1",
                   "metadata": {"name": name}, "rules": rules})

cases = []   # (comment, expect list, event or list of events)
def case(comment, expect, e): cases.append((comment, expect, e))

nginx = ctr("nginx", "docker.io/library/nginx:1.25.3")
case("fires: Disallowed K8s User (a user outside the allowed lists)", ["Disallowed K8s User"],
     ev("get", "pods", "web-0", user="mallory"))
case("near miss: Disallowed K8s User (an allowed user)", [], ev("get", "pods", "web-0", user="minikube"))

case("fires: Create Privileged Pod", ["Create Privileged Pod"],
     pod_create("priv", [ctr("shell", "docker.io/library/alpine:3.19", privileged=True)]))
case("fires: Create Privileged Pod (an init container is privileged)", ["Create Privileged Pod"],
     pod_create("priv-init", [nginx], initContainers=[ctr("setup", "docker.io/library/busybox:1.36", privileged=True)]))
case("fires: Create Privileged Pod (an ephemeral container is privileged)", ["Create Privileged Pod"],
     pod_create("priv-eph", [nginx], ephemeralContainers=[ctr("debug", "docker.io/library/busybox:1.36", privileged=True)]))
case("near miss: Create Privileged Pod (privileged: false)", [],
     pod_create("notpriv", [ctr("shell", "docker.io/library/alpine:3.19", privileged=False)]))
case("near miss: Create Privileged Pod (an allowed privileged image)", [],
     pod_create("falco", [ctr("falco", "docker.io/falcosecurity/falco:0.37.1", privileged=True)]))

case("fires: Create Sensitive Mount Pod", ["Create Sensitive Mount Pod"],
     pod_create("dind", [nginx], volumes=[{"name": "sock", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}}]))
case("near miss: Create Sensitive Mount Pod (a harmless host path)", [],
     pod_create("data", [nginx], volumes=[{"name": "data", "hostPath": {"path": "/data/web"}}]))

case("fires: Create HostNetwork Pod", ["Create HostNetwork Pod"], pod_create("hn", [nginx], hostNetwork=True))
case("near miss: Create HostNetwork Pod (an allowed image)", [],
     pod_create("kp", [ctr("kube-proxy", "gke.gcr.io/kube-proxy:v1.29.1")], hostNetwork=True))
case("fires: Create HostPid Pod", ["Create HostPid Pod"], pod_create("hp", [nginx], hostPID=True))
case("near miss: Create HostPid Pod (hostPID: false)", [], pod_create("hp2", [nginx], hostPID=False))
case("fires: Create HostIPC Pod", ["Create HostIPC Pod"], pod_create("hi", [nginx], hostIPC=True))
case("near miss: Create HostIPC Pod (hostIPC: false)", [], pod_create("hi2", [nginx], hostIPC=False))

svc = lambda t: {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "web"},
                 "spec": {"type": t, "ports": [{"port": 80, "targetPort": 8080, "nodePort": 30080}]}}
case("fires: Create NodePort Service (and the K8s Service Created activity rule)",
     ["Create NodePort Service", "K8s Service Created"], ev("create", "services", "web", code=201, req=svc("NodePort")))
case("near miss: Create NodePort Service (ClusterIP, rejected)", [],
     ev("create", "services", "web", code=422, req=svc("ClusterIP")))

cm = lambda data: {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "app"}, "data": data}
case("fires: Create/Modify Configmap With Private Credentials",
     ["Create/Modify Configmap With Private Credentials"],
     ev("update", "configmaps", "app", req=cm({"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "region": "eu-west-1"})))
case("near miss: Create/Modify Configmap With Private Credentials (no credentials)", [],
     ev("update", "configmaps", "app", req=cm({"log_level": "debug"})))

case("fires: Anonymous Request Allowed", ["Anonymous Request Allowed"],
     ev("get", uri="/version", user="system:anonymous", groups=["system:unauthenticated"]))
case("near miss: Anonymous Request Allowed (a health check)", [],
     ev("get", uri="/healthz?verbose", user="system:anonymous", groups=["system:unauthenticated"]))

case("fires: Attach/Exec Pod", ["Attach/Exec Pod"],
     ev("create", "pods", "web-0", sub="exec", stage="ResponseStarted",
        uri="/api/v1/namespaces/default/pods/web-0/exec?command=sh&container=web&stdin=true&tty=true"))
case("near miss: Attach/Exec Pod (logs)", [],
     ev("get", "pods", "web-0", sub="log", stage="ResponseStarted"))
case("fires: port-forward", ["port-forward"],
     ev("create", "pods", "web-0", sub="portforward", stage="ResponseStarted"))
case("near miss: port-forward (proxy)", [], ev("get", "pods", "web-0", sub="proxy", stage="ResponseStarted"))
case("fires: EphemeralContainers Created", ["EphemeralContainers Created"],
     ev("patch", "pods", "web-0", sub="ephemeralcontainers",
        req={"kind": "Pod", "spec": {"ephemeralContainers": [{"name": "debugger-x", "image": "busybox:1.36"}]}}))
case("near miss: EphemeralContainers Created (a status update)", [],
     ev("patch", "pods", "web-0", sub="status"))

ns = lambda n: {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": n}}
case("fires: Create Disallowed Namespace (and K8s Namespace Created)",
     ["Create Disallowed Namespace", "K8s Namespace Created"],
     ev("create", "namespaces", "crypto-miners", ns=None, code=201, req=ns("crypto-miners")))
case("near miss: Create Disallowed Namespace (an allowed name, already there)", [],
     ev("create", "namespaces", "kube-public", ns=None, code=409, req=ns("kube-public")))

case("fires: Pod Created in Kube Namespace", ["Pod Created in Kube Namespace"],
     pod_create("miner", [ctr("miner", "docker.io/evilcorp/xmrig:6.21")], ns="kube-system"))
case("near miss: Pod Created in Kube Namespace (an allowed image)", [],
     pod_create("kube-apiserver-x", [ctr("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.29.2")], ns="kube-system"))

sa = lambda n: {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": n, "namespace": "kube-system"}}
case("fires: Service Account Created in Kube Namespace (and K8s Serviceaccount Created)",
     ["Service Account Created in Kube Namespace", "K8s Serviceaccount Created"],
     ev("create", "serviceaccounts", "backdoor", ns="kube-system", code=201, req=sa("backdoor")))
case("near miss: Service Account Created in Kube Namespace (a known account, already there)", [],
     ev("create", "serviceaccounts", "coredns", ns="kube-system", code=409, req=sa("coredns")))

case("fires: System ClusterRole Modified/Deleted", ["System ClusterRole Modified/Deleted"],
     ev("update", "clusterroles", "system:node", ns=None))
case("near miss: System ClusterRole Modified/Deleted (an excepted role)", [],
     ev("update", "clusterroles", "system:coredns", ns=None))

crb = lambda n, r: {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": n},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": r},
                    "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}
case("fires: Attach to cluster-admin Role (and K8s ClusterRoleBinding Created)",
     ["Attach to cluster-admin Role", "K8s ClusterRoleBinding Created"],
     ev("create", "clusterrolebindings", "default-admin", ns=None, code=201, req=crb("default-admin", "cluster-admin")))
case("near miss: Attach to cluster-admin Role (view role, forbidden)", [],
     ev("create", "clusterrolebindings", "default-view", ns=None, code=403, req=crb("default-view", "view")))

case("fires: ClusterRole With Wildcard Created (and K8s ClusterRole Created)",
     ["ClusterRole With Wildcard Created", "K8s ClusterRole Created"],
     role_create("ClusterRole", "all-reader", [{"apiGroups": [""], "resources": ["*"], "verbs": ["get", "list"]}]))
case("fires: ClusterRole With Write Privileges Created (and K8s ClusterRole Created)",
     ["ClusterRole With Write Privileges Created", "K8s ClusterRole Created"],
     role_create("ClusterRole", "cm-writer", [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "update"]}]))
case("fires: ClusterRole With Pod Exec Created (and K8s Role Created, a namespaced role)",
     ["ClusterRole With Pod Exec Created", "K8s Role Created"],
     role_create("Role", "exec", [{"apiGroups": [""], "resources": ["pods", "pods/exec"], "verbs": ["get"]}], ns="default"))
case("near miss: ClusterRole With Wildcard Created, ClusterRole With Write Privileges Created, ClusterRole With Pod Exec Created (read-only, forbidden)", [],
     role_create("ClusterRole", "reader", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}], code=403))

activity = [("deployments", "Deployment"), ("services", "Service"), ("configmaps", "ConfigMap"),
            ("namespaces", "Namespace"), ("serviceaccounts", "Serviceaccount"), ("roles", "Role"),
            ("clusterroles", "ClusterRole"), ("rolebindings", "RoleBinding"),
            ("clusterrolebindings", "ClusterRoleBinding"), ("secrets", "Secret")]
for res, label in activity:
    nsd = None if res in ("namespaces", "clusterroles", "clusterrolebindings") else "default"
    name = "team-a" if res == "namespaces" else "web"
    created = [f"K8s {label} Created"] + (["Create Disallowed Namespace"] if res == "namespaces" else [])
    case(f"fires: K8s {label} Created", created, ev("create", res, name, nsd, code=201))
    case(f"fires: K8s {label} Deleted", [f"K8s {label} Deleted"], ev("delete", res, name, nsd, code=200))
    case(f"near miss: K8s {label} Created, K8s {label} Deleted (not found)", [], ev("delete", res, name, nsd, code=404))
case("near miss: K8s Namespace Deleted (by a system user)", [],
     ev("delete", "namespaces", "team-a", None, user="system:serviceaccount:kube-system:namespace-controller"))
case("near miss: K8s Secret Created (in kube-system)", [], ev("create", "secrets", "tok", "kube-system", code=201))
case("fires: K8s Secret Get Successfully", ["K8s Secret Get Successfully"], ev("get", "secrets", "db-password"))
case("near miss: K8s Secret Get Successfully (a configmap)", [], ev("get", "configmaps", "db-settings"))
case("fires: K8s Secret Get Unsuccessfully Tried", ["K8s Secret Get Unsuccessfully Tried"],
     ev("get", "secrets", "db-password", code=403, decision="forbid"))
case("near miss: K8s Secret Get Unsuccessfully Tried (a list)", [],
     ev("list", "secrets", None, code=403, decision="forbid"))

ing = lambda tls: {"kind": "Ingress", "apiVersion": "networking.k8s.io/v1", "metadata": {"name": "web"},
                   "spec": dict({"rules": [{"host": "web.example.com"}]}, **({"tls": [{"hosts": ["web.example.com"], "secretName": "web-tls"}]} if tls else {}))}
case("fires: Ingress Object without TLS Certificate Created", ["Ingress Object without TLS Certificate Created"],
     ev("create", "ingresses", "web", code=201, req=ing(False)))
case("near miss: Ingress Object without TLS Certificate Created (with TLS)", [],
     ev("create", "ingresses", "web", code=201, req=ing(True)))

case("never fires: Create Disallowed Pod, Full K8s Administrative Access, All K8s Audit Events "
     "(their macros are false until overridden)", [],
     pod_create("plain", [nginx]))
case("never fires: Untrusted Node Successfully Joined the Cluster, Untrusted Node Unsuccessfully Tried "
     "to Join the Cluster (allow_all_k8s_nodes is true until overridden)", [],
     ev("create", "nodes", "worker-9", None, user="system:node:worker-9", code=201))
case("not a finished request: stage ResponseStarted fires no kevt rule", [],
     ev("get", "secrets", "db-password", stage="ResponseStarted"))

# An EventList line: every item is evaluated; the expectation is the union.
lst = {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {},
       "items": [ev("get", "secrets", "a"), ev("delete", "deployments", "web", code=200)]}
case("an EventList: both items are evaluated", ["K8s Secret Get Successfully", "K8s Deployment Deleted"], lst)

out = sys.stdout
out.write("# Generated by gen_rule_cases.py (expectations written by hand there).\n"
          "# sgc replay --check --source k8s_audit rule_cases.jsonl k8s_audit_rules.yaml\n")
for comment, expect, e in cases:
    out.write(f"# {comment}\n# expect: {', '.join(expect)}\n{json.dumps(e, separators=(',', ':'))}\n")
