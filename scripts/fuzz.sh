#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan) in build-fuzz/ and runs them.
#   scripts/fuzz.sh TARGET SECONDS   fuzz one reader for SECONDS (e.g. scripts/fuzz.sh native 60)
#   scripts/fuzz.sh all SECONDS      every target in turn, SECONDS each
#   scripts/fuzz.sh list             the target names
# Seeds come from fuzz/corpus/TARGET/ (read only); new inputs go to build-fuzz/corpus/TARGET/ and
# crash, leak or timeout artifacts to fuzz/out/TARGET/. Exits non-zero when a target finds one.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(word2vec_text word2vec_binary glove_text load_any npy native npz transform index corpus documents
  fasttext_bin)
if [ $# -eq 1 ] && [ "$1" = list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS (targets: ${targets[*]})" >&2
  exit 2
fi
if [ "$1" = all ]; then
  run=("${targets[@]}")
else
  [[ " ${targets[*]} " == *" $1 "* ]] || { echo "fuzz.sh: unknown target '$1' (targets: ${targets[*]})" >&2; exit 2; }
  run=("$1")
fi
seconds=$2

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
mkdir -p build-fuzz
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_CXX_FLAGS_FUZZ="-O1 -g" -DEMBKIT_BUILD_FUZZ=ON -DEMBKIT_BUILD_TESTS=OFF \
    "${launcher[@]}" >/dev/null
fi
# One build at a time: two runs that relink the same library at once break each other.
exec 9> build-fuzz/.build.lock
flock 9
cmake --build build-fuzz --target "${run[@]/#/fuzz_}"
flock -u 9

status=0
for target in "${run[@]}"; do
  mkdir -p "build-fuzz/corpus/$target" "fuzz/out/$target"
  echo "fuzz.sh: $target for ${seconds}s" >&2
  # FAISS's read_index leaks the half-read index when it throws on corrupt data (inside FAISS, not
  # embkit): leaks are not findings for the index target.
  leaks=1
  [ "$target" = index ] && leaks=0
  # One process, one thread: OpenMP regions stay serial so findings reproduce.
  if ! OMP_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=$leaks \
      "build-fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="fuzz/out/$target/" \
      "build-fuzz/corpus/$target" "fuzz/corpus/$target" 2> "fuzz/out/$target.log"; then
    echo "fuzz.sh: $target found a problem: $(ls -t fuzz/out/$target | head -1) (log fuzz/out/$target.log)" >&2
    status=1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "fuzz/out/$target.log" | sed "s/^/$target /" >&2 || true
done
exit $status
