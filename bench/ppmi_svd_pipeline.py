#!/usr/bin/python3
"""The PPMI + truncated SVD pipeline written the usual way in Python, as the anchor for
`embkit train --algo ppmi-svd`: numpy for the vocabulary and the window pairs, scipy.sparse for the
co-occurrence matrix, numpy for PPMI (context smoothing 0.75), scikit-learn's TruncatedSVD
(randomized) for the factorisation, word vectors U * S^eig_power.

usage: ppmi_svd_pipeline.py CORPUS.txt OUTPUT.vec [--dim 100] [--window 5] [--min-count 5]
                            [--cds 0.75] [--eig-power 0.5] [--n-iter 5] [--count-only]

Prints one JSON line with the seconds of each stage (read, count, ppmi, svd, total), the vocabulary
size and the numbers of non-zero entries. Windows are symmetric with uniform weights and do not cross
line ends; words below min_count are removed before windows are taken, as embkit does.
"""
import argparse
import json
import sys
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("output")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--cds", type=float, default=0.75)
    ap.add_argument("--eig-power", type=float, default=0.5)
    ap.add_argument("--n-iter", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1, help="random_state of TruncatedSVD")
    ap.add_argument("--count-only", action="store_true")
    a = ap.parse_args()
    t0 = time.perf_counter()
    counts = Counter()
    lines = []
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            tokens = line.split()
            counts.update(tokens)
            lines.append(tokens)
    vocab = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= a.min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ids, sentence = [], []
    for n, tokens in enumerate(lines):
        kept = [index[t] for t in tokens if t in index]
        ids.extend(kept)
        sentence.extend([n] * len(kept))
    ids = np.asarray(ids, dtype=np.int32)
    sentence = np.asarray(sentence, dtype=np.int32)
    del lines
    t1 = time.perf_counter()

    v = len(vocab)
    rows, cols = [], []
    for d in range(1, a.window + 1):
        same = sentence[d:] == sentence[:-d]
        left, right = ids[:-d][same], ids[d:][same]
        rows += [left, right]
        cols += [right, left]
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    m = sp.coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(v, v)).tocsr()
    m.sum_duplicates()
    del rows, cols
    t2 = time.perf_counter()
    result = {"vocab": v, "cooccurrence_nnz": int(m.nnz), "read_s": t1 - t0, "count_s": t2 - t1}
    if a.count_only:
        sp.save_npz(a.output, m, compressed=False)
        result["total_s"] = time.perf_counter() - t0
        print(json.dumps(result))
        return

    row_sums = np.asarray(m.sum(axis=1)).ravel()
    col_sums = np.asarray(m.sum(axis=0)).ravel() ** a.cds
    col_total = col_sums.sum()
    coo = m.tocoo()
    pmi = np.log(coo.data) + np.log(col_total) - np.log(row_sums[coo.row]) - np.log(col_sums[coo.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep].astype(np.float32), (coo.row[keep], coo.col[keep])), shape=(v, v))
    del coo, pmi, keep, m
    t3 = time.perf_counter()

    from sklearn.decomposition import TruncatedSVD

    svd = TruncatedSVD(n_components=a.dim, algorithm="randomized", n_iter=a.n_iter, random_state=a.seed)
    us = svd.fit_transform(ppmi)  # U * S
    s = svd.singular_values_
    vectors = (us / s) * (s ** a.eig_power)
    t4 = time.perf_counter()
    with open(a.output, "w", encoding="utf-8") as f:
        f.write(f"{v} {a.dim}\n")
        for w, row in zip(vocab, vectors):
            f.write(w + " " + " ".join(f"{x:.6g}" for x in row) + "\n")
    t5 = time.perf_counter()
    result.update({"ppmi_nnz": int(ppmi.nnz), "ppmi_s": t3 - t2, "svd_s": t4 - t3, "write_s": t5 - t4,
                   "total_s": t5 - t0})
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
