#!/usr/bin/env python3
"""Checks (or fills in) the expected outputs of the case tables in tests/fmt.rs against the
real helm binary, which renders each case as `{{ printf FORMAT ARGS | toJson | b64enc }}`.

    python3 crates/template/tests/fmt_oracle.py          # report mismatches
    python3 crates/template/tests/fmt_oracle.py --fill   # rewrite every expectation from helm

New cases can be added to the tables as `"FORMAT" ARGS => ?` and filled with --fill.
Argument syntax: see the header of tests/fmt.rs. Needs `helm` on PATH (v4.3.1)."""
import base64, json, os, re, shutil, subprocess, sys, tempfile

TEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fmt.rs')
TABLES = ('CASES', 'FLOAT_CASES')


def go_unquote(lit):
    s = lit[1:-1]; out = bytearray(); i = 0
    simple = {'a': 7, 'b': 8, 'f': 12, 'n': 10, 'r': 13, 't': 9, 'v': 11, '\\': 92, '"': 34, "'": 39}
    while i < len(s):
        if s[i] != '\\':
            out += s[i].encode(); i += 1; continue
        e = s[i + 1]
        if e in simple: out.append(simple[e]); i += 2
        elif e == 'x': out.append(int(s[i + 2:i + 4], 16)); i += 4
        elif e == 'u': out += chr(int(s[i + 2:i + 6], 16)).encode(); i += 6
        elif e == 'U': out += chr(int(s[i + 2:i + 10], 16)).encode(); i += 10
        else: raise ValueError(lit)
    return bytes(out)


def tokenize(s):
    toks = []; i = 0
    while i < len(s):
        c = s[i]
        if c.isspace(): i += 1; continue
        if c in '()': toks.append(c); i += 1; continue
        if c == '"':
            j = i + 1
            while s[j] != '"': j += 2 if s[j] == '\\' else 1
            toks.append(s[i:j + 1]); i = j + 1; continue
        j = i
        while j < len(s) and not s[j].isspace() and s[j] not in '()': j += 1
        toks.append(s[i:j]); i = j
    return toks


def split_case(line):
    """(head text, expected text) split at the first top-level ' => '."""
    i = 0
    while True:
        if line[i] == '"':
            j = i + 1
            while line[j] != '"': j += 2 if line[j] == '\\' else 1
            i = j + 1; continue
        if line.startswith('=> ', i): return line[:i].rstrip(), line[i + 3:].strip()
        i += 1


def translate(toks, files):
    out = []; i = 0
    while i < len(toks):
        if toks[i] == '(' and toks[i + 1] == 'bytes':
            data = b'' if toks[i + 2] == ')' else go_unquote(toks[i + 2])
            name = 'b/%d.bin' % len(files); files[name] = data
            out.append('(.Files.GetBytes "%s")' % name)
            i += 3 if toks[i + 2] == ')' else 4; continue
        if toks[i] == '(' and toks[i + 1] == 'strs':
            depth, j, inner = 1, i + 2, []
            while depth:
                depth += {'(': 1, ')': -1}.get(toks[j], 0)
                if depth: inner.append(toks[j])
                j += 1
            out.append('(list %s | toStrings)' % ' '.join(translate(inner, files)))
            i = j; continue
        out.append(toks[i]); i += 1
    return out


def main():
    fill = '--fill' in sys.argv
    src = open(TEST, encoding='utf-8').read()
    lines = src.split('\n')
    cases = []  # (line index, head)
    inside = False
    for n, l in enumerate(lines):
        if any(l == 'const %s: &str = r##"' % t for t in TABLES): inside = True; continue
        if l == '"##;': inside = False; continue
        if inside and l.strip(): cases.append((n, split_case(l)))
    chart = tempfile.mkdtemp()
    try:
        os.makedirs(chart + '/templates'); os.makedirs(chart + '/b')
        open(chart + '/Chart.yaml', 'w').write('apiVersion: v2\nname: c\nversion: 0.1.0\n')
        open(chart + '/values.yaml', 'w').write('big: 1000000\n')
        files, tpl = {}, []
        for k, (n, (head, _)) in enumerate(cases):
            toks = tokenize(head)
            fn = toks[0] if toks[0] in ('print', 'println') else 'printf ' + toks[0]
            tpl.append('# C%d: {{ %s %s | toJson | b64enc }}' % (k, fn, ' '.join(translate(toks[1:], files))))
        for name, data in files.items():
            open(chart + '/' + name, 'wb').write(data)
        open(chart + '/templates/t.yaml', 'w', encoding='utf-8').write('\n'.join(tpl) + '\n')
        r = subprocess.run(['helm', 'template', 'x', chart], capture_output=True)
        if r.returncode != 0: sys.exit(r.stderr.decode())
    finally:
        shutil.rmtree(chart)
    got = {}
    for l in r.stdout.decode().split('\n'):
        m = re.match(r'# C(\d+): (.*)$', l)
        if m: got[int(m.group(1))] = json.loads(base64.b64decode(m.group(2)).decode())
    bad = 0
    for k, (n, (head, expected)) in enumerate(cases):
        enc = json.dumps(got[k], ensure_ascii=False)
        if fill:
            lines[n] = head + ' => ' + enc
        elif expected == '?' or json.loads(expected) != got[k]:
            bad += 1; print('MISMATCH %s\n  table: %s\n  helm:  %s' % (head, expected, enc))
    if fill:
        open(TEST, 'w', encoding='utf-8').write('\n'.join(lines))
    print('%d cases, %d mismatches' % (len(cases), bad))
    sys.exit(1 if bad else 0)


main()
