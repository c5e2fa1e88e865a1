#!/usr/bin/env python3
"""Cost of provenance (issue 15): `chartroom template` with and without `--explain` (which
turns provenance on for the whole render) over the golden cases, whole processes, best of
--reps runs each, alternating; peak memory (max RSS) of each process.

Usage: python3 scripts/bench-provenance.py [--golden DIR] [--bin PATH] [--reps N] [--only SUBSTR]

Prints total time with and without, the ratio, the five cases where it costs most, and the
largest peak memory either way. Needs the release CLI (cargo build --release -p chartroom).
"""

import argparse
import os
import shlex
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, cwd):
    """Wall seconds and max RSS (KiB) of one process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", default=os.path.join(ROOT, "..", "shared", "golden"))
    ap.add_argument("--bin", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "chartroom"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    cases = []
    with open(os.path.join(a.golden, "cases.tsv")) as f:
        for line in f:
            cid, _, args = line.rstrip("\n").partition("\t")
            if cid and not cid.startswith("#") and a.only in cid:
                cases.append((cid, shlex.split(args)))
    rows = []
    for cid, args in cases:
        best = {False: (1e9, 0), True: (1e9, 0)}
        for _ in range(a.reps):
            for explain in (False, True):
                extra = ["--explain"] if explain else []
                t, rss = run([a.bin, "template"] + extra + args, a.golden)
                bt, brss = best[explain]
                best[explain] = (min(bt, t), max(brss, rss))
        rows.append((cid, best[False], best[True]))
    off = sum(r[1][0] for r in rows)
    on = sum(r[2][0] for r in rows)
    print(f"{len(rows)} cases, best of {a.reps}: provenance off {off:.2f} s, on {on:.2f} s "
          f"({on / off:.2f}x)")
    worst = sorted(rows, key=lambda r: r[2][0] - r[1][0], reverse=True)[:5]
    for cid, (t0, m0), (t1, m1) in worst:
        print(f"  {cid}: {t0 * 1000:.0f} ms -> {t1 * 1000:.0f} ms, "
              f"peak {m0 / 1024:.0f} -> {m1 / 1024:.0f} MB")
    m_off = max(r[1][1] for r in rows)
    m_on = max(r[2][1] for r in rows)
    print(f"largest peak memory: off {m_off / 1024:.0f} MB, on {m_on / 1024:.0f} MB")


if __name__ == "__main__":
    main()
