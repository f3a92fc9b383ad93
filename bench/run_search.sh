#!/bin/sh
# Benchmark (b): embkit exact top-10 search vs FAISS IndexFlatIP on identical data, batched and one
# query at a time, 1 and 2 threads; prints median QPS per cell and the ratio embkit / FAISS.
#
# usage: bench/run_search.sh [BUILD_DIR] [REPS]     (BUILD_DIR defaults to build, REPS to 3)
# The data (about 250 MB of .npy) goes to a temporary directory removed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
reps=${2:-3}
single=${EMBKIT_BENCH_SINGLE_QUERIES:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit-search-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$build/search_bench" --dir "$work" --reps "$reps" --single-queries "$single" > "$work/embkit.json"
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force a slower OpenBLAS kernel: FAISS's matrix
# product would not run at its best, so they are removed for the FAISS side only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/search_faiss.py" "$work" \
  "$work/embkit.json" --reps "$reps" --single-queries "$single"
