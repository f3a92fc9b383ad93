#!/usr/bin/python3
"""The gensim half of the analogy-evaluation benchmark (bench/run_eval.sh).

  eval_gensim.py make DIR --rows N --dim D --questions FILE
      writes DIR/model.npy and DIR/model.labels.txt: the lower-cased words of FILE spread over the
      first rows (so nearly every question is answered), filler words after them; second words of
      each section's pairs sit at a shared per-section offset plus noise, so accuracy is non-trivial.
  eval_gensim.py sample FILE OUT --questions K
      writes K evenly spaced questions of FILE (all section headers kept) to OUT.
  eval_gensim.py measure DIR --questions FILE [--restrict N] [--repetitions R]
      times KeyedVectors.evaluate_word_analogies on DIR/model.npy (loaded from .npy and labels, so
      only the evaluation is timed). Prints: median_seconds correct answered
"""
import argparse
import logging
import os
import statistics
import sys
import time

import numpy as np

logging.disable(logging.CRITICAL)


def read_questions(path):
    sections = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(": "):
                sections.append((line[2:].strip(), []))
            elif len(line.split()) == 4:
                sections[-1][1].append(line.lower().split())
    return sections


def make(args):
    rng = np.random.default_rng(11)
    sections = read_questions(args.questions)
    vectors = {}
    for _, questions in sections:
        offset = rng.normal(size=args.dim).astype(np.float32)
        for a, b, c, d in questions:
            for x, y in ((a, b), (c, d)):
                if x not in vectors:
                    vectors[x] = rng.normal(size=args.dim).astype(np.float32)
                if y not in vectors:
                    vectors[y] = vectors[x] + offset + 1.7 * rng.normal(size=args.dim).astype(np.float32)
    words = list(vectors)
    if len(words) > args.rows:
        sys.exit(f"--rows must be at least {len(words)}")
    matrix = rng.normal(size=(args.rows, args.dim)).astype(np.float32)
    positions = rng.choice(min(args.rows, 20 * len(words)), size=len(words), replace=False)
    labels = [f"w{i}" for i in range(args.rows)]
    for word, row in zip(words, positions):
        labels[row] = word
        matrix[row] = vectors[word]
    os.makedirs(args.dir, exist_ok=True)
    np.save(os.path.join(args.dir, "model.npy"), matrix)
    with open(os.path.join(args.dir, "model.labels.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(labels) + "\n")


def sample(args):
    with open(args.file, encoding="utf-8") as lines:
        all_lines = lines.readlines()
    question_lines = [i for i, line in enumerate(all_lines) if not line.startswith(": ")]
    keep = set(question_lines[:: max(1, len(question_lines) // args.questions)][: args.questions])
    with open(args.out, "w", encoding="utf-8") as out:
        for i, line in enumerate(all_lines):
            if line.startswith(": ") or i in keep:
                out.write(line)


def answered(result):
    total = result[1][-1]
    return len(total["correct"]), len(total["correct"]) + len(total["incorrect"])


def measure(args):
    from gensim.models import KeyedVectors

    matrix = np.load(os.path.join(args.dir, "model.npy"))
    with open(os.path.join(args.dir, "model.labels.txt"), encoding="utf-8") as lines:
        labels = [line.rstrip("\n") for line in lines]
    kv = KeyedVectors(matrix.shape[1])
    kv.add_vectors(labels, matrix)
    kv.fill_norms()
    times = []
    for _ in range(args.repetitions):
        start = time.perf_counter()
        result = kv.evaluate_word_analogies(args.questions, restrict_vocab=args.restrict)
        times.append(time.perf_counter() - start)
    correct, answered_count = answered(result)
    print(f"{statistics.median(times):.4f} {correct} {answered_count}")


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    make_parser = commands.add_parser("make")
    make_parser.add_argument("dir")
    make_parser.add_argument("--rows", type=int, required=True)
    make_parser.add_argument("--dim", type=int, required=True)
    make_parser.add_argument("--questions", required=True)
    measure_parser = commands.add_parser("measure")
    measure_parser.add_argument("dir")
    measure_parser.add_argument("--questions", required=True)
    measure_parser.add_argument("--restrict", type=int, default=300000)
    measure_parser.add_argument("--repetitions", type=int, default=1)
    sample_parser = commands.add_parser("sample")
    sample_parser.add_argument("file")
    sample_parser.add_argument("out")
    sample_parser.add_argument("--questions", type=int, required=True)
    args = parser.parse_args()
    {"make": make, "sample": sample, "measure": measure}[args.command](args)


if __name__ == "__main__":
    main()
