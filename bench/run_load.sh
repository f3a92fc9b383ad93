#!/bin/sh
# Load-time benchmark: embkit vs gensim on a 200k x 300 word2vec model (text as word2vec.c prints it,
# binary, and each library's fastest native format), plus embkit's native open at 10k rows to show
# that it does not grow with the model. Prints medians of REPETITIONS runs and the ratios.
#   bench/run_load.sh [BUILD_DIR] (default: build; env ROWS, DIM, REPETITIONS)
set -eu
build=${1:-build}
rows=${ROWS:-200000}
dim=${DIM:-300}
repetitions=${REPETITIONS:-3}
python=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
bench="$build/load_bench"
[ -x "$bench" ] || { echo "run_load.sh: $bench not found (build first)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_load.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "generating $rows x $dim model in $work ..." >&2
"$bench" generate "$work" --rows "$rows" --dim "$dim"
"$python" "$here/load_gensim.py" make-kv "$work/bench.bin" "$work/bench.kv"

median() { cut -d' ' -f1; }
embkit_time() { "$bench" time "$@" --repetitions "$repetitions" | median; }
gensim_time() { "$python" "$here/load_gensim.py" "$@" --repetitions "$repetitions" | median; }

echo "timing ..." >&2
vec1=$(embkit_time "$work/bench.vec" --threads 1)
vec2=$(embkit_time "$work/bench.vec" --threads 2)
bin=$(embkit_time "$work/bench.bin")
native=$(embkit_time "$work/bench.emb")
native10k=$(embkit_time "$work/bench_10k.emb")
g_vec=$(gensim_time w2v "$work/bench.vec")
g_bin=$(gensim_time w2v "$work/bench.bin" --binary)
g_kv=$(gensim_time kv "$work/bench.kv")

size() { du -m "$1" | cut -f1; }
echo
echo "load time, $rows x $dim, median of $repetitions (seconds); ratio = embkit / gensim"
printf '%-34s %12s %12s %10s %9s\n' "what" "embkit s" "gensim s" "ratio" "speed-up"
row() {  # label embkit gensim
  awk -v l="$1" -v e="$2" -v g="$3" 'BEGIN { printf "%-34s %12.6f %12.6f %10.5f %8.0fx\n", l, e, g, e / g, g / e }'
}
row "vec text, 1 thread ($(size "$work/bench.vec") MB)" "$vec1" "$g_vec"
row "vec text, 2 threads" "$vec2" "$g_vec"
row "word2vec binary" "$bin" "$g_bin"
row "native .emb vs gensim text" "$native" "$g_vec"
row "native .emb vs gensim binary" "$native" "$g_bin"
row "native .emb vs gensim .kv mmap" "$native" "$g_kv"
echo
echo "native open time: 10k rows $native10k s, $rows rows $native s"
