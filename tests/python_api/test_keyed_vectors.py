"""KeyedVectors: files, the vectors view, the vocabulary accessors, gensim interoperability."""

import numpy as np
import pytest

import embkit


def test_load_matches_file(kv, planted_model):
    _, words, vectors = planted_model
    assert len(kv) == len(words)
    assert kv.vector_size == 48
    assert kv.index_to_key == words
    assert kv.key_to_index[words[10]] == 10
    np.testing.assert_array_equal(kv.vectors, vectors)


def test_vectors_is_a_read_only_view_of_the_cpp_rows(kv):
    a, b = kv.vectors, kv.vectors
    assert a.shape == (len(kv), 48) and a.dtype == np.float32
    assert np.shares_memory(a, b)
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    # Padded rows: 48 floats are exactly three 64-byte lines, so the stride is the width here.
    assert a.strides == (48 * 4, 4)
    row = kv.get_vector(kv.index_to_key[3])
    assert np.shares_memory(row, a) and not row.flags.writeable


def test_padded_stride_is_exposed():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(5, 3)).astype(np.float32)
    kv = embkit.KeyedVectors(["a", "b", "c", "d", "e"], data)
    v = kv.vectors
    assert v.shape == (5, 3)
    assert v.strides == (16 * 4, 4)  # rows padded to 16 floats
    np.testing.assert_array_equal(v, data)
    np.testing.assert_array_equal(kv["c"], data[2])
    np.testing.assert_array_equal(kv[["e", "a"]], data[[4, 0]])
    np.testing.assert_allclose(kv.get_vector("b", norm=True), data[1] / np.linalg.norm(data[1]), rtol=1e-6)
    np.testing.assert_allclose(kv.norms, np.linalg.norm(data, axis=1), rtol=1e-6)
    np.testing.assert_allclose(kv.get_normed_vectors(), data / np.linalg.norm(data, axis=1)[:, None],
                               rtol=1e-6)


def test_view_keeps_model_alive():
    data = np.arange(40, dtype=np.float32).reshape(10, 4)
    view = embkit.KeyedVectors([str(i) for i in range(10)], data).vectors
    import gc
    gc.collect()
    np.testing.assert_array_equal(view, data)


def test_vocabulary_accessors(kv):
    word = kv.index_to_key[5]
    assert word in kv and "not-a-word-xyz" not in kv and 5 in kv and len(kv) not in kv
    assert kv.get_index(word) == 5
    assert kv.get_index(7) == 7
    assert kv.get_index("not-a-word-xyz", -1) == -1
    assert kv.has_index_for(word) and not kv.has_index_for("not-a-word-xyz")
    with pytest.raises(KeyError, match="not-a-word-xyz"):
        kv.get_index("not-a-word-xyz")
    with pytest.raises(KeyError):
        kv["not-a-word-xyz"]


def test_constructor_converts_dtypes_and_refuses_impossible_ones():
    kv = embkit.KeyedVectors(["x", "y"], np.array([[1, 2], [3, 4]], dtype=np.int64))
    assert kv.vectors.dtype == np.float32
    np.testing.assert_array_equal(kv["y"], [3, 4])
    kv64 = embkit.KeyedVectors(["x", "y"], np.array([[0.5, 2], [3, 4]], dtype=np.float64))
    np.testing.assert_array_equal(kv64["x"], [0.5, 2])
    for bad in (np.array([["a", "b"], ["c", "d"]]), np.array([[1j, 2], [3, 4]]),
                np.array([[object(), 1], [2, 3]], dtype=object)):
        with pytest.raises(TypeError, match="dtype"):
            embkit.KeyedVectors(["x", "y"], bad)
    with pytest.raises(ValueError, match="2 words but 3"):
        embkit.KeyedVectors(["x", "y"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="2-D"):
        embkit.KeyedVectors(["x", "y"], np.zeros(2))
    with pytest.raises(ValueError, match="'x' is given twice"):
        embkit.KeyedVectors(["x", "x"], np.zeros((2, 2)))


@pytest.mark.parametrize("suffix,fmt", [(".vec", None), (".bin", None), (".emb", None), (".txt", "glove"),
                                        (".npy", None)])
def test_save_load_round_trip(kv, tmp_path, suffix, fmt):
    path = tmp_path / ("model" + suffix)
    kv.save(path, format=fmt)
    back = embkit.load(path, format=fmt)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    limited = embkit.load(path, format=fmt, limit=7)
    assert len(limited) == 7 and limited.index_to_key == kv.index_to_key[:7]


def test_word2vec_format_is_read_by_gensim(kv, tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    for binary in (False, True):
        path = tmp_path / f"m{int(binary)}"
        kv.save_word2vec_format(path, binary=binary)
        g = gensim_models.KeyedVectors.load_word2vec_format(str(path), binary=binary)
        assert g.index_to_key == kv.index_to_key
        np.testing.assert_array_equal(g.vectors, kv.vectors)
        back = embkit.KeyedVectors.load_word2vec_format(path, binary=binary)
        np.testing.assert_array_equal(back.vectors, kv.vectors)


def test_gensim_round_trip(kv):
    pytest.importorskip("gensim")
    g = kv.to_gensim()
    assert g.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(g.vectors, kv.vectors)
    back = embkit.from_gensim(g)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)


def test_counts_survive(tmp_path):
    kv = embkit.KeyedVectors(["a", "b"], np.eye(2), counts=[10, 3])
    assert kv.get_vecattr("b", "count") == 3
    kv.save(tmp_path / "m.emb")
    assert embkit.load(tmp_path / "m.emb").get_vecattr("a", "count") == 10
    pytest.importorskip("gensim")
    assert kv.to_gensim().get_vecattr("a", "count") == 10


def test_help_shows_docstrings():
    assert "gensim" in embkit.KeyedVectors.__doc__
    assert "read-only view" in embkit.KeyedVectors.vectors.__doc__
    assert "progress" in embkit.train.__doc__
    assert embkit.load.__doc__ and embkit.tfidf.__doc__ and embkit.top_k.__doc__
