#!/usr/bin/env python3
"""The attack suite runner (started by tests/scripts/attacks.sh).

For each phase -- the embedded default rules, then Falco's three corpus files
loaded unmodified -- it starts `sgc run --json -o OUT` (--all-matches for the
corpus, whose rules overlap), waits for
the readiness line, runs every tests/attacks/[0-9]*.sh, and checks that each
alert a script announces (EXPECT lines for the default rules, EXPECT_CORPUS
lines for the corpus) arrives within 1 second of its event with the announced
output fields. After the attacks of the default phase it runs the benign
workload and requires zero alerts. Every wait is bounded.

Exit status: 0 all passed, 1 a failure, 3 sgc run could not start (the shell
wrapper turns that into SKIP or FAIL).
"""
import argparse
import fnmatch
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

LATENCY_LIMIT_S = 1.0
READY_TIMEOUT_S = 60
SCRIPT_TIMEOUT_S = 120
BENIGN_TIMEOUT_S = 1800
STOP_TIMEOUT_S = 20
# Every process the suite starts inherits this audit login uid (set on the
# runner itself), so alerts can be told apart from those of other activity on
# the machine: output_fields["user.loginuid"] (every default rule prints it).
MARKER = None
READY_RE = re.compile(r"attached (\d+) programs, watching (\d+) syscalls")
UNCAPTURABLE_RE = re.compile(r"cannot be captured here: (.*)$")


class Tail(threading.Thread):
    """Reads the alert file as it grows; records when each line was seen."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.alerts = []  # (seen wall time, alert dict)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self):
        buf = b""
        f = None
        while not self.stop.is_set():
            if f is None:
                try:
                    f = open(self.path, "rb")
                except OSError:
                    time.sleep(0.005)
                    continue
            chunk = f.read()
            if chunk:
                now = time.time()
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    if not line.strip():
                        continue
                    try:
                        a = json.loads(line)
                    except ValueError:
                        a = {"rule": "<unparsable>", "output": line.decode(errors="replace")}
                    with self.lock:
                        self.alerts.append((now, a))
            else:
                time.sleep(0.005)
        if f:
            f.close()

    def snapshot(self):
        with self.lock:
            return list(self.alerts)


class Sgc:
    def __init__(self, sgc, rules, workdir, tag, all_matches, env=None):
        self.env = env
        self.out = os.path.join(workdir, "alerts-%s.jsonl" % tag)
        self.err = os.path.join(workdir, "stderr-%s.txt" % tag)
        self.cmd = [sgc, "run", "--json"] + (["--all-matches"] if all_matches else []) + ["-o", self.out] + rules
        self.proc = None
        self.tail = Tail(self.out)
        self.uncapturable = []
        self.ready_line = ""

    def start(self):
        open(self.out, "w").close()
        errf = open(self.err, "w")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=errf, start_new_session=True, env=self.env)
        errf.close()
        self.tail.start()
        deadline = time.time() + READY_TIMEOUT_S
        while time.time() < deadline:
            text = open(self.err, errors="replace").read()
            for line in text.splitlines():
                m = UNCAPTURABLE_RE.search(line)
                if m:
                    self.uncapturable = [x.strip() for x in m.group(1).split(",")]
                if READY_RE.search(line):
                    self.ready_line = line.strip()
                    return True, ""
            if self.proc.poll() is not None:
                return False, "sgc run exited with %d before it was ready:\n%s" % (self.proc.returncode, text)
            time.sleep(0.05)
        self.stop()
        return False, "sgc run printed no readiness line within %d s" % READY_TIMEOUT_S

    def stop(self):
        rc = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                rc = self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                rc = self.proc.wait(5)
        elif self.proc:
            rc = self.proc.returncode
        time.sleep(0.05)
        self.tail.stop.set()
        self.tail.join(2)
        return rc


def start_container_api(work, env):
    """Container metadata (container.name, .privileged, the `container` event)
    comes from a Docker-API socket. Use SGC_CONTAINER_SOCKETS when set, else
    start `podman system service` on a socket of the suite's own. Returns the
    service process (or None) and the environment for sgc run."""
    if env.get("SGC_CONTAINER_SOCKETS"):
        print("  container API: $SGC_CONTAINER_SOCKETS=" + env["SGC_CONTAINER_SOCKETS"])
        return None, env
    if not shutil.which("podman"):
        print("  container API: no podman; container metadata will be <NA>")
        return None, env
    sock = os.path.join(work, "podman.sock")
    penv = dict(env, CONTAINERS_CONF=os.path.join(env["SGC_SRC"], "tests/containers/containers.conf"))
    log = open(os.path.join(work, "podman-service.log"), "w")
    proc = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + sock],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=penv,
                            start_new_session=True)
    log.close()
    deadline = time.time() + 15
    while time.time() < deadline and not os.path.exists(sock) and proc.poll() is None:
        time.sleep(0.05)
    if not os.path.exists(sock):
        print("  container API: podman system service did not start; container metadata will be <NA>")
        stop_proc(proc)
        return None, env
    print("  container API: podman system service on " + sock)
    return proc, dict(env, SGC_CONTAINER_SOCKETS=sock)


def stop_proc(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def field_text(v):
    if v is None:
        return "<NA>"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def parse_expect(line):
    # KIND T0 RULE|F=V|F~G...
    kind, t0, rest = line.split(" ", 2)
    parts = rest.split("|")
    checks = []
    for p in parts[1:]:
        m = re.match(r"([^=~]+)([=~])(.*)$", p)
        if m:
            checks.append((m.group(1), m.group(2), m.group(3)))
    return {"kind": kind, "t0": int(t0) / 1e9, "rule": parts[0], "checks": checks}


def set_marker():
    """Give this process a login uid of its own (inherited by all children)."""
    global MARKER
    want = 4000000000 + os.getpid() % 100000
    try:
        with open("/proc/self/loginuid", "w") as f:
            f.write(str(want))
        with open("/proc/self/loginuid") as f:
            got = int(f.read().strip())
        MARKER = got if got == want else None
    except (OSError, ValueError):
        MARKER = None


def ours(alert):
    """True when the alert's process descends from this suite (or when that
    cannot be told: no marker, or the field is not in the output)."""
    if MARKER is None:
        return True
    fields = alert.get("output_fields") or {}
    if "user.loginuid" not in fields or fields["user.loginuid"] is None:
        return True
    v = fields["user.loginuid"]
    return v == MARKER or (isinstance(v, int) and v & 0xffffffff == MARKER)


def matches(alert, exp):
    if alert.get("rule") != exp["rule"]:
        return False
    fields = alert.get("output_fields") or {}
    if not ours(alert):
        return False
    t = fields.get("evt.time")
    # an alert for an event before the action belongs to something else
    if isinstance(t, int) and t / 1e9 < exp["t0"] - 0.5:
        return False
    for name, op, want in exp["checks"]:
        got = field_text(fields.get(name)) if name in fields else None
        if got is None:
            return False
        if op == "=" and got != want:
            return False
        if op == "~" and not fnmatch.fnmatchcase(got, want):
            return False
    return True


def missing_fields(alert, exp):
    fields = alert.get("output_fields") or {}
    bad = []
    for name, op, want in exp["checks"]:
        got = field_text(fields.get(name)) if name in fields else "(not in output)"
        ok = (op == "=" and got == want) or (op == "~" and fnmatch.fnmatchcase(got, want))
        if not ok:
            bad.append("%s: got %r, want %s%r" % (name, got, op, want))
    return bad


def run_attacks(sgc, scripts, kind, env, results, only_rules_needing):
    used = set()
    for script in scripts:
        name = os.path.basename(script)
        start = time.time()
        try:
            p = subprocess.run(["bash", script], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, timeout=SCRIPT_TIMEOUT_S, text=True)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = -1, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), "timed out"
        end = time.time()
        if rc == 77:
            reason = next((l for l in out.splitlines() if l.startswith("SKIP")), "SKIP")
            results.append({"script": name, "rule": "-", "status": "SKIP", "detail": reason})
            print("  %-40s SKIP  %s" % (name, reason))
            continue
        exps = [parse_expect(l) for l in out.splitlines() if l.startswith(kind + " ")]
        gaps = [parse_expect(l) for l in out.splitlines() if l.startswith(kind + "_GAP ")]
        if rc != 0:
            results.append({"script": name, "rule": "-", "status": "FAIL",
                            "detail": "action failed (exit %d): %s" % (rc, err.strip()[-400:])})
            print("  %-40s FAIL  action failed (exit %d): %s" % (name, rc, err.strip()[-400:]))
            continue
        for g in gaps:
            g["reason"] = next((v for f, _, v in g["checks"] if f == "gap_reason"), "")
            g["checks"] = [c for c in g["checks"] if c[0] != "gap_reason"]
        if gaps:
            time.sleep(LATENCY_LIMIT_S)
            snap = sgc.tail.snapshot()
            for g in gaps:
                arrived = any(matches(a, g) for _, a in snap)
                status = "FAIL" if arrived else "GAP"
                detail = ("known gap is fixed: use expect_corpus again" if arrived
                          else "known gap: " + g["reason"])
                results.append({"script": name, "rule": g["rule"], "kind": kind,
                                "status": status, "detail": detail})
                print("  %-40s %-4s  %-52s %s" % (name, status, g["rule"][:52], detail))
        if not exps:
            if gaps:
                continue
            results.append({"script": name, "rule": "-", "status": "NONE",
                            "detail": "no %s line (no rule of this phase covers the action)" % kind})
            print("  %-40s --    no rule of this phase covers the action" % name)
            continue
        # wait until every expectation is met, at most 1 s after the script ended
        deadline = end + LATENCY_LIMIT_S + 0.05
        while True:
            snap = sgc.tail.snapshot()
            pending = [e for e in exps if not any(matches(a, e) for _, a in snap)]
            if not pending or time.time() > deadline:
                break
            time.sleep(0.01)
        snap = sgc.tail.snapshot()
        for e in exps:
            cands = [(i, seen, a) for i, (seen, a) in enumerate(snap)
                     if i not in used and matches(a, e)]
            r = {"script": name, "rule": e["rule"], "kind": kind}
            if cands:
                i, seen, a = cands[0]
                used.add(i)
                evt_t = (a.get("output_fields") or {}).get("evt.time")
                lat = seen - evt_t / 1e9 if isinstance(evt_t, int) else None
                lat_action = seen - e["t0"]
                r.update(latency_ms=None if lat is None else round(lat * 1000, 1),
                         action_to_alert_ms=round(lat_action * 1000, 1), output=a.get("output"))
                if lat is not None and lat > LATENCY_LIMIT_S:
                    r.update(status="FAIL", detail="alert %.0f ms after its event (limit 1 s)" % (lat * 1000))
                else:
                    r.update(status="PASS", detail="")
            else:
                same = [a for _, a in snap if a.get("rule") == e["rule"] and (a.get("output_fields") or {}).get("evt.time", 0) / 1e9 >= e["t0"] - 1]
                if same:
                    detail = "alert with wrong fields: " + "; ".join(missing_fields(same[-1], e))
                else:
                    detail = "no alert within 1 s"
                    need = only_rules_needing.get(e["rule"])
                    if need and need in sgc.uncapturable:
                        detail += " (sgc run cannot capture '%s' events here)" % need
                r.update(status="FAIL", detail=detail)
            results.append(r)
            lat_txt = "" if r.get("latency_ms") is None else "%6.1f ms" % r["latency_ms"]
            print("  %-40s %-4s  %-52s %s %s" % (name, r["status"], e["rule"][:52], lat_txt, r.get("detail", "")))
    return used


BENIGN_SCRIPT = r'''
set -u
export CONTAINERS_CONF="$SGC_SRC/tests/containers/containers.conf"
b=$SGC_BENIGN_DIR
echo "benign: cmake configure + build (gcc, -j2) in $b"
cmake -S "$SGC_SRC" -B "$b/build" -DCMAKE_C_COMPILER=gcc >"$b/cmake.log" 2>&1 || { tail -20 "$b/cmake.log"; }
cmake --build "$b/build" -j2 >"$b/build.log" 2>&1 || { echo "benign: build failed (not a detection problem):"; grep -E "error|Error" "$b/build.log" | head -10; }
echo "benign: unit tests (all but unit.test_bpf_capture and unit.test_bpf_soundness, run after the benign window)"
(cd "$b/build" && ctest -R '^unit\.' -E '^unit\.(test_bpf_capture|test_bpf_soundness)$' --timeout 300 >"$b/ctest.log" 2>&1)
grep -E "tests passed|\*\*\*Failed|Not Run|\*\*\*Exception" "$b/ctest.log" | sed 's/^/  ctest: /' | head -20
echo "benign: dpkg and apt-cache queries"
dpkg -l >/dev/null; dpkg -s bash >/dev/null; dpkg -L coreutils >/dev/null
apt-cache policy bash >/dev/null; apt-cache search busybox >/dev/null; apt-cache show bash >/dev/null
apt-cache depends bash >/dev/null
if command -v podman >/dev/null && podman image exists "${SGC_CTR_IMAGE:-localhost/sgc-test-busybox:latest}"; then
    echo "benign: a container that starts and exits"
    podman run --rm "${SGC_CTR_IMAGE:-localhost/sgc-test-busybox:latest}" true
    echo "benign: a container image build (podman build: a RUN step, a COPY)"
    mkdir -p "$b/image"
    echo "hello" > "$b/image/greeting.txt"
    printf 'FROM %s\nRUN mkdir -p /srv/app && echo built > /srv/app/stamp\nCOPY greeting.txt /srv/app/\nCMD ["cat", "/srv/app/stamp"]\n' \
        "${SGC_CTR_IMAGE:-localhost/sgc-test-busybox:latest}" > "$b/image/Containerfile"
    tag=localhost/sgc-benign-build-$$:latest
    podman build -q -t "$tag" "$b/image" >"$b/podman-build.log" 2>&1 || tail -5 "$b/podman-build.log"
    podman run --rm "$tag" >/dev/null 2>&1
    podman rmi -f "$tag" >/dev/null 2>&1
else
    echo "benign: no podman or test image: container steps skipped"
fi
echo "benign: a package install and removal (a local .deb with maintainer scripts, apt-get)"
pkg=sgc-benign-pkg
d=$b/deb/$pkg
mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$pkg" "$d/usr/local/lib/$pkg"
printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: sgc tests <tests@example.invalid>\nDescription: benign workload package of the sgc attack suite\n' "$pkg" > "$d/DEBIAN/control"
printf '#!/bin/sh\nset -e\nmkdir -p /var/lib/%s\necho installed > /var/lib/%s/state\n' "$pkg" "$pkg" > "$d/DEBIAN/postinst"
printf '#!/bin/sh\nset -e\nrm -rf /var/lib/%s\n' "$pkg" > "$d/DEBIAN/postrm"
chmod 755 "$d/DEBIAN/postinst" "$d/DEBIAN/postrm"
echo "sgc benign package" > "$d/usr/share/doc/$pkg/README"
echo "data" > "$d/usr/local/lib/$pkg/data"
if command -v dpkg-deb >/dev/null; then
    dpkg-deb --root-owner-group -b "$d" "$b/$pkg.deb" >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=120 "$b/$pkg.deb" >"$b/apt.log" 2>&1 || tail -5 "$b/apt.log"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o DPkg::Lock::Timeout=120 --purge "$pkg" >>"$b/apt.log" 2>&1 || tail -5 "$b/apt.log"
else
    echo "benign: no dpkg-deb: package step skipped"
fi
echo "benign: a service restart (a private rsyslogd, stopped and started again with start-stop-daemon)"
if command -v rsyslogd >/dev/null && command -v start-stop-daemon >/dev/null; then
    mkdir -p "$b/rsyslog"
    printf 'module(load="imuxsock" SysSock.Use="off")\ninput(type="imuxsock" Socket="%s/rsyslog/log.sock")\n*.* %s/rsyslog/messages\n' "$b" "$b" > "$b/rsyslog/rsyslog.conf"
    pid=$b/rsyslog/rsyslogd.pid
    for step in start restart; do
        [ $step = restart ] && start-stop-daemon --stop --quiet --retry 5 --pidfile "$pid" --exec "$(command -v rsyslogd)"
        start-stop-daemon --start --quiet --pidfile "$pid" --exec "$(command -v rsyslogd)" -- -f "$b/rsyslog/rsyslog.conf" -i "$pid"
        sleep 1
    done
    start-stop-daemon --stop --quiet --retry 5 --pidfile "$pid" --exec "$(command -v rsyslogd)"
else
    echo "benign: no rsyslogd/start-stop-daemon: service step skipped"
fi
'''


# Two unit tests perform attack techniques on purpose, to test the kernel
# side: unit.test_bpf_capture executes a memfd and a file in /dev/shm and links
# /etc/shadow; unit.test_bpf_soundness does random security-relevant syscalls
# (namespaces, ptrace, packet sockets, setuid, writes through links) in a
# private mount namespace. They are not benign: they run in a window of their
# own after the benign one, and their alerts are listed as true positives,
# not counted. (Before commit 2a95f54 the soundness test's random writes
# escaped through symlinks and truncated /etc/passwd, /etc/shadow and
# /usr/bin/ls on the test machine.)
CAPTURE_TEST_SCRIPT = r'''
set -u
b=$SGC_BENIGN_DIR
[ -d "$b/build" ] && (cd "$b/build" && ctest -R '^unit\.(test_bpf_capture|test_bpf_soundness)$' --timeout 300 2>&1 | grep -E "tests passed|Failed|Not Run" | sed 's/^/  ctest: /')
'''


def run_window(sgc, env, script, timeout):
    before = len(sgc.tail.snapshot())
    t = time.time()
    try:
        subprocess.run(["bash", "-c", script], stdin=subprocess.DEVNULL, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        print("  workload timed out after %d s" % timeout)
    time.sleep(LATENCY_LIMIT_S + 0.5)
    after = [a for _, a in sgc.tail.snapshot()[before:]]
    return [a for a in after if ours(a)], [a for a in after if not ours(a)], time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sgc", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--phases", default="default,corpus")
    ap.add_argument("--only", default="", help="glob of attack script names")
    ap.add_argument("--no-benign", action="store_true")
    ap.add_argument("--report", default="")
    args = ap.parse_args()

    set_marker()
    print("suite login uid: %s" % (MARKER if MARKER is not None else
                                   "could not be set: every alert on the machine is attributed to the suite"))
    scripts = sorted(glob.glob(os.path.join(args.src, "tests/attacks/[0-9]*.sh")))
    if args.only:
        scripts = [s for s in scripts if fnmatch.fnmatch(os.path.basename(s), args.only)]
    work = tempfile.mkdtemp(prefix="sgc-attacks.")
    benign_dir = tempfile.mkdtemp(prefix="sgc-benign.")
    env = dict(os.environ, SGC_SRC=args.src, SGC_BENIGN_DIR=benign_dir)
    # rules whose alert needs an event type sgc run may not capture
    needing = {"Privileged container started": "container",
               "Launch Privileged Container": "container"}
    results = []
    corpus_files = [os.path.join(args.corpus, f) for f in
                    ("falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml")]
    api, sgc_env = start_container_api(work, env)
    try:
        status = run_phases(args, scripts, env, sgc_env, work, corpus_files, needing, results)
    finally:
        stop_proc(api)
    return finish(args, results, work, benign_dir, status)


BENIGN = {"false_positives": None, "capture_test_alerts": None}


def run_phases(args, scripts, env, sgc_env, work, corpus_files, needing, results):
    status = 0
    for phase in args.phases.split(","):
        if phase == "default":
            rules, kind = [], "EXPECT"
            print("== phase 1: embedded default rules")
        elif phase == "corpus":
            rules, kind = corpus_files, "EXPECT_CORPUS"
            print("== phase 2: Falco's corpus rules, unmodified: " + " ".join(os.path.basename(f) for f in rules))
        else:
            print("unknown phase " + phase)
            return 2
        # The default rules run as users run them (first match per event);
        # Falco's rules overlap (several match one event), so the corpus phase
        # reports every match to assert the rule that covers the action.
        sgc = Sgc(args.sgc, rules, work, phase, all_matches=(phase == "corpus"), env=sgc_env)
        print("  " + " ".join(sgc.cmd))
        ok, why = sgc.start()
        if not ok:
            print(why)
            return 3 if phase == args.phases.split(",")[0] else 1
        print("  " + sgc.ready_line + ("  [cannot capture: %s]" % ", ".join(sgc.uncapturable) if sgc.uncapturable else ""))
        phase_results = []
        used = run_attacks(sgc, scripts, kind, env, phase_results, needing)
        for r in phase_results:
            r["phase"] = phase
        results += phase_results
        snap = sgc.tail.snapshot()
        extra = [a for i, (_, a) in enumerate(snap) if i not in used and ours(a)]
        if extra:
            print("  %d other alert(s) during the attacks (not asserted):" % len(extra))
            for a in extra[:40]:
                print("    [%s] %s" % (a.get("rule"), (a.get("output") or "")[:220]))
        if phase == "default" and not args.no_benign:
            print("== benign workload (must raise no alert of the default rules)")
            fps, foreign, took = run_window(sgc, env, BENIGN_SCRIPT, BENIGN_TIMEOUT_S)
            BENIGN["false_positives"] = len(fps)
            print("  benign workload: %.0f s, %d alert(s)%s" % (
                took, len(fps), "" if not foreign else
                "; %d alert(s) of other activity on this machine ignored (login uid is not the suite's)" % len(foreign)))
            for a in fps[:50]:
                print("    FALSE POSITIVE [%s] %s" % (a.get("rule"), (a.get("output") or "")[:300]))
            if fps:
                status = 1
            print("== unit.test_bpf_capture, unit.test_bpf_soundness (perform attack techniques on purpose)")
            tps, foreign, took = run_window(sgc, env, CAPTURE_TEST_SCRIPT, BENIGN_TIMEOUT_S)
            capture_test_alerts = sorted(set(a.get("rule") for a in tps))
            BENIGN["capture_test_alerts"] = capture_test_alerts
            print("  %d alert(s), rules: %s (true positives: the tests perform these techniques)" % (
                len(tps), ", ".join(capture_test_alerts) or "none"))
            for a in tps[:10]:
                print("    [%s] %s" % (a.get("rule"), (a.get("output") or "")[:200]))
        rc = sgc.stop()
        print("  sgc run stopped (exit %s); stderr: %s" % (rc, sgc.err))
        try:
            for line in open(sgc.err, errors="replace"):
                if ": containers:" in line:   # container events, events held for metadata
                    print("  " + line.rstrip())
        except OSError:
            pass
        if rc not in (0, None):
            print("  sgc run exited with %s:" % rc)
            print(open(sgc.err, errors="replace").read()[-2000:])
            status = 1
    return status


def finish(args, results, work, benign_dir, status):
    benign_fp = BENIGN["false_positives"]
    shutil.rmtree(benign_dir, ignore_errors=True)
    npass = sum(1 for r in results if r["status"] == "PASS")
    nfail = sum(1 for r in results if r["status"] == "FAIL")
    nskip = sum(1 for r in results if r["status"] == "SKIP")
    ngap = sum(1 for r in results if r["status"] == "GAP")
    lats = [r["latency_ms"] for r in results if r.get("latency_ms") is not None and r["status"] == "PASS"]
    print("== %d passed, %d failed, %d skipped, %d known gaps%s%s" % (
        npass, nfail, nskip, ngap,
        "" if benign_fp is None else "; benign workload: %d false positive(s)" % benign_fp,
        "" if not lats else "; event-to-alert latency max %.1f ms, median %.1f ms" % (
            max(lats), sorted(lats)[len(lats) // 2])))
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"results": results, "benign_false_positives": benign_fp,
                       "capture_test_alerts": BENIGN["capture_test_alerts"]}, f, indent=1)
    if nfail and status != 3:
        status = 1
    if status == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("alerts and sgc's stderr kept in " + work)
    return status


if __name__ == "__main__":
    sys.exit(main())
