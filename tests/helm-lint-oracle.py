#!/usr/bin/env python3
"""Agreement of chartroom's Helm checks (findings with rule "helm") with the real `helm lint`.

Usage: python3 tests/helm-lint-oracle.py [-v] [--golden DIR] [--only SUBSTR] [--bin PATH]
                                         [--helm PATH] [--jobs N] [--no-cache] [--args ARGS]

For every golden chart (../shared/golden/charts/*.tgz, read in place), with its default values
and with `-f values/<chart>__enabled.yaml` when that file exists, runs `helm lint` (Helm
v4.3.1, the oracle; its output is cached in $CARGO_TARGET_DIR/helm-lint-oracle/ since neither
Helm nor the charts change) and `chartroom lint --output json`, parses Helm's
`[INFO|WARNING|ERROR] text` lines (continuation lines joined with a newline, trailing blank
lines dropped) and compares them, in order, with the findings whose rule is "helm"
(severity and message). Prints `helm lint: N/M charts identical`, and with -v each differing
case with both lists. Exit status 1 on any difference. `--args "--namespace prod
--kube-version 1.29.3"` adds flags to both commands (cached apart).

One normalization: for a packaged chart Helm names the chart directory by the random
temporary folder it extracts the archive to (`/tmp/helm-lint123/argo-cd`); chartroom names it
by the chart's name (`argo-cd`), so the temporary folder prefix is removed from Helm's text.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
TAG = re.compile(r"^\[(INFO|WARNING|ERROR)\] (.*)$")
TMP = re.compile(r"/tmp/helm-lint\d+/")


def parse_helm(stdout):
    lines = stdout.split("\n")
    if lines and lines[0].startswith("==> Linting"):
        lines = lines[1:]
    while lines and (lines[-1] == "" or re.match(r"^\d+ chart\(s\) linted", lines[-1])):
        lines.pop()
    out = []
    for line in lines:
        m = TAG.match(line)
        if m:
            out.append([m.group(1).lower(), TMP.sub("", m.group(2))])
        elif out:
            out[-1][1] += "\n" + line
    return [(sev, msg.rstrip("\n")) for sev, msg in out]


def helm_case(helm, golden, chart, values, cache, extra):
    key = os.path.basename(chart)[:-4] + ("__enabled" if values else "")
    if extra:
        key += "__" + re.sub(r"[^A-Za-z0-9.=-]+", "_", " ".join(extra))
    path = os.path.join(cache, key + ".txt") if cache else None
    if path and os.path.exists(path):
        with open(path) as f:
            return f.read()
    args = [helm, "lint", chart] + (["-f", values] if values else []) + extra
    r = subprocess.run(args, cwd=golden, capture_output=True, text=True)
    if path:
        with open(path, "w") as f:
            f.write(r.stdout)
    return r.stdout


def chartroom_case(binary, golden, chart, values, extra):
    args = [binary, "lint", chart, "--output", "json"] + (["-f", values] if values else [])
    args += extra
    r = subprocess.run(args, cwd=golden, capture_output=True, text=True)
    try:
        report = json.loads(r.stdout)
    except ValueError:
        return None, r.stderr.strip()
    found = [(f["severity"], f["message"]) for f in report["findings"] if f["rule"] == "helm"]
    return found, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--golden", default=os.path.join(ROOT, "..", "shared", "golden"))
    ap.add_argument("--only", default="")
    ap.add_argument("--bin", default=os.path.join(TARGET, "debug", "chartroom"))
    ap.add_argument("--helm", default="helm")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--args", default="")
    a = ap.parse_args()
    extra = a.args.split()
    golden = os.path.abspath(a.golden)
    cache = None
    if not a.no_cache:
        cache = os.path.join(TARGET, "helm-lint-oracle")
        os.makedirs(cache, exist_ok=True)
    cases = []
    for name in sorted(os.listdir(os.path.join(golden, "charts"))):
        if not name.endswith(".tgz") or a.only not in name:
            continue
        chart = "charts/" + name
        cases.append((chart, None))
        enabled = "values/%s__enabled.yaml" % name[:-4]
        if os.path.exists(os.path.join(golden, enabled)):
            cases.append((chart, enabled))

    def run(case):
        chart, values = case
        want = parse_helm(helm_case(a.helm, golden, chart, values, cache, extra))
        got, err = chartroom_case(a.bin, golden, chart, values, extra)
        return case, want, got, err

    same = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for (chart, values), want, got, err in ex.map(run, cases):
            if got == want:
                same += 1
                continue
            if a.v:
                print("== %s%s" % (chart, " -f " + values if values else ""))
                if err is not None:
                    print("  chartroom failed: %s" % err)
                for sev, msg in want:
                    if got is None or (sev, msg) not in got:
                        print("  - helm      [%s] %s" % (sev.upper(), msg))
                for sev, msg in got or []:
                    if (sev, msg) not in want:
                        print("  + chartroom [%s] %s" % (sev.upper(), msg))
                if got is not None and sorted(got) == sorted(want):
                    print("  (same findings, different order)")
    print("helm lint: %d/%d charts identical" % (same, len(cases)))
    return 0 if same == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
