"""Queries against gensim 4 on the same vectors, and against `embkit neighbors`."""

import json

import numpy as np
import pytest

import embkit

from conftest import run_cli


def assert_same_neighbors(ours, theirs, tol=2e-6):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=tol)


def some_words(kv):
    return [kv.index_to_key[i] for i in (1, 17, 250, 999)]


def test_most_similar_matches_gensim(kv, gensim_kv):
    for word in some_words(kv):
        assert_same_neighbors(kv.most_similar(word), gensim_kv.most_similar(word))
        assert_same_neighbors(kv.most_similar(positive=[word], topn=3, restrict_vocab=500),
                              gensim_kv.most_similar(positive=[word], topn=3, restrict_vocab=500))
    a, b, c = "athens", "greece", "baghdad"
    ours = kv.most_similar(positive=[b, c], negative=[a], topn=5)
    assert_same_neighbors(ours, gensim_kv.most_similar(positive=[b, c], negative=[a], topn=5))
    assert ours[0][0] == "iraq"  # the planted analogy


def test_most_similar_with_vectors_and_weights(kv, gensim_kv):
    v = kv["paris"] * 2.5
    assert_same_neighbors(kv.most_similar(positive=[v], topn=5), gensim_kv.most_similar(positive=[v], topn=5))
    mixed = dict(positive=["france", v], negative=[("berlin", -0.5)], topn=7)
    assert_same_neighbors(kv.most_similar(**mixed), gensim_kv.most_similar(**mixed))
    weighted = dict(positive=[("paris", 2.0), ("rome", 1.0)], topn=4)
    assert_same_neighbors(kv.most_similar(**weighted), gensim_kv.most_similar(**weighted))
    by_index = kv.most_similar(positive=5, topn=3)
    assert_same_neighbors(by_index, gensim_kv.most_similar(positive=5, topn=3))


def test_most_similar_all_scores(kv, gensim_kv):
    ours = kv.most_similar("paris", topn=None)
    theirs = gensim_kv.most_similar("paris", topn=None)
    finite = np.isfinite(theirs)  # gensim's zero row gives NaN, embkit 0
    np.testing.assert_allclose(ours[finite], theirs[finite], atol=2e-6)
    assert kv.most_similar("paris", topn=0) == []


def test_most_similar_cosmul_matches_gensim(kv, gensim_kv):
    args = dict(positive=["greece", "baghdad"], negative=["athens"], topn=6)
    assert_same_neighbors(kv.most_similar_cosmul(**args), gensim_kv.most_similar_cosmul(**args))
    assert_same_neighbors(kv.most_similar_cosmul("king", topn=4), gensim_kv.most_similar_cosmul("king", topn=4))
    with pytest.raises(TypeError):
        kv.most_similar_cosmul(positive=[kv["king"]])


def test_similar_by_word_and_vector(kv, gensim_kv):
    assert_same_neighbors(kv.similar_by_word("queen", topn=4), gensim_kv.similar_by_word("queen", topn=4))
    assert_same_neighbors(kv.similar_by_key("queen", topn=4), gensim_kv.similar_by_key("queen", topn=4))
    v = kv["queen"] + kv["king"]
    assert_same_neighbors(kv.similar_by_vector(v, topn=6), gensim_kv.similar_by_vector(v, topn=6))
    assert_same_neighbors(kv.similar_by_vector(list(map(float, v)), topn=6, restrict_vocab=300),
                          gensim_kv.similar_by_vector(v, topn=6, restrict_vocab=300))
    with pytest.raises(ValueError, match="dimension 3"):
        kv.similar_by_vector(np.ones(3))


def test_pairwise_functions(kv, gensim_kv):
    assert kv.similarity("king", "queen") == pytest.approx(float(gensim_kv.similarity("king", "queen")), abs=1e-6)
    assert kv.distance("king", "man") == pytest.approx(float(gensim_kv.distance("king", "man")), abs=1e-6)
    assert kv.n_similarity(["king", "man"], ["queen", "woman"]) == pytest.approx(
        float(gensim_kv.n_similarity(["king", "man"], ["queen", "woman"])), abs=1e-6)
    with pytest.raises(ZeroDivisionError):
        kv.n_similarity([], ["king"])
    np.testing.assert_allclose(kv.distances("king", ["queen", "man"]),
                               gensim_kv.distances("king", ["queen", "man"]), atol=1e-6)
    ours, theirs = kv.distances("king"), gensim_kv.distances("king")
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], atol=1e-6)
    assert kv.rank("king", "queen") == gensim_kv.rank("king", "queen")
    words = ["paris", "berlin", "rome", "athens", "banana"]
    assert kv.doesnt_match(words) == gensim_kv.doesnt_match(words)
    assert kv.doesnt_match(words + ["not-a-word-xyz"]) == gensim_kv.doesnt_match(words)
    np.testing.assert_allclose(embkit.KeyedVectors.cosine_similarities(kv["king"], kv[["queen", "man"]]),
                               gensim_kv.cosine_similarities(kv["king"], kv[["queen", "man"]]), rtol=1e-6)


def test_unknown_words_raise_key_error(kv):
    with pytest.raises(KeyError, match="'not-a-word-xyz' is not in the vocabulary"):
        kv.most_similar("not-a-word-xyz")
    with pytest.raises(KeyError):
        kv.most_similar(positive=["king", kv["queen"]], negative=["not-a-word-xyz"])
    with pytest.raises(KeyError):
        kv.similarity("king", "not-a-word-xyz")
    with pytest.raises(ValueError):
        kv.doesnt_match(["not-a-word-xyz"])
    with pytest.raises(ValueError):
        kv.most_similar(positive=[], negative=[])


def test_neighbors_equal_the_cli(kv, planted_model):
    out = run_cli("neighbors", planted_model[0], "paris", "king", "-k", "8", "--json")
    for line in out.splitlines():
        record = json.loads(line)
        cli = [(n["word"], n["score"]) for n in record["neighbors"]]
        assert_same_neighbors(kv.most_similar(record["query"], topn=8), cli, tol=1e-5)
