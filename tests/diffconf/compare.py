#!/usr/bin/env python3
"""Compare `drip diff` with `go tool pprof -top -diff_base` on pairs of
snapshots: row order, names and delta values (text, in the same unit,
and JSON, exact integers against pprof with -unit=B/-unit=count).
usage: compare.py DRIP BASE NEW SAMPLE_INDEX [--cum]"""
import json, os, re, subprocess, sys

drip, base, new, si = sys.argv[1:5]
cum = '--cum' in sys.argv[5:]
env = dict(os.environ, TZ='UTC', LC_ALL='C')

def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, env=env).stdout

def pprof_rows(extra):
    out = run(['go', 'tool', 'pprof', '-symbolize=none', '-top', '-sample_index=' + si,
               '-diff_base=' + base] + (['-cum'] if cum else []) + extra + [new])
    rows, on = [], False
    for line in out.splitlines():
        if line.lstrip().startswith('flat'):
            on = True
            continue
        if on and line.strip():
            f = line.split()
            val = f[3] if cum else f[0]
            name = line[line.index(f[5]):] if len(f) > 5 else ''
            rows.append((name.strip(), val))
    return rows

def drip_rows(extra):
    out = run([drip, 'diff', '-i', si] + (['--cum'] if cum else []) + extra + [base, new])
    rows, on = [], False
    for line in out.splitlines():
        if line.lstrip().startswith('base '):
            on = True
            continue
        if on and line.strip():
            f = line.split()
            name = line[line.index(f[4], len(' '.join(f[:4]))):].strip()
            name = re.sub(r' \[(new|gone)\]$', '', name)
            if name == '(total)':
                continue
            rows.append((name, f[2]))
    return rows

ok = True
a, b = pprof_rows([]), drip_rows([])
if a != b:
    ok = False
    print('TEXT MISMATCH', base, new, si, cum)
    for x, y in zip(a, b):
        if x != y:
            print('  pprof', x, 'drip', y)
            break
    print('  rows', len(a), len(b))
unit = 'count' if 'objects' in si or si == 'goroutine' else 'B'
exact = [(n, int(v.rstrip('B'))) for n, v in pprof_rows(['-unit=' + unit])]
doc = json.loads(run([drip, 'diff', '-i', si, '--format=json'] + (['--cum'] if cum else []) + [base, new]))
got = [(n['name'] + ({'inline': ' (inline)', 'partial': ' (partial-inline)'}.get(n.get('inline'), '')), n['delta']) for n in doc['nodes']]
if exact != got:
    ok = False
    print('JSON MISMATCH', base, new, si, cum, exact[:3], got[:3])
# base and new columns against pprof -top on each side alone (all nodes)
def single(path):
    out = run(['go', 'tool', 'pprof', '-symbolize=none', '-top', '-sample_index=' + si, '-nodefraction=0',
               '-unit=' + unit, path])
    vals, on = {}, False
    for line in out.splitlines():
        if line.lstrip().startswith('flat'):
            on = True
            continue
        if on and line.strip():
            f = line.split()
            name = line[line.index(f[5]):].strip()
            name = re.sub(r' \((partial-)?inline\)$', '', name)
            vals[name] = (int(f[0].rstrip('B')), int(f[3].rstrip('B')))
    return vals
sb, sn = single(base), single(new)
for n in doc['nodes']:
    for side, tab in (('base', sb), ('new', sn)):
        want = tab.get(n['name'], (0, 0))
        got = (n['flat'][side], n['cum'][side])
        if want != got:
            ok = False
            print('COLUMN MISMATCH', side, n['name'], 'pprof', want, 'drip', got)
tot = doc['new_total'] - doc['base_total']
if tot != doc['delta_total']:
    ok = False
    print('JSON TOTAL MISMATCH')
print(('OK ' if ok else 'FAIL ') + '%s %s %s%s rows=%d' % (os.path.relpath(base, '/work'), os.path.basename(new), si, ' cum' if cum else '', len(a)))
sys.exit(0 if ok else 1)
