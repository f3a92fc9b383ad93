#!/usr/bin/env bash
# Installs what the tests need, builds embkit with warnings as errors and runs every test (unit tests,
# CLI tests and the comparisons with gensim); then builds the unit tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer (with clang) and runs them there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
jobs=$(nproc)

# Tests write only into their own temporary folders: anything new in the source tree afterwards fails.
tree_status() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git status --porcelain --untracked-files=all --ignored=matching | { grep -v -E "^!! (build[^/]*/|.*__pycache__/)" || true; } | sort
}
before=$(tree_status)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DEMBKIT_WERROR=ON -DEMBKIT_BUILD_PYTHON=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

# No Python module here: an ASan-built extension only loads into python with LD_PRELOAD=libasan.so.
# clang: it builds the instrumented tree in about 60% of g++'s time, and it is the second compiler
# whose warnings (-Werror) the code must pass. -O1 -g1: what ASan is meant to run at, with line
# tables for its reports.
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DEMBKIT_SANITIZE=ON -DEMBKIT_WERROR=ON -DEMBKIT_BUILD_PYTHON=OFF -DEMBKIT_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target embkit embkit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS=suppressions="$PWD/scripts/lsan.supp" \
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs"

after=$(tree_status)
if [ "$before" != "$after" ]; then
  echo "test.sh: the tests changed the source tree:" >&2
  diff <(echo "$before") <(echo "$after") | sed -n 's/^> /  /p' >&2
  exit 1
fi
