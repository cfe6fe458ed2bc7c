#!/usr/bin/env bash
# Runs fuzz targets for as long as wanted:
#   bash scripts/fuzz.sh <target> [seconds]   one target (npm run fuzz -- <target> <seconds>)
#   bash scripts/fuzz.sh all [seconds]        every target, one after the other
#   bash scripts/fuzz.sh                      lists the targets
# Seconds default to 60. Native targets (tests/fuzz/<name>_fuzz.cpp) are libFuzzer
# programs with ASan and UBSan, built by scripts/build.sh as build/sanitize/fuzz_<name>;
# their corpus grows in build/fuzz-corpus/<name>/, seeded by tests/fuzz/corpus/<name>/
# (inputs that once failed, kept as regressions), and a crashing input is saved in
# build/fuzz-crashes/<name>/ (replay: build/sanitize/fuzz_<name> <file>). JS targets
# (tests/fuzz/<name>.fuzz.mjs) run under Node. FUZZ_SEED=<n> fixes the seed.
# Each run prints "fuzz <name>: <n> executions in <s> s".
set -euo pipefail
cd "$(dirname "$0")/.."

native=$(find tests/fuzz -name '*_fuzz.cpp' -printf '%f\n' | sed 's/_fuzz\.cpp$//' | sort | tr '\n' ' ')
script=$(find tests/fuzz -name '*.fuzz.mjs' -printf '%f\n' | sed 's/\.fuzz\.mjs$//' | sort | tr '\n' ' ')
targets=$(echo $native $script)

run_target() {
  local name=$1 seconds=$2
  if [ -f "tests/fuzz/$name.fuzz.mjs" ]; then
    node "tests/fuzz/$name.fuzz.mjs" "$seconds"
    return
  fi
  local binary="build/sanitize/fuzz_$name"
  [ -x "$binary" ] || { echo "fuzz: $binary is missing: run bash scripts/build.sh" >&2; exit 1; }
  mkdir -p "build/fuzz-corpus/$name" "build/fuzz-crashes/$name"
  local log
  log=$(mktemp)
  local status=0
  local seeds=()
  [ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
  "$binary" "build/fuzz-corpus/$name" "${seeds[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -artifact_prefix="build/fuzz-crashes/$name/" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    echo "fuzz $name: FAILED (input saved in build/fuzz-crashes/$name/)" >&2
    exit "$status"
  fi
  sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/fuzz '"$name"': \1 executions in \2 s (libFuzzer, ASan + UBSan)/p' "$log"
  rm -f "$log"
}

target=${1:-}
seconds=${2:-60}
if [ -z "$target" ]; then
  echo "fuzz targets: $targets"
  echo "usage: bash scripts/fuzz.sh <target|all> [seconds]"
elif [ "$target" = all ]; then
  for name in $targets; do run_target "$name" "$seconds"; done
elif [[ " $targets " == *" $target "* ]]; then
  run_target "$target" "$seconds"
else
  echo "fuzz: no target '$target'; the targets are: $targets" >&2
  exit 1
fi
