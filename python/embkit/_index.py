"""Approximate and compressed nearest-neighbour search: hnswlib and FAISS indexes over a KeyedVectors
(include/embkit/vector_index.h, the files of ``embkit index``) and exact top-k over int8 codes
(include/embkit/int8_search.h)."""

import os

import numpy as np

from . import _embkit

__all__ = ["VectorIndex", "int8_top_k"]


class VectorIndex:
    """An index over a model's rows: ``VectorIndex.build(kv, type, params, metric)`` or
    ``VectorIndex.load(path)`` (files of ``embkit index build``).

    type: 'flat', 'hnsw' (hnswlib), 'ivfpq', 'sq8' or 'pq' (FAISS); params e.g.
    'nlist=64,m=8,nprobe=8' or 'M=32,ef_construction=200,ef_search=64'; metric: 'cosine' (rows
    normalized) or 'dot'. With threads=1 an hnsw graph depends only on the rows and the seed."""

    def __init__(self, native):
        self._native = native

    @classmethod
    def build(cls, kv, type="flat", params="", metric="cosine", seed=1, threads=0):
        return cls(_embkit.VectorIndex.build(kv._kv, type, params, metric, seed, threads))

    @classmethod
    def load(cls, path):
        return cls(_embkit.VectorIndex.load(os.fspath(path)))

    def save(self, path):
        """Writes the index atomically."""
        self._native.save(os.fspath(path))

    def set_search_params(self, params):
        """Search-time parameters: 'nprobe=N' (ivfpq), 'ef_search=N' (hnsw)."""
        self._native.set_search_params(params)

    @property
    def ef_search(self):
        """hnsw: candidates kept while searching (at least k); settable."""
        return self.params["ef_search"] if self.type == "hnsw" else None

    @ef_search.setter
    def ef_search(self, value):
        if self.type != "hnsw":
            raise ValueError(f"ef_search needs an hnsw index, not {self.type}")
        self.set_search_params(f"ef_search={int(value)}")

    def search(self, query, k=10, threads=0):
        """Nearest rows, best first.

        A word: a list of (word, score) pairs, the word itself left out (``embkit index search``);
        a list of words: one such list per word. A 1-D vector: (ids, scores) arrays of length k;
        a 2-D array: (ids, scores) arrays of shape (n, k). KeyError for unknown words."""
        if isinstance(query, str):
            return self._native.search_words([query], k, threads)[0]
        if isinstance(query, (list, tuple)) and query and all(isinstance(q, str) for q in query):
            return self._native.search_words(list(query), k, threads)
        array = np.asarray(query)
        if array.ndim == 1:
            ids, scores = self._native.search_vectors(array[None, :], k, threads)
            return ids[0], scores[0]
        return self._native.search_vectors(array, k, threads)

    def reconstruct(self, row):
        """The vector the index stores for a row (decoded for compressed types)."""
        return self._native.reconstruct(row)

    @property
    def type(self):
        return self._native.type

    @property
    def metric(self):
        return self._native.metric

    @property
    def params(self):
        return self._native.params

    @property
    def dim(self):
        return self._native.dim

    def __len__(self):
        return len(self._native)

    def __repr__(self):
        return f"<embkit.VectorIndex {self.type} {self.metric}: {len(self)} x {self.dim}>"


def int8_top_k(base, queries, k=10, metric="cosine", rerank=0, threads=0):
    """Exact top-k over int8 codes of ``base`` (per-dimension scales, queries quantized too), metric
    'cosine' or 'dot'. ``rerank``: 0 re-scores the best 4 k candidates exactly in float32, N > 0 the
    best N, None returns the int8 approximations. Returns (ids int64, scores float32), shape (n, k)."""
    return _embkit.int8_top_k(base, queries, k, metric, -1 if rerank is None else int(rerank), threads)
