#!/usr/bin/env python3
"""chartroom diff over the golden charts (read in place from ../shared/golden).

1. No phantom changes: every chart, with its defaults and with its `__enabled` values, diffs
   clean against itself (exit 0, "No changes."), even charts that generate keys and passwords.
2. The same resources as Helm: for each chart whose default and `__enabled` renders both
   succeed in Helm's recorded outputs, the resources chartroom reports added and removed equal
   those found by comparing Helm's two recorded renders document by document.

Usage: tests/diff_golden.py GOLDEN_DIR CHARTROOM_BINARY   (exit 1 on any failure)
"""
import json
import os
import subprocess
import sys


def cases(golden):
    out = {}
    with open(os.path.join(golden, "cases.tsv")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            case, args = line.rstrip("\n").split("\t", 1)
            out[case] = args.split()
    return out


def identities(text, namespace):
    """(group, kind, namespace, name) of each document of a `helm template` output."""
    ids = set()
    for doc in text.split("\n---\n"):
        kind = name = ns = api = None
        in_meta = False
        for line in doc.splitlines():
            if line.startswith("kind: "):
                kind = line[6:].strip().strip('"')
            elif line.startswith("apiVersion: "):
                api = line[12:].strip().strip('"')
            elif line.startswith("metadata:"):
                in_meta = True
            elif in_meta and line.startswith("  name: ") and name is None:
                name = line[8:].strip().strip('"')
            elif in_meta and line.startswith("  namespace: ") and ns is None:
                ns = line[13:].strip().strip('"')
            elif line and not line.startswith(" ") and not line.startswith("#"):
                in_meta = False
        if kind and name:
            group = api.rsplit("/", 1)[0] if api and "/" in api else ""
            ids.add((group, kind, ns or namespace, name))
    return ids


def main():
    golden, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    all_cases = cases(golden)
    failures = []
    clean = total = 0
    agree = compared = 0
    for case, args in sorted(all_cases.items()):
        if case.endswith("__enabled") or case.endswith("__flags"):
            continue
        release, chart = args[0], args[1]
        variants = [("defaults", "", "")]
        enabled = f"{case}__enabled"
        if enabled in all_cases:
            values = all_cases[enabled][all_cases[enabled].index("-f") + 1]
            variants.append(("enabled", values, values))
        for label, old, new in variants:
            r = subprocess.run([binary, "diff", release, chart, old, new],
                               cwd=golden, capture_output=True, text=True)
            if r.returncode == 2:
                continue  # the chart does not render with these values (as in Helm)
            total += 1
            if r.returncode == 0 and r.stdout.strip() == "No changes.":
                clean += 1
            else:
                failures.append(f"{case} ({label}) against itself: exit {r.returncode}\n{r.stdout[:2000]}")
        # Added/removed resources: defaults -> __enabled, against Helm's recorded renders.
        if enabled not in all_cases:
            continue
        rc = [open(os.path.join(golden, "expected", f"{c}.rc")).read().strip() for c in (case, enabled)]
        if rc != ["0", "0"]:
            continue
        old_out = open(os.path.join(golden, "expected", f"{case}.out")).read()
        new_out = open(os.path.join(golden, "expected", f"{enabled}.out")).read()
        values = all_cases[enabled][all_cases[enabled].index("-f") + 1]
        r = subprocess.run([binary, "diff", release, chart, "", values, "--output", "json"],
                           cwd=golden, capture_output=True, text=True)
        if r.returncode not in (0, 1):
            failures.append(f"{case}: defaults -> enabled failed: {r.stderr[:500]}")
            continue
        report = json.loads(r.stdout)
        got_added = {(c["apiVersion"].rsplit("/", 1)[0] if "/" in c["apiVersion"] else "", c["kind"], c["namespace"], c["name"])
                     for c in report["changes"] if c["change"] == "added"}
        got_removed = {(c["apiVersion"].rsplit("/", 1)[0] if "/" in c["apiVersion"] else "", c["kind"], c["namespace"], c["name"])
                       for c in report["changes"] if c["change"] == "removed"}
        helm_old, helm_new = identities(old_out, "default"), identities(new_out, "default")
        compared += 1
        if got_added == helm_new - helm_old and got_removed == helm_old - helm_new:
            agree += 1
        else:
            failures.append(
                f"{case}: added/removed differ from Helm's renders:\n"
                f"  chartroom added-only {sorted(got_added - (helm_new - helm_old))}\n"
                f"  helm added-only {sorted((helm_new - helm_old) - got_added)}\n"
                f"  chartroom removed-only {sorted(got_removed - (helm_old - helm_new))}\n"
                f"  helm removed-only {sorted((helm_old - helm_new) - got_removed)}")
    for f in failures:
        print(f)
    print(f"diff: {clean}/{total} golden renders diff clean against themselves")
    print(f"diff: {agree}/{compared} golden charts: added/removed resources as in Helm's renders")
    sys.exit(1 if failures else 0)


main()
