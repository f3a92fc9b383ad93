#!/usr/bin/python3
"""The Python API against gensim on the same vectors: most_similar (1,000 queries, topn 10, one call
per query as user code does) and evaluate_word_analogies on questions-words.txt; median of 3 runs.

  bench/run_python.py [--model MODEL.vec] [--embkit build/embkit] [--repetitions 3]

Without --model it uses bench/out/demo.vec when present, else trains one with
`embkit train --input data/demo/demo.txt.xz --epochs 3` into bench/out/. The embkit module is
imported from PYTHONPATH (build/python for a build tree, or an installed package).
"""
import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

logging.disable(logging.CRITICAL)
ROOT = Path(__file__).resolve().parents[1]


def median_seconds(function, repetitions):
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ensure_model(args):
    if args.model:
        return Path(args.model)
    model = ROOT / "bench" / "out" / "demo.vec"
    if not model.exists():
        model.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([args.embkit, "train", "--input", str(ROOT / "data" / "demo" / "demo.txt.xz"),
                        "--output", str(model), "--epochs", "3", "--threads", str(os.cpu_count())],
                       check=True)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model")
    parser.add_argument("--embkit", default=str(ROOT / "build" / "embkit"))
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    import embkit
    from gensim.models import KeyedVectors

    model = ensure_model(args)
    questions = str(ROOT / "data" / "eval" / "questions-words.txt")
    ours = embkit.load(model)
    theirs = KeyedVectors.load_word2vec_format(str(model), binary=False)
    ours.fill_norms()
    theirs.fill_norms()
    step = max(1, min(len(ours), 30000) // args.queries)
    words = [ours.index_to_key[i * step] for i in range(args.queries)]

    rows = []
    t_ours, r_ours = median_seconds(lambda: [ours.most_similar(w, topn=10) for w in words], args.repetitions)
    t_theirs, r_theirs = median_seconds(lambda: [theirs.most_similar(w, topn=10) for w in words],
                                        args.repetitions)
    same = sum([a for a, _ in x] == [b for b, _ in y] for x, y in zip(r_ours, r_theirs))
    rows.append((f"most_similar, {len(words)} queries, topn 10", t_ours, t_theirs,
                 f"{same}/{len(words)} identical lists"))
    t_ours, (s_ours, _) = median_seconds(lambda: ours.evaluate_word_analogies(questions), args.repetitions)
    t_theirs, (s_theirs, _) = median_seconds(lambda: theirs.evaluate_word_analogies(questions),
                                             args.repetitions)
    rows.append(("evaluate_word_analogies, questions-words.txt", t_ours, t_theirs,
                 f"score {s_ours:.4f} vs {s_theirs:.4f}"))

    print(f"model {model}: {len(ours)} x {ours.vector_size}; median of {args.repetitions} runs; "
          f"{os.cpu_count()} cores")
    print("| what | embkit s | gensim s | speed-up | check |")
    print("|---|---:|---:|---:|---|")
    for name, a, b, check in rows:
        print(f"| {name} | {a:.3f} | {b:.3f} | {b / a:.1f}x | {check} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
