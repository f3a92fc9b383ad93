#!/usr/bin/python3
"""k-means and linear-probe benchmark: `embkit cluster` against scikit-learn's KMeans (lloyd,
n_init=1) and FAISS's Kmeans on the same Gaussian blobs, and `embkit probe` against scikit-learn's
LogisticRegression on the same train/test split.

k-means: 100,000 points x 100 dimensions around 100 centres (make_blobs, seed 0, float32), k = 100,
one k-means++ seeding (FAISS seeds with random rows: it has no k-means++), at most 20 Lloyd iterations
(tol 0; embkit and scikit-learn still stop when the labels stop changing, FAISS always runs 20),
2 threads; blobs with cluster_std 1 (separated: the optimum can be found in a few iterations) and 10
(overlapping: all 20 iterations run). Seconds are each library's own clustering time (embkit's "seconds" from --json:
seeding, iterations and the final assignment; KMeans.fit; Kmeans.train), plus embkit's whole process
(reading the .npy model included). FAISS runs on all points (max_points_per_centroid raised) and with
its default subsample of 256 points per centroid. Inertia is recomputed for every result the same way
(each point to its nearest returned centroid, float64), so it compares the centroids, not bookkeeping.

Probe: 20,000 words x 100 dimensions, 10 planted labels (Gaussian classes, overlapping), test
fraction 0.2. embkit's "seconds" (split, LIBLINEAR training, prediction; one-vs-rest problems on
the threads; at LIBLINEAR's default eps 0.01 and at scikit-learn's 1e-4) against LogisticRegression
fit + predict on the same split (read back from --dump-split): solver liblinear (the same model) and
the default lbfgs (multinomial).

usage: bench/run_cluster.py [--build DIR] [--runs 3] [--threads 2] [--only kmeans|probe]
                            [--cluster-std 1 10]
Prints per-run lines, then markdown tables of medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def nearest_inertia(points, centroids):
    import faiss
    index = faiss.IndexFlatL2(points.shape[1])
    index.add(np.ascontiguousarray(centroids, dtype=np.float32))
    _, ids = index.search(points, 1)
    diff = points.astype(np.float64) - centroids.astype(np.float64)[ids[:, 0]]
    return float((diff * diff).sum())


def run_embkit_kmeans(embkit, model, words, points, threads, work):
    out = os.path.join(work, "w2c.tsv")
    start = time.perf_counter()
    p = subprocess.run([embkit, "cluster", model, "--labels", words, "--k", "100", "--metric", "l2",
                        "--restarts", "1", "--max-iter", "20", "--tol", "0", "--seed", "1",
                        "--threads", str(threads), "--silhouette-sample", "2000", "--json",
                        "--output", out], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    result = json.loads(p.stdout)
    labels = np.loadtxt(out, dtype=np.int64, usecols=1)
    centroids = np.zeros((100, points.shape[1]))
    np.add.at(centroids, labels, points.astype(np.float64))
    centroids /= np.maximum(1, np.bincount(labels, minlength=100))[:, None]
    return (result["seconds"], wall, nearest_inertia(points, centroids), result["inertia"],
            result["iterations"])


def run_sklearn_kmeans(points):
    from sklearn.cluster import KMeans
    start = time.perf_counter()
    km = KMeans(n_clusters=100, n_init=1, max_iter=20, tol=0, algorithm="lloyd",
                random_state=1).fit(points)
    seconds = time.perf_counter() - start
    return seconds, nearest_inertia(points, km.cluster_centers_), km.inertia_, km.n_iter_


def run_faiss_kmeans(points, threads, subsample):
    import faiss
    faiss.omp_set_num_threads(threads)
    kwargs = {} if subsample else {"max_points_per_centroid": points.shape[0]}
    km = faiss.Kmeans(points.shape[1], 100, niter=20, seed=1, verbose=False, **kwargs)
    start = time.perf_counter()
    km.train(points)
    seconds = time.perf_counter() - start
    return seconds, nearest_inertia(points, km.centroids), float(km.obj[-1]), len(km.obj)


def kmeans_table(embkit, runs, threads, work, cluster_std):
    from sklearn.datasets import make_blobs
    points, _ = make_blobs(n_samples=100_000, n_features=100, centers=100, random_state=0,
                           cluster_std=cluster_std)
    points = np.ascontiguousarray(points, dtype=np.float32)
    model = os.path.join(work, "blobs.npy")
    words = os.path.join(work, "blobs.words.txt")
    np.save(model, points)
    with open(words, "w") as f:
        f.writelines(f"p{i}\n" for i in range(points.shape[0]))
    rows = {"embkit": [], "embkit (whole process)": [], "scikit-learn KMeans (lloyd)": [],
            "FAISS Kmeans (all points)": [], "FAISS Kmeans (256 per centroid)": []}
    inertia, iterations = {}, {}
    for run in range(runs):
        s, wall, nearest, own, its = run_embkit_kmeans(embkit, model, words, points, threads, work)
        rows["embkit"].append(s)
        rows["embkit (whole process)"].append(wall)
        inertia["embkit"] = inertia["embkit (whole process)"] = nearest
        iterations["embkit"] = iterations["embkit (whole process)"] = its
        print(f"run {run}: embkit {s:.3f} s (process {wall:.3f} s), inertia {nearest:.6g} "
              f"(reported {own:.6g})", flush=True)
        s, nearest, own, its = run_sklearn_kmeans(points)
        rows["scikit-learn KMeans (lloyd)"].append(s)
        inertia["scikit-learn KMeans (lloyd)"] = nearest
        iterations["scikit-learn KMeans (lloyd)"] = its
        print(f"run {run}: sklearn {s:.3f} s, inertia {nearest:.6g} (reported {own:.6g})", flush=True)
        for subsample, name in ((False, "FAISS Kmeans (all points)"),
                                (True, "FAISS Kmeans (256 per centroid)")):
            s, nearest, own, its = run_faiss_kmeans(points, threads, subsample)
            rows[name].append(s)
            inertia[name] = nearest
            iterations[name] = its
            print(f"run {run}: {name} {s:.3f} s, inertia {nearest:.6g} (last iteration {own:.6g})",
                  flush=True)
    base = statistics.median(rows["embkit"])
    print(f"\nk-means, 100,000 x 100 blobs (cluster_std {cluster_std}), k = 100, at most 20 "
          f"iterations, {threads} threads, median of {runs}\n")
    print("| run | seconds | vs embkit | iterations | inertia |\n|---|---:|---:|---:|---:|")
    for name, times in rows.items():
        median = statistics.median(times)
        print(f"| {name} | {median:.3f} | {median / base:.2f}x | {iterations[name]} | "
              f"{inertia[name]:.6g} |")


def probe_table(embkit, runs, threads, work):
    from sklearn.linear_model import LogisticRegression
    rng = np.random.default_rng(0)
    n, dim, classes = 20_000, 100, 10
    centres = rng.normal(size=(classes, dim)) * 0.35
    truth = rng.integers(0, classes, size=n)
    vectors = (rng.normal(size=(n, dim)) + centres[truth]).astype(np.float32)
    model = os.path.join(work, "probe.vec")
    labels = os.path.join(work, "probe.labels.txt")
    with open(model, "w") as f:
        f.write(f"{n} {dim}\n")
        for i in range(n):
            f.write(f"w{i} " + " ".join(f"{v:.9g}" for v in vectors[i]) + "\n")
    with open(labels, "w") as f:
        f.writelines(f"w{i} c{truth[i]}\n" for i in range(n))
    split = os.path.join(work, "split.tsv")
    times = {"embkit probe (LIBLINEAR, eps 0.01)": [], "embkit probe (LIBLINEAR, eps 1e-4)": [],
             "LogisticRegression liblinear (tol 1e-4)": [], "LogisticRegression lbfgs": []}
    accuracy = {}
    for run in range(runs):
        for tol, name in (("0.01", "embkit probe (LIBLINEAR, eps 0.01)"),
                          ("1e-4", "embkit probe (LIBLINEAR, eps 1e-4)")):
            p = subprocess.run([embkit, "probe", model, "--labels", labels, "--json", "--tol", tol,
                                "--threads", str(threads), "--dump-split", split],
                               capture_output=True, text=True, check=True)
            result = json.loads(p.stdout)
            times[name].append(result["seconds"])
            accuracy[name] = result["accuracy"]
        index, train, test = {f"w{i}": i for i in range(n)}, [], []
        with open(split) as f:
            for line in f:
                word, label, part, _ = line.rstrip("\n").split("\t")
                (train if part == "train" else test).append((index[word], label))
        tx, ty = vectors[[i for i, _ in train]], [l for _, l in train]
        vx, vy = vectors[[i for i, _ in test]], np.array([l for _, l in test])
        for name, clf in (("LogisticRegression liblinear (tol 1e-4)",
                           LogisticRegression(solver="liblinear")),
                          ("LogisticRegression lbfgs", LogisticRegression(max_iter=1000))):
            start = time.perf_counter()
            predicted = clf.fit(tx, ty).predict(vx)
            times[name].append(time.perf_counter() - start)
            accuracy[name] = float(np.mean(predicted == vy))
        print(f"run {run}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in times.items()), flush=True)
    base = statistics.median(times["embkit probe (LIBLINEAR, eps 0.01)"])
    print(f"\nlinear probe, 20,000 words x 100, 10 labels, test fraction 0.2, median of {runs}\n")
    print("| run | seconds | vs embkit | test accuracy |\n|---|---:|---:|---:|")
    for name, t in times.items():
        median = statistics.median(t)
        print(f"| {name} | {median:.3f} | {median / base:.2f}x | {accuracy[name]:.4f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=["kmeans", "probe"])
    parser.add_argument("--cluster-std", type=float, nargs="+", default=[1.0, 10.0],
                        help="blob spreads to run (1: separated blobs, 10: overlapping)")
    args = parser.parse_args()
    embkit = os.path.join(args.build, "embkit")
    if not os.access(embkit, os.X_OK):
        sys.exit(f"run_cluster.py: no embkit binary in {args.build}")
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    with tempfile.TemporaryDirectory() as work:
        if args.only in (None, "kmeans"):
            for cluster_std in args.cluster_std:
                kmeans_table(embkit, args.runs, args.threads, work, cluster_std)
        if args.only in (None, "probe"):
            probe_table(embkit, args.runs, args.threads, work)


if __name__ == "__main__":
    main()
