#!/usr/bin/env bash
# Training benchmark: embkit train against fastText 0.9.2 (Debian build, no subwords) and gensim 4.2
# (iterator and corpus_file modes) on one corpus with matched settings — dim 100, window 5, negative 5,
# sample 1e-4, min_count 5, 5 epochs, 2 threads, lr 0.025 (skip-gram) / 0.05 (CBOW) — then evaluates
# every model the same way (embkit eval: questions-words restricted to 30,000 words, WS353, SimLex-999)
# and prints a markdown table with embkit's ratios and the PASS/FAIL of its targets.
#
# Speed is words/s = corpus tokens x epochs / wall seconds of the whole training process (vocabulary
# pass, imports and writing the model included); peak RSS is that process's maximum resident set.
# All tools read the same decompressed plain-text file.
#
# usage: bench/run_train.sh [--corpus FILE] [--algos sgns,cbow] [--runs N] [--only embkit|fasttext|gensim]
#                           [--build DIR] [--gensim-modes iterator,corpus_file] [--threads 2]
#                           [--embkit-variant NAME=ARGS]... [--out FILE.jsonl] [--compare FILE.jsonl]...
#                           [--keep DIR]
#   --corpus         default ../shared/data/corpus/bench.txt.xz beside the repository (.xz/.gz/.zst or plain)
#   --only           repeatable or comma-separated; default all three tools
#   --embkit-variant extra `embkit train` flags under a row name, e.g. --embkit-variant 'embkit-pair=--update pair'
#                    (repeatable; default one row "embkit" with no extra flags)
#   --out            JSON lines file the results are appended to (default bench/out/train-DATE.jsonl)
#   --compare        earlier results to pool into the table, e.g. anchors measured once:
#                    bench/run_train.sh --only embkit --runs 3 --compare bench/out/anchors.jsonl
#   --keep           keep the trained models in DIR instead of deleting them
# Print a table again from saved results, or merge runs: bench/train_table.py FILE.jsonl...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
corpus="$repo/../shared/data/corpus/bench.txt.xz"
eval_dir="$repo/data/eval"
[ -f "$eval_dir/questions-words.txt" ] || eval_dir="$repo/../shared/data/eval"
algos=sgns,cbow
runs=1
only=""
build="$repo/build"
gensim_modes=iterator,corpus_file
threads=2
variants=()
out=""
keep=""
compare=()
python=/usr/bin/python3

usage() { sed -n '/^# usage:/,/^# Print/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --algos) algos=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --only) only="$only,$2"; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --gensim-modes) gensim_modes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --embkit-variant) variants+=("$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --compare) [ -f "$2" ] || { echo "run_train.sh: $2 not found" >&2; exit 1; }; compare+=("$2"); shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "run_train.sh: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$only" ] || only=",embkit,fasttext,gensim"
only="$only,"
[ ${#variants[@]} -gt 0 ] || variants=("embkit=")
case "$runs" in ''|*[!0-9]*|0) echo "run_train.sh: --runs must be a positive integer" >&2; exit 2 ;; esac
for a in ${algos//,/ }; do
  case "$a" in sgns|cbow) ;; *) echo "run_train.sh: unknown algorithm $a (sgns or cbow)" >&2; exit 2 ;; esac
done
for m in ${gensim_modes//,/ }; do
  case "$m" in iterator|corpus_file) ;; *) echo "run_train.sh: unknown gensim mode $m" >&2; exit 2 ;; esac
done
wants() { case "$only" in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

embkit="$build/embkit"
[ -x "$embkit" ] || { echo "run_train.sh: $embkit not found (build first; it also evaluates every model)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "run_train.sh: corpus $corpus not found" >&2; exit 1; }
for f in questions-words.txt wordsim353.tsv simlex999.txt; do
  [ -f "$eval_dir/$f" ] || { echo "run_train.sh: $eval_dir/$f not found" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "run_train.sh: /usr/bin/time missing (scripts/setup.sh --bench)" >&2; exit 1; }
if wants fasttext; then
  command -v fasttext >/dev/null || { echo "run_train.sh: fasttext missing (scripts/setup.sh --bench)" >&2; exit 1; }
fi
if wants gensim; then
  "$python" -c 'import gensim' 2>/dev/null || { echo "run_train.sh: gensim missing (scripts/setup.sh --bench)" >&2; exit 1; }
fi
if wants embkit && ! "$embkit" train --help 2>&1 | grep -q 'Usage: embkit train'; then
  echo "run_train.sh: '$embkit train' is not available in this build" >&2; exit 1
fi

mkdir -p "$here/out"
[ -n "$out" ] || out="$here/out/train-$(date -u +%Y%m%d-%H%M%S).jsonl"
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_train_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
models="$work"
if [ -n "$keep" ]; then mkdir -p "$keep"; models=$(cd "$keep" && pwd); fi

# One plain copy of the corpus for everyone (the anchors cannot read compressed text).
plain="$work/corpus.txt"
case "$corpus" in
  *.xz) xz -dc -T2 "$corpus" > "$plain" ;;
  *.gz) gzip -dc "$corpus" > "$plain" ;;
  *.zst) zstd -qdc "$corpus" > "$plain" ;;
  *) cp "$corpus" "$plain" ;;
esac
tokens=$(wc -w < "$plain")
epochs=5
echo "corpus $(basename "$corpus"): $tokens tokens, $(wc -l < "$plain") lines; results -> $out" >&2

# Runs "$@" under /usr/bin/time; sets wall and rss_kb; the command's stderr goes to $work/stderr.
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || {
    echo "run_train.sh: failed: $*" >&2; tail -n 20 "$work/stderr" >&2; return 1; }
  read -r wall rss_kb < <(tail -n 1 "$work/time")
  load=$(cut -d' ' -f1,2 /proc/loadavg)  # other work on the machine at the end of the run
}

# Evaluates $1 and appends one JSON line: tool, variant, algo, run, args, timing, quality.
record() {
  local model=$1 tool=$2 row=$3 algo=$4 run=$5 extra=$6
  "$embkit" eval "$model" --analogies "$eval_dir/questions-words.txt" \
    --similarity "$eval_dir/wordsim353.tsv" --similarity "$eval_dir/simlex999.txt" \
    --restrict 30000 --json > "$work/eval.json"
  local summary
  summary=$(grep -v '^\s*$' "$work/stderr" | tail -n 1 || true)
  "$python" - "$work/eval.json" "$tool" "$row" "$algo" "$run" "$extra" "$wall" "$rss_kb" "$tokens" \
    "$epochs" "$threads" "$(basename "$corpus")" "$summary" "$load" >> "$out" <<'EOF'
import json, sys
(ev, tool, row, algo, run, extra, wall, rss_kb, tokens, epochs, threads, corpus, summary, load) = sys.argv[1:]
e = json.load(open(ev))
summary = summary.split("\r")[-1].strip()
sims = {s["file"].rsplit("/", 1)[-1]: s for s in e.get("similarity", [])}
def rho(name):
    s = next((v for k, v in sims.items() if k.startswith(name)), None)
    return None if s is None else s["spearman"]
a = e.get("analogy", {})
wall, tokens, epochs = float(wall), int(tokens), int(epochs)
print(json.dumps({
    "tool": tool, "row": row, "algo": algo, "run": int(run), "extra_args": extra, "corpus": corpus,
    "tokens": tokens, "epochs": epochs, "threads": int(threads), "wall_s": wall,
    "words_per_s": tokens * epochs / wall, "rss_mb": int(rss_kb) / 1024, "vocab": e.get("vocab"),
    "analogy": a.get("accuracy"), "semantic": a.get("semantic"), "syntactic": a.get("syntactic"),
    "analogy_coverage": a.get("coverage"), "ws353": rho("wordsim"), "simlex": rho("simlex"),
    "summary": summary, "load_avg_1m_5m": [float(x) for x in load.split()[:2]]}))
r = {"analogy": a.get("accuracy"), "ws353": rho("wordsim"), "simlex": rho("simlex")}
print(f"  {row} {algo} run {run}: {wall:.1f} s, {tokens * epochs / wall:,.0f} words/s, "
      f"{int(rss_kb) / 1024:.0f} MB, analogy {r['analogy']}, WS353 {r['ws353']}, SimLex {r['simlex']}, "
      f"load average {load.split()[0]} / {load.split()[1]} (1 / 5 min)",
      file=sys.stderr)
EOF
}

for algo in ${algos//,/ }; do
  if [ "$algo" = sgns ]; then lr=0.025; ft_mode=skipgram; else lr=0.05; ft_mode=cbow; fi
  for run in $(seq 1 "$runs"); do
    if wants embkit; then
      for v in "${variants[@]}"; do
        row=${v%%=*}
        extra=${v#*=}
        model="$models/$row-$algo-$run.bin"
        # shellcheck disable=SC2086  # extra flags are meant to split into words
        timed "$embkit" train --input "$plain" --output "$model" --algo "$algo" --dim 100 --window 5 \
          --negative 5 --min-count 5 --sample 1e-4 --epochs "$epochs" --lr "$lr" --threads "$threads" \
          --seed "$run" $extra
        record "$model" embkit "$row" "$algo" "$run" "$extra"
      done
    fi
    if wants fasttext; then
      prefix="$models/fasttext-$algo-$run"
      timed fasttext "$ft_mode" -input "$plain" -output "$prefix" -dim 100 -ws 5 -neg 5 -minCount 5 \
        -t 1e-4 -epoch "$epochs" -lr "$lr" -thread "$threads" -minn 0 -maxn 0 -loss ns -verbose 1
      rm -f "$prefix.bin"
      record "$prefix.vec" fasttext fasttext "$algo" "$run" ""
    fi
    if wants gensim; then
      for mode in ${gensim_modes//,/ }; do
        model="$models/gensim-$mode-$algo-$run.bin"
        # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force a slower OpenBLAS kernel: gensim runs without.
        timed env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/train_anchor_gensim.py" \
          --input "$plain" --output "$model" --algo "$algo" --mode "$mode" --dim 100 --window 5 \
          --negative 5 --min-count 5 --sample 1e-4 --epochs "$epochs" --lr "$lr" --threads "$threads" \
          --seed "$run"
        record "$model" gensim "gensim-$mode" "$algo" "$run" ""
      done
    fi
  done
done

echo
echo "Training benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$python" "$here/train_table.py" "${compare[@]}" "$out"
