"""Load-time benchmark, gensim half (bench/run_load.sh runs both halves).

    load_gensim.py w2v FILE [--binary] [--repetitions R]   KeyedVectors.load_word2vec_format
    load_gensim.py kv FILE.kv [--repetitions R]             KeyedVectors.load(mmap='r') (gensim's own
                                                            format, memory-mapped: its fastest load)
    load_gensim.py make-kv SOURCE.bin OUT.kv                 convert once for the `kv` timing

Prints "median min max" in seconds, like load_bench.
"""
import argparse
import statistics
import sys
import time

from gensim.models import KeyedVectors


def time_calls(load, repetitions):
    load()  # warm the page cache like the C++ side does
    seconds = []
    for _ in range(repetitions):
        start = time.perf_counter()
        model = load()
        seconds.append(time.perf_counter() - start)
        assert len(model.index_to_key) > 0
    print(f"{statistics.median(seconds):.6f} {min(seconds):.6f} {max(seconds):.6f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["w2v", "kv", "make-kv"])
    parser.add_argument("file")
    parser.add_argument("output", nargs="?")
    parser.add_argument("--binary", action="store_true")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "w2v":
        time_calls(lambda: KeyedVectors.load_word2vec_format(args.file, binary=args.binary),
                   args.repetitions)
    elif args.mode == "kv":
        time_calls(lambda: KeyedVectors.load(args.file, mmap="r"), args.repetitions)
    else:
        KeyedVectors.load_word2vec_format(args.file, binary=True).save(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
