#!/usr/bin/python3
"""embkit cluster and probe against scikit-learn on the same data.

k-means: Gaussian blobs (make_blobs) written as a word2vec text model; `embkit cluster --metric l2`
must find the planted partition (adjusted Rand 1), an inertia within 1e-3 (relative) of
KMeans(algorithm="lloyd", n_init=10)'s, an inertia equal to the formula for its own assignment
(centroids recomputed here in float64), and a silhouette equal to silhouette_score on its labels
(exact mode, euclidean and cosine). The cosine run's inertia must equal 2 * sum(1 - cos) against the
normalised cluster means.

Probe: words with planted linearly separable labels; `embkit probe --dump-split` writes the split and
its predictions, so LogisticRegression(solver="liblinear") is trained on the same training words.
Accuracy must match within one test word, macro-F1 must equal f1_score(average="macro") of embkit's
predictions, and the baseline the majority training label's test accuracy.

Exit status: 0 pass, 1 fail, 77 skipped (numpy or scikit-learn or the embkit binary missing).
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

SKIP = 77

try:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import adjusted_rand_score, f1_score, silhouette_score
except ImportError as error:
    print(f"skip: {error}")
    sys.exit(SKIP)

EMBKIT = os.environ.get("EMBKIT_BIN", "")
if not EMBKIT or not os.access(EMBKIT, os.X_OK):
    print("skip: EMBKIT_BIN does not name the embkit binary")
    sys.exit(SKIP)

warnings.filterwarnings("ignore")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)
    else:
        print("ok:", message)


def run_embkit(*args):
    done = subprocess.run([EMBKIT, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"embkit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def write_model(path, words, vectors):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n")
        for word, row in zip(words, vectors):
            f.write(word + " " + " ".join(f"{v:.9g}" for v in row) + "\n")


def read_assignment(path, words):
    index = {w: i for i, w in enumerate(words)}
    labels = np.full(len(words), -1)
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, cluster = line.rstrip("\n").split("\t")
            labels[index[word]] = int(cluster)
    return labels


def check_kmeans(work):
    points, truth = make_blobs(n_samples=3000, n_features=10, centers=6, cluster_std=1.0,
                               random_state=0)
    points = points.astype(np.float32)
    words = [f"p{i}" for i in range(len(points))]
    model = os.path.join(work, "blobs.vec")
    write_model(model, words, points)
    x = points.astype(np.float64)

    out = os.path.join(work, "l2.tsv")
    ours = json.loads(run_embkit("cluster", model, "--k", "6", "--metric", "l2", "--restarts", "3",
                                 "--silhouette-sample", "0", "--json", "--output", out).stdout)
    labels = read_assignment(out, words)
    check(adjusted_rand_score(truth, labels) == 1.0,
          f"euclidean k-means finds the planted blobs (ARI {adjusted_rand_score(truth, labels)})")
    reference = KMeans(n_clusters=6, n_init=10, algorithm="lloyd", random_state=0).fit(x)
    check(abs(ours["inertia"] - reference.inertia_) <= 1e-3 * reference.inertia_,
          f"inertia {ours['inertia']:.6f} vs scikit-learn {reference.inertia_:.6f}")
    centroids = np.array([x[labels == c].mean(axis=0) for c in range(6)])
    formula = float(((x - centroids[labels]) ** 2).sum())
    check(abs(ours["inertia"] - formula) <= 1e-6 * formula,
          f"inertia {ours['inertia']:.9g} is the formula for its assignment ({formula:.9g})")
    theirs = silhouette_score(x, labels)
    check(abs(ours["silhouette"] - theirs) <= 1e-6,
          f"euclidean silhouette {ours['silhouette']:.9f} vs scikit-learn {theirs:.9f}")

    out = os.path.join(work, "cos.tsv")
    ours = json.loads(run_embkit("cluster", model, "--k", "5", "--silhouette-sample", "0",
                                 "--json", "--output", out).stdout)
    labels = read_assignment(out, words)
    theirs = silhouette_score(x, labels, metric="cosine")
    check(abs(ours["silhouette"] - theirs) <= 1e-6,
          f"cosine silhouette {ours['silhouette']:.9f} vs scikit-learn {theirs:.9f}")
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    means = np.array([unit[labels == c].mean(axis=0) for c in range(5)])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    spherical = float(2 * (1 - (unit * means[labels]).sum(axis=1)).sum())
    check(abs(ours["inertia"] - spherical) <= 1e-5 * spherical,
          f"spherical inertia {ours['inertia']:.9g} is 2 * sum(1 - cos) = {spherical:.9g}")


def check_probe(work, margin, name):
    rng = np.random.default_rng(3)
    n, dim, classes = 800, 20, 4
    directions = rng.normal(size=(classes, dim))
    truth = rng.integers(0, classes, size=n)
    truth[rng.random(n) < 0.5] = 0  # an unbalanced label set: the baseline is not 1 / classes
    vectors = (rng.normal(size=(n, dim)) + margin * directions[truth]).astype(np.float32)
    words = [f"w{i}" for i in range(n)]
    model = os.path.join(work, "probe.vec")
    write_model(model, words, vectors)
    labels_path = os.path.join(work, "labels.txt")
    with open(labels_path, "w", encoding="utf-8") as f:
        f.write("# word label\n")
        for word, label in zip(words, truth):
            f.write(f"{word} c{label}\n")
        f.write("missing c1\n")
    split_path = os.path.join(work, "split.tsv")
    ours = json.loads(run_embkit("probe", model, "--labels", labels_path, "--json", "--seed", "7",
                                 "--tol", "1e-4", "--dump-split", split_path).stdout)
    check(list(ours)[:5] == ["accuracy", "macro_f1", "baseline_accuracy", "train", "test"],
          f"probe JSON keys {list(ours)}")
    check(ours["oov"] == 1, "the word missing from the model is counted as OOV")
    index = {w: i for i, w in enumerate(words)}
    train_x, train_y, test_x, test_y, predicted = [], [], [], [], []
    with open(split_path, encoding="utf-8") as f:
        for line in f:
            word, label, part, guess = line.rstrip("\n").split("\t")
            row = vectors[index[word]].astype(np.float64)
            if part == "train":
                train_x.append(row)
                train_y.append(label)
            else:
                test_x.append(row)
                test_y.append(label)
                predicted.append(guess)
    check((len(train_y), len(test_y)) == (ours["train"], ours["test"]),
          f"split sizes {len(train_y)} / {len(test_y)}")
    if margin > 2:
        check(ours["accuracy"] > 0.95, f"{name}: accuracy {ours['accuracy']:.4f}")
    else:
        check(0.4 < ours["accuracy"] < 0.95 and ours["macro_f1"] < ours["accuracy"],
              f"{name}: accuracy {ours['accuracy']:.4f}, macro-F1 {ours['macro_f1']:.4f}")
    ours_accuracy = float(np.mean(np.array(predicted) == np.array(test_y)))
    check(abs(ours_accuracy - ours["accuracy"]) < 1e-12, "accuracy is that of the dumped predictions")
    liblinear = LogisticRegression(solver="liblinear", C=1.0, tol=1e-4).fit(train_x, train_y)
    theirs = float(np.mean(liblinear.predict(test_x) == np.array(test_y)))
    check(abs(theirs - ours["accuracy"]) <= 1.0 / len(test_y) + 1e-12,
          f"{name}: accuracy {ours['accuracy']:.4f} vs LogisticRegression(liblinear) {theirs:.4f}")
    lbfgs = LogisticRegression(max_iter=1000).fit(train_x, train_y)
    theirs = float(np.mean(lbfgs.predict(test_x) == np.array(test_y)))
    check(abs(theirs - ours["accuracy"]) <= 0.03 + (0.03 if margin < 2 else 0),
          f"{name}: accuracy {ours['accuracy']:.4f} vs LogisticRegression(lbfgs, multinomial) "
          f"{theirs:.4f}")
    f1 = f1_score(test_y, predicted, average="macro")
    check(abs(f1 - ours["macro_f1"]) < 1e-12, f"macro-F1 {ours['macro_f1']:.6f} vs f1_score {f1:.6f}")
    values, counts = np.unique(train_y, return_counts=True)
    majority = values[np.argmax(counts)]
    baseline = float(np.mean(np.array(test_y) == majority))
    check(abs(baseline - ours["baseline_accuracy"]) < 1e-12,
          f"baseline {ours['baseline_accuracy']:.4f} vs majority label {baseline:.4f}")
    per_label_test = {label: test_y.count(label) for label in set(train_y)}
    per_label_all = {label: train_y.count(label) + test_y.count(label) for label in set(train_y)}
    check(all(per_label_test[l] == int(np.floor(0.2 * per_label_all[l] + 0.5)) for l in per_label_all),
          f"stratified split {per_label_test} of {per_label_all}")


def main():
    with tempfile.TemporaryDirectory() as work:
        check_kmeans(work)
        check_probe(work, 2.5, "planted separable labels")
        check_probe(work, 0.45, "overlapping labels")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
