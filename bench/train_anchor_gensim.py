#!/usr/bin/python3
"""The gensim anchor of the training benchmark (bench/run_train.sh): trains word2vec with negative
sampling on a plain-text corpus (one sentence per line) and writes the word vectors in word2vec
binary format. bench/run_train.sh times this whole process, imports and vocabulary pass included.

  train_anchor_gensim.py --input CORPUS --output MODEL.bin --algo sgns|cbow
                         [--mode iterator|corpus_file] [--dim 100] [--window 5] [--negative 5]
                         [--min-count 5] [--sample 1e-4] [--epochs 5] [--lr L] [--threads 2]
                         [--seed 1]

Modes: "iterator" streams the file through LineSentence (Python-side batching, the mode most users
run); "corpus_file" hands the path to gensim's Cython reader (no GIL while reading). Which one is
faster depends on the algorithm, so the benchmark measures both.
"""
import argparse
import logging
import sys

logging.disable(logging.CRITICAL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--algo", choices=("sgns", "cbow"), required=True)
    parser.add_argument("--mode", choices=("iterator", "corpus_file"), default="iterator")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--negative", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--sample", type=float, default=1e-4)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=None, help="default 0.025 (sgns) / 0.05 (cbow)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    skip_gram = args.algo == "sgns"
    lr = args.lr if args.lr is not None else (0.025 if skip_gram else 0.05)
    common = dict(vector_size=args.dim, window=args.window, negative=args.negative, hs=0,
                  min_count=args.min_count, sample=args.sample, epochs=args.epochs,
                  workers=args.threads, sg=1 if skip_gram else 0, alpha=lr,
                  seed=args.seed)
    if args.mode == "corpus_file":
        model = Word2Vec(corpus_file=args.input, **common)
    else:
        model = Word2Vec(sentences=LineSentence(args.input), **common)
    model.wv.save_word2vec_format(args.output, binary=True)
    print(f"gensim {args.algo} ({args.mode}): {len(model.wv)} words x {args.dim}, "
          f"{model.corpus_total_words} corpus words", file=sys.stderr)


if __name__ == "__main__":
    main()
