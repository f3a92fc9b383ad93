"""embkit.classify: supervised text classification in the manner of fastText's supervised mode.

    import embkit
    clf = embkit.classify.train("train.txt", loss="softmax", word_ngrams=2, epochs=5)
    clf.predict("some text to classify", k=2)     # (('__label__a', '__label__b'), [0.91, 0.08])
    clf.test("test.txt", k=1)                     # {'examples': ..., 'precision': ..., 'recall': ...}
    clf.save("model.bin")                         # fastText's .bin: `fasttext predict` reads it
    small = clf.quantize(cutoff=100000, retrain=True, input_data="train.txt", qnorm=True)
    small.save("model.ftz")
    embkit.classify.load("model.ftz").predict(["a", "b"])

Data: one example per line, ``__label__x __label__y word word ...`` (the prefix is the ``label``
option). Options are ``embkit classify train``'s flags with underscores (dim, lr, epochs,
word_ngrams, bucket, minn, maxn, min_count, min_count_label, neg (ns), threads, seed, label,
pretrained_vectors, loss_log); ``embkit.option_schema("classify train")`` lists their defaults
and ranges. An unknown option raises TypeError, a value out of range ValueError.
"""

import os

from . import _embkit

__all__ = ["Classifier", "train", "load", "LOSSES"]

_SCHEMA = _embkit.option_schema("classify train")
LOSSES = tuple(_SCHEMA["algorithms"])


class Classifier:
    """A trained classifier (a fastText supervised model)."""

    def __init__(self, _native):
        self._native = _native

    @property
    def labels(self):
        """The label names, with their prefix, most frequent first."""
        return self._native.labels

    @property
    def words(self):
        """The dictionary's words ("</s>", the line end, among them), most frequent first."""
        return self._native.words

    @property
    def loss(self):
        return self._native.loss

    @property
    def dim(self):
        return self._native.dim

    @property
    def quantized(self):
        return self._native.quantized

    def predict(self, texts, k=1, threshold=0.0):
        """The k most likely labels of a text (a str, one line) with their probabilities, as
        fastText's Python module returns them: ``(labels, probabilities)`` for one text, a pair of
        lists for a list of texts. Labels below ``threshold`` are left out."""
        single = isinstance(texts, str)
        labels, probabilities = self._native.predict([texts] if single else list(texts), k, threshold)
        if single:
            return labels[0], probabilities[0]
        return labels, probabilities

    def test(self, path, k=1, threshold=0.0, threads=0):
        """fastText's test on a labelled file: {'examples', 'precision', 'recall', 'k',
        'skipped_lines', 'labels': {name: {'precision', 'recall', 'f1', 'gold', 'predicted',
        'correct'}}}."""
        return self._native.test(os.fspath(path), k, threshold, threads)

    def save(self, path):
        """Writes the model as a fastText .bin (or, quantized, .ftz) file, atomically."""
        self._native.save(os.fspath(path))

    def quantize(self, progress=None, **options):
        """A compressed copy: keep the ``cutoff`` input rows of largest norm, optionally
        ``retrain`` them on ``input_data``, then product-quantize (``dsub`` dimensions per
        sub-vector, ``qnorm``: norms apart, ``qout``: the output matrix too). Options are
        ``embkit classify quantize``'s (``embkit.option_schema("classify quantize")``)."""
        if "input_data" in options and options["input_data"] is not None:
            options["input_data"] = os.fspath(options["input_data"])
        return Classifier(self._native.quantize(options, progress))

    def __repr__(self):
        return (f"<embkit.classify.Classifier loss={self.loss} labels={len(self.labels)} "
                f"dim={self.dim}{' quantized' if self.quantized else ''}>")


def train(path, loss="softmax", progress=None, **options):
    """Trains a classifier on a file of labelled lines (plain, .gz, .xz or .zst).

    ``loss``: 'softmax', 'hs', 'ns' or 'ova' (one-vs-all, for several labels per line).
    ``progress(fraction, info)`` is called from the calling thread a few times a second. The GIL
    is released while training; Ctrl-C stops it and raises KeyboardInterrupt. With threads=1 and a
    fixed seed the model is bit-identical across runs."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {loss!r}")
    return Classifier(_embkit.classify_train(os.fspath(path), loss, options, progress))


def load(path, label="__label__"):
    """Reads a fastText supervised model (.bin or .ftz), ours or fastText's."""
    return Classifier(_embkit.classify_load(os.fspath(path), label))
