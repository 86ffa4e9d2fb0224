#!/usr/bin/env python3
"""Scale benchmark (issue 18): how sgc's costs grow with rules and list sizes.

  sudo bench/scale.py [--sgc build/sgc] [--rules 25,250,2500] [--items 100,10000,100000]
                      [--kind mixed] [--out docs/performance.md]

For every (rules, items) pair it generates a rule set with bench/gen_rules.py
and measures, in this one run on this machine:
  lint      wall time and peak RSS of `sgc lint`
  compile   wall time and peak RSS of `sgc compile`, and the artifact's size
  run       load+attach time of `sgc run ARTIFACT` (spawn to "attached" on
            stderr), its peak RSS (VmHWM) after a benign workload, and the
            BPF ns per program run during the workload (run_time_ns/run_cnt
            of sgc's programs, kernel.bpf_stats_enabled) while the workload
            opens and closes a file that no rule matches 20,000 times, and
            while it connects 5,000 times to a closed local port (no list
            holds 127.0.0.1)
Every figure is also given as a ratio to the first configuration of the same
run (the baseline, e.g. 25 rules with 100-item lists). The table is written
into --out between the markers <!-- keep:scale --> and <!-- /keep:scale -->
(appended when missing), and the raw data as JSON next to it.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import keep_section

HERE = os.path.dirname(os.path.abspath(__file__))


def run_rss(cmd):
    """Run cmd under /usr/bin/time -f %M: (wall s, peak RSS MB, rc, stderr)."""
    with tempfile.NamedTemporaryFile(prefix="sgc-i18-time-", delete=False) as tf:
        tpath = tf.name
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tpath] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    try:
        rss = int(open(tpath).read().strip().splitlines()[-1]) / 1024.0
    except (ValueError, IndexError):
        rss = float("nan")
    os.unlink(tpath)
    return wall, rss, p.returncode, p.stderr.decode(errors="replace")


def prog_stats(pid):
    """Sum of run_time_ns and run_cnt over the BPF programs pid holds."""
    ns = cnt = 0
    fd_dir = "/proc/%d/fdinfo" % pid
    for fd in os.listdir(fd_dir):
        try:
            txt = open(os.path.join(fd_dir, fd)).read()
        except OSError:
            continue
        if "prog_type:" not in txt:
            continue
        m1 = re.search(r"run_time_ns:\s*(\d+)", txt)
        m2 = re.search(r"run_cnt:\s*(\d+)", txt)
        if m1 and m2:
            ns += int(m1.group(1))
            cnt += int(m2.group(1))
    return ns, cnt


def vm_hwm(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def benign_opens(n, path):
    for _ in range(n):
        fd = os.open(path, os.O_RDONLY)
        os.close(fd)


def benign_connects(n):
    """Connects to a closed port of 127.0.0.1 (refused at once): no rule's
    address list holds it."""
    import socket
    for _ in range(n):
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", 9))
        except OSError:
            pass
        s.close()


def measure_run(sgc, art, opens, tmpdir):
    p = subprocess.Popen([sgc, "run", art, "-v", "--duration", "600"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    t0 = time.monotonic()
    load = None
    err = b""
    while True:
        line = p.stderr.readline()
        if not line:
            break
        err += line
        if b"attached" in line:
            load = time.monotonic() - t0
            break
    if load is None:
        p.wait()
        return {"error": err.decode(errors="replace")[-400:]}
    target = os.path.join(tmpdir, "benign")
    open(target, "w").close()
    benign_opens(2000, target)  # warm up
    ns0, c0 = prog_stats(p.pid)
    benign_opens(opens, target)
    ns1, c1 = prog_stats(p.pid)
    benign_connects(opens // 4)
    ns2, c2 = prog_stats(p.pid)
    rss = vm_hwm(p.pid)
    p.terminate()
    p.communicate(timeout=120)
    return {"load_s": load, "rss_mb": rss, "bpf_ns": (ns1 - ns0) / max(1, c1 - c0), "runs": c1 - c0,
            "bpf_ns_connect": (ns2 - ns1) / max(1, c2 - c1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sgc", default=os.path.join(HERE, "..", "build", "sgc"))
    ap.add_argument("--rules", default="25,250,2500")
    ap.add_argument("--items", default="100,10000,100000")
    ap.add_argument("--kind", default="mixed", choices=("open", "mixed"))
    ap.add_argument("--opens", type=int, default=20000)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "docs", "performance.md"))
    ap.add_argument("--from-log", help="write the table from the JSON lines a run printed (no measuring)")
    a = ap.parse_args()
    if a.from_log:
        rows = [json.loads(l) for l in open(a.from_log) if l.startswith("{")]
        write_doc(a, rows, datetime.datetime.now(datetime.timezone.utc))
        return
    sgc = os.path.abspath(a.sgc)
    rules = [int(x) for x in a.rules.split(",")]
    items = [int(x) for x in a.items.split(",")]
    stats_path = "/proc/sys/kernel/bpf_stats_enabled"
    old_stats = open(stats_path).read().strip()
    open(stats_path, "w").write("1")
    results = []
    started = datetime.datetime.now(datetime.timezone.utc)
    try:
        with tempfile.TemporaryDirectory(prefix="sgc-i18-scale-") as tmp:
            for n in rules:
                for m in items:
                    y = os.path.join(tmp, "r%d_%d.yaml" % (n, m))
                    subprocess.run([sys.executable, os.path.join(HERE, "gen_rules.py"), "--rules", str(n),
                                    "--list-items", str(m), "--kind", a.kind, "-o", y], check=True)
                    art = os.path.join(tmp, "a.sgc")
                    r = {"rules": n, "items": m}
                    r["lint_s"], r["lint_mb"], rc, _ = run_rss([sgc, "lint", y])
                    r["compile_s"], r["compile_mb"], rc, err = run_rss([sgc, "compile", "--no-cache", y, "-o", art])
                    if rc:
                        r["error"] = "compile: " + err[-400:]
                    else:
                        r["artifact_mb"] = os.path.getsize(art) / 1e6
                        r.update(measure_run(sgc, art, a.opens, tmp))
                        os.unlink(art)
                    os.unlink(y)
                    print(json.dumps(r), flush=True)
                    results.append(r)
    finally:
        open(stats_path, "w").write(old_stats)
    write_doc(a, results, started)


def fmt(v, base, unit, digits=1):
    if v is None:
        return "-"
    s = "%.*f%s" % (digits, v, unit)
    if base:
        s += " (%.2fx)" % (v / base)
    return s


def goals(results):
    """The issue's goals against the largest configuration measured."""
    ok = [r for r in results if "error" not in r]
    if not ok:
        return []
    big = max(ok, key=lambda r: (r["rules"], r["items"]))
    base = ok[0]
    out = ["", "Goals of issue 18 (set for 10,000 rules with a 100,000-item list) against the largest "
           "configuration measured here, %d rules with %d-item lists:" % (big["rules"], big["items"]), "",
           "| goal | measured | met |", "|---|---|---|"]
    def row(name, v, limit, unit):
        out.append("| %s <= %g%s | %.2f%s | %s |" % (name, limit, unit, v, unit, "yes" if v <= limit else "**no**"))
    row("lint time", big["lint_s"], 2, " s")
    row("lint peak RSS", big["lint_mb"], 256, " MB")
    row("compile time", big["compile_s"], 20, " s")
    row("compile peak RSS", big["compile_mb"], 1024, " MB")
    row("artifact", big["artifact_mb"], 32, " MB")
    row("load+attach", big["load_s"], 3, " s")
    row("sgc run peak RSS", big["rss_mb"], 96, " MB")
    most = max((r for r in ok if r["items"] == base["items"]), key=lambda r: r["rules"])
    row("BPF ns per benign open, %d rules / %d rules" % (most["rules"], base["rules"]),
        most["bpf_ns"] / base["bpf_ns"], 3, "x")
    same = [r for r in ok if r["rules"] == base["rules"]]
    widest = max(same, key=lambda r: r["items"])
    row("BPF ns with %d-item lists / %d-item lists (membership cost flat)" % (widest["items"], base["items"]),
        widest["bpf_ns"] / base["bpf_ns"], 1.2, "x")
    if widest.get("bpf_ns_connect") and base.get("bpf_ns_connect"):
        row("BPF ns per benign connect with %d-address lists / %d (membership cost flat)"
            % (widest["items"], base["items"]), widest["bpf_ns_connect"] / base["bpf_ns_connect"], 1.2, "x")
    return out


def write_doc(a, results, started):
    base = results[0]
    lines = ["## Scale: rules and list sizes (issue 18)", "",
             "Written by `bench/scale.py` (rerun: `sudo bench/scale.py --rules %s --items %s --kind %s`); "
             "rules from `bench/gen_rules.py --kind %s` (open, connect, exec and name rules, each list of the "
             "given size). Ratios in parentheses are to the first row of this same run (%d rules, %d-item "
             "lists). BPF ns is per program run while 20,000 benign opens ran, and while 5,000 benign connects ran (to a closed local port; no list holds the address). %s UTC, %d CPUs, load %s."
             % (a.rules, a.items, a.kind, a.kind, base["rules"], base["items"],
                started.strftime("%Y-%m-%d %H:%M"), os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())),
             "",
             "| rules | items | lint | lint RSS | compile | compile RSS | artifact | load+attach | run RSS | BPF ns/open | BPF ns/connect |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append("| %d | %d | %s | %s | failed: %s ||||||" % (r["rules"], r["items"], fmt(r.get("lint_s"), None, " s", 2),
                                                               fmt(r.get("lint_mb"), None, " MB", 0),
                                                               r["error"].replace("|", "/").replace("\n", " ")[:200]))
            continue
        lines.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["rules"], r["items"], fmt(r["lint_s"], base.get("lint_s"), " s", 2),
            fmt(r["lint_mb"], base.get("lint_mb"), " MB", 0), fmt(r["compile_s"], base.get("compile_s"), " s", 1),
            fmt(r["compile_mb"], base.get("compile_mb"), " MB", 0), fmt(r["artifact_mb"], base.get("artifact_mb"), " MB", 2),
            fmt(r["load_s"], base.get("load_s"), " s", 2), fmt(r["rss_mb"], base.get("rss_mb"), " MB", 0),
            fmt(r["bpf_ns"], base.get("bpf_ns"), "", 0),
            fmt(r.get("bpf_ns_connect"), base.get("bpf_ns_connect"), "", 0)))
    lines += goals(results)
    keep_section.replace(a.out, "scale", lines)
    json.dump(results, open(os.path.splitext(a.out)[0] + "-scale.json", "w"), indent=1)


if __name__ == "__main__":
    main()
