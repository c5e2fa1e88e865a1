#!/usr/bin/env python3
"""Builds the fuzz targets' seed corpora in fuzz/corpus/<target>/ (git-ignored) from the
project's own test data and ../shared/golden, read in place (nothing is copied into the tree).

    python3 fuzz/seed.py            # from the repository root or from fuzz/

Sources: the golden charts' templates, values and schemas (charts/*.tgz), their recorded
outputs (expected/*.out, as manifests for lint and as before/after pairs for diff), the test
charts under tests/charts, the recorded --set and schema cases in crates/chart/tests, and the
Sprig/Helm oracle expressions in crates/funcs/tests/data.
"""
import hashlib
import io
import json
import os
import re
import sys
import tarfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
GOLDEN = os.path.join(ROOT, "..", "shared", "golden")
CORPUS = os.path.join(FUZZ, "corpus")
SPLIT = b"\n---8<---\n"
MAX_SEED = 8 * 1024  # bytes per seed: libFuzzer mutates small inputs faster
MAX_FILES = 2000  # per target

counts = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_SEED and target not in ("archive",):
        return
    if counts.get(target, 0) >= MAX_FILES:
        return
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1


def chart_files_from_tgz(path):
    out = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for m in tar.getmembers():
                if m.isfile() and m.size <= 1 << 20:
                    f = tar.extractfile(m)
                    if f:
                        out[m.name] = f.read()
    except (tarfile.TarError, OSError, EOFError):
        pass
    return out


def chart_files_from_dir(path):
    out = {}
    for dirpath, _, names in os.walk(path):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, os.path.dirname(path))] = f.read()
    return out


def seed_chart(files):
    by_dir = {}
    for name, data in files.items():
        base = os.path.basename(name)
        parent = os.path.dirname(name)
        if "/templates/" in "/" + name and (base.endswith((".yaml", ".tpl", ".yml", ".txt"))):
            add("template_parse", data)
            add("template_exec", data)
        if base in ("values.yaml", "Chart.yaml"):
            add("yaml_read", data)
            add("yaml_roundtrip", data)
        if base in ("values.yaml", "values.schema.json"):
            by_dir.setdefault(parent, {})[base] = data
    for parts in by_dir.values():
        if "values.schema.json" in parts:
            add("schema", parts["values.schema.json"] + SPLIT + parts.get("values.yaml", b""))


def documents(text):
    return [d for d in re.split(rb"(?m)^---\s*\n", text) if d.strip()]


def seed_golden():
    charts = os.path.join(GOLDEN, "charts")
    if not os.path.isdir(charts):
        print("no ../shared/golden: golden seeds skipped", file=sys.stderr)
        return
    for name in sorted(os.listdir(charts)):
        path = os.path.join(charts, name)
        if os.path.getsize(path) <= 64 * 1024:
            add("archive", open(path, "rb").read())
        seed_chart(chart_files_from_tgz(path))
    values = os.path.join(GOLDEN, "values")
    for name in sorted(os.listdir(values)):
        data = open(os.path.join(values, name), "rb").read()
        add("yaml_read", data)
        add("yaml_roundtrip", data)
    expected = os.path.join(GOLDEN, "expected")
    for name in sorted(os.listdir(expected)):
        if not name.endswith(".out"):
            continue
        docs = documents(open(os.path.join(expected, name), "rb").read())
        for i, doc in enumerate(docs[:40]):
            add("lint", doc)
            add("yaml_roundtrip", doc)
            if i + 1 < len(docs):
                add("diff", doc + SPLIT + docs[i + 1])
            add("diff", doc + SPLIT + doc.replace(b"release-name", b"other"))


def seed_tests():
    tests = os.path.join(ROOT, "tests", "charts")
    for name in sorted(os.listdir(tests)):
        path = os.path.join(tests, name)
        if not os.path.isdir(path):
            continue
        files = chart_files_from_dir(path)
        seed_chart(files)
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for rel, data in sorted(files.items()):
                info = tarfile.TarInfo(rel)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        add("archive", buf.getvalue())
    diffdir = os.path.join(ROOT, "tests", "differential", "charts")
    if os.path.isdir(diffdir):
        for dirpath, _, names in os.walk(diffdir):
            for n in names:
                if dirpath.endswith("templates"):
                    data = open(os.path.join(dirpath, n), "rb").read()
                    add("template_parse", data)
                    add("template_exec", data)


RAW = re.compile(r'r####"(.*?)"####', re.S)


def seed_recorded():
    flags = {"--set": 0, "--set-string": 1, "--set-json": 2, "--set-literal": 3, "--set-file": 4}
    path = os.path.join(ROOT, "crates", "chart", "tests", "strvals_recorded.rs")
    strings = RAW.findall(open(path).read())
    for i in range(0, len(strings) - 2, 3):
        flag, arg = strings[i], strings[i + 1]
        if flag in flags:
            add("set_parse", bytes([flags[flag]]) + arg.encode())
    path = os.path.join(ROOT, "crates", "chart", "tests", "schema_recorded.rs")
    strings = RAW.findall(open(path).read())
    for i in range(0, len(strings) - 2, 3):
        add("schema", strings[i].encode() + SPLIT + strings[i + 1].encode())
    data = os.path.join(ROOT, "crates", "funcs", "tests", "data")
    for line in open(os.path.join(data, "sprig_helm_oracle.txt"), encoding="utf-8"):
        if line.startswith("#") or " => " not in line:
            continue
        expr = line.split(" => ", 1)[0]
        add("template_exec", "{{ " + expr + " }}")
        add("template_parse", "{{ " + expr + " }}")
    for line in open(os.path.join(data, "helm_oracle.jsonl"), encoding="utf-8"):
        try:
            expr = json.loads(line)[0]
        except (ValueError, IndexError, TypeError):
            continue
        if isinstance(expr, str):
            add("template_exec", "{{ " + expr + " }}")


def main():
    seed_recorded()
    seed_tests()
    seed_golden()
    for t, n in sorted(counts.items()):
        print(f"{t}: {n} new seeds")


if __name__ == "__main__":
    main()
