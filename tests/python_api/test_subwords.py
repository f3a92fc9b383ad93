"""Subword models from Python: vectors for unseen words as gensim's FastTextKeyedVectors gives them."""
import random

import numpy as np
import pytest

import embkit


def corpus():
    rng = random.Random(3)
    stems = ["qzav", "vjox", "xqub"]
    sentences = []
    for t, stem in enumerate(stems):
        context = [f"m{chr(97 + t)}{chr(97 + k)}lo" for k in range(4)]
        for _ in range(150):
            sentences.append([stem + rng.choice(["", "ing", "ed", "er", "s"]) if rng.random() < 0.5
                              else rng.choice(context) for _ in range(6)])
    rng.shuffle(sentences)
    return sentences


@pytest.fixture(scope="module")
def model():
    return embkit.train(corpus(), algo="sgns", dim=24, window=3, epochs=10, min_count=1, sample=0,
                        lr=0.05, threads=1, seed=2, minn=2, maxn=4, bucket=5000)


def test_unseen_words_get_ngram_vectors(model):
    assert model.has_subwords
    assert not model.has_index_for("qzavers")
    assert "qzavers" in model  # as gensim's FastTextKeyedVectors
    v = model["qzavers"]
    assert v.shape == (24,) and np.all(np.isfinite(v))
    unit = model.get_vector("qzavers", norm=True)
    assert abs(float(np.linalg.norm(unit)) - 1) < 1e-5
    near = [w for w, _ in model.most_similar("qzavers", topn=3)]
    assert all(w.startswith("qzav") for w in near), near


def test_models_without_subwords_say_so():
    kv = embkit.train(corpus(), algo="sgns", dim=16, epochs=1, min_count=1, threads=1)
    assert not kv.has_subwords
    assert "qzavers" not in kv
    with pytest.raises(KeyError, match="no subword n-grams"):
        kv.most_similar("qzavers")


def test_bad_subword_settings_are_value_errors():
    with pytest.raises(Exception, match="minn"):
        embkit.train(corpus(), algo="sgns", dim=8, epochs=1, min_count=1, minn=5, maxn=3)
