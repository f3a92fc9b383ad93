#!/bin/sh
# Benchmark (b): embkit exact top-10 search vs FAISS IndexFlatIP on identical data, batched and one
# query at a time, 1 and 2 threads; prints median QPS per cell and the ratio embkit / FAISS.
#
# usage: bench/run_search.sh [BUILD_DIR] [REPS]     (BUILD_DIR defaults to build, REPS to 3)
# The data (about 250 MB of .npy) goes to a temporary directory removed on exit. The two sides run
# in turns, one repetition of every cell at a time, so that a change in machine load during the
# benchmark affects both alike.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
reps=${2:-3}
single=${EMBKIT_BENCH_SINGLE_QUERIES:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit-search-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force a slower OpenBLAS kernel than the CPU's own,
# so they are removed for the FAISS side only. FAISS's batched search mixes OpenMP threads with
# OpenBLAS's threads; with OpenMP's default spin-waiting they compete for the cores, so the batched
# cells are also measured with OMP_WAIT_POLICY=PASSIVE and the report keeps FAISS's faster result.
faiss_measure() {
  label=$1
  shift
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@" /usr/bin/python3 "$here/search_faiss.py" \
    measure "$work" "$work/faiss-$label.part" --label "$label" --reps 1 --single-queries "$single" \
    $modes
  cat "$work/faiss-$label.part" >> "$work/faiss-$label.json"
}

rep=0
while [ "$rep" -lt "$reps" ]; do
  "$build/search_bench" --dir "$work" --reps 1 --single-queries "$single" >> "$work/embkit.json"
  modes=""
  status=0
  faiss_measure default || status=$?
  if [ "$status" -eq 77 ]; then echo "FAISS (python3-faiss) is not installed: skipped"; exit 77; fi
  [ "$status" -eq 0 ] || exit "$status"
  modes="--modes batched"
  faiss_measure passive OMP_WAIT_POLICY=PASSIVE
  rep=$((rep + 1))
done

/usr/bin/python3 "$here/search_faiss.py" report "$work" "$work/embkit.json" "$work/faiss-default.json" \
  "$work/faiss-passive.json"
