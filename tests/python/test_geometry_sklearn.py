#!/usr/bin/python3
"""embkit transform against scikit-learn and numpy on the same vectors.

Random data with distinct column scales and planted low-rank data (four strong directions plus
noise) are written as .npy; `embkit transform` runs PCA, whitening, all-but-the-top and random
projections on them. Checked: PCA projections, components, means and explained variance ratios
equal sklearn.decomposition.PCA's (svd_solver='full') up to the sign of each component, and
embkit's sign convention holds (largest-|loading| coordinate positive); PCA whitening with eps 0
equals PCA(whiten=True); ZCA whitening equals numpy's V diag(1/sqrt(lambda + eps)) V^T; abtt
equals removing the top sklearn components from the centered data; `embkit jl` equals
sklearn.random_projection.johnson_lindenstrauss_min_dim rounded up (scikit-learn truncates).

Exit status: 0 pass, 1 fail, 77 skipped (numpy, scikit-learn or the embkit binary missing).
"""
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

SKIP = 77

try:
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.random_projection import johnson_lindenstrauss_min_dim
except ImportError as error:
    print(f"skip: {error}")
    sys.exit(SKIP)

EMBKIT = os.environ.get("EMBKIT_BIN", "")
if not EMBKIT or not os.access(EMBKIT, os.X_OK):
    print("skip: EMBKIT_BIN does not name the embkit binary")
    sys.exit(SKIP)

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run_embkit(*args):
    done = subprocess.run([EMBKIT, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"embkit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def write_model(work, name, x):
    path = os.path.join(work, name + ".npy")
    np.save(path, x.astype(np.float32))
    with open(os.path.join(work, name + ".labels.txt"), "w") as f:
        f.write("".join(f"w{i}\n" for i in range(len(x))))
    return path


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=np.float32).reshape(entry["shape"])
    return header["__metadata__"], tensors


def transform(work, model, steps, *extra):
    out = os.path.join(work, "out.npy")
    saved = os.path.join(work, "t.safetensors")
    report = json.loads(run_embkit("transform", model, out, "--steps", steps, "--json",
                                   "--threads", "2", "--save-transform", saved, *extra))
    return np.load(out).astype(np.float64), report, read_safetensors(saved)


def signs_against(ours, theirs):
    """Per column +1/-1 that best aligns theirs with ours."""
    return np.where(np.sum(ours * theirs, axis=0) < 0, -1.0, 1.0)


def close(a, b, scale, tolerance=2e-5):
    return np.max(np.abs(a - b)) <= tolerance * scale


def check_pca(work, label, x, k):
    model = write_model(work, label, x)
    ours, report, (_, tensors) = transform(work, model, f"pca:{k}")
    x64 = x.astype(np.float32).astype(np.float64)
    pca = PCA(n_components=k, svd_solver="full").fit(x64)
    theirs = pca.transform(x64)
    signs = signs_against(ours, theirs)
    scale = math.sqrt(pca.explained_variance_[0])
    check(ours.shape == theirs.shape, f"{label}: shape {ours.shape} vs {theirs.shape}")
    check(close(ours, theirs * signs, scale),
          f"{label}: projections differ by {np.max(np.abs(ours - theirs * signs)):.3g}")
    components = tensors["step0.weights"].astype(np.float64)
    check(close(components, pca.components_ * signs[:, None], 1.0, 1e-5),
          f"{label}: components differ from sklearn's")
    largest = components[np.arange(k), np.argmax(np.abs(components), axis=1)]
    check(np.all(largest > 0), f"{label}: a largest loading is negative")
    check(close(tensors["step0.shift"], pca.mean_, np.max(np.abs(pca.mean_)), 1e-6),
          f"{label}: mean differs")
    ratios = np.array(report["steps"][0]["explained_variance_ratio"])
    check(np.allclose(ratios, pca.explained_variance_ratio_, rtol=1e-5, atol=1e-9),
          f"{label}: explained variance ratio {ratios[:3]} vs {pca.explained_variance_ratio_[:3]}")
    return model


def check_whitening(work, model, x):
    x64 = x.astype(np.float32).astype(np.float64)
    ours, _, _ = transform(work, model, "whiten:pca:0")
    theirs = PCA(whiten=True, svd_solver="full").fit_transform(x64)
    signs = signs_against(ours, theirs)
    check(close(ours, theirs * signs, 1.0, 1e-4), "PCA whitening differs from PCA(whiten=True)")
    check(np.allclose(np.cov(ours, rowvar=False), np.eye(x.shape[1]), atol=1e-4),
          "PCA-whitened covariance is not the identity")
    eps = 1e-3
    ours, _, _ = transform(work, model, f"whiten:zca:{eps}")
    centered = x64 - x64.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(x64, rowvar=False))
    zca = vectors @ np.diag(1 / np.sqrt(np.maximum(values, 0) + eps)) @ vectors.T
    check(close(ours, centered @ zca, 1.0, 1e-4),
          f"ZCA whitening differs from numpy by {np.max(np.abs(ours - centered @ zca)):.3g}")


def check_abtt(work, model, x, remove):
    x64 = x.astype(np.float32).astype(np.float64)
    ours, report, _ = transform(work, model, f"abtt:{remove}")
    pca = PCA(n_components=remove, svd_solver="full").fit(x64)
    centered = x64 - pca.mean_
    theirs = centered - centered @ pca.components_.T @ pca.components_
    check(close(ours, theirs, np.max(np.abs(theirs)), 1e-4),
          f"abtt:{remove} differs from numpy by {np.max(np.abs(ours - theirs)):.3g}")
    step = report["steps"][0]
    check(step["anisotropy_after"] < step["anisotropy_before"],
          f"abtt did not lower anisotropy: {step['anisotropy_before']} -> {step['anisotropy_after']}")


def check_jl():
    for n in (1, 2, 10, 200, 1000, 123456, 10**7):
        for eps in (0.05, 0.1, 0.3, 0.5, 0.9):
            ours = json.loads(run_embkit("jl", "--n", str(n), "--eps", str(eps), "--json"))["min_dim"]
            theirs = int(johnson_lindenstrauss_min_dim(n, eps=eps))
            exact = 4 * math.log(n) / (eps**2 / 2 - eps**3 / 3)
            check(ours == math.ceil(exact) and ours in (theirs, theirs + 1),
                  f"jl n={n} eps={eps}: {ours}, sklearn {theirs}, bound {exact}")


def main():
    rng = np.random.default_rng(5)
    scales = np.linspace(6, 0.5, 30)
    random_data = rng.normal(size=(500, 30)) * scales + 2.0
    basis = np.linalg.qr(rng.normal(size=(50, 4)))[0].T
    low_rank = rng.normal(size=(400, 4)) * [8, 5, 3, 2] @ basis + 0.05 * rng.normal(size=(400, 50))
    low_rank[:, 0] += 4.0  # a common direction for abtt to remove
    with tempfile.TemporaryDirectory() as work:
        model = check_pca(work, "random", random_data, 10)
        check_whitening(work, model, random_data)
        low = check_pca(work, "lowrank", low_rank, 6)
        check_abtt(work, low, low_rank, 3)
    check_jl()
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok: PCA, whitening, abtt and jl match scikit-learn / numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
