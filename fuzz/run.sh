#!/usr/bin/env bash
# Runs fuzz targets one after another (one fuzz process at a time), niced, with their seed
# corpora (python3 fuzz/seed.py), and prints libFuzzer's final statistics per target.
#
#   bash fuzz/run.sh TIME_OR_RUNS [TARGET...]
#     TIME_OR_RUNS: 120 (seconds, -max_total_time) or 10000000r (executions, -runs)
#
# Needs `cargo +nightly fuzz build -s none -a` first.
set -u
cd "$(dirname "$0")"
limit=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(template_parse template_exec yaml_read yaml_roundtrip set_parse archive schema lint diff)
# Where `cargo fuzz build` left the binaries: $FUZZ_BIN, else --target-dir $CARGO_TARGET_DIR/fuzz,
# else $CARGO_TARGET_DIR, else fuzz/target.
bin=${FUZZ_BIN:-}
for d in "${CARGO_TARGET_DIR:-/nonexistent}/fuzz" "${CARGO_TARGET_DIR:-/nonexistent}" target; do
  [ -n "$bin" ] && break
  [ -x "$d/x86_64-unknown-linux-gnu/release/${targets[0]}" ] && bin=$d/x86_64-unknown-linux-gnu/release
done
[ -n "$bin" ] || { echo "no fuzz binaries: run cargo +nightly fuzz build -s none -a first" >&2; exit 2; }
if [[ $limit == *r ]]; then stop="-runs=${limit%r}"; else stop="-max_total_time=$limit"; fi
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  max_len=8192
  [ "$t" = archive ] && max_len=65536
  start=$(date +%s)
  nice -n 10 "$bin/$t" "corpus/$t" "$stop" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1
  rc=$?
  end=$(date +%s)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
  crash=$(grep -m1 -E 'ERROR: libFuzzer|panicked at|SUMMARY' "logs/$t.log")
  echo "$t rc=$rc runs=${runs:-?} exec/s=${speed:-?} seconds=$((end - start)) ${crash:-no crash}"
done
