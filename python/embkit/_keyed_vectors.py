"""KeyedVectors with gensim 4's names and semantics over embkit's C++ model.

The queries and evaluations run in C++ (include/embkit/queries.h, eval.h); this layer only converts
arguments (a word, a list of words, vectors, (key, weight) pairs) the way gensim accepts them.
"""

from numbers import Integral

import numpy as np

from . import _embkit
from ._stats import correlation_p_value

__all__ = ["KeyedVectors", "load"]

_KEY_TYPES = (str, Integral)


def _ensure_list(value):
    """A single key or 1-D vector as a one-item list, a 2-D array as its rows, else list(value)."""
    if value is None:
        return []
    if isinstance(value, _KEY_TYPES) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return [value]
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return list(value)
    return list(value)


def _unit(vector):
    vector = np.asarray(vector, dtype=np.float64)
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


# Below this many floats a single query is answered on one thread: starting threads costs more than
# the scan (on 35,502 x 100, one thread answers in 0.7 ms, two threads take 5 ms on a busy machine).
_ONE_THREAD_FLOATS = 1 << 22


class KeyedVectors:
    """Word vectors: a vocabulary (``index_to_key``) and a float32 matrix (``vectors``), one row per key.

    ``KeyedVectors(keys, vectors, counts=None)`` builds one from a list of unique str keys and an
    (n, dim) array (copied once into embkit's padded rows); :func:`embkit.load` reads a file.
    Method names, arguments and results follow gensim 4's ``KeyedVectors`` so code ports by changing
    the import. Unknown keys raise ``KeyError``, bad shapes and values ``ValueError``.
    """

    def __init__(self, keys=None, vectors=None, counts=None, *, _native=None):
        if _native is None:
            keys = [] if keys is None else list(keys)
            if vectors is None:
                raise TypeError("KeyedVectors(keys, vectors): vectors is required")
            for key in keys:
                if not isinstance(key, str):
                    raise TypeError(f"KeyedVectors: keys must be str, got {type(key).__name__}")
            _native = _embkit.KeyedVectors(keys, vectors, None if counts is None else list(counts))
        self._kv = _native
        self._index_to_key = None
        self._key_to_index = None

    # --- files -------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path, format=None, limit=None, labels_path=None, threads=0):
        """Reads a model file; see :func:`embkit.load`."""
        return load(path, format=format, limit=limit, labels_path=labels_path, threads=threads)

    @classmethod
    def load_word2vec_format(cls, fname, binary=False, limit=None):
        """gensim's loader: word2vec text (binary=False) or binary (binary=True)."""
        return load(fname, format="bin" if binary else "vec", limit=limit)

    def save(self, path, format=None, labels_path=None, threads=0, dtype="f32"):
        """Writes the model atomically. ``format``: 'native' (.emb), 'vec', 'glove', 'bin' or 'npy';
        None picks it from the extension (.emb native, .bin, .npy, .txt/.vec text). ``dtype``:
        'f32', 'f16' (half precision) or 'i8' (per-dimension int8 codes); f16 and i8 only for the
        native format."""
        self._kv.save(str(path), format or "auto", labels_path or "", threads, dtype)

    def save_word2vec_format(self, fname, binary=False):
        """gensim's writer: word2vec text (binary=False) or binary (binary=True)."""
        self.save(fname, format="bin" if binary else "vec")

    # --- vocabulary and vectors --------------------------------------------------------------------
    @property
    def vectors(self):
        """The (n, vector_size) float32 matrix: a read-only view of the C++ rows (no copy). Its row
        stride is embkit's padded row length, so it is not C-contiguous unless the width is a
        multiple of 16; ``np.ascontiguousarray(kv.vectors)`` makes a compact copy."""
        return self._kv.vectors

    @property
    def norms(self):
        """The L2 norm of every row (read-only view)."""
        return self._kv.norms

    def get_normed_vectors(self):
        """The rows scaled to unit length (read-only view; zero rows stay zero)."""
        return self._kv.unit_vectors

    def fill_norms(self, force=False):
        """Computes the unit rows and norms now (they are otherwise computed on first use)."""
        self._kv.norms  # noqa: B018 - the property computes them

    @property
    def vector_size(self):
        return self._kv.dim

    @property
    def index_to_key(self):
        """The keys in row order (a list built on first access)."""
        if self._index_to_key is None:
            self._index_to_key = self._kv.words()
        return self._index_to_key

    @property
    def key_to_index(self):
        """Key -> row (a dict built on first access)."""
        if self._key_to_index is None:
            self._key_to_index = {key: i for i, key in enumerate(self.index_to_key)}
        return self._key_to_index

    def get_vecattr(self, key, attr):
        """gensim's per-key attributes; embkit stores 'count' (0 when the file has no counts)."""
        if attr != "count":
            raise KeyError(f"attribute '{attr}' is not stored (only 'count')")
        counts = self._kv.counts()
        return 0 if counts is None else counts[self.get_index(key)]

    def __len__(self):
        return len(self._kv)

    def __contains__(self, key):
        # As gensim's FastTextKeyedVectors: a subword model has a vector for any word with n-grams.
        if isinstance(key, str) and self._kv.has_subwords:
            return self._kv.has_vector(key)
        return self.has_index_for(key)

    def has_index_for(self, key):
        return self.get_index(key, -1) >= 0

    def get_index(self, key, default=None):
        """The row of ``key``; an int in range is returned as is; else ``default`` or KeyError."""
        if isinstance(key, str):
            index = self._kv.find(key)
            if index is not None:
                return index
        elif isinstance(key, Integral) and 0 <= key < len(self):
            return int(key)
        if default is not None:
            return default
        return self._kv.index(str(key))  # raises KeyError with embkit's message

    def get_vector(self, key, norm=False):
        """The row of ``key`` (a read-only view); ``norm=True``: scaled to unit length. A subword
        model gives an unseen word the mean of its character n-gram rows (a new array)."""
        if isinstance(key, str) and self._kv.has_subwords and self._kv.find(key) is None:
            vector = self._kv.word_vector(key)
            if norm:
                length = float(np.linalg.norm(vector))
                if length > 0:
                    vector = vector / length
            return vector
        return self._kv.row(self.get_index(key), norm)

    @property
    def has_subwords(self):
        """True when the model keeps character n-gram rows (vectors for unseen words)."""
        return self._kv.has_subwords

    word_vec = get_vector

    def __getitem__(self, key_or_keys):
        if isinstance(key_or_keys, _KEY_TYPES):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys])

    # --- queries -----------------------------------------------------------------------------------
    def _query_threads(self):
        """Threads for one query: 1 for small models, else all cores (the library's 0)."""
        return 1 if len(self) * self.vector_size < _ONE_THREAD_FLOATS else 0

    def _weighted_keys(self, positive, negative):
        items = []
        for value, default in [(p, 1.0) for p in positive] + [(n, -1.0) for n in negative]:
            if isinstance(value, tuple) and len(value) == 2 and not isinstance(value[0], tuple):
                items.append((value[0], float(value[1]), False))
            else:
                items.append((value, default, True))
        return items

    def _mean_vector(self, items):
        """gensim's get_mean_vector(pre_normalize=True, post_normalize=True) of (key or vector, weight)."""
        mean = np.zeros(self.vector_size, dtype=np.float64)
        total = 0.0
        for key, weight, _ in items:
            if isinstance(key, np.ndarray):
                mean += weight * key.astype(np.float64)
            else:
                mean += weight * self.get_vector(key, norm=True).astype(np.float64)
            total += abs(weight)
        if total == 0:
            raise ValueError("cannot compute a mean vector without any positive or negative key")
        return _unit(mean / total).astype(np.float32)

    def most_similar(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """The ``topn`` keys most similar (cosine) to the mean of the unit vectors of ``positive`` minus
        those of ``negative``; the query keys are left out. Keys, vectors or (key, weight) pairs, as
        gensim; ``topn=None`` returns the cosines of all (or the first ``restrict_vocab``) keys.
        Returns a list of (key, similarity)."""
        if isinstance(topn, Integral) and topn < 1:
            return []
        positive = _ensure_list(positive)
        negative = _ensure_list(negative)
        restrict = int(restrict_vocab or 0)
        items = [(self._key(k) if isinstance(k, Integral) else k, w, d)
                 for k, w, d in self._weighted_keys(positive, negative)]
        plain_words = all(isinstance(k, str) and default for k, _, default in items)
        if topn and plain_words:
            pos = [k for k, w, _ in items if w > 0]
            neg = [k for k, w, _ in items if w < 0]
            return self._kv.most_similar(pos, neg, int(topn), restrict, self._query_threads())
        mean = self._mean_vector(items)
        if not topn:
            return self._kv.cosines(mean, restrict, self._query_threads())
        excluded = [self.get_index(k) for k, _, _ in items
                    if isinstance(k, _KEY_TYPES) and self.has_index_for(k)]
        hits = self._kv.similar_by_vector(mean, int(topn) + len(excluded), restrict, self._query_threads())
        excluded_keys = {self.index_to_key[i] for i in excluded}
        return [(key, score) for key, score in hits if key not in excluded_keys][:topn]

    def most_similar_cosmul(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """3CosMul (Levy & Goldberg 2014): prod((1 + cos(p, x)) / 2) / (prod((1 + cos(n, x)) / 2) + 1e-6).
        Takes keys only (gensim also accepts raw vectors here)."""
        if isinstance(topn, Integral) and topn < 1:
            return []
        positive = [self._key(k) for k in _ensure_list(positive)]
        negative = [self._key(k) for k in _ensure_list(negative)]
        return self._kv.most_similar_cosmul(positive, negative, int(topn), int(restrict_vocab or 0),
                                            self._query_threads())

    def _key(self, key):
        if isinstance(key, str):
            return key
        if isinstance(key, Integral):
            return self.index_to_key[self.get_index(key)]
        raise TypeError(f"expected a key (str), got {type(key).__name__}")

    def similar_by_word(self, word, topn=10, restrict_vocab=None):
        """most_similar(positive=[word])."""
        return self.most_similar(positive=[word], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_key = similar_by_word

    def similar_by_vector(self, vector, topn=10, restrict_vocab=None):
        """The keys nearest (cosine) to ``vector``; nothing is left out."""
        if isinstance(topn, Integral) and topn < 1:
            return []
        if not topn:
            return self._kv.cosines(vector, int(restrict_vocab or 0), self._query_threads())
        return self._kv.similar_by_vector(vector, int(topn), int(restrict_vocab or 0), self._query_threads())

    def similarity(self, w1, w2):
        """Cosine similarity of two keys."""
        return self._kv.similarity(self._key(w1), self._key(w2))

    def n_similarity(self, ws1, ws2):
        """Cosine of the means of two lists of keys' vectors."""
        if not (len(ws1) and len(ws2)):
            raise ZeroDivisionError("At least one of the passed list is empty.")
        a = np.mean([self.get_vector(k).astype(np.float64) for k in ws1], axis=0)
        b = np.mean([self.get_vector(k).astype(np.float64) for k in ws2], axis=0)
        return float(np.dot(_unit(a), _unit(b)))

    def distance(self, w1, w2):
        """1 - similarity(w1, w2)."""
        return 1.0 - self.similarity(w1, w2)

    def distances(self, word_or_vector, other_words=()):
        """1 - cosine between a key (or vector) and ``other_words`` (all keys when empty)."""
        vector = self.get_vector(word_or_vector) if isinstance(word_or_vector, _KEY_TYPES) else word_or_vector
        cosines = self._kv.cosines(vector, 0, self._query_threads())
        if other_words:
            cosines = cosines[[self.get_index(w) for w in other_words]]
        return 1.0 - cosines

    @staticmethod
    def cosine_similarities(vector_1, vectors_all):
        """Cosines of one vector with each row of ``vectors_all`` (NumPy; no model involved)."""
        vectors_all = np.asarray(vectors_all)
        norm = np.linalg.norm(vector_1)
        all_norms = np.linalg.norm(vectors_all, axis=1)
        return np.dot(vectors_all, vector_1) / (norm * all_norms)

    def doesnt_match(self, words):
        """The key furthest from the mean of the others; unknown keys are ignored (ValueError when
        none is known)."""
        odd, _skipped = self._kv.doesnt_match([self._key(w) for w in words])
        return odd

    def rank(self, key1, key2):
        """Rank of key2 among the neighbours of key1 (1 = nearest)."""
        return len(self.closer_than(key1, key2)) + 1

    def closer_than(self, key1, key2):
        """Keys closer to key1 than key2 is."""
        cosines = self._kv.cosines(self.get_vector(key1), 0, self._query_threads())
        threshold = cosines[self.get_index(key2)]
        i1 = self.get_index(key1)
        return [self.index_to_key[i] for i in np.flatnonzero(cosines > threshold) if i != i1]

    # --- evaluations -------------------------------------------------------------------------------
    def evaluate_word_analogies(self, analogies, restrict_vocab=300000, case_insensitive=True,
                                dummy4unknown=False, similarity_function="most_similar"):
        """gensim's analogy evaluation on a questions-words file. Returns (score, sections): one dict
        per section with 'section', 'correct' and 'incorrect' lists of (a, b, c, expected) keys
        (upper-cased when case_insensitive), then 'Total accuracy'. With dummy4unknown, questions with
        unknown words count as incorrect; otherwise they are skipped.
        ``similarity_function``: 'most_similar' (3CosAdd) or 'most_similar_cosmul' (3CosMul; gensim
        4.2 accepts the argument but always uses 3CosAdd)."""
        if similarity_function not in ("most_similar", "most_similar_cosmul"):
            raise ValueError("similarity_function must be 'most_similar' or 'most_similar_cosmul'")
        return self._kv.evaluate_word_analogies(
            str(analogies), int(restrict_vocab or 0), bool(case_insensitive), bool(dummy4unknown),
            similarity_function == "most_similar_cosmul")

    def evaluate_word_pairs(self, pairs, delimiter="\t", encoding="utf8", restrict_vocab=300000,
                            case_insensitive=True, dummy4unknown=False):
        """gensim's word-pair evaluation: ((pearson, p), (spearman, p), oov_ratio in percent).

        Lines are split on tabs when they contain one, else on whitespace (``delimiter`` may be '\\t'
        or ' '); lines starting with '#' and lines that are not ``word word score`` are skipped.
        p-values are two-sided, from Student's t with n - 2 degrees of freedom, as SciPy's pearsonr
        and spearmanr compute them (see embkit/_stats.py)."""
        if delimiter not in ("\t", " ", None):
            raise ValueError("delimiter: embkit reads tab- or whitespace-separated pair files only")
        if encoding.lower().replace("-", "") not in ("utf8",):
            raise ValueError("encoding: embkit reads UTF-8 pair files only")
        pearson, spearman, used, oov = self._kv.evaluate_word_pairs(
            str(pairs), int(restrict_vocab or 0), bool(case_insensitive), bool(dummy4unknown))
        if used == 0:
            raise ValueError(f"No valid similarity judgements found in {pairs}: either invalid format "
                             f"or all are out-of-vocabulary")
        total = used if dummy4unknown else used + oov
        oov_ratio = float(oov) / total * 100
        return ((pearson, correlation_p_value(pearson, used)),
                (spearman, correlation_p_value(spearman, used)), oov_ratio)

    # --- gensim interoperability -------------------------------------------------------------------
    @classmethod
    def from_gensim(cls, gensim_kv):
        """A copy of a gensim KeyedVectors (keys, vectors and the 'count' attribute when set)."""
        keys = [str(k) for k in gensim_kv.index_to_key]
        counts = None
        if "count" in getattr(gensim_kv, "expandos", {}):
            counts = [int(c) for c in gensim_kv.expandos["count"]]
        return cls(keys, gensim_kv.vectors, counts)

    def to_gensim(self):
        """A gensim.models.KeyedVectors with the same keys and a compact copy of the vectors."""
        from gensim.models import KeyedVectors as GensimKeyedVectors

        result = GensimKeyedVectors(self.vector_size, count=0, dtype=np.float32)
        result.add_vectors(self.index_to_key, np.ascontiguousarray(self.vectors))
        counts = self._kv.counts()
        if counts is not None:
            result.expandos["count"] = np.asarray(counts, dtype=np.int64)
        return result

    def __repr__(self):
        return f"<embkit.KeyedVectors: {len(self)} keys, vector_size {self.vector_size}>"


def load(path, format=None, limit=None, labels_path=None, threads=0):
    """Reads a model: native .emb (memory-mapped), word2vec text (vec) or binary (bin), GloVe text
    (glove) or .npy with a labels file. ``format`` None detects it from the content; ``limit`` reads
    only the first N vectors. Raises embkit.IoError (an OSError) when the file cannot be read and
    embkit.FormatError (a ValueError) naming the file and line when its content is wrong."""
    native = _embkit.load(str(path), format or "auto", int(limit or 0), labels_path or "", threads)
    return KeyedVectors(_native=native)
