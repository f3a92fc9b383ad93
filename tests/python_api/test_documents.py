"""Documents, co-occurrence counts and exact search against scikit-learn / NumPy references."""

import numpy as np
import pytest

import embkit

DOCS = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "",
    "cats and dogs and the mat",
    "a cat a dog a cat",
]


def tokens():
    return [d.split() for d in DOCS]


def test_collection_from_file_and_iterable(tmp_path):
    path = tmp_path / "docs.txt"
    path.write_text("\n".join(DOCS) + "\n")
    for docs in (embkit.read_documents(path), embkit.read_documents(tokens())):
        assert len(docs) == 5
        assert docs.tokens == sum(len(t) for t in tokens())
        assert docs.words == len({w for t in tokens() for w in t})


@pytest.mark.parametrize("options", [dict(), dict(sublinear_tf=True), dict(smooth_idf=False, norm="l1"),
                                     dict(norm=None)])
def test_tfidf_equals_sklearn(options):
    text = pytest.importorskip("sklearn.feature_extraction.text")
    matrix, words = embkit.tfidf(tokens(), **options)
    reference = text.TfidfVectorizer(analyzer=str.split, **options)
    expected = reference.fit_transform(DOCS)
    assert words == list(reference.get_feature_names_out())
    np.testing.assert_allclose(matrix.toarray(), expected.toarray(), rtol=1e-6, atol=1e-7)


def test_bag_of_words_and_one_hot_equal_sklearn():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    counts, words = embkit.bag_of_words(tokens())
    reference = text.CountVectorizer(analyzer=str.split)
    expected = reference.fit_transform(DOCS).toarray()
    assert words == list(reference.get_feature_names_out())
    np.testing.assert_array_equal(counts.toarray(), expected)
    presence, _ = embkit.one_hot(tokens())
    np.testing.assert_array_equal(presence.toarray(), (expected > 0).astype(np.float32))
    limited, limited_words = embkit.bag_of_words(tokens(), embkit.document_vocabulary(tokens(), min_df=2,
                                                                                      max_features=3))
    reference = text.CountVectorizer(analyzer=str.split, min_df=2, max_features=3)
    np.testing.assert_array_equal(limited.toarray(), reference.fit_transform(DOCS).toarray())
    assert limited_words == list(reference.get_feature_names_out())
    fixed, fixed_words = embkit.bag_of_words(tokens(), ["mat", "cat", "zebra"])
    assert fixed_words == ["mat", "cat", "zebra"]
    np.testing.assert_array_equal(fixed.toarray()[4], [0, 2, 0])


def test_document_vectors_mean():
    rng = np.random.default_rng(1)
    words = ["cat", "dog", "mat", "the"]
    vectors = rng.normal(size=(4, 5)).astype(np.float32)
    kv = embkit.KeyedVectors(words, vectors)
    result = embkit.document_vectors(tokens(), kv)
    assert result.shape == (5, 5) and result.dtype == np.float32 and result.flags.c_contiguous
    for row, doc in zip(result, tokens()):
        known = [vectors[words.index(w)] for w in doc if w in words]
        expected = np.mean(known, axis=0) if known else np.zeros(5)
        np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-6)
    for weighting in ("tfidf", "sif"):
        assert embkit.document_vectors(tokens(), kv, weighting=weighting).shape == (5, 5)
    with pytest.raises(ValueError, match="weighting"):
        embkit.document_vectors(tokens(), kv, weighting="max")


def test_cooccurrence_equals_brute_force():
    docs = tokens()
    matrix, words = embkit.cooccurrence(docs, window=2)
    index = {w: i for i, w in enumerate(words)}
    expected = np.zeros((len(words), len(words)))
    for doc in docs:
        for i, w in enumerate(doc):
            for d in (1, 2):
                if i + d < len(doc):
                    expected[index[w], index[doc[i + d]]] += 1 / d
                    expected[index[doc[i + d]], index[w]] += 1 / d
    np.testing.assert_allclose(matrix.toarray(), expected, rtol=1e-6)
    assert words[:3] == ["the", "cat", "sat"]  # order of first appearance


def test_top_k_equals_numpy():
    rng = np.random.default_rng(2)
    base = rng.normal(size=(200, 24))
    queries = rng.normal(size=(7, 24)).astype(np.float32)
    ids, scores = embkit.top_k(base, queries, k=5, metric="dot")
    dots = queries @ base.astype(np.float32).T
    np.testing.assert_array_equal(ids, np.argsort(-dots, axis=1)[:, :5])
    np.testing.assert_allclose(scores, np.take_along_axis(dots, ids, axis=1), rtol=1e-5)
    ids, scores = embkit.top_k(base, queries, k=3, metric="l2")
    d2 = ((queries[:, None, :] - base[None, :, :].astype(np.float32)) ** 2).sum(-1)
    np.testing.assert_array_equal(ids, np.argsort(d2, axis=1)[:, :3])
    ids, _ = embkit.top_k(base, queries[0], k=4, metric="cosine")
    unit = base / np.linalg.norm(base, axis=1, keepdims=True)
    np.testing.assert_array_equal(ids[0], np.argsort(-(unit @ queries[0]))[:4])
    ids, _ = embkit.top_k(base[:3], queries, k=10)
    assert ids.shape == (7, 3)


def test_array_errors():
    base = np.zeros((4, 3), dtype=np.float32)
    with pytest.raises(ValueError, match="columns"):
        embkit.top_k(base, np.zeros((2, 5)))
    with pytest.raises(TypeError, match="dtype"):
        embkit.top_k(base, np.array([["a", "b", "c"]]))
    with pytest.raises(TypeError, match="dtype"):
        embkit.top_k(base.astype(np.complex64), base)
    with pytest.raises(ValueError, match="metric"):
        embkit.top_k(base, base, metric="manhattan")
    with pytest.raises(TypeError, match="lists of tokens"):
        embkit.read_documents(["a string"])


def test_cooccurrence_options_come_from_the_cooccur_table():
    docs = tokens()
    schema = {o["name"]: o for o in embkit.option_schema("cooccur")["options"]}
    assert set(schema) >= {"window", "one_sided", "weighting", "threads"}
    default_window = schema["window"]["default"]["*"]
    plain, _ = embkit.cooccurrence(docs)
    explicit, _ = embkit.cooccurrence(docs, window=default_window, weighting="harmonic")
    np.testing.assert_array_equal(plain.toarray(), explicit.toarray())
    narrower, _ = embkit.cooccurrence(docs, window=1)
    assert narrower.sum() < plain.sum()
    left, _ = embkit.cooccurrence(docs, window=2, one_sided=True)
    both, _ = embkit.cooccurrence(docs, window=2)
    np.testing.assert_allclose((left + left.T).toarray(), both.toarray(), rtol=1e-6)
    with pytest.warns(DeprecationWarning):
        old, _ = embkit.cooccurrence(docs, window=2, symmetric=False)
    np.testing.assert_array_equal(old.toarray(), left.toarray())
    with pytest.raises(TypeError, match="unexpected keyword argument 'windw'"):
        embkit.cooccurrence(docs, windw=2)
    with pytest.raises(ValueError, match=r"window=0 .*out of range 1\.\.1000"):
        embkit.cooccurrence(docs, window=0)
    with pytest.raises(TypeError, match="weighting must be a str"):
        embkit.cooccurrence(docs, weighting=3)
    with pytest.raises(ValueError, match="weighting"):
        embkit.cooccurrence(docs, weighting="cubic")
    with pytest.raises(TypeError, match="min_count' applies to corpus files"):
        embkit.cooccurrence(docs, min_count=2)
