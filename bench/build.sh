#!/usr/bin/env bash
# Builds the benchmark's own WebAssembly: the peak-FLOP probe (bench/peak.wat).
# Called by scripts/build.sh when present; output goes to build/bench/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/build/bench"
mkdir -p "$out"
if ! command -v wat2wasm >/dev/null 2>&1; then
  echo "bench/build.sh: wat2wasm not found (Debian package 'wabt')" >&2
  exit 1
fi
wat2wasm --enable-simd "$here/peak.wat" -o "$out/peak.wasm" 2>/dev/null || wat2wasm "$here/peak.wat" -o "$out/peak.wasm"
# Round-trip check: the loop body must still hold 24 f32x4.mul and 24 f32x4.add.
if command -v wasm2wat >/dev/null 2>&1; then
  wasm2wat "$out/peak.wasm" -o "$out/peak.roundtrip.wat"
  muls=$(grep -c 'f32x4.mul' "$out/peak.roundtrip.wat" || true)
  if [ "$muls" -lt 24 ]; then echo "bench/build.sh: peak probe lost its multiplies ($muls)" >&2; exit 1; fi
fi
echo "bench/build.sh: built $out/peak.wasm"
