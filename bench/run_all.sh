#!/bin/sh
# Runs every side-by-side benchmark of embkit against its anchors and prints their tables:
#   (a) model loading vs gensim          bench/run_load.sh
#   (b) exact top-10 search vs FAISS     bench/run_search.sh
#   (c) analogy evaluation vs gensim     bench/run_eval.sh (needs questions-words.txt)
# usage: bench/run_all.sh [BUILD_DIR]   (build it first: cmake -S . -B build && cmake --build build -j)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
"$here/../scripts/setup.sh" --bench
echo "embkit benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "== (a) loading =="
"$here/run_load.sh" "$build"
echo
echo "== (b) exact search =="
"$here/run_search.sh" "$build" 5
echo
echo "== (c) analogy evaluation =="
if [ -f "$here/../../shared/data/eval/questions-words.txt" ]; then
  "$here/run_eval.sh" "$build"
else
  echo "skipped: questions-words.txt not found beside the repository (../shared/data/eval)"
fi
