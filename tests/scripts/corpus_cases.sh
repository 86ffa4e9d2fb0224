#!/bin/bash
# Table-driven cases for every rule of Falco's three corpus rule files
# (tests/corpus-cases/README.md): replays every case file with
# `sgc replay --check` against falco_rules.yaml, falco-incubating_rules.yaml,
# falco-sandbox_rules.yaml (read in place, in Falco's order) and
# tests/corpus-cases/enable_disabled_rules.yaml, then checks coverage.
#
# Fails when a case outside pending/ fails, when a case file has a malformed
# line, when there are fewer than 186 cases, or when a corpus rule has no case
# that must match it (unless a case file declares "# CANNOT MATCH: <rule>")
# or no near miss. Cases in pending/ are known failures: run and reported,
# never fatal.
#
# env: SGC (the binary), SGC_SRC (source tree), SGC_CORPUS (Falco rule files)
set -uo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
export TZ=UTC

cases_dir="$SGC_SRC/tests/corpus-cases"
corpus=(falco_rules.yaml falco-incubating_rules.yaml falco-sandbox_rules.yaml)
rules=()
for f in "${corpus[@]}"; do
    [ -r "$SGC_CORPUS/$f" ] || { echo "corpus_cases: missing $SGC_CORPUS/$f" >&2; exit 1; }
    rules+=("$SGC_CORPUS/$f")
done
rules+=("$cases_dir/enable_disabled_rules.yaml")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
files=("$cases_dir"/*.jsonl)
pending=("$cases_dir"/pending/*.jsonl)
if [ ${#files[@]} -eq 0 ]; then
    echo "corpus_cases: no case files in $cases_dir" >&2
    exit 1
fi

# One replay per case file; its report (stderr) and exit status go to $tmp.
i=0
for f in "${files[@]}" ${pending[@]+"${pending[@]}"}; do
    "$SGC" replay --check "$f" "${rules[@]}" > /dev/null 2> "$tmp/$i.err"
    echo $? > "$tmp/$i.rc"
    i=$((i + 1))
done

python3 - "$cases_dir" "$tmp" "${#files[@]}" "${files[@]}" ${pending[@]+"${pending[@]}"} -- "${rules[@]:0:3}" <<'EOF'
import json, os, re, sys

cases_dir, tmp, nmain = sys.argv[1], sys.argv[2], int(sys.argv[3])
sep = sys.argv.index('--')
case_files = sys.argv[4:sep]
corpus_files = sys.argv[sep + 1:]

# The rule list, from the corpus files themselves; a name counts once.
corpus_rules = []
for path in corpus_files:
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            m = re.match(r'^- rule:\s*(.+?)\s*$', line)
            if m and m.group(1) not in corpus_rules:
                corpus_rules.append(m.group(1))
known = set(corpus_rules)

matching = {}      # rule -> case locations that must match it (main files)
matching_pending = {}
near = {}          # rule -> near misses in the rule's section
cannot = {}        # rule -> file declaring it cannot match
total_pass = total_fail = 0
pending_fail = 0
fatal = []

for idx, path in enumerate(case_files):
    is_pending = idx >= nmain
    rel = os.path.relpath(path, cases_dir)
    with open(os.path.join(tmp, f'{idx}.err'), encoding='utf-8', errors='replace') as fh:
        report = fh.read().splitlines()
    with open(os.path.join(tmp, f'{idx}.rc')) as fh:
        rc = int(fh.read())

    bad_lines = {}
    malformed = []
    for r in report:
        # one replay per file: every located report line is about this file
        m = re.match(r'^.*?:(\d+): (check failed|error): ', r)
        if m:
            n = int(m.group(1))
            bad_lines.setdefault(n, []).append(r)
            if m.group(2) == 'error':
                malformed.append(r)

    section = None
    ncases = nmatch = nnear = npass = nfail = 0
    with open(path, encoding='utf-8') as fh:
        for lineno, line in enumerate(fh, 1):
            s = line.strip()
            if s.startswith('#'):
                text = s[1:].strip()
                if text in known:
                    section = text
                m = re.match(r'^CANNOT MATCH:\s*(.+?)\s*$', text)
                if m:
                    if m.group(1) not in known:
                        fatal.append(f'{rel}:{lineno}: CANNOT MATCH names no corpus rule: {m.group(1)}')
                    cannot[m.group(1)] = rel
                continue
            if not s or lineno == 1:
                continue
            try:
                ev = json.loads(s)
            except ValueError:
                ev = None
            if not isinstance(ev, dict) or 'expect' not in ev:
                continue
            expect = ev['expect'] if isinstance(ev['expect'], list) else []
            ncases += 1
            for r in expect:
                if r not in known and r != section:
                    fatal.append(f'{rel}:{lineno}: expects a rule of no corpus file: {r}')
                (matching_pending if is_pending else matching).setdefault(r, []).append(f'{rel}:{lineno}')
            if section is not None and section not in expect:
                nnear += 1
                if not is_pending:
                    near.setdefault(section, []).append(f'{rel}:{lineno}')
            elif section is not None:
                nmatch += 1
            elif expect:
                nmatch += 1
            else:
                nnear += 1
            if lineno in bad_lines:
                nfail += 1
            else:
                npass += 1
                if is_pending:
                    print(f'    note: {rel}:{lineno} passes now; move it out of pending/')

    tag = ' (pending: reported, not fatal)' if is_pending else ''
    print(f'{rel}: {ncases} cases ({nmatch} matches expected, {nnear} near misses): '
          f'{npass} passed, {nfail} failed{tag}')
    for n in sorted(bad_lines):
        for r in bad_lines[n]:
            print('    ' + r.replace(cases_dir + '/', ''))
    total_pass += npass
    total_fail += nfail
    if is_pending:
        pending_fail += nfail
    else:
        if nfail:
            fatal.append(f'{rel}: {nfail} failing cases')
    if malformed:
        fatal.append(f'{rel}: {len(malformed)} malformed lines')
    if rc != 0 and not bad_lines:
        fatal.append(f'{rel}: sgc replay exited {rc} without reporting a case: '
                     + ' | '.join(report[-3:]))

# Coverage of the corpus rules.
ncases = total_pass + total_fail
covered = [r for r in corpus_rules if r in matching]
only_pending = [r for r in corpus_rules if r not in matching and r in matching_pending]
declared = [r for r in corpus_rules if r in cannot and r not in matching]
missing = [r for r in corpus_rules
           if r not in matching and r not in matching_pending and r not in cannot]
no_near = [r for r in corpus_rules if r not in near]
print(f'rules: {len(corpus_rules)} in the corpus files; {len(covered)} with a matching case, '
      f'{len(only_pending)} with a matching case only in pending/, '
      f'{len(declared)} declared unable to match, {len(missing)} without any')
for r in only_pending:
    print(f'    matching case only in pending/: {r}')
for r in declared:
    print(f'    cannot match ({cannot[r]}): {r}')
for r in missing:
    fatal.append(f'no case must match rule: {r}')
for r in no_near:
    fatal.append(f'no near miss for rule: {r}')
if ncases < 186:
    fatal.append(f'only {ncases} cases (at least 186: one match and one near miss per rule)')
if pending_fail:
    print(f'{pending_fail} of the failures are known (pending/), not fatal')
for f in fatal:
    print(f'FAIL: {f}')
print(f'{total_pass} passed, {total_fail} failed')
sys.exit(1 if fatal else 0)
EOF
