#!/usr/bin/env bash
# Builds everything: the native core and its doctest suite (g++), the WASM modules and
# the same suite as WASM (Emscripten), the JS API into dist/, and the benchmark probes.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j "$jobs"

# Emscripten's optimizer needs Debian's acorn.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j "$jobs"

if [ -f bench/build.sh ]; then
  bash bench/build.sh
fi
echo "build: ok ($(stat -c %s dist/attention-core.wasm) bytes dist/attention-core.wasm)"
