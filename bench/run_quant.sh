#!/bin/sh
# Quantization benchmark: exact top-10 search of 1,000 queries over 200,000 x 300 clustered unit
# vectors (seeded) in float32 and on int8 codes (embkit, with and without float re-ranking of the
# best 40), against FAISS IndexFlatIP and IndexScalarQuantizer QT_8bit on the same bytes; 1 and 2
# threads. Prints median queries/second of REPS runs per cell (the sides take turns, one run each, so
# that a change of machine load affects both), recall@10 against float32 exact search, the memory of
# the searched vectors, and the ratio to embkit's float32 search.
#
# usage: bench/run_quant.sh [BUILD_DIR] [REPS]     (BUILD_DIR defaults to build, REPS to 3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
reps=${2:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit-quant-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

rep=0
while [ "$rep" -lt "$reps" ]; do
  "$build/quant_bench" --dir "$work" --reps 1 >> "$work/runs.json"
  status=0
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/quant_faiss.py" measure \
    "$work" --reps 1 >> "$work/runs.json" || status=$?
  if [ "$status" -eq 77 ]; then echo "FAISS (python3-faiss) is not installed: skipped"; exit 77; fi
  [ "$status" -eq 0 ] || exit "$status"
  rep=$((rep + 1))
done
/usr/bin/python3 "$here/quant_faiss.py" report "$work/runs.json"
