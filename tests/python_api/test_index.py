"""hnswlib and FAISS indexes and int8 search: flat-index neighbours equal `embkit index search`,
indexes round-trip through files, hnsw graphs are hnswlib's own bytes, int8 search with re-ranking
equals exact float search."""

import json
import struct

import numpy as np
import pytest

import embkit

from conftest import run_cli


def test_flat_index_equals_cli(planted_model, kv, tmp_path):
    words = ["king", "paris", "france"]
    words = [w for w in words if w in kv]
    path = tmp_path / "flat.faiss"
    run_cli("index", "build", planted_model[0], "--type", "flat", "--output", path)
    cli = [json.loads(line) for line in run_cli("index", "search", path, *words, "-k", 5, "--json").splitlines()]
    index = embkit.VectorIndex.build(kv, "flat")
    ours = index.search(words, k=5)
    assert len(words) == len(cli) == len(ours) >= 2 and all(len(h) == 5 for h in ours)
    for line, hits in zip(cli, ours):
        assert [w for w, _ in hits] == [n["word"] for n in line["neighbors"]]
        np.testing.assert_allclose([s for _, s in hits], [n["score"] for n in line["neighbors"]], rtol=1e-5)
    loaded = embkit.VectorIndex.load(path)
    assert loaded.search(words[0], k=5) == ours[0]
    assert (loaded.type, loaded.metric, len(loaded), loaded.dim) == ("flat", "cosine", len(kv), 48)


def test_index_vectors_save_load(kv, tmp_path):
    x = np.ascontiguousarray(kv.vectors)
    index = embkit.VectorIndex.build(kv, "flat", metric="dot")
    ids, scores = index.search(x[:20], k=4)
    ref_ids, ref_scores = embkit.top_k(x, x[:20], k=4, metric="dot")
    np.testing.assert_array_equal(ids, ref_ids)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4)
    one_ids, _ = index.search(x[3], k=4)
    np.testing.assert_array_equal(one_ids, ids[3])
    hnsw = embkit.VectorIndex.build(kv, "hnsw", params="M=16")
    hnsw.set_search_params("efSearch=128")  # the earlier spelling of ef_search
    path = tmp_path / "h.faiss"
    hnsw.save(path)
    back = embkit.VectorIndex.load(path)
    np.testing.assert_array_equal(back.search(x[:50], k=10)[0], hnsw.search(x[:50], k=10)[0])
    exact, _ = embkit.top_k(x, x[:50], k=10)
    approx, _ = back.search(x[:50], k=10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])
    assert recall > 0.9
    np.testing.assert_allclose(index.reconstruct(5), x[5])


def test_hnsw_ef_search_and_hnswlib_reads_the_graph(kv, tmp_path):
    x = np.ascontiguousarray(kv.vectors)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    index = embkit.VectorIndex.build(kv, "hnsw", params="M=8,ef_construction=50", seed=3, threads=1)
    assert index.params == {"M": 8, "ef_construction": 50, "ef_search": 64}
    assert index.ef_search == 64
    index.ef_search = 200
    assert index.params["ef_search"] == 200
    ids, scores = index.search(unit[:30], k=10)
    exact, exact_scores = embkit.top_k(x, x[:30], k=10)
    assert np.mean([len(set(a) & set(e)) / 10 for a, e in zip(ids, exact)]) > 0.95
    np.testing.assert_allclose(scores[:, 0], exact_scores[:, 0], atol=1e-5)
    path = tmp_path / "h.index"
    index.save(path)
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    assert (header["version"], header["backend"], header["type"]) == ("2", "hnswlib", "hnsw")
    graph = tmp_path / "graph.bin"
    graph.write_bytes(data[8 + length:8 + length + header["graph_bytes"]])
    hnswlib = pytest.importorskip("hnswlib")
    theirs = hnswlib.Index(space="ip", dim=kv.vectors.shape[1])
    theirs.load_index(str(graph))
    theirs.set_ef(200)
    their_ids, their_distances = theirs.knn_query(unit[:30], k=10)
    # The same graph walked with hnswlib's own SIMD code: rounding may only swap near-ties.
    assert np.mean(their_ids == ids) > 0.98
    np.testing.assert_allclose(1 - their_distances[:, 0], scores[:, 0], atol=1e-5)
    flat = embkit.VectorIndex.build(kv, "flat")
    assert flat.ef_search is None
    with pytest.raises(ValueError, match="hnsw"):
        flat.ef_search = 10


def test_index_errors(kv, tmp_path):
    with pytest.raises(ValueError, match="nosuchtype"):
        embkit.VectorIndex.build(kv, "nosuchtype")
    with pytest.raises(ValueError, match="bogus"):
        embkit.VectorIndex.build(kv, "ivfpq", params="bogus=3")
    with pytest.raises(ValueError, match="l2"):
        embkit.VectorIndex.build(kv, "flat", metric="l2")
    index = embkit.VectorIndex.build(kv, "flat")
    with pytest.raises(KeyError, match="no-such-word"):
        index.search("no-such-word")
    with pytest.raises(ValueError, match="columns"):
        index.search(np.ones((2, 5)))
    bad = tmp_path / "bad.faiss"
    bad.write_bytes(b"not an index")
    with pytest.raises((embkit.FormatError, embkit.IoError), match="bad.faiss"):
        embkit.VectorIndex.load(bad)


@pytest.mark.parametrize("metric", ["cosine", "dot"])
def test_int8_top_k(metric):
    rng = np.random.default_rng(4)
    base = rng.normal(size=(500, 32)).astype(np.float32)
    queries = rng.normal(size=(40, 32)).astype(np.float32)
    exact_ids, exact_scores = embkit.top_k(base, queries, k=10, metric=metric)
    ids, scores = embkit.int8_top_k(base, queries, k=10, metric=metric, rerank=100)
    np.testing.assert_array_equal(ids, exact_ids)  # re-ranked in float: the exact answer
    np.testing.assert_allclose(scores, exact_scores, rtol=1e-4, atol=1e-5)
    approx_ids, approx_scores = embkit.int8_top_k(base, queries, k=10, metric=metric, rerank=None)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx_ids, exact_ids)])
    assert recall > 0.8
    assert np.max(np.abs(approx_scores - exact_scores)) < 0.1 * np.max(np.abs(exact_scores))
    with pytest.raises(ValueError, match="l2"):
        embkit.int8_top_k(base, queries, metric="l2")
    with pytest.raises(ValueError, match="columns"):
        embkit.int8_top_k(base, queries[:, :5])
