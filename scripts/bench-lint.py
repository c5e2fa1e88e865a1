#!/usr/bin/env python3
"""Lint throughput: chartroom-lint against kubernetes-validate 1.37.0 on the same documents,
in the same run, plus each Kubernetes version's schema pack size.

Usage: python3 scripts/bench-lint.py [--golden DIR] [--limit N] [--threads N]

- chartroom: the release example `lint-bench` of crates/lint (built here with cargo into
  $CARGO_TARGET_DIR, default target/) over the rendered golden outputs
  (../shared/golden/expected/*.out): resources per second normal and strict (YAML reading
  included, one thread), each file on its own on --threads threads (default: every core),
  and the slowest and the largest file's lint time (best of 5).
- kubernetes-validate: installed into target/kubernetes-validate/venv as
  tests/lint-oracle.py does; validates the same documents (the first --limit of them, default
  all) at 1.37, normal and strict, in-process (its `validate` function, schema reads cached),
  timed twice: from documents already parsed (validation only) and with its own YAML reading
  (PyYAML `safe_load_all` per file, as its command line does).
"""

import argparse
import glob
import importlib.util
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKS = os.path.join(ROOT, "crates", "lint", "packs")

ORACLE = r'''
import functools, json, sys, time, yaml
import kubernetes_validate.utils as u
u.schema_contents = functools.lru_cache(maxsize=None)(u.schema_contents)
limit = int(sys.argv[1])
files = sys.argv[2:]
def load(text):
    try:
        return [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError:
        return []  # a file PyYAML cannot read is left out of both timings
texts = [open(f, encoding="utf-8", errors="replace").read() for f in files]
texts = [t for t in texts if load(t)]
docs = [d for t in texts for d in load(t)]
docs = docs[:limit]
out = {"documents": len(docs)}
for strict in (False, True):
    # Warm the schema cache once per kind, outside the timing.
    seen = set()
    for d in docs:
        key = (d.get("apiVersion"), d.get("kind")) if isinstance(d, dict) else None
        if key not in seen:
            seen.add(key)
            try:
                u.validate(d, "1.37", strict)
            except Exception:
                pass
    t = time.perf_counter()
    for d in docs:
        try:
            u.validate(d, "1.37", strict)
        except Exception:
            pass
    out["strict" if strict else "normal"] = time.perf_counter() - t
# With its own YAML reading, over the same files until the same document count.
t = time.perf_counter()
n = 0
for text in texts:
    for d in load(text):
        if n >= limit:
            break
        n += 1
        try:
            u.validate(d, "1.37", False)
        except Exception:
            pass
    if n >= limit:
        break
out["with_yaml"] = time.perf_counter() - t
out["with_yaml_documents"] = n
print(json.dumps(out))
'''


def load_oracle_module():
    spec = importlib.util.spec_from_file_location(
        "lint_oracle", os.path.join(ROOT, "tests", "lint-oracle.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_bench():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "chartroom-lint", "--example",
                    "lint-bench"], cwd=ROOT, check=True)
    return os.path.join(target, "release", "examples", "lint-bench")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", default=os.path.join(ROOT, "..", "shared", "golden", "expected"))
    ap.add_argument("--limit", type=int, default=10 ** 9)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.golden, "*.out")))
    if not files:
        print("no golden outputs under %s" % args.golden)
        return 0

    print("== schema packs (gzip bytes; other versions load as the 1.37 base plus their delta)")
    total = 0
    base = os.path.getsize(os.path.join(PACKS, "k8s-1.37.json.gz"))
    for f in sorted(glob.glob(os.path.join(PACKS, "k8s-*.json.gz")),
                    key=lambda p: int(re.search(r"1\.(\d+)", p).group(1))):
        n = os.path.getsize(f)
        total += n
        v = re.search(r"k8s-(1\.\d+)", f).group(1)
        print("   %s  %7d  (with base %7d)" % (v, n, n if v == "1.37" else n + base))
    print("   all  %7d" % total)

    bench = build_bench()
    out = subprocess.run([bench, "--threads", str(args.threads)] + files, capture_output=True,
                         text=True, check=True).stdout
    ours = {}
    print("\n== chartroom-lint (release build, %d files)" % len(files))
    for line in out.splitlines():
        m = re.match(r"(normal|strict): (\d+) resources in ([\d.]+) s = (\d+) resources/s", line)
        if m:
            ours[m.group(1)] = float(m.group(4))
            print("   " + line.split(";")[0] + " (one thread)")
        elif line.startswith("validation only"):
            m = re.search(r"= (\d+) resources/s", line)
            ours["validation"] = float(m.group(1))
            print("   " + line)
        elif line.startswith(("slowest", "largest", "YAML reading")):
            print("   " + line)
        elif line.startswith("RESULT"):
            kv = dict(p.split("=") for p in line.split()[1:])
            ours["parallel"] = float(kv["rate"])
            print("   each file on its own, %s threads: %s resources in %s s = %s resources/s"
                  % (kv["threads"], kv["resources"], kv["seconds"], kv["rate"]))

    oracle = load_oracle_module()
    py = oracle.ensure_venv()
    res = json.loads(subprocess.run([py, "-c", ORACLE, str(args.limit)] + files,
                                    capture_output=True, text=True, check=True).stdout)
    n = res["documents"]
    print("\n== kubernetes-validate 1.37.0 (same documents: %d, one thread)" % n)
    theirs = {}
    for mode in ("normal", "strict"):
        theirs[mode] = n / res[mode] if res[mode] else 0.0
        print("   %s: %.2f s = %.0f resources/s (validation only, documents already parsed by PyYAML)"
              % (mode, res[mode], theirs[mode]))
    with_yaml = res["with_yaml_documents"] / res["with_yaml"] if res["with_yaml"] else 0.0
    print("   normal with its own YAML reading (PyYAML): %.2f s = %.0f resources/s"
          % (res["with_yaml"], with_yaml))

    print("\n== ratios (chartroom / kubernetes-validate, resources per second)")
    if ours.get("validation") and theirs.get("normal"):
        print("   validation only, both from documents already read, normal, one thread: %.1fx"
              % (ours["validation"] / theirs["normal"]))
    for mode in ("normal", "strict"):
        if theirs.get(mode) and ours.get(mode):
            print("   chartroom reading YAML too / kubernetes-validate validation only, %s, one "
                  "thread: %.1fx" % (mode, ours[mode] / theirs[mode]))
    if ours.get("parallel") and theirs.get("normal"):
        print("   chartroom reading YAML on %d threads / kubernetes-validate validation only: %.1fx"
              % (args.threads, ours["parallel"] / theirs["normal"]))
    if ours.get("normal") and with_yaml:
        print("   both reading YAML, normal, one thread: %.1fx" % (ours["normal"] / with_yaml))
    return 0


if __name__ == "__main__":
    sys.exit(main())
