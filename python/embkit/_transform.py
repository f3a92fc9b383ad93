"""Post-processing of vectors (centering, whitening, all-but-the-top, PCA, random projection, int8)
and int8 storage, over embkit's C++ implementations (include/embkit/transform.h, pca.h,
anisotropy.h, random_projection.h, quantize.h).

Every function takes a KeyedVectors or an (n, dim) array; arrays of any real dtype are converted
once to C-contiguous float32 (complex, string and object arrays raise TypeError). Every array
returned is a new, writable array the caller owns.
"""

from . import _embkit
from ._keyed_vectors import KeyedVectors

__all__ = ["Transform", "transform", "load_transform", "pca", "anisotropy", "jl_min_dim",
           "random_projection", "quantize_int8", "dequantize"]


def _rows(vectors):
    return vectors.vectors if isinstance(vectors, KeyedVectors) else vectors


def _like(template, rows):
    """`rows` as a KeyedVectors with `template`'s keys and counts when `template` is one."""
    if not isinstance(template, KeyedVectors):
        return rows
    return KeyedVectors(template.index_to_key, rows, template._kv.counts())


class Transform:
    """A fitted transform pipeline (the file format of ``embkit transform --save-transform``).

    ``apply`` maps new vectors (a KeyedVectors or an (n, in_dim) array) with the fitted steps; applied
    to the vectors it was fitted on it reproduces the fitting output bit for bit."""

    def __init__(self, native):
        self._native = native

    @property
    def in_dim(self):
        return self._native.in_dim

    @property
    def out_dim(self):
        return self._native.out_dim

    @property
    def steps(self):
        """The steps as written, e.g. ['center', 'abtt:2']."""
        return self._native.steps()

    def apply(self, vectors, threads=0):
        """The transformed vectors: a KeyedVectors for a KeyedVectors, else a float32 array.
        ValueError when the dimension is not ``in_dim``."""
        return _like(vectors, self._native.apply(_rows(vectors), threads))

    def save(self, path):
        """Writes the transform atomically as a safetensors file."""
        self._native.save(str(path))

    def __repr__(self):
        return f"<embkit.Transform {','.join(self.steps)}: {self.in_dim} -> {self.out_dim}>"


def load_transform(path):
    """Reads a transform saved by :meth:`Transform.save` or ``embkit transform --save-transform``."""
    return Transform(_embkit.load_transform(str(path)))


def transform(vectors, steps="center,abtt:2", seed=1, threads=0, anisotropy_pairs=10000):
    """Fits the comma-separated ``steps`` (the syntax of ``embkit transform --steps``: center,
    normalize, whiten[:pca|zca[:EPS]], abtt:D, pca:K, rp:K[:kind], quantize:int8) on ``vectors``.

    Returns ``(output, reports, transform)``: the transformed vectors (a KeyedVectors for a
    KeyedVectors, else a float32 array), one dict per step with the keys of the command's JSON
    report (step, what, dim_in, dim_out, anisotropy_before, anisotropy_after,
    explained_variance_ratio, seconds) and the fitted :class:`Transform`. ValueError for bad steps
    or steps the data cannot support (pca:K with K above the dimension, non-finite values, ...)."""
    native, output, reports = _embkit.fit_transform(_rows(vectors), steps, seed, threads,
                                                    anisotropy_pairs)
    return _like(vectors, output), reports, Transform(native)


def pca(array, k, threads=0):
    """Exact PCA (scikit-learn's conventions: n - 1 variances, projections (x - mean) V^T).

    Returns a dict: components (k, dim) float32, mean (dim,) float32, explained_variance and
    explained_variance_ratio (k,) float64, projection (n, k) float32. Each component's sign is
    fixed so that its largest-magnitude loading is positive (scikit-learn may differ by a sign)."""
    return _embkit.pca(_rows(array), k, threads)


def anisotropy(array, pairs=10000, seed=1, threads=0):
    """Mean cosine similarity over ``pairs`` random distinct pairs of rows (all pairs when there are
    fewer); 0 for fewer than 2 rows."""
    return _embkit.anisotropy(_rows(array), pairs, seed, threads)


def jl_min_dim(n, eps):
    """ceil(4 ln n / (eps^2 / 2 - eps^3 / 3)): the Johnson-Lindenstrauss dimension for n points
    (scikit-learn's johnson_lindenstrauss_min_dim truncates instead, so it may be one less)."""
    return _embkit.jl_min_dim(n, eps)


def random_projection(in_dim, k, kind="gaussian", seed=1):
    """The (k, in_dim) float32 matrix R of ``rp:K:kind`` (project with ``x @ R.T``); kind is
    'gaussian', 'sparse' or 'verysparse'. A function of (kind, k, in_dim, seed) alone."""
    return _embkit.random_projection(in_dim, k, kind, seed)


def quantize_int8(array, threads=0):
    """Per-dimension symmetric int8 codes: returns ``(codes, scales)``, codes an (n, dim) int8
    array in [-127, 127], scales (dim,) float32 with scale_j = max |x_ij| / 127."""
    return _embkit.quantize_int8(_rows(array), threads)


def dequantize(codes, scales, threads=0):
    """codes * scales as an (n, dim) float32 array."""
    return _embkit.dequantize(codes, scales, threads)
