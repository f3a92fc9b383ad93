#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/: a few small valid files
# per reader (and a compressed one where the reader decompresses), so the fuzzer starts from inputs
# that reach deep into each parser. The files are committed; rerun after a format change.
#   fuzz/make_corpus.sh [EMBKIT_BINARY]   (default build/embkit)
set -euo pipefail
cd "$(dirname "$0")/.."
embkit=${1:-build/embkit}
[ -x "$embkit" ] || { echo "make_corpus.sh: $embkit not found (build embkit first)" >&2; exit 1; }
out=fuzz/corpus
work=$(mktemp -d "${TMPDIR:-/tmp}/embkit_fuzz_corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
separator=$'\n--embkit-fuzz-part--\n'  # fuzz/fuzz_input.h: kPartSeparator

for target in word2vec_text word2vec_binary glove_text load_any npy native npz transform index \
    corpus documents fasttext_bin; do
  rm -rf "${out:?}/$target"
  mkdir -p "$out/$target"
done

printf '3 4\nking 0.5 -1 3.25 0\nqueen 1e-20 0 -7 2\n\xc3\xa9t\xc3\xa9 1 2 3 4\n' > "$work/small.vec"
printf '2 2\nhi 1 2\nyo 3 4\n' > "$work/tiny.vec"
cp "$work/small.vec" "$work/tiny.vec" "$out/word2vec_text/"
printf 'a 0.1 0.2\nb -1 2e3\n' > "$out/glove_text/small.txt"
printf '2 3\r\nx 1 2 3 \r\ny 4 5 6 \r\n' > "$out/word2vec_text/crlf.vec"

"$embkit" convert "$work/small.vec" "$out/word2vec_binary/small.bin" >/dev/null
"$embkit" convert "$work/tiny.vec" "$out/word2vec_binary/tiny.bin" >/dev/null
for dtype in f32 f16 i8; do
  "$embkit" convert "$work/small.vec" "$out/native/small_$dtype.emb" --dtype "$dtype" >/dev/null
done
"$embkit" convert "$work/tiny.vec" "$out/native/tiny.emb" >/dev/null

"$embkit" convert "$work/small.vec" "$work/m.npy" >/dev/null
{ cat "$work/m.npy"; printf '%s' "$separator"; cat "$work/m.labels.txt"; } > "$out/npy/small.npy+labels"

cp "$out/word2vec_text/small.vec" "$out/word2vec_binary/small.bin" "$out/native/small_f16.emb" \
  "$out/glove_text/small.txt" "$out/load_any/"
gzip -9n < "$work/small.vec" > "$out/load_any/small.vec.gz"
xz -9 < "$work/tiny.vec" > "$out/load_any/tiny.vec.xz"
cp "$work/m.npy" "$out/load_any/m.npy"

printf 'the cat sat on the mat\nthe dog sat\n\nÉcole, déjà vu!\n' > "$work/text.txt"
for i in 1 2 3 4 5 6; do cat "$work/text.txt"; done > "$work/corpus.txt"
cp "$work/text.txt" "$out/corpus/text.txt"
gzip -9n < "$work/text.txt" > "$out/corpus/text.gz"
xz -9 < "$work/text.txt" > "$out/corpus/text.xz"
if command -v zstd >/dev/null; then zstd -q -19 < "$work/text.txt" > "$out/corpus/text.zst"; fi
{ cat "$work/text.txt"; printf '%s' "$separator"; printf 'one\ntwo\nthree\nfour\n'; } \
  > "$out/documents/docs+labels"
cp "$work/text.txt" "$out/documents/docs.txt"

"$embkit" cooccur --input "$work/corpus.txt" --output "$work/counts.npz" --min-count 1 >/dev/null 2>&1
cp "$work/counts.npz" "$out/npz/counts.npz"

# Transforms and indexes need a few more vectors than words in the small model.
python3 - "$work/eight.vec" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("12 4\n")
    for i in range(12):
        f.write("w%d %s\n" % (i, " ".join("%.3f" % random.uniform(-1, 1) for _ in range(4))))
PY
"$embkit" transform "$work/eight.vec" "$work/t1.emb" --steps center,pca:2 \
  --save-transform "$out/transform/center_pca.emb" >/dev/null 2>&1
"$embkit" transform "$work/eight.vec" "$work/t2.emb" --steps whiten:zca,normalize \
  --save-transform "$out/transform/whiten.emb" >/dev/null 2>&1
"$embkit" index build "$work/eight.vec" -o "$out/index/flat.index" >/dev/null 2>&1
"$embkit" index build "$work/eight.vec" -o "$out/index/hnsw.index" --type hnsw >/dev/null 2>&1

# fastText models: one embkit writes (no n-grams) and, with the fastText binary, tiny trained ones:
# skip-gram with n-grams, supervised with word n-grams, and quantized (pruned, norms, and with 260
# labels a quantized output matrix, which needs at least 256 rows).
"$embkit" convert "$work/small.vec" "$out/fasttext_bin/words.ftz" >/dev/null
if command -v fasttext >/dev/null; then
  ft() { fasttext "$@" -thread 1 >/dev/null 2>&1; }
  ft skipgram -input "$work/corpus.txt" -output "$work/sg" -dim 4 -bucket 64 -minn 2 -maxn 3 \
    -minCount 1 -epoch 1 -seed 1
  cp "$work/sg.bin" "$out/fasttext_bin/skipgram.bin"
  python3 - "$work/labelled.txt" <<'PY'
import random, sys
random.seed(2)
words = "the cat sat on mat dog école déjà vu".split()
with open(sys.argv[1], "w") as f:
    for i in range(600):
        label = i % 260
        f.write("__label__%d %s %s w%d\n" % (label, random.choice(words), random.choice(words), label % 7))
PY
  ft supervised -input "$work/labelled.txt" -output "$work/sup" -dim 4 -bucket 300 -wordNgrams 2 \
    -minCount 1 -epoch 1 -seed 1
  cp "$work/sup.bin" "$out/fasttext_bin/supervised.bin"
  ft quantize -input "$work/labelled.txt" -output "$work/sup" -qnorm -qout -cutoff 260 -dsub 3
  cp "$work/sup.ftz" "$out/fasttext_bin/quantized.ftz"
fi

du -sh "$out" >&2
