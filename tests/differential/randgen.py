"""Random small templates and values for run.py --random N (differential fuzzing against helm).

Each case is one tiny chart: a random values tree and a template whose `define` holds a random
mix of actions (pipelines over Sprig/Helm functions, `if`/`with`/`range`, variables, printf
verbs, comparisons that may fail on mixed types) fed from literals and `.Values` paths, printed
under a literal block so any output is valid YAML. Deterministic for one --seed.
"""
import random

KEYS = ['a', 'b', 'name', 'list', 'm', 'x', 'n', 'port', 'tag', 'Enabled', 'k-1', 'k.2']
STRINGS = ['', 'hello', 'Hello World', ' pad ', 'a,b,c', '007', '1.5', 'true', 'null', 'yes',
           'é', 'tab\\there', 'line\\nnext', '{{ x }}', '%d', 'a:b', '- x', '#c', '0x1F', '1e3']


def scalar(r):
    k = r.randrange(9)
    if k == 0:
        return str(r.choice([0, 1, -1, 2, 42, 65536, 2**31, 2**53 + 1, -2**63]))
    if k == 1:
        # (.inf/.nan make the whole values file fail in Helm: rare)
        return r.choice(['1.5', '0.1', '-0.0', '1e+20', '3.0', '.5', '1e-7'] * 20 + ['.inf', '.nan'])
    if k == 2:
        return r.choice(['true', 'false', 'yes', 'no', 'on', 'off'])
    if k == 3:
        return r.choice(['null', '~', ''])
    s = r.choice(STRINGS)
    return '"' + s.replace('"', '\\"') + '"' if r.random() < 0.7 else repr_plain(s)


def repr_plain(s):
    return s if s and s.replace(' ', '').isalnum() else "'" + s.replace("'", "''") + "'"


def tree(r, depth, paths, prefix):
    """A YAML block for a map at `depth`, recording the `.Values` paths it defines."""
    lines = []
    for key in r.sample(KEYS, r.randrange(1, 5)):
        ind = '  ' * depth
        qk = key if key.replace('-', '').replace('.', '').isalnum() else f'"{key}"'
        path = prefix + [key]
        paths.append(path)
        roll = r.random()
        if roll < 0.2 and depth < 3:
            lines.append(f'{ind}{qk}:')
            lines += tree(r, depth + 1, paths, path)
        elif roll < 0.35:
            items = ', '.join(scalar(r) for _ in range(r.randrange(0, 4)))
            lines.append(f'{ind}{qk}: [{items}]')
        elif roll < 0.4:
            lines.append(f'{ind}{qk}: {{}}')
        else:
            lines.append(f'{ind}{qk}: {scalar(r)}')
    return lines


def ref(path):
    out = '.Values'
    for p in path:
        if p.replace('_', '').isalnum() and not p[0].isdigit():
            out += '.' + p
        else:
            return f'(index .Values {" ".join(chr(34) + q + chr(34) for q in path)})'
    return out


LIT = ['1', '0', '-3', '2.5', '"x"', '"a,b"', '""', 'true', 'false', 'nil', '"007"', '(list 1 "b" 2.0)',
       '(dict "k" "v" "n" 1)', '(list)', '(dict)', '3', '"Hello"', '1e3', '0x10', "'a'",
       '"  multi\nline\n"', '"- item"', '"key: v"', '"#"', '"yes"', '"1.0"', '"1e3"', '"0x1F"',
       '9223372036854775807', '-1.5e-3', '"\t"', '"a\"b"', '(list nil)', '(dict "a" (list 1 2))',
       '"é~ü"', '"{}"', '"[]"', '1.0', '100000000', '0.000001', '(splitList "," "a,,b")']
UNARY = ['upper', 'lower', 'title', 'trim', 'quote', 'squote', 'toString', 'toYaml', 'toJson',
         'toPrettyJson', 'b64enc', 'len', 'empty', 'not', 'first', 'last', 'rest', 'initial', 'uniq',
         'sortAlpha', 'keys', 'int', 'int64', 'float64', 'toStrings', 'kindOf', 'typeOf', 'compact',
         'reverse', 'default "d"', 'trunc 3', 'nindent 2', 'indent 1', 'join ","', 'b64dec',
         'fromYaml', 'fromJson', 'toRawJson', 'snakecase', 'camelcase', 'kebabcase', 'wrap 3',
         'replace "a" "b"', 'splitList ","', 'atoi', 'ceil', 'floor', 'round', 'abbrev 5', 'sha256sum',
         'semver', 'required "need it"', 'print', 'println', 'html', 'js', 'urlquery', 'add1',
         'toDecimal', 'plural "one" "many"', 'hasPrefix "a"', 'contains "l"', 'trimSuffix "o"',
         'list', 'dict "k"', 'deepCopy', 'mustToJson', 'fromYamlArray', 'fromJsonArray', 'tpl .',
         'toToml', 'printf "%s"', 'printf "%v"', 'printf "%#v"', 'printf "%+v"', 'printf "%05.1f"',
         'printf "%x"', 'printf "%c"', 'printf "%U"', 'printf "%e"', 'printf "%g"', 'printf "%8.3s|"',
         'regexFind "[0-9]+"', 'regexReplaceAll "[aeiou]" "_"', 'splitn "," 2', 'nospace',
         'swapcase', 'initials', 'untitle', 'shuffle | len', 'sortAlpha | toJson', 'len | add1',
         'toYaml | fromYaml', 'toJson | fromJson', 'toYaml | indent 2', 'b64enc | b64dec',
         'float64 | int', 'int | float64', 'toString | atoi', 'quote | fromYaml', 'last | toString']
BINARY = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'add', 'sub', 'mul', 'div', 'mod', 'max', 'min',
          'and', 'or', 'default', 'coalesce', 'hasKey', 'get', 'index', 'has', 'append', 'concat',
          'merge', 'pick', 'omit', 'ternary "y"', 'printf "%v-%v"', 'printf "%d %s"',
          'printf "%q|%T"', 'printf "%x %5.2f"', 'addf', 'divf', 'cat', 'list', 'without', 'dig "a"',
          'regexMatch', 'semverCompare', 'until', 'repeat', 'substr 1', 'slice']


def arg(r, paths, depth):
    k = r.random()
    if k < 0.4 and paths:
        return ref(r.choice(paths))
    if k < 0.75 or depth > 2:
        return r.choice(LIT)
    return '(' + expr(r, paths, depth + 1) + ')'


def expr(r, paths, depth=0):
    k = r.random()
    if k < 0.45:
        e = arg(r, paths, depth)
        for _ in range(r.randrange(1, 3)):
            e += ' | ' + r.choice(UNARY)
        return e
    f = r.choice(BINARY)
    if f in ('until', 'repeat'):
        return f'{f} {r.choice(["0", "3", "-1"])} ' + (arg(r, paths, depth) if f == 'repeat' else '')
    return f'{f} {arg(r, paths, depth)} {arg(r, paths, depth)}'


def body(r, paths, depth=0):
    parts = []
    for _ in range(r.randrange(1, 4)):
        k = r.random()
        e = expr(r, paths)
        if k < 0.5:
            parts.append('{{ ' + e + ' }}')
        elif k < 0.62 and depth < 2:
            parts.append('{{ if ' + e + ' }}T' + body(r, paths, depth + 1) + '{{ else }}F{{ end }}')
        elif k < 0.74 and depth < 2:
            parts.append('{{ with ' + e + ' }}W{{ . }}{{ else }}E{{ end }}')
        elif k < 0.86 and depth < 2:
            parts.append('{{ range $i, $v := ' + e + ' }}[{{ $i }}={{ $v }}]{{ else }}none{{ end }}')
        elif k < 0.93:
            parts.append('{{ $x := ' + e + ' }}{{ $x }}')
        else:
            parts.append('{{- ' + e + ' -}}')
        parts.append(r.choice(['', ' ', ',', '\n', ':']))
    return ''.join(parts)


TRICKY = ['', ' ', 'a b', ' lead', 'trail ', 'a: b', 'a #b', '#x', '- x', '? x', '[x]', '{x}',
          '"q"', "'s'", 'y', 'n', 'Yes', 'NO', 'on', 'Off', '~', 'null', 'Null', '1_000', '0o17',
          '0b101', '+1', '.5', '1.', '1e3', '-.inf', '.NaN', '2001-12-14', '12:30:00', '1:20',
          'é', '\\u00e9', 'tab\\tx', 'a\\nb', 'a\\n', '\\n', 'x\\r\\ny', '&a', '*a', '!t',
          '%p', '@x', '`x`', 'a,b', '=', '<<', 'x' * 90, ('word ' * 25).strip(),
          'long line with spaces ' * 5 + '\\nnext', 'a\\u2028b', '\\u0085', 'emoji \\U0001F600']


def tricky(r):
    t = r.choice(TRICKY)
    return '"' + t.replace('"', '\\"') + '"'


def dump_case(r):
    """A values tree of tricky strings printed by toYaml/toJson/toToml and friends."""
    lines = []
    for i in range(r.randrange(1, 6)):
        k = r.choice(['a', 'b c', 'k', 'x-y', 'yes', '1', 'é', 'null'])
        roll = r.random()
        if roll < 0.3:
            items = ', '.join(tricky(r) for _ in range(r.randrange(0, 4)))
            lines.append(f'"{k}{i}": [{items}]')
        elif roll < 0.5:
            lines.append(f'"{k}{i}":')
            for j in range(r.randrange(1, 4)):
                lines.append(f'  "{r.choice(TRICKY[:30]) or "e"}{j}": {tricky(r)}')
        else:
            lines.append(f'"{k}{i}": {tricky(r)}')
    f = r.choice(['toYaml', 'toJson', 'toPrettyJson', 'toRawJson', 'toToml', 'toYaml | fromYaml | toJson',
                  'toJson | fromJson | toYaml', 'toYaml | indent 4', 'toYaml | nindent 2 | quote'])
    return '\n'.join(lines) + '\n', '{{ .Values | ' + f + ' }}'


SET_PIECES = ['a', 'b', 'a.b', 'x[0]', 'x[1]', 'x[0].y', 'l[2]', 'a\\.b', 'k-1', 'n', 'a.b.c',
              '', '=', ',', '\\,', '{', '}', '{1,2}', '[0]', '.', '"q"', 'null', 'true', '0', '007',
              '1e3', '-1', '1.5', '9223372036854775808', ' ', 'é', '\\', '[', ']', '{}', '[]']


def set_flag(r):
    """One random --set-family flag and its argument."""
    flag = r.choice(['--set', '--set', '--set-string', '--set-json', '--set-literal'])
    parts = []
    for _ in range(r.randrange(1, 4)):
        key = ''.join(r.choice(SET_PIECES[:12]) for _ in range(r.randrange(1, 3))) or 'a'
        value = ''.join(r.choice(SET_PIECES) for _ in range(r.randrange(0, 3)))
        if flag == '--set-json' and r.random() < 0.6:
            value = r.choice(['1', '"s"', '[1,2]', '{"a":1}', 'null', 'true', '1.50', '[', '{"a":'])
        parts.append(f'{key}={value}' if r.random() < 0.95 else key)
    return [flag, ','.join(parts)]


def set_case(r):
    """(values.yaml text, template text, extra command-line arguments)."""
    args = []
    for _ in range(r.randrange(1, 4)):
        args += set_flag(r)
    values = r.choice(['', 'a: 1\n', 'x: [1, 2]\n', 'a: {b: 2}\n', 'l: null\n'])
    return values, '{{ .Values | toJson }}', args


def case(r):
    """(values.yaml text, template text) for one random chart."""
    if r.random() < 0.3:
        return dump_case(r)
    paths = []
    values = '\n'.join(tree(r, 0, paths, [])) + '\n'
    return values, body(r, paths)
