"""embkit.classify: training, prediction, test, save / load and quantization from Python, and the
option table's keyword-argument checks."""

import random

import pytest

import embkit


def planted(path, classes=5, lines=120, seed=1):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(classes * lines):
            c = i % classes
            words = [f"c{c}w{rng.randrange(6)}" for _ in range(2)] + [f"n{rng.randrange(300)}" for _ in range(6)]
            rng.shuffle(words)
            f.write(f"__label__c{c} " + " ".join(words) + "\n")
    return str(path)


@pytest.fixture
def data(tmp_path):
    return planted(tmp_path / "train.txt"), planted(tmp_path / "test.txt", lines=40, seed=2)


def small(**extra):
    options = dict(dim=16, epochs=10, lr=0.5, threads=1)
    options.update(extra)
    return options


def test_train_predict_test(data):
    train, test = data
    clf = embkit.classify.train(train, **small())
    assert clf.loss == "softmax" and clf.dim == 16 and not clf.quantized
    assert sorted(clf.labels) == [f"__label__c{c}" for c in range(5)]
    labels, probabilities = clf.predict("c3w1 n4 n17", k=2)
    assert labels[0] == "__label__c3" and len(labels) == 2
    assert probabilities[0] >= probabilities[1] and probabilities[0] > 0.5
    many_labels, many_probs = clf.predict(["c0w1 n1", "c4w2 n9"], k=1)
    assert [l[0] for l in many_labels] == ["__label__c0", "__label__c4"]
    assert len(many_probs) == 2
    assert clf.predict("c3w1 n4", k=5, threshold=0.5)[0] == ("__label__c3",)
    result = clf.test(test, k=1)
    assert result["examples"] == 200 and result["precision"] > 0.95
    assert set(result["labels"]) == set(clf.labels)
    assert "f1" in result["labels"]["__label__c0"]


@pytest.mark.parametrize("loss", ["hs", "ns", "ova"])
def test_other_losses(data, loss):
    train, test = data
    clf = embkit.classify.train(train, loss=loss, **small())
    assert clf.loss == loss
    assert clf.test(test)["precision"] > 0.95


def test_one_thread_is_deterministic(data):
    train, _ = data
    a = embkit.classify.train(train, seed=3, **small())
    b = embkit.classify.train(train, seed=3, **small())
    texts = ["c1w1 n3", "n5 n6 n7", "c2w0"]
    assert a.predict(texts, k=3) == b.predict(texts, k=3)


def test_save_load_and_quantize(data, tmp_path):
    train, test = data
    clf = embkit.classify.train(train, word_ngrams=2, bucket=50000, **small())
    try:
        clf.save(tmp_path / "model.bin")
    except embkit.IoError as e:
        if "not supported" in str(e):
            pytest.skip("no fastText model writer in this build")
        raise
    back = embkit.classify.load(tmp_path / "model.bin")
    texts = ["c1w1 n3", "n5 n6 n7", "c2w0 unseen"]
    assert back.predict(texts, k=3) == clf.predict(texts, k=3)
    smaller = clf.quantize(cutoff=500, retrain=True, input_data=train, qnorm=True, threads=1)
    assert smaller.quantized
    assert smaller.test(test)["precision"] > 0.95
    smaller.save(tmp_path / "model.ftz")
    assert (tmp_path / "model.bin").stat().st_size > 20 * (tmp_path / "model.ftz").stat().st_size


def test_options_are_checked(data):
    train, _ = data
    with pytest.raises(TypeError, match="did you mean 'word_ngrams'"):
        embkit.classify.train(train, word_ngram=2)
    with pytest.raises(TypeError, match="does not apply"):
        embkit.classify.train(train, neg=3)
    with pytest.raises(ValueError, match="dim=0"):
        embkit.classify.train(train, dim=0)
    with pytest.raises(ValueError, match="loss must be one of"):
        embkit.classify.train(train, loss="nope")
    schema = embkit.option_schema("classify train")
    assert schema["selector"] == "loss"
    assert {o["name"] for o in schema["options"]} >= {"dim", "lr", "epochs", "word_ngrams", "neg"}
    assert embkit.option_schema("classify quantize")["options"]


def test_bad_data_raises(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(embkit.FormatError, match="empty"):
        embkit.classify.train(empty)
    unlabelled = tmp_path / "words.txt"
    unlabelled.write_text("a b c\n")
    with pytest.raises(embkit.FormatError, match="no line has a label"):
        embkit.classify.train(unlabelled)
    with pytest.raises(embkit.IoError):
        embkit.classify.train(tmp_path / "missing.txt")
    with pytest.raises(embkit.IoError):
        embkit.classify.load(tmp_path / "missing.bin")


def test_progress_callback(data):
    train, _ = data
    seen = []
    embkit.classify.train(train, progress=lambda fraction, info: seen.append(fraction), **small())
    assert seen and seen[-1] == 1.0
