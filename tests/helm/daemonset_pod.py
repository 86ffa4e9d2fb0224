#!/usr/bin/env python3
"""Turn `helm template` output into what `podman kube play` runs: the
ConfigMaps and Secrets as they are, and the DaemonSet as the Pod it would
start on a node (its pod template, spec.nodeName set to NODE, as the
DaemonSet controller does; the kubelet's part too: spec.nodeName in env
becomes the value, $(VAR) in values is expanded). Services and ServiceAccounts are dropped (no
cluster). With --args A,B,... the sgc container's args are replaced (the
chart's `run -c` needs the configuration loader).

usage: daemonset_pod.py RENDERED.yaml NODE [--args A,B,...] > POD.yaml"""
import sys

import yaml


def main():
    path, node = sys.argv[1], sys.argv[2]
    args = None
    if len(sys.argv) > 4 and sys.argv[3] == "--args":
        args = sys.argv[4].split(",")
    out = []
    pods = 0
    for doc in yaml.safe_load_all(open(path)):
        if not doc:
            continue
        kind = doc["kind"]
        if kind in ("ConfigMap", "Secret"):
            out.append(doc)
        elif kind == "DaemonSet":
            tpl = doc["spec"]["template"]
            spec = tpl["spec"]
            spec["nodeName"] = node
            spec.pop("serviceAccountName", None)
            spec.pop("automountServiceAccountToken", None)
            for c in spec["containers"]:
                # what the kubelet resolves itself: the node's name
                for e in c.get("env", []):
                    ref = e.get("valueFrom", {}).get("fieldRef", {})
                    if ref.get("fieldPath") == "spec.nodeName":
                        del e["valueFrom"]
                        e["value"] = node
                # $(VAR) in a value: the kubelet expands earlier variables
                seen = {}
                for e in c.get("env", []):
                    if "value" in e:
                        for k, v in seen.items():
                            e["value"] = e["value"].replace("$(%s)" % k, v)
                        seen[e["name"]] = e["value"]
                # podman publishes containerPorts on the host (Kubernetes
                # does not without hostPort): keep the host's ports free
                c.pop("ports", None)
                for probe in ("livenessProbe", "readinessProbe"):
                    p = c.get(probe, {}).get("httpGet")
                    if p and not isinstance(p.get("port"), int):
                        p["port"] = 8765  # the named port is gone with "ports"
            if args is not None:
                spec["containers"][0]["args"] = args
            # podman 4.3 reads a container's seccomp profile from the
            # (pre-1.19 Kubernetes) annotation, not from securityContext
            annotations = {}
            for c in spec["containers"]:
                prof = c.get("securityContext", {}).get("seccompProfile", {})
                if prof.get("type") == "Unconfined":
                    annotations["container.seccomp.security.alpha.kubernetes.io/" + c["name"]] = "unconfined"
            out.append({"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": doc["metadata"]["name"],
                                     "labels": tpl["metadata"].get("labels", {}),
                                     # podman 4.3 refuses annotation values over
                                     # 63 characters (Kubernetes does not): the
                                     # checksums only restart pods anyway
                                     "annotations": {**{k: v for k, v in
                                                        tpl["metadata"].get("annotations", {}).items()
                                                        if len(str(v)) <= 63}, **annotations}},
                        "spec": spec})
            pods += 1
    if pods != 1:
        sys.exit("expected one DaemonSet, found %d" % pods)
    yaml.safe_dump_all(out, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
