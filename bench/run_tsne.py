#!/usr/bin/python3
"""t-SNE benchmark: `embkit plot --coords` against scikit-learn's TSNE on the same points.

Points: a Gaussian mixture (20 clusters in 50 dimensions, rows scaled to unit length as `embkit plot`
does), generated from a fixed seed, at 2,000 and 10,000 points; or, with --model, the most frequent
words of a model (read through `embkit convert` to .npy). Both sides: perplexity 30, 1,000
iterations, random start, learning rate 'auto', 2 threads. scikit-learn runs its default Barnes-Hut
(angle 0.5); embkit runs `auto` (exact up to 5,000 points, Barnes-Hut above) and, at 2,000 points,
Barnes-Hut as well. Repetitions alternate embkit and scikit-learn with a different seed each;
the table shows medians of --runs (default 3): seconds of the t-SNE itself (embkit's own timing,
excluding loading and drawing), seconds of the whole embkit process, the final KL divergence, and
trustworthiness at k=5 (scikit-learn's formula, computed in row blocks so 10,000 points fit).

usage: bench/run_tsne.py [--build DIR] [--runs 3] [--sizes 2000,10000] [--model MODEL]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.manifold import TSNE


def mixture(n, rng, clusters=20, dim=50):
    centres = rng.normal(0, 1, size=(clusters, dim))
    rows = centres[rng.integers(0, clusters, size=n)] + rng.normal(0, 0.45, size=(n, dim))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def model_rows(build, model, n, directory):
    npy = os.path.join(directory, "model.npy")
    subprocess.run([os.path.join(build, "embkit"), "convert", model, npy, "--to", "npy"], check=True,
                   capture_output=True)
    rows = np.load(npy)[:n].astype(np.float64)
    return (rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def trustworthiness(data, embedded, k=5, block=500):
    """1 - 2/(n k (2n - 3k - 1)) * sum_i sum_{j in k-NN of i in the map} max(0, r(i, j) - k)."""
    n = len(data)
    data = data.astype(np.float64)
    embedded = embedded.astype(np.float64)
    sq = (data ** 2).sum(1)
    esq = (embedded ** 2).sum(1)
    penalty = 0.0
    for start in range(0, n, block):
        rows = slice(start, min(n, start + block))
        d = sq[rows, None] + sq[None, :] - 2 * data[rows] @ data.T
        e = esq[rows, None] + esq[None, :] - 2 * embedded[rows] @ embedded.T
        index = np.arange(rows.start, rows.stop)
        d[np.arange(len(index)), index] = -np.inf
        e[np.arange(len(index)), index] = np.inf
        order = np.argsort(d, axis=1, kind="stable")
        ranks = np.empty_like(order)
        ranks[np.arange(len(index))[:, None], order] = np.arange(n)[None, :]
        neighbours = np.argpartition(e, k, axis=1)[:, :k]
        r = np.take_along_axis(ranks, neighbours, axis=1)
        penalty += np.maximum(r - k, 0).sum()
    return 1 - 2.0 / (n * k * (2 * n - 3 * k - 1)) * penalty


def run_embkit(build, data, directory, method, seed, threads):
    np.save(os.path.join(directory, "x.npy"), data)
    labels = os.path.join(directory, "labels.txt")
    with open(labels, "w") as f:
        f.writelines(f"p{i}\n" for i in range(len(data)))
    coords = os.path.join(directory, "coords.tsv")
    start = time.perf_counter()
    done = subprocess.run(
        [os.path.join(build, "embkit"), "plot", os.path.join(directory, "x.npy"), "--labels", labels,
         "--top", str(len(data)), "--out", os.path.join(directory, "map.png"), "--coords", coords,
         "--perplexity", "30", "--iterations", "1000", "--tsne-method", method, "--seed", str(seed),
         "--threads", str(threads)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"embkit failed: {done.stderr}")
    seconds = float(re.search(r"KL [0-9.]+, ([0-9.]+) s", done.stderr).group(1))
    kl = float(re.search(r"KL ([0-9.]+)", done.stderr).group(1))
    coordinates = np.loadtxt(coords, dtype=str, delimiter="\t")[:, 1:].astype(np.float64)
    return {"seconds": seconds, "wall": wall, "kl": kl, "trust": trustworthiness(data, coordinates)}


def run_sklearn(data, seed, threads):
    start = time.perf_counter()
    model = TSNE(n_components=2, perplexity=30, n_iter=1000, init="random", learning_rate="auto",
                 method="barnes_hut", angle=0.5, random_state=seed, n_jobs=threads)
    embedded = model.fit_transform(data)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "wall": seconds, "kl": float(model.kl_divergence_),
            "trust": trustworthiness(data, embedded)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--model", default="")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for n in [int(s) for s in args.sizes.split(",")]:
            data = (model_rows(args.build, args.model, n, directory) if args.model
                    else mixture(n, np.random.default_rng(n)))
            methods = ["auto", "barnes-hut"] if n <= 5000 else ["auto"]
            results = {m: [] for m in methods + ["sklearn"]}
            for run in range(args.runs):
                for m in methods:
                    r = run_embkit(args.build, data, directory, m, run + 1, args.threads)
                    results[m].append(r)
                    print(f"n={n} embkit {m} run {run}: {r}", flush=True)
                r = run_sklearn(data, run + 1, args.threads)
                results["sklearn"].append(r)
                print(f"n={n} sklearn run {run}: {r}", flush=True)
            for name, runs in results.items():
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                label = {"auto": "embkit " + ("exact" if n <= 5000 else "Barnes-Hut"),
                         "barnes-hut": "embkit Barnes-Hut", "sklearn": "sklearn Barnes-Hut"}[name]
                rows.append((n, label, med))
    print()
    print("| points | implementation | t-SNE s | process s | KL | trustworthiness (k=5) | sklearn s / embkit s |")
    print("|---|---|---|---|---|---|---|")
    sk = {n: med["seconds"] for n, label, med in rows if label.startswith("sklearn")}
    for n, label, med in rows:
        ratio = "" if label.startswith("sklearn") else f"{sk[n] / med['seconds']:.1f}x"
        print(f"| {n:,} | {label} | {med['seconds']:.2f} | {med['wall']:.2f} | {med['kl']:.3f} | "
              f"{med['trust']:.4f} | {ratio} |")


if __name__ == "__main__":
    main()
