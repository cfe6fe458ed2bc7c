#!/usr/bin/env bash
# Every test: the core's doctest suite natively (SIMD and plain builds) and as WASM under
# Node, then the JS API, browser end-to-end and packaging tests (node:test).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== core, native (ctest)"
ctest --test-dir build/native --output-on-failure

echo "== core, WASM under Node"
node build/wasm/core_tests.cjs --no-colors=true

echo "== JS API, browser end-to-end, packaging (node --test)"
mapfile -t files < <(find tests/js tests/e2e tests/package -name '*.test.mjs' 2>/dev/null | sort)
node --test --test-concurrency=1 "${files[@]}"
