#!/bin/sh
# Time to first answer: a fresh process that opens a ROWS x DIM model (default 100k x 300, random,
# seeded) and prints the nearest word of one query word — the cost a user pays for one look-up.
#   embkit CLI: `embkit neighbors MODEL w17 -k 1` on the native .emb (mapped), the same as i8 codes,
#               and the .vec text file; whole process, hyperfine, page cache warm
#   Python:     embkit.load(MODEL) + first most_similar, against gensim's KeyedVectors.load of its own
#               .kv with mmap='r' (its fastest open) + first most_similar; timed inside a fresh
#               process each (imports excluded), and gensim's whole process with hyperfine
# Prints median wall seconds, the CPU seconds behind them (user + system, all threads; on a shared
# machine the wall time also holds the waits for a core) and the wall ratio to gensim's.
#
# usage: bench/run_first_answer.sh [BUILD_DIR]   (env ROWS, DIM, RUNS; needs embkit and the Python
#        module: cmake -DEMBKIT_BUILD_PYTHON=ON)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
rows=${ROWS:-100000}
dim=${DIM:-300}
runs=${RUNS:-10}
python=/usr/bin/python3
embkit="$build/embkit"
[ -x "$embkit" ] || { echo "run_first_answer.sh: $embkit not found (build first)" >&2; exit 1; }
command -v hyperfine > /dev/null || { echo "run_first_answer.sh: hyperfine not found" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_first_answer.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "generating a $rows x $dim model in $work ..." >&2
"$python" "$here/first_answer.py" make "$work" --rows "$rows" --dim "$dim"
"$embkit" convert "$work/model.npy" "$work/model.emb" > /dev/null
"$embkit" convert "$work/model.emb" "$work/model.vec" > /dev/null
"$embkit" convert "$work/model.emb" "$work/model_i8.emb" --dtype i8 > /dev/null

# "wall cpu": median wall seconds of a whole command and its mean CPU seconds (hyperfine, warm-up
# runs first).
whole() {
  hyperfine --warmup 2 --runs "$runs" --export-json "$work/h.json" --style none "$@" > /dev/null 2>&1
  "$python" -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["user"] + r["system"])' "$work/h.json"
}
query="w17"
cli_emb=$(whole "$embkit neighbors $work/model.emb $query -k 1")
cli_i8=$(whole "$embkit neighbors $work/model_i8.emb $query -k 1")
cli_vec=$(whole "$embkit neighbors $work/model.vec $query -k 1")
gensim_process=$(whole "$python -c \"from gensim.models import KeyedVectors; \
KeyedVectors.load('$work/model.kv', mmap='r').most_similar('$query', topn=1)\"")
in_process() {
  PYTHONPATH="$build/python" "$python" "$here/first_answer.py" median "$2" "$query" \
    --library "$1" --runs "$runs"
}
py_emb=$(in_process embkit "$work/model.emb")
py_vec=$(in_process embkit "$work/model.vec")
py_gensim=$(in_process gensim "$work/model.kv")

echo
echo "time to first answer, $rows x $dim, median of $runs fresh processes (seconds); ratio = / gensim"
printf '%-58s %9s %9s %9s\n' "what" "wall s" "cpu s" "ratio"
row() {  # label "wall cpu" "reference_wall reference_cpu"
  echo "$2 $3" | awk -v l="$1" '{ printf "%-58s %9.4f %9.4f %9.3f\n", l, $1, $2, $1 / $3 }'
}
row "embkit neighbors .emb -k 1 (whole process)" "$cli_emb" "$gensim_process"
row "embkit neighbors .emb i8 -k 1 (whole process)" "$cli_i8" "$gensim_process"
row "embkit neighbors .vec -k 1 (whole process)" "$cli_vec" "$gensim_process"
row "gensim load .kv mmap + most_similar (whole process)" "$gensim_process" "$gensim_process"
row "embkit.load(.emb) + most_similar (in process)" "$py_emb" "$py_gensim"
row "embkit.load(.vec) + most_similar (in process)" "$py_vec" "$py_gensim"
row "gensim KeyedVectors.load(.kv, mmap='r') + most_similar" "$py_gensim" "$py_gensim"
