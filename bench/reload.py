#!/usr/bin/env python3
"""Reload benchmark (issue 12): how long a reload of the three corpus rule
files takes from SIGHUP to the new rules in force, and whether any event is
lost or judged twice meanwhile.

  sudo bench/reload.py [--sgc build/sgc] [--corpus ../shared/corpus] [--reloads 6]
                       [--out docs/performance.md]

sgc runs falco_rules.yaml, falco-incubating_rules.yaml, falco-sandbox_rules.yaml
and a trigger rule (alerting on opens under a private directory) with -v. A
trigger loop opens a new file there every 2 ms for the whole run. The
reloads alternate two contents of the trigger rule's file: the first compiles
the kernel filter with clang (cache miss), the others find it in the compile
cache, as a reload of unchanged files does. For each reload:
seconds from SIGHUP to the "reloaded in" line, and sgc's own breakdown
(configuration, rules and filter, BPF verifier). The baseline is the first
start of the same rules in the same run (spawn to "attached", cache warm).
Events: every trigger must have exactly one alert; the kernel's lost counter
must stay 0. The table goes into --out between <!-- keep:reload --> and
<!-- /keep:reload -->.
"""
import argparse
import collections
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import keep_section

HERE = os.path.dirname(os.path.abspath(__file__))


def trigger_rule(d, variant):
    extra = "" if variant == 0 else " and not proc.name in (sgc-never-%d)" % variant
    return ("- rule: Reload bench trigger\n  desc: bench\n"
            "  condition: evt.type in (open, openat) and fd.name startswith %s/trig/%s\n"
            "  output: \"trigger %%fd.name\"\n  priority: WARNING\n" % (d, extra))


def wait_for(path, pattern, count, timeout, proc):
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = open(path).read()
        if len(re.findall(pattern, text)) >= count:
            return text
        if proc.poll() is not None:
            sys.exit("sgc exited:\n" + text[-3000:])
        time.sleep(0.05)
    sys.exit("timeout waiting for %r:\n%s" % (pattern, open(path).read()[-3000:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sgc", default=os.path.join(HERE, "..", "build", "sgc"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpus"))
    ap.add_argument("--reloads", type=int, default=6)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "docs", "performance.md"))
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="sgc-reload-bench.")
    os.makedirs(d + "/trig")
    rules = os.path.join(d, "trigger.yaml")
    open(rules, "w").write(trigger_rule(d, 0))
    fr = os.path.join(a.corpus, "falco-rules")
    files = [fr + "/falco_rules.yaml", fr + "/falco-incubating_rules.yaml",
             fr + "/falco-sandbox_rules.yaml", rules]
    cfg = os.path.join(d, "sgc.yaml")
    open(cfg, "w").write("rules_files: [%s]\njson_output: true\nstdout_output: {enabled: false}\n"
                         "file_output: {enabled: true, keep_alive: true, filename: %s/alerts.json}\n"
                         "watch_config_files: false\n" % (", ".join(files), d))
    env = dict(os.environ, SGC_NO_DEFAULT_CONFIG="1", XDG_CACHE_HOME=d + "/cache")
    err_path = d + "/run.err"
    # warm the compile cache for the first content, then time a start
    subprocess.run([a.sgc, "run", "-c", cfg, "--duration", "1"], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    err = open(err_path, "w")
    p = subprocess.Popen([a.sgc, "run", "-v", "-c", cfg], env=env, stdout=subprocess.DEVNULL,
                         stderr=err)
    wait_for(err_path, r"attached \d+ programs", 1, 600, p)
    start_s = time.monotonic() - t0
    trig = subprocess.Popen([sys.executable, "-c", """
import os, sys, time
d = sys.argv[1]; n = 0
while not os.path.exists(d + "/stop"):
    os.close(os.open("%s/trig/%d" % (d, n), os.O_WRONLY | os.O_CREAT, 0o600)); n += 1
    time.sleep(0.002)
open(d + "/triggers", "w").write(str(n))
""", d])
    rows = []
    for k in range(1, a.reloads + 1):
        open(rules, "w").write(trigger_rule(d, k % 2))
        time.sleep(0.5)
        t = time.monotonic()
        p.send_signal(signal.SIGHUP)
        text = wait_for(err_path, r"reloaded in ([\d.]+) s", k, 600, p)
        took = time.monotonic() - t
        parts = re.findall(r"reload: configuration (\d+) ms, rules and filter (\d+) ms, BPF "
                           r"programs \(verifier\) (\d+) ms", text)[k - 1]
        rows.append((k, "miss" if k == 1 else "hit", took, [int(x) / 1000 for x in parts]))
    open(d + "/stop", "w").close()
    trig.wait()
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=120)
    err.close()
    text = open(err_path).read()
    lost = re.search(r"kernel: .*? (\d+) lost \(ring buffer full\)", text)
    n = int(open(d + "/triggers").read())
    hits = collections.Counter()
    for line in open(d + "/alerts.json"):
        al = json.loads(line)
        if al["rule"] == "Reload bench trigger":
            hits[al["output_fields"]["fd.name"]] += 1
    want = ["%s/trig/%d" % (d, i) for i in range(n)]
    missing = sum(1 for w in want if hits[w] == 0)
    dup = sum(1 for w in want if hits[w] > 1)
    load = open("/proc/loadavg").read().split()[:3]
    now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
    lines = ["## Reload of the three corpus files (issue 12)", "",
             "Written by `bench/reload.py` (rerun: `sudo bench/reload.py`), %s, %d CPUs, load %s. "
             "falco_rules.yaml + falco-incubating_rules.yaml + falco-sandbox_rules.yaml + a trigger "
             "rule; a loop opened a new file every 2 ms throughout. Cache miss: the kernel filter is "
             "compiled by clang; hit: found in the compile cache (a reload of unchanged files). The "
             "ratio is to the first start of the same rules in this run (spawn to attached, cache "
             "warm): %.2f s." % (now, os.cpu_count(), " ".join(load), start_s), "",
             "| reload | cache | SIGHUP to in force | ratio to start | configuration | rules and filter | BPF verifier |",
             "|---|---|---|---|---|---|---|"]
    for k, cache, took, (c, r, v) in rows:
        lines.append("| %d | %s | %.2f s | %.2f | %.2f s | %.2f s | %.2f s |" %
                     (k, cache, took, took / start_s, c, r, v))
    lines += ["", "Events: %d triggers, %d alerts for them, %d without an alert, %d with more than one; "
              "kernel events lost (ring buffer full): %s." %
              (n, sum(hits.values()), missing, dup, lost.group(1) if lost else "?")]
    print(keep_section.replace(a.out, "reload", lines))
    return 1 if missing or dup else 0


if __name__ == "__main__":
    sys.exit(main())
