#!/bin/sh
# TF-IDF benchmark: `embkit docs --represent tfidf` (read the text, build the vocabulary, TF-IDF
# rows, write the .npz and its column words) against scikit-learn's
# TfidfVectorizer(analyzer=str.split).fit_transform on the same documents: the first LINES lines
# (default 200,000) of the bench corpus, one document per line, unpacked to plain text first.
# scikit-learn is timed twice: fit_transform alone, and end to end like embkit (read the file,
# fit_transform, save_npz). Medians of REPS runs (default 3); the last outputs are compared.
#
# usage: bench/docs_bench.sh [BUILD_DIR] [CORPUS]
#   env: LINES (default 200000), REPS (default 3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
corpus=${2:-$here/../../shared/data/corpus/bench.txt.xz}
lines=${LINES:-200000}
reps=${REPS:-3}
python=/usr/bin/python3
embkit="$build/embkit"
[ -x "$embkit" ] || { echo "docs_bench.sh: $embkit not found (build first)" >&2; exit 1; }
if [ ! -f "$corpus" ]; then
  echo "skipped: $corpus not found (the bench corpus lives beside the repository in ../shared/data/corpus)"
  exit 0
fi
if ! "$python" -c 'import sklearn, scipy' 2>/dev/null; then
  echo "skipped: scikit-learn / scipy not importable by $python"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_docs_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

xz -dc "$corpus" | head -n "$lines" > "$work/docs.txt"

now() { date +%s.%N; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# embkit: wall time of the whole command, REPS times per thread count.
embkit_median() {
  threads=$1
  i=0
  while [ "$i" -lt "$reps" ]; do
    start=$(now)
    "$embkit" docs --input "$work/docs.txt" --output "$work/embkit.npz" --represent tfidf \
      --threads "$threads" 2>/dev/null
    end=$(now)
    echo "$start $end" | awk '{printf "%.3f\n", $2 - $1}'
    i=$((i + 1))
  done | median
}
ours1=$(embkit_median 1)
ours2=$(embkit_median 2)

set -- $("$python" - "$work" "$reps" <<'EOF'
import statistics, sys, time
import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer

work, reps = sys.argv[1], int(sys.argv[2])
fit_times, total_times = [], []
for _ in range(reps):
    start = time.perf_counter()
    with open(f"{work}/docs.txt", encoding="utf-8") as f:
        text = f.read()
    documents = text.split("\n")
    if text.endswith("\n"):
        documents.pop()
    fit_start = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=str.split, lowercase=False)
    theirs = vectorizer.fit_transform(documents)
    fit_end = time.perf_counter()
    scipy.sparse.save_npz(f"{work}/sklearn.npz", theirs, compressed=False)
    total_times.append(time.perf_counter() - start)
    fit_times.append(fit_end - fit_start)
    del text, documents

ours = scipy.sparse.load_npz(f"{work}/embkit.npz")
with open(f"{work}/embkit.vocab.txt", encoding="utf-8") as f:
    our_words = f.read().split("\n")[:-1]
their_words = list(vectorizer.get_feature_names_out())
theirs.sort_indices()
same = (our_words == their_words and ours.shape == theirs.shape
        and np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
        and np.allclose(ours.data, theirs.data, rtol=1e-5))
print(f"{statistics.median(fit_times):.3f} {statistics.median(total_times):.3f} "
      f"{'yes' if same else 'no'} {theirs.shape[0]} {theirs.shape[1]} {theirs.nnz}")
EOF
)
fit=$1 total=$2 same=$3 rows=$4 cols=$5 nnz=$6

ratio() { echo "$1 $2" | awk '{printf "%.1fx", $1 / $2}'; }
echo "$rows documents (first $lines lines of $(basename "$corpus")), $cols words, $nnz non-zeros; medians of $reps runs"
printf '%-42s %9s %16s %16s\n' "" seconds "embkit 1 thread" "embkit 2 threads"
printf '%-42s %9s %16s %16s\n' "embkit docs --represent tfidf" "" "$ours1 s" "$ours2 s"
printf '%-42s %9s %16s %16s\n' "sklearn TfidfVectorizer fit_transform" "$fit" \
  "$(ratio "$fit" "$ours1")" "$(ratio "$fit" "$ours2")"
printf '%-42s %9s %16s %16s\n' "sklearn read + fit_transform + save_npz" "$total" \
  "$(ratio "$total" "$ours1")" "$(ratio "$total" "$ours2")"
echo "ratios: sklearn seconds / embkit seconds (embkit's time covers reading the file and writing the .npz"
echo "and the vocabulary). Same matrix and columns as scikit-learn (rtol 1e-5): $same"
