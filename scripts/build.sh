#!/usr/bin/env bash
# Builds everything: the native core and its doctest suite (g++), the same suite and the
# libFuzzer targets under AddressSanitizer and UndefinedBehaviorSanitizer (clang), the
# WASM modules and the same suite as WASM (Emscripten), the JS API into dist/, the
# embeddable and offline builds of the site, and the benchmark's peak probe.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j "$jobs"

cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
  -DATTENTION_LAB_SANITIZE=ON >/dev/null
cmake --build build/sanitize -j "$jobs"

# Emscripten's optimizer needs Debian's acorn.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j "$jobs"

# The site's bundle for embedding (dist/web/) and the single-file offline copy.
node scripts/build-web.mjs
node scripts/build-offline.mjs

bash bench/build.sh
echo "build: ok ($(stat -c %s dist/attention-core.wasm) bytes dist/attention-core.wasm)"
