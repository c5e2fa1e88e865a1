#!/usr/bin/env python3
"""Runs `chartroom template --explain ARGS` for golden_check.py: provenance on, the output
(and Helm's error text) must stay identical. The excerpt --explain adds after Helm's error
(from the blank line before `Rendered FILE:`) is cut from stderr; it must follow the error.
Usage: explain-wrapper.py CHARTROOM template ARGS..."""
import subprocess
import sys

binary, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.run([binary, command, "--explain"] + args, capture_output=True)
sys.stdout.buffer.write(p.stdout)
err = p.stderr
cut = err.find(b"\n\nRendered ")
if cut >= 0:
    if b"Error: " not in err[:cut]:
        sys.stderr.write("explain-wrapper: an excerpt without an error before it\n")
        sys.exit(3)
    err = err[:cut] + b"\n"
sys.stderr.buffer.write(err)
sys.exit(p.returncode)
