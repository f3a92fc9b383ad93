"""k-means, silhouette and t-SNE: equal to `embkit cluster` on the same model, to scikit-learn's
silhouette_score, and planted clusters are found."""

import json

import numpy as np
import pytest

import embkit

from conftest import run_cli


def _blobs(seed=0, per=40, dim=6, k=4):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim)) * 8
    x = np.vstack([c + rng.normal(size=(per, dim)) for c in centres])
    return x.astype(np.float32), np.repeat(np.arange(k), per)


@pytest.mark.parametrize("metric", ["cosine", "l2"])
def test_kmeans_equals_cli(planted_model, kv, tmp_path, metric):
    out = tmp_path / "clusters.tsv"
    report = json.loads(run_cli("cluster", planted_model[0], "--k", 7, "--seed", 4, "--restarts", 2,
                                "--metric", metric, "--output", out, "--json"))
    result = embkit.kmeans(kv, 7, metric=metric, restarts=2, seed=4)
    expected = {}
    for line in out.read_text(encoding="utf8").splitlines():
        word, cluster = line.split("\t")
        expected[word] = int(cluster)
    assert [expected[w] for w in kv.index_to_key] == result.labels.tolist()
    assert result.inertia == pytest.approx(report["inertia"], rel=1e-12)
    assert result.iterations == report["iterations"]
    assert result.converged == report["converged"]
    assert result.restart == report["restart"]
    assert result.sizes == [c["size"] for c in report["clusters"]]


def test_kmeans_finds_planted_clusters():
    metrics = pytest.importorskip("sklearn.metrics")
    x, truth = _blobs()
    result = embkit.kmeans(x, 4, metric="euclidean", restarts=3, seed=1)
    assert metrics.adjusted_rand_score(truth, result.labels) == 1.0
    assert result.converged and result.labels.dtype == np.int32 and result.labels.flags.writeable
    assert result.centroids.shape == (4, 6)
    # inertia and distances agree with the returned centroids and labels
    d = ((x.astype(np.float64) - result.centroids[result.labels]) ** 2).sum(axis=1)
    np.testing.assert_allclose(result.distances, d, rtol=1e-4, atol=1e-4)
    assert result.inertia == pytest.approx(d.sum(), rel=1e-5)
    for c in range(4):
        np.testing.assert_allclose(result.centroids[c], x[result.labels == c].mean(axis=0), atol=1e-4)
    # thread count does not change the result
    again = embkit.kmeans(x, 4, metric="euclidean", restarts=3, seed=1, threads=1)
    np.testing.assert_array_equal(again.labels, result.labels)
    assert again.inertia == result.inertia


def test_kmeans_bad_input():
    x, _ = _blobs()
    with pytest.raises(ValueError, match="k"):
        embkit.kmeans(x, 0)
    with pytest.raises(ValueError):
        embkit.kmeans(x[:3], 5)
    with pytest.raises(ValueError, match="manhattan"):
        embkit.kmeans(x, 3, metric="manhattan")
    bad = x.copy()
    bad[7, 1] = np.inf
    with pytest.raises(ValueError, match="7"):
        embkit.kmeans(bad, 3)
    with pytest.raises(TypeError):
        embkit.kmeans(x.astype(np.complex64), 3)
    with pytest.raises(ValueError, match="2-D"):
        embkit.kmeans(x[0], 3)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_silhouette_matches_sklearn(metric):
    metrics = pytest.importorskip("sklearn.metrics")
    x, truth = _blobs(seed=2)
    labels = truth.copy()
    labels[::7] = (labels[::7] + 1) % 4  # some wrong labels so the score is not trivial
    ours = embkit.silhouette_score(x, labels, metric=metric)
    ref = metrics.silhouette_score(x.astype(np.float64), labels, metric=metric)
    assert ours == pytest.approx(ref, abs=1e-5)


def test_silhouette_bad_input():
    x, truth = _blobs()
    with pytest.raises(ValueError, match="labels"):
        embkit.silhouette_score(x, truth[:10])
    with pytest.raises(ValueError):
        embkit.silhouette_score(x, np.zeros(len(x), dtype=int))  # one cluster: undefined
    with pytest.raises(TypeError, match="integer"):
        embkit.silhouette_score(x, truth.astype(float))
    with pytest.raises(ValueError, match="negative"):
        embkit.silhouette_score(x, truth - 1)


def test_tsne_separates_planted_clusters():
    x, truth = _blobs(per=25, dim=10, k=3)
    points, kl, history = embkit.tsne(x, perplexity=10, iterations=400, seed=3, return_kl=True)
    assert points.shape == (75, 2) and points.dtype == np.float32 and points.flags.writeable
    assert kl == pytest.approx(history[-1][1]) and kl > 0
    # every point's nearest neighbour on the map is from its own cluster
    d = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    assert np.all(truth[d.argmin(axis=1)] == truth)
    again = embkit.tsne(x, perplexity=10, iterations=400, seed=3, threads=1)
    np.testing.assert_array_equal(again, points)
    with pytest.raises(ValueError, match="perplexity"):
        embkit.tsne(x[:10], perplexity=30)
