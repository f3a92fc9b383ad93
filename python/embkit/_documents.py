"""Documents as vectors (include/embkit/documents.h), co-occurrence counts and exact top-k search.

Sparse results are scipy.sparse.csr_matrix when SciPy is importable, else CSR triplets
``(data, indices, indptr, shape)`` (float32, int32, int64), which scipy.sparse.csr_matrix accepts.
"""

import os
import warnings

import numpy as np

from . import _embkit
from ._keyed_vectors import KeyedVectors

__all__ = ["Documents", "read_documents", "document_vocabulary", "one_hot", "bag_of_words", "tfidf",
           "document_vectors", "cooccurrence", "top_k"]


def _sparse(triplet):
    data, indices, indptr, shape = triplet
    try:
        from scipy import sparse
    except ImportError:
        return triplet
    return sparse.csr_matrix((data, indices, indptr), shape=shape)


class Documents:
    """A document collection: one document per line of a file, or per item of an iterable of token
    lists. ``len(docs)`` documents, ``docs.tokens`` tokens, ``docs.words`` distinct words."""

    def __init__(self, native):
        self._docs = native

    def __len__(self):
        return len(self._docs)

    @property
    def tokens(self):
        return self._docs.tokens

    @property
    def words(self):
        return self._docs.words

    def __repr__(self):
        return f"<embkit.Documents: {len(self)} documents, {self.tokens} tokens, {self.words} words>"


def read_documents(source, lowercase=False):
    """A path (plain, .gz, .xz, .zst; line i is document i, empty lines are empty documents) or an
    iterable of token lists. ``lowercase`` (files only) lowercases and splits punctuation off."""
    if isinstance(source, (str, os.PathLike)):
        return Documents(_embkit.DocumentCollection.from_file(os.fspath(source), lowercase))
    if isinstance(source, Documents):
        return source
    if lowercase:
        raise ValueError("lowercase applies to files only; lowercase the tokens yourself")
    return Documents(_embkit.DocumentCollection.from_iterable(source))


def document_vocabulary(documents, min_df=1, max_df=1.0, max_features=None, words=None):
    """The columns of the sparse representations, as scikit-learn's CountVectorizer chooses them:
    ``min_df`` / ``max_df`` an int (documents) or a float (fraction), ``max_features`` the most
    frequent, sorted by their UTF-8 bytes; or exactly ``words`` in the given order."""
    documents = read_documents(documents)
    return _embkit.DocumentVocabulary(documents._docs, min_df, max_df, int(max_features or 0),
                                      None if words is None else list(words))


def _columns(documents, vocabulary):
    documents = read_documents(documents)
    if vocabulary is None:
        vocabulary = _embkit.DocumentVocabulary(documents._docs)
    elif not isinstance(vocabulary, _embkit.DocumentVocabulary):
        vocabulary = _embkit.DocumentVocabulary(documents._docs, words=list(vocabulary))
    return documents, vocabulary


def one_hot(documents, vocabulary=None, threads=0):
    """(matrix, words): 1 where the document contains the word (documents x words, float32)."""
    documents, vocabulary = _columns(documents, vocabulary)
    return _sparse(_embkit.one_hot(documents._docs, vocabulary, threads)), vocabulary.words()


def bag_of_words(documents, vocabulary=None, threads=0):
    """(matrix, words): word counts, equal to CountVectorizer(analyzer=str.split)."""
    documents, vocabulary = _columns(documents, vocabulary)
    return _sparse(_embkit.bag_of_words(documents._docs, vocabulary, threads)), vocabulary.words()


def tfidf(documents, vocabulary=None, sublinear_tf=False, smooth_idf=True, norm="l2", threads=0):
    """(matrix, words): TF-IDF equal to TfidfVectorizer(analyzer=str.split) with the same options."""
    documents, vocabulary = _columns(documents, vocabulary)
    matrix = _embkit.tf_idf(documents._docs, vocabulary, sublinear_tf, smooth_idf, norm, threads)
    return _sparse(matrix), vocabulary.words()


def document_vectors(documents, model, weighting="mean", sublinear_tf=False, sif_a=1e-3, threads=0):
    """Dense (documents x dim) float32 vectors from a KeyedVectors: 'mean', 'tfidf' (weighted mean)
    or 'sif' (Arora et al. 2017). Documents without a known word get zero rows."""
    documents = read_documents(documents)
    if not isinstance(model, KeyedVectors):
        raise TypeError("model must be an embkit.KeyedVectors")
    return _embkit.document_vectors(documents._docs, model._kv, weighting, sublinear_tf, sif_a, threads)


def cooccurrence(documents, symmetric=None, **options):
    """(matrix, words): word-context co-occurrence sums within each document (sentence) over
    distances 1..window, weight 1/d ('harmonic') or 1 ('uniform'); rows and columns are the words
    in order of first appearance. ``options`` are `embkit cooccur`'s counting options with
    underscores -- window, one_sided (left contexts only), weighting, threads -- with its defaults
    and ranges (``embkit.option_schema("cooccur")``). ``symmetric=False`` is the older spelling of
    ``one_sided=True``."""
    documents = read_documents(documents)
    if symmetric is not None:
        if "one_sided" in options:
            raise TypeError("cooccurrence(): give one_sided or symmetric, not both")
        warnings.warn("cooccurrence(symmetric=...) is deprecated; use one_sided=", DeprecationWarning,
                      stacklevel=2)
        options["one_sided"] = not symmetric
    triplet, words = _embkit.cooccurrence_counts(documents._docs, options)
    return _sparse(triplet), words


def top_k(base, queries, k=10, metric="cosine", threads=0):
    """Exact nearest rows of ``base`` for every row of ``queries`` (2-D arrays; a 1-D query is one
    row): (ids int64, scores float32), each (queries x min(k, rows)), best first, ties by id.
    ``metric``: 'cosine', 'dot' (largest first) or 'l2' (smallest squared distance first)."""
    queries_array = np.asarray(queries)
    if queries_array.ndim == 1:
        queries_array = queries_array[np.newaxis, :]
    return _embkit.top_k(base, queries_array, int(k), metric, threads)
