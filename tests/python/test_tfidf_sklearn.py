#!/usr/bin/python3
"""embkit docs against scikit-learn's CountVectorizer / TfidfVectorizer on the same documents.

A few hundred generated documents (Zipf-distributed words, ASCII and UTF-8, mixed case, empty lines
in the middle and at the end) are written one per line; `embkit docs` writes a .npz and its column
words, which must equal scikit-learn's matrix column for column (matched by word) to rtol 1e-5:
TF-IDF with the defaults, sublinear_tf, norm=None / l1, smooth_idf=False, min_df / max_df as counts
and fractions, max_features; CountVectorizer for bag-of-words and binary=True for one-hot. The dense
mean and SIF vectors are checked against numpy (SIF's component from numpy's SVD).

Exit status: 0 pass, 1 fail, 77 skipped (numpy, scipy, scikit-learn or the embkit binary missing).
"""
import os
import subprocess
import sys
import tempfile
import warnings

SKIP = 77

try:
    import numpy as np
    import scipy.sparse
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
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


def run_embkit(*args):
    done = subprocess.run([EMBKIT, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"embkit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def make_documents(rng, count=400):
    stems = ["w", "Word", "café", "naïve", "東京", "данные", "x"]
    vocabulary = [f"{stems[i % len(stems)]}{i}" for i in range(900)]
    documents = []
    for i in range(count):
        if i % 37 == 5:
            documents.append("")
            continue
        length = int(rng.integers(1, 40))
        ids = np.minimum(rng.zipf(1.3, size=length) - 1, len(vocabulary) - 1)
        documents.append(" ".join(vocabulary[j] for j in ids))
    return documents + ["", ""]


def embkit_sparse(work, docs_path, *flags):
    out = os.path.join(work, "out.npz")
    run_embkit("docs", "--input", docs_path, "--output", out, "--threads", "2", *flags)
    matrix = scipy.sparse.load_npz(out)
    with open(os.path.join(work, "out.vocab.txt"), encoding="utf-8") as f:
        words = f.read().split("\n")[:-1]
    return matrix, words


def compare(label, ours, our_words, theirs, their_words):
    check(ours.shape == (theirs.shape[0], len(our_words)), f"{label}: shape {ours.shape}")
    check(sorted(our_words) == sorted(their_words),
          f"{label}: {len(our_words)} words vs {len(their_words)}; "
          f"only ours {sorted(set(our_words) - set(their_words))[:5]}, "
          f"only theirs {sorted(set(their_words) - set(our_words))[:5]}")
    check(our_words == list(their_words), f"{label}: columns not in scikit-learn's order")
    if sorted(our_words) != sorted(their_words):
        return
    column = {word: j for j, word in enumerate(their_words)}
    order = [column[word] for word in our_words]
    expected = theirs.toarray()[:, order]
    close = np.allclose(ours.toarray(), expected, rtol=1e-5, atol=1e-7)
    check(close, f"{label}: values differ (max abs diff {np.abs(ours.toarray() - expected).max():.3g})")
    check(ours.dtype == np.float32, f"{label}: dtype {ours.dtype}")
    if close:
        print(f"ok: {label} ({ours.shape[0]} x {ours.shape[1]}, {ours.nnz} non-zeros)")


def max_features_without_tie(documents):
    counts = np.asarray(CountVectorizer(analyzer=str.split, lowercase=False)
                        .fit_transform(documents).sum(axis=0)).ravel()
    ordered = np.sort(counts)[::-1]
    for k in range(len(ordered) // 2, len(ordered) - 1):
        if ordered[k - 1] > ordered[k]:
            return k
    raise RuntimeError("no tie-free max_features")


def check_sparse(work, docs_path, documents):
    base = dict(analyzer=str.split, lowercase=False)
    cases = [
        ("tfidf defaults", [], TfidfVectorizer(**base)),
        ("tfidf sublinear_tf", ["--sublinear-tf"], TfidfVectorizer(sublinear_tf=True, **base)),
        ("tfidf norm=None", ["--norm", "none"], TfidfVectorizer(norm=None, **base)),
        ("tfidf norm=l1", ["--norm", "l1"], TfidfVectorizer(norm="l1", **base)),
        ("tfidf smooth_idf=False", ["--no-smooth-idf"], TfidfVectorizer(smooth_idf=False, **base)),
        ("tfidf smooth_idf=False sublinear norm=l1", ["--no-smooth-idf", "--sublinear-tf", "--norm", "l1"],
         TfidfVectorizer(smooth_idf=False, sublinear_tf=True, norm="l1", **base)),
        ("tfidf min_df=3", ["--min-df", "3"], TfidfVectorizer(min_df=3, **base)),
        ("tfidf min_df=0.02", ["--min-df", "0.02"], TfidfVectorizer(min_df=0.02, **base)),
        ("tfidf max_df=0.3", ["--max-df", "0.3"], TfidfVectorizer(max_df=0.3, **base)),
        ("tfidf max_df=20 min_df=2", ["--max-df", "20", "--min-df", "2"],
         TfidfVectorizer(max_df=20, min_df=2, **base)),
        ("bow", ["--represent", "bow"], CountVectorizer(**base)),
        ("bow min_df=2 max_df=0.5", ["--represent", "bow", "--min-df", "2", "--max-df", "0.5"],
         CountVectorizer(min_df=2, max_df=0.5, **base)),
        ("onehot", ["--represent", "onehot"], CountVectorizer(binary=True, **base)),
    ]
    limit = max_features_without_tie(documents)
    cases.append((f"tfidf max_features={limit}", ["--max-features", str(limit)],
                  TfidfVectorizer(max_features=limit, **base)))
    for label, flags, vectorizer in cases:
        ours, words = embkit_sparse(work, docs_path, *flags)
        theirs = vectorizer.fit_transform(documents)
        compare(label, ours, words, theirs, vectorizer.get_feature_names_out())


def read_npy_model(path):
    with open(path[:-len(".npy")] + ".labels.txt", encoding="utf-8") as f:
        labels = f.read().split("\n")[:-1]
    return labels, np.load(path).astype(np.float64)


def check_dense(work, docs_path, documents, rng):
    # Vectors for the 300 most frequent words only, so some documents have unknown words.
    counts = CountVectorizer(analyzer=str.split, lowercase=False)
    bow = counts.fit_transform(documents)
    frequency = np.asarray(bow.sum(axis=0)).ravel()
    words = counts.get_feature_names_out()
    known = np.argsort(-frequency, kind="stable")[:300]
    dim = 16
    vectors = rng.normal(0.3, 1.0, size=(len(known), dim)).astype(np.float32)
    model = os.path.join(work, "model.npy")
    np.save(model, vectors)
    with open(os.path.join(work, "model.labels.txt"), "w", encoding="utf-8") as f:
        f.write("".join(words[j] + "\n" for j in known))
    # Token-count matrix restricted to the known words: documents x known.
    known_counts = bow[:, known].toarray().astype(np.float64)

    out = os.path.join(work, "mean.npy")
    run_embkit("docs", "--input", docs_path, "--output", out, "--vectors", model)
    labels, ours = read_npy_model(out)
    check(labels == [str(i + 1) for i in range(len(documents))], "mean: labels are not line numbers")
    totals = known_counts.sum(axis=1, keepdims=True)
    expected = np.divide(known_counts @ vectors, totals, out=np.zeros((len(documents), dim)),
                         where=totals > 0)
    check(np.allclose(ours, expected, rtol=1e-5, atol=1e-6), "mean: vectors differ from numpy")

    out = os.path.join(work, "sif.npy")
    a = 1e-3
    run_embkit("docs", "--input", docs_path, "--output", out, "--vectors", model, "--weighting", "sif")
    _, ours = read_npy_model(out)
    p = frequency[known] / frequency.sum()  # the model has no counts: p(w) from the documents
    weighted = np.divide((known_counts * (a / (a + p))) @ vectors, totals,
                         out=np.zeros((len(documents), dim)), where=totals > 0)
    _, _, vt = np.linalg.svd(weighted, full_matrices=False)
    u = vt[0]
    expected = weighted - np.outer(weighted @ u, u)
    check(np.allclose(ours, expected, rtol=1e-4, atol=1e-6),
          f"sif: vectors differ from numpy (max abs diff {np.abs(ours - expected).max():.3g})")
    check(np.abs(ours @ u).max() < 1e-5, "sif: rows keep a projection on the first component")
    if not failures:
        print(f"ok: dense mean and sif ({len(documents)} x {dim})")


def main():
    rng = np.random.default_rng(2024)
    documents = make_documents(rng)
    with tempfile.TemporaryDirectory(prefix="embkit_tfidf_") as work:
        docs_path = os.path.join(work, "docs.txt")
        with open(docs_path, "w", encoding="utf-8") as f:
            f.write("\n".join(documents) + "\n")
        check_sparse(work, docs_path, documents)
        check_dense(work, docs_path, documents, rng)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("all equal to scikit-learn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
