#!/usr/bin/env python3
"""Where the BPF time of a dropped open goes, stage by stage (issue 16).

Runs the open/read/close loop (bench/workloads/wl_open.c) under BPF
programs that stop at successive stages of the capture's syscall handler,
alternated round after round, and prints the BPF run time per open of each
(the programs' run_time_ns / run_cnt, BPF_ENABLE_STATS on) and its ratio
to the empty per-syscall program measured in the same round:

  empty         bench/empty_tp on syscalls/sys_exit_{open,openat,openat2}
  stub          sgc's per-syscall stub and its tail call into the handler,
                which returns at once
  entry         + the registers, the syscall's spec, the config, the
                self-pid test and the `seen` counter
  claim         + claiming and releasing a record workspace
  record        + the record's header, return value and arguments
  comm rule     the whole handler, the filter of one rule on proc.name
  path rule     the whole handler, the filter of one rule on fd.name
  falco         the whole handler, falco_rules.yaml's filter

The stages are the handler of bpf-templates/ with an early return put in
(a copy given to `sgc compile --templates`); each one is compiled from the
one-rule file, so only the handler's work differs. As root:

  bench/fixed_cost.py --build BUILD [--rounds 5] [--seconds 1] [--out docs/performance.md]

With --out, writes the keep:fixed-cost-stages section of that file.
"""
import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import keep_section
from bench import bpf_stats_of, enable_bpf_stats

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

# (stage, file, anchor, text put after the anchor): the early return of a stage
STOPS = {
    "stub": ("capture.bpf.c", "int sgc_exit_handler(struct syscall_trace_exit *ctx)\n{\n",
             "    if (ctx->nr != 0xfffff) return 0;\n"),
    "entry": ("capture.bpf.c", "    sgc_count(SGC_CNT_SEEN);\n",
              "    if (nr != 0xfffff) return 0;\n"),
    "claim": ("capture.bpf.c", "    if (sgc_scratch_get(&ref)) return 0;\n",
              "    if (nr != 0xfffff) { sgc_scratch_put(&ref); return 0; }\n"),
    "record": ("capture.bpf.c",
               "    for (int i = 0; i < SGC_NARGS; i++) r.hdr->args[i] = args[i];\n",
               "    if (nr != 0xfffff) { sgc_scratch_put(&ref); return 0; }\n"),
}
RULE = """- rule: fixed cost probe
  desc: one rule on opens; no benign open matches it
  condition: evt.type in (open, openat, openat2) and {cond}
  output: probe %proc.name %fd.name
  priority: WARNING
"""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def templates_with_stop(tmp, stage):
    d = os.path.join(tmp, "tpl-" + stage)
    shutil.copytree(os.path.join(SRC, "bpf-templates"), d)
    name, anchor, text = STOPS[stage]
    path = os.path.join(d, name)
    with open(path) as f:
        s = f.read()
    if anchor not in s:
        raise SystemExit("fixed_cost.py: %s no longer has the anchor of stage %s: %r"
                         % (name, stage, anchor))
    with open(path, "w") as f:
        f.write(s.replace(anchor, anchor + text, 1))
    return d


def compile_artifact(sgc, rules, out, templates=None):
    argv = [sgc, "compile", "--no-cache", "-o", out] + rules
    if templates:
        argv += ["--templates", templates]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def start(argv, ready, env):
    errf = tempfile.TemporaryFile()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errf, env=env)
    for _ in range(600):
        errf.seek(0)
        if ready in errf.read().decode(errors="replace"):
            return p
        if p.poll() is not None:
            break
        time.sleep(0.05)
    errf.seek(0)
    p.kill()
    raise SystemExit("fixed_cost.py: %s did not start: %s"
                     % (argv[0], errf.read().decode(errors="replace")))


def measure(argv, ready, wl, wl_file, seconds, env):
    p = start(argv, ready, env)
    time.sleep(0.2)
    t0, c0, _ = bpf_stats_of([p.pid])
    subprocess.run([wl, "-d", str(seconds), wl_file], check=True, stdout=subprocess.DEVNULL)
    t1, c1, _ = bpf_stats_of([p.pid])
    p.send_signal(2)
    p.wait(timeout=60)
    return (t1 - t0) / max(1, c1 - c0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--corpus", default=os.path.join(SRC, "..", "shared", "corpus",
                                                     "falco-rules"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--out")
    a = ap.parse_args()
    sgc = os.path.join(a.build, "sgc")
    wl = os.path.join(a.build, "bench", "sgc_wl_open")
    empty = os.path.join(a.build, "bench", "sgc_empty_tp")
    tmp = tempfile.mkdtemp(prefix="sgc-fixed-cost-")
    wl_file = os.path.join(tmp, "file")
    with open(wl_file, "w") as f:
        f.write("x" * 100)
    env = dict(os.environ, SGC_NO_DEFAULT_CONFIG="1")
    try:
        probe = {}
        for k, cond in (("comm", "proc.name = sgc-probe-none"),
                        ("path", "fd.name = /sgc-probe/none")):
            probe[k] = os.path.join(tmp, k + ".yaml")
            with open(probe[k], "w") as f:
                f.write(RULE.format(cond=cond))
        configs = [("empty", [empty, "--hooks", "syscalls:open,openat,openat2"],
                    "empty_tp: attached")]
        for stage in STOPS:
            art = os.path.join(tmp, stage + ".sgc")
            compile_artifact(sgc, [probe["comm"]], art, templates_with_stop(tmp, stage))
            configs.append((stage, [sgc, "run", art, "-o", "/dev/null"], "attached"))
        for name, rules in (("comm rule", [probe["comm"]]), ("path rule", [probe["path"]]),
                            ("falco", [os.path.join(a.corpus, "falco_rules.yaml")])):
            art = os.path.join(tmp, name.split()[0] + "-full.sgc")
            compile_artifact(sgc, rules, art)
            configs.append((name, [sgc, "run", art, "-o", "/dev/null"], "attached"))
        enable_bpf_stats()
        ns = {c[0]: [] for c in configs}
        load0 = os.getloadavg()
        for r in range(a.rounds):
            order = configs if r % 2 == 0 else list(reversed(configs))
            for name, argv, ready in order:
                ns[name].append(measure(argv, ready, wl, wl_file, a.seconds, env))
            log("round %d: %s" % (r + 1, ", ".join("%s %.0f" % (n, ns[n][-1]) for n in ns)))
        load1 = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = ["| stage | BPF ns per open, min / median | ratio to empty (median) |",
            "|---|---|---|"]
    base = [ns["empty"][i] for i in range(a.rounds)]
    for name in ns:
        ratio = statistics.median(ns[name][i] / base[i] for i in range(a.rounds))
        rows.append("| %s | %.0f / %.0f | %.2f |" % (name, min(ns[name]),
                                                    statistics.median(ns[name]), ratio))
    text = "\n".join([
        "## Where a dropped open's BPF time goes (issue 16, fixed cost)",
        "",
        "Written by `bench/fixed_cost.py` (%s UTC, %d rounds of %.1f s, load %.2f at the start, "
        "%.2f at the end): the open/read/close loop under the handler stopped at successive "
        "stages (see the script's docstring), alternated round after round; each ratio is to the "
        "empty per-syscall program of the same round." % (
            datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), a.rounds, a.seconds,
            load0[0], load1[0]),
        "",
    ] + rows)
    print(text)
    if a.out:
        keep_section.replace(a.out, "fixed-cost-stages", text.split("\n"))


if __name__ == "__main__":
    main()
