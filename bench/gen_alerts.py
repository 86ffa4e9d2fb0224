#!/usr/bin/env python3
"""Generate Falco/sgc JSON alert lines for benchmarking `sgc report`.

Deterministic (seeded): N alerts spread over H hosts and a time span, with
the rule mix, priorities, containers, images and Kubernetes namespaces of a
real cluster, in the exact line format of sgc's JSON output (docs/outputs.md).

    bench/gen_alerts.py --alerts 1000000 --hosts 50 -o alerts.jsonl[.gz]
"""
import argparse
import gzip
import json
import random
import sys
from datetime import datetime, timezone

RULES = [  # (rule, priority, weight, tags, output template)
    ("Terminal shell in container", "Notice", 30, ["container", "shell", "T1059"],
     "A shell was spawned in a container with an attached terminal | evt_type=execve user=%s process=%s"),
    ("Read sensitive file untrusted", "Warning", 18, ["filesystem", "T1555"],
     "Sensitive file opened for reading by non-trusted program | file=%s process=%s"),
    ("Write below etc", "Error", 10, ["filesystem", "T1098"],
     "File below /etc opened for writing | file=%s process=%s"),
    ("Launch Privileged Container", "Informational", 8, ["container", "T1610"],
     "Privileged container started | user=%s image=%s"),
    ("Contact K8S API Server From Container", "Notice", 7, ["k8s", "network", "T1565"],
     "Unexpected connection to K8s API Server from container | connection=%s process=%s"),
    ("Drop and execute new binary in container", "Critical", 6, ["container", "T1059"],
     "Executing binary not part of base image | proc_exe=%s process=%s"),
    ("Clear Log Activities", "Warning", 5, ["filesystem", "T1070"],
     "Log files were tampered | file=%s process=%s"),
    ("Search Private Keys or Passwords", "Warning", 4, ["process", "T1552"],
     "Grep private keys or passwords activities found | cmdline=%s process=%s"),
    ("Netcat Remote Code Execution in Container", "Warning", 3, ["network", "T1059"],
     "Netcat runs inside container that allows remote code execution | cmdline=%s process=%s"),
    ("Linux Kernel Module Injection Detected", "Warning", 2, ["process", "T1547"],
     "Linux Kernel Module injection from container detected | cmdline=%s process=%s"),
    ("Packet socket created in container", "Notice", 2, ["network", "T1557"],
     "Packet socket was created in a container | socket=%s process=%s"),
    ("PTRACE attached to process", "Warning", 1, ["process", "T1055"],
     "Detected ptrace PTRACE_ATTACH attempt | target=%s process=%s"),
    ("Fileless execution via memfd_create", "Critical", 1, ["process", "T1620"],
     "Fileless execution via memfd_create | exe=%s process=%s"),
    ("Modify Shell Configuration File", "Warning", 1, ["filesystem", "T1546"],
     "A shell configuration file has been modified | file=%s process=%s"),
    ("Set Setuid or Setgid bit", "Notice", 1, ["process", "T1548"],
     "Setuid or setgid bit is set via chmod | file=%s process=%s"),
    ("Debugfs Launched in Privileged Container", "Emergency", 0.05, ["container", "T1611"],
     "Debugfs launched started in a privileged container | cmdline=%s process=%s"),
    ("Create Symlink Over Sensitive Files", "Alert", 0.1, ["filesystem", "T1555"],
     "Symlinks created over sensitive files | target=%s process=%s"),
    ("System procs network activity", "Debug", 0.5, ["network"],
     "Known system binary sent/received network traffic | connection=%s process=%s"),
]
IMAGES = ["docker.io/library/nginx", "docker.io/library/redis", "quay.io/prometheus/node-exporter",
          "registry.k8s.io/kube-proxy", "docker.io/bitnami/postgresql", "ghcr.io/example/payments",
          "ghcr.io/example/frontend", "docker.io/library/busybox", "docker.io/grafana/grafana",
          "quay.io/jetstack/cert-manager-controller"]
NAMESPACES = ["default", "kube-system", "payments", "frontend", "monitoring", "cert-manager", "data"]
PROCS = ["bash", "sh", "cat", "nc", "python3", "curl", "grep", "vi", "insmod", "tcpdump"]
FILES = ["/etc/shadow", "/etc/passwd", "/etc/sudoers", "/root/.bashrc", "/var/log/auth.log", "/etc/pam.d/sshd"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alerts", type=int, default=1000000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--start", default="2026-05-01T08:00:00Z")
    ap.add_argument("--span", type=float, default=6 * 3600, help="seconds covered")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("-o", "--output", default="-", help="file (.gz: gzip) or - for stdout")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    start = datetime.fromisoformat(a.start.replace("Z", "+00:00")).timestamp()
    start_ns = int(start) * 10**9
    hosts = ["node-%02d.prod.example.internal" % i for i in range(a.hosts)]
    host_w = [1.0 / (i + 1) ** 0.6 for i in range(a.hosts)]  # some nodes are noisier
    weights = [r[2] for r in RULES]
    out = (sys.stdout if a.output == "-" else
           gzip.open(a.output, "wt", compresslevel=6) if a.output.endswith(".gz") else
           open(a.output, "w"))
    step = a.span * 10**9 / max(a.alerts, 1)
    rules = rnd.choices(range(len(RULES)), weights=weights, k=a.alerts)
    hostix = rnd.choices(range(a.hosts), weights=host_w, k=a.alerts)
    # each node runs a fixed set of containers (so groups stay as many as in a real cluster)
    pods = [[(IMAGES[(h + k) % len(IMAGES)], "%012x" % rnd.getrandbits(48), rnd.choice(NAMESPACES))
             for k in range(20)] for h in range(a.hosts)]
    for i in range(a.alerts):
        rule, prio, _, tags, tmpl = RULES[rules[i]]
        t_ns = start_ns + int(i * step + rnd.random() * step)
        sec, frac = divmod(t_ns, 10**9)
        iso = datetime.fromtimestamp(sec, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % frac
        proc = rnd.choice(PROCS)
        arg = rnd.choice(FILES)
        fields = {"evt.time": t_ns, "proc.name": proc, "user.name": "root"}
        if rnd.random() < 0.8:
            img, cid, ns = rnd.choice(pods[hostix[i]])
            fields.update({"container.id": cid, "container.name": img.rsplit("/", 1)[1] + "-" + cid[:5],
                           "container.image.repository": img, "container.image.tag": "1.%d" % (int(cid, 16) % 4),
                           "k8s.ns.name": ns, "k8s.pod.name": "pod-" + cid[:8]})
        else:
            fields.update({"container.id": "host", "container.name": "host",
                           "container.image.repository": None, "k8s.ns.name": None})
        text = "%s: %s %s" % (iso[11:], prio, tmpl % (arg, proc))
        line = json.dumps({"hostname": hosts[hostix[i]], "output": text,
                           "output_fields": dict(sorted(fields.items())), "priority": prio,
                           "rule": rule, "source": "syscall", "tags": sorted(tags), "time": iso},
                          separators=(",", ":"))
        out.write(line + "\n")
    out.close()


if __name__ == "__main__":
    main()
