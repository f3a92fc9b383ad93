#!/bin/sh
# Runs every side-by-side benchmark in bench/ and writes one dated markdown report — a summary table
# (benchmark, status, seconds) followed by each benchmark's own table — to stdout and to OUTPUT.md.
#   load, search, eval, train, count, quant, geometry, cluster, t-SNE, docs, python, first-answer, hnsw
# --quick runs every benchmark on a small slice (small corpus, few rows, one repetition) to check in a
# couple of minutes that they all still work; its numbers are not the benchmark's. The header notes
# the load average: timings on a busy machine are not comparable with an idle one.
#
# usage: bench/run_all.sh [--quick] [--build DIR] [--only NAME,...] OUTPUT.md
#        (build first: embkit, the bench drivers and the Python module, -DEMBKIT_BUILD_PYTHON=ON)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build="$repo/build"
quick=0
only=""
output=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --build) build=$2; shift ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "run_all.sh: unknown option $1" >&2; exit 2 ;;
    *) output=$1 ;;
  esac
  shift
done
[ -n "$output" ] || { echo "usage: bench/run_all.sh [--quick] [--build DIR] [--only NAME,...] OUTPUT.md" >&2; exit 2; }
build=$(cd "$build" && pwd)
[ -x "$build/embkit" ] || { echo "run_all.sh: $build/embkit not found (build first)" >&2; exit 1; }
[ "$quick" -eq 1 ] || "$repo/scripts/setup.sh" --bench
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_run_all.XXXXXX")
trap 'rm -rf "$work"' EXIT
: > "$work/summary.md"
: > "$work/sections.md"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
shared="$repo/../shared/data"
corpus="$shared/corpus/bench.txt.xz"
[ "$quick" -eq 0 ] || corpus="$shared/corpus/small.txt.xz"
export PYTHONPATH="$build/python${PYTHONPATH:+:$PYTHONPATH}"

# run NAME COMMAND...: runs one benchmark, keeps its output and a summary line.
run() {
  name=$1
  shift
  case ",${only:-$name}," in *",$name,"*) ;; *) return 0 ;; esac
  echo "running $name ..." >&2
  start=$(date +%s)
  status=0
  "$@" > "$work/$name.out" 2> "$work/$name.err" || status=$?
  seconds=$(($(date +%s) - start))
  case $status in
    0) result=ok ;;
    77) result=skipped ;;
    *) result="failed ($status)"; tail -n 5 "$work/$name.err" >> "$work/$name.out" ;;
  esac
  if head -n 1 "$work/$name.out" | grep -q '^skipped'; then result=skipped; fi
  echo "| $name | $result | $seconds |" >> "$work/summary.md"
  { echo; echo "## $name"; echo; echo '```'; cat "$work/$name.out"; echo '```'; } >> "$work/sections.md"
}

if [ "$quick" -eq 1 ]; then
  run load env ROWS=10000 REPETITIONS=1 "$here/run_load.sh" "$build"
  run search env EMBKIT_BENCH_SINGLE_QUERIES=20 "$here/run_search.sh" "$build" 1
  run eval env REPS=1 SAMPLE=100 SIZES="5000x50:full 20000x100:sample" "$here/run_eval.sh" "$build"
  run train "$here/run_train.sh" --corpus "$corpus" --algos sgns --only embkit --build "$build" \
    --out "$work/train.jsonl"
  run count "$here/run_count.py" --corpus "$corpus" --build "$build" --only embkit \
    --out "$work/count.jsonl"
  run quant "$here/run_quant.sh" "$build" 1
  run geometry "$here/run_geometry.py" --build "$build" --runs 1 --rows 5000 --dim 50
  run cluster "$here/run_cluster.py" --build "$build" --runs 1 --only probe
  run tsne "$here/run_tsne.py" --build "$build" --runs 1 --sizes 500
  run docs env LINES=5000 REPS=1 "$here/docs_bench.sh" "$build" "$corpus"
  case ",${only:-python}," in
    *,python,*) "$build/embkit" train --input "$corpus" --output "$work/quick.vec" --dim 50 \
      --epochs 1 --max-vocab 20000 > /dev/null 2>&1 || true ;;
  esac
  run python "$here/run_python.py" --embkit "$build/embkit" --model "$work/quick.vec" \
    --repetitions 1 --queries 20
  run first-answer env ROWS=10000 RUNS=2 "$here/run_first_answer.sh" "$build"
  run hnsw /usr/bin/python3 "$here/run_hnsw.py" --build "$build" --rows 20000 --queries 1000 --runs 1 \
    --ef 64,128
else
  run load "$here/run_load.sh" "$build"
  run search "$here/run_search.sh" "$build" 5
  run eval "$here/run_eval.sh" "$build"
  run train "$here/run_train.sh" --corpus "$corpus" --build "$build" --out "$work/train.jsonl"
  run count "$here/run_count.py" --corpus "$corpus" --build "$build" --out "$work/count.jsonl"
  run quant "$here/run_quant.sh" "$build"
  run geometry "$here/run_geometry.py" --build "$build"
  run cluster "$here/run_cluster.py" --build "$build"
  run tsne "$here/run_tsne.py" --build "$build"
  run docs "$here/docs_bench.sh" "$build" "$corpus"
  run python "$here/run_python.py" --embkit "$build/embkit"
  run first-answer "$here/run_first_answer.sh" "$build"
  run hnsw /usr/bin/python3 "$here/run_hnsw.py" --build "$build" --runs 3
fi

mode=full
[ "$quick" -eq 0 ] || mode="quick (small slices: smoke test, not comparable numbers)"
{
  echo "# embkit benchmarks, $started"
  echo
  echo "- mode: $mode"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "- load average at the start and the end: $load_start / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo
  echo "| benchmark | status | seconds |"
  echo "|---|---|---|"
  cat "$work/summary.md"
  cat "$work/sections.md"
} > "$work/report.md"
cp "$work/report.md" "$output"
cat "$output"
