#!/bin/sh
# Records the expected output (stdout, error, log lines) of every test chart from the real Helm
# (v4.3.1).
# Usage: tests/record.sh [HELM]   (default: helm on PATH). The test suite never runs this.
set -eu
HELM=${1:-helm}
cd "$(dirname "$0")/charts"
for dir in */; do
    dir=${dir%/}
    [ -f "$dir/args" ] || continue
    args=$(cat "$dir/args")
    set +e
    # shellcheck disable=SC2086
    (cd "$dir" && "$HELM" template $args >expected.out 2>expected.stderr)
    rc=$?
    set -e
    echo "$rc" >"$dir/expected.rc"
    # What Helm logs before its output or error (its --debug tracing, level=DEBUG, aside).
    sed -n '/^Error: /q;p' "$dir/expected.stderr" | grep -v '^level=DEBUG ' >"$dir/expected.log" || true
    if [ "$rc" -ne 0 ]; then
        : >"$dir/expected.out"
        sed -n '/^Error: /,$p' "$dir/expected.stderr" >"$dir/expected.err"
    else
        : >"$dir/expected.err"
    fi
    rm -f "$dir/expected.stderr"
    echo "$dir: rc=$rc"
done
