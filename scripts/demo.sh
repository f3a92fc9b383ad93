#!/usr/bin/env bash
# Installs the build dependencies, builds embkit and runs `embkit demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target embkit
build/embkit demo "$@"
