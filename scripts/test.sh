#!/usr/bin/env bash
# README command 2: install what is missing, then run every check in order, stopping at the
# first failure: formatting, clippy, the Rust tests, the wasm build (page and npm package), the
# golden ratchet, the Node tests of the npm package and the Chromium tests of the page. Works
# unattended (CI=true, no stdin).
#
# `bash scripts/test.sh --web` runs only the set-up, the wasm build and the Chromium tests
# (a quick loop for work on the page); CI and the README command run everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

web_only=0
case "${1:-}" in
  "") ;;
  --web) web_only=1 ;;
  *) die "usage: bash scripts/test.sh [--web]" ;;
esac

started=$SECONDS
step_started=$SECONDS
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "\n==== FAILED (exit %s) after %ss ====\n" "$rc" "$((SECONDS - started))"; fi' EXIT

# step "N/8 title" command...: a header, the command, its duration; set -e stops on failure.
step() {
  section "$1"
  shift
  "$@"
  printf '  (%ss)\n' "$((SECONDS - step_started))"
  step_started=$SECONDS
}

setup() {
  ensure_build_tools
  ensure_chromium
}

# GOLDEN HOOK: tests/golden.sh (owned by the golden-ratchet work) compares chartroom's output
# with the reference data in ../shared/golden. Skipped, with a message, when the script or the
# reference data is absent (e.g. a clone without ../shared beside it).
golden() {
  if [ ! -f "$ROOT/tests/golden.sh" ]; then
    echo "skipped: tests/golden.sh does not exist yet"
  elif [ ! -d "$ROOT/../shared/golden" ]; then
    echo "skipped: no reference data at $(cd "$ROOT/.." && pwd)/shared/golden"
  else
    bash "$ROOT/tests/golden.sh"
    # chartroom diff over the same charts: no phantom changes, and the resources Helm's own
    # renders add and remove.
    python3 "$ROOT/tests/diff_golden.py" "$ROOT/../shared/golden" "$TARGET_DIR/release/chartroom"
  fi
}

step "1/8 Set-up (installs only what is missing)" setup
if [ "$web_only" = 0 ]; then
  step "2/8 cargo fmt --all --check" cargo fmt --all --check
  step "3/8 cargo clippy --workspace --all-targets -- -D warnings" \
    cargo clippy --workspace --all-targets -- -D warnings
  step "4/8 cargo test --workspace" cargo test --workspace
fi
step "5/8 wasm build (web/pkg, web/dist, web/npm)" build_site
if [ "$web_only" = 0 ]; then
  step "6/8 golden ratchet" golden
  # After the golden step, which builds the release CLI the package is compared with.
  step "7/8 npm package tests (tests/npm, Node)" node "$ROOT/tests/npm/run.mjs"
fi
section "8/8 Chromium tests (tests/browser)"
echo "(all earlier steps passed in $((SECONDS - started))s)"
# Its last line, "N passed, N failed", is the last line of the whole run.
node "$ROOT/tests/browser/run.mjs"
