#!/usr/bin/env python3
"""Packs the Kubernetes JSON schemas of the PyPI package kubernetes-validate 1.37.0 into the
compact per-version schema packs that chartroom-lint loads (crates/lint/packs/).

Usage: python3 scripts/pack-schemas.py [--wheel FILE] [--cache DIR] [--out DIR] [--check]

The wheel is read from --wheel, else from the cache folder (default: target/kubernetes-validate
under the repository root, outside the tracked tree), where it is downloaded first with
`pip download --no-deps kubernetes-validate==1.37.0` when missing. --check rebuilds the packs in
memory and fails when the committed ones differ.

Pack format (JSON, gzip, deterministic): see docs/notes/lint.md. In short, one pack per
Kubernetes minor version carries both the normal and the strict schemas:
  {"format": "chartroom-schema-pack/1", "kubeVersion": "1.37",
   "defs":  {definition name: node},      # _definitions.json's $defs, once
   "kinds": {file stem: node}}             # one entry per schema file (deployment-apps-v1)
A node is a JSON-schema object reduced to the keywords validation reads (type, enum, required,
properties, additionalProperties, items, oneOf, anyOf, allOf, format, $ref = a definition
name); `"sc": 1` marks a node the strict schemas close with additionalProperties: false.
1.37 is complete; every other version is a delta against it:
  {"format": ..., "kubeVersion": "1.25", "base": "1.37",
   "defs": {changed or added}, "kinds": {changed or added},
   "removedDefs": [...], "removedKinds": [...]}
"""

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import zipfile

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
WHEEL = "kubernetes_validate-1.37.0-py3-none-any.whl"
FORMAT = "chartroom-schema-pack/1"
BASE = "1.37"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREFIX = "kubernetes_validate/kubernetes-json-schema/"

# Keywords that validation reads, and the annotations dropped (they change no verdict).
KEPT = {"type", "enum", "required", "properties", "additionalProperties", "items", "oneOf",
        "anyOf", "allOf", "format", "$ref"}
DROPPED = {"description", "$schema", "$id", "x-kubernetes-group-version-kind",
           "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
           "x-kubernetes-patch-merge-key", "x-kubernetes-patch-strategy", "x-kubernetes-unions"}
REF = re.compile(r"^(?:/api/_definitions\.json)?#/\$defs/(.+)$")


def fail(msg):
    sys.stderr.write("pack-schemas: %s\n" % msg)
    sys.exit(1)


def find_wheel(args):
    if args.wheel:
        if not os.path.isfile(args.wheel):
            fail("no such wheel: %s" % args.wheel)
        return args.wheel
    cache = args.cache or os.path.join(ROOT, "target", "kubernetes-validate")
    path = os.path.join(cache, WHEEL)
    if not os.path.isfile(path):
        os.makedirs(cache, exist_ok=True)
        print("downloading %s==%s into %s" % (PACKAGE, PACKAGE_VERSION, cache), file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "%s==%s" % (PACKAGE, PACKAGE_VERSION), "-d", cache], check=True)
        if not os.path.isfile(path):
            fail("pip did not produce %s" % path)
    return path


def node(schema, strict, where):
    """The packed form of one schema node; `strict` is the same node from the strict tree."""
    if not isinstance(schema, dict) or not isinstance(strict, dict):
        fail("%s: schema is not an object" % where)
    out = {}
    for key, val in schema.items():
        if key in DROPPED:
            continue
        if key not in KEPT:
            fail("%s: keyword %r is not supported by the pack format" % (where, key))
        if key == "$ref":
            m = REF.match(val)
            if not m:
                fail("%s: unsupported $ref %r" % (where, val))
            out["$ref"] = m.group(1)
        elif key == "properties":
            sp = strict.get("properties", {})
            if set(sp) != set(val):
                fail("%s: strict properties differ" % where)
            out[key] = {k: node(v, sp[k], where + "/" + k) for k, v in sorted(val.items())}
        elif key in ("items", "additionalProperties") and isinstance(val, dict):
            out[key] = node(val, strict.get(key), where + "/" + key)
        elif key in ("oneOf", "anyOf", "allOf"):
            sv = strict.get(key)
            if not isinstance(sv, list) or len(sv) != len(val):
                fail("%s: strict %s differs" % (where, key))
            out[key] = [node(a, b, "%s/%s/%d" % (where, key, i))
                        for i, (a, b) in enumerate(zip(val, sv))]
        else:
            if key in ("items",):
                fail("%s: items must be a schema" % where)
            if strict.get(key) != val:
                fail("%s: strict %s differs" % (where, key))
            out[key] = val
    # The strict tree may only add `additionalProperties: false`.
    for key in strict:
        if key in schema or key in DROPPED:
            continue
        if key == "additionalProperties" and strict[key] is False:
            out["sc"] = 1
        else:
            fail("%s: strict adds %r" % (where, key))
    return out


def read_version(zf, names, version):
    normal = PREFIX + "v%s.0-local/" % version
    strict = PREFIX + "v%s.0-local-strict/" % version
    files = sorted(n[len(normal):] for n in names if n.startswith(normal) and n.endswith(".json"))
    strict_files = sorted(n[len(strict):] for n in names
                          if n.startswith(strict) and n.endswith(".json"))
    if files != strict_files:
        fail("%s: normal and strict file sets differ" % version)
    defs, kinds = {}, {}
    for f in files:
        a = json.loads(zf.read(normal + f))
        b = json.loads(zf.read(strict + f))
        if f == "_definitions.json":
            da, db = a.get("$defs", {}), b.get("$defs", {})
            if set(da) != set(db):
                fail("%s: strict definitions differ" % version)
            for name in sorted(da):
                defs[name] = node(da[name], db[name], "%s/%s" % (version, name))
        elif f == "all.json":
            # kubernetes-validate looks files up as `<kind>-<group>-<version>.json`;
            # all.json (a oneOf of every kind) is never reached.
            continue
        else:
            kinds[f[:-len(".json")]] = node(a, b, "%s/%s" % (version, f))
    return defs, kinds


def dump(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buf, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def delta(version, full, base):
    out = {"format": FORMAT, "kubeVersion": version, "base": BASE}
    for part, removed in (("defs", "removedDefs"), ("kinds", "removedKinds")):
        mine, theirs = full[part], base[part]
        out[part] = {k: v for k, v in mine.items() if theirs.get(k) != v}
        out[removed] = sorted(k for k in theirs if k not in mine)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel")
    ap.add_argument("--cache")
    ap.add_argument("--out", default=os.path.join(ROOT, "crates", "lint", "packs"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    with zipfile.ZipFile(find_wheel(args)) as zf:
        names = zf.namelist()
        versions = sorted({m.group(1) for m in (re.match(PREFIX + r"v(\d+\.\d+)\.0-local/", n)
                                                 for n in names) if m},
                          key=lambda v: tuple(int(x) for x in v.split(".")))
        if BASE not in versions:
            fail("the wheel has no %s schemas" % BASE)
        packs = {}
        for v in versions:
            defs, kinds = read_version(zf, names, v)
            packs[v] = {"format": FORMAT, "kubeVersion": v, "defs": defs, "kinds": kinds}

    outputs = {}
    for v in versions:
        body = packs[v] if v == BASE else delta(v, packs[v], packs[BASE])
        outputs["k8s-%s.json.gz" % v] = gz(dump(body))

    total = 0
    print("%-8s %6s %6s %10s %10s" % ("version", "defs", "kinds", "pack gz", "loaded gz"))
    for v in versions:
        name = "k8s-%s.json.gz" % v
        size = len(outputs[name])
        total += size
        loaded = size if v == BASE else size + len(outputs["k8s-%s.json.gz" % BASE])
        print("%-8s %6d %6d %10d %10d" % (v, len(packs[v]["defs"]), len(packs[v]["kinds"]),
                                          size, loaded))
        # A self-contained pack of the same version, for comparison with the target.
    print("total committed: %d bytes (%d files)" % (total, len(outputs)))

    if args.check:
        stale = [n for n, data in outputs.items()
                 if not os.path.isfile(os.path.join(args.out, n))
                 or open(os.path.join(args.out, n), "rb").read() != data]
        if stale:
            fail("packs out of date: %s (run python3 scripts/pack-schemas.py)" % ", ".join(stale))
        print("packs up to date")
        return
    os.makedirs(args.out, exist_ok=True)
    for n in os.listdir(args.out):
        if n.startswith("k8s-") and n.endswith(".json.gz") and n not in outputs:
            os.remove(os.path.join(args.out, n))
    for n, data in outputs.items():
        with open(os.path.join(args.out, n), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
