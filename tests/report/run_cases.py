#!/usr/bin/env python3
"""Run the table-driven `sgc report` cases of tests/report/cases/.

Each case is a directory with:
  cmd          the arguments, one line, split like a shell would (shlex);
               a word "gz:PATH" is PATH (relative to tests/report/) gzip'd into
               a scratch directory, "stdin:PATH" feeds PATH on stdin and becomes
               "-", "gzcut:PATH" is PATH gzip'd and cut short, "TMP/NAME" is a path in the scratch directory, any other
               word naming a file under tests/report/ becomes its path.
               --format json is added unless the words name a format.
  expect.json  (optional) a subset of the JSON report: every key given must
               be there with an equal value; lists must have the same length,
               element by element a subset.
  exit         (optional) the expected exit status (default 0)
  stderr       (optional) lines that must each appear in stderr
  stdout       (optional) lines that must each appear in stdout (for text)
  stdout_not   (optional) strings that must not appear in stdout
usage: run_cases.py SGC [CASE...]
"""
import gzip
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def subset(want, got, path="$"):
    """Differences between want (a subset) and got, as messages."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return ["%s: expected an object, got %r" % (path, got)]
        errs = []
        for k, v in want.items():
            if k not in got:
                errs.append("%s.%s: missing" % (path, k))
            else:
                errs += subset(v, got[k], "%s.%s" % (path, k))
        return errs
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return ["%s: expected %d items, got %s" % (path, len(want), json.dumps(got)[:400])]
        errs = []
        for i, (w, g) in enumerate(zip(want, got)):
            errs += subset(w, g, "%s[%d]" % (path, i))
        return errs
    if want != got:
        return ["%s: expected %r, got %r" % (path, want, got)]
    return []


def build_argv(words, tmp):
    argv, stdin = [], None
    for w in words:
        if w.startswith("gz:"):
            src = os.path.join(HERE, w[3:])
            dst = os.path.join(tmp, os.path.basename(src) + ".gz")
            with open(src, "rb") as f, gzip.open(dst, "wb") as g:
                g.write(f.read())
            argv.append(dst)
        elif w.startswith("gzcut:"):  # gzip'd, then cut short
            src = os.path.join(HERE, w[6:])
            data = gzip.compress(open(src, "rb").read())
            dst = os.path.join(tmp, os.path.basename(src) + ".cut.gz")
            with open(dst, "wb") as g:
                g.write(data[:len(data) * 2 // 3])
            argv.append(dst)
        elif w.startswith("stdin:"):
            stdin = open(os.path.join(HERE, w[6:]), "rb")
            argv.append("-")
        elif w.startswith("TMP/"):
            argv.append(os.path.join(tmp, w[4:]))
        elif os.path.exists(os.path.join(HERE, w)) and not w.startswith("-"):
            argv.append(os.path.join(HERE, w))
        else:
            argv.append(w)
    if not any(a == "--format" or a.startswith("--format=") or a in ("-h", "--help") for a in argv):
        argv = ["--format", "json"] + argv
    return argv, stdin


def run_case(sgc, case):
    d = os.path.join(HERE, "cases", case)
    with open(os.path.join(d, "cmd")) as f:
        words = shlex.split(f.read())
    with tempfile.TemporaryDirectory(prefix="sgc-i17-report-") as tmp:
        argv, stdin = build_argv(words, tmp)
        p = subprocess.run([sgc, "report"] + argv, stdin=stdin or subprocess.DEVNULL,
                           capture_output=True, timeout=120)
        if stdin:
            stdin.close()
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    errs = []
    want_exit = int(open(os.path.join(d, "exit")).read()) if os.path.exists(os.path.join(d, "exit")) else 0
    if p.returncode != want_exit:
        errs.append("exit status %d, expected %d" % (p.returncode, want_exit))
    for name, text in (("stderr", err), ("stdout", out)):
        fp = os.path.join(d, name)
        if os.path.exists(fp):
            for line in open(fp).read().splitlines():
                if line and line not in text:
                    errs.append("%s lacks %r" % (name, line))
    fp = os.path.join(d, "stdout_not")
    if os.path.exists(fp):
        for line in open(fp).read().splitlines():
            if line and line in out:
                errs.append("stdout has %r" % line)
    fp = os.path.join(d, "expect.json")
    if os.path.exists(fp):
        try:
            got = json.loads(out)
        except ValueError as e:
            errs.append("stdout is not JSON: %s" % e)
        else:
            errs += subset(json.load(open(fp)), got)
    if errs:
        print("FAIL %s: sgc report %s" % (case, " ".join(argv)))
        for e in errs[:20]:
            print("   ", e)
        print("    stderr:", err.strip()[:600])
    else:
        print("ok   %s" % case)
    return not errs


def main():
    sgc = sys.argv[1]
    cases = sys.argv[2:] or sorted(os.listdir(os.path.join(HERE, "cases")))
    ok = [run_case(sgc, c) for c in cases]
    print("%d of %d cases passed" % (sum(ok), len(ok)))
    return 0 if cases and all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
