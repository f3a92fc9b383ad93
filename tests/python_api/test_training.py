"""embkit.train from iterables and files: planted topics, equality with `embkit train`, progress,
Ctrl-C and option errors."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import embkit

from conftest import run_cli

TOPICS, WORDS_PER_TOPIC = 8, 10


def topic_corpus(sentences=2500, seed=1):
    """Sentences of 10 words drawn from one topic each: words of a topic share every context."""
    rng = np.random.default_rng(seed)
    corpus = []
    for _ in range(sentences):
        topic = rng.integers(TOPICS)
        corpus.append([f"t{topic}w{w}" for w in rng.integers(WORDS_PER_TOPIC, size=10)])
    return corpus


def topic_of(word):
    return word.split("w")[0]


def assert_topics_recovered(kv, fraction=0.9):
    hits = total = 0
    for word in kv.index_to_key:
        neighbours = [w for w, _ in kv.most_similar(word, topn=5)]
        hits += sum(topic_of(n) == topic_of(word) for n in neighbours)
        total += len(neighbours)
    assert hits / total >= fraction, hits / total


@pytest.mark.parametrize("algo,options", [
    ("sgns", dict(dim=16, epochs=3)),
    ("cbow", dict(dim=16, epochs=3)),
    ("glove", dict(dim=16, epochs=15, window=5)),
    ("ppmi-svd", dict(dim=12, window=5)),
])
def test_planted_topics_from_an_iterator(algo, options):
    corpus = topic_corpus()
    kv = embkit.train(iter(corpus), algo=algo, min_count=1, threads=2, seed=5, **options)
    assert len(kv) == TOPICS * WORDS_PER_TOPIC and kv.vector_size == options["dim"]
    assert_topics_recovered(kv)


def test_vocabulary_order_and_min_count():
    corpus = [["a", "b", "a", "c"], ["b", "a", "d"], ["e"]]
    kv = embkit.train(corpus, dim=4, min_count=2, epochs=1, threads=1)
    assert kv.index_to_key == ["a", "b"]
    assert kv.get_vecattr("a", "count") == 3 and kv.get_vecattr("b", "count") == 2


@pytest.mark.parametrize("algo", ["sgns", "cbow", "glove", "ppmi-svd"])
def test_equal_to_the_cli(tmp_path, algo):
    corpus = topic_corpus(400, seed=2)
    text = tmp_path / "corpus.txt"
    text.write_text("\n".join(" ".join(s) for s in corpus) + "\n")
    out = tmp_path / "cli.emb"
    options = dict(dim=8, min_count=1, threads=1, seed=9)
    if algo != "ppmi-svd":  # PPMI + SVD has no epochs: the option is refused
        options["epochs"] = 2
    flags = [x for name, value in options.items() for x in ("--" + name.replace("_", "-"), value)]
    run_cli("train", "--input", text, "--output", out, "--algo", algo, *flags)
    cli = embkit.load(out)
    from_file = embkit.train(text, algo=algo, **options)
    from_iterable = embkit.train(corpus, algo=algo, **options)
    for kv in (from_file, from_iterable):
        assert kv.index_to_key == cli.index_to_key
        np.testing.assert_array_equal(kv.vectors, cli.vectors)


def test_progress_callback():
    calls = []
    embkit.train(topic_corpus(), dim=8, epochs=20, min_count=1, threads=1,
                 progress=lambda fraction, info: calls.append((fraction, dict(info))))
    assert calls, "no progress reported"
    fractions = [f for f, _ in calls]
    assert all(0 <= f <= 1 for f in fractions) and fractions == sorted(fractions)
    assert {"stage", "epoch", "loss", "eta_seconds"} <= set(calls[-1][1])


def test_progress_exception_stops_training():
    class Stop(Exception):
        pass

    def progress(fraction, info):
        raise Stop()

    start = time.monotonic()
    with pytest.raises(Stop):
        embkit.train(topic_corpus(), dim=8, epochs=100000, min_count=1, threads=1, progress=progress)
    assert time.monotonic() - start < 20


def test_ctrl_c_stops_training():
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        embkit.train(topic_corpus(), dim=8, epochs=100000, min_count=1, threads=2)
    assert time.monotonic() - start < 20


def test_other_threads_run_while_training():
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    thread = threading.Thread(target=ticker)
    thread.start()
    embkit.train(topic_corpus(), dim=16, epochs=30, min_count=1, threads=1)
    stop.set()
    thread.join()
    assert len(ticks) > 5  # the GIL was released


def test_training_errors(tmp_path):
    with pytest.raises(TypeError, match="unexpected keyword argument 'dims'"):
        embkit.train([["a"]], dims=3)
    with pytest.raises(TypeError, match="x_max"):
        embkit.train([["a"]], algo="sgns", x_max=3)
    with pytest.raises(ValueError, match="algo"):
        embkit.train([["a"]], algo="fasttext")
    with pytest.raises(TypeError, match="lists of tokens"):
        embkit.train(["a b c"], min_count=1)
    with pytest.raises(TypeError, match="tokens must be str"):
        embkit.train([["a", 3]], min_count=1)
    with pytest.raises(embkit.FormatError, match="min_count"):
        embkit.train([["a", "b"]], min_count=5)
    with pytest.raises(embkit.FormatError, match="no words"):
        embkit.train([[], []])
    with pytest.raises(embkit.IoError, match="missing.txt"):
        embkit.train(str(tmp_path / "missing.txt"))
