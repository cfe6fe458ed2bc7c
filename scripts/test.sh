#!/usr/bin/env bash
# Every test: the core's doctest suite natively (SIMD and plain builds), under ASan and
# UBSan, and as WASM under Node; the JS API, browser end-to-end and packaging tests
# (node:test); then a short pass of every fuzz target (scripts/fuzz.sh runs longer ones).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== core, native (ctest)"
ctest --test-dir build/native --output-on-failure

echo "== core, native under AddressSanitizer and UndefinedBehaviorSanitizer"
for variant in core_tests core_tests_plain; do
  log=$(ASAN_OPTIONS=detect_leaks=1 "build/sanitize/$variant" --no-colors=true 2>&1) || { echo "$log"; exit 1; }
  echo "$variant: $(echo "$log" | grep -E '^\[doctest\] (test cases|assertions)' | tr -s ' ' | paste -sd ';')"
done

echo "== core, WASM under Node"
node build/wasm/core_tests.cjs --no-colors=true

echo "== JS API, browser end-to-end, packaging (node --test)"
mapfile -t files < <(find tests/js tests/e2e tests/package -name '*.test.mjs' 2>/dev/null | sort)
node --test --test-concurrency=1 "${files[@]}"

echo "== fuzz targets, a short pass each (seed 1)"
FUZZ_SEED=1 bash scripts/fuzz.sh all "${FUZZ_SECONDS:-4}"
