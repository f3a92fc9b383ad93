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

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force a slower OpenBLAS kernel than the CPU's own,
# so they are removed for the FAISS side only. FAISS's batched search mixes OpenMP threads with
# OpenBLAS's threads; with OpenMP's default spin-waiting they compete for the cores, so the batched
# cells are also measured with OMP_WAIT_POLICY=PASSIVE and the report keeps FAISS's faster result.
status=0
faiss_json() { echo "$work/faiss-$1.json"; }
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/search_faiss.py" measure \
  "$work" "$(faiss_json default)" --label default --reps "$reps" --single-queries "$single" || status=$?
if [ "$status" -eq 77 ]; then echo "FAISS (python3-faiss) is not installed: FAISS side skipped"; exit 77; fi
[ "$status" -eq 0 ] || exit "$status"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 \
  "$here/search_faiss.py" measure "$work" "$(faiss_json passive)" --label passive --modes batched \
  --reps "$reps" --single-queries "$single"

/usr/bin/python3 "$here/search_faiss.py" report "$work" "$work/embkit.json" "$(faiss_json default)" \
  "$(faiss_json passive)"
