#!/usr/bin/env python3
"""k8s_audit throughput (issue 13): audit events per second per core through
Falco's 48 k8s_audit rules, offline (sgc replay --source k8s_audit) and over
the webhook (sgc run --enable-source k8s_audit, EventList batches POSTed on
keep-alive connections), with sgc's peak RSS. Each figure is paired with a
baseline measured in the same run: the same events through a rules file with
no k8s_audit rule (parsing, queueing and HTTP only), so the ratio is what the
rules cost.

usage: bench_k8saudit.py SGC RULES CASES [--events N] [--batch B] [--clients C]
CASES is tests/k8saudit/rule_cases.jsonl (the event mix, one Event or
EventList per line)."""
import http.client, json, os, resource, signal, socket, subprocess, sys, tempfile, threading, time

def events_of(cases):
    evs = []
    for line in open(cases):
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        evs.extend(o["items"] if o.get("kind") == "EventList" else [o])
    return evs

def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def replay(sgc, rules, path, n):
    c0, t0 = cpu_children(), time.time()
    p = subprocess.run([sgc, "replay", "--source", "k8s_audit", path, rules], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("replay failed: " + p.stderr[-500:])
    cpu, wall = cpu_children() - c0, time.time() - t0
    return n / cpu, n / wall

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def hwm_kb(pid):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmHWM:"):
            return int(l.split()[1])
    return 0

def proc_cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

def webhook(sgc, rules, bodies, nevents, clients):
    port = free_port()
    err = tempfile.TemporaryFile(mode="w+")
    p = subprocess.Popen([sgc, "run", "--enable-source", "k8s_audit",
                          "--k8s-audit-listen-address", "127.0.0.1", "--k8s-audit-listen-port", str(port),
                          rules], stderr=err, stdout=subprocess.DEVNULL)
    for _ in range(200):
        err.seek(0)
        if "ready:" in err.read():
            break
        time.sleep(0.05)
    per = len(bodies) // clients
    def client(part):
        c = http.client.HTTPConnection("127.0.0.1", port)
        for b in part:
            c.request("POST", "/k8s-audit", body=b, headers={"Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            if r.status != 200:
                raise SystemExit(f"HTTP {r.status}")
    t0 = time.time()
    ths = [threading.Thread(target=client, args=(bodies[i * per:(i + 1) * per],)) for i in range(clients)]
    for t in ths: t.start()
    for t in ths: t.join()
    hwm = hwm_kb(p.pid)
    p.send_signal(signal.SIGINT)
    _, _, ru = os.wait4(p.pid, 0)
    p.returncode = 0
    wall = time.time() - t0
    cpu = ru.ru_utime + ru.ru_stime
    err.seek(0)
    text = err.read()
    import re
    m = re.search(r"k8s_audit: (\d+) events evaluated", text)
    ev = int(m.group(1)) if m else -1
    return ev, wall, hwm / 1024.0, cpu

def main():
    a = sys.argv[1:]
    if len(a) < 3:
        sys.exit(__doc__)
    sgc, rules, cases = a[:3]
    opt = dict(zip(a[3::2], a[4::2]))
    n = int(opt.get("--events", 200000)); batch = int(opt.get("--batch", 100)); clients = int(opt.get("--clients", 2))
    mix = events_of(cases)
    evs = [mix[i % len(mix)] for i in range(n)]
    tmp = tempfile.mkdtemp(prefix="sgc-i13-bench.")
    log = os.path.join(tmp, "audit.jsonl")
    with open(log, "w") as f:
        for e in evs:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    empty = os.path.join(tmp, "none.yaml")
    open(empty, "w").write("- list: nothing\n  items: []\n")
    base_cpu, base_wall = replay(sgc, empty, log, n)
    rules_cpu, rules_wall = replay(sgc, rules, log, n)
    bodies = [json.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": evs[i:i + batch]},
                         separators=(",", ":")).encode() for i in range(0, n, batch)]
    bev, bwall, brss, bcpu = webhook(sgc, empty, bodies, n, clients)
    wev, wwall, wrss, wcpu = webhook(sgc, rules, bodies, n, clients)
    print(f"events={n} mix={len(mix)} batch={batch} clients={clients}")
    print(f"replay baseline (no rules): {base_cpu:,.0f} events/s/core ({base_wall:,.0f} events/s wall)")
    print(f"replay 48 rules:            {rules_cpu:,.0f} events/s/core ({rules_wall:,.0f} events/s wall); "
          f"ratio to baseline {base_cpu / rules_cpu:.2f}x CPU per event")
    print(f"webhook baseline (no rules): {bev / bwall:,.0f} events/s wall, {bev / bcpu:,.0f} events per sgc CPU-second, "
          f"peak RSS {brss:.1f} MB ({bev} evaluated)")
    print(f"webhook 48 rules:            {wev / wwall:,.0f} events/s wall, {wev / wcpu:,.0f} events per sgc CPU-second, "
          f"peak RSS {wrss:.1f} MB ({wev} evaluated); ratio to baseline {(bev / bcpu) / (wev / wcpu):.2f}x sgc CPU per event")
    print(f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock rates share the machine)")
    ok = rules_cpu >= 50000 and wev / wwall >= 20000 and wrss <= 64 and wev == n
    print("goals (>= 50,000 events/s/core replay; >= 20,000 events/s webhook; RSS <= 64 MB): "
          + ("met" if ok else "NOT met"))

main()
