"""k-means, the silhouette score and t-SNE over embkit's C++ implementations (include/embkit/
kmeans.h, silhouette.h, tsne.h). Inputs are KeyedVectors or (n, dim) arrays (converted once to
float32); every array returned is a new, writable array."""

from . import _embkit
from ._transform import _rows

__all__ = ["KMeans", "kmeans", "silhouette_score", "tsne"]


class KMeans:
    """The result of :func:`kmeans`: centroids (k, dim) float32, labels (n,) int32, distances (n,)
    float32 (squared distance to the centroid), sizes (k,), inertia, iterations, restart (the
    restart kept) and converged."""

    def __init__(self, result):
        self.centroids = result["centroids"]
        self.labels = result["labels"]
        self.distances = result["distances"]
        self.sizes = result["sizes"]
        self.inertia = result["inertia"]
        self.iterations = result["iterations"]
        self.restart = result["restart"]
        self.converged = result["converged"]

    def __repr__(self):
        return (f"<embkit.KMeans k={len(self.sizes)} inertia={self.inertia:.6g} "
                f"iterations={self.iterations} converged={self.converged}>")


def kmeans(array, k, metric="cosine", restarts=1, max_iter=300, tol=1e-4, seed=1, threads=0):
    """k-means++ seeded Lloyd iterations, best of ``restarts`` by inertia (``embkit cluster``).
    metric 'cosine' is spherical k-means (rows scaled to unit length), 'euclidean' (or 'l2') plain
    k-means. The result depends on the data and options only, not on ``threads``. ValueError for
    k = 0, k > n, restarts = 0, negative tol or a non-finite value."""
    return KMeans(_embkit.kmeans(_rows(array), k, metric, restarts, max_iter, tol, seed, threads))


def silhouette_score(array, labels, metric="cosine", sample_size=10000, seed=1, threads=0):
    """Mean silhouette over the rows (scikit-learn's silhouette_score with metric 'cosine' or
    'euclidean'); exact up to ``sample_size`` rows (0 = always exact), else over a seeded sample.
    ValueError unless there are between 2 and n - 1 distinct labels."""
    return _embkit.silhouette_score(_rows(array), labels, metric, sample_size, seed, threads)


def tsne(array, perplexity=30, iterations=1000, seed=1, threads=0, theta=0.5, learning_rate=0,
         exact_max_points=5000, return_kl=False):
    """A 2-D t-SNE map of the rows as an (n, 2) float32 array: exact gradients up to
    ``exact_max_points`` rows, Barnes-Hut (opening angle ``theta``) above; learning_rate 0 is
    'auto'. Depends on the seed only, not on ``threads``. With ``return_kl``, returns
    ``(map, final_kl, [(iteration, kl), ...])``. ValueError when perplexity >= n."""
    points, kl, history = _embkit.tsne(_rows(array), perplexity, iterations, seed, threads, theta,
                                       learning_rate, exact_max_points)
    return (points, kl, history) if return_kl else points
