#!/usr/bin/env python3
"""Differential test: `helm template ARGS` against `chartroom template ARGS`.

Not part of the test command (it needs the real helm binary). Usage:

  tests/differential/run.py [options] [CASEFILE ...]

CASEFILE lines are `id<TAB>arguments after template` (shell-quoted). Arguments may use
  $G   the golden folder (../shared/golden beside the repository root, or $CHARTROOM_GOLDEN;
       read in place, never copied)
  $D   this folder (tests/differential)
  $T   a scratch folder made fresh for the run (unpacked charts go there)
  $U{name.tgz}  the golden chart name.tgz unpacked into $T (path of the chart directory)
  $OUT a per-tool output folder for --output-dir (the written trees are compared)
Every case runs with the current directory set to $D.

Options:
  --golden-sample N   also generate N flag/value variants per golden chart (see gen_golden)
  --ci                also run every golden chart with each of its own ci/*.yaml values files
  --exprs             also run every one-expression chart of exprs.py
  --charts            also run every tiny chart under charts/ with its cases (charts/*/CASES)
  --random N          also run N random one-template charts (randgen.py: random values and a
                      random mix of actions and functions; deterministic for one --seed);
                      a failing case is kept when -v prints it (values and template)
  --only SUBSTR       only cases whose id contains SUBSTR
  --seed S            seed for --golden-sample (default 1)
  --limit-charts K    only the first K golden charts of a shuffled order
  -j N                parallel cases (default 2)
  -v                  print a short diff for each mismatch
  --chartroom PATH    candidate binary (default $CARGO_TARGET_DIR/release/chartroom,
                      else ../target-diff/release/chartroom beside the repository)
A case is identical when both tools exit 0 or both fail; on success stdout (and for --output-dir
the written tree) is byte-identical; on failure stderr from its first 'Error: ' is identical.
When helm's own output varies between two runs (random secrets, certificates), only the lines
that helm prints the same way both times are compared, and the line counts must agree.
"""
import difflib
import glob
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.environ.get('CHARTROOM_GOLDEN',
                        os.path.join(os.path.dirname(ROOT), 'shared', 'golden'))
HELM = os.environ.get('HELM') or shutil.which('helm') or 'helm'


def default_chartroom():
    t = os.environ.get('CARGO_TARGET_DIR', os.path.join(os.path.dirname(ROOT), 'target-diff'))
    return os.path.join(t, 'release', 'chartroom')


class Ctx:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='crdiff-')
        self.unpacked = {}

    def unpack(self, name):
        if name in self.unpacked:
            return self.unpacked[name]
        dest = os.path.join(self.tmp, 'unpacked', name[:-4])
        os.makedirs(dest, exist_ok=True)
        with tarfile.open(os.path.join(GOLDEN, 'charts', name)) as tf:
            tf.extractall(dest, filter='data')
        top = [d for d in os.listdir(dest)]
        path = os.path.join(dest, top[0]) if len(top) == 1 else dest
        self.unpacked[name] = path
        return path

    def expand(self, argstr):
        argstr = re.sub(r'\$U\{([^}]+)\}', lambda m: self.unpack(m.group(1)), argstr)
        return argstr.replace('$G', GOLDEN).replace('$D', HERE).replace('$T', self.tmp)


def read_tree(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, 'rb') as fh:
                out[os.path.relpath(p, d)] = fh.read()
    return out


def run_tool(binary, args, outdir):
    a = [x.replace('$OUT', outdir) for x in args]
    if outdir:
        shutil.rmtree(outdir, ignore_errors=True)
    try:
        p = subprocess.run([binary, 'template'] + a, cwd=HERE, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return 'timeout', b'', b'', {}
    tree = read_tree(outdir) if outdir and os.path.isdir(outdir) else {}
    out = p.stdout.replace(outdir.encode(), b'$OUT') if outdir else p.stdout
    return p.returncode, out, p.stderr, tree


def err_tail(stderr):
    s = stderr.decode('utf-8', 'replace')
    i = s.find('Error: ')
    return s[i:].rstrip() if i >= 0 else None


def stable_compare(h1, h2, got):
    """Lines helm printed identically in two runs must match; the others only by position."""
    a, b, g = h1.split(b'\n'), h2.split(b'\n'), got.split(b'\n')
    if not (len(a) == len(b) == len(g)):
        return False
    return all(x != y or x == z for x, y, z in zip(a, b, g))


def sort_lists(text):
    return re.sub(r'[\w.-]+(?:,[\w.-]+)+', lambda m: ','.join(sorted(m.group(0).split(','))), text)


def short_diff(a, b, n=12):
    a = a.decode('utf-8', 'replace').splitlines() if isinstance(a, bytes) else a.splitlines()
    b = b.decode('utf-8', 'replace').splitlines() if isinstance(b, bytes) else b.splitlines()
    d = list(difflib.unified_diff(a, b, 'helm', 'chartroom', n=1, lineterm=''))
    return '\n'.join('      ' + x for x in d[2:2 + n * 3])


def compare(ctx, cid, argstr, cand, verbose):
    try:
        args = shlex.split(ctx.expand(argstr))
    except ValueError as e:
        return f'bad case: {e}'
    uses_out = any('$OUT' in x for x in args)
    od = lambda tag: os.path.join(ctx.tmp, 'out', cid.replace('/', '_'), tag) if uses_out else ''
    hrc, hout, herr, htree = run_tool(HELM, args, od('helm'))
    crc, cout, cerr, ctree = run_tool(cand, args, od('cr'))
    if crc == 'timeout' or hrc == 'timeout':
        return f'timeout (helm {hrc}, chartroom {crc})'
    if (hrc == 0) != (crc == 0):
        first = (cerr.decode('utf-8', 'replace').strip().splitlines() or [''])[0][:200]
        hfirst = (err_tail(herr) or '').splitlines()[:1]
        return (f'exit {crc}, helm exits {hrc}' + (f': chartroom: {first}' if crc else '')
                + (f' | helm: {hfirst[0][:200]}' if hfirst else ''))
    if hrc != 0:
        he, ce = err_tail(herr), err_tail(cerr)
        if he == ce:
            return None
        msg = 'error text differs'
        # Go map order (e.g. `keys` joined into a fail message) varies between helm runs
        if he and ce and sort_lists(he) == sort_lists(ce):
            for _ in range(4):
                if err_tail(run_tool(HELM, args, od('helm2'))[2]) != he:
                    return None
        if verbose:
            msg += f'\n      helm:      {he}\n      chartroom: {ce}'
        return msg
    same_out = hout == cout
    same_tree = htree == ctree
    if same_out and same_tree:
        return None
    # helm output may vary between runs: rerun helm once and compare only its stable lines
    hrc2, hout2, _, htree2 = run_tool(HELM, args, od('helm2'))
    if hout2 != hout or htree2 != htree:
        ok = stable_compare(hout, hout2, cout) and set(htree) == set(ctree) and all(
            stable_compare(htree[k], htree2.get(k, b''), ctree[k]) for k in htree)
        if ok:
            return None
        why = 'output differs (helm output varies between runs; stable lines differ)'
    elif not same_out:
        why = 'output differs'
    else:
        only_h = sorted(set(htree) - set(ctree))
        only_c = sorted(set(ctree) - set(htree))
        diff = sorted(k for k in set(htree) & set(ctree) if htree[k] != ctree[k])
        why = f'output tree differs: only helm {only_h[:3]} only chartroom {only_c[:3]} differ {diff[:3]}'
        if verbose and diff:
            why += '\n' + short_diff(htree[diff[0]], ctree[diff[0]])
        return why
    if verbose:
        why += '\n' + short_diff(hout, cout)
    return why


# ---------------------------------------------------------------- generated variants

def chart_info(tgz):
    import yaml
    with tarfile.open(tgz) as tf:
        names = [m.name for m in tf.getmembers() if m.isfile()]
        top = names[0].split('/')[0]
        vals = {}
        try:
            vals = yaml.safe_load(tf.extractfile(f'{top}/values.yaml').read()) or {}
        except Exception:
            pass
        ci = [n for n in names if re.match(rf'^{re.escape(top)}/ci/[^/]+\.ya?ml$', n)]
        tmpl = [n for n in names if re.match(rf'^{re.escape(top)}/templates/[^_][^/]*\.(yaml|yml|tpl|txt)$', n)
                and not n.endswith('NOTES.txt')]
    return top, vals if isinstance(vals, dict) else {}, ci, tmpl


def leaves(v, path=()):
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str) or not re.match(r'^[A-Za-z0-9_-]+$', k):
                continue
            yield from leaves(x, path + (k,))
    elif isinstance(v, list):
        yield path, v
        for i, x in enumerate(v[:2]):
            if isinstance(x, dict):
                for p, y in leaves(x, ()):
                    yield path + (f'[{i}]',) + p, y
    else:
        yield path, v


def keyname(path):
    s = ''
    for p in path:
        s += p if p.startswith('[') else ('.' + p if s else p)
    return s


FLAG_SETS = [
    '--no-hooks', '--skip-tests', '--kube-version 1.25.0', '--kube-version v1.31',
    '--api-versions policy/v1beta1,autoscaling/v2beta2 --api-versions networking.k8s.io/v1beta1',
    '--api-versions monitoring.coreos.com/v1/ServiceMonitor --api-versions cert-manager.io/v1',
    '--namespace x', '-n kube-system --create-namespace', '--include-crds', '--is-upgrade',
    '--skip-schema-validation', '--labels a=b,c=d', '--include-crds --skip-crds',
    '--description hello --dry-run=client', '--kube-version 1.19.0 --include-crds',
]


def gen_golden(n, seed, limit):
    rnd = random.Random(seed)
    charts = sorted(glob.glob(os.path.join(GOLDEN, 'charts', '*.tgz')))
    if limit:
        rnd2 = random.Random(seed)
        rnd2.shuffle(charts)
        charts = charts[:limit]
    cases = []
    for tgz in charts:
        base = os.path.basename(tgz)
        cid0 = base[:-4]
        top, vals, _, tmpl = chart_info(tgz)
        chart = f'$G/charts/{base}'
        pool = []
        lv = list(leaves(vals))
        ints = [p for p, v in lv if isinstance(v, int) and not isinstance(v, bool)]
        bools = [p for p, v in lv if isinstance(v, bool)]
        strs = [p for p, v in lv if isinstance(v, str)]
        lists = [p for p, v in lv if isinstance(v, list) and p and not p[-1].startswith('[')]
        tags = [p for p in strs if p[-1] == 'tag']
        for p in ints[:]:
            if p[-1] in ('replicaCount', 'replicas', 'port'):
                pool.append(f'--set {keyname(p)}=3')
        pool += [f'--set {keyname(p)}=1.2.3' for p in tags]
        if bools:
            for p in rnd.sample(bools, min(4, len(bools))):
                pool.append(f'--set {keyname(p)}={"false" if dict_get(vals, p) else "true"}')
            sel = rnd.sample(bools, min(6, len(bools)))
            pool.append('--set ' + ','.join(f'{keyname(p)}=true' for p in sel))
        if strs:
            for p in rnd.sample(strs, min(2, len(strs))):
                pool.append(f"--set-string {keyname(p)}=0123")
                pool.append(f"--set {keyname(p)}='a b: c'")
        if lists:
            for p in rnd.sample(lists, min(2, len(lists))):
                pool.append(f'--set {keyname(p)}[0]=x')
                pool.append(shlex.quote(f'--set-json={keyname(p)}=[{{"name":"a","value":"b"}}]'))
        if ints:
            p = rnd.choice(ints)
            pool.append(f'--set-json {keyname(p)}=5')
        if tmpl:
            for t in rnd.sample(tmpl, min(2, len(tmpl))):
                pool.append(f'--show-only {t}')
        pool += FLAG_SETS
        if os.path.exists(os.path.join(GOLDEN, 'values', f'{cid0}__enabled.yaml')):
            ev = f'-f $G/values/{cid0}__enabled.yaml'
            pool += [f'{ev} {f}' for f in rnd.sample(FLAG_SETS, 3)]
            pool.append(f'{ev} --kube-version 1.33.0 --api-versions monitoring.coreos.com/v1 '
                        '--api-versions gateway.networking.k8s.io/v1 --api-versions '
                        'autoscaling.k8s.io/v1 --api-versions policy/v1/PodDisruptionBudget')
        picks = rnd.sample(pool, min(n, len(pool)))
        for i, extra in enumerate(picks):
            name = rnd.choice(['release-name', 'my-app', 'x', 'a-very-long-release-name-for-testing-trunc'])
            cases.append((f'g:{cid0}#{i}', f'{name} {chart} {extra}'))
    return cases


def dict_get(v, path):
    for p in path:
        if p.startswith('['):
            v = v[int(p[1:-1])]
        else:
            v = v[p]
    return v


def gen_ci():
    cases = []
    for tgz in sorted(glob.glob(os.path.join(GOLDEN, 'charts', '*.tgz'))):
        base = os.path.basename(tgz)
        top, _, ci, _ = chart_info(tgz)
        for f in ci:
            rel = f.split('/', 1)[1]
            cases.append((f'ci:{base[:-4]}:{rel}', f'release-name $U{{{base}}} -f $U{{{base}}}/{rel}'))
    return cases


def gen_charts():
    cases = []
    for d in sorted(glob.glob(os.path.join(HERE, 'charts', '*'))):
        name = os.path.basename(d)
        cf = os.path.join(d, 'CASES')
        lines = open(cf).read().splitlines() if os.path.exists(cf) else []
        if not [x for x in lines if x.strip() and not x.startswith('#')]:
            lines = ['default\trelease-name $C']
        for line in lines:
            if not line.strip() or line.startswith('#'):
                continue
            cid, a = line.split('\t', 1)
            a = a.replace('$C', f'charts/{name}')
            cases.append((f'c:{name}:{cid}', a))
    return cases


def gen_exprs(ctx):
    sys.path.insert(0, HERE)
    import exprs
    cases = []
    for n, e in enumerate(exprs.EXPRS):
        d = os.path.join(ctx.tmp, 'exprs', f'e{n:03d}')
        os.makedirs(os.path.join(d, 'templates'), exist_ok=True)
        with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
            f.write(f'apiVersion: v2\nname: e{n:03d}\nversion: 0.1.0\nappVersion: "1.0"\n')
        with open(os.path.join(d, 'values.yaml'), 'w') as f:
            f.write(exprs.VALUES)
        with open(os.path.join(d, 'templates', 'e.yaml'), 'w') as f:
            f.write('{{- define "e" }}' + e + '{{ end }}\nv: |\n  {{- include "e" . | nindent 2 }}\n')
        cases.append((f'x:{n:03d} {e[:60]}', f'release-name {d}'))
    return cases


RANDOM_TEXT = {}


def gen_random(ctx, n, seed):
    """N random one-template charts (randgen.py), deterministic for one seed."""
    sys.path.insert(0, HERE)
    import randgen
    r = random.Random(seed)
    cases = []
    for i in range(n):
        extra = []
        if r.random() < 0.25:
            values, tmpl, extra = randgen.set_case(r)
        else:
            values, tmpl = randgen.case(r)
        d = os.path.join(ctx.tmp, 'random', f'r{i:05d}')
        os.makedirs(os.path.join(d, 'templates'), exist_ok=True)
        with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
            f.write(f'apiVersion: v2\nname: r{i:05d}\nversion: 0.1.0\n')
        with open(os.path.join(d, 'values.yaml'), 'w') as f:
            f.write(values)
        with open(os.path.join(d, 'templates', 'r.yaml'), 'w') as f:
            f.write('{{- define "r" }}' + tmpl + '{{ end }}\nv: |\n  {{- include "r" . | nindent 2 }}\n')
        cid = f'r:{seed}:{i:05d}'
        RANDOM_TEXT[cid] = f'values.yaml:\n{values}template:\n{tmpl}'
        cases.append((cid, f'release-name {d} ' + ' '.join(shlex.quote(x) for x in extra)))
    return cases


def gen_manifests(ctx, src, n, seed):
    """Up to N text files of the folder SRC (e.g. a fuzz corpus of YAML documents), each as the
    one template of a chart: what Helm's manifest sort reads (heads, YAML errors) compared.
    Files that are not UTF-8 or hold template delimiters are skipped."""
    names = sorted(os.listdir(src))
    random.Random(seed).shuffle(names)
    cases = []
    for name in names:
        if len(cases) >= n:
            break
        try:
            with open(os.path.join(src, name), encoding='utf-8', newline='') as f:
                text = f.read()
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        if '{{' in text or '}}' in text or not text.strip():
            continue
        i = len(cases)
        d = os.path.join(ctx.tmp, 'manifests', f'm{i:05d}')
        os.makedirs(os.path.join(d, 'templates'), exist_ok=True)
        with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
            f.write(f'apiVersion: v2\nname: m{i:05d}\nversion: 0.1.0\n')
        with open(os.path.join(d, 'templates', 'm.yaml'), 'w', encoding='utf-8', newline='') as f:
            f.write(text)
        cid = f'm:{seed}:{name[:16]}'
        RANDOM_TEXT[cid] = f'manifest:\n{text[:2000]}'
        cases.append((cid, f'release-name {d}'))
    return cases


def main():
    argv = sys.argv[1:]
    opts = {'-j': '2', '--seed': '1', '--chartroom': default_chartroom()}
    files, flags = [], set()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ('--golden-sample', '--only', '--seed', '--limit-charts', '-j', '--chartroom',
                 '--random', '--manifests', '--count'):
            opts[a] = argv[i + 1]
            i += 2
            continue
        if a.startswith('-'):
            flags.add(a)
        else:
            files.append(a)
        i += 1
    verbose = '-v' in flags
    cases = []
    for f in files:
        for line in open(f):
            if line.strip() and not line.startswith('#'):
                cid, a = line.rstrip('\n').split('\t', 1)
                cases.append((cid, a))
    if '--golden-sample' in opts:
        cases += gen_golden(int(opts['--golden-sample']), int(opts['--seed']),
                            int(opts.get('--limit-charts', 0)))
    if '--ci' in flags:
        cases += gen_ci()
    if '--charts' in flags:
        cases += gen_charts()
    ctx = Ctx()
    if '--exprs' in flags:
        cases += gen_exprs(ctx)
    if '--random' in opts:
        cases += gen_random(ctx, int(opts['--random']), int(opts['--seed']))
    if '--manifests' in opts:
        cases += gen_manifests(ctx, opts['--manifests'], int(opts.get('--count', 1000)),
                               int(opts['--seed']))
    if '--only' in opts:
        cases = [c for c in cases if opts['--only'] in c[0]]
    if '--list' in flags:
        for c in cases:
            print(f'{c[0]}\t{c[1]}')
        return
    cand = opts['--chartroom']
    bad = 0

    def one(c):
        return c, compare(ctx, c[0], c[1], cand, verbose)

    try:
        with ThreadPoolExecutor(int(opts['-j'])) as ex:
            for (cid, a), why in ex.map(one, cases):
                if why:
                    bad += 1
                    print(f'DIFF {cid}: {why}\n      args: {a}', flush=True)
                    if verbose and cid in RANDOM_TEXT:
                        print('      ' + RANDOM_TEXT[cid].replace('\n', '\n      '), flush=True)
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    print(f'{len(cases) - bad}/{len(cases)} identical to helm')
    sys.exit(0 if bad == 0 else 1)


if __name__ == '__main__':
    main()
