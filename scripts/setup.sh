#!/usr/bin/env bash
# Installs what attention-lab needs on a fresh Debian 12 machine, and nothing twice:
# Debian packages (toolchain, header-only libraries, Chromium for the browser tests) and
# the npm packages of package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make            # native build of the core and its tests
  emscripten binaryen       # the WASM build (emscripten 3.1.6)
  clang-14 libclang-rt-14-dev  # sanitizer build and libFuzzer targets (scripts/fuzz.sh)
  libxtensor-dev libxsimd-dev doctest-dev
  wabt                      # wasm2wat, to read the generated code
  chromium                  # real-browser tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ok"
