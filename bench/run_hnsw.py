#!/usr/bin/python3
"""HNSW benchmark: embkit's hnsw index (embkit.VectorIndex, hnswlib's graph code with embkit's
kernels) against hnswlib's own Python binding and FAISS IndexHNSWFlat, at equal M and
ef_construction and the same thread count, for several ef_search: build seconds, queries/s of one
batched search of all held-out queries, recall@10 against exact search.

The vectors are real word vectors: skip-gram, dim 300, trained once on bench.txt.xz
(`embkit train --algo sgns --dim 300 --min-count 2 --epochs 1`, cached in bench/.cache). When the
vocabulary has fewer than rows + queries words, the rest are real rows plus Gaussian noise of a
quarter of their norm (printed). All rows are scaled to unit length and shuffled with a fixed seed;
the last `queries` rows are held out as queries. Every library searches by inner product on the same
unit rows (embkit with metric cosine, which normalizes again: a no-op on these rows).

Each run builds one index per library (in alternating order) and searches it at every ef_search
`--search-reps` times; the table shows medians over runs and repetitions and embkit's ratios.

usage: bench/run_hnsw.py [--build DIR] [--runs 2] [--search-reps 3] [--rows 200000]
                         [--queries 10000] [--M 32] [--ef-construction 200]
                         [--ef 16,32,64,128,256] [--threads 2]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

# embkit and FAISS share libgomp in this process; on a busy machine spinning idle OpenMP threads
# steal the cores the other threads need (FAISS's build slowed ~5x here), so they sleep instead.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(REPO, "..", "shared", "data", "corpus", "bench.txt.xz")


def model_path(build, cache, threads):
    path = os.path.join(cache, "bench_sgns300.emb")
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        print(f"training the benchmark model into {path} ...", file=sys.stderr)
        subprocess.run([os.path.join(build, "embkit"), "train", "--input", CORPUS, "--output", path,
                        "--algo", "sgns", "--dim", "300", "--min-count", "2", "--epochs", "1",
                        "--threads", str(threads)], check=True)
    return path


def dataset(embkit, path, rows, queries):
    vectors = np.array(embkit.load(path).vectors, dtype=np.float32)
    real = len(vectors)
    rng = np.random.default_rng(20261204)
    wanted = rows + queries
    if real < wanted:
        picks = rng.integers(0, real, wanted - real)
        base = vectors[picks]
        noise = rng.normal(size=base.shape).astype(np.float32)
        noise *= 0.25 * np.linalg.norm(base, axis=1, keepdims=True) / np.sqrt(base.shape[1])
        vectors = np.vstack([vectors, base + noise])
    vectors = vectors[rng.permutation(len(vectors))[:wanted]]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
    return vectors[:rows], vectors[rows:], real


def exact_top10(faiss, base, queries):
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    return index.search(queries, 10)[1]


def recall(found, truth):
    hits = sum(len(set(f) & set(t)) for f, t in zip(found.tolist(), truth.tolist()))
    return hits / truth.size


class Embkit:
    name = "embkit"

    def __init__(self, embkit):
        self.embkit = embkit

    def build(self, base, M, efc, threads):
        kv = self.embkit.KeyedVectors([str(i) for i in range(len(base))], base)
        start = time.perf_counter()
        self.index = self.embkit.VectorIndex.build(kv, "hnsw", params=f"M={M},ef_construction={efc}",
                                                   threads=threads)
        return time.perf_counter() - start

    def search(self, queries, ef, threads):
        self.index.ef_search = ef
        start = time.perf_counter()
        ids, _ = self.index.search(queries, k=10, threads=threads)
        return time.perf_counter() - start, ids


class Hnswlib:
    name = "hnswlib"

    def __init__(self, hnswlib):
        self.hnswlib = hnswlib

    def build(self, base, M, efc, threads):
        start = time.perf_counter()
        self.index = self.hnswlib.Index(space="ip", dim=base.shape[1])
        self.index.init_index(max_elements=len(base), M=M, ef_construction=efc, random_seed=1)
        self.index.set_num_threads(threads)
        self.index.add_items(base, np.arange(len(base)))
        return time.perf_counter() - start

    def search(self, queries, ef, threads):
        self.index.set_ef(ef)
        start = time.perf_counter()
        ids, _ = self.index.knn_query(queries, k=10, num_threads=threads)
        return time.perf_counter() - start, ids


class Faiss:
    name = "faiss"

    def __init__(self, faiss):
        self.faiss = faiss

    def build(self, base, M, efc, threads):
        self.faiss.omp_set_num_threads(threads)
        start = time.perf_counter()
        self.index = self.faiss.IndexHNSWFlat(base.shape[1], M, self.faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = efc
        self.index.add(base)
        return time.perf_counter() - start

    def search(self, queries, ef, threads):
        self.faiss.omp_set_num_threads(threads)
        self.index.hnsw.efSearch = ef
        start = time.perf_counter()
        _, ids = self.index.search(queries, 10)
        return time.perf_counter() - start, ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--cache", default=os.path.join(HERE, ".cache"))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--search-reps", type=int, default=3)
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--M", type=int, default=32)
    parser.add_argument("--ef-construction", type=int, default=200)
    parser.add_argument("--ef", default="16,32,64,128,256")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import embkit
    import faiss
    import hnswlib

    efs = [int(e) for e in args.ef.split(",")]
    base, queries, real = dataset(embkit, model_path(args.build, args.cache, args.threads),
                                  args.rows, args.queries)
    padded = max(0, args.rows + args.queries - real)
    print(f"vectors: {real} real sgns-300 rows from bench.txt.xz"
          + (f" + {padded} perturbed copies" if padded else "")
          + f"; {len(base)} indexed, {len(queries)} held-out queries; M={args.M} "
          f"ef_construction={args.ef_construction} threads={args.threads}", flush=True)
    faiss.omp_set_num_threads(args.threads)
    truth = exact_top10(faiss, base, queries)

    libraries = [Embkit(embkit), Hnswlib(hnswlib), Faiss(faiss)]
    builds = {lib.name: [] for lib in libraries}
    seconds = {(lib.name, ef): [] for lib in libraries for ef in efs}
    recalls = {}
    for run in range(args.runs):
        order = libraries if run % 2 == 0 else libraries[::-1]
        for lib in order:
            builds[lib.name].append(lib.build(base, args.M, args.ef_construction, args.threads))
            print(f"run {run + 1}: {lib.name} built in {builds[lib.name][-1]:.1f} s", flush=True)
            for ef in efs:
                for _ in range(args.search_reps):
                    took, ids = lib.search(queries, ef, args.threads)
                    seconds[(lib.name, ef)].append(took)
                recalls[(lib.name, ef)] = recall(np.asarray(ids), truth)
                print(f"run {run + 1}: {lib.name} ef_search={ef}: "
                      f"{len(queries) / statistics.median(seconds[(lib.name, ef)][-args.search_reps:]):,.0f}"
                      f" queries/s, recall@10 {recalls[(lib.name, ef)]:.4f}", flush=True)
            lib.index = None

    print()
    print("| ef_search | embkit QPS | hnswlib QPS | FAISS QPS | embkit / hnswlib | embkit / FAISS "
          "| recall@10 embkit | hnswlib | FAISS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ef in efs:
        qps = {name: len(queries) / statistics.median(seconds[(name, ef)])
               for name in ("embkit", "hnswlib", "faiss")}
        print(f"| {ef} | {qps['embkit']:,.0f} | {qps['hnswlib']:,.0f} | {qps['faiss']:,.0f} "
              f"| {qps['embkit'] / qps['hnswlib']:.2f} | {qps['embkit'] / qps['faiss']:.2f} "
              f"| {recalls[('embkit', ef)]:.4f} | {recalls[('hnswlib', ef)]:.4f} "
              f"| {recalls[('faiss', ef)]:.4f} |")
    build = {name: statistics.median(values) for name, values in builds.items()}
    print(f"\nbuild seconds (median of {args.runs}): embkit {build['embkit']:.1f}, hnswlib "
          f"{build['hnswlib']:.1f}, FAISS {build['faiss']:.1f}; embkit / hnswlib "
          f"{build['embkit'] / build['hnswlib']:.2f}, embkit / FAISS "
          f"{build['embkit'] / build['faiss']:.2f} (time ratios: below 1 is faster)")
    target = [ef for ef in efs if recalls[("embkit", ef)] >= 0.99]
    if target:
        ef = target[0]
        ratio = (statistics.median(seconds[("hnswlib", ef)])
                 / statistics.median(seconds[("embkit", ef)]))
        verdict = "PASS" if ratio >= 0.95 else "FAIL"
        print(f"target recall@10 >= 0.99 at >= 0.95x hnswlib QPS: ef_search={ef}, recall "
              f"{recalls[('embkit', ef)]:.4f}, {ratio:.2f}x hnswlib: {verdict}")
    else:
        print("target recall@10 >= 0.99: not reached at these ef_search values: FAIL")


if __name__ == "__main__":
    main()
