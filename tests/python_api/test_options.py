"""embkit.train()'s keyword arguments checked through the option table, and embkit.option_schema()."""

import math

import numpy as np
import pytest

import embkit
from embkit import _train

CORPUS = [["a", "b", "c", "a"], ["b", "c", "a", "b"]] * 5


def test_unknown_keyword_names_it_and_suggests():
    with pytest.raises(TypeError, match=r"^train\(\) got an unexpected keyword argument 'windw' "
                                        r"\(did you mean 'window'\?\)$"):
        embkit.train(CORPUS, windw=3)
    with pytest.raises(TypeError, match=r"^train\(\) got an unexpected keyword argument 'frobnicate'$"):
        embkit.train(CORPUS, frobnicate=3)
    with pytest.raises(TypeError, match=r"'checkpoint_every' \(only the command line takes it\)$"):
        embkit.train(CORPUS, checkpoint_every=3)


def test_option_of_another_algorithm_is_a_type_error():
    with pytest.raises(TypeError, match=r"option 'x_max' does not apply to algo 'sgns' \(only glove\)"):
        embkit.train(CORPUS, algo="sgns", x_max=3)
    with pytest.raises(TypeError, match=r"option 'negative' does not apply to algo 'ppmi-svd'"):
        embkit.train(CORPUS, algo="ppmi-svd", negative=3)


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match=r"^train\(\): window must be an int, not str$"):
        embkit.train(CORPUS, window="5")
    with pytest.raises(TypeError, match=r"^train\(\): dim must be an int, not float$"):
        embkit.train(CORPUS, dim=10.0)
    with pytest.raises(TypeError, match="lowercase must be a bool, not int"):
        embkit.train(CORPUS, lowercase=1)
    with pytest.raises(TypeError, match="window must be an int, not bool"):
        embkit.train(CORPUS, window=True)
    with pytest.raises(TypeError, match="update must be a str"):
        embkit.train(CORPUS, update=1)


def test_values_out_of_range_are_value_errors():
    with pytest.raises(ValueError, match=r"^train\(\): window=0 is out of range 1\.\.1000$"):
        embkit.train(CORPUS, window=0)
    with pytest.raises(ValueError, match=r"^train\(\): dim=-4 is out of range 1\.\.10000$"):
        embkit.train(CORPUS, dim=-4)
    with pytest.raises(ValueError, match=r"seed=18446744073709551616 is out of range"):
        embkit.train(CORPUS, seed=2**64)
    with pytest.raises(ValueError, match=r"threads=100000 is out of range 0\.\.4096"):
        embkit.train(CORPUS, threads=100000)
    with pytest.raises(ValueError, match=r"lr=nan must be a finite number"):
        embkit.train(CORPUS, lr=math.nan)
    with pytest.raises(ValueError, match=r"sample=inf must be a finite number"):
        embkit.train(CORPUS, sample=math.inf)
    with pytest.raises(ValueError, match=r"update='fast' must be one of minibatch, classic"):
        embkit.train(CORPUS, update="fast")


def test_accepted_values_train():
    kv = embkit.train(CORPUS, dim=np.int64(4), epochs=1, min_count=1, threads=1, lr=1e-2, sample=0,
                      window=None, seed=3)
    assert kv.vector_size == 4
    glove = embkit.train(CORPUS, algo="glove", dim=3, epochs=1, min_count=1, threads=1, x_max=2.0,
                         one_sided=True, weighting="uniform")
    assert glove.vector_size == 3


def test_schema_lists_defaults_by_algorithm():
    schema = embkit.option_schema("train")
    assert schema["selector"] == "algo"
    window = next(o for o in schema["options"] if o["name"] == "window")
    assert window["default"] == {"sgns": 5, "cbow": 5, "glove": 15, "ppmi-svd": 8}
    assert (window["min"], window["max"], window["type"]) == (1, 1000, "unsigned")
    x_max = next(o for o in schema["options"] if o["name"] == "x_max")
    assert x_max["algorithms"] == ["glove"]
    assert _train.OPTIONS["glove"] >= {"x_max", "alpha", "window", "dim"}
    assert "x_max" not in _train.OPTIONS["sgns"]
    assert "checkpoint_every" not in _train.OPTIONS["sgns"]
    index = embkit.option_schema("index build")
    names = {o["name"]: o for o in index["options"]}
    assert names["ef_search"]["aliases"] == ["efSearch"]
    assert names["M"]["default"] == {"hnsw": 32}
    with pytest.raises(ValueError, match="command must be"):
        embkit.option_schema("frobnicate")
