#!/usr/bin/env python3
"""Syntax and content checks of the ELK files of docs/elk.md (deploy/elk/).

usage: check_elk.py DEPLOY_ELK_DIR ALERTS.jsonl
- filebeat.yml: YAML; a filestream input with an ndjson parser at the top
  level and a timestamp processor on `time`;
- index-template.json: JSON; a composable template whose mapping has
  hostname and rule as keyword, time as date, output_fields flattened, and
  maps every top-level member of the alert lines in ALERTS.jsonl;
- kibana-saved-objects.ndjson: one JSON object per line with id, type and
  attributes; visState/searchSourceJSON/panelsJSON parse; every reference
  names an object of the file; the three views are there (terms on hostname
  size 20 as a table, terms on rule size 10 as a pie, a per-minute
  date_histogram on time split by priority as a stacked area) and use only
  mapped fields; the dashboard shows all three.
"""
import json
import os
import sys

import yaml


def main():
    d, alerts = sys.argv[1], sys.argv[2]
    errs = []

    fb = yaml.safe_load(open(os.path.join(d, "filebeat.yml")))
    inputs = fb.get("filebeat.inputs") or []
    fs = [i for i in inputs if i.get("type") == "filestream"]
    if len(fs) != 1 or not fs[0].get("id") or not fs[0].get("paths"):
        errs.append("filebeat.yml: one filestream input with an id and paths expected")
    else:
        nd = [p["ndjson"] for p in fs[0].get("parsers", []) if "ndjson" in p]
        if len(nd) != 1 or nd[0].get("target") != "":
            errs.append("filebeat.yml: an ndjson parser with target \"\" expected")
        ts = [p["timestamp"] for p in fs[0].get("processors", []) if "timestamp" in p]
        if not ts or ts[0].get("field") != "time":
            errs.append("filebeat.yml: a timestamp processor on `time` expected")
    if "output.elasticsearch" not in fb:
        errs.append("filebeat.yml: no output.elasticsearch")

    tpl = json.load(open(os.path.join(d, "index-template.json")))
    props = tpl["template"]["mappings"]["properties"]
    want = {"hostname": "keyword", "rule": "keyword", "time": "date", "output_fields": "flattened",
            "priority": "keyword", "source": "keyword", "tags": "keyword", "output": "text"}
    for field, typ in want.items():
        if props.get(field, {}).get("type") != typ:
            errs.append("index template: %s must be %s, is %r" % (field, typ, props.get(field)))
    if not tpl.get("index_patterns"):
        errs.append("index template: no index_patterns")
    for line in open(alerts):
        if line.strip():
            for k in json.loads(line):
                if k not in props:
                    errs.append("index template: alert member %r is not mapped" % k)
            break

    objs = {}
    with open(os.path.join(d, "kibana-saved-objects.ndjson")) as f:
        for n, line in enumerate(f, 1):
            o = json.loads(line)
            for k in ("id", "type", "attributes"):
                if k not in o:
                    errs.append("saved objects line %d: no %s" % (n, k))
            objs[(o["type"], o["id"])] = o
    pattern = [o for (t, _), o in objs.items() if t == "index-pattern"]
    if len(pattern) != 1 or pattern[0]["attributes"].get("timeFieldName") != "time" or \
            pattern[0]["attributes"]["title"] not in tpl["index_patterns"]:
        errs.append("saved objects: one index pattern on the template's indices, time field `time`")
    views = {}
    for (t, i), o in objs.items():
        for r in o.get("references", []):
            if (r["type"], r["id"]) not in objs:
                errs.append("%s %s: reference to missing %s %s" % (t, i, r["type"], r["id"]))
        meta = o["attributes"].get("kibanaSavedObjectMeta", {})
        if "searchSourceJSON" in meta:
            json.loads(meta["searchSourceJSON"])
        if t == "visualization":
            vs = json.loads(o["attributes"]["visState"])
            for a in vs["aggs"]:
                f = a.get("params", {}).get("field")
                if f and f not in props:
                    errs.append("visualization %s: field %s is not mapped" % (i, f))
            sig = tuple((a["type"], a.get("params", {}).get("field"), a.get("params", {}).get("size"),
                         a.get("params", {}).get("interval")) for a in vs["aggs"] if a["type"] != "count")
            views[(vs["type"], sig)] = i
    expect = {
        "alerts by node": ("table", (("terms", "hostname", 20, None),)),
        "top 10 rules": ("pie", (("terms", "rule", 10, None),)),
        "alerts over time": ("area", (("date_histogram", "time", None, "m"), ("terms", "priority", 9, None))),
    }
    for name, key in expect.items():
        if key not in views:
            errs.append("saved objects: no visualization for %s %r (have %r)" % (name, key, list(views)))
    dash = [o for (t, _), o in objs.items() if t == "dashboard"]
    if len(dash) != 1:
        errs.append("saved objects: one dashboard expected")
    else:
        panels = json.loads(dash[0]["attributes"]["panelsJSON"])
        refs = {r["name"]: r["id"] for r in dash[0]["references"]}
        shown = {refs.get(p.get("panelRefName")) for p in panels}
        if shown != set(views.values()):
            errs.append("dashboard shows %r, expected %r" % (shown, set(views.values())))
        json.loads(dash[0]["attributes"]["optionsJSON"])
    if errs:
        for e in errs:
            print("FAIL:", e)
        sys.exit(1)
    print("ok: filebeat.yml, index-template.json, kibana-saved-objects.ndjson (%d objects)" % len(objs))


if __name__ == "__main__":
    main()
