#!/bin/sh
# Analogy-evaluation benchmark: embkit evaluate_analogies vs gensim's evaluate_word_analogies on the
# full questions-words.txt (19,544 questions) with synthetic models of 70k x 100 and 300k x 300 whose
# vocabulary holds the questions' words. Only the evaluation is timed (models are loaded first).
# gensim answers one question per most_similar call, about 40 ms each at 300k x 300, so at that size
# it is timed on an evenly spaced sample of the questions and scaled to the full file's answered
# questions; embkit's counts on the same sample are checked against gensim's.
#
# usage: bench/run_eval.sh [BUILD_DIR] [QUESTIONS_FILE]
#   env: REPS (embkit repetitions, default 3), GENSIM_REPS (default 1), SAMPLE (default 2000),
#        THREADS (embkit threads, default all cores), SIZES (ROWSxDIM:full|sample ..., default
#        "70000x100:full 300000x300:sample")
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
questions=${2:-$here/../../shared/data/eval/questions-words.txt}
reps=${REPS:-3}
gensim_reps=${GENSIM_REPS:-1}
sample=${SAMPLE:-2000}
threads=${THREADS:-0}
sizes=${SIZES:-70000x100:full 300000x300:sample}
python=/usr/bin/python3
bench="$build/eval_bench"
[ -x "$bench" ] || { echo "run_eval.sh: $bench not found (build first)" >&2; exit 1; }
[ -f "$questions" ] || { echo "run_eval.sh: $questions not found" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_eval_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force a slower OpenBLAS kernel than the CPU's own:
# gensim runs without them.
gensim() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/eval_gensim.py" "$@"; }

"$python" "$here/eval_gensim.py" sample "$questions" "$work/sample.txt" --questions "$sample"
printf '%-12s %10s %10s %9s %16s %16s %8s\n' model embkit_s gensim_s ratio "embkit c/a" "gensim c/a" same
for spec in $sizes; do
  size=${spec%%:*}
  mode=${spec##*:}
  rows=${size%%x*}
  dim=${size##*x}
  dir="$work/m$rows"
  gensim make "$dir" --rows "$rows" --dim "$dim" --questions "$questions"
  set -- $("$bench" "$dir/model.npy" "$questions" 300000 "$reps" add "$threads")
  ours_s=$2 ours_c=$3 ours_a=$4
  if [ "$mode" = full ]; then
    set -- $(gensim measure "$dir" --questions "$questions" --repetitions "$gensim_reps")
    theirs_s=$1 theirs_c=$2 theirs_a=$3 check_c=$ours_c check_a=$ours_a
  else
    set -- $(gensim measure "$dir" --questions "$work/sample.txt" --repetitions "$gensim_reps")
    theirs_s=$(echo "$1 $3 $ours_a" | awk '{printf "%.4f", $1 * $3 / $2}')
    theirs_c=$2 theirs_a=$3
    set -- $("$bench" "$dir/model.npy" "$work/sample.txt" 300000 1 add "$threads")
    check_c=$3 check_a=$4
  fi
  same=no
  [ "$check_c" = "$theirs_c" ] && [ "$check_a" = "$theirs_a" ] && same=yes
  ratio=$(echo "$theirs_s $ours_s" | awk '{printf "%.0fx", $1 / $2}')
  [ "$mode" = full ] || theirs_s="~$theirs_s"
  [ "$mode" = full ] || theirs_c="$theirs_c*"
  printf '%-12s %10s %10s %9s %16s %16s %8s\n' "$size" "$ours_s" "$theirs_s" "$ratio" \
    "$ours_c/$ours_a" "$theirs_c/$theirs_a" "$same"
  rm -rf "$dir"
done
echo "* gensim on $sample sampled questions, time scaled to the full file; 'same' compares embkit on that sample"
