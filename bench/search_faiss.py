#!/usr/bin/python3
"""Benchmark (b), FAISS side, and the comparison table.

Searches the .npy files written by search_bench (same directory) with FAISS IndexFlatIP in the same
cells (batched and one query at a time; 1 and 2 threads), checks that embkit's ids equal FAISS's up to
ties, and prints the median QPS per cell with the ratio embkit / FAISS.

usage: search_faiss.py DIR EMBKIT_JSON [--reps 3] [--single-queries 200] [--threads 1,2]
Thread counts apply to both FAISS's OpenMP loops and OpenBLAS's own threads (which FAISS's batched
search uses for its matrix product), so "1 thread" means one core on both sides.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:
    print("FAISS (python3-faiss) is not installed", file=sys.stderr)
    sys.exit(77)

K = 10
TIE_TOLERANCE = 1e-5


def openblas():
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib
    except OSError:
        return None


def search_cells(base, queries, reps, single_queries, thread_counts, blas):
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    cells = {}
    for mode in ("batched", "single"):
        for threads in thread_counts:
            faiss.omp_set_num_threads(threads)
            if blas is not None:
                blas.openblas_set_num_threads(threads)
            count = len(queries) if mode == "batched" else single_queries
            qps = []
            for _ in range(reps):
                start = time.perf_counter()
                if mode == "batched":
                    _, ids = index.search(queries, K)
                else:
                    ids = np.vstack([index.search(queries[q:q + 1], K)[1] for q in range(count)])
                qps.append(count / (time.perf_counter() - start))
            cells[(mode, threads)] = {"median_qps": statistics.median(qps), "qps": qps, "ids": ids}
    return cells


def agree_up_to_ties(base, queries, ours, theirs):
    """Rows whose id lists differ only where scores tie (within TIE_TOLERANCE); returns mismatches."""
    bad = 0
    for q in range(len(ours)):
        if np.array_equal(ours[q], theirs[q]):
            continue
        s_ours = base[ours[q]].astype(np.float64) @ queries[q].astype(np.float64)
        s_theirs = base[theirs[q]].astype(np.float64) @ queries[q].astype(np.float64)
        if not np.allclose(s_ours, s_theirs, rtol=0, atol=TIE_TOLERANCE):
            bad += 1
    return bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("embkit_json")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--single-queries", type=int, default=200)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]

    base = np.load(os.path.join(args.dir, "base.npy"))
    queries = np.load(os.path.join(args.dir, "queries.npy"))
    blas = openblas()
    core = blas.openblas_get_corename().decode() if blas is not None else "unknown"
    env = {key: os.environ.get(key) for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(f"FAISS {faiss.__version__}, OpenBLAS kernel: {core}, environment: {env}")

    cells = search_cells(base, queries, args.reps, args.single_queries, thread_counts, blas)
    embkit = {}
    with open(args.embkit_json) as f:
        for line in f:
            if line.startswith("{"):
                cell = json.loads(line)
                embkit[(cell["mode"], cell["threads"])] = cell

    print(f"\nexact top-{K} inner product, {base.shape[0]} x {base.shape[1]}, "
          f"{len(queries)} queries batched / {args.single_queries} one at a time, "
          f"median of {args.reps} runs (queries per second)\n")
    print(f"{'cell':<28}{'embkit':>10}{'FAISS':>10}{'ratio':>8}   ids equal up to ties")
    worst = float("inf")
    for (mode, threads), theirs in cells.items():
        ours = embkit[(mode, threads)]
        ids = np.load(os.path.join(args.dir, f"embkit_{mode}_{threads}.npy"))
        count = len(theirs["ids"])
        bad = agree_up_to_ties(base, queries, ids[:count], theirs["ids"])
        ratio = ours["median_qps"] / theirs["median_qps"]
        worst = min(worst, ratio)
        label = f"{'batched' if mode == 'batched' else 'one at a time'}, {threads} thread{'s' * (threads > 1)}"
        print(f"{label:<28}{ours['median_qps']:>10.1f}{theirs['median_qps']:>10.1f}{ratio:>7.2f}x"
              f"   {'yes' if bad == 0 else f'NO ({bad} queries differ)'}")
    print(f"\nembkit ISA: {next(iter(embkit.values()))['isa']}; lowest ratio {worst:.2f}x")


if __name__ == "__main__":
    main()
