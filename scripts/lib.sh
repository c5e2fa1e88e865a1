# Shared helpers for scripts/serve.sh and scripts/test.sh (sourced, not run).
#
# wasm-pack.toml declares the build configuration, but wasm-pack downloads wasm-bindgen and
# wasm-opt binaries from outside the package registries, which this environment cannot reach.
# So these scripts do wasm-pack's steps directly: cargo build for wasm32-unknown-unknown,
# wasm-bindgen (installed from crates.io at the exact version in Cargo.lock), and wasm-opt
# (from the npm package binaryen).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WEB_DIR="$ROOT/web"
PKG_DIR="$WEB_DIR/pkg"
DIST_DIR="$WEB_DIR/dist"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_PROGRESS_WHEN=never
export DEBIAN_FRONTEND=noninteractive

section() {
  printf '\n==== %s ====\n' "$*"
}

note() {
  printf '  -> %s\n' "$*"
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root for: $* (install it by hand or rerun as root)"
  fi
}

ensure_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    note "rust target wasm32-unknown-unknown: installed"
  else
    note "installing rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen version the workspace resolves (Cargo.lock; created/updated if needed).
wasm_bindgen_version() {
  # `cargo metadata` adds missing entries to Cargo.lock without touching the others.
  (cd "$ROOT" && cargo metadata --format-version 1 >/dev/null && cargo pkgid -p wasm-bindgen) |
    sed -E 's/.*[#@]//'
}

ensure_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "could not find wasm-bindgen's version in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" = "$want" ]; then
    note "wasm-bindgen $want: installed"
    return
  fi
  note "installing wasm-bindgen-cli $want (was: ${have:-none}); this compiles for a few minutes"
  if ! cargo install wasm-bindgen-cli --version "$want" --locked; then
    # A yanked crate in the CLI's own lockfile makes --locked fail; resolve afresh instead.
    note "--locked install failed; retrying without --locked"
    cargo install wasm-bindgen-cli --version "$want"
  fi
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$have" = "$want" ] || die "wasm-bindgen on PATH is ${have:-missing}, expected $want"
}

ensure_chromium() {
  if [ -x "$CHROMIUM" ]; then
    note "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present)"
    return
  fi
  note "installing Debian's chromium"
  as_root apt-get update -q
  as_root apt-get install -y -q chromium fonts-dejavu-core
  [ -x "$CHROMIUM" ] || die "chromium did not install at $CHROMIUM"
}

# npm packages (playwright-core, binaryen) from the committed lockfile.
ensure_node_modules() {
  command -v node >/dev/null 2>&1 || die "node is not installed"
  command -v npm >/dev/null 2>&1 || die "npm is not installed"
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$ROOT/package-lock.json" -nt "$stamp" ] &&
    [ -d "$ROOT/node_modules/playwright-core" ]; then
    note "node_modules: up to date"
    return
  fi
  note "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

# The page's editor (CodeMirror 6) and its bundler (esbuild), from web/package-lock.json.
ensure_web_node_modules() {
  local stamp="$WEB_DIR/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$WEB_DIR/package-lock.json" -nt "$stamp" ] &&
    [ -d "$WEB_DIR/node_modules/esbuild" ]; then
    note "web/node_modules: up to date"
    return
  fi
  note "npm ci (web/)"
  (cd "$WEB_DIR" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_node_modules
  ensure_web_node_modules
  ensure_wasm_bindgen
}

# Builds the wasm module into web/pkg/, assembles the static site in web/dist/ and the npm
# package `chartroom` in web/npm/ (both from the same optimised .wasm).
build_site() {
  # The size-optimised profile (Cargo.toml `wasm-release`; docs/notes/perf.md, "wasm").
  local wasm="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/chartroom_wasm.wasm"
  note "cargo build --profile wasm-release --target wasm32-unknown-unknown -p chartroom-wasm"
  (cd "$ROOT" && cargo build --profile wasm-release --target wasm32-unknown-unknown -p chartroom-wasm)
  [ -f "$wasm" ] || die "missing $wasm"
  note "wasm-bindgen --target web -> web/pkg/"
  rm -rf "$PKG_DIR"
  # With TypeScript declarations: the npm package ships them (the page's copy leaves them out).
  wasm-bindgen --target web --out-dir "$PKG_DIR" "$wasm"
  if [ "${CHARTROOM_SKIP_WASM_OPT:-0}" != 1 ] && command -v wasm-opt >/dev/null 2>&1; then
    note "wasm-opt -Oz ($(command -v wasm-opt))"
    local bg="$PKG_DIR/chartroom_wasm_bg.wasm"
    # The features Rust enables by default for wasm32-unknown-unknown, and SIMD (the key
    # arithmetic, crates/funcs/src/rsagen/mont28.rs).
    if wasm-opt -Oz --enable-bulk-memory --enable-mutable-globals --enable-sign-ext --enable-simd \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
      "$bg" -o "$bg.opt"; then
      mv "$bg.opt" "$bg"
    else
      rm -f "$bg.opt"
      note "wasm-opt failed; keeping the unoptimised module"
    fi
  else
    note "wasm-opt skipped"
  fi
  note "assembling web/dist/"
  node "$ROOT/scripts/build-web.mjs"
  note "assembling the npm package in web/npm/"
  node "$ROOT/scripts/build-npm.mjs"
}
