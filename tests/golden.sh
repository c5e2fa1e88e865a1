#!/bin/sh
# Golden ratchet: renders every case of ../shared/golden with the release binary and fails if
# fewer cases are identical to Helm than the floor recorded in tests/golden-floor.txt.
# Usage (from anywhere): tests/golden.sh [-v]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
golden="$root/../shared/golden"
if [ ! -d "$golden" ]; then
    echo "golden: $golden not found; skipping the golden ratchet (needs ../shared beside the checkout)"
    exit 0
fi
target=${CARGO_TARGET_DIR:-$root/target}
(cd "$root" && cargo build --release -q -p chartroom --bin chartroom)
floor=$(tr -dc '0-9' <"$root/tests/golden-floor.txt")
set +e
out=$(python3 "$root/../shared/tools/golden_check.py" "$@" "$golden" -- "$target/release/chartroom")
set -e
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | grep 'identical to Helm' | tail -n 1)
n=${line%%/*}
echo "golden: $n identical (floor $floor)"
if [ "$n" -lt "$floor" ]; then
    echo "golden: FAILED, below the floor of $floor" >&2
    exit 1
fi

# The same cases with provenance on (`--explain`): recording where each line came from must
# not change a byte of the output or of Helm's error text.
set +e
out=$(python3 "$root/../shared/tools/golden_check.py" "$@" "$golden" -- python3 "$root/tests/explain-wrapper.py" "$target/release/chartroom")
set -e
line=$(printf '%s\n' "$out" | grep 'identical to Helm' | tail -n 1)
n=${line%%/*}
echo "golden with provenance on (--explain): $n identical (floor $floor)"
if [ "$n" -lt "$floor" ]; then
    printf '%s\n' "$out" | tail -n 20
    echo "golden: FAILED with provenance on, below the floor of $floor" >&2
    exit 1
fi
