#!/usr/bin/python3
"""Time to first answer, Python half (bench/run_first_answer.sh runs it).

    first_answer.py make DIR --rows N --dim D     DIR/model.npy + labels, and gensim's DIR/model.kv
    first_answer.py embkit MODEL WORD             embkit.load(MODEL) + first most_similar(WORD)
    first_answer.py gensim MODEL.kv WORD          KeyedVectors.load(MODEL.kv, mmap='r') + the same

The timed modes run in a fresh process each (the script runs them), so the first query pays for
whatever the library computes lazily (norms, word index); the import is not timed. Each prints
"wall cpu": seconds of load + first most_similar, elapsed and CPU (all threads).
"""
import argparse
import statistics
import subprocess
import sys
import time


def make(directory, rows, dim):
    import numpy as np
    from gensim.models import KeyedVectors

    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((rows, dim), dtype=np.float32)
    words = [f"w{i}" for i in range(rows)]
    np.save(f"{directory}/model.npy", vectors)
    with open(f"{directory}/model.labels.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(words) + "\n")
    kv = KeyedVectors(dim)
    kv.add_vectors(words, vectors)
    kv.save(f"{directory}/model.kv")


def first_answer(library, model, word):
    if library == "embkit":
        import embkit

        start, cpu = time.perf_counter(), time.process_time()
        answer = embkit.load(model).most_similar(word, topn=1)
    else:
        from gensim.models import KeyedVectors

        start, cpu = time.perf_counter(), time.process_time()
        answer = KeyedVectors.load(model, mmap="r").most_similar(word, topn=1)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    assert len(answer) == 1
    print(f"{seconds:.6f} {cpu_seconds:.6f}")


def repeat(library, model, word, runs):
    """Medians (wall, cpu) of `runs` fresh processes (after one to warm the page cache)."""
    wall, cpu = [], []
    for run in range(runs + 1):
        out = subprocess.run([sys.executable, __file__, library, model, word], check=True,
                             capture_output=True, text=True).stdout.split()
        if run:
            wall.append(float(out[0]))
            cpu.append(float(out[1]))
    return statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["make", "embkit", "gensim", "median"])
    parser.add_argument("path")
    parser.add_argument("word", nargs="?", default="w17")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--library", dest="package", choices=["embkit", "gensim"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.mode == "make":
        make(args.path, args.rows, args.dim)
    elif args.mode == "median":
        wall, cpu = repeat(args.package, args.path, args.word, args.runs)
        print(f"{wall:.6f} {cpu:.6f}")
    else:
        first_answer(args.mode, args.path, args.word)
    return 0


if __name__ == "__main__":
    sys.exit(main())
