#!/usr/bin/env python3
"""The sgc benchmark suite (run it through scripts/bench.sh).

Measures, on the same machine in the same sitting, alternating the
configurations (A B C ... then ... C B A, round after round) so that every
figure is a ratio of runs taken side by side:

  workloads       open/read/close, fork+exec of /bin/true, TCP connect/accept
                  /close on loopback (bench/workloads/), redis-server under
                  redis-benchmark, compiling sgc's compiler/ sources (full run)
  configurations  no tracer; empty raw-tracepoint programs (bench/empty_tp);
                  sgc run falco_rules.yaml; sgc run with the three corpus
                  files; sgc run --no-pushdown falco_rules.yaml; bpftrace
                  running bench/bpftrace/read_sensitive_file.bt
  figures         slowdown (ratio of ops/s to the no-tracer run of the same
                  round); kernel events seen / passed / alerts per second;
                  the tracer's CPU per second of workload (/proc/PID/stat)
                  and peak RSS (VmHWM); BPF run time per operation (BPF run-
                  time stats); alert latency p50/p99 (bench/latency.c); a
                  burst of matching events (nothing lost silently); compile
                  and load+attach times; the evaluator's events/s/core
                  (bench_eval)

and writes docs/performance.md (or --out) with the figures, the goals of
issue 6 and whether each was met, the machine, the date and the commands.
Raw per-run data go to a JSON file next to it (--json).
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import keep_section

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- helpers

def mmm(values):
    """(min, median, max) of the values that are not None, or None."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return (min(v), statistics.median(v), max(v))


def fmt_mmm(t, spec="{:.2f}", suffix=""):
    if t is None:
        return "n/a"
    a, m, b = t
    return (spec + " / " + spec + " / " + spec).format(a, m, b) + suffix


def fmt(x, spec="{:.2f}"):
    return "n/a" if x is None else spec.format(x)


def read_file(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def proc_cpu_s(pid):
    """utime + stime of a process (all its threads), seconds."""
    s = read_file("/proc/%d/stat" % pid)
    if not s:
        return None
    fields = s[s.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu_s():
    """user + system CPU of this process's waited-for children (the workloads)."""
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def proc_hwm_kb(pid):
    m = re.search(r"^VmHWM:\s+(\d+) kB", read_file("/proc/%d/status" % pid), re.M)
    return int(m.group(1)) if m else None


# BPF run-time statistics (BPF_ENABLE_STATS), enabled for as long as the
# returned fd stays open: no global sysctl is changed.
BPF_SYSCALL = {"x86_64": 321, "aarch64": 280}


def enable_bpf_stats():
    nr = BPF_SYSCALL.get(platform.machine())
    if nr is None:
        return -1
    libc = ctypes.CDLL(None, use_errno=True)
    attr = (ctypes.c_uint8 * 128)()  # enable_stats.type = BPF_STATS_RUN_TIME (0)
    return libc.syscall(nr, 32, attr, 128)  # BPF_ENABLE_STATS


def bpf_progs():
    try:
        out = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True,
                             text=True, timeout=30).stdout
        return json.loads(out or "[]")
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return []


def prog_ids_of(pid):
    """{prog id: (run_time_ns, run_cnt) or None} of the BPF programs a process
    holds (program and link fds, from /proc/PID/fdinfo: Debian's bpftool
    cannot map programs to processes)."""
    ids = {}
    d = "/proc/%d/fdinfo" % pid
    try:
        fds = os.listdir(d)
    except OSError:
        return ids
    for fd in fds:
        info = read_file(os.path.join(d, fd))
        m = re.search(r"^prog_id:\s+(\d+)", info, re.M)
        if not m:
            continue
        pid_ = int(m.group(1))
        rt = re.search(r"^run_time_ns:\s+(\d+)", info, re.M)
        rc = re.search(r"^run_cnt:\s+(\d+)", info, re.M)
        if rt and rc:
            ids[pid_] = (int(rt.group(1)), int(rc.group(1)))
        else:
            ids.setdefault(pid_, None)
    return ids


def bpf_stats_of(pids):
    """(run_time_ns, run_cnt, nprogs) summed over the programs those pids hold."""
    ids = {}
    for pid in pids:
        ids.update(prog_ids_of(pid))
    if any(v is None for v in ids.values()):
        for p in bpf_progs():
            if ids.get(p.get("id"), 0) is None:
                ids[p["id"]] = (p.get("run_time_ns", 0), p.get("run_cnt", 0))
    ns = sum(v[0] for v in ids.values() if v)
    cnt = sum(v[1] for v in ids.values() if v)
    return ns, cnt, len(ids)


TRACING_TYPES = {"tracepoint", "raw_tracepoint", "raw_tracepoint_writable", "tracing",
                 "kprobe", "perf_event"}


def foreign_tracers(own_pids):
    """Attached tracing programs of other processes (they slow every
    configuration, the baseline included): {name: count}, "sgc_exit_*"
    style names grouped."""
    own = set()
    for pid in own_pids:
        own.update(prog_ids_of(pid))
    try:
        links = json.loads(subprocess.run(["bpftool", "-j", "link", "show"], capture_output=True,
                                          text=True, timeout=30).stdout or "[]")
    except (OSError, ValueError, subprocess.TimeoutExpired):
        links = []
    attached = {ln.get("prog_id") for ln in links}
    seen = {}
    for p in bpf_progs():
        if p.get("type") not in TRACING_TYPES or p.get("id") in own or p.get("id") not in attached:
            continue
        name = re.sub(r"^(sgc_[a-z]+)_.*", r"\1_*", p.get("name", "?"))
        seen[name] = seen.get(name, 0) + 1
    return seen


# The syscalls Falco's three rule files name (bench/hook_bench.c): the
# per-syscall floor attaches an empty program to each one's exit tracepoint.
RULE_SYSCALLS = (
    "accept accept4 bpf chmod chown chroot clone connect creat dup dup2 dup3 execve execveat "
    "fchmod fchmodat kill link linkat listen memfd_create mkdir mkdirat mount open openat "
    "openat2 ptrace recvfrom recvmsg rename renameat renameat2 rmdir seccomp sendmsg sendto "
    "setgid setns setuid socket symlink symlinkat truncate unlink unlinkat unshare "
    "userfaultfd").split()


# ---------------------------------------------------------------- tracers

STATS_RE = re.compile(
    r"stats: seen (\d+), filtered (\d+), passed (\d+), lifecycle seen (\d+), passed (\d+), "
    r"decoded (\d+), lost (\d+), decode errors (\d+)(?:, evaluated (\d+), alerts (\d+))?")
SUMMARY_KERNEL_RE = re.compile(
    r"kernel: (\d+) events seen, (\d+) filtered, (\d+) passed, (\d+) lost \(ring buffer "
    r"full\), (\d+) truncated")
SUMMARY_LIFECYCLE_RE = re.compile(
    r"kernel: (\d+) process lifecycle records \(exec/fork/exit\) seen, (\d+) passed")
SUMMARY_RUNTIME_RE = re.compile(r"runtime: (\d+) records, (\d+) decoded, (\d+) decode errors")
SUMMARY_RULES_RE = re.compile(r"rules: (\d+) events evaluated, (\d+) alerts .*?(\d+) drop alerts")


class Tracer:
    """A configuration's background process: started, waited on until it
    prints its readiness line, sampled, stopped with SIGINT."""

    def __init__(self, name, argv, ready_re, kind, tmp, env=None):
        self.name, self.argv, self.kind, self.env = name, argv, kind, env
        self.ready_re = re.compile(ready_re)
        self.errpath = os.path.join(tmp, "%s.err" % name)
        self.outpath = os.path.join(tmp, "%s.out" % name)
        self.proc = None
        self.ready_s = None
        self.summary = {}

    def _text(self):
        return read_file(self.errpath) + read_file(self.outpath)

    def start(self, timeout=300):
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdout=open(self.outpath, "w"),
                                     stderr=open(self.errpath, "w"), stdin=subprocess.DEVNULL,
                                     env=dict(os.environ, **self.env) if self.env else None)
        while not self.ready_re.search(self._text()):
            if self.proc.poll() is not None:
                raise BenchError("%s exited (status %s) before it was ready:\n%s" %
                                 (self.name, self.proc.returncode, self._text()[-3000:]))
            if time.monotonic() - t0 > timeout:
                self.kill()
                raise BenchError("%s not ready after %d s" % (self.name, timeout))
            time.sleep(0.005)
        self.ready_s = time.monotonic() - t0

    @property
    def pid(self):
        return self.proc.pid

    def stats_lines(self):
        return STATS_RE.findall(read_file(self.errpath)) if self.kind == "sgc" else []

    def counters(self, after=None, timeout=3.0):
        """The kernel counters of sgc's periodic stats line. after=N waits
        (bounded) for a line newer than the N-th (read after the workload)."""
        if self.kind != "sgc":
            return None, 0
        t0 = time.monotonic()
        lines = self.stats_lines()
        while after is not None and len(lines) <= after and time.monotonic() - t0 < timeout:
            time.sleep(0.02)
            lines = self.stats_lines()
        if not lines:
            return None, 0
        v = [int(x) if x else 0 for x in lines[-1]]
        keys = ["seen", "filtered", "passed", "lc_seen", "lc_passed", "decoded", "lost",
                "decode_errors", "evaluated", "alerts"]
        return dict(zip(keys, v)), len(lines)

    def snapshot(self, after=None):
        c, n = self.counters(after)
        ns, cnt, nprogs = bpf_stats_of({self.pid})
        return {"cpu_s": proc_cpu_s(self.pid), "counters": c, "nlines": n,
                "bpf_ns": ns, "bpf_runs": cnt, "bpf_progs": nprogs, "t": time.monotonic()}

    def stop(self, timeout=60):
        hwm = proc_hwm_kb(self.pid)
        cpu = proc_cpu_s(self.pid)
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise BenchError("%s did not stop within %d s of SIGINT" % (self.name, timeout))
        text = read_file(self.errpath)
        self.summary = {"rc": rc, "hwm_kb": hwm, "cpu_s": cpu}
        m = SUMMARY_KERNEL_RE.search(text)
        if m:
            self.summary.update(zip(["seen", "filtered", "passed", "lost", "truncated"],
                                    map(int, m.groups())))
        m = SUMMARY_LIFECYCLE_RE.search(text)
        if m:
            self.summary.update(zip(["lc_seen", "lc_passed"], map(int, m.groups())))
        m = SUMMARY_RUNTIME_RE.search(text)
        if m:
            self.summary.update(zip(["records", "decoded", "decode_errors"], map(int, m.groups())))
        m = SUMMARY_RULES_RE.search(text)
        if m:
            self.summary.update(zip(["evaluated", "alerts", "drop_alerts"], map(int, m.groups())))
        if rc != 0:
            raise BenchError("%s exited with status %d:\n%s" % (self.name, rc, text[-3000:]))
        return self.summary

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------- the suite

class Suite:
    def __init__(self, args):
        self.a = args
        self.build = os.path.abspath(args.build)
        self.sgc = os.path.join(self.build, "sgc")
        self.bin = os.path.join(self.build, "bench")
        self.corpus = os.path.abspath(args.corpus)
        self.falco = os.path.join(self.corpus, "falco_rules.yaml")
        self.all3 = [os.path.join(self.corpus, f) for f in
                     ("falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml")]
        self.bench_rule = os.path.join(HERE, "rules", "bench.yaml")
        self.tmp = tempfile.mkdtemp(prefix="sgc-bench.")
        self.res = {"runs": {}, "sessions": {}, "notes": [], "commands": {}, "tmp": self.tmp,
                    "build": self.build}
        self.redis = None
        self.redis_port = None
        self.stats_fd = -1
        self.quiet_spent = 0.0

    # -- configurations and workloads

    def sgc_run(self, name, files, extra=(), env=None, sgc=None):
        alerts = os.path.join(self.tmp, name + ".alerts.json")
        argv = [sgc or self.sgc, "run", *files, "--json", "-o", alerts, "-v", "--stats-interval",
                "0.25", *extra]
        return Tracer(name, argv, r"attached \d+ programs, watching \d+ syscalls", "sgc",
                      self.tmp, env)

    def empty(self, name, hooks):
        return Tracer(name, [os.path.join(self.bin, "sgc_empty_tp"), "--hooks", hooks],
                      r"empty_tp: attached", "empty", self.tmp)

    def configs(self):
        c = [("baseline", None),
             ("empty-tp", lambda: Tracer("empty-tp", [os.path.join(self.bin, "sgc_empty_tp")],
                                         r"empty_tp: attached", "empty", self.tmp)),
             # the floors of sgc's two hook kinds (docs/kernel.md)
             ("empty-syscalls", lambda: self.empty("empty-syscalls",
                                                   "syscalls:" + ",".join(RULE_SYSCALLS))),
             ("empty-raw", lambda: self.empty("empty-raw", "raw")),
             ("sgc-falco", lambda: self.sgc_run("sgc-falco", [self.falco])),
             ("sgc-falco-raw", lambda: self.sgc_run("sgc-falco-raw", [self.falco],
                                                    env={"SGC_HOOK_STRATEGY": "raw_syscalls"})),
             ("sgc-all3", lambda: self.sgc_run("sgc-all3", self.all3)),
             # another sgc binary (--base-sgc), alternated with this build's in one run
             ("base-falco", lambda: self.sgc_run("base-falco", [self.falco],
                                                 sgc=self.a.base_sgc)),
             ("base-all3", lambda: self.sgc_run("base-all3", self.all3, sgc=self.a.base_sgc)),
             ("sgc-nopushdown", lambda: self.sgc_run("sgc-nopushdown", [self.falco],
                                                     ["--no-pushdown"])),
             ("bpftrace", lambda: Tracer("bpftrace", ["bpftrace", os.path.join(
                 HERE, "bpftrace", "read_sensitive_file.bt")], r"bpftrace: ready", "bpftrace",
                 self.tmp))]
        want = self.a.configs.split(",") if self.a.configs else None
        out = []
        for name, mk in c:
            if want and name not in want and name != "baseline":
                continue
            if name.startswith("base-") and not self.a.base_sgc:
                continue
            if name == "bpftrace" and not shutil.which("bpftrace"):
                self.res["notes"].append("bpftrace is not installed: its configuration was "
                                         "skipped (Debian: apt-get install bpftrace)")
                continue
            out.append((name, mk))
        return out

    def workloads(self):
        d = str(self.a.seconds)
        w = [("open", "open/read/close of a 100-byte file",
              lambda: self.run_wl([os.path.join(self.bin, "sgc_wl_open"), "-d", d])),
             ("exec", "fork + exec of /bin/true",
              lambda: self.run_wl([os.path.join(self.bin, "sgc_wl_exec"), "-d", d])),
             ("tcp", "TCP connect/accept/close on loopback",
              lambda: self.run_wl([os.path.join(self.bin, "sgc_wl_tcp"), "-d", d]))]
        if self.redis_port:
            w.append(("redis", "redis-benchmark -t set,get -c 20 against redis-server",
                      self.run_redis))
        if self.build_cmds:
            w.append(("build", "gcc -O2 of %d of sgc's compiler/ sources, serially" %
                      len(self.build_cmds), self.run_build))
        want = self.a.workloads.split(",") if self.a.workloads else None
        return [x for x in w if not want or x[0] in want]

    def run_wl(self, argv):
        self.res["commands"].setdefault(os.path.basename(argv[0]), " ".join(argv))
        p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
        m = re.search(r"ops=(\d+) elapsed_s=([\d.]+) ops_per_s=([\d.]+) cpu_s=([\d.]+)", p.stdout)
        if p.returncode != 0 or not m:
            raise BenchError("%s failed (%d): %s%s" % (argv[0], p.returncode, p.stdout, p.stderr))
        return {"ops": int(m.group(1)), "wall_s": float(m.group(2)),
                "ops_per_s": float(m.group(3)), "wl_cpu_s": float(m.group(4))}

    def start_redis(self):
        if self.a.smoke or not (shutil.which("redis-server") and shutil.which("redis-benchmark")):
            if not self.a.smoke:
                self.res["notes"].append("redis-server/redis-benchmark not installed: the redis "
                                         "workload was skipped (Debian: redis-server redis-tools)")
            return
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.redis_port = s.getsockname()[1]
        s.close()
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no", "--logfile",
             os.path.join(self.tmp, "redis.log")], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        for _ in range(100):
            r = subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"],
                               capture_output=True, text=True) if shutil.which("redis-cli") else None
            if r is None or r.stdout.strip() == "PONG":
                break
            time.sleep(0.05)
        time.sleep(0.2)

    def redis_cpu_s(self):
        return (proc_cpu_s(self.redis.pid) or 0) if self.redis else 0

    def run_redis(self):
        n = self.a.redis_requests
        argv = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(self.redis_port), "-n", str(n),
                "-c", "20", "-t", "set,get", "-q"]
        self.res["commands"].setdefault("redis-benchmark", " ".join(argv))
        t0 = time.monotonic()
        p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            raise BenchError("redis-benchmark failed: %s" % p.stderr)
        return {"ops": 2 * n, "wall_s": wall, "ops_per_s": 2 * n / wall}

    def prepare_build(self):
        self.build_cmds = []
        if self.a.smoke:
            return
        try:
            cc = json.load(open(os.path.join(self.build, "compile_commands.json")))
        except (OSError, ValueError):
            self.res["notes"].append("no compile_commands.json: the build workload was skipped")
            return
        es = sorted([e for e in cc if "/compiler/" in e["file"]], key=lambda e: e["file"])
        for e in es[:self.a.build_files]:
            a = shlex.split(e["command"])
            if "-o" in a:
                a[a.index("-o") + 1] = "/dev/null"
            a = [x for x in a if x not in ("-Werror", "-MD")]
            self.build_cmds.append((a, e["directory"]))
        if self.build_cmds:
            self.res["commands"]["build"] = ("for each of the first %d compiler/*.c files (sorted): "
                                             "its compile_commands.json command, -o /dev/null" %
                                             len(self.build_cmds))

    def run_build(self):
        t0 = time.monotonic()
        for a, d in self.build_cmds:
            subprocess.run(a, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=600)
        wall = time.monotonic() - t0
        return {"ops": len(self.build_cmds), "wall_s": wall,
                "ops_per_s": len(self.build_cmds) / wall}

    # -- the alternated rounds

    def rounds(self):
        configs = self.configs()
        wls = self.workloads()
        self.res["configs"] = [c for c, _ in configs]
        self.res["workloads"] = [(w, desc) for w, desc, _ in wls]
        runs = self.res["runs"]
        for r in range(self.a.rounds):
            order = configs if r % 2 == 0 else configs[::-1]
            log("== round %d/%d: %s" % (r + 1, self.a.rounds, " ".join(c for c, _ in order)))
            for cname, mk in order:
                waited = self.wait_quiet()
                tr = mk() if mk else None
                sess = {"round": r, "quiet_wait_s": waited}
                if tr:
                    tr.start()
                    self.res["commands"].setdefault(cname, " ".join(shlex.quote(x)
                                                                    for x in tr.argv))
                    sess["ready_s"] = tr.ready_s
                    time.sleep(0.3)
                sess["foreign"] = foreign_tracers({tr.pid} if tr else set())
                try:
                    for wname, _, fn in wls:
                        before = tr.snapshot() if tr else None
                        c0 = children_cpu_s() + self.redis_cpu_s()
                        m = fn()
                        m["cpu_s"] = children_cpu_s() + self.redis_cpu_s() - c0
                        if tr:
                            after = tr.snapshot(after=before["nlines"] + 1)
                            m.update(self.deltas(before, after, m["wall_s"]))
                        m["round"] = r
                        m["foreign"] = sum(foreign_tracers({tr.pid} if tr else set()).values())
                        runs.setdefault(cname, {}).setdefault(wname, []).append(m)
                        log("   %-15s %-6s %12.1f ops/s%s" % (
                            cname, wname, m["ops_per_s"],
                            "" if not tr else "  tracer cpu %5.1f%%" % (100 * (m.get("cpu_frac") or 0))))
                    if tr:
                        sess.update(tr.stop())
                finally:
                    if tr:
                        tr.kill()
                self.res["sessions"].setdefault(cname, []).append(sess)

    def wait_quiet(self):
        """Other processes' tracing programs (other sgc instances on a shared
        machine) slow every configuration: wait, bounded per session and in
        total (--quiet-wait), until none is attached."""
        t0 = time.monotonic()
        limit = min(self.a.quiet_wait, self.a.quiet_budget - self.quiet_spent)
        while limit > 0 and foreign_tracers(set()) and time.monotonic() - t0 < limit:
            time.sleep(0.5)
        w = time.monotonic() - t0
        self.quiet_spent += w
        return w

    def deltas(self, b, a, wall):
        d = {}
        if b["cpu_s"] is not None and a["cpu_s"] is not None:
            d["tracer_cpu_s"] = a["cpu_s"] - b["cpu_s"]
            d["cpu_frac"] = d["tracer_cpu_s"] / wall
        if b["counters"] and a["counters"]:
            # the counters window spans the workload plus up to two stats
            # intervals; rates are per second of workload
            for k in ("seen", "filtered", "passed", "lc_seen", "lc_passed", "lost", "alerts",
                      "evaluated"):
                d[k] = a["counters"][k] - b["counters"][k]
        d["bpf_ns"] = a["bpf_ns"] - b["bpf_ns"]
        d["bpf_runs"] = a["bpf_runs"] - b["bpf_runs"]
        d["bpf_progs"] = a["bpf_progs"]
        return d

    # -- latency and burst

    def trigger_session(self, burst, duration, rate=1000, sgc_extra=()):
        """sgc (falco_rules.yaml + bench/rules/bench.yaml) writing alerts into a
        FIFO read by bench/latency.c. Returns (trigger result, sgc summary)."""
        d = os.path.join("/tmp/sgc-bench-lat", str(os.getpid()))
        os.makedirs(d, exist_ok=True)
        fifo = os.path.join(self.tmp, "alerts.fifo")
        if os.path.exists(fifo):
            os.unlink(fifo)
        os.mkfifo(fifo)
        targv = [os.path.join(self.bin, "sgc_bench_latency"), "--alerts", fifo, "--dir", d,
                 "--duration", str(duration)]
        targv += ["--burst", "--threads", str(self.a.burst_threads)] if burst else ["--rate",
                                                                                      str(rate)]
        trig = subprocess.Popen(targv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        name = "burst" if burst else "latency"
        tr = None
        try:
            if trig.stdout.readline().strip() != "ready":
                raise BenchError("sgc_bench_latency did not start")
            argv = [self.sgc, "run", self.falco, self.bench_rule, "--json", "-o", fifo,
                    "--stats-interval", "1", *sgc_extra]
            tr = Tracer(name, argv, r"attached \d+ programs, watching \d+ syscalls", "sgc",
                        self.tmp)
            tr.start()
            self.res["commands"].setdefault(" ".join((name,) + tuple(sgc_extra)), " ".join(targv) +
                                            "  # with: " + " ".join(argv))
            time.sleep(0.3)
            trig.stdin.write("go\n")
            trig.stdin.flush()
            line = trig.stdout.readline()
            if not line.startswith("triggered"):
                raise BenchError("trigger failed: %r" % line)
            time.sleep(0.5)
            summ = tr.stop(timeout=120)
            trig.stdin.write("end\n")
            trig.stdin.flush()
            out = trig.stdout.readline()
            trig.wait(60)
            m = dict(re.findall(r"(\w+)=([\d.]+)", out))
            if "triggers" not in m:
                raise BenchError("no result from the trigger: %r" % out)
            res = {k: float(v) for k, v in m.items()}
            res["drop_alert_seen"] = "sgc internal: event drop" in read_file(tr.errpath) or \
                bool(summ.get("drop_alerts"))
            warn = re.findall(r"warning: (\d+) events lost", read_file(tr.errpath))
            res["stderr_lost_reports"] = sum(int(x) for x in warn)
            return res, summ
        finally:
            if tr:
                tr.kill()
            if trig.poll() is None:
                trig.kill()
                trig.wait()
            shutil.rmtree(d, ignore_errors=True)

    def latency(self):
        out = []
        for i in range(self.a.latency_runs):
            r, s = self.trigger_session(False, self.a.latency_seconds, self.a.latency_rate)
            log("   latency run %d: %d triggers, %d alerts, p50 %.0f us, p99 %.0f us, max %.0f us"
                % (i + 1, r["triggers"], r["alerts"], r["p50_us"], r["p99_us"], r["max_us"]))
            out.append({"trigger": r, "sgc": s})
        self.res["latency"] = out

    def burst(self):
        """Twice: with sgc's default ring buffer, and with a 64 KiB one so
        that losses happen and their accounting is checked too."""
        out = {}
        for label, extra in (("default ring buffer", ()),
                             ("64 KiB ring buffer (forced losses)",
                              ("--ringbuf-bytes", "65536"))):
            r, s = self.trigger_session(True, self.a.burst_seconds, sgc_extra=extra)
            lost = s.get("lost", 0) + s.get("decode_errors", 0)
            r["lost_reported"] = lost
            r["silent"] = max(0, int(r["triggers"] - r["alerts"] - lost))
            log("   burst, %s: %d triggers at %.0f/s, %d alerts read, %d reported lost, "
                "%d silent" % (label, r["triggers"], r["rate"], r["alerts"], lost, r["silent"]))
            out[label] = {"trigger": r, "sgc": s}
        self.res["burst"] = out

    # -- compile, load+attach, evaluator

    def compile_load(self):
        out = {}
        for label, files in (("falco_rules.yaml", [self.falco]), ("all three files", self.all3)):
            comp, load = [], []
            art = os.path.join(self.tmp, "bench.sgca")
            for i in range(self.a.compile_runs):
                argv = [self.sgc, "compile", "--no-cache", *files, "-o", art]
                t0 = time.monotonic()
                p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
                comp.append(time.monotonic() - t0)
                if p.returncode != 0:
                    raise BenchError("sgc compile failed: %s" % p.stderr[-2000:])
                self.res["commands"].setdefault("compile " + label, " ".join(argv))
                tr = Tracer("load", [self.sgc, "run", art, "-o", "/dev/null"],
                            r"attached \d+ programs, watching \d+ syscalls", "sgc", self.tmp)
                try:
                    tr.start()
                    load.append(tr.ready_s)
                    m = re.search(r"attached (\d+) programs, watching (\d+) syscalls",
                                  read_file(tr.errpath))
                    tr.stop()
                finally:
                    tr.kill()
                self.res["commands"].setdefault("load " + label, " ".join(tr.argv) +
                                                "  # time to the readiness line")
            out[label] = {"compile_s": comp, "load_s": load,
                          "programs": int(m.group(1)) if m else None,
                          "syscalls": int(m.group(2)) if m else None}
            log("   %s: compile %s s, load+attach %s s" % (label, fmt_mmm(mmm(comp)),
                                                          fmt_mmm(mmm(load))))
        self.res["compile"] = out

    def evaluator(self):
        exe = os.path.join(self.bin, "bench_eval")
        argv = [exe, self.corpus, str(self.a.eval_seconds)]
        self.res["commands"]["bench_eval"] = " ".join(argv)
        vals, evals = [], []
        for _ in range(self.a.eval_runs):
            p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
            m = re.findall(r"events/s/core:\s+([\d.]+) million", p.stdout)
            if p.returncode != 0 or len(m) < 2:
                raise BenchError("bench_eval failed: %s%s" % (p.stdout[-1000:], p.stderr[-1000:]))
            vals.append(float(m[0]) * 1e6)
            evals.append(float(m[1]) * 1e6)
        self.res["evaluator"] = {"pipeline": vals, "evaluation": evals}
        log("   evaluator: %s events/s/core" % fmt_mmm(mmm(vals), "{:.3g}"))

    # -- everything

    def machine(self):
        cpu = re.search(r"^model name\s*:\s*(.*)$", read_file("/proc/cpuinfo"), re.M)
        mem = re.search(r"^MemTotal:\s+(\d+) kB", read_file("/proc/meminfo"), re.M)
        git = subprocess.run(["git", "-C", SRC, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", SRC, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        vers = {}
        for tool, argv in (("bpftrace", ["bpftrace", "--version"]),
                           ("redis-server", ["redis-server", "--version"]),
                           ("clang", ["clang-19", "--version"])):
            if shutil.which(argv[0]):
                vers[tool] = subprocess.run(argv, capture_output=True, text=True).stdout.split(
                    "\n")[0].strip()
        return {"nproc": os.cpu_count(), "cpu": cpu.group(1) if cpu else platform.processor(),
                "kernel": platform.release(), "mem_gb": int(mem.group(1)) / 1048576 if mem else None,
                "os": read_file("/etc/debian_version").strip(),
                "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "git": git + ("+local changes" if dirty else ""), "versions": vers,
                "loadavg_start": read_file("/proc/loadavg").split()[:3]}

    def explain(self):
        """Which rules on the open syscalls the kernel cannot decide, from
        `sgc explain --format json` (why the filter passes benign opens)."""
        try:
            p = subprocess.run([self.sgc, "explain", "--format", "json", self.falco],
                               capture_output=True, text=True, timeout=300)
            d = json.loads(p.stdout)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return
        rules = d.get("rules", []) if isinstance(d, dict) else d
        out = []
        for r in rules:
            if "openat" not in r.get("event_types", []):
                continue
            uo = [a["atom"] for a in r.get("atoms", []) if a.get("class") == "userspace-only"
                  and a.get("atom", "").startswith(("fd.", "evt."))]
            out.append({"rule": r.get("name"), "kernel": r.get("kernel"), "undecided": uo})
        self.res["explain_open"] = out

    def run(self):
        t0 = time.monotonic()
        self.explain()
        self.res["machine"] = self.machine()
        self.res["mode"] = "smoke" if self.a.smoke else "full"
        self.res["argv"] = sys.argv[1:]
        self.stats_fd = enable_bpf_stats()
        if self.stats_fd < 0:
            self.res["notes"].append("BPF run-time statistics unavailable: BPF time per "
                                     "operation not measured")
        self.prepare_build()
        self.start_redis()
        try:
            steps = [("rounds", self.rounds), ("latency", self.latency), ("burst", self.burst),
                     ("compile", self.compile_load), ("evaluator", self.evaluator)]
            want = self.a.steps.split(",")
            for name, fn in steps:
                if name not in want:
                    continue
                log("== %s" % name)
                fn()
        finally:
            if self.redis:
                self.redis.terminate()
                self.redis.wait()
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.res["machine"]["loadavg_end"] = read_file("/proc/loadavg").split()[:3]
        self.res["elapsed_s"] = time.monotonic() - t0
        return self.res


# ---------------------------------------------------------------- the report

def analyse(res):
    """Figures from the raw runs: per (config, workload) min/median/max."""
    runs = res["runs"]
    base = runs.get("baseline", {})
    fig = {}
    for c, per_wl in runs.items():
        for w, rs in per_wl.items():
            b = {x["round"]: x["ops_per_s"] for x in base.get(w, [])}
            slow = [b[x["round"]] / x["ops_per_s"] for x in rs if x["round"] in b]
            bc = {x["round"]: x["cpu_s"] / x["ops"] for x in base.get(w, []) if x.get("cpu_s")}
            cslow = [(x["cpu_s"] / x["ops"]) / bc[x["round"]] for x in rs
                     if x["round"] in bc and x.get("cpu_s")]
            e = {"ops": mmm([x["ops_per_s"] for x in rs]), "wall_slowdown": mmm(slow),
                 "slowdown": mmm(cslow), "cpu_us_op": mmm([1e6 * x["cpu_s"] / x["ops"]
                                                           for x in rs if x.get("cpu_s")])}

            def rate(k):
                return mmm([x[k] / x["wall_s"] if k in x else None for x in rs])
            for k in ("seen", "passed", "lc_passed", "alerts", "lost"):
                e[k] = rate(k)
            e["cpu_pct"] = mmm([100 * x["cpu_frac"] if "cpu_frac" in x else None for x in rs])
            e["bpf_ns_op"] = mmm([x["bpf_ns"] / x["ops"] if x.get("bpf_runs") else None
                                  for x in rs])
            e["bpf_ns_run"] = mmm([x["bpf_ns"] / x["bpf_runs"] if x.get("bpf_runs") else None
                                   for x in rs])
            e["runs_op"] = mmm([x["bpf_runs"] / x["ops"] if x.get("bpf_runs") else None
                                for x in rs])
            fig[(c, w)] = e
    return fig


def med(t):
    return None if t is None else t[1]


def goals(res, fig):
    """[(goal, measured, met (True/False/None = not measured))]."""
    g = []

    def s(c, w):
        return med(fig.get((c, w), {}).get("slowdown"))

    so, se = s("sgc-falco", "open"), s("empty-tp", "open")
    wo = med(fig.get(("sgc-falco", "open"), {}).get("wall_slowdown"))
    g.append(("open/read/close with falco_rules.yaml: slowdown <= 1.3x",
              "%sx (wall clock: %sx)" % (fmt(so), fmt(wo)), None if so is None else so <= 1.3))
    g.append(("... and within 0.15 of the empty program's slowdown",
              "%sx vs %sx: %s" % (fmt(so), fmt(se), fmt(None if None in (so, se) else so - se,
                                                         "{:+.2f}")),
              None if None in (so, se) else so - se <= 0.15))
    for w in ("open", "exec", "tcp"):
        a, n = s("sgc-falco", w), s("sgc-nopushdown", w)
        if a is None or n is None:
            g.append(("sgc's added overhead <= 1/5 of --no-pushdown's (%s)" % w, "n/a", None))
            continue
        if n - 1 <= 0.02:
            frac, txt = None, "sgc %+.0f%%, --no-pushdown %+.0f%%: --no-pushdown adds no " \
                "measurable overhead here" % (100 * (a - 1), 100 * (n - 1))
            g.append(("sgc's added overhead <= 1/5 of --no-pushdown's (%s)" % w, txt,
                      a - 1 <= 0.02))
            continue
        frac = (a - 1) / (n - 1)
        g.append(("sgc's added overhead <= 1/5 of --no-pushdown's (%s)" % w,
                  "%.2f (sgc %+.0f%%, --no-pushdown %+.0f%%)" % (frac, 100 * (a - 1), 100 * (n - 1)),
                  frac <= 0.2))
    cpus = [med(fig.get(("sgc-falco", w), {}).get("cpu_pct")) for w in ("open", "exec", "tcp")]
    cpus = [x for x in cpus if x is not None]
    worst = max(cpus) if cpus else None
    g.append(("sgc's own CPU <= 2% of one core during workloads 1-3 (falco_rules.yaml, worst "
              "workload, median)", "%s%%" % fmt(worst, "{:.1f}"),
              None if worst is None else worst <= 2.0))
    hwm = [x.get("hwm_kb") for c in ("sgc-falco", "sgc-all3", "sgc-nopushdown")
           for x in res["sessions"].get(c, []) if x.get("hwm_kb")]
    g.append(("peak RSS <= 32 MB (worst sgc session)",
              "%s MB" % fmt(max(hwm) / 1024 if hwm else None, "{:.1f}"),
              None if not hwm else max(hwm) / 1024 <= 32))
    lat = res.get("latency")
    p99 = mmm([x["trigger"]["p99_us"] / 1000 for x in lat]) if lat else None
    g.append(("alert latency p99 <= 5 ms (median of runs)", "%s ms" % fmt(med(p99), "{:.2f}"),
              None if p99 is None else p99[1] <= 5))
    b = res.get("burst")
    if b:
        for label, x in b.items():
            t = x["trigger"]
            short = t["rate"] < 100000 or t["trigger_s"] < 9.9
            g.append(("zero silent drops in the burst, %s" % label,
                      "%d silent of %d triggers at %.0f/s for %.1f s (%d alerts, %d reported "
                      "lost)%s" % (t["silent"], t["triggers"], t["rate"], t["trigger_s"],
                                   t["alerts"], t["lost_reported"],
                                   "; below the >= 100,000/s for 10 s the issue asks for" if short
                                   else ""),
                      t["silent"] == 0))
    else:
        g.append(("zero silent drops in the burst", "n/a", None))
    comp = res.get("compile", {}).get("all three files")
    if comp:
        c, l = mmm(comp["compile_s"]), mmm(comp["load_s"])
        g.append(("compile <= 2 s for all three corpus files (median)", "%.2f s" % c[1],
                  c[1] <= 2))
        g.append(("load+attach <= 1 s for all three corpus files (median)", "%.2f s" % l[1],
                  l[1] <= 1))
    else:
        g.append(("compile <= 2 s and load+attach <= 1 s for all three files", "n/a", None))
    return g


def profile_notes(res, fig):
    """Data-driven notes on where the cost goes, for the figures that miss
    their goal."""
    out = []

    def e(c, w):
        return fig.get((c, w), {})

    for w in ("open", "exec", "tcp"):
        parts = []
        for c in ("empty-tp", "sgc-falco", "sgc-nopushdown", "bpftrace"):
            x = e(c, w)
            if med(x.get("bpf_ns_op")) is not None:
                parts.append("%s %s ns (%s runs of %s ns)" % (
                    c, fmt(med(x["bpf_ns_op"]), "{:.0f}"), fmt(med(x.get("runs_op")), "{:.1f}"),
                    fmt(med(x.get("bpf_ns_run")), "{:.0f}")))
        b = med(e("baseline", w).get("cpu_us_op"))
        if parts:
            out.append("%s: BPF time per operation: %s; the baseline operation costs %s us of "
                       "CPU." % (w, "; ".join(parts), fmt(b, "{:.2f}")))
        for c in ("sgc-falco", "sgc-all3"):
            x = e(c, w)
            seen, passed = med(x.get("seen")), med(x.get("passed"))
            if seen:
                lc = med(x.get("lc_passed"))
                out.append("%s, %s: the kernel filter passed %.0f%% of the %.0f syscall events/s "
                           "it saw (%.0f/s to userspace), plus %s lifecycle records/s." % (
                               w, c, 100 * passed / seen, seen, passed, fmt(lc, "{:.0f}")))
    ex = [r for r in res.get("explain_open", []) if r["undecided"]]
    if ex:
        out.append("rules of falco_rules.yaml on openat whose fd./evt. atoms the kernel "
                   "leaves UNKNOWN (`sgc explain`): an open that only such an atom would rule "
                   "out is passed to userspace: " +
                   "; ".join("*%s*: %s" % (r["rule"], ", ".join("`%s`" % a for a in
                                                               r["undecided"][:4]))
                             for r in ex) + ".")
    for w in ("open", "exec", "tcp"):
        x = e("sgc-falco", w)
        cpu, passed = med(x.get("cpu_pct")), med(x.get("passed"))
        if cpu is not None and cpu > 2 and passed:
            out.append("sgc CPU during %s: %.1f%% of a core for %.0f passed events/s, %.1f us "
                       "per passed event: the userspace cost scales with what the kernel "
                       "passes." % (w, cpu, passed, cpu / 100 / passed * 1e6))
    hwm = [x.get("hwm_kb") for x in res["sessions"].get("sgc-falco", []) if x.get("hwm_kb")]
    if hwm and max(hwm) / 1024 > 32:
        out.append("peak RSS %.1f MB: the ring buffer (4 MiB by default, `--ringbuf-bytes`) "
                   "is mapped twice and counts twice as resident; the rest is the process "
                   "table, the compiled rules and the libraries (see /proc/PID/smaps)." %
                   (max(hwm) / 1024))
    lat = res.get("latency")
    if lat:
        p50 = statistics.median([x["trigger"]["p50_us"] for x in lat]) / 1000
        p99 = statistics.median([x["trigger"]["p99_us"] for x in lat]) / 1000
        if p99 > 5:
            out.append("alert latency p50 %.1f ms, p99 %.1f ms at %g events/s: above the "
                       "goal although wakeups are bounded to 1 ms (bpf-templates/"
                       "capture_record.h) and the reader's follow-up poll to 2 ms "
                       "(runtime/pipeline/runloop.c): look at the evaluation and output time per "
                       "alert, and at CPU contention on the machine." %
                       (p50, p99, res["args"]["latency_rate"]))
    return out


CONFIG_DESC = {
    "baseline": "no tracer",
    "empty-tp": "empty raw-tracepoint programs on sys_enter + sys_exit (bench/empty_tp.bpf.c)",
    "empty-syscalls": "an empty program on syscalls/sys_exit_NAME of each syscall Falco's rule "
                      "files name: the floor of sgc's per-syscall hooks",
    "empty-raw": "an empty tp_btf/sys_exit program: the floor of sgc's raw_syscalls hook",
    "sgc-falco": "sgc run falco_rules.yaml",
    "sgc-falco-raw": "sgc run falco_rules.yaml with SGC_HOOK_STRATEGY=raw_syscalls",
    "sgc-all3": "sgc run with the three corpus files",
    "base-falco": "sgc-falco with the sgc binary of --base-sgc",
    "base-all3": "sgc-all3 with the sgc binary of --base-sgc",
    "sgc-nopushdown": "sgc run --no-pushdown falco_rules.yaml (every event of the rules' "
                      "syscalls to userspace: Falco's architecture)",
    "bpftrace": "bpftrace bench/bpftrace/read_sensitive_file.bt (Falco's \"Read sensitive file "
                "untrusted\")",
}


def report(res, cmdline):
    fig = analyse(res)
    m = res["machine"]
    cfgs = res.get("configs", [])
    wls = res.get("workloads", [])
    L = []
    p = L.append
    p("# Performance")
    p("")
    p("Written by `scripts/bench.sh` (bench/bench.py); do not edit by hand. Rerun with:")
    p("")
    p("    " + cmdline)
    p("")
    p("Mode: **%s** (%d alternated rounds of %s s per workload run; configurations in order, "
      "then in reverse order, round after round; every slowdown is the ratio to the baseline "
      "run of the same round). Figures are **min / median / max** over the rounds." %
      (res["mode"], len(res["sessions"].get("baseline", [])), res["args"]["seconds"]))
    p("")
    p("## Machine")
    p("")
    p("- date: %s; sgc %s; suite run time %.0f s" % (m["date"], m["git"], res["elapsed_s"]))
    p("- %d CPUs, %s; %.1f GB RAM; kernel %s; Debian %s" % (m["nproc"], m["cpu"],
                                                             m["mem_gb"] or 0, m["kernel"], m["os"]))
    p("- load average at start %s, at end %s (a shared, noisy machine: compare ratios, not "
      "absolute figures)" % (" ".join(m["loadavg_start"]), " ".join(m["loadavg_end"])))
    for k, v in sorted(m["versions"].items()):
        p("- %s: %s" % (k, v))
    foreign = {}
    for c, ss in res["sessions"].items():
        for s in ss:
            for comm, n in s.get("foreign", {}).items():
                foreign[comm] = max(foreign.get(comm, 0), n)
    if foreign:
        p("- tracing BPF programs of other processes seen during the runs (they slow every "
          "configuration, the baseline too): " +
          ", ".join("%s (up to %d)" % (k, v) for k, v in sorted(foreign.items())))
    allruns = [x for per in res["runs"].values() for rs in per.values() for x in rs]
    dirty = [x for x in allruns if x.get("foreign")]
    if allruns and "foreign" in allruns[0]:
        waited = sum(s.get("quiet_wait_s", 0) for ss in res["sessions"].values() for s in ss)
        p("- workload runs that ended with another process's tracing programs attached: %d of "
          "%d (the suite waited %.0f s in all for them to go before starting sessions)" %
          (len(dirty), len(allruns), waited))
    p("")
    p("## Goals (issue 6)")
    p("")
    p("| goal | measured | met |")
    p("|---|---|---|")
    for goal, meas, ok in goals(res, fig):
        p("| %s | %s | %s |" % (goal, meas, "n/a" if ok is None else "yes" if ok else "**no**"))
    p("")
    prof = profile_notes(res, fig)
    if prof:
        p("## Where the misses come from")
        p("")
        for n in prof:
            p("- " + n)
        p("")
    p("## Configurations")
    p("")
    for c in cfgs:
        p("- `%s`: %s" % (c, CONFIG_DESC.get(c, c)))
    p("")
    p("## How it is measured")
    p("")
    p("- Workloads (bench/workloads/wl_*.c) loop one operation for a fixed time and print "
      "ops/s; redis-benchmark runs a fixed request count against a redis-server started once "
      "for the suite; the build workload compiles a fixed list of sgc's compiler/ sources with "
      "their compile_commands.json commands.")
    p("- Each round starts each configuration once (tracer started, readiness line awaited, "
      "0.3 s settle), runs every workload under it, stops it with SIGINT (its summary is "
      "parsed); the configuration order is reversed every other round, so drift on the "
      "machine does not favour one configuration.")
    p("- sgc runs with `-v --stats-interval 0.25`: its periodic stats line gives the kernel "
      "counters (seen / filtered / passed / lost) and the alert count before and after each "
      "workload (the window is up to two intervals longer than the workload; rates are per "
      "second of workload, system-wide).")
    p("- The tracer's CPU comes from /proc/PID/stat (utime + stime) before and after each "
      "workload, its peak RSS from VmHWM at the end of the session; BPF time from the "
      "programs' run_time_ns / run_cnt (BPF_ENABLE_STATS held by the suite for its duration; "
      "the tracer's programs found through /proc/PID/fdinfo).")
    p("- Alert latency and the burst: bench/latency.c with bench/rules/bench.yaml (one rule "
      "on opens for reading under /tmp/sgc-bench-lat/, loaded after falco_rules.yaml); "
      "alerts are read from a FIFO given to sgc as `-o`.")
    p("")
    p("## Slowdown")
    p("")
    p("Two measures per run, both a ratio to the baseline run of the same round. **CPU**: the "
      "workload's CPU time (user + system, its children included; for redis, redis-server's "
      "too) per operation, relative to the baseline's: what the tracer's kernel programs add "
      "to each syscall, and robust to other load on this shared machine. The goals are judged "
      "on it. **Wall**: baseline ops/s / ops/s, the end-to-end slowdown, which also includes "
      "contention for the 2 CPUs (with the tracer's own userspace work and with other "
      "processes) and is much noisier here.")
    p("")
    p("### CPU time per operation (ratio to the baseline)")
    p("")
    p("| workload | baseline CPU us/op | " + " | ".join(c for c in cfgs if c != "baseline") +
      " |")
    p("|---|---|" + "---|" * (len(cfgs) - 1))
    for w, desc in wls:
        row = ["%s: %s" % (w, desc),
               fmt_mmm(fig.get(("baseline", w), {}).get("cpu_us_op"), "{:.2f}")]
        for c in cfgs:
            if c != "baseline":
                row.append(fmt_mmm(fig.get((c, w), {}).get("slowdown"), "{:.2f}", ""))
        p("| " + " | ".join(row) + " |")
    p("")
    p("### Wall clock (baseline ops/s / ops/s)")
    p("")
    p("| workload | baseline ops/s | " + " | ".join(c for c in cfgs if c != "baseline") + " |")
    p("|---|---|" + "---|" * (len(cfgs) - 1))
    for w, desc in wls:
        row = [w, fmt_mmm(fig.get(("baseline", w), {}).get("ops"), "{:.0f}")]
        for c in cfgs:
            if c != "baseline":
                row.append(fmt_mmm(fig.get((c, w), {}).get("wall_slowdown"), "{:.2f}", ""))
        p("| " + " | ".join(row) + " |")
    p("")
    sgcs = [c for c in cfgs if c.startswith("sgc")]
    if "sgc-falco" in cfgs and "sgc-nopushdown" in cfgs:
        p("sgc's added overhead as a fraction of --no-pushdown's, (S_sgc - 1) / (S_nopushdown - 1) "
          "from the medians of the CPU slowdowns:")
        p("")
        for w, _ in wls:
            a = med(fig.get(("sgc-falco", w), {}).get("slowdown"))
            n = med(fig.get(("sgc-nopushdown", w), {}).get("slowdown"))
            if a is not None and n is not None:
                p("- %s: %s (sgc %+.1f%%, --no-pushdown %+.1f%%)" % (
                    w, fmt((a - 1) / (n - 1)) if abs(n - 1) > 0.02 else "n/a (--no-pushdown "
                    "within noise of the baseline)", 100 * (a - 1), 100 * (n - 1)))
        p("")
    if sgcs:
        p("## Events per second of workload (sgc's kernel counters)")
        p("")
        p("Syscall events seen by the kernel programs / syscall events passed to userspace / "
          "process lifecycle records (exec, fork, exit: always passed, for the process table, "
          "counted apart) / alerts, medians (system-wide: other processes' events count too).")
        p("")
        p("| workload | " + " | ".join(sgcs) + " |")
        p("|---|" + "---|" * len(sgcs))
        for w, _ in wls:
            row = [w]
            for c in sgcs:
                e = fig.get((c, w), {})
                row.append("%s / %s / %s / %s" % (fmt(med(e.get("seen")), "{:.0f}"),
                                                  fmt(med(e.get("passed")), "{:.0f}"),
                                                  fmt(med(e.get("lc_passed")), "{:.0f}"),
                                                  fmt(med(e.get("alerts")), "{:.1f}")))
            p("| " + " | ".join(row) + " |")
        p("")
    tracers = [c for c in cfgs if c != "baseline"]
    p("## The tracer's own CPU and memory")
    p("")
    p("CPU: utime + stime of the tracer process (/proc/PID/stat, 10 ms ticks) during the "
      "workload, as %% of one core per second of workload. Peak RSS: VmHWM at the end of each "
      "session.")
    p("")
    p("| workload | " + " | ".join(tracers) + " |")
    p("|---|" + "---|" * len(tracers))
    for w, _ in wls:
        row = [w] + [fmt_mmm(fig.get((c, w), {}).get("cpu_pct"), "{:.1f}", "%") for c in tracers]
        p("| " + " | ".join(row) + " |")
    row = ["peak RSS (MB)"]
    for c in tracers:
        h = [s.get("hwm_kb") / 1024 for s in res["sessions"].get(c, []) if s.get("hwm_kb")]
        row.append(fmt_mmm(mmm(h), "{:.1f}"))
    p("| " + " | ".join(row) + " |")
    row = ["start to ready (s)"]
    for c in tracers:
        row.append(fmt_mmm(mmm([s.get("ready_s") for s in res["sessions"].get(c, [])]), "{:.2f}"))
    p("| " + " | ".join(row) + " |")
    p("")
    p("## Where the kernel time goes (BPF run-time statistics)")
    p("")
    p("Per workload operation: BPF program runs and BPF ns (all programs the tracer holds), "
      "medians; ns per program run in parentheses.")
    p("")
    p("| workload | " + " | ".join(tracers) + " |")
    p("|---|" + "---|" * len(tracers))
    for w, _ in wls:
        row = [w]
        for c in tracers:
            e = fig.get((c, w), {})
            row.append("%s runs, %s ns (%s)" % (fmt(med(e.get("runs_op")), "{:.1f}"),
                                                 fmt(med(e.get("bpf_ns_op")), "{:.0f}"),
                                                 fmt(med(e.get("bpf_ns_run")), "{:.0f}")))
        p("| " + " | ".join(row) + " |")
    p("")
    lat = res.get("latency")
    if lat:
        t = [x["trigger"] for x in lat]
        p("## Alert latency")
        p("")
        p("`sgc run falco_rules.yaml bench/rules/bench.yaml --json -o FIFO`; bench/latency.c "
          "opens, %g times a second for %g s, a file whose name is the CLOCK_REALTIME ns just "
          "before the syscall, and stamps each alert line read from the FIFO; latency = read "
          "time - syscall time (an upper bound of syscall to alert written). %d runs:" %
          (res["args"]["latency_rate"], res["args"]["latency_seconds"], len(t)))
        p("")
        p("| | min / median / max over runs |")
        p("|---|---|")
        p("| triggers per run | %s |" % fmt_mmm(mmm([x["triggers"] for x in t]), "{:.0f}"))
        p("| alerts received per run | %s |" % fmt_mmm(mmm([x["alerts"] for x in t]), "{:.0f}"))
        for k in ("p50_us", "p90_us", "p99_us", "max_us"):
            p("| %s (ms) | %s |" % (k[:-3], fmt_mmm(mmm([x[k] / 1000 for x in t]), "{:.3f}")))
        p("")
    b = res.get("burst")
    if b:
        labels = list(b)
        p("## Burst")
        p("")
        p("The latency command; bench/latency.c --burst opens a matching file from %d "
          "thread(s) as fast as it can for %g s (target: >= 100,000/s). Run with sgc's default "
          "ring buffer, then with `--ringbuf-bytes 65536` so that losses occur and their "
          "accounting is checked." % (res["args"]["burst_threads"], res["args"]["burst_seconds"]))
        p("")
        p("| | " + " | ".join(labels) + " |")
        p("|---|" + "---|" * len(labels))
        rows = [
            ("matching syscalls (triggers)", lambda t, s: "%d in %.2f s = **%.0f/s**" % (
                t["triggers"], t["trigger_s"], t["rate"])),
            ("alerts delivered (read from the FIFO)", lambda t, s: "%d" % t["alerts"]),
            ("kernel: seen / filtered / passed", lambda t, s: "%s / %s / %s" % (
                s.get("seen"), s.get("filtered"), s.get("passed"))),
            ("reported lost (ring buffer full + decode errors)",
             lambda t, s: "%d" % t["lost_reported"]),
            ("drop alert raised / events in stderr loss reports", lambda t, s: "%s / %d" % (
                "yes" if t["drop_alert_seen"] else "no", t["stderr_lost_reports"])),
            ("**silent** losses: triggers - alerts - reported lost (> 0 fails)",
             lambda t, s: "**%d**" % t["silent"]),
            ("sgc CPU over the session / peak RSS", lambda t, s: "%.2f s / %.1f MB" % (
                s.get("cpu_s") or 0, (s.get("hwm_kb") or 0) / 1024)),
        ]
        for title, f in rows:
            p("| %s | %s |" % (title, " | ".join(f(b[k]["trigger"], b[k]["sgc"]) for k in labels)))
        p("")
    comp = res.get("compile")
    if comp:
        p("## Compile and load+attach")
        p("")
        p("`sgc compile FILES -o ART` (wall), then `sgc run ART`: wall time from the start of "
          "the process to its readiness line (artifact read, rules compiled for userspace, BPF "
          "load and verification, attach, /proc scan).")
        p("")
        p("| rules | compile (s) | load+attach (s) | programs / syscalls |")
        p("|---|---|---|---|")
        for label, c in comp.items():
            p("| %s | %s | %s | %s / %s |" % (label, fmt_mmm(mmm(c["compile_s"])),
                                              fmt_mmm(mmm(c["load_s"])), c["programs"],
                                              c["syscalls"]))
        p("")
    ev = res.get("evaluator")
    if ev:
        p("## Userspace evaluator (bench_eval)")
        p("")
        p("Events per second per core through the three corpus files, synthetic host mix "
          "(docs/evaluator.md): full pipeline (decode + process table + evaluation) %s; "
          "evaluation only %s." % (fmt_mmm(mmm(ev["pipeline"]), "{:.3g}"),
                                   fmt_mmm(mmm(ev["evaluation"]), "{:.3g}")))
        p("")
    p("## Process table memory")
    p("")
    p("From docs/process-table.md (measured when the table was built): a "
      "forked child costs about 150 bytes (a 144-byte entry plus its hash link; it shares its "
      "parent's strings), a process read from /proc about 1.1 KB of strings on average (mostly "
      "the environment, each string capped at 4 KiB); exited entries are kept 5 s (at most "
      "4096), and hard caps (131072 entries, 256 MiB of strings) evict exited entries first.")
    p("")
    if res["notes"]:
        p("## Notes")
        p("")
        for n in res["notes"]:
            p("- " + n)
        p("")
    p("## Commands")
    p("")
    p("$TMP is the suite's scratch directory; BUILD the build directory.")
    p("")
    for k, v in res["commands"].items():
        v = v.replace(res.get("tmp", "\0"), "$TMP").replace(res["build"], "BUILD")
        v = re.sub(r"/tmp/sgc-bench-lat/\d+", "/tmp/sgc-bench-lat/PID", v)
        p("- %s: `%s`" % (k, v))
    p("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="the CMake build directory")
    ap.add_argument("--corpus", default=os.path.join(SRC, "..", "shared", "corpus",
                                                     "falco-rules"))
    ap.add_argument("--smoke", action="store_true",
                    help="tiny mode for CI: 2 rounds of 0.5 s, a subset")
    ap.add_argument("--out", help="the report (default docs/performance.md; smoke: none)")
    ap.add_argument("--json", help="raw results (default: next to the report)")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--seconds", type=float, help="seconds per workload run")
    ap.add_argument("--configs", help="comma-separated subset of the configurations")
    ap.add_argument("--base-sgc", metavar="SGC", help="another sgc binary (say, main's): adds "
                    "the configurations base-falco and base-all3, run with it")
    ap.add_argument("--workloads", help="comma-separated subset: open,exec,tcp,redis,build")
    ap.add_argument("--quiet-wait", type=float, help="seconds to wait, before each session, "
                    "for other processes' tracing programs to go (default 15; smoke 0)")
    ap.add_argument("--quiet-budget", type=float, default=300,
                    help="at most this many seconds of such waits in all")
    ap.add_argument("--redis-requests", type=int, default=40000)
    ap.add_argument("--build-files", type=int, default=24)
    ap.add_argument("--latency-runs", type=int)
    ap.add_argument("--latency-seconds", type=float)
    ap.add_argument("--latency-rate", type=float, default=1000)
    ap.add_argument("--burst-seconds", type=float)
    ap.add_argument("--burst-threads", type=int, default=1)
    ap.add_argument("--compile-runs", type=int)
    ap.add_argument("--eval-runs", type=int)
    ap.add_argument("--eval-seconds", type=float)
    ap.add_argument("--report-from", metavar="JSON",
                    help="only write the report, from the raw results of an earlier run")
    ap.add_argument("--steps", default="rounds,latency,burst,compile,evaluator",
                    help="which parts to run (default: all)")
    a = ap.parse_args()
    smoke = {"rounds": 2, "seconds": 0.5, "latency_runs": 1, "latency_seconds": 1,
             "burst_seconds": 1, "compile_runs": 1, "eval_runs": 1, "eval_seconds": 0.5,
             "configs": "baseline,empty-tp,sgc-falco,sgc-nopushdown", "quiet_wait": 0}
    full = {"rounds": 5, "seconds": 2.0, "latency_runs": 5, "latency_seconds": 4,
            "burst_seconds": 10, "compile_runs": 5, "eval_runs": 5, "eval_seconds": 2,
            "configs": None, "quiet_wait": 15}
    for k, v in (smoke if a.smoke else full).items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.rounds < 1:
        ap.error("--rounds must be >= 1")
    if os.geteuid() != 0 and not a.report_from:
        print("bench: needs root (BPF programs are loaded)", file=sys.stderr)
        return 77
    out = a.out or (None if a.smoke else os.path.join(SRC, "docs", "performance.md"))
    jpath = a.json or (os.path.splitext(out)[0] + ".json" if out else None)
    if a.json is None and out and os.path.abspath(out) == os.path.join(SRC, "docs",
                                                                       "performance.md"):
        jpath = os.path.join(os.path.abspath(a.build), "bench-results.json")
    if a.report_from:
        # rewrite the report from the raw results of an earlier run
        with open(a.report_from) as f:
            res = json.load(f)
        jpath = None
    else:
        suite = Suite(a)
        try:
            res = suite.run()
        except BenchError as e:
            print("bench: FAILED: %s" % e, file=sys.stderr)
            return 1
        res["args"] = vars(a)
        res["cmdline"] = "scripts/bench.sh " + " ".join(
            shlex.quote(x) for x in sys.argv[1:] if x not in (a.build, "--build")) + \
            "   # as root, from the source tree"
    text = report(res, res.get("cmdline", "scripts/bench.sh   # as root, from the source tree"))
    print(text)
    if out:
        kept = kept_sections(out)
        with open(out, "w") as f:
            f.write(text + kept)
        log("bench: wrote %s" % out)
    if jpath:
        with open(jpath, "w") as f:
            json.dump(res, f, indent=1, default=str)
        log("bench: raw results in %s" % jpath)
    return 0


def kept_sections(path):
    """Sections other benchmarks write into the same file (bench/keep_section.py),
    carried over when the suite rewrites it."""
    return "".join("\n" + sec + "\n" for sec in keep_section.all_sections(path))


if __name__ == "__main__":
    sys.exit(main())
