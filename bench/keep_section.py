"""The hand-run sections of docs/performance.md.

A benchmark that is not part of scripts/bench.sh writes its results between
<!-- keep:NAME --> and <!-- /keep:NAME --> in the same file; bench.py carries
those sections over when it rewrites the file. This module is the one place
that knows the markers.
"""
import re


def markers(name):
    return "<!-- keep:%s -->" % name, "<!-- /keep:%s -->" % name


def replace(path, name, body_lines):
    """Writes body_lines between NAME's markers in path: in place of the old
    section if there is one, else appended (the file is created if missing).
    Returns the section as written."""
    begin, end = markers(name)
    section = "\n".join([begin] + list(body_lines) + [end]) + "\n"
    try:
        with open(path) as f:
            doc = f.read()
    except OSError:
        doc = "# Performance\n"
    m = re.search(re.escape(begin) + ".*?" + re.escape(end) + "\n?", doc, re.S)
    doc = doc[:m.start()] + section + doc[m.end():] if m else doc.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(doc)
    return section


def all_sections(path):
    """Every keep section of path, each as its text with the markers, in file order."""
    try:
        with open(path) as f:
            old = f.read()
    except OSError:
        return []
    return [m.group(0) for m in re.finditer(r"<!-- keep:([\w-]+) -->.*?<!-- /keep:\1 -->", old, re.S)]


if __name__ == "__main__":
    # for shell benchmarks: keep_section.py PATH NAME < body (the body without the markers)
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: keep_section.py PATH NAME < BODY")
    replace(sys.argv[1], sys.argv[2], sys.stdin.read().rstrip("\n").split("\n"))
