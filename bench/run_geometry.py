#!/usr/bin/python3
"""Geometry benchmark: `embkit transform --steps pca:50` and `--steps center,whiten` on a 100k x 300
float32 matrix against scikit-learn PCA (svd_solver='full' and 'randomized') and whitening in numpy
(mean, covariance, eigh, multiply). Same matrix for all, generated from a fixed seed with decaying
column scales and a shared offset (the shape of word vectors).

embkit is timed two ways: the whole command (reading the .npy, fitting, applying, writing the output
.npy) and the in-library seconds its --json report gives for fitting and applying the steps. The
Python anchors are timed in-process on the array already in memory (no file I/O), so the
in-library column is the like-for-like one. Repetitions alternate embkit and the anchors; medians.

usage: bench/run_geometry.py [--build DIR] [--runs 3] [--rows 100000] [--dim 300] [--threads 2]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def anchor_env(threads):
    env = dict(os.environ)
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(key, None)
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
    return env


def embkit_run(binary, model, out, steps, threads):
    start = time.perf_counter()
    done = subprocess.run([binary, "transform", model, out, "--steps", steps, "--json",
                           "--threads", str(threads)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"embkit failed: {done.stderr}")
    report = json.loads(done.stdout)
    return wall, sum(step["seconds"] for step in report["steps"])


# The anchors run in a child process so that OpenBLAS picks up the thread count.
ANCHOR = r"""
import sys, time, numpy as np
from sklearn.decomposition import PCA
x = np.load(sys.argv[1]); which = sys.argv[2]
start = time.perf_counter()
if which == "full":
    PCA(n_components=50, svd_solver="full").fit_transform(x)
elif which == "randomized":
    PCA(n_components=50, svd_solver="randomized", random_state=0).fit_transform(x)
else:
    mean = x.mean(axis=0, dtype=np.float64)
    centered = x - mean.astype(np.float32)
    cov = (centered.T.astype(np.float64) @ centered.astype(np.float64)) / (len(x) - 1)
    values, vectors = np.linalg.eigh(cov)
    w = (vectors / np.sqrt(np.maximum(values, 0) + 1e-5)).T.astype(np.float32)
    y = centered @ w.T
print(time.perf_counter() - start)
"""


def anchor_run(model, which, threads):
    done = subprocess.run(["/usr/bin/python3", "-c", ANCHOR, model, which], capture_output=True,
                          text=True, env=anchor_env(threads))
    if done.returncode != 0:
        sys.exit(f"anchor {which} failed: {done.stderr}")
    return float(done.stdout.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import numpy as np

    binary = os.path.join(args.build, "embkit")
    rng = np.random.default_rng(1)
    scales = np.geomspace(3.0, 0.1, args.dim)
    x = (rng.standard_normal((args.rows, args.dim), dtype=np.float32) * scales + 0.5).astype(np.float32)
    with tempfile.TemporaryDirectory() as work:
        model = os.path.join(work, "data.npy")
        np.save(model, x)
        with open(os.path.join(work, "data.labels.txt"), "w") as f:
            f.write("".join(f"w{i}\n" for i in range(args.rows)))
        out = os.path.join(work, "out.npy")
        cases = [("pca:50", ["full", "randomized"]), ("center,whiten", ["numpy-whiten"])]
        results = {}
        for run in range(args.runs):
            for steps, anchors in cases:
                wall, library = embkit_run(binary, model, out, steps, args.threads)
                results.setdefault((steps, "embkit command"), []).append(wall)
                results.setdefault((steps, "embkit in-library"), []).append(library)
                for which in anchors:
                    results.setdefault((steps, which), []).append(anchor_run(model, which, args.threads))
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    print(f"{args.rows} x {args.dim} float32, {args.threads} threads, median of {args.runs}\n")
    print("| steps | embkit command s | embkit in-library s | anchor | anchor s | in-library ratio (anchor / embkit) |")
    print("|---|---|---|---|---|---|")
    for steps, anchors in cases:
        command = statistics.median(results[(steps, "embkit command")])
        library = statistics.median(results[(steps, "embkit in-library")])
        for which in anchors:
            anchor = statistics.median(results[(steps, which)])
            name = which if which == "numpy-whiten" else f"sklearn PCA {which}"
            print(f"| {steps} | {command:.2f} | {library:.2f} | {name} | {anchor:.2f} | {anchor / library:.2f}x |")


if __name__ == "__main__":
    main()
