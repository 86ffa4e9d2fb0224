#!/usr/bin/env python3
"""Structural checks of `sgc report`'s HTML page against its JSON aggregates.

usage: check_html.py REPORT.html REPORT.json
Checks: well-formed nesting; self-contained (no script, no external URL, no
<link>/@import/url()); every chart an <svg role=img> labelled by its <title>
and <desc>, every table with a caption; the pie's slices (data-count) sum to
the total and their arcs to a full turn; the stacked area has one point per
interval in every layer and in the total line, matching the JSON and the data
table; each layer's top edge climbs from the one below; the node table follows
the JSON's top 20; one colour per priority in every view.
"""
import json
import math
import re
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "img", "hr", "input", "link", "col", "source", "area", "base", "wbr",
        "line", "rect", "circle", "path", "polyline", "polygon"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.elems = [], [], []
        self.text_in = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elems.append((tag, a, list(self.stack)))
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.elems.append((tag, dict(attrs), list(self.stack)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, [t for t, _ in self.stack[-3:]]))
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            key = self.stack[-1][1].get("id")
            if key:
                self.text_in[key] = self.text_in.get(key, "") + data


def fail(msgs):
    for m in msgs:
        print("FAIL:", m)
    sys.exit(1)


def pairs(s):
    return [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", s)]


def main():
    html = open(sys.argv[1], encoding="utf-8").read()
    rep = json.load(open(sys.argv[2]))
    errs = []
    p = Page()
    p.feed(html)
    p.close()
    errs += p.errors
    if p.stack:
        errs.append("unclosed elements: %s" % [t for t, _ in p.stack])
    by_tag = {}
    for tag, a, parents in p.elems:
        by_tag.setdefault(tag, []).append((a, parents))

    # self-contained
    for bad in ("script", "link", "iframe", "img", "object", "embed"):
        if bad in by_tag:
            errs.append("has <%s>" % bad)
    for tag, a, _ in p.elems:
        for k, v in a.items():
            if k in ("src", "href", "xlink:href") or (v and re.search(r"(https?:)?//", v) and k != "content"):
                errs.append("external reference <%s %s=%r>" % (tag, k, v))
    if re.search(r"@import|url\(", html):
        errs.append("CSS fetches something (@import or url())")
    if not html.startswith("<!DOCTYPE html>") or 'lang="en"' not in html:
        errs.append("no doctype or lang")

    # accessibility
    for a, _ in by_tag.get("svg", []):
        if a.get("role") != "img" or not a.get("aria-labelledby"):
            errs.append("svg without role=img/aria-labelledby: %r" % a)
        for ref in a.get("aria-labelledby", "").split():
            if not p.text_in.get(ref, "").strip():
                errs.append("svg label #%s empty or missing" % ref)
    ntables = len(by_tag.get("table", []))
    if len(by_tag.get("caption", [])) != ntables:
        errs.append("%d tables but %d captions" % (ntables, len(by_tag.get("caption", []))))

    total = rep["total"]
    if total == 0:
        if "No alerts" not in html or "svg" in by_tag:
            errs.append("empty report should say 'No alerts' and draw no chart")
        fail(errs) if errs else print("ok: empty page")
        return

    # pie: slices sum to the total, arcs to a full turn
    slices = [a for a, _ in by_tag.get("path", []) + by_tag.get("circle", []) if a.get("class") == "slice"]
    counts = [int(a["data-count"]) for a in slices]
    if sum(counts) != total:
        errs.append("pie slices sum to %d, total is %d" % (sum(counts), total))
    donut = [a for a, _ in by_tag["svg"] if "donut" in a.get("class", "")]
    if len(donut) != 1 or int(donut[0]["data-total"]) != total:
        errs.append("donut data-total wrong: %r" % donut)
    top = rep["by_rule"][:10]
    if counts[:len(top)] != [r["count"] for r in top]:
        errs.append("pie slices %r are not the top rules %r" % (counts, [r["count"] for r in top]))
    turn = 0.0
    for a in slices:
        if "d" not in a:
            turn += 2 * math.pi
            continue
        m = re.match(r"M(-?[\d.]+),(-?[\d.]+) A[\d.]+,[\d.]+ 0 [01] 1 (-?[\d.]+),(-?[\d.]+) ", a["d"])
        if not m:
            errs.append("slice path %r is not an arc" % a["d"])
            continue
        x0, y0, x1, y1 = map(float, m.groups())
        a0 = math.atan2(y0 - 150, x0 - 150)
        a1 = math.atan2(y1 - 150, x1 - 150)
        turn += (a1 - a0) % (2 * math.pi) or (2 * math.pi if len(slices) == 1 else 0)
        share = 2 * math.pi * int(a["data-count"]) / total
        if abs(((a1 - a0) % (2 * math.pi)) - share) > 0.02 and share < 2 * math.pi - 0.02:
            errs.append("slice of %s alerts spans %.3f rad, expected %.3f" % (a["data-count"], (a1 - a0) % (2 * math.pi), share))
    if abs(turn - 2 * math.pi) > 0.02:
        errs.append("pie slices cover %.3f rad, not a full turn" % turn)

    # stacked area: one point per interval everywhere
    n = len(rep["over_time"])
    area = [a for a, _ in by_tag["svg"] if "area-chart" in a.get("class", "")]
    if len(area) != 1 or int(area[0]["data-intervals"]) != n:
        errs.append("area chart data-intervals %r != %d intervals" % (area, n))
    layers = [a for a, _ in by_tag.get("path", []) if a.get("class") == "area"]
    want_prios = [k for k in ("Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
                              "Informational", "Debug", "Unknown") if rep["by_priority"].get(k)]
    if [a["data-priority"] for a in layers] != want_prios:
        errs.append("area layers %r, expected %r" % ([a["data-priority"] for a in layers], want_prios))
    per_point = max(n, 2) if n == 1 else n
    below = None
    for a in layers:
        pts = pairs(a["d"])
        if len(pts) != 2 * per_point:
            errs.append("layer %s has %d points, expected %d (one per interval, top and base)"
                        % (a["data-priority"], len(pts), 2 * per_point))
            continue
        topedge, base = pts[:per_point], pts[per_point:][::-1]
        if any(topedge[i][0] >= topedge[i + 1][0] for i in range(per_point - 1)):
            errs.append("layer %s: x not increasing" % a["data-priority"])
        if below is not None and any(abs(b[1] - t[1]) > 0.11 for b, t in zip(base, below)):
            errs.append("layer %s does not sit on the layer below" % a["data-priority"])
        if any(t[1] > b[1] + 0.01 for t, b in zip(topedge, base)):
            errs.append("layer %s: top below base" % a["data-priority"])
        below = topedge
    line = [a for a, _ in by_tag.get("polyline", []) if a.get("class") == "total-line"]
    if len(line) != 1 or len(pairs(line[0]["points"])) != n:
        errs.append("total line must have %d points" % n)
    elif below is not None and n > 1 and any(abs(a[1] - b[1]) > 0.11 for a, b in zip(pairs(line[0]["points"]), below)):
        errs.append("total line is not the top of the stack")
    m = re.search(r'<table class="data" id="over-time-table">(.*?)</table>', html, re.S)
    if not m or m.group(1).count("<tr>") != n + 1:
        errs.append("over-time data table must have %d rows" % n)

    # nodes: the JSON's top 20, in order
    m = re.search(r'<section class="card" id="by-node">(.*?)</section>', html, re.S)
    got = re.findall(r'<th scope="row" class="key">(.*?)</th>', m.group(1)) if m else []
    want = [r["hostname"] or "<em>(none)</em>" for r in rep["by_node"][:20]]
    import html as h
    if [h.unescape(g) for g in got] != want:
        errs.append("node table %r != JSON top 20 %r" % (got[:5], want[:5]))

    # one colour per priority across views
    colors = {}
    for a in layers:
        colors.setdefault(a["data-priority"], set()).add(a["fill"].lower())
    for pr, col in re.findall(r'<span class="badge(?: dark)?" style="background:(#[0-9a-f]{6})">(\w+)</span>', html):
        colors.setdefault(col, set()).add(pr)
    for pr, cs in colors.items():
        if len(cs) != 1:
            errs.append("priority %s drawn in %s" % (pr, sorted(cs)))
    fail(errs) if errs else print("ok: %s (%d alerts, %d intervals, %d slices)" % (sys.argv[1], total, n, len(slices)))


if __name__ == "__main__":
    main()
