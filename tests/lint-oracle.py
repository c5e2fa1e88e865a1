#!/usr/bin/env python3
"""Agreement of chartroom-lint's schema verdicts with kubernetes-validate 1.37.0.

Usage: python3 tests/lint-oracle.py [--golden DIR] [--limit N] [--show N]

Validates every document of the rendered golden outputs (../shared/golden/expected/*.out,
read in place) and broken variants made from them (a value of the wrong type, an unknown
field, a field removed, the apiVersion changed), and documents synthesized from every kind's schema
(required fields, then a random share of the optional ones) with broken variants of them too,
with both validators, normal and strict, at
Kubernetes 1.37 and 1.25, and prints the agreement on valid/invalid per kind
kubernetes-validate knows. Both validate the same data: the documents as chartroom's YAML
reader parsed them (passed to kubernetes-validate as JSON), so YAML reader differences
(PyYAML reads `2024-01-01` as a date) do not count.

kubernetes-validate and its dependencies are installed into a venv under target/ from the
wheels cached in target/kubernetes-validate (the pack script's cache; downloaded once with pip when missing;
no network afterwards). The chartroom side is the example `lint-docs` of crates/lint, built
with cargo into $CARGO_TARGET_DIR (default target/). Exit status 1 on any disagreement.
"""

import argparse
import collections
import copy
import functools
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, "target", "kubernetes-validate")  # shared with scripts/pack-schemas.py
VENV = os.path.join(ROOT, "target", "kubernetes-validate", "venv")
PKG = "kubernetes-validate==1.37.0"


def ensure_venv():
    py = os.path.join(VENV, "bin", "python3")
    if os.path.exists(py):
        ok = subprocess.run([py, "-c", "import kubernetes_validate"], capture_output=True)
        if ok.returncode == 0:
            return py
    if not glob.glob(os.path.join(CACHE, "kubernetes_validate-1.37.0-*.whl")) or \
            not glob.glob(os.path.join(CACHE, "jsonschema-*.whl")):
        os.makedirs(CACHE, exist_ok=True)
        print("downloading %s and its dependencies into %s" % (PKG, CACHE), file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", PKG, "-d", CACHE],
                       check=True)
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-index", "--find-links", CACHE, PKG],
                   check=True)
    return py


def build_linter():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "-q", "-p", "chartroom-lint", "--example", "lint-docs"],
                   cwd=ROOT, check=True)
    return os.path.join(target, "debug", "examples", "lint-docs")


def run_linter(binary, files, strict, kube):
    args = [binary, "--kube-version", kube] + (["--strict"] if strict else []) + files
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line]


# ---- the oracle side (runs inside the venv) ----

ORACLE = r'''
import functools, json, sys
import kubernetes_validate.utils as u
# Same function, file reads cached: kubernetes-validate re-reads _definitions.json per call.
u.schema_contents = functools.lru_cache(maxsize=None)(u.schema_contents)
mode, kube, strict = sys.argv[1], sys.argv[2], sys.argv[3] == "1"


def verdict(doc):
    try:
        u.validate(doc, kube, strict)
        return ["valid", ""]
    except u.ValidationError as e:
        return ["invalid", "/".join(str(p) for p in e.path) + ": " + e.message[:200]]
    except u.SchemaNotFoundError:
        return ["no-schema", ""]
    except Exception as e:
        return ["error", repr(e)[:200]]


if mode == "docs":
    out = [verdict(json.loads(line)) for line in sys.stdin]
else:
    # "files": read as kubernetes-validate's CLI reads them (PyYAML, empty documents dropped).
    out = {}
    for name in sys.argv[4:]:
        try:
            out[name] = [verdict(d) for d in u.resources_from_file(name)]
        except SystemExit as e:
            out[name] = str(e)[:200]
json.dump(out, sys.stdout)
'''


def end_to_end(py, binary, files, strict, show):
    """kubernetes-validate reading the files itself (PyYAML), as its CLI does, against
    chartroom reading them with Helm's YAML rules."""
    theirs = json.loads(subprocess.run([py, "-c", ORACLE, "files", "1.37", "1" if strict else "0"]
                                       + files, capture_output=True, text=True,
                                       check=True).stdout)
    ours = collections.defaultdict(list)
    for o in run_linter(binary, files, strict, "1.37"):
        if o["verdict"] != "skipped":
            ours[o["file"]].append(o)
    agree = total = misaligned = 0
    bad = []
    for f in files:
        t = theirs.get(f)
        if not isinstance(t, list) or len(t) != len(ours[f]):
            misaligned += 1
            bad.append("%s: kubernetes-validate read %s documents, chartroom %d"
                       % (os.path.basename(f), len(t) if isinstance(t, list) else t,
                          len(ours[f])))
            continue
        for o, (tv, tmsg) in zip(ours[f], t):
            if tv not in ("valid", "invalid"):
                continue
            total += 1
            if o["verdict"] == tv:
                agree += 1
            else:
                bad.append("%s#%s %s: chartroom %s %s / kubernetes-validate %s %s"
                           % (os.path.basename(f), o["document"], o.get("doc", {}).get("kind"),
                              o["verdict"], o["findings"][:1], tv, tmsg))
    print("\n== end to end (each reads the files itself), Kubernetes 1.37, %s: %d/%d agree "
          "(%.2f%%); %d files read into different document counts"
          % ("strict" if strict else "normal", agree, total,
             100.0 * agree / total if total else 100.0, misaligned))
    for b in bad[:show]:
        print("   " + b)


def run_oracle(py, docs, strict, kube):
    src = "".join(json.dumps(d) + "\n" for d in docs)
    res = subprocess.run([py, "-c", ORACLE, "docs", kube, "1" if strict else "0"], input=src,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# ---- broken variants ----

def leaves(v, path=()):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from leaves(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from leaves(x, path + (i,))
    else:
        yield path, v


def maps(v, path=()):
    if isinstance(v, dict):
        yield path, v
        for k, x in v.items():
            yield from maps(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from maps(x, path + (i,))


def at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


OTHER = [True, 12.5, 7, "text", [1], {"a": 1}, None]


def variants(doc, rng):
    out = []
    ls = [(p, v) for p, v in leaves(doc) if len(p) > 1 and p[0] not in ("apiVersion", "kind")]
    ms = [(p, m) for p, m in maps(doc)]
    # wrong type
    for _ in range(2):
        if ls:
            p, v = rng.choice(ls)
            d = copy.deepcopy(doc)
            choices = [o for o in OTHER if type(o) is not type(v)]
            at(d, p[:-1])[p[-1]] = rng.choice(choices)
            out.append(("wrong-type", d))
    # unknown field
    for _ in range(2):
        p, _m = rng.choice(ms)
        d = copy.deepcopy(doc)
        at(d, p)["chartroomUnknownField"] = "x"
        out.append(("unknown-field", d))
    # a field removed (a required one, or not)
    nonempty = [(p, m) for p, m in ms if m and p]
    for _ in range(2):
        if nonempty:
            p, m = rng.choice(nonempty)
            d = copy.deepcopy(doc)
            del at(d, p)[rng.choice(sorted(m))]
            out.append(("field-removed", d))
    # whole sections removed
    for key in ("spec", "metadata"):
        if key in doc:
            d = copy.deepcopy(doc)
            del d[key]
            out.append(("no-" + key, d))
    # an old apiVersion
    d = copy.deepcopy(doc)
    d["apiVersion"] = rng.choice(["extensions/v1beta1", "apps/v1beta2", "policy/v1beta1",
                                  "batch/v2alpha1", "networking.k8s.io/v1beta1"])
    out.append(("old-api", d))
    return out


# ---- documents synthesized from the schemas, one or more per kind ----

def wheel_schemas(version):
    """The kind schemas and definitions of one version, read from the cached wheel."""
    import zipfile
    wheels = glob.glob(os.path.join(CACHE, "kubernetes_validate-1.37.0-*.whl"))
    prefix = "kubernetes_validate/kubernetes-json-schema/v%s.0-local/" % version
    with zipfile.ZipFile(wheels[0]) as zf:
        defs = json.loads(zf.read(prefix + "_definitions.json"))["$defs"]
        kinds = []
        for n in sorted(zf.namelist()):
            if n.startswith(prefix) and not n.endswith(("_definitions.json", "all.json")):
                s = json.loads(zf.read(n))
                for gvk in s.get("x-kubernetes-group-version-kind", []):
                    kinds.append((gvk, s))
    return defs, kinds


def synthesize(schema, defs, rng, depth, fill):
    """A value of `schema`: required properties always, others with probability `fill`."""
    while "$ref" in schema:
        schema = defs[schema["$ref"].split("/")[-1]]
    if "oneOf" in schema:
        return synthesize(rng.choice(schema["oneOf"]), defs, rng, depth, fill)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    t = schema.get("type", "object")
    if isinstance(t, list):
        t = [x for x in t if x != "null"][0]
    if t == "object":
        out = {}
        props = schema.get("properties", {})
        for k, sub in sorted(props.items()):
            if k in schema.get("required", []) or (depth < 6 and rng.random() < fill):
                if depth < 12:
                    out[k] = synthesize(sub, defs, rng, depth + 1, fill)
        if not props and isinstance(schema.get("additionalProperties"), dict) and depth < 6:
            out["key"] = synthesize(schema["additionalProperties"], defs, rng, depth + 1, fill)
        return out
    if t == "array":
        items = schema.get("items", {})
        return [synthesize(items, defs, rng, depth + 1, fill)] if depth < 10 else []
    return {"string": "x", "integer": 3, "number": 1.5, "boolean": True}.get(t, None)


def synthetic_docs(rng):
    defs, kinds = wheel_schemas("1.37")
    out = []
    for gvk, schema in kinds:
        api = gvk["group"] + "/" + gvk["version"] if gvk["group"] else gvk["version"]
        for fill in (0.0, 0.4):
            d = synthesize(schema, defs, rng, 0, fill)
            d["apiVersion"], d["kind"] = api, gvk["kind"]
            d.setdefault("metadata", {})["name"] = "n"
            out.append(("synthetic", d))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", default=os.path.join(ROOT, "..", "shared", "golden"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N golden outputs")
    ap.add_argument("--show", type=int, default=15, help="disagreements to print")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--only", default="", help="comma-separated sets: golden, broken, "
                    "synthetic, synthetic-broken, end-to-end")
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.golden, "expected", "*.out")))
    if args.limit:
        files = files[:args.limit]
    if not files:
        print("no golden outputs under %s; nothing to compare" % args.golden)
        return 0
    py = ensure_venv()
    binary = build_linter()

    # The golden documents, deduplicated, as chartroom read them.
    lines = run_linter(binary, files, False, "1.37")
    seen, docs = set(), []
    for line in lines:
        if "doc" in line and isinstance(line["doc"], dict):
            key = json.dumps(line["doc"], sort_keys=True)
            if key not in seen:
                seen.add(key)
                docs.append(("golden", line["doc"]))
    rng = random.Random(args.seed)
    broken = []
    for _, d in docs:
        if isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str):
            broken.extend(variants(d, rng))
    synthetic = synthetic_docs(rng)
    broken_synthetic = []
    for _, d in synthetic:
        broken_synthetic.extend(variants(d, rng))
    print("%d golden outputs, %d documents (%d distinct), %d broken variants; "
          "%d documents synthesized from the schemas, %d broken variants of them"
          % (len(files), len(lines), len(docs), len(broken), len(synthetic),
             len(broken_synthetic)))

    total_bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        sets = [("golden", docs), ("broken", broken), ("synthetic", synthetic),
                ("synthetic-broken", broken_synthetic)]
        for set_name, items in sets:
            if args.only and set_name not in args.only.split(","):
                continue
            path = os.path.join(tmp, set_name + ".yaml")
            with open(path, "w") as f:
                for _, d in items:
                    f.write("---\n" + json.dumps(d) + "\n")
            for kube in ("1.37", "1.25"):
                for strict in (False, True):
                    ours = run_linter(binary, [path], strict, kube)
                    if len(ours) != len(items):
                        print("document count differs: %d vs %d" % (len(ours), len(items)))
                        return 1
                    theirs = run_oracle(py, [o.get("doc") for o in ours], strict, kube)
                    total_bad += report(set_name, kube, strict, items, ours, theirs, args.show)
    print("\n== per kind kubernetes-validate knows (all sets, versions and modes): "
          "agree/compared")
    for kind, (a, n) in sorted(ALL_KINDS.items()):
        print("   %-70s %6d/%-6d%s" % (kind, a, n, "" if a == n else "  <- DISAGREE"))
    print("\n== old-api variants (no schema for kubernetes-validate) that chartroom reports as "
          "removed apiVersions (deprecated-api error; the others are kinds the deprecation "
          "guide does not list for that apiVersion):")
    for (set_name, kube, strict), (named, n) in sorted(OLD_API.items()):
        print("   %-20s %s %-6s %d/%d" % (set_name, kube, "strict" if strict else "normal",
                                        named, n))
    print("TOTAL disagreements: %d" % total_bad)
    if not args.only or "end-to-end" in args.only.split(","):
        # Informative only (YAML reader differences are not validator disagreements).
        for strict in (False, True):
            end_to_end(py, binary, files, strict, args.show)
    return 1 if total_bad else 0


# (apiVersion kind) -> [agree, total] over every set, version and mode.
ALL_KINDS = collections.defaultdict(lambda: [0, 0])
# (set, kube, strict) -> (old-api variants with a deprecated-api error, old-api variants).
OLD_API = {}


def report(set_name, kube, strict, items, ours, theirs, show):
    per_kind = collections.defaultdict(lambda: [0, 0])
    per_variant = collections.Counter()
    verdicts = collections.Counter()
    bad = []
    for (variant, _), o, (tv, tmsg) in zip(items, ours, theirs):
        ov = o["verdict"]
        verdicts[(ov, tv)] += 1
        if tv not in ("valid", "invalid"):
            # kinds it does not know (no-schema) or documents it cannot read: ours must say
            # no-schema / no-head for the same documents.
            agree = (tv == "no-schema" and ov == "no-schema") or \
                (tv == "error" and ov in ("no-head", "invalid"))
            if not agree:
                bad.append((variant, o, tv, tmsg))
            continue
        kind = "%s %s" % (o["doc"].get("apiVersion"), o["doc"].get("kind"))
        per_kind[kind][1] += 1
        per_variant[variant] += 1
        if ov == tv:
            per_kind[kind][0] += 1
        else:
            bad.append((variant, o, tv, tmsg))
    # Old apiVersions: kubernetes-validate has no schema; ours names the removal (rule
    # deprecated-api, from the deprecation-guide table) where the table has the row.
    old = [o for (variant, _), o in zip(items, ours) if variant == "old-api"]
    if old:
        named = sum(1 for o in old if any(f.startswith("deprecated-api ") for f in o["findings"]))
        OLD_API[(set_name, kube, strict)] = (named, len(old))
    for kind, (a, n) in per_kind.items():
        ALL_KINDS[kind][0] += a
        ALL_KINDS[kind][1] += n
    known = sum(n for _, n in per_kind.values())
    agree = sum(a for a, _ in per_kind.values())
    print("\n== %s, Kubernetes %s, %s: %d/%d agree on valid/invalid (%.2f%%) over %d kinds; "
          "%d disagreements in all" % (set_name, kube, "strict" if strict else "normal", agree,
                                       known, 100.0 * agree / known if known else 100.0,
                                       len(per_kind), len(bad)))
    print("   verdicts (chartroom, kubernetes-validate): " +
          ", ".join("%s/%s %d" % (a, b, n) for (a, b), n in sorted(verdicts.items())))
    for kind, (a, n) in sorted(per_kind.items()):
        if a != n:
            print("   %-60s %d/%d" % (kind, a, n))
    for variant, o, tv, tmsg in bad[:show]:
        print("   DISAGREE %s %s#%s: chartroom %s %s / kubernetes-validate %s %s"
              % (variant, o.get("doc", {}).get("kind"), o["document"], o["verdict"],
                 o["findings"][:2], tv, tmsg))
    return len(bad)


if __name__ == "__main__":
    sys.exit(main())
