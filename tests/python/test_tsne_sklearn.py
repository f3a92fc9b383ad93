#!/usr/bin/python3
"""embkit's t-SNE (through `embkit plot --coords`) against scikit-learn's TSNE on planted blobs.

Six Gaussian blobs in 30 dimensions (rows scaled to unit length, as `embkit plot` does before
t-SNE) are mapped by embkit with the exact gradient and with Barnes-Hut, and by scikit-learn's
TSNE with the same perplexity, iterations, random initialisation and learning rate 'auto'. Both
must reach a trustworthiness (sklearn.manifold.trustworthiness, k=5) of at least 0.9 and embkit
may trail scikit-learn by at most 0.02. The KL divergence embkit reports must be close to
scikit-learn's kl_divergence_ (within 25%: different random starts land in different minima).

Exit status: 0 pass, 1 fail, 77 skipped (numpy or scikit-learn or the embkit binary missing).
"""
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77

try:
    import numpy as np
    from sklearn.manifold import TSNE, trustworthiness
except ImportError as error:
    print(f"skip: {error}")
    sys.exit(SKIP)

EMBKIT = os.environ.get("EMBKIT_BIN", "")
if not EMBKIT or not os.access(EMBKIT, os.X_OK):
    print("skip: EMBKIT_BIN does not name the embkit binary")
    sys.exit(SKIP)

failures = []


def check(condition, message):
    print(("ok:   " if condition else "FAIL: ") + message)
    if not condition:
        failures.append(message)


def blobs(rng, clusters=6, per=80, dim=30):
    centres = rng.normal(0, 1, size=(clusters, dim)) * 3
    rows = np.concatenate([c + rng.normal(0, 0.6, size=(per, dim)) for c in centres])
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def embkit_map(data, directory, method):
    np.save(os.path.join(directory, "x.npy"), data)
    labels = os.path.join(directory, "labels.txt")
    with open(labels, "w") as f:
        f.writelines(f"p{i}\n" for i in range(len(data)))
    coords = os.path.join(directory, f"{method}.tsv")
    done = subprocess.run(
        [EMBKIT, "plot", os.path.join(directory, "x.npy"), "--labels", labels, "--top", str(len(data)),
         "--out", os.path.join(directory, f"{method}.svg"), "--coords", coords, "--perplexity", "30",
         "--iterations", "1000", "--tsne-method", method, "--seed", "1", "--threads", "2"],
        capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"embkit plot failed ({done.returncode}): {done.stderr}")
    kl = float(re.search(r"KL ([0-9.]+)", done.stderr).group(1))
    table = np.loadtxt(coords, dtype=str, delimiter="\t")
    assert list(table[:, 0]) == [f"p{i}" for i in range(len(data))]
    return table[:, 1:].astype(np.float64), kl


def main():
    rng = np.random.default_rng(3)
    data = blobs(rng)
    reference = TSNE(n_components=2, perplexity=30, n_iter=1000, init="random", learning_rate="auto",
                     random_state=0, method="exact").fit(data)
    t_sklearn = trustworthiness(data, reference.embedding_, n_neighbors=5)
    print(f"scikit-learn exact: trustworthiness {t_sklearn:.4f}, KL {reference.kl_divergence_:.4f}")
    with tempfile.TemporaryDirectory() as directory:
        for method in ("exact", "barnes-hut"):
            coords, kl = embkit_map(data, directory, method)
            t = trustworthiness(data, coords, n_neighbors=5)
            print(f"embkit {method}: trustworthiness {t:.4f}, KL {kl:.4f}")
            check(t >= 0.9, f"{method}: trustworthiness {t:.4f} >= 0.9")
            check(t >= t_sklearn - 0.02, f"{method}: trustworthiness {t:.4f} within 0.02 of sklearn's {t_sklearn:.4f}")
            check(abs(kl - reference.kl_divergence_) <= 0.25 * reference.kl_divergence_,
                  f"{method}: KL {kl:.4f} within 25% of sklearn's {reference.kl_divergence_:.4f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
