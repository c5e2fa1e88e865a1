#!/usr/bin/env bash
# README command 2: install what is missing, then run every check in order, stopping at the
# first failure: formatting, clippy, the Rust tests, the wasm build, the golden ratchet and the
# Chromium tests of the page. Works unattended (CI=true, no stdin).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

started=$SECONDS
step_started=$SECONDS
finish_step() {
  printf '  (%ss)\n' "$((SECONDS - step_started))"
  step_started=$SECONDS
}
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "\n==== FAILED (exit %s) after %ss ====\n" "$rc" "$((SECONDS - started))"; fi' EXIT

section "1/7 Set-up (installs only what is missing)"
ensure_build_tools
ensure_chromium
finish_step

section "2/7 cargo fmt --all --check"
cargo fmt --all --check
finish_step

section "3/7 cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
finish_step

section "4/7 cargo test --workspace"
cargo test --workspace
finish_step

section "5/7 wasm build (web/pkg, web/dist)"
build_site
finish_step

section "6/7 golden ratchet"
# GOLDEN HOOK: tests/golden.sh (owned by the golden-ratchet work) compares chartroom's output
# with the reference data in ../shared/golden. It is skipped, with a message, when either the
# script or the reference data is absent (e.g. in a clone without ../shared beside it).
if [ ! -f "$ROOT/tests/golden.sh" ]; then
  echo "skipped: tests/golden.sh does not exist yet"
elif [ ! -d "$ROOT/../shared/golden" ]; then
  echo "skipped: no reference data at $(cd "$ROOT/.." && pwd)/shared/golden"
else
  bash "$ROOT/tests/golden.sh"
fi
finish_step

section "7/7 Chromium tests (tests/browser)"
echo "(all earlier checks passed; $((SECONDS - started))s so far)"
# Its last line, "N passed, N failed", is the last line of the whole run.
node "$ROOT/tests/browser/run.mjs"
