#!/usr/bin/env bash
# Installs what the tests need, builds embkit with warnings as errors and runs every test (unit tests,
# CLI tests and the comparisons with gensim); then builds the unit tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs them there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DEMBKIT_WERROR=ON -DEMBKIT_BUILD_PYTHON=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

# No Python module here: an ASan-built extension only loads into python with LD_PRELOAD=libasan.so.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMBKIT_SANITIZE=ON -DEMBKIT_WERROR=ON \
  -DEMBKIT_BUILD_PYTHON=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target embkit embkit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs"
